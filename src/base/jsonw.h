/*
 * jsonw.h -- a small streaming JSON writer (RFC 8259) onto a FILE.
 *
 * Keeps a stack of open containers so commas and nesting come out right;
 * strings are escaped (control characters as \u00XX, invalid UTF-8 replaced
 * by U+FFFD), numbers are printed exactly (integers) or with %.6g-style
 * precision that round-trips to 1e-6 (doubles; NaN/inf become null).
 * Output is compact, or pretty with two-space indents.
 */
#ifndef KYOCHO_JSONW_H
#define KYOCHO_JSONW_H

#include <stdint.h>
#include <stdio.h>

#define JSONW_DEPTH 32

struct jsonw {
	FILE *f;
	int pretty;
	int depth;
	int first[JSONW_DEPTH];		/* no member written yet at this level */
	int after_key;			/* a key was written, its value is next */
};

void jsonw_init(struct jsonw *w, FILE *f, int pretty);
void jsonw_obj_open(struct jsonw *w);
void jsonw_obj_close(struct jsonw *w);
void jsonw_arr_open(struct jsonw *w);
void jsonw_arr_close(struct jsonw *w);
void jsonw_key(struct jsonw *w, const char *key);
void jsonw_str(struct jsonw *w, const char *s);
void jsonw_strn(struct jsonw *w, const char *s, size_t n);
void jsonw_u64(struct jsonw *w, uint64_t v);
void jsonw_i64(struct jsonw *w, int64_t v);
void jsonw_double(struct jsonw *w, double v);
void jsonw_bool(struct jsonw *w, int v);
void jsonw_null(struct jsonw *w);
/* Finish the document with a newline. */
void jsonw_end(struct jsonw *w);

/* Shorthands for "key": value. */
void jsonw_kstr(struct jsonw *w, const char *key, const char *s);
void jsonw_ku64(struct jsonw *w, const char *key, uint64_t v);
void jsonw_ki64(struct jsonw *w, const char *key, int64_t v);
void jsonw_kdouble(struct jsonw *w, const char *key, double v);
void jsonw_kbool(struct jsonw *w, const char *key, int v);

/* Escape s as a JSON string (with quotes) into buf; returns bytes written,
 * truncating at a character boundary. For building lines in memory. */
size_t json_escape(char *buf, size_t len, const char *s, size_t n);

#endif
