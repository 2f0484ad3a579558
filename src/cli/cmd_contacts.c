/*
 * cmd_contacts.c -- `kyocho contacts`: check the contact database, or list
 * the points of contact for an address, AS number or country with their
 * local time and whether they are open, most relevant and most awake first.
 *
 *   kyocho contacts [--check] [--for ADDR|ASN|CC] [--at TIME] [--json]
 *                   [--contacts FILE] [--our-zone ZONE] [--our-hours HOURS]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cmd_foralert.h"
#include "cli/commands.h"
#include "contacts/contacts.h"
#include "time/hours.h"
#include "base/jsonw.h"
#include "time/tz.h"
#include "base/util.h"

/* "8h30m", "2d3h", "45m", "30s". */
static void
duration(int64_t s, char *buf, size_t len)
{
	if (s < 0)
		s = 0;
	if (s >= 86400)
		snprintf(buf, len, "%lldd%lldh", (long long)(s / 86400),
		    (long long)(s % 86400 / 3600));
	else if (s >= 3600)
		snprintf(buf, len, "%lldh%02lldm", (long long)(s / 3600),
		    (long long)(s % 3600 / 60));
	else if (s >= 60)
		snprintf(buf, len, "%lldm", (long long)(s / 60));
	else
		snprintf(buf, len, "%llds", (long long)s);
}

/* Sanitised s cut to at most cols terminal columns, padded with spaces. */
static void
cell(char *dst, size_t dstlen, const char *s, size_t cols)
{
	char clean[512];
	size_t n = text_sanitize(clean, sizeof(clean), s, strlen(s));
	size_t i = 0, w = 0, o = 0;

	while (i < n) {
		uint32_t cp;
		size_t l = utf8_decode(clean + i, n - i, &cp);
		int cw;

		if (l == 0)
			break;
		cw = utf8_cpwidth(cp);
		if (w + (size_t)cw > cols || o + l + 1 >= dstlen)
			break;
		memcpy(dst + o, clean + i, l);
		o += l;
		w += (size_t)cw;
		i += l;
	}
	while (w < cols && o + 1 < dstlen) {
		dst[o++] = ' ';
		w++;
	}
	dst[o] = '\0';
}

static const char *const wdays[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
    "Fri", "Sat" };

/* "Mon 09:00" of t in z. */
static void
short_time(const struct tz *z, int64_t t, char *buf, size_t len)
{
	struct tz_tm tm;

	if (tz_local(z, t, &tm) != 0)
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "%s %02d:%02d", wdays[tm.wday], tm.hour,
		    tm.min);
}

static const char *
rel_name(enum contacts_rel r)
{
	switch (r) {
	case REL_PREFIX:
		return "prefix";
	case REL_ASN:
		return "asn";
	case REL_COUNTRY:
		return "country";
	case REL_GLOBAL:
		return "global";
	default:
		return "any";
	}
}

static void
json_list(struct jsonw *w, const char *key, const struct contact_list *l)
{
	size_t i;

	jsonw_key(w, key);
	jsonw_arr_open(w);
	for (i = 0; i < l->n; i++)
		jsonw_str(w, l->v[i]);
	jsonw_arr_close(w);
}

static void
kstr_opt(struct jsonw *w, const char *key, const char *v)
{
	if (v != NULL && *v != '\0')
		jsonw_kstr(w, key, v);
}

static void
json_contact(struct jsonw *w, const struct contact_match *m, int64_t at,
    const struct hours *ours, const struct tz *ourz)
{
	const struct contact *c = m->c;
	const struct contact_status *st = &m->st;
	char buf[64], pf[64];
	size_t i;

	jsonw_obj_open(w);
	jsonw_kstr(w, "id", c->id);
	jsonw_kstr(w, "org", *c->org != '\0' ? c->org : c->id);
	kstr_opt(w, "team", c->team);
	jsonw_kstr(w, "kind", contacts_kind_name(c->kind));
	kstr_opt(w, "country", c->country);
	jsonw_kstr(w, "match", rel_name(m->rel));
	if (m->rel == REL_PREFIX)
		jsonw_ki64(w, "match_prefix_len", m->plen);
	if (st->has_zone) {
		jsonw_kstr(w, "timezone", tz_name(c->tz));
		if (c->tz_inferred)
			jsonw_kbool(w, "timezone_inferred", 1);
		jsonw_kstr(w, "local_time", tz_rfc3339(c->tz, at, buf,
		    sizeof(buf)));
		jsonw_ki64(w, "utc_offset_s", st->local.info.utc_offset_s);
		jsonw_kbool(w, "dst", st->local.info.is_dst);
		jsonw_kstr(w, "abbreviation", st->local.info.abbr);
		jsonw_kstr(w, "weekday", wdays[st->local.wday]);
		jsonw_kbool(w, "awake", st->awake);
	} else {
		jsonw_key(w, "timezone");
		jsonw_null(w);
		jsonw_key(w, "local_time");
		jsonw_null(w);
		jsonw_key(w, "utc_offset_s");
		jsonw_null(w);
		jsonw_key(w, "dst");
		jsonw_null(w);
		if (*c->country != '\0') {
			/* The zones tzdata lists for the country, to choose
			 * from (zone1970.tab). */
			char (*names)[TZ_NAME_MAX] = xcalloc(64, TZ_NAME_MAX);
			char e[ERRBUF_SIZE];
			int nz = tz_country_zones(c->country, names, 64, e), k;

			jsonw_key(w, "suggested_zones");
			jsonw_arr_open(w);
			for (k = 0; k < nz; k++)
				jsonw_str(w, names[k]);
			jsonw_arr_close(w);
			free(names);
		}
	}
	kstr_opt(w, "hours", c->hours_text);
	jsonw_key(w, "open");
	if (st->open < 0)
		jsonw_null(w);
	else
		jsonw_bool(w, st->open);
	if (st->open >= 0) {
		const struct hours_state *h = &st->hs;

		if (h->next_close != HOURS_NEVER && st->open)
			jsonw_ki64(w, "closes_in_s", h->next_close - at);
		if (h->next_open != HOURS_NEVER && !st->open)
			jsonw_ki64(w, "opens_in_s", h->next_open - at);
		if (h->next_change != HOURS_NEVER) {
			jsonw_kstr(w, "next_change_local", tz_rfc3339(c->tz,
			    h->next_change, buf, sizeof(buf)));
			jsonw_kstr(w, "next_change_ours", tz_rfc3339(ourz,
			    h->next_change, buf, sizeof(buf)));
		}
		{
			int64_t d0, d1, tot;
			struct hours_span sp[8];
			size_t nsp = 0;

			hours_local_day(ourz, at, &d0, &d1);
			tot = hours_overlap(c->hours, c->tz, ours, ourz, d0, d1,
			    sp, NITEMS(sp), &nsp);
			jsonw_ki64(w, "overlap_today_s", tot);
			jsonw_key(w, "overlap_today");
			jsonw_arr_open(w);
			for (i = 0; i < nsp; i++) {
				jsonw_obj_open(w);
				jsonw_kstr(w, "start", tz_rfc3339(ourz,
				    sp[i].start, buf, sizeof(buf)));
				jsonw_kstr(w, "end", tz_rfc3339(ourz, sp[i].end,
				    buf, sizeof(buf)));
				jsonw_obj_close(w);
			}
			jsonw_arr_close(w);
		}
	}
	json_list(w, "languages", &c->languages);
	json_list(w, "email", &c->email);
	json_list(w, "abuse_email", &c->abuse_email);
	json_list(w, "phone", &c->phone);
	json_list(w, "emergency_phone", &c->emergency_phone);
	kstr_opt(w, "url", c->url);
	kstr_opt(w, "security_txt", c->security_txt);
	kstr_opt(w, "pgp", c->pgp);
	kstr_opt(w, "tlp", c->tlp);
	kstr_opt(w, "first_id", c->first_id);
	jsonw_key(w, "asn");
	jsonw_arr_open(w);
	for (i = 0; i < c->nasns; i++) {
		if (c->asns[i].lo == c->asns[i].hi)
			snprintf(buf, sizeof(buf), "AS%u", c->asns[i].lo);
		else
			snprintf(buf, sizeof(buf), "AS%u-AS%u", c->asns[i].lo,
			    c->asns[i].hi);
		jsonw_str(w, buf);
	}
	jsonw_arr_close(w);
	jsonw_key(w, "prefixes");
	jsonw_arr_open(w);
	for (i = 0; i < c->nprefixes; i++)
		jsonw_str(w, prefix_format(&c->prefixes[i], pf, sizeof(pf)));
	jsonw_arr_close(w);
	json_list(w, "constituency", &c->constituency);
	kstr_opt(w, "notes", c->notes);
	json_list(w, "source", &c->source);
	kstr_opt(w, "verified", c->verified);
	jsonw_ki64(w, "line", c->line);
	jsonw_obj_close(w);
}

static void
human_contact(const struct contact_match *m, int64_t at, const struct tz *ourz)
{
	const struct contact *c = m->c;
	const struct contact_status *st = &m->st;
	char id[80], org[160], kind[64], when[64], status[160], langs[64];
	char a[32], b[32], d[32], tmp[64];
	size_t i, o = 0;

	cell(id, sizeof(id), c->id, 18);
	cell(org, sizeof(org), *c->org != '\0' ? c->org : c->id, 30);
	cell(kind, sizeof(kind), contacts_kind_name(c->kind), 15);
	if (st->has_zone)
		snprintf(tmp, sizeof(tmp), "%s %02d:%02d %s%s%s",
		    wdays[st->local.wday], st->local.hour, st->local.min,
		    st->local.info.abbr, c->tz_inferred ? "?" : "",
		    st->awake ? "" : " (night)");
	else
		snprintf(tmp, sizeof(tmp), "(no zone)");
	cell(when, sizeof(when), tmp, 24);
	langs[0] = '\0';
	for (i = 0; i < c->languages.n && o + 8 < sizeof(langs); i++)
		o += (size_t)snprintf(langs + o, sizeof(langs) - o, "%s%s",
		    i ? "," : "", c->languages.v[i]);
	if (st->open < 0)
		snprintf(status, sizeof(status), "%s", st->has_zone ?
		    "no hours" : "-");
	else if (st->hs.next_change == HOURS_NEVER)
		snprintf(status, sizeof(status), "%s", st->open ? "open 24x7" :
		    "closed");
	else {
		duration(st->hs.next_change - at, d, sizeof(d));
		short_time(c->tz, st->hs.next_change, a, sizeof(a));
		short_time(ourz, st->hs.next_change, b, sizeof(b));
		snprintf(status, sizeof(status), "%s %s (%s, ours %s)",
		    st->open ? "OPEN, closes in" : "closed, opens in", d, a, b);
	}
	{
		char s2[200];

		cell(s2, sizeof(s2), status, 70);
		for (i = strlen(s2); i > 0 && s2[i - 1] == ' '; i--)
			s2[i - 1] = '\0';
		cell(tmp, sizeof(tmp), langs, 10);
		printf("%-7s %s %s %s %s %s %s\n", rel_name(m->rel), id, org,
		    kind, when, tmp, s2);
	}
}

/* --at: RFC 3339, @SECONDS or now. */
static int
check_time(const char *v, char *errbuf)
{
	int64_t t;

	if (time_parse_instant(v, &t) != 0)
		return err_set(errbuf, "'%s' is not a time (RFC 3339 such as "
		    "2026-11-26T09:30:00+09:00, @SECONDS or now)", v);
	return 0;
}

/* --check: every problem of the file; exit 1 when there are any. */
static int
check_file(struct contacts *db)
{
	char line[1024];
	size_t i;

	for (i = 0; i < contacts_ndiags(db); i++)
		printf("%s\n", contacts_diag_format(db, i, line, sizeof(line)));
	fprintf(stderr, "%s: %zu records, %zu invalid, %zu problems\n",
	    contacts_path(db), contacts_count(db), contacts_ninvalid(db),
	    contacts_ndiags(db));
	return contacts_ndiags(db) > 0 ? CMD_FAIL : CMD_OK;
}

/* The contacts matching q at time at, as a table or (json) JSON. */
static void
show_matches(const struct options *opt, struct contacts *db,
    const struct contacts_query *q, int64_t at, int json)
{
	char errbuf[ERRBUF_SIZE];
	struct contact_match *m = NULL;
	struct hours ours;
	const struct tz *ourz;
	size_t i, n;

	ourz = opt->our_zone != NULL ? tz_get(opt->our_zone, errbuf) : NULL;
	if (ourz == NULL)
		ourz = tz_local_zone();
	if (opt->our_hours == NULL ||
	    hours_parse(opt->our_hours, strlen(opt->our_hours), &ours,
	    errbuf) != 0)
		hours_default(&ours);
	n = contacts_match(db, q, at, &m);
	if (json) {
		struct jsonw w;

		jsonw_init(&w, stdout, 1);
		jsonw_arr_open(&w);
		for (i = 0; i < n; i++)
			json_contact(&w, &m[i], at, &ours, ourz);
		jsonw_arr_close(&w);
		jsonw_end(&w);
	} else {
		char now[40], hdr[4][80];

		printf("At %s (our zone %s)\n", tz_rfc3339(ourz, at, now,
		    sizeof(now)), tz_name(ourz));
		cell(hdr[0], sizeof(hdr[0]), "ID", 18);
		cell(hdr[1], sizeof(hdr[1]), "ORGANISATION", 30);
		cell(hdr[2], sizeof(hdr[2]), "KIND", 15);
		cell(hdr[3], sizeof(hdr[3]), "THEIR TIME", 24);
		printf("%-7s %s %s %s %s %-10s %s\n", "MATCH", hdr[0], hdr[1],
		    hdr[2], hdr[3], "LANG", "STATUS");
		for (i = 0; i < n; i++)
			human_contact(&m[i], at, ourz);
		if (n == 0)
			printf("(no contacts)\n");
	}
	free(m);
}

static int
contacts_exec(struct args *a, struct options *opt)
{
	char errbuf[ERRBUF_SIZE], *path = NULL;
	struct contacts *db = NULL;
	struct contacts_query q;
	int64_t at = (int64_t)time(NULL);
	int rc = CMD_OK;

	if (args_count(a) > 0) {
		char safe[64];

		text_sanitize(safe, sizeof(safe), args_word(a, 0),
		    strlen(args_word(a, 0)));
		return args_usage_error(a, "unexpected '%s' (use --for)", safe);
	}
	if (args_get(a, "at") != NULL)
		(void)time_parse_instant(args_get(a, "at"), &at); /* checked */
	if (args_get(a, "for-alert") != NULL) {
		if (args_has(a, "for") || args_has(a, "check"))
			return args_usage_error(a, "--for-alert goes without "
			    "--for and --check");
		return contacts_for_alert(stdout, args_get(a, "for-alert"),
		    args_has(a, "json"), at, NULL, opt);
	}
	if (contacts_query_parse(args_get(a, "for"), &q, errbuf) != 0) {
		fprintf(stderr, "kyocho contacts: --for: %s\n", errbuf);
		return CMD_USAGE;
	}
	if (opt->contacts_path != NULL)
		path = xstrdup(opt->contacts_path);
	else if ((path = config_data_path(opt, "contacts.txt", errbuf)) == NULL) {
		fprintf(stderr, "kyocho contacts: %s\n", errbuf);
		return CMD_FAIL;
	}
	if (contacts_load(path, 0, &db, errbuf) != 0) {
		fprintf(stderr, "kyocho contacts: %s\n", errbuf);
		free(path);
		return CMD_FAIL;
	}
	free(path);
	if (args_has(a, "check"))
		rc = check_file(db);
	else {
		if (contacts_ninvalid(db) > 0 || contacts_ndiags(db) > 0)
			fprintf(stderr, "kyocho contacts: %s: %zu invalid "
			    "records left out, %zu problems (see kyocho "
			    "contacts --check)\n", contacts_path(db),
			    contacts_ninvalid(db), contacts_ndiags(db));
		show_matches(opt, db, &q, at, args_has(a, "json"));
	}
	contacts_free(db);
	return rc;
}

static const struct args_opt contacts_opts[] = {
	{ .name = "check",
	  .help = "report every problem in the file as FILE:LINE: field: "
	  "problem" },
	{ .name = "for", .arg = "X",
	  .help = "contacts for an address, AS number or country code" },
	{ .name = "for-alert", .arg = "FILE",
	  .help = "who to tell about one alert (a summary --json alert "
	  "or an --alerts line; - for stdin), best first" },
	{ .name = "at", .arg = "TIME", .check = check_time,
	  .help = "evaluate clocks and hours at TIME (RFC 3339, @SECONDS)" },
	{ .name = "json", .sname = 'j', .help = "a JSON array" },
	{ .name = NULL },
};

const struct cmd_entry cmd_contacts_entry = {
	.name = "contacts",
	.usage = "[--check] [--for ADDR|ASN|CC | --for-alert FILE] [--at TIME]"
	    " [--json]\n"
	    " [--contacts FILE] [--our-zone ZONE] [--our-hours HOURS]",
	.help = "check and match the contact database (--json)",
	.text = "See kyocho-contacts(5).\n",
	.opts = contacts_opts,
	.maxargs = -1,
	.exec = contacts_exec,
};
