/*
 * json.c -- JSON parser (RFC 8259) for hostile input. See json.h.
 *
 * A recursive-descent parser over a bounded cursor: every read checks the
 * remaining length, recursion is bounded by the depth limit, and the number
 * of values by JSON_MAX_NODES, so memory stays proportional to a small
 * multiple of the input. Errors carry the byte offset of the fault.
 */
#include "base/json.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

#define JSON_MAX_NODES	(1u << 18)
#define NUM_MAX		512	/* characters in one number */
#define OBJ_MAX		4096	/* members of one object (duplicate check) */

struct cur {
	const char *p;
	size_t len, off;
	unsigned depth, maxdepth;
	size_t nodes;
	size_t erroff;
	char *errbuf;
	int failed;
};

static int
fail(struct cur *c, size_t off, const char *what)
{
	if (!c->failed) {
		c->failed = 1;
		c->erroff = off;
		err_set(c->errbuf, "offset %zu: %s", off, what);
	}
	return -1;
}

static void
ws(struct cur *c)
{
	while (c->off < c->len) {
		char ch = c->p[c->off];

		if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r')
			break;
		c->off++;
	}
}

static int
lit(struct cur *c, const char *word)
{
	size_t n = strlen(word), i;

	for (i = 0; i < n; i++)
		if (c->off + i >= c->len || c->p[c->off + i] != word[i])
			return fail(c, c->off + i, "invalid literal");
	c->off += n;
	return 0;
}

static int
hex4(struct cur *c, uint32_t *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < 4; i++) {
		char ch;

		if (c->off >= c->len)
			return fail(c, c->off, "truncated \\u escape");
		ch = c->p[c->off];
		*v <<= 4;
		if (ch >= '0' && ch <= '9')
			*v |= (uint32_t)(ch - '0');
		else if (ch >= 'a' && ch <= 'f')
			*v |= (uint32_t)(ch - 'a' + 10);
		else if (ch >= 'A' && ch <= 'F')
			*v |= (uint32_t)(ch - 'A' + 10);
		else
			return fail(c, c->off, "invalid hex digit in \\u escape");
		c->off++;
	}
	return 0;
}

static size_t
utf8_put(char *d, uint32_t cp)
{
	if (cp < 0x80) {
		d[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		d[0] = (char)(0xc0 | cp >> 6);
		d[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		d[0] = (char)(0xe0 | cp >> 12);
		d[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		d[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	d[0] = (char)(0xf0 | cp >> 18);
	d[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	d[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	d[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * A string at c->off (on the opening quote). The decoded text is never
 * longer than the source, so one allocation of the source span suffices.
 */
static int
string(struct cur *c, char **out, size_t *outlen)
{
	size_t start, end, n = 0;
	char *d;

	start = ++c->off;
	/* Find the closing quote first, to size the buffer. */
	for (end = start; end < c->len; end++) {
		if (c->p[end] == '\\') {
			end++;
			continue;
		}
		if (c->p[end] == '"')
			break;
	}
	if (end >= c->len)
		return fail(c, c->len, "unterminated string");
	d = xmalloc(end - start + 1);
	while (c->off < end) {
		unsigned char ch = (unsigned char)c->p[c->off];
		uint32_t cp, lo;
		size_t k;

		if (ch < 0x20) {
			free(d);
			return fail(c, c->off, "control character in string");
		}
		if (ch != '\\') {
			k = utf8_decode(c->p + c->off, end - c->off, &cp);
			if (k == 0) {
				free(d);
				return fail(c, c->off, "invalid UTF-8 in string");
			}
			memcpy(d + n, c->p + c->off, k);
			n += k;
			c->off += k;
			continue;
		}
		c->off++;
		switch (c->p[c->off]) {
		case '"': d[n++] = '"'; break;
		case '\\': d[n++] = '\\'; break;
		case '/': d[n++] = '/'; break;
		case 'b': d[n++] = '\b'; break;
		case 'f': d[n++] = '\f'; break;
		case 'n': d[n++] = '\n'; break;
		case 'r': d[n++] = '\r'; break;
		case 't': d[n++] = '\t'; break;
		case 'u':
			c->off++;
			if (hex4(c, &cp) != 0) {
				free(d);
				return -1;
			}
			if (cp >= 0xdc00 && cp <= 0xdfff) {
				free(d);
				return fail(c, c->off - 6, "lone low surrogate");
			}
			if (cp >= 0xd800 && cp <= 0xdbff) {
				size_t at = c->off - 6;

				if (c->off + 1 >= end || c->p[c->off] != '\\' ||
				    c->p[c->off + 1] != 'u') {
					free(d);
					return fail(c, at, "high surrogate not "
					    "followed by a low surrogate");
				}
				c->off += 2;
				if (hex4(c, &lo) != 0) {
					free(d);
					return -1;
				}
				if (lo < 0xdc00 || lo > 0xdfff) {
					free(d);
					return fail(c, at, "high surrogate not "
					    "followed by a low surrogate");
				}
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
			/* \uXXXX is 6 source bytes, at most 4 decoded (and a
			 * pair is 12 for 4): the buffer never overflows. */
			n += utf8_put(d + n, cp);
			continue;
		default:
			free(d);
			return fail(c, c->off, "invalid escape in string");
		}
		c->off++;
	}
	c->off = end + 1;
	d[n] = '\0';
	*out = d;
	*outlen = n;
	return 0;
}

static locale_t
c_locale(void)
{
	static locale_t loc;

	/* strtod follows LC_NUMERIC; JSON's decimal point is always '.'. */
	if (loc == (locale_t)0)
		loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	return loc;
}

static int
number(struct cur *c, struct json *j)
{
	size_t start = c->off;
	int neg = 0, isint = 1, overflow = 0;
	uint64_t acc = 0;
	char buf[NUM_MAX + 1];
	char *end;
	double d;

	if (c->p[c->off] == '-') {
		neg = 1;
		c->off++;
	}
	if (c->off >= c->len || c->p[c->off] < '0' || c->p[c->off] > '9')
		return fail(c, c->off, "invalid number");
	if (c->p[c->off] == '0') {
		c->off++;
	} else {
		while (c->off < c->len && c->p[c->off] >= '0' &&
		    c->p[c->off] <= '9') {
			unsigned dig = (unsigned)(c->p[c->off] - '0');

			if (acc > (UINT64_MAX - dig) / 10)
				overflow = 1;
			else
				acc = acc * 10 + dig;
			c->off++;
		}
	}
	if (c->off < c->len && c->p[c->off] == '.') {
		isint = 0;
		c->off++;
		if (c->off >= c->len || c->p[c->off] < '0' || c->p[c->off] > '9')
			return fail(c, c->off, "digit expected after '.'");
		while (c->off < c->len && c->p[c->off] >= '0' &&
		    c->p[c->off] <= '9')
			c->off++;
	}
	if (c->off < c->len && (c->p[c->off] == 'e' || c->p[c->off] == 'E')) {
		isint = 0;
		c->off++;
		if (c->off < c->len && (c->p[c->off] == '+' ||
		    c->p[c->off] == '-'))
			c->off++;
		if (c->off >= c->len || c->p[c->off] < '0' || c->p[c->off] > '9')
			return fail(c, c->off, "digit expected in exponent");
		while (c->off < c->len && c->p[c->off] >= '0' &&
		    c->p[c->off] <= '9')
			c->off++;
	}
	if (isint && !overflow && (neg ? acc <= (uint64_t)INT64_MAX + 1 :
	    acc <= (uint64_t)INT64_MAX)) {
		j->type = JSON_INT;
		j->i = neg ? (int64_t)(0 - acc) : (int64_t)acc;
		j->d = (double)j->i;
		return 0;
	}
	if (c->off - start > NUM_MAX)
		return fail(c, start, "number too long");
	memcpy(buf, c->p + start, c->off - start);
	buf[c->off - start] = '\0';
	d = strtod_l(buf, &end, c_locale());
	if (*end != '\0')
		return fail(c, start, "invalid number");
	if (!isfinite(d))
		return fail(c, start, "number out of range");
	j->type = JSON_DOUBLE;
	j->d = d;
	return 0;
}

static void
free_members(struct json *j)
{
	size_t i;

	if (j->type == JSON_STRING)
		free(j->s);
	if (j->type == JSON_ARRAY || j->type == JSON_OBJECT) {
		for (i = 0; i < j->n; i++) {
			free_members(&j->v[i]);
			if (j->k != NULL)
				free(j->k[i]);
		}
		free(j->v);
		free(j->k);
	}
	memset(j, 0, sizeof(*j));
}

static int value(struct cur *c, struct json *j);

static int
push(struct json *j, size_t *cap, const struct json *m, char *key)
{
	size_t i;

	if (key != NULL)
		for (i = 0; i < j->n; i++)
			if (strcmp(j->k[i], key) == 0)
				return -1;
	if (j->n == *cap) {
		*cap = *cap ? *cap * 2 : 4;
		j->v = xreallocarray(j->v, *cap, sizeof(*j->v));
		if (j->type == JSON_OBJECT)
			j->k = xreallocarray(j->k, *cap, sizeof(*j->k));
	}
	j->v[j->n] = *m;
	if (j->type == JSON_OBJECT)
		j->k[j->n] = key;
	j->n++;
	return 0;
}

static int
container(struct cur *c, struct json *j, int obj)
{
	size_t cap = 0;
	char close = obj ? '}' : ']';

	if (++c->depth > c->maxdepth)
		return fail(c, c->off, "nesting too deep");
	j->type = obj ? JSON_OBJECT : JSON_ARRAY;
	c->off++;
	ws(c);
	if (c->off < c->len && c->p[c->off] == close) {
		c->off++;
		c->depth--;
		return 0;
	}
	for (;;) {
		struct json m;
		char *key = NULL;
		size_t klen, keyoff;

		memset(&m, 0, sizeof(m));
		ws(c);
		if (obj) {
			keyoff = c->off;
			if (c->off >= c->len || c->p[c->off] != '"')
				return fail(c, c->off, "expected a string key");
			if (string(c, &key, &klen) != 0)
				return -1;
			if (strlen(key) != klen) {
				free(key);
				return fail(c, keyoff, "NUL in an object key");
			}
			ws(c);
			if (c->off >= c->len || c->p[c->off] != ':') {
				free(key);
				return fail(c, c->off, "expected ':'");
			}
			c->off++;
			ws(c);
			if (value(c, &m) != 0) {
				free(key);
				free_members(&m);
				return -1;
			}
			if (j->n >= OBJ_MAX) {
				free(key);
				free_members(&m);
				return fail(c, keyoff, "object has too many members");
			}
			if (push(j, &cap, &m, key) != 0) {
				free(key);
				free_members(&m);
				return fail(c, keyoff, "duplicate key in object");
			}
		} else {
			if (value(c, &m) != 0) {
				free_members(&m);
				return -1;
			}
			push(j, &cap, &m, NULL);
		}
		ws(c);
		if (c->off >= c->len)
			return fail(c, c->off, obj ? "unterminated object" :
			    "unterminated array");
		if (c->p[c->off] == ',') {
			c->off++;
			continue;
		}
		if (c->p[c->off] == close) {
			c->off++;
			c->depth--;
			return 0;
		}
		return fail(c, c->off, obj ? "expected ',' or '}'" :
		    "expected ',' or ']'");
	}
}

static int
value(struct cur *c, struct json *j)
{
	if (++c->nodes > JSON_MAX_NODES)
		return fail(c, c->off, "too many values");
	ws(c);
	if (c->off >= c->len)
		return fail(c, c->off, "value expected");
	switch (c->p[c->off]) {
	case '{':
		return container(c, j, 1);
	case '[':
		return container(c, j, 0);
	case '"':
		j->type = JSON_STRING;
		return string(c, &j->s, &j->slen);
	case 't':
		j->type = JSON_BOOL;
		j->b = 1;
		return lit(c, "true");
	case 'f':
		j->type = JSON_BOOL;
		return lit(c, "false");
	case 'n':
		j->type = JSON_NULL;
		return lit(c, "null");
	default:
		if (c->p[c->off] == '-' ||
		    (c->p[c->off] >= '0' && c->p[c->off] <= '9'))
			return number(c, j);
		return fail(c, c->off, "unexpected character");
	}
}

struct json *
json_parse(const char *p, size_t len, unsigned maxdepth, size_t *erroff,
    char *errbuf)
{
	struct cur c;
	struct json *j;

	memset(&c, 0, sizeof(c));
	c.p = p;
	c.len = len;
	c.maxdepth = maxdepth ? maxdepth : JSON_MAX_DEPTH;
	c.errbuf = errbuf;
	if (len > JSON_MAX_LEN) {
		fail(&c, JSON_MAX_LEN, "input larger than the limit");
		goto fail;
	}
	j = xcalloc(1, sizeof(*j));
	if (value(&c, j) != 0) {
		free_members(j);
		free(j);
		goto fail;
	}
	ws(&c);
	if (c.off != c.len) {
		fail(&c, c.off, "trailing data after the value");
		json_free(j);
		goto fail;
	}
	return j;
fail:
	if (erroff != NULL)
		*erroff = c.erroff;
	return NULL;
}

void
json_free(struct json *j)
{
	if (j == NULL)
		return;
	free_members(j);
	free(j);
}

const struct json *
json_get(const struct json *o, const char *key)
{
	size_t i;

	if (o == NULL || o->type != JSON_OBJECT)
		return NULL;
	for (i = 0; i < o->n; i++)
		if (strcmp(o->k[i], key) == 0)
			return &o->v[i];
	return NULL;
}

const struct json *
json_at(const struct json *a, size_t i)
{
	if (a == NULL || (a->type != JSON_ARRAY && a->type != JSON_OBJECT) ||
	    i >= a->n)
		return NULL;
	return &a->v[i];
}

size_t
json_len(const struct json *a)
{
	if (a == NULL || (a->type != JSON_ARRAY && a->type != JSON_OBJECT))
		return 0;
	return a->n;
}

const char *
json_str(const struct json *j, const char *def)
{
	return j != NULL && j->type == JSON_STRING ? j->s : def;
}

const char *
json_gets(const struct json *o, const char *key, const char *def)
{
	return json_str(json_get(o, key), def);
}

int64_t
json_geti(const struct json *o, const char *key, int64_t def)
{
	const struct json *j = json_get(o, key);

	return j != NULL && j->type == JSON_INT ? j->i : def;
}

double
json_getd(const struct json *o, const char *key, double def)
{
	const struct json *j = json_get(o, key);

	if (j != NULL && (j->type == JSON_INT || j->type == JSON_DOUBLE))
		return j->d;
	return def;
}

int
json_getb(const struct json *o, const char *key, int def)
{
	const struct json *j = json_get(o, key);

	return j != NULL && j->type == JSON_BOOL ? j->b : def;
}

uint64_t
json_getu(const struct json *o, const char *key, uint64_t def)
{
	const struct json *j = json_get(o, key);

	return j != NULL && j->type == JSON_INT && j->i >= 0 ? (uint64_t)j->i :
	    def;
}
