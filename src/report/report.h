/*
 * report.h -- printable incident reports, built from an incident's journal
 * alone: the same journal always gives the same bytes (the report's time
 * is the journal's last event, never the clock).
 *
 * Three formats: text paginated for a printer (80 columns, form feeds,
 * header and footer with the incident id, kind, TLP label and "page n of
 * m" on every page, Japanese aligned by display width); Markdown for
 * tickets; self-contained HTML with print CSS (A4, page breaks between
 * parts) and inline SVG charts. Every string from outside (the journal
 * holds what packets, DNS and people typed) is sanitized and then escaped
 * for its format.
 */
#ifndef KYOCHO_REPORT_H
#define KYOCHO_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "case/checklist.h"
#include "case/incident.h"
#include "case/journal.h"

enum report_format {
	REPORT_TEXT = 0,
	REPORT_MD,
	REPORT_HTML,
};

struct report_opts {
	enum report_format format;
	const char *lang;		/* "en" or "ja" */
	/* The operator's zone for the second timeline column: an IANA zone
	 * (tz.h: offsets and abbreviations follow DST), else a fixed offset
	 * east of UTC in seconds with its name; zone and local_zone both NULL
	 * mean UTC only. Only what the configuration says is used, never the
	 * process's TZ, so the same journal gives the same report. */
	const struct tz *zone;
	int local_offset_s;
	const char *local_zone;
	const struct checklist_set *cs;		/* may be NULL */
	const struct incident_kinds *kinds;	/* may be NULL */
	const struct journal_diags *diags;	/* replay problems; may be NULL */
	int page_lines;			/* text: lines per page; 0 = 66 */
};

/*
 * The traffic around an incident's attack window, from the history on disk
 * (issue 18): one row per link and minute.
 */
struct report_minute {
	int64_t minute;			/* UTC seconds, a multiple of 60 */
	char link[64];
	uint64_t packets, bytes;
};

/*
 * A source of those rows: fill *v (malloc'ed; the report frees it) and *n
 * with the minutes in [from, to) (seconds), by minute then link. Return 0
 * -- with *n 0 when there is no history or it holds none of those minutes:
 * the report then has no such section and is byte for byte what it is
 * without a history -- or -1 with errbuf (the section says why).
 */
typedef int report_history_fn(void *ctx, int64_t from, int64_t to,
    struct report_minute **v, size_t *n, char *errbuf);

/*
 * Set the process's source, once, before reports are written; NULL (the
 * default) means none. Process-wide because reports are written for the
 * CLI and the terminal alike by the casework, which cannot read the
 * history: src/cli/main.c sets it (cli/report_history.c). ctx is borrowed.
 */
void report_set_history(report_history_fn *fn, void *ctx);

/* Parse "text", "md", "html". Returns -1 if unknown. */
int report_format_parse(const char *s);

/* Write the report of inc to f. Returns 0, or -1 with errbuf filled
 * (a write error). */
int report_write(FILE *f, const struct incident *inc,
    const struct report_opts *o, char *errbuf);

/*
 * Hand a written report to the printer: fork/exec `lpr [-P printer] path`
 * (no shell) and wait. printer NULL means the default destination; lpr
 * NULL means "lpr" from $PATH. The UI asks first. Returns 0 or -1 with
 * errbuf (lpr missing, its exit status).
 */
int report_print(const char *path, const char *printer, const char *lpr,
    char *errbuf);

#endif
