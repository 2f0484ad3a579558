/*
 * text.c -- the report as text paginated for a printer: 80 columns, pages
 * of o->page_lines lines (66 by default) parted by form feeds, each with
 * a header (report, incident id, TLP label, kind, status) and a footer
 * ("page n of m", as of). Columns are measured in display width, so
 * Japanese lines up; lines are broken by the one wrapper (base/wrap.h).
 * The body is first laid out as a list of lines, each knowing how many
 * of the next lines it wants on its page, then cut into pages.
 */
#include "report/report_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "base/wrap.h"

#define TEXT_W		80

struct lines {
	char **v;
	unsigned char *keep;	/* keep with this many next lines */
	size_t n;
};

static void
line_add(struct lines *l, const char *s, int keep)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->keep = xreallocarray(l->keep, l->n + 1, 1);
	l->v[l->n] = xstrdup(s);
	l->keep[l->n++] = (unsigned char)keep;
}

static size_t
width(const char *s)
{
	return utf8_width(s, strlen(s));
}

/* Append s padded with spaces to w columns onto the string at *dst. */
static void
cat_pad(char **dst, const char *s, size_t w)
{
	size_t sw = width(s), old = strlen(*dst), n = strlen(s);
	size_t pad = sw < w ? w - sw : 0;

	*dst = xreallocarray(*dst, old + n + pad + 1, 1);
	memcpy(*dst + old, s, n);
	memset(*dst + old + n, ' ', pad);
	(*dst)[old + n + pad] = '\0';
}

/*
 * Wrap s to w columns (at least 4) with the one wrapper (wrap.h: breaks
 * after spaces and between wide characters, kinsoku rules, hard breaks in
 * words longer than w). Returns the number of lines, at least one (an
 * empty string is one empty line); each a new string in *out.
 */
static size_t
wrap(const char *s, size_t w, char ***out)
{
	struct wrap_span *sp;
	size_t n, i;
	char **v;

	if (w < 4)
		w = 4;
	n = wrap_text(s, w, NULL, 0);
	if (n == 0) {
		v = xreallocarray(NULL, 1, sizeof(*v));
		v[0] = xstrdup("");
		*out = v;
		return 1;
	}
	sp = xreallocarray(NULL, n, sizeof(*sp));
	wrap_text(s, w, sp, n);
	v = xreallocarray(NULL, n, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = xstrndup(s + sp[i].off, sp[i].len);
	free(sp);
	*out = v;
	return n;
}

static void
free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
text_para(struct lines *l, const char *s, const char *prefix)
{
	char **v;
	size_t n = wrap(s, TEXT_W - width(prefix), &v), i;

	for (i = 0; i < n; i++) {
		char *x = xstrdup(prefix);

		cat_pad(&x, v[i], 0);
		line_add(l, x, 0);
		free(x);
	}
	free_strv(v, n);
}

/* A table of records (checklist answers): the first column wrapped over
 * the full width, then each other column as "Header: value" beneath. */
static void
text_records(struct lines *l, const struct blk *b)
{
	size_t r, i, k, n, hw = 0;
	char **v;

	for (i = 1; i < b->ncols; i++)
		if (width(b->head[i]) > hw)
			hw = width(b->head[i]);
	for (r = 0; r < b->nrows; r++) {
		size_t first = l->n, total;

		n = wrap(b->rows[r].c[0], TEXT_W - 2, &v);
		for (k = 0; k < n; k++) {
			char *x = xstrdup(k == 0 && b->rows[r].hl ? "! " : "  ");

			cat_pad(&x, v[k], 0);
			line_add(l, x, 0);
			free(x);
		}
		free_strv(v, n);
		for (i = 1; i < b->ncols; i++) {
			if (*b->rows[r].c[i] == '\0')
				continue;
			n = wrap(b->rows[r].c[i], TEXT_W - 8 - hw, &v);
			for (k = 0; k < n; k++) {
				char *x = xstrdup("      ");

				if (k == 0) {
					char *lab = xasprintf("%s:", b->head[i]);

					cat_pad(&x, lab, hw + 2);
					free(lab);
				} else
					cat_pad(&x, "", hw + 2);
				cat_pad(&x, v[k], 0);
				line_add(l, x, 0);
				free(x);
			}
			free_strv(v, n);
		}
		/* Keep a record on one page when it fits. */
		total = l->n - first;
		if (total > 1 && total < 30)
			l->keep[first] = (unsigned char)(total - 1);
		if (r + 1 < b->nrows)
			line_add(l, "", 0);
	}
}

/* A table whose last column is long text: in 80 columns each row is a
 * line of the short columns with the text wrapped beneath it. */
static void
text_stacked(struct lines *l, const struct blk *b)
{
	size_t nc = b->ncols, i, r, k;
	size_t *w = xcalloc(nc, sizeof(*w));

	for (i = 0; i + 1 < nc; i++)
		for (r = 0; r < b->nrows; r++)
			if (width(b->rows[r].c[i]) > w[i])
				w[i] = width(b->rows[r].c[i]);
	for (r = 0; r < b->nrows; r++) {
		char *x = xstrdup(b->rows[r].hl ? "! " : "  "), **v;
		size_t n;

		for (i = 0; i + 1 < nc; i++) {
			cat_pad(&x, b->rows[r].c[i], i + 2 < nc ? w[i] : 0);
			if (i + 2 < nc)
				cat_pad(&x, "", 2);
		}
		n = wrap(b->rows[r].c[nc - 1], TEXT_W - 8, &v);
		/* Keep the row's head with its text on one page. */
		if (width(x) > TEXT_W) {
			char **hv;
			size_t hn = wrap(x, TEXT_W, &hv);

			for (k = 0; k < hn; k++)
				line_add(l, hv[k], k == 0 && n + hn - 1 < 20 ?
				    (int)(n + hn - 1) : 0);
			free_strv(hv, hn);
		} else
			line_add(l, x, n < 20 ? (int)n : 0);
		free(x);
		for (k = 0; k < n; k++) {
			x = xstrdup("        ");
			cat_pad(&x, v[k], 0);
			line_add(l, x, 0);
			free(x);
		}
		free_strv(v, n);
	}
	free(w);
}

static void
text_table(struct lines *l, const struct blk *b)
{
	size_t nc = b->ncols, i, r, k, total, sep = 2, mark = 0;
	size_t *w = xcalloc(nc, sizeof(*w));

	for (r = 0; r < b->nrows; r++)
		if (b->rows[r].hl)
			mark = 2;
	/* Natural widths, then shrink the widest until it fits. */
	for (i = 0; i < nc; i++) {
		if (b->head != NULL && width(b->head[i]) > w[i])
			w[i] = width(b->head[i]);
		for (r = 0; r < b->nrows; r++)
			if (width(b->rows[r].c[i]) > w[i])
				w[i] = width(b->rows[r].c[i]);
		if (w[i] == 0)
			w[i] = 1;
	}
	if (b->kind == B_KV && w[0] > 28)
		w[0] = 28;
	for (;;) {
		size_t big = 0;

		total = mark;
		for (i = 0; i < nc; i++)
			total += w[i] + (i ? sep : 0);
		if (total <= TEXT_W)
			break;
		for (i = 1; i < nc; i++)
			if (w[i] > w[big])
				big = i;
		if (w[big] <= 6)
			break;
		w[big]--;
	}
	for (r = (b->head != NULL ? (size_t)-1 : 0); r == (size_t)-1 ||
	    r < b->nrows; r++) {
		char **cells = r == (size_t)-1 ? b->head : b->rows[r].c;
		char ***wr = xcalloc(nc, sizeof(*wr));
		size_t *nw = xcalloc(nc, sizeof(*nw)), h = 0;

		for (i = 0; i < nc; i++) {
			nw[i] = wrap(cells[i], w[i], &wr[i]);
			if (nw[i] > h)
				h = nw[i];
		}
		for (k = 0; k < h; k++) {
			char *x = xstrdup("");

			if (mark)
				cat_pad(&x, r != (size_t)-1 && b->rows[r].hl &&
				    k == 0 ? "!" : "", mark);
			for (i = 0; i < nc; i++) {
				if (i > 0)
					cat_pad(&x, "", sep);
				cat_pad(&x, k < nw[i] ? wr[i][k] : "",
				    i + 1 < nc ? w[i] : 0);
			}
			while (*x != '\0' && x[strlen(x) - 1] == ' ')
				x[strlen(x) - 1] = '\0';
			line_add(l, x, 0);
			free(x);
		}
		for (i = 0; i < nc; i++)
			free_strv(wr[i], nw[i]);
		free(wr);
		free(nw);
		if (r == (size_t)-1) {
			char *x = xstrdup("");

			for (i = 0; i < total && i < TEXT_W; i++)
				cat_pad(&x, "-", 1);
			line_add(l, x, 0);
			free(x);
		}
	}
	free(w);
}

static void
text_bars(struct lines *l, const struct blk *b)
{
	size_t lw = 0, vw = 0, i, bw;
	uint64_t max = 0;

	text_para(l, b->text, "");
	for (i = 0; i < b->nvals; i++) {
		if (width(b->labels[i]) > lw)
			lw = width(b->labels[i]);
		if (width(b->vtext[i]) > vw)
			vw = width(b->vtext[i]);
		if (b->vals[i] > max)
			max = b->vals[i];
	}
	if (lw > 24)
		lw = 24;
	bw = TEXT_W - lw - vw - 6;
	for (i = 0; i < b->nvals; i++) {
		char *x = xstrdup("  "), **lv;
		size_t n = max ? (size_t)((double)b->vals[i] / (double)max *
		    (double)bw + 0.5) : 0, k, nlv;

		nlv = wrap(b->labels[i], lw, &lv);
		cat_pad(&x, lv[0], lw);
		free_strv(lv, nlv);
		cat_pad(&x, " ", 1);
		for (k = 0; k < bw; k++)
			cat_pad(&x, k < n ? "#" : (k == 0 && b->vals[i] > 0 ?
			    "#" : " "), 1);
		cat_pad(&x, " ", 1);
		cat_pad(&x, b->vtext[i], 0);
		line_add(l, x, 0);
		free(x);
	}
}

static void
text_spark(struct lines *l, const struct blk *b)
{
	static const char ramp[] = " .:-=+*#%@";
	uint64_t max = 0, min = UINT64_MAX;
	size_t i;
	char *x = xstrdup("  ["), one[2] = { 0, 0 };

	text_para(l, b->text, "");
	for (i = 0; i < b->nvals; i++) {
		if (b->vals[i] > max)
			max = b->vals[i];
		if (b->vals[i] < min)
			min = b->vals[i];
	}
	for (i = 0; i < b->nvals && i < 70; i++) {
		size_t k = max > min ? (size_t)((b->vals[i] - min) * 9 /
		    (max - min)) : 9;

		one[0] = ramp[k];
		cat_pad(&x, one, 1);
	}
	cat_pad(&x, "]", 1);
	line_add(l, x, 0);
	free(x);
}

static void
text_body(const struct doc *d, struct lines *l)
{
	size_t i, j, k;

	for (i = 0; i < d->ns; i++) {
		const struct sect *s = &d->s[i];
		char *u = xstrdup("");

		if (i > 0)
			line_add(l, "", 0);
		line_add(l, s->title, 4);
		for (k = 0; k < width(s->title) && k < TEXT_W; k++)
			cat_pad(&u, "-", 1);
		line_add(l, u, 3);
		free(u);
		for (j = 0; j < s->nb; j++) {
			const struct blk *b = &s->b[j];

			line_add(l, "", 0);
			switch (b->kind) {
			case B_PARA:
				text_para(l, b->text, "");
				break;
			case B_ALERT:
				line_add(l, "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
				    "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!", 0);
				text_para(l, b->text, "!! ");
				line_add(l, "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
				    "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!", 0);
				break;
			case B_KV:
			case B_TABLE:
				if (b->nrows > 0 && b->stacked == 2)
					text_records(l, b);
				else if (b->nrows > 0 && b->stacked)
					text_stacked(l, b);
				else if (b->nrows > 0)
					text_table(l, b);
				break;
			case B_BARS:
				text_bars(l, b);
				break;
			case B_SPARK:
				text_spark(l, b);
				break;
			case B_SIGN:
				for (k = 0; k < b->nrows; k++) {
					char *x = xstrdup("");

					line_add(l, "", 0);
					cat_pad(&x, b->rows[k].c[0], 0);
					line_add(l, x, 0);
					free(x);
					line_add(l, L(d, "  Name: ____________________"
					    "____  Signature: ______________  Date: "
					    "__________", "  氏名：________________________"
					    "  署名：______________  日付：__________"), 0);
				}
				break;
			}
		}
	}
}

static void
text_head_line(FILE *f, const char *left, const char *right)
{
	char *x = xstrdup(""), **v;
	size_t rw = width(right), n;

	n = wrap(left, TEXT_W - rw - 2, &v);
	cat_pad(&x, v[0], TEXT_W - rw);
	cat_pad(&x, right, 0);
	fprintf(f, "%s\n", x);
	free_strv(v, n);
	free(x);
}

void
text_render(const struct doc *d, FILE *f)
{
	struct lines l = { NULL, NULL, 0 };	/* v, keep, n */
	size_t plen = d->o->page_lines >= 20 ? (size_t)d->o->page_lines : 66;
	size_t body = plen - 5, npages, i, p, at, npl;
	size_t *start, *pl;
	char *left, *right;

	text_body(d, &l);
	/*
	 * Paginate: pl holds the line numbers of each page in turn, start[p]
	 * where page p begins in pl. A heading does not end a page, and no
	 * page begins with a blank line.
	 */
	pl = xcalloc(l.n + 1, sizeof(*pl));
	start = xcalloc(l.n + 2, sizeof(*start));
	npages = 0;
	at = body;
	npl = 0;
	for (i = 0; i < l.n; i++) {
		if (at >= body || (l.keep[i] && (i == 0 || !l.keep[i - 1]) &&
		    at + l.keep[i] + 1 > body && at > 0)) {
			start[npages++] = npl;
			at = 0;
		}
		if (at == 0 && l.v[i][0] == '\0')
			continue;
		pl[npl++] = i;
		at++;
	}
	if (npages == 0)
		start[npages++] = 0;
	start[npages] = npl;
	for (p = 0; p < npages; p++) {
		char pg[64];
		size_t used;

		if (p > 0)
			fputc('\f', f);
		left = xasprintf("%s  %s", L(d, "INCIDENT REPORT", "インシデント報告書"),
		    d->id);
		text_head_line(f, left, d->tlp);
		free(left);
		text_head_line(f, d->kind, d->status);
		fputs("================================================"
		    "================================\n", f);
		used = 0;
		for (i = start[p]; i < start[p + 1]; i++, used++)
			fprintf(f, "%s\n", l.v[pl[i]]);
		for (; used < body; used++)
			fputc('\n', f);
		fputs("------------------------------------------------"
		    "--------------------------------\n", f);
		snprintf(pg, sizeof(pg), d->ja ? "%zu / %zu ページ" :
		    "page %zu of %zu", p + 1, npages);
		left = xasprintf("%s  %s  %s %s", d->tlp, d->id,
		    L(d, "as of", "最終記録"), d->asof);
		right = xstrdup(pg);
		text_head_line(f, left, right);
		free(left);
		free(right);
	}
	for (i = 0; i < l.n; i++)
		free(l.v[i]);
	free(l.v);
	free(l.keep);
	free(start);
	free(pl);
}
