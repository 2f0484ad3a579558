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

#include "case/evidence.h"
#include "detect/snapshot.h"
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
	/* Incidents made from alerts in this process, followed while their
	 * alert is in the snapshots (alert ids are unique within a run). */
	struct follow {
		char id[INCIDENT_ID_LEN];
		uint64_t alert_id;
	} follows[CASE_FOLLOWS];
	size_t nfollows;
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

static void follow_add(struct casework *, const char *, uint64_t);

/* ---- the rules ------------------------------------------------------- */

const char *
casework_kind_for_alert(struct casework *cw, const struct alert *a)
{
	const struct incident_kinds *k;
	const struct incident_kind *ki;
	const char *id;

	/* Amplification leaving our network from port 53 is our customers'
	 * open resolvers reflecting (dns-amplification: IP53B, notify
	 * them); arriving, it is a reflection attack by genuine reflectors,
	 * whatever the port (reflection: block, rate-limit, share-csirt) --
	 * never the customer-resolver kind, whose actions are for our own
	 * resolvers. */
	if (a->direction == DIR_OUTBOUND)
		id = a->kind == KIND_AMPLIFICATION && a->top_port == 53 ?
		    "dns-amplification" : "outbound-bots";
	else if (a->kind == KIND_AMPLIFICATION)
		id = "reflection";
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
	follow_add(cw, (*out)->id, a->id);
	return incident_add_evidence(cw->store, *out, a, src, link_name,
	    errbuf);
}

/* ---- who to tell --------------------------------------------------------- */

size_t
casework_suggest(struct casework *cw, const struct incident *inc, int64_t at,
    struct esc_suggestion **out)
{
	const struct incident_event *le;
	struct evidence_hop h[EVIDENCE_HOPS];
	struct esc_alert *al;
	const struct json *top;
	const char *zone;
	char errbuf[ERRBUF_SIZE];
	size_t nh, i, n;
	int k;

	*out = NULL;
	if (!cw->contacts_tried)
		(void)casework_load_contacts(cw, 0, NULL);
	if (cw->db == NULL || inc == NULL ||
	    (le = incident_last_evidence(inc)) == NULL)
		return 0;
	al = xcalloc(1, sizeof(*al));
	k = escalate_kind_parse(json_gets(le->j, "attack", ""));
	al->e.kind = k >= 0 ? (enum esc_kind)k : ESC_OTHER;
	k = escalate_direction_parse(json_gets(le->j, "direction", ""));
	al->e.direction = k >= 0 ? (enum esc_direction)k : ESC_DIR_UNKNOWN;
	k = escalate_spoof_parse(json_gets(le->j, "spoofing", ""));
	al->e.spoof = k >= 0 ? (enum esc_spoof)k : ESC_SPOOF_NONE;
	al->e.has_target = addr_parse(json_gets(le->j, "target", ""),
	    &al->e.target) == 0;
	k = (int)json_geti(le->j, "top_port", 0);
	al->e.port = k > 0 && k <= 65535 ? (uint16_t)k : 0;
	nh = evidence_hops(le->j, h, EVIDENCE_HOPS);
	for (i = 0; i < nh; i++) {
		al->ingress[i].link = h[i].link;
		al->ingress[i].mac = h[i].mac;
		al->ingress[i].asn = h[i].asn;
		al->ingress[i].contact = h[i].contact;
		al->ingress[i].packets = h[i].packets;
		al->ingress[i].share = h[i].share_pm / 1000.0;
	}
	al->e.ingress = al->ingress;
	al->e.ningress = nh;
	top = json_get(le->j, "top_sources");
	for (i = 0, n = 0; i < json_len(top) && n < ESC_MAX; i++) {
		const struct json *t = json_at(top, i);
		struct esc_source *src = &al->sources[n];
		int64_t v = json_geti(t, "asn", 0), pm = json_geti(t,
		    "share_pm", 0);
		const char *cc = json_gets(t, "cc", "");

		if (addr_parse(json_gets(t, "addr", ""), &src->addr) != 0)
			continue;
		src->asn = v > 0 && v <= 0xffffffffLL ? (uint32_t)v : 0;
		if (strlen(cc) == 2 && contacts_country_ok(cc))
			memcpy(src->country, cc, 3);
		src->packets = json_getu(t, "packets", 0);
		src->share = pm > 0 && pm <= 1000 ? pm / 1000.0 : 0;
		n++;
	}
	al->e.sources = al->sources;
	al->e.nsources = n;
	zone = cw->cfg.our_zone != NULL && *cw->cfg.our_zone != '\0' ?
	    cw->cfg.our_zone : tz_name(tz_local_zone());
	if (zone == NULL || tz_zone_country(zone, al->e.our_country,
	    errbuf) < 0)
		al->e.our_country[0] = '\0';
	al->e.at = at;
	n = escalate_rank(cw->db, &al->e, out);
	free(al);
	return n;
}

/* ---- evidence that follows the alert ----------------------------------- */

/* Follow incident id with alert alert_id; the oldest follow makes room. */
static void
follow_add(struct casework *cw, const char *id, uint64_t alert_id)
{
	if (cw->nfollows == CASE_FOLLOWS) {
		memmove(&cw->follows[0], &cw->follows[1],
		    (CASE_FOLLOWS - 1) * sizeof(cw->follows[0]));
		cw->nfollows--;
	}
	snprintf(cw->follows[cw->nfollows].id, INCIDENT_ID_LEN, "%s", id);
	cw->follows[cw->nfollows++].alert_id = alert_id;
}

/* The neighbour keys ("link|mac-or-AS") carrying at least
 * CASE_FOLLOW_SHARE_PM of a, sorted, joined by spaces. */
static void
alert_keys(const struct alert *a, char *buf, size_t len)
{
	char k[ALERT_INGRESS][ALERT_LINK_LEN + 24], t[ALERT_LINK_LEN + 24];
	size_t n = 0, i, j;

	for (i = 0; i < a->ningress && i < ALERT_INGRESS; i++) {
		const struct alert_ingress *g = &a->ingress[i];

		if (g->share * 1000 + 0.5 < CASE_FOLLOW_SHARE_PM)
			continue;
		if (g->has_mac)
			snprintf(k[n], sizeof(k[n]), "%.*s|%02x:%02x:%02x:%02x:"
			    "%02x:%02x", (int)strnlen(g->link, ALERT_LINK_LEN),
			    g->link, g->mac[0], g->mac[1], g->mac[2], g->mac[3],
			    g->mac[4], g->mac[5]);
		else
			snprintf(k[n], sizeof(k[n]), "%.*s|AS%lu",
			    (int)strnlen(g->link, ALERT_LINK_LEN), g->link,
			    (unsigned long)g->asn);
		n++;
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(k[j - 1], k[j]) > 0; j--) {
			memcpy(t, k[j], sizeof(t));
			memcpy(k[j], k[j - 1], sizeof(t));
			memcpy(k[j - 1], t, sizeof(t));
		}
	buf[0] = '\0';
	for (i = 0; i < n; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
		    i ? " " : "", k[i]);
}

/* The same keys of an evidence event, as alert_keys writes them. */
static void
event_keys(const struct json *ev, char *buf, size_t len)
{
	struct evidence_hop h[EVIDENCE_HOPS];
	char k[EVIDENCE_HOPS][ALERT_LINK_LEN + 24], t[ALERT_LINK_LEN + 24];
	size_t nh = evidence_hops(ev, h, EVIDENCE_HOPS), n = 0, i, j;

	for (i = 0; i < nh; i++) {
		if (h[i].share_pm < CASE_FOLLOW_SHARE_PM)
			continue;
		if (h[i].mac != NULL)
			snprintf(k[n], sizeof(k[n]), "%.*s|%.17s",
			    ALERT_LINK_LEN - 1, h[i].link ? h[i].link : "",
			    h[i].mac);
		else
			snprintf(k[n], sizeof(k[n]), "%.*s|AS%lu",
			    ALERT_LINK_LEN - 1, h[i].link ? h[i].link : "",
			    (unsigned long)h[i].asn);
		n++;
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(k[j - 1], k[j]) > 0; j--) {
			memcpy(t, k[j], sizeof(t));
			memcpy(k[j], k[j - 1], sizeof(t));
			memcpy(k[j - 1], t, sizeof(t));
		}
	buf[0] = '\0';
	for (i = 0; i < n; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
		    i ? " " : "", k[i]);
}

const char *
casework_follow_why(const struct incident *inc, const struct alert *a)
{
	const struct incident_event *le = incident_last_evidence(inc);
	char ka[ALERT_INGRESS * (ALERT_LINK_LEN + 26)];
	char ke[EVIDENCE_HOPS * (ALERT_LINK_LEN + 26)];
	uint64_t lpeak;
	int64_t llast;
	size_t i, n = 0;

	if (le == NULL)
		return "first";
	if (json_getu(le->j, "alert_id", 0) != a->id)
		return NULL;
	if (json_get(le->j, "end") != NULL)
		return NULL;		/* it ended: nothing follows */
	if (a->end_us != 0)
		return "end";		/* always written, past the cap too */
	for (i = 0; i < inc->nev; i++)
		if (strcmp(inc->ev[i].type, "evidence") == 0 &&
		    json_getu(inc->ev[i].j, "alert_id", 0) == a->id)
			n++;
	if (n >= CASE_FOLLOW_MAX)
		return NULL;
	if (time_parse_rfc3339(json_gets(le->j, "last", ""), &llast) != 0)
		llast = 0;
	if (a->last_us - llast < CASE_FOLLOW_GAP_US)
		return NULL;
	lpeak = json_getu(le->j, "peak_pps", 0);
	if (a->peak_pps > lpeak && (a->peak_pps - lpeak) * 4 >= lpeak)
		return "peak";
	alert_keys(a, ka, sizeof(ka));
	event_keys(le->j, ke, sizeof(ke));
	if (strcmp(ka, ke) != 0)
		return "ingress";
	return NULL;
}

int
casework_follow_alert(struct casework *cw, struct incident *inc,
    const struct alert *a, const char *link_name, char *errbuf)
{
	struct incident_srcinfo src[ALERT_TOP_SOURCES];
	struct incident_store *s;
	unsigned i;

	if (casework_follow_why(inc, a) == NULL)
		return 0;
	if ((s = casework_store(cw, errbuf)) == NULL)
		return -1;
	memset(src, 0, sizeof(src));
	for (i = 0; i < a->ntop && i < ALERT_TOP_SOURCES; i++) {
		src[i].asn = a->top[i].asn;
		memcpy(src[i].cc, a->top[i].country, 2);
	}
	if (incident_add_evidence(s, inc, a, src, link_name, errbuf) != 0)
		return -1;
	return 1;
}

int
casework_follow_snapshot(struct casework *cw, const struct snapshot *snap,
    char *errbuf)
{
	struct incident_store *s;
	size_t i, j, out = 0;
	int appended = 0, rc = 0;

	if (snap == NULL || cw->nfollows == 0 || cw->store == NULL)
		return 0;
	s = cw->store;
	for (i = 0; i < cw->nfollows; i++) {
		struct follow *f = &cw->follows[i];
		struct incident *inc = incident_find(s, f->id);
		const struct alert *a = NULL;
		const char *link = NULL;
		char lname[64], e2[ERRBUF_SIZE];
		int r;

		for (j = 0; j < snap->nalerts; j++)
			if (snap->alerts[j].id == f->alert_id)
				a = &snap->alerts[j];
		if (inc == NULL || a == NULL)
			continue;	/* gone: stop following */
		if (a->link < snap->nlinks) {
			text_sanitize(lname, sizeof(lname),
			    snap->links[a->link].name,
			    strnlen(snap->links[a->link].name,
			    sizeof(snap->links[a->link].name)));
			link = lname;
		}
		r = casework_follow_alert(cw, inc, a, link,
		    rc == 0 ? errbuf : e2);
		if (r < 0)
			rc = -1;
		appended += r > 0;
		if (a->end_us != 0 && r >= 0)
			continue;	/* its end is written: done */
		cw->follows[out++] = *f;
	}
	cw->nfollows = out;
	return rc < 0 ? -1 : appended;
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
casework_may_take(struct casework *cw, const struct incident *inc,
    const char *action, char *errbuf)
{
	return may_take(cw, inc, action, errbuf);
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

const char *
casework_request_action(struct casework *cw, const struct incident *inc,
    const char *contact_id)
{
	const struct contact *c;
	struct contacts *db;
	const char *action = NULL;
	size_t i;

	if (contact_id == NULL || *contact_id == '\0')
		return NULL;
	if ((db = casework_contacts(cw)) == NULL &&
	    casework_load_contacts(cw, 0, NULL) == 0)
		db = casework_contacts(cw);
	if (db == NULL)
		return NULL;
	for (i = 0, c = NULL; i < contacts_count(db); i++)
		if (strcmp(contacts_get(db, i)->id, contact_id) == 0)
			c = contacts_get(db, i);
	if (c == NULL)
		return NULL;
	if (c->kind == CK_PEERING_ISP || c->kind == CK_TRANSIT_ISP)
		action = "share-peer";
	else if (c->kind == CK_CSIRT || c->kind == CK_NATIONAL_CSIRT ||
	    c->kind == CK_FIRST_TEAM)
		action = "share-csirt";
	if (action == NULL || !casework_action_offered(cw, inc->kind, action))
		return NULL;
	return action;
}

int
casework_draft_warning(struct casework *cw, const struct incident *inc,
    const char *contact_id, char *buf, size_t len)
{
	const char *action = casework_request_action(cw, inc, contact_id);
	const struct checklist *cl;
	struct checklist_eval ev;
	char open[512];

	if (len > 0)
		buf[0] = '\0';
	if (action == NULL || incident_override_for(inc, action) != NULL)
		return 0;
	(void)casework_load_checklists(cw, NULL);
	if (cw->cs == NULL || (cl = checklist_find(cw->cs, action)) == NULL)
		return 0;
	checklist_evaluate(cl, inc, &ev);
	if (ev.status == CL_COMPLETE)
		return 0;
	snprintf(buf, len, "this request shares the incident with the "
	    "contact (%s), whose guideline checklist is %s (%s): complete it, "
	    "or override with a reason, before sending", action,
	    ev.status == CL_FAILED ? "FAILED" : "incomplete",
	    checklist_open_list(&ev, open, sizeof(open)));
	return 1;
}

int
casework_request_logged(struct casework *cw, struct incident *inc,
    const char *contact_id, char *errbuf)
{
	const char *action = casework_request_action(cw, inc, contact_id);
	struct incident_store *s;

	if (action == NULL ||
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

/* ---- sharing in other tools' formats (issue 17) ---------------------- */

/* The contact with this id (valid records only), or NULL. */
static const struct contact *
contact_by_id(struct casework *cw, const char *id)
{
	struct contacts *db;
	long i;

	if (id == NULL || *id == '\0')
		return NULL;
	if ((db = casework_contacts(cw)) == NULL &&
	    casework_load_contacts(cw, 0, NULL) == 0)
		db = casework_contacts(cw);
	if (db == NULL || (i = contacts_find(db, id)) < 0)
		return NULL;
	return contacts_get(db, (size_t)i);
}

const char *
casework_share_action(const struct contact *c)
{
	if (c == NULL)
		return "share-csirt";
	switch (c->kind) {
	case CK_NATIONAL_CSIRT: case CK_CSIRT: case CK_FIRST_TEAM:
	case CK_ISAC: case CK_NATIONAL_POC: case CK_NOG:
	case CK_DOMESTIC_AGENCY: case CK_LAW_ENFORCEMENT: case CK_RIR:
		return "share-csirt";
	default:
		return "share-peer";
	}
}

/* 1 if a network of c's (prefixes, AS numbers) holds one of the latest
 * evidence's sources: c is the organisation the evidence concerns. */
static int
evidence_concerns(const struct incident *inc, const struct contact *c)
{
	const struct incident_event *le = incident_last_evidence(inc);
	const struct ev_evidence *e;
	struct addr a;
	size_t i, k;

	if (le == NULL || c == NULL)
		return 0;
	e = &le->ev.u.evidence;
	for (i = 0; i < e->ntop; i++) {
		if (e->top[i].addr != NULL && addr_parse(e->top[i].addr, &a)
		    == 0 && prefix_list_contains(c->prefixes, c->nprefixes, &a))
			return 1;
		for (k = 0; k < c->nasns; k++)
			if (e->top[i].asn > 0 && e->top[i].asn >= c->asns[k].lo &&
			    e->top[i].asn <= c->asns[k].hi)
				return 1;
	}
	return 0;
}

/* May inc's evidence go to c (NULL: nobody named) in format? 0, or -1
 * with errbuf: the TLP, then the sharing action's checklist. */
static int
may_export(struct casework *cw, const struct incident *inc,
    const struct contact *c, const char *cid, char *errbuf)
{
	const char *action = casework_share_action(c);
	char why[ERRBUF_SIZE];

	if (strcmp(inc->tlp, "TLP:RED") == 0)
		return err_set(errbuf, "%s is TLP:RED: its evidence never "
		    "leaves the NOC (lower the TLP first if the source agrees)",
		    inc->id);
	if (cid != NULL && *cid != '\0' && c == NULL)
		return err_set(errbuf, "no valid contact '%s' in the contact "
		    "database", cid);
	if (strcmp(inc->tlp, "TLP:AMBER+STRICT") == 0 && c == NULL)
		return err_set(errbuf, "%s is TLP:AMBER+STRICT: it goes only "
		    "to the organisation it concerns; name it with --for",
		    inc->id);
	if (strcmp(inc->tlp, "TLP:AMBER+STRICT") == 0 &&
	    !evidence_concerns(inc, c))
		return err_set(errbuf, "%s is TLP:AMBER+STRICT: it goes only "
		    "to the organisation it concerns, and no network of %s "
		    "(%s) holds one of its sources", inc->id, c->id,
		    contacts_kind_name(c->kind));
	if (may_take(cw, inc, action, why) != 0)
		return err_set(errbuf, "export is a disclosure: %s", why);
	return 0;
}

/* Journal a refusal; errbuf keeps the reason. Returns -1. */
static int
export_refused(struct incident_store *s, struct incident *inc,
    enum export_format fmt, const struct contact *c, const char *cid,
    char *errbuf)
{
	struct ev_export x;
	char e2[ERRBUF_SIZE];

	memset(&x, 0, sizeof(x));
	x.format = export_format_name(fmt);
	x.contact = cid != NULL ? cid : "";
	x.recipient = c != NULL ? (c->org[0] ? c->org : c->team) : "";
	x.refused = 1;
	x.reason = errbuf;
	if (incident_export_logged(s, inc, &x, e2) != 0) {
		char r[ERRBUF_SIZE];

		snprintf(r, sizeof(r), "%s", errbuf);
		err_set(errbuf, "%s (and the refusal was not journaled: %s)",
		    r, e2);
	}
	return -1;
}

int
casework_export(struct casework *cw, struct incident *inc,
    enum export_format fmt, const char *contact_id, const char *path,
    char **doc_out, char **path_out, char *errbuf)
{
	const struct options *opt = cw->cfg.opt;
	const struct contact *c;
	struct incident_store *s;
	struct export_params p;
	struct ev_export x;
	char hex[65], *doc, *where;
	FILE *f;
	int fd;

	*doc_out = NULL;
	if (path_out != NULL)
		*path_out = NULL;
	if ((s = casework_store(cw, errbuf)) == NULL)
		return -1;
	c = contact_by_id(cw, contact_id);
	if (may_export(cw, inc, c, contact_id, errbuf) != 0)
		return export_refused(s, inc, fmt, c, contact_id, errbuf);
	memset(&p, 0, sizeof(p));
	p.format = fmt;
	p.to = c;
	p.org = opt != NULL ? opt->org : NULL;
	p.noc_email = opt != NULL ? opt->noc_email : NULL;
	p.now_us = incident_store_now(s);
	if ((doc = export_build(inc, &p, errbuf)) == NULL)
		return export_refused(s, inc, fmt, c, contact_id, errbuf);
	export_sha256_hex(doc, strlen(doc), hex);
	if (path != NULL && strcmp(path, "-") == 0)
		where = xstrdup("-");
	else {
		if (path == NULL) {
			char *dir = xasprintf("%s/exports",
			    incident_store_state_dir(s));

			if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
				err_set(errbuf, "cannot make %s: %s", dir,
				    strerror(errno));
				free(dir);
				free(doc);
				return -1;
			}
			where = xasprintf("%s/%s-%s%s%s.json", dir, inc->id,
			    export_format_name(fmt), c != NULL ? "-" : "",
			    c != NULL ? c->id : "");
			free(dir);
		} else
			where = xstrdup(path);
		if ((fd = open_private(where, 0)) < 0 ||
		    (f = fdopen(fd, "w")) == NULL) {
			err_set(errbuf, "cannot write %s: %s", where,
			    strerror(errno));
			if (fd >= 0)
				close(fd);
			free(where);
			free(doc);
			return -1;
		}
		if (fputs(doc, f) == EOF || fflush(f) != 0 ||
		    fsync(fileno(f)) != 0) {
			err_set(errbuf, "%s: write error: %s", where,
			    strerror(errno));
			fclose(f);
			free(where);
			free(doc);
			return -1;
		}
		fclose(f);
	}
	memset(&x, 0, sizeof(x));
	x.format = export_format_name(fmt);
	x.contact = c != NULL ? c->id : "";
	x.recipient = c != NULL ? (c->org[0] ? c->org : c->team) : "";
	x.path = where;
	x.sha256 = hex;
	if (incident_export_logged(s, inc, &x, errbuf) != 0) {
		/* not journaled: not disclosed either */
		if (strcmp(where, "-") != 0)
			(void)unlink(where);
		free(where);
		free(doc);
		return -1;
	}
	*doc_out = doc;
	if (path_out != NULL)
		*path_out = where;
	else
		free(where);
	return 0;
}

int
casework_draft_attach(struct casework *cw, struct incident *inc,
    const char *contact_id, const char *draft_path, char *errbuf)
{
	const struct contact *c = contact_by_id(cw, contact_id);
	char *doc, *path, hex[65];
	FILE *f;
	int fmt;

	if (c == NULL)
		return err_set(errbuf, "--attach needs --contact naming a "
		    "valid contact");
	if ((fmt = export_format_for(c)) < 0)
		return err_set(errbuf, "%s lists no formats and has no "
		    "abuse-email: no export fits it", c->id);
	if (casework_export(cw, inc, (enum export_format)fmt, c->id, NULL,
	    &doc, &path, errbuf) != 0)
		return -1;
	export_sha256_hex(doc, strlen(doc), hex);
	free(doc);
	if ((f = fopen(draft_path, "a")) == NULL) {
		err_set(errbuf, "cannot append to %s: %s", draft_path,
		    strerror(errno));
		free(path);
		return -1;
	}
	fprintf(f, "\nAttachment: %s (%s, sha256 %s)\n", path,
	    fmt == EXPORT_XARF ? "X-ARF v4" : fmt == EXPORT_MISP ?
	    "MISP event" : "STIX 2.1 bundle", hex);
	free(path);
	if (fclose(f) != 0)
		return err_set(errbuf, "%s: write error", draft_path);
	return 0;
}

/* The contact whose e-mail addresses or organisation match the sender. */
static const struct contact *
contact_for_sender(struct casework *cw, const struct export_import *im)
{
	struct contacts *db;
	size_t i, k;

	if ((db = casework_contacts(cw)) == NULL &&
	    casework_load_contacts(cw, 0, NULL) == 0)
		db = casework_contacts(cw);
	for (i = 0; db != NULL && i < contacts_count(db); i++) {
		const struct contact *c = contacts_get(db, i);

		if (!c->valid)
			continue;
		for (k = 0; im->sender_contact[0] && k < c->email.n; k++)
			if (strcasecmp(c->email.v[k], im->sender_contact) == 0)
				return c;
		for (k = 0; im->sender_contact[0] && k < c->abuse_email.n; k++)
			if (strcasecmp(c->abuse_email.v[k],
			    im->sender_contact) == 0)
				return c;
		if (c->org[0] && strcasecmp(c->org, im->sender_org) == 0)
			return c;
	}
	return NULL;
}

int
casework_import(struct casework *cw, const uint8_t *p, size_t len,
    const char *name, struct incident **out, char *errbuf)
{
	struct export_import im;
	struct incident_store *s;
	struct alert a;
	const struct contact *from;
	const char *kind, *tlp;
	char title[512], hex[65], *note;
	size_t i;

	*out = NULL;
	if (export_import_parse(p, len, &im, errbuf) != 0) {
		char e[ERRBUF_SIZE];

		snprintf(e, sizeof(e), "%s", errbuf);
		return err_set(errbuf, "%s: %s", name, e);
	}
	if ((s = casework_store(cw, errbuf)) == NULL)
		return -1;
	memset(&a, 0, sizeof(a));
	a.direction = DIR_OUTBOUND;
	a.kind = strcmp(im.protocol, "tcp") == 0 ? KIND_SYN_FLOOD :
	    strcmp(im.protocol, "icmp") == 0 ? KIND_ICMP_FLOOD :
	    strcmp(im.protocol, "udp") == 0 ? KIND_UDP_FLOOD : KIND_MIXED;
	if (im.target[0] == '\0' || addr_parse(im.target, &a.target) != 0)
		memset(&a.target, 0, sizeof(a.target));
	a.start_us = im.first_us != 0 ? im.first_us : incident_store_now(s);
	a.last_us = im.last_us != 0 ? im.last_us : a.start_us;
	a.end_us = a.last_us;
	a.peak_pps = im.peak_pps;
	a.peak_bps = im.peak_bps;
	a.packets = im.packets;
	a.bytes = im.bytes;
	a.top_port = (uint16_t)im.dst_port;
	for (i = 0; i < im.nsources && i < ALERT_TOP_SOURCES; i++)
		if (addr_parse(im.sources[i], &a.top[a.ntop].addr) == 0)
			a.ntop++;
	kind = "outbound-bots";
	tlp = im.tlp[0] != '\0' ? im.tlp : casework_default_tlp(cw, kind);
	snprintf(title, sizeof(title), "%s %s from %s: %s",
	    im.format == EXPORT_XARF ? "X-ARF" : "MISP", im.what,
	    im.sender_org, im.sources[0]);
	if (casework_create(cw, kind, title, "import", tlp, out, errbuf) != 0)
		return -1;
	if (incident_add_evidence(s, *out, &a, NULL, NULL, errbuf) != 0)
		return -1;
	export_sha256_hex(p, len, hex);
	note = xasprintf("Imported %s (sha256 %s): %s %s%s%s%s%s%s", name, hex,
	    im.format == EXPORT_XARF ? "X-ARF report" : "MISP event",
	    im.report_id, im.sender_contact[0] ? " from " : "",
	    im.sender_contact, im.description[0] ? " -- " : "",
	    im.description, "");
	if (incident_note(s, *out, note, errbuf) != 0) {
		free(note);
		return -1;
	}
	free(note);
	from = contact_for_sender(cw, &im);
	return incident_contact(s, *out, CONTACT_REPLY,
	    im.format == EXPORT_XARF ? "xarf" : "misp",
	    from != NULL ? from->id : "", im.sender_org, "reported bots in "
	    "our network", errbuf);
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
