/*
 * cmd_foralert.c -- `kyocho contacts --for-alert FILE`: the alert's
 * evidence (escalate_from_alert_json) ranked against the contact database
 * (escalate_rank), printed as a table or as JSON (escalate_json). The
 * rules live in escalate.c; this file reads files and prints.
 */
#include "cli/cmd_foralert.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "settings/config.h"
#include "contacts/contacts.h"
#include "case/escalate.h"
#include "base/json.h"
#include "base/jsonw.h"
#include "time/tz.h"
#include "base/util.h"
#include "base/validate.h"

#define ALERT_FILE_MAX	(1u << 20)	/* one alert object is a few KiB */

char *
alert_file_read(const char *path, size_t *len, char *errbuf)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char *buf;
	size_t n;

	if (f == NULL) {
		err_set(errbuf, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = xmalloc(ALERT_FILE_MAX + 1);
	n = fread(buf, 1, ALERT_FILE_MAX + 1, f);
	if (ferror(f) || n > ALERT_FILE_MAX) {
		err_set(errbuf, "%s: %s", path, ferror(f) ? strerror(errno) :
		    "larger than 1 MiB: not one alert object");
		if (f != stdin)
			fclose(f);
		free(buf);
		return NULL;
	}
	if (f != stdin)
		fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* "Thu 10:00 JST" of c now, or "-". */
static void
their_time(const struct esc_suggestion *s, char *buf, size_t len)
{
	static const char *const wd[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };

	if (s->c == NULL || !s->st.has_zone)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%s %02d:%02d %s%s", wd[s->st.local.wday],
		    s->st.local.hour, s->st.local.min, s->st.local.info.abbr,
		    s->st.awake ? "" : " (night)");
}

static void
print_table(FILE *out, const struct esc_suggestion *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char org[256], reason[512], to[512], when[64];
		const char *id = s[i].c != NULL ? s[i].c->id : "(dns)";
		const char *o = s[i].c != NULL ? (*s[i].c->org != '\0' ?
		    s[i].c->org : s[i].c->id) : "";
		const char *open = s[i].st.open == 1 ? "open" :
		    s[i].st.open == 0 ? "closed" : "-";

		/* Everything from the files is made safe for a terminal. */
		text_sanitize(org, sizeof(org), o, strlen(o));
		text_sanitize(reason, sizeof(reason), s[i].reason,
		    strlen(s[i].reason));
		text_sanitize(to, sizeof(to), s[i].to, strlen(s[i].to));
		if (s[i].c == NULL && s[i].asn != 0)
			snprintf(org, sizeof(org), "AS%u", s[i].asn);
		their_time(&s[i], when, sizeof(when));
		fprintf(out, "%2zu. %-17s %-20s %s\n", i + 1,
		    escalate_role_name(s[i].role), id, org);
		fprintf(out, "    %s; %s; to: %s\n", open, when,
		    to[0] != '\0' ? to : "(no address: see the record)");
		fprintf(out, "    %s\n", reason);
	}
	if (n == 0)
		fprintf(out, "(no counterparts: add records to the contact "
		    "database)\n");
}

int
contacts_for_alert(FILE *out, const char *file, int json, int64_t at,
    const char *our_country, struct options *opt)
{
	char errbuf[ERRBUF_SIZE], *text = NULL, *path = NULL;
	struct contacts *db = NULL;
	struct json *tree = NULL;
	struct esc_alert *al = NULL;
	struct esc_suggestion *s = NULL;
	size_t len = 0, erroff = 0, n;
	int rc = 1;

	if ((text = alert_file_read(file, &len, errbuf)) == NULL)
		goto fail;
	if ((tree = json_parse(text, len, 0, &erroff, errbuf)) == NULL) {
		char e2[ERRBUF_SIZE];

		snprintf(e2, sizeof(e2), "%s", errbuf);
		err_set(errbuf, "%s: %s", file, e2);
		goto fail;
	}
	al = xcalloc(1, sizeof(*al));
	if (escalate_from_alert_json(tree, al, errbuf) != 0) {
		char e2[ERRBUF_SIZE];

		snprintf(e2, sizeof(e2), "%s", errbuf);
		err_set(errbuf, "%s: %s", file, e2);
		goto fail;
	}
	al->e.at = at;
	if (our_country != NULL && *our_country != '\0') {
		if (!validate_country(our_country, strlen(our_country)) ||
		    strlen(our_country) != 2) {
			err_set(errbuf, "our country '%.16s' is not an ISO "
			    "3166 code (JP)", our_country);
			goto fail;
		}
		al->e.our_country[0] = (char)(our_country[0] & ~0x20);
		al->e.our_country[1] = (char)(our_country[1] & ~0x20);
	} else {
		const char *zone = opt->our_zone != NULL ? opt->our_zone :
		    tz_name(tz_local_zone());

		if (tz_zone_country(zone, al->e.our_country, errbuf) < 0)
			fprintf(stderr, "kyocho contacts: %s (our national "
			    "CSIRT is not ranked)\n", errbuf);
	}
	if (opt->contacts_path != NULL)
		path = xstrdup(opt->contacts_path);
	else if ((path = config_data_path(opt, "contacts.txt",
	    errbuf)) == NULL)
		goto fail;
	if (contacts_load(path, 0, &db, errbuf) != 0)
		goto fail;
	if (contacts_ninvalid(db) > 0)
		fprintf(stderr, "kyocho contacts: %s: %zu invalid records left "
		    "out (see kyocho contacts --check)\n", contacts_path(db),
		    contacts_ninvalid(db));
	n = escalate_rank(db, &al->e, &s);
	if (json) {
		struct jsonw w;

		jsonw_init(&w, out, 1);
		escalate_json(&w, s, n, at);
		jsonw_end(&w);
	} else
		print_table(out, s, n);
	escalate_free(s, n);
	rc = 0;
	goto done;
fail:
	fprintf(stderr, "kyocho contacts: --for-alert: %s\n", errbuf);
done:
	if (db != NULL)
		contacts_free(db);
	json_free(tree);
	free(al);
	free(path);
	free(text);
	return rc;
}
