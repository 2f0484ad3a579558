/*
 * report_impl.h -- private to src/report: the document model the builders
 * fill and the renderers walk (doc.c), shared by build.c, text.c, md.c,
 * html.c and report.c. Not for other folders: they use report.h.
 *
 * A doc is a list of sections; a section a list of blocks; every string
 * in it is a model string from doc_txt()/doc_txtf() (sanitized, owned by
 * the doc and freed by doc_free()). Nothing here reads the clock.
 */
#ifndef KYOCHO_REPORT_IMPL_H
#define KYOCHO_REPORT_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report/report.h"

enum blk_kind { B_PARA, B_KV, B_TABLE, B_BARS, B_SPARK, B_ALERT, B_SIGN };

struct row {
	char **c;
	int hl;			/* highlight (override, failure) */
};

struct blk {
	enum blk_kind kind;
	char *text;		/* PARA, ALERT; caption of BARS, SPARK */
	size_t ncols;
	char **head;		/* TABLE: ncols headers */
	struct row *rows;	/* KV (2 columns), TABLE, SIGN (1 column) */
	size_t nrows;
	int stacked;		/* TABLE in text: last column under the rest */
	const char *cls;	/* TABLE in HTML: an extra class ("tl", "cl") */
	char **labels;		/* BARS */
	uint64_t *vals;		/* BARS, SPARK */
	char **vtext;		/* BARS: the value as printed */
	size_t nvals;
};

struct sect {
	char *title;
	int newpage;		/* HTML: start on a new page */
	struct blk *b;
	size_t nb;
};

struct doc {
	const struct report_opts *o;
	const char *zone_from;	/* the journal's zone, when o has it from
				 * there; else NULL */
	const char *zone_bad;	/* the journal's zone, unknown here */
	int ja;
	char *id, *kind, *tlp, *title, *asof, *status;
	struct sect *s;
	size_t ns;
};
/* The English or the Japanese text, by the report's language. */
static inline const char *
L(const struct doc *d, const char *en, const char *ja)
{
	return d->ja ? ja : en;
}

/* ---- doc.c: building the model ----------------------------------------- */

/* A new model string: a sanitized copy of untrusted text (line breaks and
 * tabs become spaces); doc_txtf formats first. The caller owns it (the
 * functions below take model strings over). */
char	*doc_txt(const char *s);
char	*doc_txtf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A new section titled "n. en" (or ja) at the end of d. */
struct sect *doc_sect_add(struct doc *d, int newpage, const char *en,
	    const char *ja);
/* A new empty block of kind k with ncols columns at the end of s. */
struct blk *doc_blk_add(struct sect *s, enum blk_kind k, size_t ncols);
/* A paragraph, a warning: text is a model string, taken over. */
void	 doc_para(struct sect *s, char *text);
void	 doc_alert(struct sect *s, char *text);
/* A table with ncols header cells (const char *, copied) after ncols. */
struct blk *doc_table(struct sect *s, size_t ncols, ...);
/* A row of b->ncols cells: doc_row_add copies const char * arguments (NULL
 * is ""); doc_row_addv takes over an array of model strings. hl marks the
 * row (an override, a failure). */
void	 doc_row_add(struct blk *b, int hl, ...);
void	 doc_row_addv(struct blk *b, int hl, char **cells);
/* A bar: its label and the value as printed are copied. */
void	 doc_bar_add(struct blk *b, const char *label, uint64_t v,
	    const char *vtext);
/* Free everything d holds (not d itself). */
void	 doc_free(struct doc *d);

/* ---- build.c: the content ----------------------------------------------- */

/* Fill d (zeroed, with o, ja and the zone fields set) with the report of
 * inc: header fields and the nine sections, summary to sign-off. */
void	 build_doc(struct doc *d, const struct incident *inc);

/* ---- report.c: the history source ----------------------------------- */

/* The rows of report_set_history()'s source, as it answers; 0 with *n 0
 * when none is set. */
int	 report_history_get(int64_t from, int64_t to, struct report_minute **v,
	    size_t *n, char *errbuf);

/* ---- text.c, md.c, html.c: the renderers -------------------------------- */

/* Write d to f in one format; errors show in ferror(f). */
void	 text_render(const struct doc *d, FILE *f);
void	 md_render(const struct doc *d, FILE *f);
void	 html_render(const struct doc *d, FILE *f);

#endif
