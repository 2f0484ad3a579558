/*
 * jsonw.c -- streaming JSON writer (RFC 8259). See jsonw.h.
 */
#include "base/jsonw.h"

#include <math.h>
#include <string.h>

#include "base/util.h"

void
jsonw_init(struct jsonw *w, FILE *f, int pretty)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	w->pretty = pretty;
	w->first[0] = 1;
}

static void
indent(struct jsonw *w)
{
	int i;

	if (!w->pretty)
		return;
	fputc('\n', w->f);
	for (i = 0; i < w->depth; i++)
		fputs("  ", w->f);
}

/* Before any value or key: the comma and indentation it needs. */
static void
sep(struct jsonw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth > 0) {
		if (!w->first[w->depth])
			fputc(',', w->f);
		w->first[w->depth] = 0;
		indent(w);
	}
}

static void
open_c(struct jsonw *w, int c)
{
	sep(w);
	fputc(c, w->f);
	if (w->depth + 1 >= JSONW_DEPTH)
		fatal("jsonw: nesting deeper than %d", JSONW_DEPTH);
	w->depth++;
	w->first[w->depth] = 1;
}

static void
close_c(struct jsonw *w, int c)
{
	int empty = w->first[w->depth];

	w->depth--;
	if (!empty)
		indent(w);
	fputc(c, w->f);
}

void jsonw_obj_open(struct jsonw *w) { open_c(w, '{'); }
void jsonw_obj_close(struct jsonw *w) { close_c(w, '}'); }
void jsonw_arr_open(struct jsonw *w) { open_c(w, '['); }
void jsonw_arr_close(struct jsonw *w) { close_c(w, ']'); }

size_t
json_escape(char *buf, size_t len, const char *s, size_t n)
{
	size_t in = 0, out = 0, k;
	uint32_t cp;
	char tmp[8];

	if (len < 3)
		return 0;
	buf[out++] = '"';
	while (in < n) {
		const char *piece = tmp;
		size_t plen;

		k = utf8_decode(s + in, n - in, &cp);
		if (k == 0) {
			piece = "\\ufffd";
			plen = 6;
			k = 1;
		} else if (cp == '"' || cp == '\\') {
			tmp[0] = '\\';
			tmp[1] = (char)cp;
			plen = 2;
		} else if (cp < 0x20 || cp == 0x7f) {
			plen = (size_t)snprintf(tmp, sizeof(tmp), "\\u%04x", cp);
		} else if (cp == 0x2028 || cp == 0x2029) {
			plen = (size_t)snprintf(tmp, sizeof(tmp), "\\u%04x", cp);
		} else {
			piece = s + in;
			plen = k;
		}
		if (out + plen + 2 > len)
			break;
		memcpy(buf + out, piece, plen);
		out += plen;
		in += k;
	}
	buf[out++] = '"';
	buf[out] = '\0';
	return out;
}

void
jsonw_strn(struct jsonw *w, const char *s, size_t n)
{
	char buf[1024];
	size_t in = 0;

	sep(w);
	/* Stream long strings piecewise, without cutting a character. */
	fputc('"', w->f);
	while (in < n) {
		size_t chunk = n - in, out;

		if (chunk > 200)
			chunk = 200;
		/* extend to a character boundary */
		while (in + chunk < n && (s[in + chunk] & 0xc0) == 0x80 &&
		    chunk < 204)
			chunk++;
		out = json_escape(buf, sizeof(buf), s + in, chunk);
		fwrite(buf + 1, 1, out - 2, w->f);
		in += chunk;
	}
	fputc('"', w->f);
}

void
jsonw_str(struct jsonw *w, const char *s)
{
	if (s == NULL)
		jsonw_null(w);
	else
		jsonw_strn(w, s, strlen(s));
}

void
jsonw_key(struct jsonw *w, const char *key)
{
	jsonw_str(w, key);
	fputc(':', w->f);
	if (w->pretty)
		fputc(' ', w->f);
	w->after_key = 1;
}

void
jsonw_u64(struct jsonw *w, uint64_t v)
{
	sep(w);
	fprintf(w->f, "%llu", (unsigned long long)v);
}

void
jsonw_i64(struct jsonw *w, int64_t v)
{
	sep(w);
	fprintf(w->f, "%lld", (long long)v);
}

void
jsonw_double(struct jsonw *w, double v)
{
	sep(w);
	if (!isfinite(v))
		fputs("null", w->f);
	else if (v == (double)(int64_t)v && fabs(v) < 1e15)
		fprintf(w->f, "%lld", (long long)v);
	else
		fprintf(w->f, "%.6f", v);
}

void
jsonw_bool(struct jsonw *w, int v)
{
	sep(w);
	fputs(v ? "true" : "false", w->f);
}

void
jsonw_null(struct jsonw *w)
{
	sep(w);
	fputs("null", w->f);
}

void
jsonw_end(struct jsonw *w)
{
	fputc('\n', w->f);
}

void jsonw_kstr(struct jsonw *w, const char *k, const char *s) { jsonw_key(w, k); jsonw_str(w, s); }
void jsonw_ku64(struct jsonw *w, const char *k, uint64_t v) { jsonw_key(w, k); jsonw_u64(w, v); }
void jsonw_ki64(struct jsonw *w, const char *k, int64_t v) { jsonw_key(w, k); jsonw_i64(w, v); }
void jsonw_kdouble(struct jsonw *w, const char *k, double v) { jsonw_key(w, k); jsonw_double(w, v); }
void jsonw_kbool(struct jsonw *w, const char *k, int v) { jsonw_key(w, k); jsonw_bool(w, v); }
