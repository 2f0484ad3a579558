/*
 * mitigation.c -- the casework side of issue 16: a routing action
 * (rtbh, rate-limit, block) announced only behind the checklist gate,
 * built from the incident's evidence, and the action's state in the
 * incident journal kept in step with the announcement journal
 * (mitigate.h). See casework.h.
 */
#include "casework/casework.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/util.h"

static int64_t
now_s(struct casework *cw)
{
	struct incident_store *s = casework_store(cw, NULL);

	if (s != NULL && incident_store_now(s) != 0)
		return incident_store_now(s) / 1000000;
	return (int64_t)time(NULL);
}

int
casework_mitigation_plan(struct casework *cw, struct mitigate *m,
    const struct incident *inc, const char *action,
    const struct case_mitigation_req *req, struct mit_rule *out,
    char *errbuf)
{
	const struct incident_event *ev;
	const char *attack;
	struct addr target;
	struct prefix src, *srcp = NULL;
	uint8_t proto = 0;
	uint16_t sport = 0, dport = 0;

	if (!mitigate_is_routing(action))
		return err_set(errbuf, "%s is not announced by routing (rtbh, "
		    "rate-limit, block)", action);
	if (casework_may_take(cw, inc, action, errbuf) != 0)
		return -1;
	if ((ev = incident_last_evidence(inc)) == NULL ||
	    addr_parse(json_gets(ev->j, "target", ""), &target) != 0)
		return err_set(errbuf, "%s: the incident has no evidence with "
		    "a target address to announce", inc->id);
	attack = json_gets(ev->j, "attack", "");
	if (strcmp(attack, "amplification") == 0 ||
	    strcmp(attack, "udp_flood") == 0) {
		proto = 17;
		if (json_getu(ev->j, "top_port", 0) <= 65535)
			sport = (uint16_t)json_getu(ev->j, "top_port", 0);
	} else if (strcmp(attack, "syn_flood") == 0)
		proto = 6;
	else if (strcmp(attack, "icmp_flood") == 0)
		proto = target.family == 4 ? 1 : 58;
	if (req != NULL) {
		if (req->proto != 0) {
			if (req->proto != proto)
				sport = 0;
			proto = req->proto;
		}
		if (req->sport != 0)
			sport = req->sport;
		if (req->dport != 0)
			dport = req->dport;
		if (req->src != NULL) {
			if (prefix_parse(req->src, &src) != 0)
				return err_set(errbuf, "'%s' is not a source "
				    "prefix", req->src);
			srcp = &src;
		}
	}
	if (mitigate_rule(m, action, &target, proto, sport, dport, srcp,
	    req != NULL ? req->rate : 0, out, errbuf) != 0)
		return -1;
	return mitigate_check(m, out, errbuf);
}

int
casework_mitigate(struct casework *cw, struct mitigate *m,
    struct incident *inc, const char *action, const struct mit_rule *r,
    unsigned ttl_s, char *errbuf)
{
	struct incident_store *s;
	const struct mit_entry *e;
	char sum[256], detail[400];
	char id[INCIDENT_ID_LEN];

	if ((s = casework_store(cw, errbuf)) == NULL)
		return -1;
	if (casework_may_take(cw, inc, action, errbuf) != 0)
		return -1;
	snprintf(id, sizeof(id), "%s", inc->id);
	if (mitigate_announce(m, id, action, r, ttl_s, now_s(cw), &e,
	    errbuf) != 0)
		return -1;
	mitigate_summary(r, sum, sizeof(sum));
	snprintf(detail, sizeof(detail), "%s via %s, %s, expires %lld",
	    sum, mitigate_backend_name(mitigate_backend(m)), e->id,
	    (long long)e->expires_s);
	return incident_action(s, inc, action, ACT_TAKEN, detail, errbuf);
}

int
casework_unmitigate(struct casework *cw, struct mitigate *m,
    struct incident *inc, const char *action, size_t *n, char *errbuf)
{
	struct incident_store *s;
	char detail[128];
	size_t cnt = 0;

	if ((s = casework_store(cw, errbuf)) == NULL)
		return -1;
	if (mitigate_withdraw(m, inc->id, action, "lifted", now_s(cw), &cnt,
	    errbuf) != 0)
		return -1;
	if (n != NULL)
		*n = cnt;
	snprintf(detail, sizeof(detail), "%zu announcement%s withdrawn", cnt,
	    cnt == 1 ? "" : "s");
	return incident_action(s, inc, action, ACT_LIFTED, detail, errbuf);
}

static int
wanted(void *arg, const char *incident, const char *action)
{
	struct incident_store *s = arg;
	const struct incident *inc = incident_find(s, incident);

	/* An unknown incident (another state directory, a journal lost)
	 * keeps its announcement until its TTL: reconcile reports it. */
	if (inc == NULL)
		return 1;
	if (inc->status == INC_CLOSED)
		return 0;
	return incident_action_state(inc, action, NULL) == ACT_TAKEN;
}

int
casework_mitigation_reconcile(struct casework *cw, struct mitigate *m,
    int repair, FILE *report, struct mit_reconcile *out, char *errbuf)
{
	struct incident_store *s;

	if (out != NULL)	/* counted even when the RIB is not read */
		memset(out, 0, sizeof(*out));
	if ((s = casework_store(cw, errbuf)) == NULL)
		return -1;
	return mitigate_reconcile(m, now_s(cw), repair, wanted, s, report,
	    out, errbuf);
}
