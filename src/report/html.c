/*
 * html.c -- the report as one self-contained HTML page: print CSS (A4,
 * running header and footer with the TLP label and page numbers, page
 * breaks between parts), inline SVG charts, no scripts, and a Content
 * Security Policy that loads nothing. All text from the model is escaped
 * by html_escape() (or css_str() inside the style sheet).
 */
#include "report/report_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

static void
html_escape(FILE *f, const char *s)
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
			html_escape(f, b->head[i]);
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
			html_escape(f, b->rows[r].c[i]);
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
	html_escape(f, b->text);
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
		html_escape(f, b->labels[k]);
		fprintf(f, "</text><rect x=\"%zu\" y=\"%zu\" width=\"%.1f\" "
		    "height=\"16\" class=\"bar\"/>", lw, y + 2, w);
		fprintf(f, "<text x=\"%.1f\" y=\"%zu\" class=\"val\">", (double)lw +
		    w + 6, y + 15);
		html_escape(f, b->vtext[k]);
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
	html_escape(f, b->text);
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

/* The running header and footer in the page margins, on every page: the
 * report and incident, the TLP label, "as of", page n / m. */
static void
html_page_css(const struct doc *d, FILE *f)
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

/* From the doctype to the end of the cover header. */
static void
html_head(const struct doc *d, FILE *f)
{
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
	    "'none'; style-src 'unsafe-inline'; img-src data:\">\n<title>",
	    d->ja ? "ja" : "en");
	html_escape(f, d->tlp);
	fputs(" ", f);
	html_escape(f, d->id);
	fputs(" ", f);
	html_escape(f, d->title);
	fprintf(f, "</title>\n<style>\n%s", css);
	html_page_css(d, f);
	fputs("</style>\n</head>\n<body>\n", f);
	fputs("<header class=\"cover\"><p class=\"doc\">", f);
	html_escape(f, L(d, "Incident report", "インシデント報告書"));
	fputs(" &#183; ", f);
	html_escape(f, d->id);
	fputs("</p>\n<h1>", f);
	html_escape(f, d->title);
	fputs("</h1>\n<p class=\"sub\">", f);
	html_escape(f, d->kind);
	fputs(" &#183; ", f);
	html_escape(f, d->status);
	fprintf(f, " &#183; <span class=\"tlp %s\">", tlp_class(d->tlp));
	html_escape(f, d->tlp);
	fputs("</span></p></header>\n", f);
}

static void
html_block(const struct doc *d, const struct blk *b, FILE *f)
{
	size_t k;

	switch (b->kind) {
	case B_PARA:
		fputs("<p>", f);
		html_escape(f, b->text);
		fputs("</p>\n", f);
		break;
	case B_ALERT:
		fputs("<div class=\"alert\">&#9888; ", f);
		html_escape(f, b->text);
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
			html_escape(f, b->rows[k].c[0]);
			fputs("<div class=\"line\"></div><span>", f);
			html_escape(f, L(d, "Name / signature / date",
			    "氏名・署名・日付"));
			fputs("</span></div>\n", f);
		}
		fputs("</div>\n", f);
		break;
	}
}

void
html_render(const struct doc *d, FILE *f)
{
	size_t i, j;

	html_head(d, f);
	for (i = 0; i < d->ns; i++) {
		const struct sect *s = &d->s[i];

		fprintf(f, "<section%s>\n<h2>", s->newpage ?
		    " class=\"newpage\"" : "");
		html_escape(f, s->title);
		fputs("</h2>\n", f);
		for (j = 0; j < s->nb; j++)
			html_block(d, &s->b[j], f);
		fputs("</section>\n", f);
	}
	fputs("</body>\n</html>\n", f);
}
