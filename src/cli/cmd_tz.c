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

#include "cli/commands.h"
#include "base/jsonw.h"
#include "time/tz.h"
#include "base/util.h"

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
	int rc = CMD_OK;

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
			rc = CMD_FAIL;
			continue;
		}
		if ((z = tz_get(zone, err)) == NULL || tz_local(z, t, &tm) != 0) {
			printf("%s ERROR %s\n", zone, err);
			rc = CMD_FAIL;
			continue;
		}
		local_str(&tm, loc, sizeof(loc));
		printf("%s %lld %s %d %d %s\n", zone, (long long)t, loc,
		    tm.info.utc_offset_s, tm.info.is_dst, tm.info.abbr);
	}
	return rc;
}

/* --country CC: the zones tzdata lists for a country. */
static int
country_zones(const char *cc)
{
	char errbuf[ERRBUF_SIZE];
	char (*names)[TZ_NAME_MAX] = xcalloc(64, TZ_NAME_MAX);
	int n = tz_country_zones(cc, names, 64, errbuf), i, rc = CMD_OK;

	if (n < 0) {
		fprintf(stderr, "kyocho tz: %s\n", errbuf);
		rc = CMD_FAIL;
	} else if (n == 0) {
		fprintf(stderr, "kyocho tz: no zones listed for '%s'\n", cc);
		rc = CMD_FAIL;
	}
	for (i = 0; i < n; i++)
		printf("%s\n", names[i]);
	free(names);
	return rc;
}

/* Print each zone at each time, as text or (json) a JSON array. */
static int
show_zones(const char *const *zones, int nz, const int64_t *times, int nt,
    int json)
{
	char errbuf[ERRBUF_SIZE];
	struct jsonw w;
	int i, j, rc = CMD_OK;

	if (json) {
		jsonw_init(&w, stdout, 1);
		jsonw_arr_open(&w);
	}
	for (i = 0; i < nz; i++) {
		const struct tz *z = tz_get(zones[i], errbuf);

		if (z == NULL && strcmp(zones[i], tz_name(tz_local_zone())) == 0)
			z = tz_local_zone();
		if (z == NULL) {
			fprintf(stderr, "kyocho tz: %s\n", errbuf);
			rc = CMD_FAIL;
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
			if (json) {
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
	if (json) {
		jsonw_arr_close(&w);
		jsonw_end(&w);
	}
	return rc;
}

static int
tz_exec(struct args *a, struct options *opt)
{
	const char *zones[256];
	int64_t times[1024];
	int nz = 0, nt = 0, i;

	(void)opt;
	if (args_has(a, "batch"))
		return run_batch();
	if (args_has(a, "country"))
		return country_zones(args_get(a, "country"));
	for (i = 0; i < args_count(a); i++) {
		const char *w = args_word(a, i);

		if (looks_like_time(w)) {
			if (nt == (int)NITEMS(times) ||
			    time_parse_instant(w, &times[nt]) != 0) {
				fprintf(stderr, "kyocho tz: '%s' is not a time "
				    "(RFC 3339, @SECONDS or now)\n", w);
				return CMD_USAGE;
			}
			nt++;
		} else if (nz < (int)NITEMS(zones))
			zones[nz++] = w;
	}
	if (nz == 0)
		zones[nz++] = tz_name(tz_local_zone());
	if (nt == 0)
		times[nt++] = (int64_t)time(NULL);
	return show_zones(zones, nz, times, nt, args_has(a, "json"));
}

static const struct args_opt tz_opts[] = {
	{ .name = "json", .sname = 'j', .help = "a JSON array" },
	{ .name = "batch", .help = "answer 'ZONE TIME' lines read from stdin" },
	{ .name = "country", .arg = "CC",
	  .help = "the zones tzdata lists for a country" },
	{ .name = NULL },
};

const struct cmd_entry cmd_tz_entry = {
	.name = "tz",
	.usage = "[--json] ZONE... [TIME...]\n--country CC\n"
	    "--batch < 'ZONE TIME' lines",
	.help = "local time, offset and DST of IANA zones",
	.text = "TIME is RFC 3339 (2026-11-26T09:30:00Z), @SECONDS or now "
	    "(default).\n--batch answers each line with\n"
	    "  ZONE SECONDS YYYY-MM-DDTHH:MM:SS OFFSET_S ISDST ABBR\n",
	.opts = tz_opts,
	.maxargs = -1,
	.exec = tz_exec,
};
