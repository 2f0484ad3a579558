/*
 * fmt.c -- numbers and text for the screens and the reports. See fmt.h.
 */
#include "base/fmt.h"

#include <stdio.h>
#include <string.h>

#include "base/util.h"

static const char si_suffix[] = " kMGTPE";

/* Three significant digits of v / 1000^k, k chosen so the integer part is
 * below 1000 (with the rounding carried, 999.9k is shown as 1.00M). */
static void
si_split(uint64_t v, unsigned *k, double *x)
{
	double d = (double)v;

	*k = 0;
	while (d >= 999.5 && *k < sizeof(si_suffix) - 2) {
		d /= 1000.0;
		(*k)++;
	}
	*x = d;
}

char *
fmt_si_unit(char *buf, size_t len, uint64_t v, const char *unit, int style)
{
	const char *sep = style & FMT_SI_SPACE ? " " : "";
	unsigned k;
	double x;
	uint64_t div = 1;

	if (style & FMT_SI_TRUNC1) {
		for (k = 0; k < sizeof(si_suffix) - 2 && v / div >= 1000; k++)
			div *= 1000;
		if (k == 0)
			snprintf(buf, len, "%llu%s%s", (unsigned long long)v,
			    sep, unit);
		else
			snprintf(buf, len, "%llu.%llu%s%c%s",
			    (unsigned long long)(v / div),
			    (unsigned long long)(v % div / (div / 10)), sep,
			    si_suffix[k], unit);
		return buf;
	}
	si_split(v, &k, &x);
	if (k == 0)
		snprintf(buf, len, "%llu%s%s", (unsigned long long)v, sep, unit);
	else if (x < 9.995)
		snprintf(buf, len, "%.2f%s%c%s", x, sep, si_suffix[k], unit);
	else if (x < 99.95)
		snprintf(buf, len, "%.1f%s%c%s", x, sep, si_suffix[k], unit);
	else
		snprintf(buf, len, "%.0f%s%c%s", x, sep, si_suffix[k], unit);
	return buf;
}

char *
fmt_si(char *buf, size_t len, uint64_t v)
{
	return fmt_si_unit(buf, len, v, "", FMT_SI_ROUND3);
}

char *
fmt_bps(char *buf, size_t len, uint64_t bps)
{
	return fmt_si_unit(buf, len, bps, "b/s", FMT_SI_ROUND3 | FMT_SI_SPACE);
}

unsigned
fmt_pct(uint64_t v, uint64_t cap)
{
	uint64_t p;

	if (cap == 0)
		return 0;
	if (v > UINT64_MAX / 100)
		return 999;
	p = v * 100 / cap;
	return p > 999 ? 999 : (unsigned)p;
}

size_t
fmt_fit(char *dst, size_t dstlen, const char *src, size_t cols, int pad)
{
	size_t in = 0, out = 0, w = 0, n = strlen(src), k;
	uint32_t cp;
	int cw;

	if (dstlen == 0)
		return 0;
	while (in < n) {
		k = utf8_decode(src + in, n - in, &cp);
		if (k == 0) {
			/* not sanitised: show something safe */
			k = 1;
			if (w + 1 > cols || out + 1 >= dstlen)
				break;
			dst[out++] = '?';
			w++;
			in += k;
			continue;
		}
		cw = utf8_cpwidth(cp);
		if (w + (size_t)cw > cols || out + k >= dstlen)
			break;
		memcpy(dst + out, src + in, k);
		out += k;
		in += k;
		w += (size_t)cw;
	}
	while (pad && w < cols && out + 1 < dstlen) {
		dst[out++] = ' ';
		w++;
	}
	dst[out] = '\0';
	return w;
}

size_t
fmt_fit_right(char *dst, size_t dstlen, const char *src, size_t cols)
{
	char tmp[1024];
	size_t w, lead, i;

	w = fmt_fit(tmp, sizeof(tmp), src, cols, 0);
	lead = cols - w;
	if (dstlen == 0)
		return 0;
	if (lead + strlen(tmp) + 1 > dstlen)
		lead = 0;
	for (i = 0; i < lead; i++)
		dst[i] = ' ';
	snprintf(dst + lead, dstlen - lead, "%s", tmp);
	return lead + w;
}

int
fmt_level(uint64_t v, uint64_t max, int nlevels)
{
	double f;
	int l;

	if (v == 0 || max == 0 || nlevels <= 1)
		return 0;
	if (v >= max)
		return nlevels - 1;
	f = (double)v / (double)max;
	l = (int)(f * (double)(nlevels - 1) + 0.5);
	if (l < 1)
		l = 1;
	return l > nlevels - 1 ? nlevels - 1 : l;
}

uint64_t
fmt_max(const uint64_t *v, size_t n)
{
	uint64_t m = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] > m)
			m = v[i];
	return m;
}

static int
asc_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

int
fmt_match(const char *hay, const char *needle)
{
	size_t n, h, i, j;

	if (needle == NULL || *needle == '\0')
		return 1;
	if (hay == NULL)
		return 0;
	n = strlen(needle);
	h = strlen(hay);
	for (i = 0; i + n <= h; i++) {
		for (j = 0; j < n; j++)
			if (asc_lower((unsigned char)hay[i + j]) !=
			    asc_lower((unsigned char)needle[j]))
				break;
		if (j == n)
			return 1;
	}
	return 0;
}
