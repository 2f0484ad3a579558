/*
 * cmd_tz.c -- `kyocho tz`: local time, UTC offset, abbreviation and DST of
 * IANA zones at given instants, computed by tz.c (the same code the
 * contacts use), for operators ("what time is it in Europe/Moscow") and for
 * the zdump comparison in tests/e2e/tz_zdump.sh.
 *
 *   kyocho tz [--json] ZONE... [TIME...]    TIME: RFC 3339, @SECONDS or now
 *   kyocho tz --country CC                  zones tzdata lists for a country
 *   kyocho tz --batch < lines               "ZONE TIME" in, one line out each:
 *       ZONE SECONDS YYYY-MM-DDTHH:MM:SS OFFSET_S ISDST ABBR
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "args.h"
#include "commands.h"
#include "config.h"
#include "jsonw.h"
#include "tz.h"
#include "util.h"

enum { O_JSON = 1, O_BATCH, O_COUNTRY, O_HELP };

static const struct argdef tz_args[] = {
	{ "json", 'j', 0, O_JSON },
	{ "batch", 0, 0, O_BATCH },
	{ "country", 0, 1, O_COUNTRY },
	{ "help", 'h', 0, O_HELP },
	{ NULL, 0, 0, 0 },
};

struct tzopts {
	int json, batch, help;
	const char *country;
};

static int
tz_flag(void *ctx, int id, const char *value, char *errbuf)
{
	struct tzopts *o = ctx;

	(void)errbuf;
	switch (id) {
	case O_JSON:
		o->json = 1;
		break;
	case O_BATCH:
		o->batch = 1;
		break;
	case O_COUNTRY:
		o->country = value;
		break;
	case O_HELP:
		o->help = 1;
		break;
	}
	return 0;
}

static int
looks_like_time(const char *s)
{
	return s[0] == '@' || isdigit((unsigned char)s[0]) ||
	    strcmp(s, "now") == 0;
}

static void
local_str(const struct tz_tm *tm, char *buf, size_t len)
{
	snprintf(buf, len, "%04lld-%02d-%02dT%02d:%02d:%02d",
	    (long long)tm->year, tm->mon, tm->mday, tm->hour, tm->min, tm->sec);
}

static int
run_batch(void)
{
	char line[1024], err[ERRBUF_SIZE], loc[64];
	int rc = 0;

	while (fgets(line, sizeof(line), stdin) != NULL) {
		char *zone, *when, *save = NULL;
		const struct tz *z;
		struct tz_tm tm;
		int64_t t;

		zone = strtok_r(line, " \t\r\n", &save);
		when = strtok_r(NULL, " \t\r\n", &save);
		if (zone == NULL)
			continue;
		if (when == NULL || time_parse_instant(when, &t) != 0) {
			printf("%s ERROR bad-time\n", zone);
			rc = 1;
			continue;
		}
		if ((z = tz_get(zone, err)) == NULL || tz_local(z, t, &tm) != 0) {
			printf("%s ERROR %s\n", zone, err);
			rc = 1;
			continue;
		}
		local_str(&tm, loc, sizeof(loc));
		printf("%s %lld %s %d %d %s\n", zone, (long long)t, loc,
		    tm.info.utc_offset_s, tm.info.is_dst, tm.info.abbr);
	}
	return rc;
}

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: kyocho tz [--json] ZONE... [TIME...]\n"
	    "       kyocho tz --country CC\n"
	    "       kyocho tz --batch < 'ZONE TIME' lines\n"
	    "TIME is RFC 3339 (2026-11-26T09:30:00Z), @SECONDS or now (default).\n");
}

int
cmd_tz(int argc, char **argv, struct options *opt)
{
	struct tzopts o;
	char errbuf[ERRBUF_SIZE], **pos = NULL;
	const char *zones[256];
	int64_t times[1024];
	int npos = 0, nz = 0, nt = 0, i, j, rc = 0;

	memset(&o, 0, sizeof(o));
	if (args_parse(argc, argv, 1, tz_args, tz_flag, &o, opt, &pos, &npos,
	    errbuf) != 0) {
		fprintf(stderr, "kyocho tz: %s\n", errbuf);
		free(pos);
		return 2;
	}
	if (o.help) {
		usage(stdout);
		free(pos);
		return 0;
	}
	if (o.batch) {
		free(pos);
		return run_batch();
	}
	if (o.country != NULL) {
		char (*names)[TZ_NAME_MAX] = xcalloc(64, TZ_NAME_MAX);
		int n = tz_country_zones(o.country, names, 64, errbuf);

		if (n < 0) {
			fprintf(stderr, "kyocho tz: %s\n", errbuf);
			rc = 1;
		} else if (n == 0) {
			fprintf(stderr, "kyocho tz: no zones listed for '%s'\n",
			    o.country);
			rc = 1;
		}
		for (i = 0; i < n; i++)
			printf("%s\n", names[i]);
		free(names);
		free(pos);
		return rc;
	}
	for (i = 0; i < npos; i++) {
		if (looks_like_time(pos[i])) {
			if (nt == (int)NITEMS(times) ||
			    time_parse_instant(pos[i], &times[nt]) != 0) {
				fprintf(stderr, "kyocho tz: '%s' is not a time "
				    "(RFC 3339, @SECONDS or now)\n", pos[i]);
				free(pos);
				return 2;
			}
			nt++;
		} else if (nz < (int)NITEMS(zones))
			zones[nz++] = pos[i];
	}
	if (nz == 0)
		zones[nz++] = tz_name(tz_local_zone());
	if (nt == 0)
		times[nt++] = (int64_t)time(NULL);
	{
		struct jsonw w;

		if (o.json) {
			jsonw_init(&w, stdout, 1);
			jsonw_arr_open(&w);
		}
		for (i = 0; i < nz; i++) {
			const struct tz *z = tz_get(zones[i], errbuf);

			if (z == NULL && strcmp(zones[i], tz_name(tz_local_zone())) == 0)
				z = tz_local_zone();
			if (z == NULL) {
				fprintf(stderr, "kyocho tz: %s\n", errbuf);
				rc = 1;
				continue;
			}
			for (j = 0; j < nt; j++) {
				struct tz_tm tm;
				char r3[40], utc[40];
				static const char *const wd[] = { "Sun", "Mon",
				    "Tue", "Wed", "Thu", "Fri", "Sat" };

				if (tz_local(z, times[j], &tm) != 0)
					continue;
				tz_rfc3339(z, times[j], r3, sizeof(r3));
				time_rfc3339(utc, sizeof(utc), times[j] * 1000000, 0);
				if (o.json) {
					jsonw_obj_open(&w);
					jsonw_kstr(&w, "zone", tz_name(z));
					jsonw_kstr(&w, "utc", utc);
					jsonw_kstr(&w, "local_time", r3);
					jsonw_ki64(&w, "utc_offset_s",
					    tm.info.utc_offset_s);
					jsonw_kbool(&w, "dst", tm.info.is_dst);
					jsonw_kstr(&w, "abbreviation", tm.info.abbr);
					jsonw_kstr(&w, "weekday", wd[tm.wday]);
					jsonw_obj_close(&w);
				} else
					printf("%-24s %s %s %-6s %s%s\n", tz_name(z),
					    wd[tm.wday], r3, tm.info.abbr,
					    tm.info.is_dst ? "DST " : "", utc);
			}
		}
		if (o.json) {
			jsonw_arr_close(&w);
			jsonw_end(&w);
		}
	}
	free(pos);
	return rc;
}
