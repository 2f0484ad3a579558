/*
 * md.c -- the report as Markdown (CommonMark with GFM tables) for
 * tickets. All text from the model is escaped by md_escape(), so nothing
 * the journal holds becomes markup, a link or an autolink.
 */
#include "report/report_impl.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/*
 * Escape for CommonMark/GFM: every ASCII punctuation character is
 * backslash-escaped (so no emphasis, link, HTML, table cell or heading can
 * start), and URLs are defanged ("hxxp", "[.]" after www) so that GFM's
 * autolinker makes nothing from hostile text clickable.
 */
static void
md_escape(FILE *f, const char *s)
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
			md_escape(f, b->head[i]);
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
				md_escape(f, b->rows[r].c[0]);
				fputs("**", f);
			} else
				md_escape(f, b->rows[r].c[i]);
			fputs(" |", f);
		}
		fputc('\n', f);
	}
}

/* Bars as a three-column table: label, value, a bar of up to 30 blocks. */
static void
md_bars(FILE *f, const struct blk *b)
{
	uint64_t max = 0;
	size_t k, m;

	fputs("*", f);
	md_escape(f, b->text);
	fputs("*\n\n| | | |\n| --- | --- | --- |\n", f);
	for (k = 0; k < b->nvals; k++)
		if (b->vals[k] > max)
			max = b->vals[k];
	for (k = 0; k < b->nvals; k++) {
		size_t n = max ? (size_t)((double)b->vals[k] / (double)max *
		    30 + 0.5) : 0;

		fputs("| ", f);
		md_escape(f, b->labels[k]);
		fputs(" | ", f);
		md_escape(f, b->vtext[k]);
		fputs(" | ", f);
		for (m = 0; m < n; m++)
			fputs("█", f);
		fputs(" |\n", f);
	}
}

/* A sparkline of block elements after its caption. */
static void
md_spark(FILE *f, const struct blk *b)
{
	static const char *const bl[] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇",
	    "█" };
	uint64_t max = 0;
	size_t k;

	fputs("*", f);
	md_escape(f, b->text);
	fputs("*: ", f);
	for (k = 0; k < b->nvals; k++)
		if (b->vals[k] > max)
			max = b->vals[k];
	for (k = 0; k < b->nvals; k++)
		fputs(bl[max ? b->vals[k] * 7 / max : 0], f);
	fputc('\n', f);
}

static void
md_block(const struct doc *d, const struct blk *b, FILE *f)
{
	struct blk kv;
	char *head[2];
	size_t k;

	switch (b->kind) {
	case B_PARA:
		md_escape(f, b->text);
		fputc('\n', f);
		break;
	case B_ALERT:
		fputs("> **⚠ ", f);
		md_escape(f, b->text);
		fputs("**\n", f);
		break;
	case B_KV:
		/* GFM tables need a header row. */
		kv = *b;
		head[0] = (char *)L(d, "Field", "項目");
		head[1] = (char *)L(d, "Value", "内容");
		kv.head = head;
		md_table(f, &kv);
		break;
	case B_TABLE:
		if (b->nrows > 0)
			md_table(f, b);
		break;
	case B_BARS:
		md_bars(f, b);
		break;
	case B_SPARK:
		md_spark(f, b);
		break;
	case B_SIGN:
		for (k = 0; k < b->nrows; k++) {
			fputs("- **", f);
			md_escape(f, b->rows[k].c[0]);
			fputs("**: ", f);
			md_escape(f, L(d, "name ________ signature ________ "
			    "date ________", "氏名 ________ 署名 "
			    "________ 日付 ________"));
			fputc('\n', f);
		}
		break;
	}
}

void
md_render(const struct doc *d, FILE *f)
{
	size_t i, j;

	fputs("**", f);
	md_escape(f, d->tlp);
	fputs("**\n\n# ", f);
	md_escape(f, L(d, "Incident report", "インシデント報告書"));
	fputs(" ", f);
	md_escape(f, d->id);
	fputs("\n\n**", f);
	md_escape(f, d->kind);
	fputs("** \\-\\- ", f);
	md_escape(f, d->title);
	fputs("\n", f);
	for (i = 0; i < d->ns; i++) {
		const struct sect *s = &d->s[i];

		fputs("\n## ", f);
		md_escape(f, s->title);
		fputs("\n", f);
		for (j = 0; j < s->nb; j++) {
			fputc('\n', f);
			md_block(d, &s->b[j], f);
		}
	}
	fputs("\n---\n\n**", f);
	md_escape(f, d->tlp);
	fputs("** \\-\\- ", f);
	md_escape(f, d->id);
	fputs(" \\-\\- ", f);
	md_escape(f, L(d, "as of", "最終記録"));
	fputs(" ", f);
	md_escape(f, d->asof);
	fputc('\n', f);
}
