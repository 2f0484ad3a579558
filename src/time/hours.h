/*
 * hours.h -- business hours ("Mon-Fri 09:00-18:00", "24x7") evaluated in a
 * zone, DST-correct: open now, when the next change comes, the overlap of
 * two parties' hours.
 *
 * Grammar (man/kyocho-contacts.5):
 *   hours  = "24x7" / group *( ("," / ";") group )
 *   group  = [days] range          days: Mon, Mon-Fri, Fri-Mon (wraps);
 *                                  several "Mon, Wed 10:00-12:00"
 *   range  = HH:MM "-" HH:MM       end <= start runs past midnight
 *                                  ("Sun-Thu 22:00-06:00"); 24:00 allowed
 * A range without days repeats the previous group's days
 * ("Mon-Fri 09:00-12:00,13:00-18:00").
 *
 * A struct hours is a plain value (no allocation): intervals of seconds
 * since Monday 00:00 local time, each possibly running past the week's end.
 */
#ifndef KYOCHO_HOURS_H
#define KYOCHO_HOURS_H

#include <stddef.h>
#include <stdint.h>

#include "time/tz.h"

#define HOURS_MAX	64		/* intervals per week */
#define HOURS_NEVER	INT64_MAX	/* no change within the horizon */
#define HOURS_WEEK	(7 * 86400)

struct hours {
	int always;			/* 24x7 */
	size_t n;
	struct {
		int32_t start;		/* seconds since Monday 00:00 */
		int32_t len;		/* seconds, 1 .. HOURS_WEEK */
	} iv[HOURS_MAX];
};

struct hours_state {
	int open;
	int64_t next_change;	/* UTC seconds of the next open/close, or NEVER */
	int64_t next_open;	/* when it opens (next_change if closed now) */
	int64_t next_close;	/* when it closes (next_change if open now) */
};

struct hours_span {
	int64_t start, end;	/* UTC seconds, [start, end) */
};

/*
 * Parse s[0..len). Returns 0, or -1 with errbuf saying what is wrong and
 * where ("'Mon-Fir' is not a day range (Mon..Sun)").
 */
int hours_parse(const char *s, size_t len, struct hours *h, char *errbuf);
/* The default business hours, Mon-Fri 09:00-18:00. */
void hours_default(struct hours *h);

/* 1 if open at local weekday wday (0 = Sunday) and second of day sod. */
int hours_open_local(const struct hours *h, int wday, int sod);

/*
 * Open or closed at utc_s in zone z, and the next changes (looked for up to
 * eight days ahead; HOURS_NEVER beyond, e.g. for 24x7). Returns 0 or -1.
 */
int hours_eval(const struct hours *h, const struct tz *z, int64_t utc_s,
    struct hours_state *out);

/*
 * Times in [from, to) when both a (in zone za) and b (in zone zb) are open,
 * as up to max spans in out; returns the total overlap in seconds (spans
 * beyond max are counted but not stored).
 */
int64_t hours_overlap(const struct hours *a, const struct tz *za,
    const struct hours *b, const struct tz *zb, int64_t from, int64_t to,
    struct hours_span *out, size_t max, size_t *nout);

/* The local day (midnight to midnight, UTC seconds) in z containing utc_s. */
void hours_local_day(const struct tz *z, int64_t utc_s, int64_t *start,
    int64_t *end);

/* 1 if people in z are likely awake at utc_s (local 07:00-22:00). */
int hours_awake(const struct tz *z, int64_t utc_s);

#endif
