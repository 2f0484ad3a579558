/*
 * cmd_incident_share.c -- the verbs of `kyocho incident` that hand an
 * incident to someone else: draft (a request in the recipient's language
 * and zone, with --attach the export that fits them), export (X-ARF, MISP,
 * STIX) and import. The table is in cmd_incident.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casework/casework.h"
#include "cli/cmd_incident_impl.h"
#include "cli/commands.h"
#include "settings/config.h"
#include "case/draft.h"
#include "case/incident.h"
#include "contacts/contacts.h"
#include "export/export.h"
#include "base/util.h"
#include "time/tz.h"

int
inc_draft(struct args *a, struct options *opt)
{
	struct incident_case c;
	struct draft_params dp;
	char *path, warn[1024];

	CASE_OPEN(&c, a, opt, 1);
	memset(&dp, 0, sizeof(dp));
	dp.template_id = args_word(a, 1);
	dp.lang = inc_opt_or(a, "lang", "en");
	dp.to = args_get(a, "to");
	dp.contact_id = args_get(a, "contact");
	dp.whom = args_get(a, "whom");
	if (args_get(a, "tz-offset") != NULL) {
		(void)inc_parse_offset(args_get(a, "tz-offset"),
		    &dp.tz_offset_s);
		dp.tz_name = inc_opt_or(a, "tz-name", "");
	} else if (dp.contact_id != NULL &&
	    casework_load_contacts(c.cw, 0, c.errbuf) == 0) {
		/* The recipient's zone from their record. */
		struct contacts *db = casework_contacts(c.cw);
		long ci = contacts_find(db, dp.contact_id);
		struct tz_info ti;

		if (ci >= 0 && contacts_get(db, (size_t)ci)->tz != NULL &&
		    tz_at(contacts_get(db, (size_t)ci)->tz, inc_clock_now(a) /
		    1000000, &ti) == 0) {
			const struct contact *k = contacts_get(db, (size_t)ci);

			dp.tz_offset_s = ti.utc_offset_s;
			dp.tz_name = *k->timezone ? k->timezone : tz_name(k->tz);
		}
	}
	/* said before the draft is written, on stderr: the path stays
	 * the only line on stdout */
	if (casework_draft_warning(c.cw, c.inc, dp.contact_id, warn,
	    sizeof(warn)))
		fprintf(stderr, "kyocho: warning: %s\n", warn);
	if ((path = casework_draft(c.cw, c.inc, &dp, c.errbuf)) == NULL)
		return inc_case_close(&c, CMD_FAIL, 1);
	if (args_has(a, "attach") && casework_draft_attach(c.cw, c.inc,
	    dp.contact_id, path, c.errbuf) != 0) {
		fprintf(stderr, "kyocho incident: draft saved as ");
		inc_print_safe(stderr, path);
		fprintf(stderr, " without an attachment\n");
		free(path);
		return inc_case_close(&c, CMD_FAIL, 1);
	}
	if (casework_request_logged(c.cw, c.inc, dp.contact_id, c.errbuf)
	    != 0) {
		free(path);
		return inc_case_close(&c, CMD_FAIL, 1);
	}
	printf("%s\n", path);
	free(path);
	return inc_case_close(&c, CMD_OK, 0);
}

int
inc_export(struct args *a, struct options *opt)
{
	struct incident_case c;
	char *doc, *path;
	int fmt = export_format_parse(args_get(a, "format"));

	if (fmt < 0)
		return args_usage_error(a, "--format is xarf, misp or stix");
	CASE_OPEN(&c, a, opt, 1);
	if (casework_export(c.cw, c.inc, (enum export_format)fmt,
	    args_get(a, "for"), inc_opt_or(a, "output", "-"), &doc, &path,
	    c.errbuf) != 0)
		return inc_case_close(&c, CMD_FAIL, 1);
	if (strcmp(path, "-") == 0)
		fputs(doc, stdout);
	else
		printf("%s\n", path);
	free(doc);
	free(path);
	return inc_case_close(&c, CMD_OK, 0);
}

int
inc_import(struct args *a, struct options *opt)
{
	struct incident_case c;
	const char *name = args_word(a, 0);
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if ((f = fopen(name, "rb")) == NULL) {
		fprintf(stderr, "kyocho incident: cannot read ");
		inc_print_safe(stderr, name);
		fprintf(stderr, "\n");
		return CMD_FAIL;
	}
	do {
		if (len == cap)
			buf = xreallocarray(buf, cap = cap ? cap * 2 : 65536, 1);
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0 && len < (8u << 20));
	fclose(f);
	CASE_OPEN(&c, a, opt, 0);
	if (casework_import(c.cw, (const uint8_t *)buf, len, name, &c.inc,
	    c.errbuf) != 0) {
		free(buf);
		if (c.inc != NULL)
			printf("%s\n", c.inc->id);
		return inc_case_close(&c, CMD_FAIL, 1);
	}
	free(buf);
	printf("%s\n", c.inc->id);
	return inc_case_close(&c, CMD_OK, 0);
}
