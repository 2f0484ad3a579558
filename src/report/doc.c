/*
 * doc.c -- the report's document model (report_impl.h): sections of
 * paragraphs, key/value lists, tables, bar charts, sparklines, warnings
 * and sign-off lines, knowing nothing of formats. Every string enters
 * through doc_txt(), which makes it safe (no control characters, no bidi
 * overrides, valid UTF-8; line breaks and tabs become spaces).
 */
#include "report/report_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* A sanitized copy of untrusted text; line breaks and tabs become spaces. */
char *
doc_txt(const char *s)
{
	size_t n = strlen(s), i;
	char *flat = xstrdup(s), *out = xmalloc(n * 3 + 1);

	for (i = 0; i < n; i++)
		if (flat[i] == '\n' || flat[i] == '\r' || flat[i] == '\t')
			flat[i] = ' ';
	text_sanitize(out, n * 3 + 1, flat, n);
	free(flat);
	return out;
}

char *
doc_txtf(const char *fmt, ...)
{
	va_list ap;
	char *raw, *t;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	raw = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(raw, (size_t)n + 1, fmt, ap);
	va_end(ap);
	t = doc_txt(raw);
	free(raw);
	return t;
}


struct sect *
doc_sect_add(struct doc *d, int newpage, const char *en, const char *ja)
{
	struct sect *s;

	d->s = xreallocarray(d->s, d->ns + 1, sizeof(*d->s));
	s = &d->s[d->ns++];
	memset(s, 0, sizeof(*s));
	s->title = doc_txtf("%zu. %s", d->ns, L(d, en, ja));
	s->newpage = newpage;
	return s;
}

struct blk *
doc_blk_add(struct sect *s, enum blk_kind k, size_t ncols)
{
	struct blk *b;

	s->b = xreallocarray(s->b, s->nb + 1, sizeof(*s->b));
	b = &s->b[s->nb++];
	memset(b, 0, sizeof(*b));
	b->kind = k;
	b->ncols = ncols;
	return b;
}

void
doc_para(struct sect *s, char *text)
{
	doc_blk_add(s, B_PARA, 0)->text = text;
}

void
doc_alert(struct sect *s, char *text)
{
	doc_blk_add(s, B_ALERT, 0)->text = text;
}

/* Add a row of b->ncols cells (already model strings, taken over). */
void
doc_row_addv(struct blk *b, int hl, char **cells)
{
	struct row *r;

	b->rows = xreallocarray(b->rows, b->nrows + 1, sizeof(*b->rows));
	r = &b->rows[b->nrows++];
	r->c = cells;
	r->hl = hl;
}

void
doc_row_add(struct blk *b, int hl, ...)
{
	char **cells = xcalloc(b->ncols, sizeof(*cells));
	va_list ap;
	size_t i;

	va_start(ap, hl);
	for (i = 0; i < b->ncols; i++) {
		const char *c = va_arg(ap, const char *);

		cells[i] = doc_txt(c != NULL ? c : "");
	}
	va_end(ap);
	doc_row_addv(b, hl, cells);
}

struct blk *
doc_table(struct sect *s, size_t ncols, ...)
{
	struct blk *b = doc_blk_add(s, B_TABLE, ncols);
	va_list ap;
	size_t i;

	b->head = xcalloc(ncols, sizeof(*b->head));
	va_start(ap, ncols);
	for (i = 0; i < ncols; i++)
		b->head[i] = doc_txt(va_arg(ap, const char *));
	va_end(ap);
	return b;
}

void
doc_bar_add(struct blk *b, const char *label, uint64_t v, const char *vtext)
{
	b->labels = xreallocarray(b->labels, b->nvals + 1, sizeof(*b->labels));
	b->vals = xreallocarray(b->vals, b->nvals + 1, sizeof(*b->vals));
	b->vtext = xreallocarray(b->vtext, b->nvals + 1, sizeof(*b->vtext));
	b->labels[b->nvals] = doc_txt(label);
	b->vals[b->nvals] = v;
	b->vtext[b->nvals] = doc_txt(vtext);
	b->nvals++;
}

void
doc_free(struct doc *d)
{
	size_t i, j, k, r;

	for (i = 0; i < d->ns; i++) {
		struct sect *s = &d->s[i];

		for (j = 0; j < s->nb; j++) {
			struct blk *b = &s->b[j];

			free(b->text);
			for (k = 0; b->head != NULL && k < b->ncols; k++)
				free(b->head[k]);
			free(b->head);
			for (r = 0; r < b->nrows; r++) {
				for (k = 0; k < b->ncols; k++)
					free(b->rows[r].c[k]);
				free(b->rows[r].c);
			}
			free(b->rows);
			for (k = 0; k < b->nvals; k++) {
				if (b->labels != NULL)
					free(b->labels[k]);
				if (b->vtext != NULL)
					free(b->vtext[k]);
			}
			free(b->labels);
			free(b->vtext);
			free(b->vals);
		}
		free(s->b);
		free(s->title);
	}
	free(d->s);
	free(d->id);
	free(d->kind);
	free(d->tlp);
	free(d->title);
	free(d->asof);
	free(d->status);
}
