/*
 * tz.c -- TZif reader and POSIX TZ rule evaluator.
 *
 * RFC 8536 (The Time Zone Information Format, TZif), versions 1 to 4; the
 * footer's TZ string is POSIX.1-2017 section 8.3 with RFC 8536 section 3.3.1
 * extensions (rule times from -167 to 167 hours).
 *
 * A zone keeps the version-2+ (64-bit) data block: ascending transition
 * times, each with an index into the local time types, and the types'
 * designations. Instants before the first transition take type 0; instants
 * at or after the last take the footer rule when there is one (as glibc and
 * zdump do), else the last transition's type. Leap-second records are read
 * past and ignored (the "right/" zones are not supported).
 *
 * The cache is a linked list of (name, zone or error) behind a mutex; zones
 * are few (hundreds at most), and callers look each up once per record.
 */
#include "time/tz.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/rd.h"
#include "base/util.h"

#define TZ_FILE_MAX	(1 << 20)	/* real zone files are under 4 KiB */
#define TZ_MAXTYPES	256
#define RULE_SECS_MAX	(167 * 3600 + 59 * 60 + 59)

enum { RD_J = 1, RD_N, RD_M };

struct rdate {
	int kind;		/* RD_J (1-365, no Feb 29), RD_N (0-365), RD_M */
	int n, m, w, d;
	int32_t secs;		/* local time of day; -167h..167h */
};

struct prule {
	char std[TZ_ABBR_MAX], dst[TZ_ABBR_MAX];
	int32_t std_off, dst_off;	/* east of UTC, seconds */
	int has_dst;
	struct rdate start, end;
};

struct ttype {
	int32_t off;
	uint8_t dst;
	uint8_t abbr;		/* index into chars */
};

struct tz {
	char name[TZ_NAME_MAX];
	size_t ntrans;
	int64_t *trans;
	uint8_t *tidx;
	size_t ntypes;
	struct ttype *types;
	char *chars;
	size_t nchars;
	int has_rule;
	struct prule rule;
};

/* ---- calendar ---------------------------------------------------------- */

void
tz_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int64_t
floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* ---- POSIX TZ strings --------------------------------------------------- */

/* "JST" or "<+0530>". Stores the designation without brackets. */
static const char *
parse_name(const char *s, char *out)
{
	size_t n = 0;

	if (*s == '<') {
		s++;
		while (isalnum((unsigned char)s[n]) || s[n] == '+' || s[n] == '-')
			n++;
		if (s[n] != '>' || n < 3 || n >= TZ_ABBR_MAX)
			return NULL;
		memcpy(out, s, n);
		out[n] = '\0';
		return s + n + 1;
	}
	while (isalpha((unsigned char)s[n]))
		n++;
	if (n < 3 || n >= TZ_ABBR_MAX)
		return NULL;
	memcpy(out, s, n);
	out[n] = '\0';
	return s + n;
}

/* [+-]hh[:mm[:ss]] with hh <= maxh. */
static const char *
parse_hms(const char *s, int maxh, int32_t *out)
{
	int sign = 1;
	long h = 0, m = 0, sec = 0;
	int nd = 0;

	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	while (isdigit((unsigned char)*s) && nd < 3) {
		h = h * 10 + (*s++ - '0');
		nd++;
	}
	if (nd == 0 || h > maxh)
		return NULL;
	if (*s == ':') {
		s++;
		if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]))
			return NULL;
		m = (s[0] - '0') * 10 + (s[1] - '0');
		s += 2;
		if (m > 59)
			return NULL;
		if (*s == ':') {
			s++;
			if (!isdigit((unsigned char)s[0]) ||
			    !isdigit((unsigned char)s[1]))
				return NULL;
			sec = (s[0] - '0') * 10 + (s[1] - '0');
			s += 2;
			if (sec > 59)
				return NULL;
		}
	}
	*out = (int32_t)(sign * (h * 3600 + m * 60 + sec));
	return s;
}

static const char *
parse_num(const char *s, int lo, int hi, int *out)
{
	long v = 0;
	int nd = 0;

	while (isdigit((unsigned char)*s) && nd < 4) {
		v = v * 10 + (*s++ - '0');
		nd++;
	}
	if (nd == 0 || v < lo || v > hi)
		return NULL;
	*out = (int)v;
	return s;
}

static const char *
parse_rdate(const char *s, struct rdate *r)
{
	memset(r, 0, sizeof(*r));
	if (*s == 'J') {
		r->kind = RD_J;
		s = parse_num(s + 1, 1, 365, &r->n);
	} else if (*s == 'M') {
		r->kind = RD_M;
		if ((s = parse_num(s + 1, 1, 12, &r->m)) == NULL || *s++ != '.' ||
		    (s = parse_num(s, 1, 5, &r->w)) == NULL || *s++ != '.' ||
		    (s = parse_num(s, 0, 6, &r->d)) == NULL)
			return NULL;
	} else {
		r->kind = RD_N;
		s = parse_num(s, 0, 365, &r->n);
	}
	if (s == NULL)
		return NULL;
	r->secs = 7200;
	if (*s == '/')
		s = parse_hms(s + 1, 167, &r->secs);
	return s;
}

static int
parse_posix(const char *s, struct prule *r)
{
	int32_t off;

	memset(r, 0, sizeof(*r));
	if ((s = parse_name(s, r->std)) == NULL ||
	    (s = parse_hms(s, 24, &off)) == NULL)
		return -1;
	r->std_off = -off;
	if (*s == '\0')
		return 0;
	if ((s = parse_name(s, r->dst)) == NULL)
		return -1;
	r->has_dst = 1;
	r->dst_off = r->std_off + 3600;
	if (*s != ',' && *s != '\0') {
		if ((s = parse_hms(s, 24, &off)) == NULL)
			return -1;
		r->dst_off = -off;
	}
	if (*s == '\0') {
		/* No rule: POSIX leaves it to the implementation; use the
		 * United States' current one, as glibc's posixrules does. */
		s = ",M3.2.0,M11.1.0";
	}
	if (*s++ != ',' || (s = parse_rdate(s, &r->start)) == NULL ||
	    *s++ != ',' || (s = parse_rdate(s, &r->end)) == NULL || *s != '\0')
		return -1;
	return 0;
}

/* Local seconds (as if UTC) of rule date r in year y. */
static int64_t
rdate_local(const struct rdate *r, int64_t y)
{
	int64_t day;

	switch (r->kind) {
	case RD_J:
		day = days_from_civil(y, 1, 1) + r->n - 1;
		if (is_leap(y) && r->n >= 60)
			day++;
		break;
	case RD_N:
		day = days_from_civil(y, 1, 1) + r->n;
		break;
	default: {
		static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31,
		    30, 31, 30, 31 };
		int64_t first = days_from_civil(y, r->m, 1);
		int wd1 = (int)((first % 7 + 7 + 4) % 7);	/* 1970-01-01 Thu */
		int mday = 1 + (r->d - wd1 + 7) % 7 + 7 * (r->w - 1);
		int ml = mdays[r->m - 1] + (r->m == 2 && is_leap(y));

		while (mday > ml)
			mday -= 7;
		day = first + mday - 1;
		break;
	}
	}
	return day * 86400 + r->secs;
}

/* The rule's transitions in year y as UTC instants. */
static void
rule_year(const struct prule *r, int64_t y, int64_t *start, int64_t *end)
{
	*start = rdate_local(&r->start, y) - r->std_off;
	*end = rdate_local(&r->end, y) - r->dst_off;
}

/* Is DST in effect at t? The latest of the years' transitions at or
 * before t decides; a start and an end at the same instant leave DST on
 * (the all-year-DST convention of RFC 8536 section 3.3.1). */
static int
rule_isdst(const struct prule *r, int64_t t)
{
	int64_t y, yy, best = INT64_MIN, s, e;
	int dst = 0, m, d;

	if (!r->has_dst)
		return 0;
	tz_civil_from_days(floordiv(t + r->std_off, 86400), &y, &m, &d);
	for (yy = y - 1; yy <= y + 1; yy++) {
		rule_year(r, yy, &s, &e);
		if (e <= t && e >= best) {
			if (e > best || !dst)
				dst = 0;
			best = e;
		}
		if (s <= t && s >= best) {
			best = s;
			dst = 1;
		}
	}
	return dst;
}

/* Bounded copy of a designation (hot: every lookup makes one). */
static void
abbr_copy(char *dst, const char *src)
{
	size_t n = strnlen(src, TZ_ABBR_MAX - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void
rule_info(const struct prule *r, int64_t t, struct tz_info *out)
{
	int dst = rule_isdst(r, t);

	out->utc_offset_s = dst ? r->dst_off : r->std_off;
	out->is_dst = dst;
	abbr_copy(out->abbr, dst ? r->dst : r->std);
}

/* ---- TZif ---------------------------------------------------------------- */

struct hdr {
	int version;
	uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

static int
read_hdr(struct rd *r, struct hdr *h)
{
	const uint8_t *magic = rd_take(r, 4);

	if (magic == NULL || memcmp(magic, "TZif", 4) != 0)
		return -1;
	h->version = rd_u8(r);
	rd_skip(r, 15);
	h->isutcnt = rd_be32(r);
	h->isstdcnt = rd_be32(r);
	h->leapcnt = rd_be32(r);
	h->timecnt = rd_be32(r);
	h->typecnt = rd_be32(r);
	h->charcnt = rd_be32(r);
	return r->bad ? -1 : 0;
}

static uint64_t
block_size(const struct hdr *h, int tsize)
{
	return (uint64_t)h->timecnt * (uint64_t)tsize + h->timecnt +
	    (uint64_t)h->typecnt * 6 + h->charcnt +
	    (uint64_t)h->leapcnt * (uint64_t)(tsize + 4) + h->isstdcnt +
	    h->isutcnt;
}

void
tz_free(struct tz *z)
{
	if (z == NULL)
		return;
	free(z->trans);
	free(z->tidx);
	free(z->types);
	free(z->chars);
	free(z);
}

struct tz *
tz_parse(const char *name, const uint8_t *p, size_t len, char *errbuf)
{
	struct rd r;
	struct hdr h;
	struct tz *z;
	int tsize = 4;
	size_t i;

	rd_init(&r, p, len);
	if (read_hdr(&r, &h) != 0)
		goto bad_hdr;
	if (h.version != 0 && h.version < '2')
		goto bad_hdr;
	if (h.version >= '2') {
		/* Skip the version 1 block; its 32-bit data is a subset. */
		uint64_t n = block_size(&h, 4);

		if (n > rd_left(&r) || rd_skip(&r, (size_t)n) != 0 ||
		    read_hdr(&r, &h) != 0)
			goto bad_hdr;
		tsize = 8;
	}
	if (h.typecnt == 0 || h.typecnt > TZ_MAXTYPES || h.charcnt == 0 ||
	    (h.isstdcnt != 0 && h.isstdcnt != h.typecnt) ||
	    (h.isutcnt != 0 && h.isutcnt != h.typecnt) ||
	    block_size(&h, tsize) > rd_left(&r)) {
		err_set(errbuf, "%s: TZif header counts are inconsistent with "
		    "the file size", name);
		return NULL;
	}
	z = xcalloc(1, sizeof(*z));
	snprintf(z->name, sizeof(z->name), "%s", name);
	z->ntrans = h.timecnt;
	z->trans = xreallocarray(NULL, h.timecnt + 1, sizeof(int64_t));
	z->tidx = xmalloc(h.timecnt + 1);
	z->ntypes = h.typecnt;
	z->types = xreallocarray(NULL, h.typecnt, sizeof(struct ttype));
	z->nchars = h.charcnt;
	z->chars = xmalloc(h.charcnt + 1);
	for (i = 0; i < h.timecnt; i++) {
		z->trans[i] = tsize == 8 ? (int64_t)rd_be64(&r) :
		    (int64_t)(int32_t)rd_be32(&r);
		if (i > 0 && z->trans[i] <= z->trans[i - 1]) {
			err_set(errbuf, "%s: transition times are not ascending",
			    name);
			goto fail;
		}
	}
	for (i = 0; i < h.timecnt; i++)
		if ((z->tidx[i] = rd_u8(&r)) >= h.typecnt) {
			err_set(errbuf, "%s: transition type index out of range",
			    name);
			goto fail;
		}
	for (i = 0; i < h.typecnt; i++) {
		int32_t off = (int32_t)rd_be32(&r);

		z->types[i].off = off;
		z->types[i].dst = rd_u8(&r);
		z->types[i].abbr = rd_u8(&r);
		if (off < -25 * 3600 || off > 26 * 3600 || z->types[i].dst > 1 ||
		    z->types[i].abbr >= h.charcnt) {
			err_set(errbuf, "%s: local time type %zu is invalid",
			    name, i);
			goto fail;
		}
	}
	rd_copy(&r, z->chars, h.charcnt);
	z->chars[h.charcnt] = '\0';
	rd_skip(&r, (size_t)h.leapcnt * (size_t)(tsize + 4) + h.isstdcnt +
	    h.isutcnt);
	if (r.bad)
		goto bad_hdr_z;
	if (tsize == 8) {
		/* Footer: "\n" TZ-string "\n". */
		const uint8_t *nl;
		size_t left = rd_left(&r), n;
		char spec[256];

		if (left < 2 || rd_u8(&r) != '\n') {
			err_set(errbuf, "%s: TZif footer is missing", name);
			goto fail;
		}
		nl = memchr(r.p + r.off, '\n', rd_left(&r));
		n = nl != NULL ? (size_t)(nl - (r.p + r.off)) : 0;
		if (nl == NULL || n >= sizeof(spec)) {
			err_set(errbuf, "%s: TZif footer is malformed", name);
			goto fail;
		}
		memcpy(spec, r.p + r.off, n);
		spec[n] = '\0';
		if (n > 0) {
			if (memchr(spec, '\0', n) != NULL ||
			    parse_posix(spec, &z->rule) != 0) {
				err_set(errbuf, "%s: TZ string '%.64s' in the "
				    "footer is not valid", name, spec);
				goto fail;
			}
			z->has_rule = 1;
		}
	}
	return z;
bad_hdr_z:
	tz_free(z);
bad_hdr:
	err_set(errbuf, "%s: not a TZif file or truncated", name);
	return NULL;
fail:
	tz_free(z);
	return NULL;
}

struct tz *
tz_from_posix(const char *spec, char *errbuf)
{
	struct tz *z;
	struct prule r;

	if (strlen(spec) >= 256 || parse_posix(spec, &r) != 0) {
		err_set(errbuf, "'%.64s' is not a POSIX TZ string", spec);
		return NULL;
	}
	z = xcalloc(1, sizeof(*z));
	snprintf(z->name, sizeof(z->name), "%s", spec);
	z->has_rule = 1;
	z->rule = r;
	/* One type, so tz_at never reaches an empty table. */
	z->ntypes = 1;
	z->types = xcalloc(1, sizeof(struct ttype));
	z->types[0].off = r.std_off;
	z->chars = xstrdup(r.std);
	z->nchars = strlen(r.std) + 1;
	return z;
}

static int
name_ok(const char *name)
{
	const char *p, *comp = name;
	size_t n = strlen(name);

	if (n == 0 || n >= TZ_NAME_MAX - 1 || name[0] == '/')
		return 0;
	for (p = name; ; p++) {
		if (*p == '/' || *p == '\0') {
			size_t cl = (size_t)(p - comp);

			if (cl == 0 || (cl == 1 && comp[0] == '.') ||
			    (cl == 2 && comp[0] == '.' && comp[1] == '.'))
				return 0;
			if (*p == '\0')
				break;
			comp = p + 1;
			continue;
		}
		if (!isalnum((unsigned char)*p) && strchr("._+-", *p) == NULL)
			return 0;
	}
	return 1;
}

static const char *
tzdir(void)
{
	const char *d = getenv("TZDIR");

	return d != NULL && *d != '\0' ? d : "/usr/share/zoneinfo";
}

/* Read a whole regular file of at most TZ_FILE_MAX bytes. */
static uint8_t *
slurp(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	size_t got = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > TZ_FILE_MAX) {
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	*len = got;
	return buf;
}

struct tz *
tz_load(const char *name, char *errbuf)
{
	char path[4096], err[ERRBUF_SIZE];
	uint8_t *buf;
	size_t len;
	struct tz *z;

	if (!name_ok(name)) {
		err_set(errbuf, "timezone '%.64s' is not a zone name such as "
		    "Asia/Tokyo", name);
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/%s", tzdir(), name);
	if ((buf = slurp(path, &len)) == NULL) {
		err_set(errbuf, "timezone '%.64s' is not a known zone", name);
		return NULL;
	}
	z = tz_parse(name, buf, len, err);
	free(buf);
	if (z == NULL)
		err_set(errbuf, "timezone %s", err);
	return z;
}

const char *
tz_name(const struct tz *z)
{
	return z->name;
}

/* ---- lookups -------------------------------------------------------------- */

static void
type_info(const struct tz *z, size_t ti, struct tz_info *out)
{
	const struct ttype *t = &z->types[ti];

	out->utc_offset_s = t->off;
	out->is_dst = t->dst;
	abbr_copy(out->abbr, z->chars + t->abbr);
}

/* Index of the last transition at or before t; ntrans if before the first. */
static size_t
find_trans(const struct tz *z, int64_t t)
{
	size_t lo = 0, hi = z->ntrans;

	if (z->ntrans == 0 || t < z->trans[0])
		return z->ntrans;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (z->trans[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

int
tz_at(const struct tz *z, int64_t t, struct tz_info *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	if (z == NULL || z->ntypes == 0)
		return -1;
	if (z->has_rule && (z->ntrans == 0 || t >= z->trans[z->ntrans - 1])) {
		rule_info(&z->rule, t, out);
		return 0;
	}
	i = find_trans(z, t);
	type_info(z, i == z->ntrans ? 0 : z->tidx[i], out);
	return 0;
}

int
tz_local(const struct tz *z, int64_t t, struct tz_tm *out)
{
	int64_t days, secs, local;

	memset(out, 0, sizeof(*out));
	if (tz_at(z, t, &out->info) != 0)
		return -1;
	if (t > INT64_MAX / 2 || t < INT64_MIN / 2)
		return -1;
	local = t + out->info.utc_offset_s;
	days = floordiv(local, 86400);
	secs = local - days * 86400;
	tz_civil_from_days(days, &out->year, &out->mon, &out->mday);
	out->hour = (int)(secs / 3600);
	out->min = (int)(secs / 60 % 60);
	out->sec = (int)(secs % 60);
	out->wday = (int)((days % 7 + 7 + 4) % 7);
	out->yday = (int)(days - days_from_civil(out->year, 1, 1));
	return 0;
}

static int
info_eq(const struct tz_info *a, const struct tz_info *b)
{
	return a->utc_offset_s == b->utc_offset_s && a->is_dst == b->is_dst &&
	    strcmp(a->abbr, b->abbr) == 0;
}

int
tz_next_change(const struct tz *z, int64_t t, int64_t *next)
{
	struct tz_info cur, nx;
	size_t i;

	if (tz_at(z, t, &cur) != 0)
		return -1;
	/* Table transitions after t. */
	i = find_trans(z, t);
	for (i = i == z->ntrans ? 0 : i + 1; i < z->ntrans; i++) {
		if (z->trans[i] <= t)
			continue;
		tz_at(z, z->trans[i], &nx);
		if (!info_eq(&cur, &nx)) {
			*next = z->trans[i];
			return 0;
		}
	}
	if (z->has_rule && z->rule.has_dst) {
		int64_t base = z->ntrans > 0 && z->trans[z->ntrans - 1] > t ?
		    z->trans[z->ntrans - 1] : t;
		int64_t y, yy, best = INT64_MAX, s, e;
		int m, d;

		tz_civil_from_days(floordiv(base + z->rule.std_off, 86400), &y,
		    &m, &d);
		for (yy = y - 1; yy <= y + 2; yy++) {
			rule_year(&z->rule, yy, &s, &e);
			if (s > t && s < best) {
				tz_at(z, s, &nx);
				if (!info_eq(&cur, &nx))
					best = s;
			}
			if (e > t && e < best) {
				tz_at(z, e, &nx);
				if (!info_eq(&cur, &nx))
					best = e;
			}
		}
		if (best != INT64_MAX) {
			*next = best;
			return 0;
		}
	}
	if (z->has_rule && z->ntrans > 0 && t < z->trans[z->ntrans - 1]) {
		/* The rule takes over at the last transition. */
		tz_at(z, z->trans[z->ntrans - 1], &nx);
		if (!info_eq(&cur, &nx)) {
			*next = z->trans[z->ntrans - 1];
			return 0;
		}
	}
	return -1;
}

int
tz_from_local(const struct tz *z, int64_t wall, int64_t *utc_s)
{
	struct tz_info a, b;
	int64_t cand[2], best = INT64_MAX;
	int i, n = 0;

	/* The offsets in force a day either side cover every real zone
	 * (no zone moves by more than a day at once). */
	if (tz_at(z, wall - 86400, &a) != 0 || tz_at(z, wall + 86400, &b) != 0)
		return -1;
	cand[0] = wall - a.utc_offset_s;
	cand[1] = wall - b.utc_offset_s;
	for (i = 0; i < 2; i++) {
		struct tz_info x;

		if (i == 1 && cand[1] == cand[0])
			break;
		tz_at(z, cand[i], &x);
		if (cand[i] + x.utc_offset_s == wall) {
			n++;
			if (cand[i] < best)
				best = cand[i];
		}
	}
	if (n > 0) {
		*utc_s = best;
		return n;
	}
	/* Skipped: the clock jumps from before wall to after it at the
	 * transition between the two candidates. */
	{
		int64_t lo = cand[0] < cand[1] ? cand[0] : cand[1], nx;

		if (tz_next_change(z, lo - 1, &nx) == 0)
			*utc_s = nx;
		else
			*utc_s = lo;
	}
	return 0;
}

char *
tz_rfc3339(const struct tz *z, int64_t t, char *buf, size_t len)
{
	struct tz_tm tm;
	int off, sign;

	if (tz_local(z, t, &tm) != 0) {
		snprintf(buf, len, "?");
		return buf;
	}
	off = tm.info.utc_offset_s;
	sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	snprintf(buf, len, "%04lld-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
	    (long long)tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec, sign,
	    off / 3600, off / 60 % 60);
	return buf;
}

/* ---- cache ---------------------------------------------------------------- */

struct centry {
	struct centry *next;
	char *name;
	struct tz *z;		/* NULL: failed, err says why */
	char *err;
};

static pthread_mutex_t cache_mtx = PTHREAD_MUTEX_INITIALIZER;
static struct centry *cache;
static struct tz *local_zone;

const struct tz *
tz_get(const char *name, char *errbuf)
{
	struct centry *e;
	char err[ERRBUF_SIZE];
	const struct tz *z;

	pthread_mutex_lock(&cache_mtx);
	for (e = cache; e != NULL; e = e->next)
		if (strcmp(e->name, name) == 0)
			break;
	if (e == NULL) {
		e = xcalloc(1, sizeof(*e));
		e->name = xstrdup(name);
		err[0] = '\0';
		e->z = tz_load(name, err);
		if (e->z == NULL)
			e->err = xstrdup(err);
		e->next = cache;
		cache = e;
	}
	z = e->z;
	if (z == NULL)
		err_set(errbuf, "%s", e->err);
	pthread_mutex_unlock(&cache_mtx);
	return z;
}

void
tz_cache_clear(void)
{
	struct centry *e, *n;

	pthread_mutex_lock(&cache_mtx);
	for (e = cache; e != NULL; e = n) {
		n = e->next;
		tz_free(e->z);
		free(e->name);
		free(e->err);
		free(e);
	}
	cache = NULL;
	tz_free(local_zone);
	local_zone = NULL;
	pthread_mutex_unlock(&cache_mtx);
}

static struct tz *
load_local(void)
{
	const char *tzenv = getenv("TZ");
	char err[ERRBUF_SIZE], link[4096];
	struct tz *z = NULL;
	uint8_t *buf;
	size_t len;
	ssize_t n;

	if (tzenv != NULL && *tzenv != '\0') {
		const char *nm = tzenv[0] == ':' ? tzenv + 1 : tzenv;

		if ((z = tz_load(nm, err)) != NULL)
			return z;
		if (tzenv[0] != ':' && (z = tz_from_posix(tzenv, err)) != NULL)
			return z;
	}
	if ((buf = slurp("/etc/localtime", &len)) != NULL) {
		const char *nm = "localtime", *p;

		if ((n = readlink("/etc/localtime", link, sizeof(link) - 1)) > 0) {
			link[n] = '\0';
			if ((p = strstr(link, "zoneinfo/")) != NULL)
				nm = p + 9;
		}
		z = tz_parse(nm, buf, len, err);
		free(buf);
		if (z != NULL)
			return z;
	}
	/* Nothing configured: kyocho's home, Japan (no DST since 1951). */
	if ((z = tz_load("Asia/Tokyo", err)) != NULL)
		return z;
	return tz_from_posix("JST-9", err);
}

const struct tz *
tz_local_zone(void)
{
	const struct tz *z;

	pthread_mutex_lock(&cache_mtx);
	if (local_zone == NULL)
		local_zone = load_local();
	z = local_zone;
	pthread_mutex_unlock(&cache_mtx);
	return z;
}

/* ---- zone1970.tab ----------------------------------------------------------- */

int
tz_country_zones(const char *cc, char (*names)[TZ_NAME_MAX], int max,
    char *errbuf)
{
	char path[4096], line[1024], up[3];
	FILE *f;
	int n = 0;

	if (strlen(cc) != 2 || !isalpha((unsigned char)cc[0]) ||
	    !isalpha((unsigned char)cc[1]))
		return 0;
	up[0] = (char)toupper((unsigned char)cc[0]);
	up[1] = (char)toupper((unsigned char)cc[1]);
	up[2] = '\0';
	snprintf(path, sizeof(path), "%s/zone1970.tab", tzdir());
	if ((f = fopen(path, "r")) == NULL)
		return err_set(errbuf, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL && n < max) {
		char *codes, *zone, *save = NULL, *c;

		if (line[0] == '#')
			continue;
		codes = strtok_r(line, "\t\n", &save);
		(void)strtok_r(NULL, "\t\n", &save);	/* coordinates */
		zone = strtok_r(NULL, "\t\n", &save);
		if (codes == NULL || zone == NULL)
			continue;
		for (c = codes; *c != '\0'; c += strcspn(c, ",") + (c[strcspn(c, ",")] != '\0')) {
			if (strncmp(c, up, 2) == 0 && (c[2] == ',' || c[2] == '\0')) {
				snprintf(names[n++], TZ_NAME_MAX, "%s", zone);
				break;
			}
		}
	}
	fclose(f);
	return n;
}

/* The country of zone in one tab file: 1 found, 0 not listed, -1 unreadable. */
static int
zone_country_in(const char *file, const char *zone, char cc[3])
{
	char path[4096], line[1024];
	FILE *f;
	int found = 0;

	snprintf(path, sizeof(path), "%s/%s", tzdir(), file);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		char *codes, *z, *save = NULL;

		if (line[0] == '#')
			continue;
		codes = strtok_r(line, "\t\n", &save);
		(void)strtok_r(NULL, "\t\n", &save);	/* coordinates */
		z = strtok_r(NULL, "\t\n", &save);
		if (codes == NULL || z == NULL || strcmp(z, zone) != 0)
			continue;
		if (isalpha((unsigned char)codes[0]) &&
		    isalpha((unsigned char)codes[1]) &&
		    (codes[2] == ',' || codes[2] == '\0')) {
			cc[0] = (char)toupper((unsigned char)codes[0]);
			cc[1] = (char)toupper((unsigned char)codes[1]);
			cc[2] = '\0';
			found = 1;
		}
	}
	fclose(f);
	return found;
}

int
tz_zone_country(const char *name, char cc[3], char *errbuf)
{
	int r;

	cc[0] = '\0';
	if (name == NULL || *name == '\0')
		return 0;
	if (zone_country_in("zone.tab", name, cc) == 1)
		return 1;
	if ((r = zone_country_in("zone1970.tab", name, cc)) < 0)
		return err_set(errbuf, "%s/zone1970.tab: %s", tzdir(),
		    strerror(errno));
	return r;
}

const char *
tz_default_name(const char *tzenv, const char *localtime, char *buf,
    size_t len)
{
	char err[ERRBUF_SIZE], link[4096];
	const char *p;
	struct tz *z;
	ssize_t n;

	if (tzenv != NULL && *tzenv != '\0' && strlen(tzenv) < len) {
		const char *nm = tzenv[0] == ':' ? tzenv + 1 : tzenv;

		if (*nm != '\0' && tz_get(nm, err) != NULL) {
			snprintf(buf, len, "%s", nm);
			return buf;
		}
		if (tzenv[0] != ':' && (z = tz_from_posix(tzenv, err)) != NULL) {
			tz_free(z);
			snprintf(buf, len, "%s", tzenv);
			return buf;
		}
	}
	if (localtime != NULL &&
	    (n = readlink(localtime, link, sizeof(link) - 1)) > 0) {
		link[n] = '\0';
		if ((p = strstr(link, "zoneinfo/")) != NULL && p[9] != '\0' &&
		    strlen(p + 9) < len && tz_get(p + 9, err) != NULL) {
			snprintf(buf, len, "%s", p + 9);
			return buf;
		}
	}
	return NULL;
}
