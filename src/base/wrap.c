/*
 * wrap.c -- the one line wrapper (report text pages, help overlay,
 * incident panes). See wrap.h. Keeps no state: one pass over the string
 * per line, remembering the last place a line may end.
 */
#include "base/wrap.h"

#include <stdint.h>
#include <string.h>

#include "base/util.h"

/* Characters no line may start with: closing brackets and punctuation,
 * small kana, the prolonged sound mark, the middle dot. */
static int
no_start(uint32_t cp)
{
	static const uint32_t v[] = { 0x3001, 0x3002, 0xff0c, 0xff0e, 0xff09,
	    0x300d, 0x300f, 0x3011, 0x3015, 0xff01, 0xff1f, 0x30fc, 0x30fb,
	    0xff1a, 0xff1b, 0x3063, 0x3083, 0x3085, 0x3087, 0x30c3, 0x30e3,
	    0x30e5, 0x30e7, 0x3041, 0x3043, 0x3045, 0x3047, 0x3049 };
	size_t i;

	if (cp < 0x80)
		return cp != 0 && strchr(")]},.:;!?%", (int)cp) != NULL;
	for (i = 0; i < NITEMS(v); i++)
		if (cp == v[i])
			return 1;
	return 0;
}

/* Characters no line may end with: opening brackets. */
static int
no_end(uint32_t cp)
{
	return cp == 0xff08 || cp == 0x300c || cp == 0x300e || cp == 0x3010 ||
	    cp == 0x3014;
}

/* Decode one character of s[0, n); an invalid byte is one '?'. */
static size_t
next_cp(const char *s, size_t n, uint32_t *cp)
{
	size_t k = utf8_decode(s, n, cp);

	if (k == 0) {
		*cp = '?';
		k = 1;
	}
	return k;
}

/* 1 if the character at s may not start a line: kinsoku, or a combining
 * mark that belongs to the character before it. */
static int
next_no_start(const char *s, size_t n)
{
	uint32_t cp;

	return utf8_decode(s, n, &cp) > 0 && (no_start(cp) ||
	    utf8_cpwidth(cp) == 0);
}

size_t
wrap_text(const char *s, size_t cols, struct wrap_span *out, size_t max)
{
	size_t n = strlen(s), off = 0, nl = 0;

	while (off < n) {
		size_t pos, cw = 0, brk = 0, k, end;
		uint32_t cp, base = 0;	/* last character with a width */
		size_t bw = 0;		/* and its width */
		int text = 0;		/* a non-space seen on this line */

		if (nl > 0)
			while (off < n && s[off] == ' ')
				off++;
		if (off >= n)
			break;
		for (pos = off; pos < n; pos += k) {
			size_t c;

			k = next_cp(s + pos, n - pos, &cp);
			c = (size_t)utf8_cpwidth(cp);
			if (cw + c > cols)
				break;
			if (c == 2 && pos > off && !no_start(cp))
				brk = pos;	/* may break before a wide char */
			cw += c;
			if (c > 0) {
				base = cp;
				bw = c;
			}
			/* after a space, or after a wide character and its
			 * marks unless kinsoku forbids it */
			if ((cp == ' ' && text) || (bw == 2 && !no_end(base) &&
			    !(pos + k < n && next_no_start(s + pos + k,
			    n - pos - k))))
				brk = pos + k;
			text |= cp != ' ';
		}
		if (pos == off)		/* wider than cols: alone on a line */
			pos += next_cp(s + off, n - off, &cp);
		else if (pos < n && brk > off)
			pos = brk;
		for (end = pos; end > off && s[end - 1] == ' '; end--)
			;
		if (nl < max) {
			out[nl].off = off;
			out[nl].len = end - off;
		}
		nl++;
		off = pos;
	}
	return nl;
}
