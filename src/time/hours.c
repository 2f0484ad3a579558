/*
 * hours.c -- business hours: parser and evaluation in a zone.
 *
 * The week is a circle of 7 * 86400 seconds starting Monday 00:00 local
 * time; a schedule is a set of arcs on it. Whether a party is open at an
 * instant is a question about the local wall clock (tz.c breaks the instant
 * down). The next change is found by listing every candidate instant in
 * the next eight days -- each arc end on each local day, converted back to
 * UTC with both offsets in force around it, plus the zone's own transitions
 * (where the wall clock may jump over an arc end) -- and taking the
 * earliest at which the open/closed state differs from now. Between
 * candidates the state cannot change, so this is exact through DST shifts.
 */
#include "time/hours.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

static const char *const daynames[7] = {
	"mon", "tue", "wed", "thu", "fri", "sat", "sun"
};
static const char *const longnames[7] = {
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
	"sunday"
};

void
hours_default(struct hours *h)
{
	int d;

	memset(h, 0, sizeof(*h));
	for (d = 0; d < 5; d++) {
		h->iv[h->n].start = d * 86400 + 9 * 3600;
		h->iv[h->n].len = 9 * 3600;
		h->n++;
	}
}

/* A day name at s (n bytes of word). Returns 0-6 (Monday 0) or -1. */
static int
day_word(const char *s, size_t n)
{
	char w[16];
	size_t i;
	int d;

	if (n < 2 || n >= sizeof(w))
		return -1;
	for (i = 0; i < n; i++)
		w[i] = (char)tolower((unsigned char)s[i]);
	w[n] = '\0';
	for (d = 0; d < 7; d++)
		if (strcmp(w, daynames[d]) == 0 || strcmp(w, longnames[d]) == 0)
			return d;
	return -1;
}

/* HH:MM at *sp, 00:00-24:00. Returns seconds or -1. */
static int32_t
clock_time(const char **sp, const char *end)
{
	const char *s = *sp;
	int h, m;

	if (end - s < 5 || !isdigit((unsigned char)s[0]) ||
	    !isdigit((unsigned char)s[1]) || s[2] != ':' ||
	    !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return -1;
	*sp = s + 5;
	return h * 3600 + m * 60;
}

static void
skip_ws(const char **s, const char *end)
{
	while (*s < end && (**s == ' ' || **s == '\t' || **s == '\n'))
		(*s)++;
}

#define SHOW_MAX	128

/* s[0..n) made safe to quote in a message (text_sanitize: no control
 * bytes or escape sequences from the file or the command line). */
static const char *
shown(char show[SHOW_MAX], const char *s, size_t n)
{
	text_sanitize(show, SHOW_MAX, s, n);
	return show;
}

int
hours_parse(const char *s, size_t len, struct hours *h, char *errbuf)
{
	const char *p = s, *end = s + len;
	char show[SHOW_MAX];
	uint8_t days[7], pending[7];
	int have_days = 0, have_pending = 0, d;

	memset(h, 0, sizeof(*h));
	memset(days, 0, sizeof(days));
	memset(pending, 0, sizeof(pending));
	skip_ws(&p, end);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n'))
		end--;
	if (p == end)
		return err_set(errbuf, "empty (write e.g. Mon-Fri 09:00-18:00 "
		    "or 24x7)");
	if (end - p == 4 && (strncmp(p, "24x7", 4) == 0 ||
	    strncmp(p, "24/7", 4) == 0)) {
		h->always = 1;
		return 0;
	}
	while (p < end) {
		const char *piece = p, *pe;
		int32_t a, b;

		pe = p;
		while (pe < end && *pe != ',' && *pe != ';')
			pe++;
		skip_ws(&p, pe);
		if (p == pe)
			return err_set(errbuf, "empty item at column %zu",
			    (size_t)(piece - s) + 1);
		if (isalpha((unsigned char)*p)) {
			/* Days: D or D-D, then maybe a range. */
			const char *w = p;
			int d1, d2;

			while (p < pe && isalpha((unsigned char)*p))
				p++;
			if ((d1 = day_word(w, (size_t)(p - w))) < 0)
				return err_set(errbuf, "'%s' is not a day "
				    "(Mon Tue Wed Thu Fri Sat Sun)",
				    shown(show, w, (size_t)(p - w)));
			d2 = d1;
			if (p < pe && *p == '-') {
				w = ++p;
				while (p < pe && isalpha((unsigned char)*p))
					p++;
				if ((d2 = day_word(w, (size_t)(p - w))) < 0)
					return err_set(errbuf, "'%s' is not a "
					    "day (Mon Tue Wed Thu Fri Sat Sun)",
					    shown(show, w, (size_t)(p - w)));
			}
			for (d = d1; ; d = (d + 1) % 7) {
				pending[d] = 1;
				if (d == d2)
					break;
			}
			have_pending = 1;
			skip_ws(&p, pe);
			if (p == pe) {
				if (pe == end)
					return err_set(errbuf, "days at column %zu "
					    "have no time range after them",
					    (size_t)(piece - s) + 1);
				p = pe + 1;
				continue;
			}
			memcpy(days, pending, sizeof(days));
			memset(pending, 0, sizeof(pending));
			have_pending = 0;
			have_days = 1;
		} else if (have_pending) {
			/* "Mon, Wed, 10:00-12:00" */
			memcpy(days, pending, sizeof(days));
			memset(pending, 0, sizeof(pending));
			have_pending = 0;
			have_days = 1;
		} else if (!have_days)
			return err_set(errbuf, "time range at column %zu has no "
			    "days before it (e.g. Mon-Fri 09:00-18:00)",
			    (size_t)(p - s) + 1);
		if ((a = clock_time(&p, pe)) < 0 || p >= pe || *p != '-' ||
		    (p++, b = clock_time(&p, pe)) < 0) {
			return err_set(errbuf, "'%s' is not a time range such "
			    "as 09:00-18:00", shown(show, piece,
			    (size_t)(pe - piece)));
		}
		skip_ws(&p, pe);
		if (p != pe)
			return err_set(errbuf, "unexpected '%s' after the time "
			    "range", shown(show, p, (size_t)(pe - p)));
		if (a == b)
			return err_set(errbuf, "'%s' is an empty range",
			    shown(show, piece, (size_t)(pe - piece)));
		if (a == 86400)
			return err_set(errbuf, "a range cannot start at 24:00");
		for (d = 0; d < 7; d++) {
			if (!days[d])
				continue;
			if (h->n == HOURS_MAX)
				return err_set(errbuf, "more than %d ranges in a "
				    "week", HOURS_MAX);
			h->iv[h->n].start = d * 86400 + a;
			h->iv[h->n].len = b > a ? b - a : 86400 - a + b;
			h->n++;
		}
		p = pe < end ? pe + 1 : pe;
	}
	if (have_pending)
		return err_set(errbuf, "days at the end have no time range");
	return 0;
}

int
hours_open_local(const struct hours *h, int wday, int sod)
{
	int32_t w = ((wday + 6) % 7) * 86400 + sod;
	size_t i;

	if (h->always)
		return 1;
	for (i = 0; i < h->n; i++) {
		int32_t d = ((w - h->iv[i].start) % HOURS_WEEK + HOURS_WEEK) %
		    HOURS_WEEK;

		if (d < h->iv[i].len)
			return 1;
	}
	return 0;
}

static int
open_at(const struct hours *h, const struct tz *z, int64_t t)
{
	struct tz_tm tm;

	if (tz_local(z, t, &tm) != 0)
		return 0;
	return hours_open_local(h, tm.wday, tm.hour * 3600 + tm.min * 60 +
	    tm.sec);
}

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The first instant after t at which the state differs from open_at(t). */
static int64_t
next_change(const struct hours *h, const struct tz *z, int64_t t, int now)
{
	int64_t *cand, day0, c;
	size_t ncand = 0, cap, i;
	struct tz_tm tm;
	int k;

	if (h->always || h->n == 0 || tz_local(z, t, &tm) != 0)
		return HOURS_NEVER;
	cap = (size_t)10 * (h->n * 4) + 64;
	cand = xreallocarray(NULL, cap, sizeof(*cand));
	day0 = days_from_civil(tm.year, tm.mon, tm.mday);
	for (k = -1; k <= 8; k++) {
		int64_t day = day0 + k;
		int wd = (int)(((day % 7) + 7 + 3) % 7);	/* Monday 0 */
		int64_t ds = (int64_t)wd * 86400;

		for (i = 0; i < h->n; i++) {
			int64_t b[2];
			int j;

			b[0] = h->iv[i].start;
			b[1] = (h->iv[i].start + h->iv[i].len) % HOURS_WEEK;
			for (j = 0; j < 2; j++) {
				int64_t wall;
				struct tz_info x, y;

				if (b[j] < ds || b[j] >= ds + 86400)
					continue;
				wall = day * 86400 + (b[j] - ds);
				tz_at(z, wall - 86400 - 3600, &x);
				tz_at(z, wall + 86400 + 3600, &y);
				if (ncand + 2 > cap)
					break;
				cand[ncand++] = wall - x.utc_offset_s;
				cand[ncand++] = wall - y.utc_offset_s;
			}
		}
	}
	/* The zone's own changes within the window. */
	for (c = t; ncand < cap && tz_next_change(z, c, &c) == 0 &&
	    c <= t + 10 * 86400; )
		cand[ncand++] = c;
	qsort(cand, ncand, sizeof(*cand), cmp64);
	c = HOURS_NEVER;
	for (i = 0; i < ncand; i++) {
		if (cand[i] <= t || (i > 0 && cand[i] == cand[i - 1]))
			continue;
		if (open_at(h, z, cand[i]) != now) {
			c = cand[i];
			break;
		}
	}
	free(cand);
	return c;
}

int
hours_eval(const struct hours *h, const struct tz *z, int64_t t,
    struct hours_state *out)
{
	int64_t c2;

	memset(out, 0, sizeof(*out));
	if (z == NULL)
		return -1;
	out->open = open_at(h, z, t);
	out->next_change = next_change(h, z, t, out->open);
	c2 = out->next_change == HOURS_NEVER ? HOURS_NEVER :
	    next_change(h, z, out->next_change, !out->open);
	if (out->open) {
		out->next_close = out->next_change;
		out->next_open = c2;
	} else {
		out->next_open = out->next_change;
		out->next_close = c2;
	}
	return 0;
}

int64_t
hours_overlap(const struct hours *a, const struct tz *za,
    const struct hours *b, const struct tz *zb, int64_t from, int64_t to,
    struct hours_span *out, size_t max, size_t *nout)
{
	int64_t t = from, total = 0;
	size_t n = 0;

	while (t < to) {
		int oa = open_at(a, za, t), ob = open_at(b, zb, t);
		int64_t na = next_change(a, za, t, oa);
		int64_t nb = next_change(b, zb, t, ob);
		int64_t nx = na < nb ? na : nb;

		if (nx > to)
			nx = to;
		if (oa && ob) {
			total += nx - t;
			if (n > 0 && out != NULL && n <= max &&
			    out[n - 1].end == t)
				out[n - 1].end = nx;
			else {
				if (out != NULL && n < max) {
					out[n].start = t;
					out[n].end = nx;
				}
				n++;
			}
		}
		t = nx;
	}
	if (nout != NULL)
		*nout = n < max ? n : max;
	return total;
}

void
hours_local_day(const struct tz *z, int64_t t, int64_t *start, int64_t *end)
{
	struct tz_tm tm;
	int64_t day;

	if (tz_local(z, t, &tm) != 0) {
		*start = t - ((t % 86400) + 86400) % 86400;
		*end = *start + 86400;
		return;
	}
	day = days_from_civil(tm.year, tm.mon, tm.mday);
	tz_from_local(z, day * 86400, start);
	tz_from_local(z, (day + 1) * 86400, end);
}

int
hours_awake(const struct tz *z, int64_t t)
{
	struct tz_tm tm;

	if (tz_local(z, t, &tm) != 0)
		return 0;
	return tm.hour >= 7 && tm.hour < 22;
}
