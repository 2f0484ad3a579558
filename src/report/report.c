/*
 * report.c -- incident reports in text, Markdown and HTML. See report.h.
 *
 * The report is built in two steps. First the journal is read into a
 * small document model that knows nothing of formats (doc.c, declared in
 * report_impl.h): sections holding paragraphs, key/value lists, tables
 * (rows may be highlighted), bar charts, sparklines, warnings and sign-off
 * lines, filled by the builders of build.c. Every string enters the model
 * through doc_txt(), which turns line breaks and tabs into spaces and
 * sanitizes the rest (no control characters, no bidi overrides, valid
 * UTF-8). Then one renderer per format walks the model and escapes for its
 * format: text.c, md.c, html.c. Nothing reads the clock: the report's "as
 * of" time is the journal's last event. This file holds the entry points
 * and the hand-over to lpr.
 */
#include "report/report_impl.h"

#include <stdlib.h>
#include <string.h>

#include "base/proc.h"
#include "base/util.h"
#include "time/tz.h"

/* report_set_history(): set once by main, read by build.c. */
static report_history_fn *history_fn;
static void *history_ctx;

void
report_set_history(report_history_fn *fn, void *ctx)
{
	history_fn = fn;
	history_ctx = ctx;
}

int
report_history_get(int64_t from, int64_t to, struct report_minute **v,
    size_t *n, char *errbuf)
{
	*v = NULL;
	*n = 0;
	if (history_fn == NULL)
		return 0;
	return history_fn(history_ctx, from, to, v, n, errbuf);
}

int
report_format_parse(const char *s)
{
	if (strcmp(s, "text") == 0 || strcmp(s, "txt") == 0)
		return REPORT_TEXT;
	if (strcmp(s, "md") == 0 || strcmp(s, "markdown") == 0)
		return REPORT_MD;
	if (strcmp(s, "html") == 0)
		return REPORT_HTML;
	return -1;
}

int
report_write(FILE *f, const struct incident *inc, const struct report_opts *o,
    char *errbuf)
{
	struct doc d;
	struct report_opts eff;
	struct tz *own = NULL;
	char err[ERRBUF_SIZE];

	memset(&d, 0, sizeof(d));
	/*
	 * Without a configured zone, the one the journal recorded when the
	 * incident was created (our-zone, or its default from TZ and
	 * /etc/localtime then): the report still comes from the journal
	 * alone, whatever the zone of the process writing it.
	 */
	if (o->zone == NULL && o->local_zone == NULL && inc->zone != NULL &&
	    inc->zone[0] != '\0') {
		eff = *o;
		if ((eff.zone = tz_get(inc->zone, err)) == NULL)
			eff.zone = own = tz_from_posix(inc->zone, err);
		if (eff.zone != NULL) {
			o = &eff;
			d.zone_from = inc->zone;
		} else
			d.zone_bad = inc->zone;
	}
	d.o = o;
	d.ja = o->lang != NULL && strcmp(o->lang, "ja") == 0;
	build_doc(&d, inc);
	switch (o->format) {
	case REPORT_TEXT:
		text_render(&d, f);
		break;
	case REPORT_MD:
		md_render(&d, f);
		break;
	case REPORT_HTML:
		html_render(&d, f);
		break;
	}
	doc_free(&d);
	tz_free(own);
	if (fflush(f) != 0 || ferror(f))
		return err_set(errbuf, "writing the report failed");
	return 0;
}

int
report_print(const char *path, const char *printer, const char *lpr,
    char *errbuf)
{
	char *argv[5];
	int n = 0, rc;

	argv[n++] = (char *)(lpr != NULL ? lpr : "lpr");
	if (printer != NULL && *printer != '\0') {
		argv[n++] = "-P";
		argv[n++] = (char *)printer;
	}
	argv[n++] = (char *)path;
	argv[n] = NULL;
	rc = proc_run(argv, -1, errbuf);
	if (rc == PROC_NOT_RUN)
		return err_set(errbuf, "%s could not be run (is a print system "
		    "such as CUPS installed?)", argv[0]);
	if (rc < 0)
		return -1;
	if (rc != 0)
		return err_set(errbuf, "%s failed (status %d)", argv[0], rc);
	return 0;
}
