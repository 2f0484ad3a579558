/*
 * casework.c -- the casework layer (casework.h): one incident store, the
 * kinds, the checklists and the contact database, each read on first use
 * and kept; and the rules the terminal and the CLI share.
 *
 * Each data file has a load state (not tried, loaded, missing, damaged)
 * and the message of its first failure, so a second caller gets the same
 * answer without reading the file again.
 *
 * The rest of the layer: casework_follow.c (evidence that follows an
 * alert), casework_act.c (the action gate, playbook proposals, the
 * actions of an incident), casework_draft.c (drafts and report files),
 * casework_share.c (export gating, import), casework_phish.c (phishing
 * sites), mitigation.c, alert_json.c; struct casework in casework_impl.h.
 */
#include "casework/casework_impl.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case/evidence.h"
#include "time/tz.h"
#include "base/util.h"

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
	casework_follow_add(cw, (*out)->id, a->id);
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

/* ---- playbooks (issue 15; their proposals: casework_act.c) ---------- */

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
