/*
 * casework.c -- the casework layer (casework.h): one incident store, the
 * kinds, the checklists and the contact database, each read on first use
 * and kept; and the rules the terminal and the CLI share.
 *
 * Each data file has a load state (not tried, loaded, missing, damaged)
 * and the message of its first failure, so a second caller gets the same
 * answer without reading the file again.
 */
#include "casework/casework.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "time/hours.h"
#include "time/tz.h"
#include "base/defang.h"
#include "base/util.h"

enum load { L_NOT_TRIED = 0, L_OK, L_MISSING, L_FAILED };

struct casework {
	struct case_settings cfg;

	enum load store_state;
	struct incident_store *store;
	char store_err[ERRBUF_SIZE];

	enum load kinds_state;
	struct incident_kinds kinds;
	char kinds_err[ERRBUF_SIZE];

	enum load cs_state;
	struct checklist_set *cs;
	char cs_err[ERRBUF_SIZE];

	int contacts_tried;
	struct contacts *db;

	enum load pb_state;		/* playbooks (casework_load_playbooks) */
	struct playbook_set pb;
	char pb_err[ERRBUF_SIZE];
};

struct casework *
casework_open(const struct case_settings *cfg)
{
	struct casework *cw = xcalloc(1, sizeof(*cw));

	cw->cfg = *cfg;
	return cw;
}

void
casework_free(struct casework *cw)
{
	if (cw == NULL)
		return;
	incident_store_free(cw->store);
	incident_kinds_free(&cw->kinds);
	checklist_set_free(cw->cs);
	contacts_free(cw->db);
	playbook_set_free(&cw->pb);
	free(cw);
}

/* ---- opened state ---------------------------------------------------- */

struct incident_store *
casework_store(struct casework *cw, char *errbuf)
{
	char *state;

	if (cw->store_state == L_NOT_TRIED) {
		cw->store_state = L_FAILED;
		if ((state = config_state_dir(cw->cfg.opt, cw->store_err))
		    != NULL) {
			cw->store = incident_store_open(state,
			    cw->cfg.opt->operator, cw->store_err);
			free(state);
		}
		if (cw->store != NULL) {
			cw->store_state = L_OK;
			incident_store_set_now(cw->store, cw->cfg.fixed_now);
			incident_store_set_zone(cw->store, cw->cfg.our_zone);
		}
	}
	if (cw->store == NULL && errbuf != NULL)
		snprintf(errbuf, ERRBUF_SIZE, "%s", cw->store_err);
	return cw->store;
}

int
casework_reload(struct casework *cw, char *errbuf)
{
	if (cw->store == NULL || !incident_store_changed(cw->store))
		return 0;
	return incident_store_reload(cw->store, errbuf);
}

/* The answer of an earlier load: 0, CASE_MISSING or -1 with errbuf. */
static int
load_answer(enum load st, const char *err, char *errbuf)
{
	if (st != L_OK && errbuf != NULL)
		snprintf(errbuf, ERRBUF_SIZE, "%s", err);
	return st == L_OK ? 0 : st == L_MISSING ? CASE_MISSING : -1;
}

int
casework_load_kinds(struct casework *cw, char *errbuf)
{
	char *p;

	if (cw->kinds_state == L_NOT_TRIED) {
		p = config_data_path(cw->cfg.opt, "incident-kinds.txt",
		    cw->kinds_err);
		if (p == NULL)
			cw->kinds_state = L_MISSING;
		else if (incident_kinds_load(&cw->kinds, p, cw->kinds_err)
		    == 0)
			cw->kinds_state = L_OK;
		else {
			incident_kinds_free(&cw->kinds);
			cw->kinds_state = L_FAILED;
		}
		free(p);
	}
	return load_answer(cw->kinds_state, cw->kinds_err, errbuf);
}

int
casework_load_checklists(struct casework *cw, char *errbuf)
{
	char *p;

	if (cw->cs_state == L_NOT_TRIED) {
		p = config_data_path(cw->cfg.opt, "checklists", cw->cs_err);
		if (p == NULL)
			cw->cs_state = L_MISSING;
		else if ((cw->cs = checklist_set_load(p, cw->cs_err)) != NULL)
			cw->cs_state = L_OK;
		else
			cw->cs_state = L_FAILED;
		free(p);
	}
	return load_answer(cw->cs_state, cw->cs_err, errbuf);
}

int
casework_load_contacts(struct casework *cw, int create, char *errbuf)
{
	const struct options *opt = cw->cfg.opt;
	char cwd[PATH_MAX], *p;
	int rc;

	cw->contacts_tried = 1;
	contacts_free(cw->db);
	cw->db = NULL;
	p = opt->contacts_path != NULL ? xstrdup(opt->contacts_path) :
	    config_data_path(opt, "contacts.txt", errbuf);
	if (p == NULL)
		return -1;
	/* -Z changes the working directory once the file is found
	 * (views/shell.c); saving later must still reach it. */
	if (p[0] != '/' && getcwd(cwd, sizeof(cwd)) != NULL) {
		char *abs = xasprintf("%s/%s", cwd, p);

		free(p);
		p = abs;
	}
	rc = contacts_load(p, create, &cw->db, errbuf);
	free(p);
	if (rc != 0)
		cw->db = NULL;
	return rc;
}

int
casework_load_data(struct casework *cw, char *errbuf)
{
	char e[ERRBUF_SIZE];
	int rc = 0;

	if (casework_load_kinds(cw, e) < 0) {
		snprintf(errbuf, ERRBUF_SIZE, "%s", e);
		rc = -1;
	}
	if (casework_load_checklists(cw, e) < 0 && rc == 0) {
		snprintf(errbuf, ERRBUF_SIZE, "%s", e);
		rc = -1;
	}
	if (!cw->contacts_tried)
		(void)casework_load_contacts(cw, 0, e);
	return rc;
}

const struct incident_kinds *
casework_kinds(const struct casework *cw)
{
	return cw->kinds_state == L_OK ? &cw->kinds : NULL;
}

const struct checklist_set *
casework_checklists(const struct casework *cw)
{
	return cw->cs;
}

struct contacts *
casework_contacts(const struct casework *cw)
{
	return cw->db;
}

/* ---- the rules ------------------------------------------------------- */

const char *
casework_kind_for_alert(struct casework *cw, const struct alert *a)
{
	const struct incident_kinds *k;
	const struct incident_kind *ki;
	const char *id;

	if (a->direction == DIR_OUTBOUND)
		id = "outbound-bots";
	else if (a->kind == KIND_AMPLIFICATION && a->top_port == 53)
		id = "dns-amplification";
	else if (a->spoof == SPOOF_HIGH)
		id = "spoofed";
	else
		id = "ddos-customer";
	(void)casework_load_kinds(cw, NULL);
	if ((k = casework_kinds(cw)) == NULL)
		return id;
	if ((ki = incident_kind_find(k, id)) != NULL)
		return ki->id;
	return k->n > 0 ? k->v[0].id : id;
}

const char *
casework_default_tlp(struct casework *cw, const char *kind)
{
	const struct incident_kinds *k;
	const struct incident_kind *ki;

	(void)casework_load_kinds(cw, NULL);
	if ((k = casework_kinds(cw)) != NULL && kind != NULL &&
	    (ki = incident_kind_find(k, kind)) != NULL && ki->tlp != NULL &&
	    incident_tlp_valid(ki->tlp))
		return ki->tlp;
	return "TLP:AMBER";
}

int
casework_create(struct casework *cw, const char *kind, const char *title,
    const char *source, const char *tlp, struct incident **out,
    char *errbuf)
{
	struct incident_store *s;

	if ((s = casework_store(cw, errbuf)) == NULL)
		return -1;
	return incident_create(s, kind, title, source, tlp != NULL ? tlp :
	    casework_default_tlp(cw, kind), out, errbuf);
}

int
casework_create_from_alert(struct casework *cw, const struct alert *a,
    const char *title, const struct incident_srcinfo *src,
    const char *link_name, struct incident **out, char *errbuf)
{
	const char *kind = casework_kind_for_alert(cw, a);

	*out = NULL;
	if (casework_create(cw, kind, title, "alert", NULL, out, errbuf) != 0) {
		*out = NULL;
		return -1;
	}
	return incident_add_evidence(cw->store, *out, a, src, link_name,
	    errbuf);
}

/* The gate: may action be marked taken in inc? 0, or -1 with errbuf. */
static int
may_take(struct casework *cw, const struct incident *inc, const char *action,
    char *errbuf)
{
	const struct checklist *cl;
	struct checklist_eval ev;
	char open[256];

	if (incident_override_for(inc, action) != NULL)
		return 0;
	(void)casework_load_checklists(cw, NULL);
	cl = cw->cs != NULL ? checklist_find(cw->cs, action) : NULL;
	if (cl == NULL)
		return err_set(errbuf, "%s: no checklist is loaded for this "
		    "action; it can be taken only with an override and a "
		    "reason", action);
	checklist_evaluate(cl, inc, &ev);
	if (ev.status != CL_COMPLETE) {
		checklist_open_list(&ev, open, sizeof(open));
		return err_set(errbuf, "%s: the checklist is %s (%s); answer "
		    "it, or record an override with a reason", action,
		    checklist_status_name(ev.status), open);
	}
	return 0;
}

int
casework_act(struct casework *cw, struct incident *inc, const char *action,
    enum action_state state, const char *detail, char *errbuf)
{
	struct incident_store *s;

	if ((s = casework_store(cw, errbuf)) == NULL)
		return -1;
	if (state == ACT_TAKEN && may_take(cw, inc, action, errbuf) != 0)
		return -1;
	return incident_action(s, inc, action, state, detail, errbuf);
}

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

/* ---- playbooks and proposals (issue 15) ------------------------------ */

int
casework_load_playbooks(struct casework *cw, char *errbuf)
{
	char *p;
	size_t i;

	if (cw->pb_state == L_NOT_TRIED) {
		(void)casework_load_kinds(cw, NULL);
		(void)casework_load_checklists(cw, NULL);
		p = config_data_path(cw->cfg.opt, "playbooks", cw->pb_err);
		if (p == NULL)
			cw->pb_state = L_MISSING;
		else if (playbook_set_load(&cw->pb, p, cw->pb_err) != 0)
			cw->pb_state = L_FAILED;
		else {
			cw->pb_state = L_OK;
			for (i = 0; i < cw->pb.n; i++)
				if (playbook_check(cw->pb.v[i], cw->cs,
				    cw->kinds_state == L_OK ? &cw->kinds : NULL,
				    cw->pb_err) != 0) {
					playbook_set_free(&cw->pb);
					cw->pb_state = L_FAILED;
					break;
				}
		}
		free(p);
	}
	return load_answer(cw->pb_state, cw->pb_err, errbuf);
}

const struct playbook_set *
casework_playbooks(const struct casework *cw)
{
	return &cw->pb;
}

const struct playbook *
casework_playbook_for(struct casework *cw, const struct incident *inc,
    const char *action)
{
	if (casework_load_playbooks(cw, NULL) != 0)
		return NULL;
	return playbook_find(&cw->pb, inc->kind, action);
}

int
casework_action_offered(struct casework *cw, const char *kind,
    const char *action)
{
	const struct incident_kind *k;
	size_t i;

	if (casework_load_kinds(cw, NULL) != 0 ||
	    (k = incident_kind_find(&cw->kinds, kind)) == NULL)
		return 1;
	for (i = 0; i < k->nactions; i++)
		if (strcmp(k->actions[i], action) == 0)
			return 1;
	return 0;
}

/* "TCP SYN", "UDP/123", ...: the protocol the evidence's rates say. */
static void
evidence_proto(const struct incident_event *e, char *buf, size_t len)
{
	uint64_t syn = json_getu(e->j, "syn_pps", 0);
	uint64_t udp = json_getu(e->j, "udp_pps", 0);
	uint64_t icmp = json_getu(e->j, "icmp_pps", 0);
	long port = (long)json_getu(e->j, "top_port", 0);

	if (syn >= udp && syn >= icmp && syn > 0)
		snprintf(buf, len, port > 0 ? "TCP SYN to port %ld" : "TCP SYN",
		    port);
	else if (udp >= icmp && udp > 0)
		snprintf(buf, len, port > 0 ? "UDP port %ld" : "UDP", port);
	else if (icmp > 0)
		snprintf(buf, len, "ICMP");
	else
		snprintf(buf, len, "%s", json_gets(e->j, "attack", "traffic"));
}

/* The reason a playbook proposal records. */
static void
playbook_reason_text(const struct casework *cw, const struct playbook *pb,
    const struct playbook_answer *a, char *buf, size_t len)
{
	const struct checklist_set *cs = cw->cs;

	snprintf(buf, len, "%s / %s -- playbook %s (approved by %s on %s); "
	    "%s; %s; %s%s%s%s", a->reason_en, a->reason_ja, pb->name,
	    pb->approved_by, pb->approved_on, pb->case_en, pb->edition_en,
	    a->unverified ? "unverified row: " : "sourced row",
	    a->unverified ? (cs != NULL ? cs->unverified_en :
	    "confirm with your legal/compliance staff") : "",
	    !a->unverified && *pb->source != '\0' ? ": " : "",
	    !a->unverified ? pb->source : "");
}

static void
add_proposal(struct case_proposal *out, size_t *n, size_t max,
    const struct checklist_question *q, const char *answer,
    const char *reason, const char *source, int unverified)
{
	struct case_proposal *p;

	if (*n == max || *answer == '\0')
		return;
	p = &out[(*n)++];
	p->question = q->id;
	snprintf(p->answer, sizeof(p->answer), "%s", answer);
	snprintf(p->reason, sizeof(p->reason), "%s", reason);
	p->source = source;
	p->unverified = unverified;
}

size_t
casework_proposals(struct casework *cw, const struct incident *inc,
    const struct checklist *cl, struct case_proposal *out, size_t max)
{
	const struct playbook *pb = casework_playbook_for(cw, inc, cl->id);
	const struct incident_event *e = incident_last_evidence(inc);
	char ans[512], why[2048], proto[64];
	size_t i, n = 0;

	for (i = 0; i < cl->nq; i++) {
		const struct checklist_question *q = cl->q[i];
		const struct playbook_answer *a = playbook_answer_for(pb, q->id);

		if (a != NULL) {
			playbook_reason_text(cw, pb, a, why, sizeof(why));
			add_proposal(out, &n, max, q, a->answer, why, "playbook",
			    a->unverified);
		} else if (strcmp(q->id, "min-scope") == 0 && e != NULL) {
			evidence_proto(e, proto, sizeof(proto));
			snprintf(ans, sizeof(ans), "%s traffic %s %s%s%s (%s "
			    "alert)", proto, strcmp(json_gets(e->j, "direction",
			    ""), "outbound") == 0 ? "from" : "to",
			    json_gets(e->j, "target", "?"),
			    *json_gets(e->j, "link", "") ? " on " : "",
			    json_gets(e->j, "link", ""),
			    json_gets(e->j, "attack", "?"));
			snprintf(why, sizeof(why), "from the evidence: the "
			    "target and protocol of alert %lld",
			    (long long)json_geti(e->j, "alert_id", 0));
			add_proposal(out, &n, max, q, ans, why, "evidence", 0);
		} else if (strcmp(q->id, "min-duration") == 0 && pb != NULL &&
		    *pb->ttl != '\0') {
			snprintf(why, sizeof(why), "the action's TTL in playbook "
			    "%s", pb->name);
			add_proposal(out, &n, max, q, pb->ttl, why, "evidence", 0);
		} else if (strcmp(q->id, "min-data") == 0 && pb != NULL &&
		    *pb->retention != '\0') {
			snprintf(why, sizeof(why), "the journal's retention in "
			    "playbook %s", pb->name);
			add_proposal(out, &n, max, q, pb->retention, why,
			    "evidence", 0);
		}
	}
	return n;
}

int
casework_accept(struct casework *cw, struct incident *inc,
    const char *action, size_t *nout, char *errbuf)
{
	struct case_proposal props[CHECKLIST_MAXQ];
	const struct checklist *cl;
	const struct playbook *pb;
	struct incident_store *s;
	size_t n, i, k, done = 0;

	if (nout != NULL)
		*nout = 0;
	if ((s = casework_store(cw, errbuf)) == NULL)
		return -1;
	if (!casework_action_offered(cw, inc->kind, action))
		return err_set(errbuf, "%s: the incident's kind (%s) does not "
		    "offer this action", action, inc->kind);
	if (casework_load_checklists(cw, errbuf) != 0)
		return -1;
	if ((cl = checklist_find(cw->cs, action)) == NULL)
		return err_set(errbuf, "%s: no checklist for this action",
		    action);
	if (casework_load_playbooks(cw, errbuf) < 0)
		return -1;
	if ((pb = playbook_find(&cw->pb, inc->kind, action)) == NULL)
		return err_set(errbuf, "%s: no approved playbook for kind %s; "
		    "answer the checklist by hand", action, inc->kind);
	n = casework_proposals(cw, inc, cl, props, NITEMS(props));
	for (i = 0; i < n; i++) {
		int answered = 0;

		for (k = 0; k < inc->nev; k++) {
			const struct incident_event *e = &inc->ev[k];

			if (strcmp(e->type, "answer") == 0 &&
			    strcmp(json_gets(e->j, "action", ""), action) == 0 &&
			    strcmp(json_gets(e->j, "question", ""),
			    props[i].question) == 0)
				answered = 1;
		}
		if (answered)
			continue;
		if (incident_answer_proposed(s, inc, action, props[i].question,
		    props[i].answer, props[i].reason, props[i].source,
		    pb->name, errbuf) != 0)
			return -1;
		done++;
		if (nout != NULL)
			*nout = done;
	}
	return 0;
}

size_t
casework_actions(struct casework *cw, const struct incident *inc,
    struct case_action *out, size_t max)
{
	const struct incident_kind *k;
	size_t i, n = 0;

	if (casework_load_kinds(cw, NULL) != 0 ||
	    (k = incident_kind_find(&cw->kinds, inc->kind)) == NULL)
		return 0;
	(void)casework_load_checklists(cw, NULL);
	for (i = 0; i < k->nactions && n < max; i++) {
		struct case_action *a = &out[n++];
		const struct checklist *cl = checklist_find(cw->cs,
		    k->actions[i]);

		memset(a, 0, sizeof(*a));
		a->action = k->actions[i];
		a->state = incident_action_state(inc, a->action, NULL);
		a->playbook = casework_playbook_for(cw, inc, a->action);
		if (cl != NULL) {
			struct checklist_eval ev;

			checklist_evaluate(cl, inc, &ev);
			a->has_checklist = 1;
			a->status = ev.status;
			a->nopen = ev.nopen;
		}
	}
	return n;
}

int
casework_request_logged(struct casework *cw, struct incident *inc,
    const char *contact_id, char *errbuf)
{
	const struct contact *c;
	struct contacts *db;
	const char *action = NULL;
	struct incident_store *s;
	size_t i;

	if (contact_id == NULL || *contact_id == '\0')
		return 0;
	if ((db = casework_contacts(cw)) == NULL &&
	    casework_load_contacts(cw, 0, NULL) == 0)
		db = casework_contacts(cw);
	if (db == NULL)
		return 0;
	for (i = 0, c = NULL; i < contacts_count(db); i++)
		if (strcmp(contacts_get(db, i)->id, contact_id) == 0)
			c = contacts_get(db, i);
	if (c == NULL)
		return 0;
	if (c->kind == CK_PEERING_ISP || c->kind == CK_TRANSIT_ISP)
		action = "share-peer";
	else if (c->kind == CK_CSIRT || c->kind == CK_NATIONAL_CSIRT ||
	    c->kind == CK_FIRST_TEAM)
		action = "share-csirt";
	if (action == NULL || !casework_action_offered(cw, inc->kind, action) ||
	    incident_action_state(inc, action, NULL) != ACT_NONE)
		return 0;
	if ((s = casework_store(cw, errbuf)) == NULL)
		return -1;
	return incident_action(s, inc, action, ACT_PROPOSED,
	    "request logged to contact", errbuf);
}

int
casework_contact(struct casework *cw, struct incident *inc,
    enum contact_what what, const char *channel, const char *contact_id,
    const char *whom, const char *text, char *errbuf)
{
	struct incident_store *s;

	if ((s = casework_store(cw, errbuf)) == NULL)
		return -1;
	if (incident_contact(s, inc, what, channel, contact_id, whom, text,
	    errbuf) != 0)
		return -1;
	if (what != CONTACT_ATTEMPT)
		return 0;
	return casework_request_logged(cw, inc, contact_id, errbuf);
}

/* ---- phishing sites (issue 14) ---------------------------------------- */

int
casework_create_phishing(struct casework *cw, const char *kind,
    const char *url, const char *host, const char *brand, const char *title, const char *tlp,
    int64_t first_seen_us, struct incident **out, char *errbuf)
{
	char h[512], t[768];

	*out = NULL;
	if (host == NULL || *host == '\0')
		return err_set(errbuf, "a phishing incident needs the site's "
		    "host");
	if (title == NULL || *title == '\0') {
		snprintf(t, sizeof(t), "Phishing %s%s%.200s%s",
		    defang(host, h, sizeof(h)), brand != NULL && *brand ?
		    " (" : "", brand != NULL ? brand : "", brand != NULL &&
		    *brand ? ")" : "");
		title = t;
	}
	if (kind == NULL || *kind == '\0' || strcmp(kind, "phishing") == 0)
		kind = "phishing-abroad";
	if (casework_create(cw, kind, title, "manual", tlp, out,
	    errbuf) != 0) {
		*out = NULL;
		return -1;
	}
	return incident_site(cw->store, *out, url, host, brand, first_seen_us,
	    errbuf);
}

/* 1 if the lookups a and b found the same addresses (as sets) and the
 * same registrar. */
static int
lookup_same(const struct ev_lookup *a, const struct site_lookup *b)
{
	size_t i, j;

	if (a->naddrs != b->naddrs || strcmp(a->registrar, b->registrar) != 0 ||
	    strcmp(a->registrar_abuse, b->registrar_abuse) != 0)
		return 0;
	for (i = 0; i < b->naddrs; i++) {
		for (j = 0; j < a->naddrs; j++)
			if (a->addrs[j].addr != NULL &&
			    strcmp(a->addrs[j].addr, b->addrs[i].addr) == 0)
				break;
		if (j == a->naddrs)
			return 0;
	}
	return 1;
}

/* 1 if none of the old lookup's addresses is among the new ones. */
static int
addresses_gone(const struct ev_lookup *old, const struct site_lookup *l)
{
	size_t i, j;

	for (i = 0; i < old->naddrs; i++)
		for (j = 0; j < l->naddrs; j++)
			if (old->addrs[i].addr != NULL &&
			    strcmp(old->addrs[i].addr, l->addrs[j].addr) == 0)
				return 0;
	return 1;
}

int
casework_site_lookup(struct casework *cw, struct incident *inc,
    const struct site_lookup *l, enum site_change *change, char *errbuf)
{
	const struct incident_event *le = incident_last_lookup(inc);
	const struct ev_lookup *old = le != NULL ? &le->ev.u.lookup : NULL;
	int had = 0, gone = 0, up = incident_takedown_event(inc) == NULL;
	char how[16], detail[512], h[512];
	struct incident_store *s;
	size_t i;

	*change = SITE_SAME;
	if ((s = casework_store(cw, errbuf)) == NULL)
		return -1;
	/* Had addresses in any earlier lookup (a failed one in between
	 * does not make the site new). */
	for (i = 0; i < inc->nev; i++)
		if (inc->ev[i].ev.type == EV_LOOKUP &&
		    inc->ev[i].ev.u.lookup.naddrs > 0) {
			had = 1;
			old = &inc->ev[i].ev.u.lookup;
		}
	if (strcmp(l->status, "error") == 0 && le != NULL)
		return 0;	/* says nothing new about the site */
	if (le != NULL && strcmp(le->ev.u.lookup.status, l->status) == 0 &&
	    lookup_same(&le->ev.u.lookup, l))
		return 0;
	if (had && up) {
		if (l->naddrs == 0 && (strcmp(l->status, "nxdomain") == 0 ||
		    strcmp(l->status, "nodata") == 0)) {
			gone = 1;
			snprintf(how, sizeof(how), "unresolved");
			snprintf(detail, sizeof(detail), "%s: %s",
			    defang(l->host, h, sizeof(h)), l->status);
		} else if (l->naddrs > 0 && old != NULL &&
		    addresses_gone(old, l)) {
			/* Moved to another host: new evidence, and the old
			 * host's copy is down. Not a takedown of the site. */
			gone = 0;
		}
	}
	if (incident_lookup(s, inc, l, errbuf) != 0)
		return -1;
	*change = SITE_NEW;
	if (gone) {
		if (incident_takedown(s, inc, how, detail, errbuf) != 0)
			return -1;
		*change = SITE_GONE;
	}
	return 0;
}

int
casework_takedown(struct casework *cw, struct incident *inc,
    const char *detail, char *errbuf)
{
	struct incident_store *s;
	const struct incident_event *t = incident_takedown_event(inc);
	char ts[40];

	if ((s = casework_store(cw, errbuf)) == NULL)
		return -1;
	if (incident_site_event(inc) == NULL)
		return err_set(errbuf, "%s is not a phishing incident (no site "
		    "recorded)", inc->id);
	if (t != NULL)
		return err_set(errbuf, "the takedown is already recorded (%s)",
		    time_rfc3339(ts, sizeof(ts), t->ts_us, 0));
	return incident_takedown(s, inc, "reported", detail, errbuf);
}

/* When a follow-up to c is due after an attempt at at_s: the next opening
 * of its office after at_s (if open then, the opening after this one
 * closes). */
static int64_t
follow_up_at(const struct contact *c, int64_t at_s)
{
	struct hours def;
	const struct hours *h = c->has_hours ? c->hours : NULL;
	const struct tz *z = c->tz;
	struct hours_state st;
	char err[ERRBUF_SIZE];

	if (h == NULL) {
		hours_default(&def);
		h = &def;
	}
	if (z == NULL && (z = tz_get("UTC", err)) == NULL)
		return at_s + 86400;
	if (h->always)
		return at_s + 86400;
	if (hours_eval(h, z, at_s, &st) != 0)
		return at_s + 86400;
	if (!st.open)
		return st.next_open == HOURS_NEVER ? at_s + 86400 :
		    st.next_open;
	if (st.next_close == HOURS_NEVER ||
	    hours_eval(h, z, st.next_close, &st) != 0 ||
	    st.next_open == HOURS_NEVER)
		return at_s + 86400;
	return st.next_open;
}

int
casework_phish_clock(struct casework *cw, const struct incident *inc,
    int64_t now_us, struct phish_clock *out)
{
	const struct incident_event *site = incident_site_event(inc);
	char err[ERRBUF_SIZE];
	int64_t end;
	size_t i, j;

	memset(out, 0, sizeof(*out));
	out->since_seen_s = out->since_report_s = out->to_answer_s =
	    out->to_takedown_s = out->report_to_takedown_s = -1;
	if (site == NULL)
		return 0;
	{
		struct site_times t;

		(void)incident_site_times(inc, &t);
		out->first_seen_us = t.first_seen_us;
		out->first_report_us = t.first_report_us;
		out->first_answer_us = t.first_answer_us;
		out->takedown_us = t.takedown_us;
	}
	end = out->takedown_us != 0 ? out->takedown_us : now_us;
	if (out->first_seen_us != 0 && end >= out->first_seen_us)
		out->since_seen_s = (end - out->first_seen_us) / 1000000;
	if (out->first_report_us != 0 && end >= out->first_report_us)
		out->since_report_s = (end - out->first_report_us) / 1000000;
	if (out->first_answer_us != 0)
		out->to_answer_s = (out->first_answer_us -
		    out->first_report_us) / 1000000;
	if (out->takedown_us != 0) {
		if (out->takedown_us >= out->first_seen_us)
			out->to_takedown_s = (out->takedown_us -
			    out->first_seen_us) / 1000000;
		if (out->first_report_us != 0 &&
		    out->takedown_us >= out->first_report_us)
			out->report_to_takedown_s = (out->takedown_us -
			    out->first_report_us) / 1000000;
		return 1;	/* down: no follow-up */
	}
	if (!cw->contacts_tried)
		(void)casework_load_contacts(cw, 0, err);
	/* Each recipient's last attempt with no answer from them after it. */
	for (i = 0; i < inc->nev; i++) {
		const struct ev_contact *a = &inc->ev[i].ev.u.contact;
		const char *who;
		int answered = 0, later = 0;
		int64_t due;
		long ci;

		if (inc->ev[i].ev.type != EV_CONTACT ||
		    a->what != CONTACT_ATTEMPT)
			continue;
		who = *a->contact ? a->contact : a->whom;
		for (j = i + 1; j < inc->nev; j++) {
			const struct ev_contact *b = &inc->ev[j].ev.u.contact;
			const char *bw;

			if (inc->ev[j].ev.type != EV_CONTACT)
				continue;
			bw = *b->contact ? b->contact : b->whom;
			if (strcmp(bw, who) != 0)
				continue;
			if (b->what == CONTACT_ATTEMPT)
				later = 1;
			else
				answered = 1;
		}
		if (answered || later)
			continue;
		ci = cw->db != NULL && *a->contact ? contacts_find(cw->db,
		    a->contact) : -1;
		if (ci >= 0) {
			const struct contact *c = contacts_get(cw->db,
			    (size_t)ci);

			due = follow_up_at(c, inc->ev[i].ts_us / 1000000) *
			    1000000;
			if (out->follow_up_due_us == 0 ||
			    due < out->follow_up_due_us)
				snprintf(out->follow_up_zone,
				    sizeof(out->follow_up_zone), "%s",
				    c->tz != NULL ? tz_name(c->tz) : "");
		} else {
			due = inc->ev[i].ts_us + 86400 * (int64_t)1000000;
			if (out->follow_up_due_us == 0 ||
			    due < out->follow_up_due_us)
				out->follow_up_zone[0] = '\0';
		}
		if (out->follow_up_due_us == 0 || due < out->follow_up_due_us) {
			out->follow_up_due_us = due;
			snprintf(out->follow_up_contact,
			    sizeof(out->follow_up_contact), "%s", who);
		}
	}
	out->follow_up_now = out->follow_up_due_us != 0 &&
	    now_us >= out->follow_up_due_us;
	return 1;
}

size_t
casework_phish_rank(struct casework *cw, const struct incident *inc,
    const char *our_country, int64_t at_s, struct esc_suggestion **out)
{
	const struct incident_event *le = incident_last_lookup(inc);
	struct esc_evidence e;
	struct esc_source src[SITE_ADDRS_MAX];
	char err[ERRBUF_SIZE];
	size_t i, n = 0;

	*out = NULL;
	if (!cw->contacts_tried)
		(void)casework_load_contacts(cw, 0, err);
	if (cw->db == NULL)
		return 0;
	memset(&e, 0, sizeof(e));
	e.kind = ESC_PHISHING;
	e.direction = ESC_DIR_UNKNOWN;
	e.at = at_s;
	if (our_country != NULL && strlen(our_country) == 2)
		memcpy(e.our_country, our_country, 3);
	if (le != NULL) {
		const struct ev_lookup *l = &le->ev.u.lookup;

		for (i = 0; i < l->naddrs && n < NITEMS(src); i++) {
			const struct ev_lookup_addr *x = &l->addrs[i];

			memset(&src[n], 0, sizeof(src[n]));
			if (x->addr == NULL || addr_parse(x->addr,
			    &src[n].addr) != 0)
				continue;
			src[n].asn = x->asn > 0 && x->asn <= UINT32_MAX ?
			    (uint32_t)x->asn : 0;
			if (strlen(x->cc) == 2)
				memcpy(src[n].country, x->cc, 3);
			src[n].abuse = *x->abuse ? x->abuse : NULL;
			src[n].packets = 1;
			n++;
		}
		e.registrar = l->registrar;
		e.registrar_abuse = l->registrar_abuse;
	}
	e.sources = src;
	e.nsources = n;
	return escalate_rank(cw->db, &e, out);
}
