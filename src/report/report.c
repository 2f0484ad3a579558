/*
 * report.c -- incident reports in text, Markdown and HTML. See report.h.
 *
 * The report is built in two steps. First the journal is read into a
 * small document model that knows nothing of formats: sections holding
 * paragraphs, key/value lists, tables (rows may be highlighted), bar
 * charts, sparklines, warnings and sign-off lines. Every string enters the
 * model through txt(), which turns line breaks and tabs into spaces and
 * sanitizes the rest (no control characters, no bidi overrides, valid
 * UTF-8). Then one renderer per format walks the model and escapes for its
 * format. Nothing reads the clock: the report's "as of" time is the
 * journal's last event.
 */
#include "report/report_impl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/fmt.h"
#include "time/tz.h"
#include "base/util.h"
#include "base/wrap.h"

#define TEXT_W		80

/* ---- text --------------------------------------------------------------- */

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

static void
render_text(const struct doc *d, FILE *f)
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

/* ---- Markdown ----------------------------------------------------------- */

/*
 * Escape for CommonMark/GFM: every ASCII punctuation character is
 * backslash-escaped (so no emphasis, link, HTML, table cell or heading can
 * start), and URLs are defanged ("hxxp", "[.]" after www) so that GFM's
 * autolinker makes nothing from hostile text clickable.
 */
static void
md(FILE *f, const char *s)
{
	size_t i, n = strlen(s);

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((n - i >= 4 && (strncmp(s + i, "http", 4) == 0 ||
		    strncmp(s + i, "HTTP", 4) == 0)) || (n - i >= 3 &&
		    strncasecmp(s + i, "ftp", 3) == 0 && s[i + 3] == ':')) {
			fputc(s[i] == 'h' || s[i] == 'H' ? 'h' : 'f', f);
			fputs(s[i] == 'f' || s[i] == 'F' ? "xp" : "xxp", f);
			i += s[i] == 'f' || s[i] == 'F' ? 2 : 3;
			continue;
		}
		if (n - i >= 4 && strncasecmp(s + i, "www.", 4) == 0) {
			fwrite(s + i, 1, 3, f);
			fputs("\\[.\\]", f);
			i += 3;
			continue;
		}
		if (c == '@') {
			fputs("\\[@\\]", f);	/* no mailto autolinks */
			continue;
		}
		if (c < 0x80 && strchr("\\`*_{}[]()#+-.!|<>~&\"'=:;$%^,/?", c)
		    != NULL && c != 0)
			fputc('\\', f);
		fputc(c, f);
	}
}

static void
md_table(FILE *f, const struct blk *b)
{
	size_t i, r;

	fputs("|", f);
	for (i = 0; i < b->ncols; i++) {
		fputc(' ', f);
		if (b->head != NULL)
			md(f, b->head[i]);
		fputs(" |", f);
	}
	fputs("\n|", f);
	for (i = 0; i < b->ncols; i++)
		fputs(" --- |", f);
	fputc('\n', f);
	for (r = 0; r < b->nrows; r++) {
		fputs("|", f);
		for (i = 0; i < b->ncols; i++) {
			fputc(' ', f);
			if (b->rows[r].hl && i == 0)
				fputs("**⚠** ", f);
			if (b->kind == B_KV && i == 0 && *b->rows[r].c[0]) {
				fputs("**", f);
				md(f, b->rows[r].c[0]);
				fputs("**", f);
			} else
				md(f, b->rows[r].c[i]);
			fputs(" |", f);
		}
		fputc('\n', f);
	}
}

static void
render_md(const struct doc *d, FILE *f)
{
	size_t i, j, k;

	fputs("**", f);
	md(f, d->tlp);
	fputs("**\n\n# ", f);
	md(f, L(d, "Incident report", "インシデント報告書"));
	fputs(" ", f);
	md(f, d->id);
	fputs("\n\n**", f);
	md(f, d->kind);
	fputs("** \\-\\- ", f);
	md(f, d->title);
	fputs("\n", f);
	for (i = 0; i < d->ns; i++) {
		const struct sect *s = &d->s[i];

		fputs("\n## ", f);
		md(f, s->title);
		fputs("\n", f);
		for (j = 0; j < s->nb; j++) {
			const struct blk *b = &s->b[j];

			fputc('\n', f);
			switch (b->kind) {
			case B_PARA:
				md(f, b->text);
				fputc('\n', f);
				break;
			case B_ALERT:
				fputs("> **⚠ ", f);
				md(f, b->text);
				fputs("**\n", f);
				break;
			case B_KV: {
				struct blk kv = *b;
				char *h[2];

				h[0] = (char *)L(d, "Field", "項目");
				h[1] = (char *)L(d, "Value", "内容");
				kv.head = h;
				md_table(f, &kv);
				break;
			}
			case B_TABLE:
				if (b->nrows > 0)
					md_table(f, b);
				break;
			case B_BARS: {
				uint64_t max = 0;

				fputs("*", f);
				md(f, b->text);
				fputs("*\n\n| | | |\n| --- | --- | --- |\n", f);
				for (k = 0; k < b->nvals; k++)
					if (b->vals[k] > max)
						max = b->vals[k];
				for (k = 0; k < b->nvals; k++) {
					size_t n = max ? (size_t)((double)b->vals[k] /
					    (double)max * 30 + 0.5) : 0, m;

					fputs("| ", f);
					md(f, b->labels[k]);
					fputs(" | ", f);
					md(f, b->vtext[k]);
					fputs(" | ", f);
					for (m = 0; m < n; m++)
						fputs("█", f);
					fputs(" |\n", f);
				}
				break;
			}
			case B_SPARK: {
				static const char *const bl[] = { "▁", "▂", "▃",
				    "▄", "▅", "▆", "▇", "█" };
				uint64_t max = 0;

				fputs("*", f);
				md(f, b->text);
				fputs("*: ", f);
				for (k = 0; k < b->nvals; k++)
					if (b->vals[k] > max)
						max = b->vals[k];
				for (k = 0; k < b->nvals; k++)
					fputs(bl[max ? b->vals[k] * 7 / max : 0], f);
				fputc('\n', f);
				break;
			}
			case B_SIGN:
				for (k = 0; k < b->nrows; k++) {
					fputs("- **", f);
					md(f, b->rows[k].c[0]);
					fputs("**: ", f);
					md(f, L(d, "name ________ signature ________ "
					    "date ________", "氏名 ________ 署名 "
					    "________ 日付 ________"));
					fputc('\n', f);
				}
				break;
			}
		}
	}
	fputs("\n---\n\n**", f);
	md(f, d->tlp);
	fputs("** \\-\\- ", f);
	md(f, d->id);
	fputs(" \\-\\- ", f);
	md(f, L(d, "as of", "最終記録"));
	fputs(" ", f);
	md(f, d->asof);
	fputc('\n', f);
}

/* ---- HTML --------------------------------------------------------------- */

static void
h(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
	}
}

/* A CSS string literal: anything but letters, digits, space and UTF-8
 * is written as a hex escape, so nothing can end the string. */
static void
css_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == ' ' || c >= 0x80)
			fputc(c, f);
		else
			fprintf(f, "\\%x ", c);
	}
	fputc('"', f);
}

static const char *
tlp_class(const char *tlp)
{
	if (strcmp(tlp, "TLP:RED") == 0)
		return "tlp-red";
	if (strncmp(tlp, "TLP:AMBER", 9) == 0)
		return "tlp-amber";
	if (strcmp(tlp, "TLP:GREEN") == 0)
		return "tlp-green";
	return "tlp-clear";
}

static void
html_table(FILE *f, const struct blk *b)
{
	size_t i, r;

	fprintf(f, "<table class=\"%s%s%s\">\n", b->kind == B_KV ? "kv" :
	    "grid", b->cls != NULL ? " " : "", b->cls != NULL ? b->cls : "");
	if (b->head != NULL) {
		fputs("<thead><tr>", f);
		for (i = 0; i < b->ncols; i++) {
			fputs("<th>", f);
			h(f, b->head[i]);
			fputs("</th>", f);
		}
		fputs("</tr></thead>\n", f);
	}
	fputs("<tbody>\n", f);
	for (r = 0; r < b->nrows; r++) {
		fputs(b->rows[r].hl ? "<tr class=\"hl\">" : "<tr>", f);
		for (i = 0; i < b->ncols; i++) {
			fputs(b->kind == B_KV && i == 0 ? "<th>" : "<td>", f);
			if (b->rows[r].hl && i == 0)
				fputs("<span class=\"warn\">&#9888;</span> ", f);
			h(f, b->rows[r].c[i]);
			fputs(b->kind == B_KV && i == 0 ? "</th>" : "</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table>\n", f);
}

static void
html_bars(FILE *f, const struct blk *b)
{
	size_t k, lw = 150, bw = 380, rh = 22;
	size_t hgt = b->nvals * rh + 8;
	uint64_t max = 0;

	for (k = 0; k < b->nvals; k++)
		if (b->vals[k] > max)
			max = b->vals[k];
	fputs("<figure><figcaption>", f);
	h(f, b->text);
	fprintf(f, "</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"640\" height=\"%zu\" viewBox=\"0 0 640 %zu\" role=\"img\">\n",
	    hgt, hgt);
	for (k = 0; k < b->nvals; k++) {
		size_t y = 4 + k * rh;
		double w = max ? (double)b->vals[k] / (double)max * (double)bw : 0;

		if (b->vals[k] > 0 && w < 1)
			w = 1;
		fprintf(f, "<text x=\"%zu\" y=\"%zu\" text-anchor=\"end\" "
		    "class=\"lbl\">", lw - 8, y + 15);
		h(f, b->labels[k]);
		fprintf(f, "</text><rect x=\"%zu\" y=\"%zu\" width=\"%.1f\" "
		    "height=\"16\" class=\"bar\"/>", lw, y + 2, w);
		fprintf(f, "<text x=\"%.1f\" y=\"%zu\" class=\"val\">", (double)lw +
		    w + 6, y + 15);
		h(f, b->vtext[k]);
		fputs("</text>\n", f);
	}
	fputs("</svg></figure>\n", f);
}

static void
html_spark(FILE *f, const struct blk *b)
{
	uint64_t max = 0;
	size_t k;

	for (k = 0; k < b->nvals; k++)
		if (b->vals[k] > max)
			max = b->vals[k];
	fputs("<figure><figcaption>", f);
	h(f, b->text);
	fputs("</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"640\" height=\"80\" viewBox=\"0 0 640 80\" role=\"img\">"
	    "<polyline class=\"spark\" points=\"", f);
	for (k = 0; k < b->nvals; k++)
		fprintf(f, "%s%.1f,%.1f", k ? " " : "", b->nvals > 1 ?
		    10.0 + 620.0 * (double)k / (double)(b->nvals - 1) : 320.0,
		    max ? 75.0 - 70.0 * (double)b->vals[k] / (double)max : 75.0);
	fputs("\"/></svg></figure>\n", f);
}

static const char css[] =
"@page { size: A4; margin: 22mm 16mm 20mm 16mm; }\n"
"* { box-sizing: border-box; }\n"
"body { font-family: 'Noto Sans', 'DejaVu Sans', 'IPAexGothic', 'IPAPGothic', "
"'Noto Sans CJK JP', sans-serif; font-size: 9.5pt; line-height: 1.45; "
"color: #111; margin: 0; }\n"
"html:lang(ja) body { font-family: 'IPAexGothic', 'IPAPGothic', 'IPAGothic', "
"'Noto Sans CJK JP', 'DejaVu Sans', sans-serif; }\n"
".tlp { font-weight: bold; padding: 0.6mm 2.2mm; background: #000; "
"font-family: 'DejaVu Sans Mono', monospace; letter-spacing: 0.02em; }\n"
".tlp-red { color: #FF2B2B; } .tlp-amber { color: #FFC000; } "
".tlp-green { color: #33FF00; } .tlp-clear { color: #FFFFFF; }\n"
"header.cover { border-bottom: 2pt solid #1f3b63; margin-bottom: 5mm; "
"padding-bottom: 3mm; }\n"
"header.cover .doc { font-size: 10pt; color: #1f3b63; letter-spacing: 0.08em; "
"text-transform: uppercase; margin: 0; }\n"
"header.cover h1 { font-size: 19pt; margin: 1mm 0 1mm 0; }\n"
"header.cover .sub { font-size: 11pt; color: #333; margin: 0; }\n"
"section { margin-bottom: 6mm; }\n"
"section.newpage { break-before: page; }\n"
"h2 { font-size: 13pt; color: #1f3b63; border-bottom: 0.8pt solid #1f3b63; "
"padding-bottom: 1mm; margin: 0 0 3mm 0; break-after: avoid; }\n"
"p { margin: 0 0 2.5mm 0; }\n"
"table { border-collapse: collapse; width: 100%; margin: 0 0 4mm 0; "
"font-size: 8.5pt; }\n"
"thead { display: table-header-group; }\n"
"tr { break-inside: avoid; }\n"
"table.grid th { background: #e6ebf2; text-align: left; border: 0.4pt solid #9aa8bb; "
"padding: 1.2mm 1.6mm; }\n"
"table.grid td { border: 0.4pt solid #c2cad6; padding: 1.2mm 1.6mm; "
"vertical-align: top; overflow-wrap: anywhere; }\n"
"table.grid tbody tr:nth-child(even) td { background: #f6f8fb; }\n"
"table.kv th { text-align: left; width: 32%; font-weight: 600; color: #333; "
"padding: 0.9mm 2mm 0.9mm 0; border-bottom: 0.4pt solid #dde2ea; vertical-align: top; }\n"
"table.kv td { padding: 0.9mm 0; border-bottom: 0.4pt solid #dde2ea; "
"overflow-wrap: anywhere; }\n"
"tr.hl td, tr.hl th, table.grid tbody tr.hl:nth-child(even) td { "
"background: #fde2e1; color: #7a0b07; font-weight: 600; }\n"
".warn { color: #b3261e; }\n"
"table.tl td:nth-child(1) { width: 1%; white-space: nowrap; } "
"table.tl td:nth-last-child(2) { width: 10%; } "
"table.tl td:nth-child(2), table.tl td:nth-child(3) { white-space: nowrap; width: 1%; }\n"
"table.cl td:nth-child(1) { width: 44%; } table.cl td:nth-child(2) { width: 12%; } "
"table.cl td:nth-child(3) { width: 17%; } table.cl td:nth-child(4) { width: 27%; }\n"
".alert { border: 1.5pt solid #b3261e; background: #fdecea; color: #7a0b07; "
"padding: 2.5mm 3mm; margin: 0 0 4mm 0; font-weight: 600; break-inside: avoid; }\n"
"figure { margin: 0 0 4mm 0; break-inside: avoid; }\n"
"figcaption { font-size: 8.5pt; color: #333; margin-bottom: 1mm; font-weight: 600; }\n"
"svg .bar { fill: #1f5fa8; } svg .lbl, svg .val { font-size: 10px; fill: #222; "
"font-family: inherit; }\n"
"svg .spark { fill: none; stroke: #1f5fa8; stroke-width: 2; }\n"
".sign { display: grid; grid-template-columns: 1fr 1fr; gap: 8mm 10mm; "
"margin-top: 4mm; }\n"
".sign { margin-bottom: 6mm; }\n"
".sign > div { font-size: 8.5pt; font-weight: 600; break-inside: avoid; }\n"
".sign .line { height: 14mm; border-bottom: 0.6pt solid #333; }\n"
".sign span { display: block; color: #555; margin-top: 1mm; font-weight: normal; }\n"
"@media screen { body { max-width: 190mm; margin: 10mm auto; } }\n";

static void
render_html(const struct doc *d, FILE *f)
{
	size_t i, j, k;
	const char *tc = tlp_class(d->tlp);

	fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
	    "'none'; style-src 'unsafe-inline'; img-src data:\">\n<title>",
	    d->ja ? "ja" : "en");
	h(f, d->tlp);
	fputs(" ", f);
	h(f, d->id);
	fputs(" ", f);
	h(f, d->title);
	fprintf(f, "</title>\n<style>\n%s", css);
	/* Running header and footer in the page margins, on every page. */
	{
		char *top = xasprintf("%s \xc2\xb7 %s \xc2\xb7 %s",
		    L(d, "Incident report", "インシデント報告書"), d->id, d->kind);
		char *bot = xasprintf("%s \xc2\xb7 %s %s", d->id,
		    L(d, "as of", "最終記録"), d->asof);

		fputs("@page { @top-left { content: ", f);
		css_str(f, top);
		fputs("; font-size: 8pt; color: #333; vertical-align: bottom; "
		    "padding-bottom: 3mm; }\n  @top-right { content: ", f);
		css_str(f, d->tlp);
		fputs("; font-size: 10pt; font-weight: bold; color: #000; "
		    "vertical-align: bottom; padding-bottom: 3mm; "
		    "font-family: 'DejaVu Sans Mono', monospace; }\n"
		    "  @bottom-left { content: ", f);
		css_str(f, d->tlp);
		fputs(" \"  \" ", f);
		css_str(f, bot);
		fputs("; font-size: 8pt; color: #333; vertical-align: top; "
		    "padding-top: 3mm; }\n  @bottom-right { content: ", f);
		css_str(f, d->ja ? "ページ " : "Page ");
		fputs(" counter(page) ", f);
		css_str(f, " / ");
		fputs(" counter(pages); font-size: 8pt; color: #333; "
		    "vertical-align: top; padding-top: 3mm; } }\n", f);
		free(top);
		free(bot);
	}
	fputs("</style>\n</head>\n<body>\n", f);
	fputs("<header class=\"cover\"><p class=\"doc\">", f);
	h(f, L(d, "Incident report", "インシデント報告書"));
	fputs(" &#183; ", f);
	h(f, d->id);
	fputs("</p>\n<h1>", f);
	h(f, d->title);
	fputs("</h1>\n<p class=\"sub\">", f);
	h(f, d->kind);
	fputs(" &#183; ", f);
	h(f, d->status);
	fprintf(f, " &#183; <span class=\"tlp %s\">", tc);
	h(f, d->tlp);
	fputs("</span></p></header>\n", f);
	for (i = 0; i < d->ns; i++) {
		const struct sect *s = &d->s[i];

		fprintf(f, "<section%s>\n<h2>", s->newpage ?
		    " class=\"newpage\"" : "");
		h(f, s->title);
		fputs("</h2>\n", f);
		for (j = 0; j < s->nb; j++) {
			const struct blk *b = &s->b[j];

			switch (b->kind) {
			case B_PARA:
				fputs("<p>", f);
				h(f, b->text);
				fputs("</p>\n", f);
				break;
			case B_ALERT:
				fputs("<div class=\"alert\">&#9888; ", f);
				h(f, b->text);
				fputs("</div>\n", f);
				break;
			case B_KV:
			case B_TABLE:
				if (b->nrows > 0)
					html_table(f, b);
				break;
			case B_BARS:
				html_bars(f, b);
				break;
			case B_SPARK:
				html_spark(f, b);
				break;
			case B_SIGN:
				fputs("<div class=\"sign\">\n", f);
				for (k = 0; k < b->nrows; k++) {
					fputs("<div>", f);
					h(f, b->rows[k].c[0]);
					fputs("<div class=\"line\"></div><span>", f);
					h(f, L(d, "Name / signature / date",
					    "氏名・署名・日付"));
					fputs("</span></div>\n", f);
				}
				fputs("</div>\n", f);
				break;
			}
		}
		fputs("</section>\n", f);
	}
	fputs("</body>\n</html>\n", f);
}

/* ---- entry -------------------------------------------------------------- */

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
		render_text(&d, f);
		break;
	case REPORT_MD:
		render_md(&d, f);
		break;
	case REPORT_HTML:
		render_html(&d, f);
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
	int n = 0, st;
	pid_t pid;

	argv[n++] = (char *)(lpr != NULL ? lpr : "lpr");
	if (printer != NULL && *printer != '\0') {
		argv[n++] = "-P";
		argv[n++] = (char *)printer;
	}
	argv[n++] = (char *)path;
	argv[n] = NULL;
	if ((pid = fork()) < 0)
		return err_set(errbuf, "fork: %s", strerror(errno));
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return err_set(errbuf, "waitpid: %s", strerror(errno));
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		return err_set(errbuf, "%s could not be run (is a print system "
		    "such as CUPS installed?)", argv[0]);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return err_set(errbuf, "%s failed (status %d)", argv[0],
		    WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
