/*
 * util.c -- allocation wrappers, fatal errors, error buffers, safe text,
 * UTF-8 widths and RFC 3339 times. Everything here is pure and thread-safe
 * except fatal_set_cleanup(), which is called once at start-up.
 */
#include "base/util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utf8proc.h>

static void (*cleanup_fn)(void);

void
fatal_set_cleanup(void (*fn)(void))
{
	cleanup_fn = fn;
}

void
fatal(const char *fmt, ...)
{
	va_list ap;

	if (cleanup_fn != NULL) {
		void (*fn)(void) = cleanup_fn;
		cleanup_fn = NULL;
		fn();
	}
	fputs("kyocho: fatal: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void *
xmalloc(size_t size)
{
	void *p;

	if (size == 0)
		size = 1;
	if ((p = malloc(size)) == NULL)
		fatal("out of memory allocating %zu bytes", size);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p;

	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	if (SIZE_MAX / nmemb < size)
		fatal("xcalloc: %zu * %zu overflows", nmemb, size);
	if ((p = calloc(nmemb, size)) == NULL)
		fatal("out of memory allocating %zu * %zu bytes", nmemb, size);
	return p;
}

void *
xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	void *p;

	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	if (SIZE_MAX / nmemb < size)
		fatal("xreallocarray: %zu * %zu overflows", nmemb, size);
	if ((p = realloc(ptr, nmemb * size)) == NULL)
		fatal("out of memory reallocating %zu * %zu bytes", nmemb, size);
	return p;
}

void *
xgrow(void *v, size_t n, size_t *cap, size_t first, size_t size)
{
	if (n < *cap)
		return v;
	if (*cap > SIZE_MAX / 2)
		fatal("xgrow: %zu elements overflow", *cap);
	*cap = *cap ? *cap * 2 : first;
	return xreallocarray(v, *cap, size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p;
	size_t len = strnlen(s, n);

	p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap, ap2;
	int n;
	char *p;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatal("xasprintf: bad format");
	p = xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return p;
}

int
open_private(const char *path, int append)
{
	return open(path, O_WRONLY | O_CREAT | O_CLOEXEC |
	    (append ? O_APPEND : O_TRUNC), 0600);
}

int
err_set(char *errbuf, const char *fmt, ...)
{
	va_list ap;

	if (errbuf != NULL) {
		va_start(ap, fmt);
		vsnprintf(errbuf, ERRBUF_SIZE, fmt, ap);
		va_end(ap);
	}
	return -1;
}

size_t
utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c;
	size_t len, i;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

int
utf8_valid(const char *s, size_t n, size_t *bad)
{
	size_t off = 0, k;
	uint32_t cp;

	while (off < n) {
		if ((k = utf8_decode(s + off, n - off, &cp)) == 0) {
			if (bad != NULL)
				*bad = off;
			return 0;
		}
		off += k;
	}
	return 1;
}

size_t
text_sanitize(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	static const char repl[] = "\xef\xbf\xbd";	/* U+FFFD */
	size_t in = 0, out = 0, k;
	uint32_t cp;

	if (dstlen == 0)
		return 0;
	while (in < srclen) {
		const char *piece;
		size_t plen;
		char q = '?';

		k = utf8_decode(src + in, srclen - in, &cp);
		if (k == 0) {
			piece = repl;
			plen = 3;
			k = 1;
		} else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
		    cp == 0x2028 || cp == 0x2029 ||
		    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) {
			/* Controls, line separators and bidi overrides. */
			piece = &q;
			plen = 1;
		} else {
			piece = src + in;
			plen = k;
		}
		if (out + plen >= dstlen)
			break;
		memcpy(dst + out, piece, plen);
		out += plen;
		in += k;
	}
	dst[out] = '\0';
	return out;
}

/*
 * Display width from libutf8proc's tables (Unicode 15.0 in Debian 12), the
 * library tmux uses when built with --enable-utf8proc: East Asian Wide and
 * Fullwidth take 2; nonspacing and enclosing marks, joiners, variation
 * selectors and format characters take 0; ambiguous-width characters take
 * 1. One exception: utf8proc gives spacing combining marks (category Mc,
 * e.g. Devanagari vowel signs) 0 columns, but they advance the cursor in
 * terminals and glibc's wcwidth(3), which curses uses, gives them 1 -- so
 * do we. The remaining differences from wcwidth(3) are listed in
 * tests/test_util.c (test_width_vs_wcwidth).
 */
int
utf8_cpwidth(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		return 0;
	if (cp > 0x10ffff)
		return 1;
	if (utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_MC)
		return 1;
	return utf8proc_charwidth((utf8proc_int32_t)cp);
}

void
utf8_backspace(char *s)
{
	size_t n = strlen(s);

	while (n > 0) {
		n--;
		if (((unsigned char)s[n] & 0xc0) != 0x80)
			break;
	}
	s[n] = '\0';
}

size_t
utf8_width(const char *s, size_t n)
{
	size_t off = 0, w = 0, k;
	uint32_t cp;

	while (off < n) {
		if ((k = utf8_decode(s + off, n - off, &cp)) == 0) {
			w++;
			off++;
			continue;
		}
		w += (size_t)utf8_cpwidth(cp);
		off += k;
	}
	return w;
}

char *
time_rfc3339(char *buf, size_t len, int64_t us, int frac)
{
	time_t t;
	struct tm tm;
	int64_t sec = us / 1000000, rem = us % 1000000;

	if (rem < 0) {
		rem += 1000000;
		sec--;
	}
	t = (time_t)sec;
	if (gmtime_r(&t, &tm) == NULL) {
		snprintf(buf, len, "invalid-time");
		return buf;
	}
	if (frac && rem != 0)
		snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, (long)rem);
	else
		snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02dZ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
	return buf;
}

int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
digits(const char *s, int n, int *out)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int
time_parse_rfc3339(const char *s, int64_t *us)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
	int64_t frac = 0, scale = 100000, t;
	const char *p;

	if (strlen(s) < 20 || digits(s, 4, &y) || s[4] != '-' ||
	    digits(s + 5, 2, &mo) || s[7] != '-' || digits(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) ||
	    s[16] != ':' || digits(s + 17, 2, &sec))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 ||
	    mi > 59 || sec > 60)
		return -1;
	if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return -1;
	p = s + 19;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		while (isdigit((unsigned char)*p)) {
			frac += (*p - '0') * scale;
			scale /= 10;
			p++;
		}
	}
	if (*p == 'Z' || *p == 'z')
		p++;
	else if (*p == '+' || *p == '-') {
		sign = *p == '+' ? 1 : -1;
		if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) ||
		    oh > 23 || om > 59)
			return -1;
		p += 6;
	} else
		return -1;
	if (*p != '\0')
		return -1;
	if (sec == 60)
		sec = 59;	/* a leap second maps onto the second before it */
	t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	t -= sign * (oh * 3600 + om * 60);
	*us = t * 1000000 + frac;
	return 0;
}

int
time_parse_instant(const char *s, int64_t *t)
{
	int64_t us;

	if (strcmp(s, "now") == 0) {
		*t = (int64_t)time(NULL);
		return 0;
	}
	if (s[0] == '@') {
		char *end;
		long long v;

		errno = 0;
		v = strtoll(s + 1, &end, 10);
		if (errno != 0 || end == s + 1 || *end != '\0' ||
		    v > (long long)1e15 || v < -(long long)1e15)
			return -1;
		*t = v;
		return 0;
	}
	if (time_parse_rfc3339(s, &us) != 0)
		return -1;
	*t = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
	return 0;
}

int
parse_u64_si(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	uint64_t mul = 1;

	if (s == NULL || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	switch (*end) {
	case '\0':
		break;
	case 'k': case 'K':
		mul = 1000ULL;
		end++;
		break;
	case 'M':
		mul = 1000000ULL;
		end++;
		break;
	case 'G': case 'g':
		mul = 1000000000ULL;
		end++;
		break;
	case 'T': case 't':
		mul = 1000000000000ULL;
		end++;
		break;
	default:
		return -1;
	}
	if (*end != '\0' || (v != 0 && UINT64_MAX / v < mul))
		return -1;
	*out = (uint64_t)v * mul;
	return 0;
}

int
parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

uint64_t
splitmix64(uint64_t *s)
{
	return mix64(*s += 0x9e3779b97f4a7c15ULL);
}

/* A name the operator setting would accept: 1..200 bytes of UTF-8 without
 * control characters. */
static int
operator_ok(const char *s)
{
	size_t n, bad, i;

	if (s == NULL || (n = strlen(s)) == 0 || n > 200 ||
	    !utf8_valid(s, n, &bad))
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

const char *
login_name(char *buf, size_t len)
{
	const char *cand[2] = { getenv("LOGNAME"), getenv("USER") };
	struct passwd *pw;
	size_t i;

	for (i = 0; i < NITEMS(cand); i++)
		if (operator_ok(cand[i])) {
			snprintf(buf, len, "%s", cand[i]);
			return buf;
		}
	if ((pw = getpwuid(getuid())) != NULL && operator_ok(pw->pw_name)) {
		snprintf(buf, len, "%s", pw->pw_name);
		return buf;
	}
	return NULL;
}
