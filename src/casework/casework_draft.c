/*
 * casework_draft.c -- what the casework layer writes for people
 * (casework.h): a draft's recipient and language, drafts to a contact,
 * and incident reports, written out or saved under the state directory.
 */
#include "casework/casework_impl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "time/tz.h"
#include "base/util.h"

const char *
casework_recipient(const struct contact *c)
{
	if (c == NULL)
		return NULL;
	if (c->abuse_email.n > 0)
		return c->abuse_email.v[0];
	return c->email.n > 0 ? c->email.v[0] : NULL;
}

void
casework_template_lang(const struct casework *cw, const struct contact *c,
    const char *tid, char *out, size_t len)
{
	char rel[128], l[8], errbuf[ERRBUF_SIZE], *p;
	size_t i, j;

	snprintf(out, len, "en");
	for (i = 0; c != NULL && i < c->languages.n; i++) {
		for (j = 0; j + 1 < sizeof(l) && c->languages.v[i][j] != '\0' &&
		    c->languages.v[i][j] != '-'; j++)
			l[j] = (char)(c->languages.v[i][j] | 0x20);
		l[j] = '\0';
		snprintf(rel, sizeof(rel), "templates/%s.%s.txt", tid, l);
		if ((p = config_data_path(cw->cfg.opt, rel, errbuf)) != NULL) {
			free(p);
			snprintf(out, len, "%s", l);
			return;
		}
	}
}

/* draft_settings.data_path: the data directories of the configuration. */
static char *
draft_data_path(const void *ctx, const char *rel, char *errbuf)
{
	return config_data_path(ctx, rel, errbuf);
}

char *
casework_draft(struct casework *cw, struct incident *inc,
    const struct draft_params *dp, char *errbuf)
{
	const struct options *o = cw->cfg.opt;
	struct incident_store *s;
	struct draft_settings ds;

	if ((s = casework_store(cw, errbuf)) == NULL)
		return NULL;
	memset(&ds, 0, sizeof(ds));
	ds.org = o->org;
	ds.operator = o->operator;
	ds.noc_email = o->noc_email;
	ds.noc_phone = o->noc_phone;
	ds.pgp = o->pgp;
	ds.state_label = o->state_label;
	ds.data_path = draft_data_path;
	ds.data_ctx = o;
	return draft_create(s, inc, &ds, dp, errbuf);
}

char *
casework_draft_to(struct casework *cw, struct incident *inc,
    const struct contact *c, const char *tid, int64_t now_s, char *lang,
    size_t langlen, char *errbuf)
{
	struct draft_params dp;

	casework_template_lang(cw, c, tid, lang, langlen);
	memset(&dp, 0, sizeof(dp));
	dp.template_id = tid;
	dp.lang = lang;
	dp.to = casework_recipient(c);
	dp.contact_id = c->id;
	dp.whom = c->team[0] != '\0' ? c->team : c->org;
	if (c->tz != NULL) {
		const struct incident_event *e = incident_last_evidence(inc);
		struct tz_info ti;
		int64_t at = now_s, us;

		/* the offset in force when the attack started (DST) */
		if (e != NULL && e->ev.u.evidence.start != NULL &&
		    time_parse_rfc3339(e->ev.u.evidence.start, &us) == 0)
			at = us / 1000000;
		if (tz_at(c->tz, at, &ti) == 0) {
			dp.tz_offset_s = ti.utc_offset_s;
			dp.tz_name = c->timezone[0] != '\0' ? c->timezone :
			    tz_name(c->tz);
		}
	}
	return casework_draft(cw, inc, &dp, errbuf);
}

/* ---- reports --------------------------------------------------------- */

/* 1 if the store's problem file belongs to inc's journal (or its torn
 * tail). */
static int
diag_of(const struct incident *inc, const char *file)
{
	size_t n = strlen(inc->path);

	return strcmp(file, inc->path) == 0 || (strncmp(file, inc->path, n)
	    == 0 && strcmp(file + n, ".torn") == 0);
}

int
casework_report_write(struct casework *cw, const struct incident *inc,
    FILE *f, enum report_format format, const char *lang,
    struct journal_diags *raw, char *errbuf)
{
	const struct options *opt = cw->cfg.opt;
	struct journal_diags diags = { NULL, 0 };
	struct incident_store *s;
	const struct journal_diags *sd;
	const char *dir;
	struct report_opts o;
	size_t i, dl;
	int rc = -1;

	if ((s = casework_store(cw, errbuf)) == NULL)
		return -1;
	sd = incident_store_diags(s);
	dir = incident_store_dir(s);
	dl = strlen(dir);
	/* Only this incident's journal problems belong in its report. */
	for (i = 0; i < sd->n; i++) {
		const char *msg = sd->v[i].msg;

		if (!diag_of(inc, sd->v[i].file))
			continue;
		if (raw != NULL) {
			struct journal_diag *d;

			raw->v = xreallocarray(raw->v, raw->n + 1,
			    sizeof(*raw->v));
			d = &raw->v[raw->n++];
			*d = sd->v[i];
			d->file = xstrdup(d->file);
			d->msg = xstrdup(d->msg);
		}
		/* The report names the journal without the directory. */
		if (strncmp(msg, dir, dl) == 0 && msg[dl] == '/')
			msg += dl + 1;
		journal_diag_add(&diags, sd->v[i].kind, "", 0, "%s", msg);
	}
	for (i = 0; i < diags.n; i++) {
		/* drop the empty "FILE: " prefix the copy added */
		char *m = diags.v[i].msg;

		if (strncmp(m, ": ", 2) == 0)
			memmove(m, m + 2, strlen(m + 2) + 1);
	}
	memset(&o, 0, sizeof(o));
	o.format = format;
	o.lang = lang;
	if (cw->cfg.our_zone != NULL && *cw->cfg.our_zone != '\0' &&
	    (o.zone = tz_get(cw->cfg.our_zone, errbuf)) == NULL)
		goto out;
	o.local_offset_s = opt->local_offset_s;
	o.local_zone = opt->local_zone;
	o.cs = cw->cs;
	o.kinds = casework_kinds(cw);
	o.diags = &diags;
	rc = report_write(f, inc, &o, errbuf);
out:
	journal_diags_free(&diags);
	return rc;
}

char *
casework_report_save(struct casework *cw, const struct incident *inc,
    enum report_format format, const char *lang, char *errbuf)
{
	static const char *const ext[] = {
		[REPORT_TEXT] = "txt", [REPORT_MD] = "md",
		[REPORT_HTML] = "html",
	};
	struct incident_store *s;
	char *dir, *path;
	FILE *f;
	int fd, rc;

	if ((s = casework_store(cw, errbuf)) == NULL)
		return NULL;
	dir = xasprintf("%s/reports", incident_store_state_dir(s));
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		err_set(errbuf, "cannot make %s: %s", dir, strerror(errno));
		free(dir);
		return NULL;
	}
	path = xasprintf("%s/%s.%s", dir, inc->id, ext[format]);
	free(dir);
	if ((fd = open_private(path, 0)) < 0 ||
	    (f = fdopen(fd, "w")) == NULL) {
		err_set(errbuf, "cannot write %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(path);
		return NULL;
	}
	rc = casework_report_write(cw, inc, f, format, lang, NULL, errbuf);
	if (fclose(f) != 0 && rc == 0)
		rc = err_set(errbuf, "%s: write error", path);
	else if (rc != 0) {
		char e[ERRBUF_SIZE];

		snprintf(e, sizeof(e), "%s", errbuf);
		err_set(errbuf, "%s: %s", path, e);
	}
	if (rc != 0) {
		free(path);
		return NULL;
	}
	return path;
}
