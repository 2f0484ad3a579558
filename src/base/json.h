/*
 * json.h -- a JSON parser (RFC 8259) for hostile input, producing a small
 * DOM. The writer is jsonw.h.
 *
 * The parser takes a bounded buffer (not NUL-terminated), enforces a depth
 * limit and a size limit, and on error reports the exact byte offset of the
 * fault. Strings are validated UTF-8 with \u escapes decoded (surrogate
 * pairs must pair up; a lone surrogate is an error). Numbers that are
 * integers (no fraction, no exponent) and fit an int64 are JSON_INT; all
 * others are JSON_DOUBLE. Objects keep their members in document order;
 * duplicate keys are rejected (a journal line with two "type"s is damage)
 * and an object holds at most 4096 members.
 */
#ifndef KYOCHO_JSON_H
#define KYOCHO_JSON_H

#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH	64		/* nesting of arrays and objects */
#define JSON_MAX_LEN	(16u << 20)	/* bytes of input */

enum json_type {
	JSON_NULL = 0,
	JSON_BOOL,
	JSON_INT,
	JSON_DOUBLE,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

struct json {
	enum json_type type;
	int b;			/* JSON_BOOL */
	int64_t i;		/* JSON_INT */
	double d;		/* JSON_DOUBLE (and JSON_INT as a double) */
	char *s;		/* JSON_STRING: NUL-terminated, may hold \0 */
	size_t slen;		/* JSON_STRING: bytes in s */
	size_t n;		/* JSON_ARRAY / JSON_OBJECT: members */
	struct json *v;		/* the n member values */
	char **k;		/* JSON_OBJECT: the n keys */
};

/*
 * Parse exactly one JSON text in p[0..len) (surrounding whitespace allowed).
 * maxdepth 0 means JSON_MAX_DEPTH. Returns a new tree (free with
 * json_free), or NULL with *erroff (may be NULL) the byte offset of the
 * fault and errbuf saying what is wrong ("offset 17: expected ':'").
 */
struct json *json_parse(const char *p, size_t len, unsigned maxdepth,
    size_t *erroff, char *errbuf);
void json_free(struct json *j);

/* Accessors; all accept NULL and a value of the wrong type. */
/* The member named key of an object, or NULL. */
const struct json *json_get(const struct json *o, const char *key);
/* Element i of an array, or NULL. */
const struct json *json_at(const struct json *a, size_t i);
/* Members of an array or object; 0 for anything else. */
size_t json_len(const struct json *a);
/* The string member key (or def when absent or not a string). */
const char *json_gets(const struct json *o, const char *key, const char *def);
/* The integer member key (or def when absent or not an integer). */
int64_t json_geti(const struct json *o, const char *key, int64_t def);
/* The integer member key if it is an integer >= 0, else def (counters
 * from a hostile journal are never negative). */
uint64_t json_getu(const struct json *o, const char *key, uint64_t def);
/* The number member key as a double (integers too), or def. */
double json_getd(const struct json *o, const char *key, double def);
/* The bool member key, or def. */
int json_getb(const struct json *o, const char *key, int def);
/* A string value's text, or def. */
const char *json_str(const struct json *j, const char *def);

#endif
