/*
 * tz.h -- IANA time zones from the system's tz database (TZif, RFC 8536),
 * without touching the process's TZ or calling localtime().
 *
 * A struct tz holds one zone file: its transition times, its local time
 * types and the footer's POSIX TZ rule for instants after the last
 * transition. tz_get() keeps a process-wide cache (mutex-protected, so any
 * thread may call it) so that each zone file is read and parsed once;
 * tz_load() parses afresh and hands the caller its own copy.
 *
 * Zone files come from $TZDIR if set, else /usr/share/zoneinfo.
 */
#ifndef KYOCHO_TZ_H
#define KYOCHO_TZ_H

#include <stddef.h>
#include <stdint.h>

#define TZ_NAME_MAX	256	/* bytes, with the NUL */
#define TZ_ABBR_MAX	16

struct tz;

/* Local time type in effect at an instant. */
struct tz_info {
	int32_t utc_offset_s;		/* east of UTC is positive */
	int is_dst;
	char abbr[TZ_ABBR_MAX];		/* "JST", "CEST", "+0530" */
};

/* An instant broken down in a zone. */
struct tz_tm {
	int64_t year;
	int mon;			/* 1-12 */
	int mday;			/* 1-31 */
	int hour, min, sec;
	int wday;			/* 0 = Sunday */
	int yday;			/* 0-365 */
	struct tz_info info;
};

/*
 * Parse zone `name` ("Asia/Tokyo") from the tz directory. Names must be
 * relative, without "." or ".." components, of [A-Za-z0-9._+-/]. Returns a
 * new zone the caller frees with tz_free(), or NULL with errbuf filled
 * ("timezone 'Asia/Tokio' is not a known zone").
 */
struct tz *tz_load(const char *name, char *errbuf);
/* Parse a TZif image already in memory (hostile input safe). name is only
 * kept for display. Returns a new zone or NULL with errbuf filled. */
struct tz *tz_parse(const char *name, const uint8_t *p, size_t len,
    char *errbuf);
/* A zone from a POSIX TZ string alone ("JST-9", "CET-1CEST,M3.5.0,M10.5.0/3").
 * Returns a new zone or NULL. */
struct tz *tz_from_posix(const char *spec, char *errbuf);
void tz_free(struct tz *z);

/*
 * The cached zone called `name`, parsed at most once per process; the
 * pointer stays valid until tz_cache_clear(). Failures are cached too (the
 * same message comes back). Thread-safe.
 */
const struct tz *tz_get(const char *name, char *errbuf);
/* Free every cached zone. Only when no thread holds a pointer from tz_get. */
void tz_cache_clear(void);

/*
 * The operator's zone: $TZ if set (a zone name, ":name", or a POSIX TZ
 * string), else /etc/localtime, else Asia/Tokyo (kyocho's home). Cached
 * like tz_get; never NULL.
 */
const struct tz *tz_local_zone(void);

/* The zone's name as given ("Asia/Tokyo"). */
const char *tz_name(const struct tz *z);

/* Offset, DST flag and abbreviation in effect at utc_s (seconds since the
 * epoch). Returns 0, or -1 if the zone cannot say (not for a parsed zone). */
int tz_at(const struct tz *z, int64_t utc_s, struct tz_info *out);
/* Break utc_s down into local date and time fields. Returns 0 or -1. */
int tz_local(const struct tz *z, int64_t utc_s, struct tz_tm *out);
/*
 * The first instant after utc_s at which the offset, DST flag or
 * abbreviation changes; 0 and *next set, or -1 if none follows (a zone
 * without DST after its last transition).
 */
int tz_next_change(const struct tz *z, int64_t utc_s, int64_t *next);
/*
 * The instant(s) when the local wall clock reads `wall` (seconds since the
 * epoch as if the local time were UTC): the earliest is stored in *utc_s.
 * Returns 1 for a unique answer, 2 for a repeated wall time (the fall-back
 * hour; *utc_s is the first), 0 if the wall time is skipped (spring
 * forward; *utc_s is then the instant the clock jumps past it).
 */
int tz_from_local(const struct tz *z, int64_t wall, int64_t *utc_s);

/* Format utc_s as RFC 3339 in local time with its offset,
 * "2026-11-26T09:30:00+09:00". buf needs 32 bytes. Returns buf. */
char *tz_rfc3339(const struct tz *z, int64_t utc_s, char *buf, size_t len);

/*
 * Zones tzdata lists for a country (ISO 3166 alpha-2, any case) in
 * zone1970.tab, in the file's order. Returns how many were stored in
 * names[0..max) (each TZ_NAME_MAX bytes), 0 if none, -1 if the table cannot
 * be read (errbuf says why).
 */
int tz_country_zones(const char *cc, char (*names)[TZ_NAME_MAX], int max,
    char *errbuf);

/*
 * The country of zone `name` ("Asia/Tokyo" -> "JP"): its line in zone.tab
 * (one country per zone), else the first code of its line in zone1970.tab
 * (the country the zone is named for). Stores the upper-case code in cc.
 * Returns 1, 0 if neither table lists the zone, -1 if zone1970.tab cannot
 * be read (errbuf says why).
 */
int tz_zone_country(const char *name, char cc[3], char *errbuf);
/* The civil date of a day number: the inverse of days_from_civil()
 * (util.h), used by hours.c. */
void tz_civil_from_days(int64_t days, int64_t *y, int *m, int *d);

/*
 * The zone this process runs in, by name (the default of our-zone when it
 * is not set): the zone $TZ names (an IANA
 * name, ":NAME" or a POSIX TZ string such as "JST-9"), else the IANA zone
 * /etc/localtime links to (".../zoneinfo/NAME"). tzenv and localtime are
 * getenv("TZ") and "/etc/localtime" outside tests. The name must load (tz_get,
 * or tz_from_posix for a POSIX string) so a report can rebuild the
 * zone from it. Copies it into buf and returns buf, or NULL when neither
 * names a zone (a copied /etc/localtime has no name to record).
 */
const char *tz_default_name(const char *tzenv, const char *localtime,
    char *buf, size_t len);


#endif
