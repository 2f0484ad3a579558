/*
 * mitigate.c -- the announcement journal (STATE/mitigations.jsonl), the
 * rules of what may be announced, and the reconciliation of the journal
 * with the speaker's RIB. See mitigate.h; the speaker itself is driven by
 * a backend (gobgp.c, exabgp.c).
 *
 * Keeps every entry replayed from the journal in an array, oldest first;
 * each event appended is also applied to the array, so the array is
 * always what a replay would give.
 */
#include "mitigate/mitigate.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/json.h"
#include "base/jsonw.h"
#include "base/util.h"
#include "mitigate/mitigate_impl.h"

#define JOURNAL_NAME	"mitigations.jsonl"
#define JOURNAL_MAX	(64u << 20)

struct mitigate {
	struct mitigate_settings cfg;
	char *path;
	struct mit_entry *e;
	size_t n;
	unsigned seq;			/* for ids made by this process */
};

static const char *const backend_names[] = {
	[MIT_OFF] = "off", [MIT_GOBGP] = "gobgp", [MIT_EXABGP] = "exabgp",
	[MIT_BIRD] = "bird",
};
static const char *const state_names[] = {
	[MIT_PENDING] = "pending", [MIT_ACTIVE] = "active",
	[MIT_FAILED] = "failed", [MIT_WITHDRAWING] = "withdrawing",
	[MIT_WITHDRAWN] = "withdrawn",
};

int
mitigate_backend_parse(const char *s)
{
	size_t i;

	for (i = 0; i < NITEMS(backend_names); i++)
		if (strcmp(s, backend_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
mitigate_backend_name(enum mit_backend b)
{
	return (unsigned)b < NITEMS(backend_names) ? backend_names[b] : "?";
}

const char *
mitigate_state_name(enum mit_state st)
{
	return (unsigned)st < NITEMS(state_names) ? state_names[st] : "?";
}

int
mitigate_is_routing(const char *action)
{
	return strcmp(action, "rtbh") == 0 ||
	    strcmp(action, "rate-limit") == 0 || strcmp(action, "block") == 0;
}

int
mitigate_parse_communities(const char *s, uint32_t *out, size_t max,
    size_t *n, char *errbuf)
{
	const char *p = s;
	char *end;
	unsigned long a, b;

	*n = 0;
	while (*p != '\0') {
		errno = 0;
		a = strtoul(p, &end, 10);
		if (end == p || *end != ':' || a > 65535 || errno != 0)
			goto bad;
		p = end + 1;
		b = strtoul(p, &end, 10);
		if (end == p || b > 65535 || errno != 0 ||
		    (*end != ',' && *end != '\0'))
			goto bad;
		if (*n == max)
			return err_set(errbuf, "rtbh-community: at most %zu "
			    "communities", max);
		out[(*n)++] = (uint32_t)(a << 16 | b);
		p = *end == ',' ? end + 1 : end;
	}
	if (*n == 0)
		goto bad;
	return 0;
bad:
	return err_set(errbuf, "rtbh-community: '%s' is not ASN:VALUE[,...] "
	    "(each 0-65535)", s);
}

void
mit_rule_key(const struct mit_rule *r, char *buf, size_t len)
{
	char d[64], s[64];

	prefix_format(&r->dst, d, sizeof(d));
	if (r->kind == MIT_RTBH) {
		snprintf(buf, len, "rtbh %s", d);
		return;
	}
	if (r->src.addr.family != 0)
		prefix_format(&r->src, s, sizeof(s));
	else
		snprintf(s, sizeof(s), "-");
	snprintf(buf, len, "flowspec dst=%s src=%s proto=%u dport=%u sport=%u",
	    d, s, r->proto, r->dport, r->sport);
}

/* ---- the journal ---------------------------------------------------- */

static struct mit_entry *
find(struct mitigate *m, const char *id)
{
	size_t i;

	for (i = m->n; i-- > 0;)
		if (strcmp(m->e[i].id, id) == 0)
			return &m->e[i];
	return NULL;
}

/* The rule of an "announce" event; 0 or -1 (damaged). */
static int
rule_from_json(const struct json *j, struct mit_rule *r)
{
	const char *kind = json_gets(j, "kind", "");
	char e[ERRBUF_SIZE];
	uint64_t v;

	memset(r, 0, sizeof(*r));
	if (strcmp(kind, "rtbh") == 0)
		r->kind = MIT_RTBH;
	else if (strcmp(kind, "flowspec") == 0)
		r->kind = MIT_FLOWSPEC;
	else
		return -1;
	if (prefix_parse(json_gets(j, "dst", ""), &r->dst) != 0)
		return -1;
	if (json_get(j, "src") != NULL &&
	    prefix_parse(json_gets(j, "src", ""), &r->src) != 0)
		return -1;
	if ((v = json_getu(j, "proto", 0)) > 255)
		return -1;
	r->proto = (uint8_t)v;
	if ((v = json_getu(j, "dport", 0)) > 65535)
		return -1;
	r->dport = (uint16_t)v;
	if ((v = json_getu(j, "sport", 0)) > 65535)
		return -1;
	r->sport = (uint16_t)v;
	r->rate = json_getu(j, "rate", 0);
	snprintf(r->next_hop, sizeof(r->next_hop), "%s",
	    json_gets(j, "next_hop", ""));
	if (r->kind == MIT_RTBH && mitigate_parse_communities(
	    json_gets(j, "communities", ""), r->comm, MIT_COMMUNITIES,
	    &r->ncomm, e) != 0)
		return -1;
	return 0;
}

/* Apply one journal line. Damaged lines are skipped (counted). */
static int
apply(struct mitigate *m, const char *line, size_t len)
{
	struct json *j;
	struct mit_entry *e, ne;
	const char *ev, *id;
	char eb[ERRBUF_SIZE];

	if ((j = json_parse(line, len, 8, NULL, eb)) == NULL)
		return -1;
	ev = json_gets(j, "ev", "");
	id = json_gets(j, "id", "");
	if (strcmp(ev, "announce") == 0) {
		memset(&ne, 0, sizeof(ne));
		if (strlen(id) >= sizeof(ne.id) || find(m, id) != NULL ||
		    rule_from_json(j, &ne.rule) != 0)
			goto bad;
		snprintf(ne.id, sizeof(ne.id), "%s", id);
		snprintf(ne.incident, sizeof(ne.incident), "%s",
		    json_gets(j, "incident", ""));
		snprintf(ne.action, sizeof(ne.action), "%s",
		    json_gets(j, "action", ""));
		ne.at_s = json_geti(j, "at", 0);
		ne.expires_s = json_geti(j, "expires", 0);
		ne.state = MIT_PENDING;
		m->e = xreallocarray(m->e, m->n + 1, sizeof(*m->e));
		m->e[m->n++] = ne;
	} else {
		if ((e = find(m, id)) == NULL)
			goto bad;
		if (strcmp(ev, "announced") == 0)
			e->state = MIT_ACTIVE;
		else if (strcmp(ev, "failed") == 0)
			e->state = MIT_FAILED;
		else if (strcmp(ev, "withdraw") == 0) {
			e->state = MIT_WITHDRAWING;
			snprintf(e->why, sizeof(e->why), "%s",
			    json_gets(j, "why", ""));
		} else if (strcmp(ev, "withdrawn") == 0)
			e->state = MIT_WITHDRAWN;
		else
			goto bad;
	}
	json_free(j);
	return 0;
bad:
	json_free(j);
	return -1;
}

/* Append one event (a JSON object without its newline) and fsync it
 * before returning, then apply it. 0 or -1 with errbuf. */
static int
append(struct mitigate *m, const char *obj, size_t len, char *errbuf)
{
	int fd;
	char *line = xmalloc(len + 1);
	ssize_t w;

	memcpy(line, obj, len);
	line[len] = '\n';
	if ((fd = open_private(m->path, 1)) < 0) {
		free(line);
		return err_set(errbuf, "%s: %s", m->path, strerror(errno));
	}
	w = write(fd, line, len + 1);
	if (w != (ssize_t)(len + 1) || fsync(fd) != 0) {
		err_set(errbuf, "%s: %s", m->path, strerror(errno));
		close(fd);
		free(line);
		return -1;
	}
	close(fd);
	free(line);
	(void)apply(m, obj, len);
	return 0;
}

/* An event for entry e ("announced", "withdraw", ...), with why and the
 * speaker's output (may be NULL). */
static int
event(struct mitigate *m, const struct mit_entry *e, const char *ev,
    const char *why, const char *output, int64_t now_s, char *errbuf)
{
	char *buf = NULL, id[MIT_ID_LEN];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct jsonw w;
	int rc;

	snprintf(id, sizeof(id), "%s", e->id);	/* e may move in apply */
	jsonw_init(&w, f, 0);
	jsonw_obj_open(&w);
	jsonw_kstr(&w, "ev", ev);
	jsonw_kstr(&w, "id", id);
	jsonw_ki64(&w, "at", now_s);
	if (why != NULL)
		jsonw_kstr(&w, "why", why);
	if (output != NULL)
		jsonw_kstr(&w, "output", output);
	jsonw_obj_close(&w);
	jsonw_end(&w);
	fclose(f);
	while (len > 0 && buf[len - 1] == '\n')
		len--;
	rc = append(m, buf, len, errbuf);
	free(buf);
	return rc;
}

struct mitigate *
mitigate_open(const struct mitigate_settings *cfg, char *errbuf)
{
	struct mitigate *m;
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	struct stat st;

	if (cfg->state_dir == NULL) {
		err_set(errbuf, "no state directory for %s", JOURNAL_NAME);
		return NULL;
	}
	m = xcalloc(1, sizeof(*m));
	m->cfg = *cfg;
	if (m->cfg.ttl_s == 0)
		m->cfg.ttl_s = MIT_TTL_DEFAULT;
	if (m->cfg.max == 0)
		m->cfg.max = MIT_MAX_DEFAULT;
	m->path = xasprintf("%s/%s", cfg->state_dir, JOURNAL_NAME);
	if (mkdir(cfg->state_dir, 0700) != 0 && errno != EEXIST) {
		err_set(errbuf, "%s: %s", cfg->state_dir, strerror(errno));
		mitigate_free(m);
		return NULL;
	}
	if ((f = fopen(m->path, "re")) == NULL) {
		if (errno == ENOENT)
			return m;
		err_set(errbuf, "%s: %s", m->path, strerror(errno));
		mitigate_free(m);
		return NULL;
	}
	if (fstat(fileno(f), &st) == 0 && st.st_size > (off_t)JOURNAL_MAX) {
		err_set(errbuf, "%s: larger than %u MB", m->path,
		    JOURNAL_MAX >> 20);
		fclose(f);
		mitigate_free(m);
		return NULL;
	}
	/* A torn last line (a kill -9 inside write) is skipped: its event
	 * was never acted on, for nothing is sent before the fsync. */
	while ((len = getline(&line, &cap, f)) > 0) {
		while (len > 0 && line[len - 1] == '\n')
			len--;
		if (len > 0)
			(void)apply(m, line, (size_t)len);
	}
	free(line);
	fclose(f);
	return m;
}

void
mitigate_free(struct mitigate *m)
{
	if (m == NULL)
		return;
	free(m->path);
	free(m->e);
	free(m);
}

enum mit_backend
mitigate_backend(const struct mitigate *m)
{
	return m->cfg.backend;
}

unsigned
mitigate_default_ttl(const struct mitigate *m)
{
	return m->cfg.ttl_s;
}

const char *
mitigate_journal_path(const struct mitigate *m)
{
	return m->path;
}

size_t
mitigate_count(const struct mitigate *m)
{
	return m->n;
}

const struct mit_entry *
mitigate_at(const struct mitigate *m, size_t i)
{
	return i < m->n ? &m->e[i] : NULL;
}

/* ---- rules ---------------------------------------------------------- */

int
mitigate_rule(const struct mitigate *m, const char *action,
    const struct addr *target, uint8_t proto, uint16_t sport, uint16_t dport,
    const struct prefix *src, uint64_t rate, struct mit_rule *out,
    char *errbuf)
{
	const char *nh = m->cfg.next_hop;
	struct addr a;

	memset(out, 0, sizeof(*out));
	if (target->family != 4 && target->family != 6)
		return err_set(errbuf, "%s: no target address", action);
	out->dst.addr = *target;
	out->dst.len = target->family == 4 ? 32 : 128;
	if (strcmp(action, "rtbh") == 0) {
		out->kind = MIT_RTBH;
		if (nh == NULL || *nh == '\0')
			nh = target->family == 4 ? "192.0.2.1" : "100::1";
		if (addr_parse(nh, &a) != 0 || a.family != target->family)
			return err_set(errbuf, "rtbh-next-hop '%s' is not an "
			    "IPv%d address like the target", nh,
			    target->family);
		addr_format(&a, out->next_hop, sizeof(out->next_hop));
		out->comm[out->ncomm++] = 0xFFFF029Au;	/* 65535:666 */
		if (m->cfg.communities != NULL && *m->cfg.communities != '\0') {
			uint32_t c[MIT_COMMUNITIES];
			size_t n, i;

			if (mitigate_parse_communities(m->cfg.communities, c,
			    MIT_COMMUNITIES, &n, errbuf) != 0)
				return -1;
			for (i = 0; i < n && out->ncomm < MIT_COMMUNITIES; i++)
				if (c[i] != 0xFFFF029Au)
					out->comm[out->ncomm++] = c[i];
		}
		return 0;
	}
	if (strcmp(action, "block") != 0 && strcmp(action, "rate-limit") != 0)
		return err_set(errbuf, "%s is not announced by routing "
		    "(rtbh, rate-limit, block)", action);
	out->kind = MIT_FLOWSPEC;
	out->proto = proto;
	out->sport = sport;
	out->dport = dport;
	if (src != NULL && src->addr.family != 0) {
		if (src->addr.family != target->family)
			return err_set(errbuf, "the source prefix is not of "
			    "the target's family");
		out->src = *src;
	}
	if ((sport != 0 || dport != 0) && proto != 6 && proto != 17 &&
	    proto != 132)
		return err_set(errbuf, "ports need a protocol with ports "
		    "(tcp, udp)");
	if (strcmp(action, "rate-limit") == 0) {
		if (rate == 0)
			return err_set(errbuf, "rate-limit needs a rate "
			    "(bytes per second, --rate)");
		if (rate > UINT32_MAX)
			return err_set(errbuf, "rate-limit: %" PRIu64 " bytes/s "
			    "is more than a FlowSpec rate can say", rate);
		out->rate = rate;
	}
	return 0;
}

static int
live(const struct mit_entry *e)
{
	return e->state == MIT_PENDING || e->state == MIT_ACTIVE;
}

int
mitigate_check(const struct mitigate *m, const struct mit_rule *r,
    char *errbuf)
{
	char p[64], k[MIT_KEY_LEN], k2[MIT_KEY_LEN];
	size_t i, nlive = 0;

	prefix_format(&r->dst, p, sizeof(p));
	if (!prefix_list_contains(m->cfg.home, m->cfg.nhome, &r->dst.addr))
		return err_set(errbuf, "%s is not inside our own prefixes "
		    "(home): only our own address space can be %s", p,
		    r->kind == MIT_RTBH ? "blackholed" : "filtered");
	if (r->kind == MIT_RTBH && r->dst.len != (r->dst.addr.family == 4 ?
	    32 : 128))
		return err_set(errbuf, "%s: RTBH is announced for one host "
		    "only (/32 or /128)", p);
	if (r->kind == MIT_FLOWSPEC && r->dst.len < (r->dst.addr.family == 4 ?
	    24 : 48))
		return err_set(errbuf, "%s: a FlowSpec destination must be "
		    "/24 or longer (IPv6: /48)", p);
	mit_rule_key(r, k, sizeof(k));
	for (i = 0; i < m->n; i++) {
		if (!live(&m->e[i]))
			continue;
		nlive++;
		mit_rule_key(&m->e[i].rule, k2, sizeof(k2));
		if (strcmp(k, k2) == 0)
			return err_set(errbuf, "%s is already announced (%s, "
			    "incident %s)", k, m->e[i].id, m->e[i].incident);
	}
	if (nlive >= m->cfg.max)
		return err_set(errbuf, "%zu announcements are active; "
		    "mitigation-max is %u", nlive, m->cfg.max);
	return 0;
}

static const char *
proto_name(uint8_t p, char *buf, size_t len)
{
	switch (p) {
	case 1: return "icmp";
	case 6: return "tcp";
	case 17: return "udp";
	case 58: return "icmpv6";
	default: snprintf(buf, len, "protocol %u", p); return buf;
	}
}

void
mitigate_summary(const struct mit_rule *r, char *buf, size_t len)
{
	char d[64], s[64], pb[24];
	size_t i, o;

	prefix_format(&r->dst, d, sizeof(d));
	if (r->kind == MIT_RTBH) {
		o = (size_t)snprintf(buf, len, "rtbh %s next-hop %s community ",
		    d, r->next_hop);
		for (i = 0; i < r->ncomm && o < len; i++)
			o += (size_t)snprintf(buf + o, len - o, "%s%u:%u",
			    i ? "," : "", r->comm[i] >> 16, r->comm[i] & 0xffff);
		return;
	}
	o = (size_t)snprintf(buf, len, "flowspec to %s", d);
	if (r->src.addr.family != 0 && o < len)
		o += (size_t)snprintf(buf + o, len - o, " from %s",
		    prefix_format(&r->src, s, sizeof(s)));
	if (r->proto != 0 && o < len)
		o += (size_t)snprintf(buf + o, len - o, " %s",
		    proto_name(r->proto, pb, sizeof(pb)));
	if (r->sport != 0 && o < len)
		o += (size_t)snprintf(buf + o, len - o, " source-port %u",
		    r->sport);
	if (r->dport != 0 && o < len)
		o += (size_t)snprintf(buf + o, len - o, " destination-port %u",
		    r->dport);
	if (o < len) {
		if (r->rate == 0)
			snprintf(buf + o, len - o, ": discard");
		else
			snprintf(buf + o, len - o, ": rate-limit %" PRIu64
			    " bytes/s", r->rate);
	}
}

void
mitigate_describe(const struct mitigate *m, const struct mit_rule *r,
    char *buf, size_t len)
{
	char s[256];
	const char *at;

	mitigate_summary(r, s, sizeof(s));
	if (m->cfg.backend == MIT_EXABGP)
		at = m->cfg.exabgp_pipe != NULL && *m->cfg.exabgp_pipe ?
		    m->cfg.exabgp_pipe : "/run/exabgp/exabgp.in";
	else
		at = m->cfg.gobgp_api != NULL ? m->cfg.gobgp_api :
		    "127.0.0.1:50051";
	snprintf(buf, len, "%s (%s) through %s at %s", s,
	    r->kind == MIT_RTBH ? "RFC 7999 BLACKHOLE" :
	    r->dst.addr.family == 4 ? "RFC 8955 FlowSpec" :
	    "RFC 8956 FlowSpec", mitigate_backend_name(m->cfg.backend), at);
}

/* ---- announce, withdraw, reconcile --------------------------------- */

static int
backend_change(struct mitigate *m, const struct mit_rule *r, int del,
    char **out, char *errbuf)
{
	*out = NULL;
	switch (m->cfg.backend) {
	case MIT_GOBGP:
		return gobgp_change(&m->cfg, r, del, out, errbuf);
	case MIT_EXABGP:
		return exabgp_change(&m->cfg, r, del, out, errbuf);
	case MIT_OFF:
		return err_set(errbuf, "no mitigation backend is configured "
		    "(mitigation = gobgp|exabgp)");
	default:
		return err_set(errbuf, "mitigation = %s is not driven by this "
		    "kyocho yet; use gobgp or exabgp",
		    mitigate_backend_name(m->cfg.backend));
	}
}

static int
backend_rib(struct mitigate *m, char ***keys, size_t *n, char *errbuf)
{
	*keys = NULL;
	*n = 0;
	if (m->cfg.backend == MIT_EXABGP)
		return exabgp_rib(&m->cfg, keys, n, errbuf);
	if (m->cfg.backend != MIT_GOBGP) {
		char *o;

		return backend_change(m, NULL, 0, &o, errbuf);
	}
	return gobgp_rib(&m->cfg, keys, n, errbuf);
}

/* Journal an "announce" event for a new entry; its index in *idx. */
static int
journal_announce(struct mitigate *m, const char *incident, const char *action,
    const struct mit_rule *r, int64_t now_s, unsigned ttl_s, size_t *idx,
    char *errbuf)
{
	char *buf = NULL, id[MIT_ID_LEN], p[64], c[128];
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);
	struct jsonw w;
	int rc;

	snprintf(id, sizeof(id), "M-%" PRId64 "-%ld-%u", now_s, (long)getpid(),
	    ++m->seq);
	jsonw_init(&w, f, 0);
	jsonw_obj_open(&w);
	jsonw_kstr(&w, "ev", "announce");
	jsonw_kstr(&w, "id", id);
	jsonw_kstr(&w, "incident", incident);
	jsonw_kstr(&w, "action", action);
	jsonw_ki64(&w, "at", now_s);
	jsonw_ki64(&w, "expires", now_s + ttl_s);
	jsonw_kstr(&w, "kind", r->kind == MIT_RTBH ? "rtbh" : "flowspec");
	jsonw_kstr(&w, "dst", prefix_format(&r->dst, p, sizeof(p)));
	if (r->kind == MIT_RTBH) {
		jsonw_kstr(&w, "next_hop", r->next_hop);
		c[0] = '\0';
		for (i = 0; i < r->ncomm; i++)
			snprintf(c + strlen(c), sizeof(c) - strlen(c),
			    "%s%u:%u", i ? "," : "", r->comm[i] >> 16,
			    r->comm[i] & 0xffff);
		jsonw_kstr(&w, "communities", c);
	} else {
		if (r->src.addr.family != 0)
			jsonw_kstr(&w, "src", prefix_format(&r->src, p,
			    sizeof(p)));
		jsonw_ku64(&w, "proto", r->proto);
		jsonw_ku64(&w, "dport", r->dport);
		jsonw_ku64(&w, "sport", r->sport);
		jsonw_ku64(&w, "rate", r->rate);
	}
	jsonw_obj_close(&w);
	jsonw_end(&w);
	fclose(f);
	while (len > 0 && buf[len - 1] == '\n')
		len--;
	rc = append(m, buf, len, errbuf);
	free(buf);
	if (rc == 0) {
		if (m->n == 0 || strcmp(m->e[m->n - 1].id, id) != 0)
			return err_set(errbuf, "%s: the announcement journaled "
			    "could not be read back", m->path);
		*idx = m->n - 1;
	}
	return rc;
}

static int
do_announce(struct mitigate *m, size_t idx, int64_t now_s, char *errbuf)
{
	char *out = NULL, eb[ERRBUF_SIZE];
	struct mit_rule r = m->e[idx].rule;
	int rc;

	rc = backend_change(m, &r, 0, &out, errbuf);
	if (event(m, &m->e[idx], rc == 0 ? "announced" : "failed", NULL,
	    rc == 0 ? (out != NULL ? out : "") : errbuf, now_s, eb) != 0 &&
	    rc == 0) {
		snprintf(errbuf, ERRBUF_SIZE, "%s", eb);
		rc = -1;
	}
	free(out);
	return rc;
}

int
mitigate_announce(struct mitigate *m, const char *incident,
    const char *action, const struct mit_rule *r, unsigned ttl_s,
    int64_t now_s, const struct mit_entry **out, char *errbuf)
{
	size_t idx;

	if (out != NULL)
		*out = NULL;
	if (m->cfg.backend == MIT_OFF)
		return err_set(errbuf, "no mitigation backend is configured "
		    "(mitigation = gobgp|exabgp)");
	if (mitigate_check(m, r, errbuf) != 0)
		return -1;
	if (ttl_s == 0)
		ttl_s = m->cfg.ttl_s;
	/* Journaled before it is sent: a kill -9 after this line leaves a
	 * route the journal names, never one it does not. */
	if (journal_announce(m, incident, action, r, now_s, ttl_s, &idx,
	    errbuf) != 0)
		return -1;
	if (do_announce(m, idx, now_s, errbuf) != 0)
		return -1;
	if (out != NULL)
		*out = &m->e[idx];
	return 0;
}

/* Withdraw entry idx: journal, ask the speaker, journal its answer. */
static int
do_withdraw(struct mitigate *m, size_t idx, const char *why, int64_t now_s,
    char *errbuf)
{
	char *out = NULL;
	struct mit_rule r = m->e[idx].rule;
	int rc;

	if (m->e[idx].state != MIT_WITHDRAWING &&
	    event(m, &m->e[idx], "withdraw", why, NULL, now_s, errbuf) != 0)
		return -1;
	if ((rc = backend_change(m, &r, 1, &out, errbuf)) == 0)
		rc = event(m, &m->e[idx], "withdrawn", NULL, out != NULL ?
		    out : "", now_s, errbuf);
	free(out);
	return rc;
}

int
mitigate_withdraw(struct mitigate *m, const char *incident,
    const char *action, const char *why, int64_t now_s, size_t *n,
    char *errbuf)
{
	size_t i, cnt = 0;
	int rc = 0;
	char eb[ERRBUF_SIZE];

	for (i = 0; i < m->n; i++) {
		if (m->e[i].state == MIT_WITHDRAWN ||
		    strcmp(m->e[i].incident, incident) != 0 ||
		    strcmp(m->e[i].action, action) != 0)
			continue;
		if (do_withdraw(m, i, why, now_s, eb) != 0) {
			if (rc == 0)
				snprintf(errbuf, ERRBUF_SIZE, "%s", eb);
			rc = -1;
		} else
			cnt++;
	}
	if (n != NULL)
		*n = cnt;
	return rc;
}

static int
in_rib(char **keys, size_t n, const char *k, unsigned char *seen)
{
	size_t i;
	int found = 0;

	for (i = 0; i < n; i++)
		if (strcmp(keys[i], k) == 0) {
			seen[i] = 1;
			found = 1;
		}
	return found;
}

int
mitigate_reconcile(struct mitigate *m, int64_t now_s, int repair,
    mit_wanted_fn wanted, void *arg, FILE *report, struct mit_reconcile *out,
    char *errbuf)
{
	struct mit_reconcile z;
	char **keys, k[MIT_KEY_LEN], eb[ERRBUF_SIZE];
	unsigned char *seen;
	size_t nkeys, i, n;
	int rc = 0, present, want;

	memset(&z, 0, sizeof(z));
	if (out != NULL)	/* the caller prints it even on failure */
		*out = z;
	if (backend_rib(m, &keys, &nkeys, errbuf) != 0)
		return -1;
	seen = xcalloc(nkeys + 1, 1);
	n = m->n;	/* entries re-announced during the loop come after */
	for (i = 0; i < n; i++) {
		struct mit_entry *e = &m->e[i];
		const char *why = NULL;

		mit_rule_key(&e->rule, k, sizeof(k));
		/* Several entries may name the same route over time; a live
		 * one claims it first. */
		present = in_rib(keys, nkeys, k, seen);
		want = 0;
		if (live(e)) {
			if (e->expires_s <= now_s)
				why = "expired";
			else if (wanted != NULL && !wanted(arg, e->incident,
			    e->action))
				why = "lifted";
			else
				want = 1;
		} else if (e->state == MIT_WITHDRAWING)
			why = e->why[0] != '\0' ? e->why : "withdrawing";
		else if (e->state == MIT_FAILED || e->state == MIT_WITHDRAWN) {
			/* Refused or withdrawn, yet there: a speaker that
			 * applied the change after kyocho stopped waiting,
			 * or a withdrawal lost. Only if no live entry has the
			 * same route. */
			size_t j;
			char k2[MIT_KEY_LEN];
			int other = 0;

			for (j = 0; j < n && present; j++) {
				mit_rule_key(&m->e[j].rule, k2, sizeof(k2));
				if (j != i && live(&m->e[j]) &&
				    strcmp(k, k2) == 0)
					other = 1;
			}
			if (!present || other)
				continue;
			why = "stale";
		}
		if (want) {
			if (present) {
				if (e->state == MIT_PENDING) {
					if (event(m, e, "announced", "reconcile",
					    "found in the speaker's RIB", now_s,
					    eb) != 0)
						rc = -1;
					z.confirmed++;
					if (report != NULL)
						fprintf(report, "confirmed %s %s "
						    "(incident %s)\n", m->e[i].id,
						    k, m->e[i].incident);
				}
				continue;
			}
			z.missing++;
			if (report != NULL)
				fprintf(report, "missing %s %s (incident %s)%s\n",
				    e->id, k, e->incident, repair ?
				    ": announcing again" : "");
			if (repair) {
				if (do_announce(m, i, now_s, eb) != 0) {
					z.failed++;
					rc = -1;
				} else
					z.reannounced++;
			}
			continue;
		}
		/* Not wanted. */
		if (!present) {
			if (e->state != MIT_WITHDRAWN && e->state != MIT_FAILED) {
				if (e->state != MIT_WITHDRAWING && event(m,
				    &m->e[i], "withdraw", why, NULL, now_s,
				    eb) != 0)
					rc = -1;
				if (event(m, &m->e[i], "withdrawn", "not in the "
				    "speaker's RIB", NULL, now_s, eb) != 0)
					rc = -1;
				z.gone++;
			}
			continue;
		}
		if (strcmp(why, "expired") == 0)
			z.expired++;
		else if (strcmp(why, "lifted") == 0)
			z.lifted++;
		if (report != NULL)
			fprintf(report, "%s %s %s (incident %s)%s\n", why,
			    m->e[i].id, k, m->e[i].incident, repair ?
			    ": withdrawing" : ": to withdraw (--yes)");
		if (repair) {
			if (do_withdraw(m, i, why, now_s, eb) != 0) {
				z.failed++;
				rc = -1;
				if (report != NULL)
					fprintf(report, "failed %s: %s\n",
					    m->e[i].id, eb);
			}
		}
	}
	for (i = 0; i < nkeys; i++) {
		if (!seen[i]) {
			z.leftover++;
			if (report != NULL)
				fprintf(report, "left over %s: in the speaker's "
				    "RIB, not in %s (not touched)\n", keys[i],
				    m->path);
		}
		free(keys[i]);
	}
	free(keys);
	free(seen);
	if (out != NULL)
		*out = z;
	if (rc != 0)
		snprintf(errbuf, ERRBUF_SIZE, "%s", eb);
	return rc;
}

void
mitigate_list_json(const struct mitigate *m, FILE *f, int64_t now_s, int all)
{
	struct jsonw w;
	char s[256], p[64];
	size_t i;

	jsonw_init(&w, f, 0);
	jsonw_obj_open(&w);
	jsonw_kstr(&w, "backend", mitigate_backend_name(m->cfg.backend));
	jsonw_key(&w, "announcements");
	jsonw_arr_open(&w);
	for (i = 0; i < m->n; i++) {
		const struct mit_entry *e = &m->e[i];

		if (!all && (e->state == MIT_WITHDRAWN ||
		    e->state == MIT_FAILED))
			continue;
		jsonw_obj_open(&w);
		jsonw_kstr(&w, "id", e->id);
		jsonw_kstr(&w, "incident", e->incident);
		jsonw_kstr(&w, "action", e->action);
		jsonw_kstr(&w, "state", mitigate_state_name(e->state));
		jsonw_kstr(&w, "kind", e->rule.kind == MIT_RTBH ? "rtbh" :
		    "flowspec");
		jsonw_kstr(&w, "dst", prefix_format(&e->rule.dst, p,
		    sizeof(p)));
		mit_rule_key(&e->rule, s, sizeof(s));
		jsonw_kstr(&w, "route", s);
		mitigate_summary(&e->rule, s, sizeof(s));
		jsonw_kstr(&w, "what", s);
		jsonw_ki64(&w, "at", e->at_s);
		jsonw_ki64(&w, "expires", e->expires_s);
		jsonw_ki64(&w, "ttl_left", e->expires_s > now_s ?
		    e->expires_s - now_s : 0);
		jsonw_obj_close(&w);
	}
	jsonw_arr_close(&w);
	jsonw_obj_close(&w);
	jsonw_end(&w);
}
