/*
 * config_table.c -- the settings table (config_table) shared by the
 * configuration file, the command line and --help, the setters of its
 * custom entries (set_*, with the parsers of links, neighbours, peers and
 * thresholds) and applying a value by name (config_set, config_defaults).
 * The file reader and the directories are in config.c. See config.h and
 * man/kyocho.conf.5.
 */
#include "settings/config.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "settings/config_impl.h"
#include "flow/collector.h"
#include "mitigate/mitigate.h"
#include "time/hours.h"
#include "time/tz.h"
#include "base/util.h"
#include "base/validate.h"

static const char *const thr_names[THR_COUNT] = {
	[THR_PPS] = "pps", [THR_BPS] = "bps", [THR_SYN] = "syn",
	[THR_UDP] = "udp", [THR_ICMP] = "icmp", [THR_FRAG] = "frag",
};

const char *
config_threshold_name(enum threshold_id id)
{
	return id < THR_COUNT ? thr_names[id] : "?";
}

int
config_parse_capacity(const char *s, uint64_t *bps)
{
	return parse_u64_si(s, bps);
}

/*
 * Make errbuf safe to show when rc says it was filled: messages quote keys
 * and values from the config file or the command line, which may hold
 * escape sequences and C1 controls (ESC [ 2 J, U+009B) -- they go through
 * text_sanitize like every other text shown. Returns rc.
 */
int
config_clean_err(char *errbuf, int rc)
{
	char raw[ERRBUF_SIZE];

	if (rc != 0 && errbuf != NULL) {
		memcpy(raw, errbuf, sizeof(raw));
		raw[sizeof(raw) - 1] = '\0';
		text_sanitize(errbuf, ERRBUF_SIZE, raw, strlen(raw));
	}
	return rc;
}

int
config_threshold_set(struct thresholds *t, const char *name,
    const char *value, int from_cli, char *errbuf)
{
	size_t i;
	uint64_t v;

	for (i = 0; i < THR_COUNT; i++)
		if (strcmp(name, thr_names[i]) == 0)
			break;
	if (i == THR_COUNT)
		return err_set(errbuf, "threshold '%s' is not one of pps, bps, "
		    "syn, udp, icmp, frag", name);
	if (parse_u64_si(value, &v) != 0)
		return err_set(errbuf, "threshold %s: '%s' is not a number "
		    "(suffixes k, M, G allowed)", name, value);
	t->v[i] = v;
	t->set[i] = 1;
	t->cli[i] = (uint8_t)(t->cli[i] | (from_cli != 0));
	return 0;
}

int
config_threshold(struct thresholds *t, const char *arg, int from_cli,
    char *errbuf)
{
	char name[32];
	const char *eq = strchr(arg, '=');

	if (eq == NULL || (size_t)(eq - arg) >= sizeof(name) || eq == arg)
		return config_clean_err(errbuf, err_set(errbuf, "--threshold "
		    "wants NAME=VALUE, got '%s'", arg));
	memcpy(name, arg, (size_t)(eq - arg));
	name[eq - arg] = '\0';
	return config_clean_err(errbuf, config_threshold_set(t, name, eq + 1,
	    from_cli, errbuf));
}

/* "NAME=IFACE:CAPACITY" (capacity optional). */
static int
link_set(struct options *o, const char *value, char *errbuf)
{
	const char *eq = strchr(value, '='), *colon;
	struct linkdef *l;
	size_t nlen, ilen;

	if (o->nlinks == MAX_LINKS)
		return err_set(errbuf, "link: at most %d links", MAX_LINKS);
	if (eq == NULL || eq == value)
		return err_set(errbuf, "link: '%s' is not NAME=IFACE[:CAPACITY]", value);
	nlen = (size_t)(eq - value);
	colon = strrchr(eq + 1, ':');
	ilen = colon != NULL ? (size_t)(colon - eq - 1) : strlen(eq + 1);
	if (nlen >= sizeof(l->name) || ilen == 0 || ilen >= sizeof(l->iface))
		return err_set(errbuf, "link: '%s' is not NAME=IFACE[:CAPACITY]", value);
	l = &o->links[o->nlinks];
	memset(l, 0, sizeof(*l));
	memcpy(l->name, value, nlen);
	memcpy(l->iface, eq + 1, ilen);
	if (colon != NULL && config_parse_capacity(colon + 1, &l->capacity_bps) != 0)
		return err_set(errbuf, "link %s: capacity '%s' is not a rate such "
		    "as 10G or 400M", l->name, colon + 1);
	o->nlinks++;
	return 0;
}

/*
 * flowlink: "NAME=EXPORTER:IFINDEX[:CAPACITY]", EXPORTER an IPv4 address or
 * an IPv6 one in brackets ("peering-A=192.0.2.1:17:10G",
 * "transit-B=[2001:db8::1]:5:100G").
 */
static int
flowlink_set(struct options *o, const char *value, char *errbuf)
{
	const char *eq = strchr(value, '='), *rest, *colon, *cap;
	char host[64];
	struct flowlinkdef *l;
	size_t nlen, hlen;
	long idx;
	char num[16];
	size_t ilen;

	if (o->nflowlinks == MAX_FLOWLINKS)
		return err_set(errbuf, "flowlink: at most %d", MAX_FLOWLINKS);
	if (eq == NULL || eq == value || (nlen = (size_t)(eq - value)) >=
	    sizeof(l->name))
		goto bad;
	rest = eq + 1;
	if (*rest == '[') {
		colon = strchr(rest, ']');
		if (colon == NULL || colon[1] != ':')
			goto bad;
		hlen = (size_t)(colon - rest - 1);
		rest++;
		colon++;
	} else {
		colon = strchr(rest, ':');
		if (colon == NULL)
			goto bad;
		hlen = (size_t)(colon - rest);
	}
	if (hlen == 0 || hlen >= sizeof(host))
		goto bad;
	memcpy(host, rest, hlen);
	host[hlen] = '\0';
	l = &o->flowlinks[o->nflowlinks];
	memset(l, 0, sizeof(*l));
	if (addr_parse(host, &l->exporter) != 0)
		return err_set(errbuf, "flowlink: '%s' is not an IP address "
		    "(IPv6 goes in brackets)", host);
	cap = strchr(colon + 1, ':');
	ilen = cap != NULL ? (size_t)(cap - colon - 1) : strlen(colon + 1);
	if (ilen == 0 || ilen >= sizeof(num))
		goto bad;
	memcpy(num, colon + 1, ilen);
	num[ilen] = '\0';
	if (parse_long(num, 0, 4294967295L, &idx) != 0)
		return err_set(errbuf, "flowlink: ifIndex '%s' is not a number",
		    num);
	if (cap != NULL && config_parse_capacity(cap + 1, &l->capacity_bps) != 0)
		return err_set(errbuf, "flowlink: capacity '%s' is not a rate "
		    "such as 10G or 400M", cap + 1);
	memcpy(l->name, value, nlen);
	l->ifindex = (uint32_t)idx;
	o->nflowlinks++;
	return 0;
bad:
	return err_set(errbuf, "flowlink: '%s' is not "
	    "NAME=EXPORTER:IFINDEX[:CAPACITY]", value);
}

int
config_parse_mac(const char *s, uint8_t mac[6])
{
	size_t i, n = strlen(s);
	unsigned v;

	if (n == 14 && s[4] == '.' && s[9] == '.') {
		/* Cisco's "001b.210a.0b0c" */
		for (i = 0; i < 6; i++) {
			const char *q = s + (i / 2) * 5 + (i % 2) * 2;

			if (!isxdigit((unsigned char)q[0]) ||
			    !isxdigit((unsigned char)q[1]) ||
			    sscanf(q, "%2x", &v) != 1)
				return -1;
			mac[i] = (uint8_t)v;
		}
		return 0;
	}
	for (i = 0; i < 6; i++) {
		size_t d = 0;

		v = 0;
		while (d < 2 && isxdigit((unsigned char)*s)) {
			v = v * 16 + (unsigned)(isdigit((unsigned char)*s) ?
			    *s - '0' : (tolower((unsigned char)*s) - 'a' + 10));
			s++;
			d++;
		}
		if (d == 0)
			return -1;
		mac[i] = (uint8_t)v;
		if (i < 5) {
			if (*s != ':' && *s != '-')
				return -1;
			s++;
		}
	}
	return *s == '\0' ? 0 : -1;
}

/*
 * "ASN[:CONTACT-ID]" after the '=' of neighbour and peer into nd (asn and
 * contact). Returns 0 or -1 with errbuf.
 */
static int
neighbour_rest(const char *name, const char *rest, struct neighbourdef *nd,
    char *errbuf)
{
	const char *colon = strchr(rest, ':');
	char asn[16];
	size_t alen = colon != NULL ? (size_t)(colon - rest) : strlen(rest), i;
	uint32_t lo, hi;

	if (alen == 0 || alen >= sizeof(asn))
		return err_set(errbuf, "%s: '%s' is not an AS number such as "
		    "AS64500", name, rest);
	memcpy(asn, rest, alen);
	asn[alen] = '\0';
	if (!validate_asn(asn, &lo, &hi) || lo != hi)
		return err_set(errbuf, "%s: '%s' is not an AS number such as "
		    "AS64500", name, asn);
	nd->asn = lo;
	if (colon == NULL)
		return 0;
	colon++;
	if (*colon == '\0' || strlen(colon) > CONTACT_ID_MAX)
		return err_set(errbuf, "%s: a contact id is 1 to %d letters, "
		    "digits, '.', '_' or '-'", name, CONTACT_ID_MAX);
	for (i = 0; colon[i] != '\0'; i++)
		if (!isalnum((unsigned char)colon[i]) && colon[i] != '.' &&
		    colon[i] != '_' && colon[i] != '-')
			return err_set(errbuf, "%s: contact id '%s' may hold "
			    "only letters, digits, '.', '_' and '-'", name,
			    colon);
	snprintf(nd->contact, sizeof(nd->contact), "%s", colon);
	return 0;
}

/* neighbour: "MAC=ASN[:CONTACT-ID]"; a MAC named again is replaced (the
 * command line's over the file's). */
static int
neighbour_set(struct options *o, const char *value, char *errbuf)
{
	const char *eq = strchr(value, '=');
	char mac[32];
	struct neighbourdef nd;
	size_t i;

	memset(&nd, 0, sizeof(nd));
	if (eq == NULL || eq == value || (size_t)(eq - value) >= sizeof(mac))
		return err_set(errbuf, "neighbour: '%s' is not "
		    "MAC=ASN[:CONTACT-ID]", value);
	memcpy(mac, value, (size_t)(eq - value));
	mac[eq - value] = '\0';
	if (config_parse_mac(mac, nd.mac) != 0)
		return err_set(errbuf, "neighbour: '%s' is not a MAC address "
		    "such as 00:1b:21:0a:0b:0c", mac);
	if (neighbour_rest("neighbour", eq + 1, &nd, errbuf) != 0)
		return -1;
	for (i = 0; i < o->nneighbours; i++)
		if (memcmp(o->neighbours[i].mac, nd.mac, 6) == 0)
			break;
	if (i == MAX_NEIGHBOURS)
		return err_set(errbuf, "neighbour: at most %d", MAX_NEIGHBOURS);
	o->neighbours[i] = nd;
	if (i == o->nneighbours)
		o->nneighbours++;
	return 0;
}

/* peer: "LINK=ASN[:CONTACT-ID]", LINK a link or flowlink name; a link
 * named again is replaced. */
static int
peer_set(struct options *o, const char *value, char *errbuf)
{
	const char *eq = strchr(value, '=');
	struct neighbourdef nd;
	size_t i;

	memset(&nd, 0, sizeof(nd));
	if (eq == NULL || eq == value || (size_t)(eq - value) >= sizeof(nd.link))
		return err_set(errbuf, "peer: '%s' is not LINK=ASN[:CONTACT-ID]",
		    value);
	memcpy(nd.link, value, (size_t)(eq - value));
	if (neighbour_rest("peer", eq + 1, &nd, errbuf) != 0)
		return -1;
	for (i = 0; i < o->npeers; i++)
		if (strcmp(o->peers[i].link, nd.link) == 0)
			break;
	if (i == MAX_PEERS)
		return err_set(errbuf, "peer: at most %d", MAX_PEERS);
	o->peers[i] = nd;
	if (i == o->npeers)
		o->npeers++;
	return 0;
}

/* Kept copies stay reachable from here, so leak checkers do not count
 * them once main()'s struct options is gone. */
struct kept {
	struct kept *next;
	char s[];
};
static struct kept *kept_list;

/* A copy of s that lives as long as the process (settings live for the
 * whole run; the few copies are never freed). */
static const char *
keep_copy(const char *s)
{
	size_t n = strlen(s) + 1;
	struct kept *k = xmalloc(sizeof(*k) + n);

	memcpy(k->s, s, n);
	k->next = kept_list;
	kept_list = k;
	return k->s;
}

/* A DNS zone name: letters, digits, '-', '_' and dots, at most 200 bytes. */
static int
zone_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 200 || s[0] == '.')
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && strchr("-_.", *s) == NULL)
			return 0;
	return 1;
}

/*
 * The setters of SETTING_CUSTOM entries: parse value for s into o, 0 or -1
 * with errbuf (the message starts with the setting's name).
 */

static int
set_home(struct options *o, const struct setting *s, const char *value,
    int from_cli, char *errbuf)
{
	(void)s;
	if (from_cli && !o->cli_home) {
		o->cli_home = 1;
		o->nhome = 0;	/* the command line replaces the file's */
	}
	if (o->nhome == MAX_HOME)
		return err_set(errbuf, "home: at most %d prefixes", MAX_HOME);
	if (prefix_parse(value, &o->home[o->nhome]) != 0)
		return err_set(errbuf, "home: '%s' is not a CIDR prefix", value);
	o->nhome++;
	return 0;
}

/* threshold.NAME */
static int
set_threshold_key(struct options *o, const struct setting *s,
    const char *value, int from_cli, char *errbuf)
{
	return config_threshold_set(&o->thr, s->name + 10, value, from_cli,
	    errbuf);
}

/* threshold = NAME=VALUE (--threshold NAME=VALUE) */
static int
set_threshold(struct options *o, const struct setting *s, const char *value,
    int from_cli, char *errbuf)
{
	(void)s;
	return config_threshold(&o->thr, value, from_cli, errbuf);
}

static int
set_link(struct options *o, const struct setting *s, const char *value,
    int from_cli, char *errbuf)
{
	(void)s;
	(void)from_cli;
	return link_set(o, value, errbuf);
}

static int
set_neighbour(struct options *o, const struct setting *s, const char *value,
    int from_cli, char *errbuf)
{
	(void)s;
	(void)from_cli;
	return neighbour_set(o, value, errbuf);
}

static int
set_peer(struct options *o, const struct setting *s, const char *value,
    int from_cli, char *errbuf)
{
	(void)s;
	(void)from_cli;
	return peer_set(o, value, errbuf);
}

static int
set_flowlink(struct options *o, const struct setting *s, const char *value,
    int from_cli, char *errbuf)
{
	(void)s;
	(void)from_cli;
	return flowlink_set(o, value, errbuf);
}

/* sflow, netflow = [ADDR:]PORT */
static int
set_listen(struct options *o, const struct setting *s, const char *value,
    int from_cli, char *errbuf)
{
	int sf = s->name[0] == 's';
	size_t *np = sf ? &o->nsflow : &o->nnetflow;
	struct addr a;
	uint16_t port;

	(void)from_cli;
	if (*np == MAX_FLOW_LISTEN)
		return err_set(errbuf, "%s: at most %d listeners", s->name,
		    MAX_FLOW_LISTEN);
	if (flowc_parse_listen(value, &a, &port, errbuf) != 0)
		return -1;
	if (strlen(value) >= sizeof(o->sflow_listen[0]))
		return err_set(errbuf, "%s: '%s' is too long", s->name, value);
	strcpy((sf ? o->sflow_listen : o->netflow_listen)[(*np)++], value);
	return 0;
}

/* readers: 1-16 reader threads per live interface, or auto (0). */
static int
set_readers(struct options *o, const struct setting *s, const char *value,
    int from_cli, char *errbuf)
{
	long n;

	(void)s;
	(void)from_cli;
	if (strcmp(value, "auto") == 0) {
		o->readers = 0;
		return 0;
	}
	if (parse_long(value, 1, 16, &n) != 0)
		return err_set(errbuf, "readers: '%s' is not a count (1-16) or "
		    "auto", value);
	o->readers = (unsigned)n;
	return 0;
}

static int
set_speed(struct options *o, const struct setting *s, const char *value,
    int from_cli, char *errbuf)
{
	char *end;
	double d;

	(void)s;
	(void)from_cli;
	if (strcmp(value, "max") == 0) {
		o->speed = 0;
		return 0;
	}
	errno = 0;
	d = strtod(value, &end);
	if (errno != 0 || *end != '\0' || !(d > 0 && d <= 1e6))
		return err_set(errbuf, "speed: '%s' is not a factor such as "
		    "1, 10 or max", value);
	o->speed = d;
	return 0;
}

static int
set_our_zone(struct options *o, const struct setting *s, const char *value,
    int from_cli, char *errbuf)
{
	char err[ERRBUF_SIZE];

	(void)s;
	(void)from_cli;
	if (tz_get(value, err) == NULL)
		return err_set(errbuf, "our-zone: %s", err);
	o->our_zone = keep_copy(value);
	return 0;
}

static int
set_our_hours(struct options *o, const struct setting *s, const char *value,
    int from_cli, char *errbuf)
{
	struct hours hrs;
	char err[ERRBUF_SIZE];

	(void)s;
	(void)from_cli;
	if (hours_parse(value, strlen(value), &hrs, err) != 0)
		return err_set(errbuf, "our-hours: %s", err);
	o->our_hours = keep_copy(value);
	return 0;
}

static int
set_syn_legend(struct options *o, const struct setting *s, const char *value,
    int from_cli, char *errbuf)
{
	char buf[64], *comma;
	uint64_t lo, hi;

	(void)s;
	(void)from_cli;
	snprintf(buf, sizeof(buf), "%s", value);
	if ((comma = strchr(buf, ',')) == NULL)
		return err_set(errbuf, "syn-legend: '%s' is not LOW,HIGH "
		    "(SYN/s, such as 100,1000)", value);
	*comma = '\0';
	if (parse_u64_si(buf, &lo) != 0 || parse_u64_si(comma + 1, &hi) != 0 ||
	    lo >= hi)
		return err_set(errbuf, "syn-legend: '%s' is not LOW,HIGH "
		    "with LOW < HIGH", value);
	o->legend_low = lo;
	o->legend_high = hi;
	return 0;
}

/* "+09:00", "-05:30" or seconds. */
static int
set_local_offset(struct options *o, const struct setting *s,
    const char *value, int from_cli, char *errbuf)
{
	int h, m;
	long n;

	(void)s;
	(void)from_cli;
	if ((value[0] == '+' || value[0] == '-') && strlen(value) == 6 &&
	    value[3] == ':' && sscanf(value + 1, "%2d:%2d", &h, &m) == 2 &&
	    h <= 18 && m < 60) {
		o->local_offset_s = (value[0] == '-' ? -1 : 1) *
		    (h * 3600 + m * 60);
		return 0;
	}
	if (parse_long(value, -64800, 64800, &n) != 0)
		return err_set(errbuf, "local-offset: '%s' is not an "
		    "offset such as +09:00 or -05:00", value);
	o->local_offset_s = (int)n;
	return 0;
}

static int
set_dns(struct options *o, const struct setting *s, const char *value,
    int from_cli, char *errbuf)
{
	(void)s;
	(void)from_cli;
	if (strcmp(value, "on") == 0 || strcmp(value, "yes") == 0)
		o->no_dns = 0;
	else if (strcmp(value, "off") == 0 || strcmp(value, "no") == 0)
		o->no_dns = 1;
	else
		return err_set(errbuf, "dns: '%s' is not on or off", value);
	return 0;
}

static int
set_rdap(struct options *o, const struct setting *s, const char *value,
    int from_cli, char *errbuf)
{
	(void)s;
	(void)from_cli;
	if (strcmp(value, "on") == 0 || strcmp(value, "yes") == 0)
		o->no_rdap = 0;
	else if (strcmp(value, "off") == 0 || strcmp(value, "no") == 0)
		o->no_rdap = 1;
	else
		return err_set(errbuf, "rdap: '%s' is not on or off", value);
	return 0;
}

static int
set_mmdb(struct options *o, const struct setting *s, const char *value,
    int from_cli, char *errbuf)
{
	(void)s;
	(void)from_cli;
	if (o->nmmdb == MAX_MMDB)
		return err_set(errbuf, "mmdb: at most %d files", MAX_MMDB);
	o->mmdb[o->nmmdb++] = keep_copy(value);
	return 0;
}

static int
set_dns_server(struct options *o, const struct setting *s, const char *value,
    int from_cli, char *errbuf)
{
	(void)s;
	(void)from_cli;
	if (strlen(value) == 0 || strlen(value) > 80)
		return err_set(errbuf, "dns.server: '%s' is not ADDR, "
		    "ADDR:PORT or [IPV6]:PORT", value);
	o->dns_server = keep_copy(value);
	return 0;
}

static int
set_mitigation(struct options *o, const struct setting *s, const char *value,
    int from_cli, char *errbuf)
{
	int b;

	(void)s;
	(void)from_cli;
	if ((b = mitigate_backend_parse(value)) < 0 || b == MIT_OFF)
		return err_set(errbuf, "mitigation: '%s' is not gobgp, exabgp "
		    "or bird", value);
	o->mitigation = b;
	return 0;
}

static int
set_history(struct options *o, const struct setting *s, const char *value,
    int from_cli, char *errbuf)
{
	(void)s;
	(void)from_cli;
	if (*value == '\0')
		return err_set(errbuf, "history: give on, off or a path");
	if (strcmp(value, "off") == 0 || strcmp(value, "no") == 0)
		o->history = NULL;
	else if (strcmp(value, "yes") == 0)
		o->history = "on";
	else
		o->history = keep_copy(value);
	return 0;
}

static int
set_gobgp_api(struct options *o, const struct setting *s, const char *value,
    int from_cli, char *errbuf)
{
	const char *c = strrchr(value, ':');

	(void)s;
	(void)from_cli;
	if (c == NULL || c == value || strlen(value) > 80 || c[1] == '\0' ||
	    strspn(c + 1, "0123456789") != strlen(c + 1) || atol(c + 1) > 65535)
		return err_set(errbuf, "gobgp-api: '%s' is not ADDR:PORT or "
		    "[IPV6]:PORT", value);
	o->gobgp_api = keep_copy(value);
	return 0;
}

static int
set_rtbh_next_hop(struct options *o, const struct setting *s,
    const char *value, int from_cli, char *errbuf)
{
	struct addr a;

	(void)s;
	(void)from_cli;
	if (addr_parse(value, &a) != 0)
		return err_set(errbuf, "rtbh-next-hop: '%s' is not an IPv4 or "
		    "IPv6 address", value);
	o->rtbh_next_hop = keep_copy(value);
	return 0;
}

static int
set_rtbh_community(struct options *o, const struct setting *s,
    const char *value, int from_cli, char *errbuf)
{
	uint32_t c[MIT_COMMUNITIES];
	size_t n;

	(void)s;
	(void)from_cli;
	if (mitigate_parse_communities(value, c, MIT_COMMUNITIES, &n,
	    errbuf) != 0)
		return -1;
	o->rtbh_community = keep_copy(value);
	return 0;
}

static int
set_metrics(struct options *o, const struct setting *s, const char *value,
    int from_cli, char *errbuf)
{
	const char *colon = strrchr(value, ':');
	long port;

	(void)s;
	(void)from_cli;
	if (strcmp(value, "off") == 0) {
		o->metrics_listen = NULL;
		return 0;
	}
	if (parse_long(colon != NULL ? colon + 1 : value, 1, 65535,
	    &port) != 0 || strlen(value) > 63)
		return err_set(errbuf, "metrics: '%s' is not [ADDR:]PORT",
		    value);
	o->metrics_listen = keep_copy(value);
	return 0;
}

#define OFF(f)	offsetof(struct options, f)
#define CUSTOM(fn)	.type = SETTING_CUSTOM, .set = fn
#define THRESHOLD(n, d) { .name = "threshold." n, CUSTOM(set_threshold_key), \
	.arg = "RATE", .def = d, .flags = SETTING_FILE_ONLY, \
	.help = n " per destination per second (0: off)" }

/*
 * Every setting, in the order of kyocho.conf(5). The man page documents
 * each (test_config compares the names); thresholds' defaults are explained
 * in kyocho(1).
 */
const struct setting config_table[] = {
	{ .name = "home", CUSTOM(set_home), .arg = "CIDR",
	  .help = "our own address space (repeatable)" },
	THRESHOLD("pps", "100k"),
	THRESHOLD("bps", "1G"),
	THRESHOLD("syn", "1000"),
	THRESHOLD("udp", "5000"),
	THRESHOLD("icmp", "1000"),
	THRESHOLD("frag", "1000"),
	{ .name = "threshold", CUSTOM(set_threshold), .arg = "NAME=V",
	  .help = "pps, bps, syn, udp, icmp or frag per target per second" },
	{ .name = "link", CUSTOM(set_link), .arg = "NAME=IFACE:CAP",
	  .help = "name a capture source and its capacity (10G)" },
	{ .name = "quiet", .type = SETTING_NUMBER, .arg = "SECONDS",
	  .offset = OFF(quiet_s), .min = 1, .max = 86400,
	  .what = "a number of seconds", .def = "10",
	  .help = "an alert ends after this many quiet seconds" },
	{ .name = "top", .type = SETTING_NUMBER, .arg = "N",
	  .offset = OFF(top_n), .min = 1, .max = 10000, .what = "a count",
	  .def = "10", .help = "rows in top lists" },
	{ .name = "speed", CUSTOM(set_speed), .arg = "N|max", .def = "1",
	  .help = "replay files N times as fast as recorded" },
	{ .name = "readers", CUSTOM(set_readers), .arg = "N|auto", .def = "auto",
	  .help = "reader threads per live interface (PACKET_FANOUT)" },
	{ .name = "data", .type = SETTING_STRING, .arg = "DIR",
	  .offset = OFF(data_dir),
	  .help = "data directory (contacts, checklists, templates)" },
	{ .name = "state", .type = SETTING_STRING, .arg = "DIR",
	  .offset = OFF(state_dir), .help = "state directory (incident journals)" },
	{ .name = "history", CUSTOM(set_history), .arg = "on|off|PATH",
	  .def = "off",
	  .help = "per-minute history in SQLite (on: in the state dir)" },
	{ .name = "history-days", .type = SETTING_NUMBER, .arg = "DAYS",
	  .offset = OFF(history_days), .min = 1, .max = 36500,
	  .what = "a number of days", .def = "30",
	  .help = "days of history kept" },
	{ .name = "history-max-mb", .type = SETTING_NUMBER, .arg = "MB",
	  .offset = OFF(history_max_mb), .min = 0, .max = 1048576,
	  .what = "a number of megabytes", .def = "1024",
	  .help = "size bound of the history (0: none)" },
	{ .name = "metrics", CUSTOM(set_metrics), .arg = "[ADDR:]PORT",
	  .help = "serve Prometheus metrics (127.0.0.1 by default)" },
	{ .name = "alerts", .type = SETTING_STRING, .arg = "FILE",
	  .offset = OFF(alerts_path), .help = "append alerts as JSON Lines" },
	{ .name = "contacts", .type = SETTING_STRING, .arg = "FILE",
	  .offset = OFF(contacts_path), .help = "the contact database" },
	{ .name = "dns", CUSTOM(set_dns), .arg = "on|off", .def = "on",
	  .help = "DNS enrichment (--no-dns: off)" },
	{ .name = "syn-legend", CUSTOM(set_syn_legend), .arg = "LOW,HIGH",
	  .def = "100,1000", .help = "SYN/s colour bands of source groups" },
	{ .name = "user", .type = SETTING_STRING, .arg = "NAME",
	  .offset = OFF(drop_user), .help = "drop root to NAME (as -Z)" },
	{ .name = "prefixes", .type = SETTING_STRING, .arg = "FILE",
	  .offset = OFF(prefixes_path),
	  .help = "local prefix override file (kyocho-prefixes(5))" },
	{ .name = "mmdb", CUSTOM(set_mmdb), .arg = "FILE",
	  .help = "a MaxMind DB file (repeatable)" },
	{ .name = "prefix-complete", .type = SETTING_YESNO, .arg = "yes|no",
	  .offset = OFF(prefix_complete), .def = "no",
	  .help = "the prefix data covers the routing table" },
	{ .name = "dns.server", CUSTOM(set_dns_server), .arg = "ADDR[:PORT]",
	  .help = "resolver (default: /etc/resolv.conf)" },
	{ .name = "dns.rate", .type = SETTING_NUMBER, .arg = "N",
	  .offset = OFF(dns_rate), .min = 1, .max = 10000,
	  .what = "a number of queries per second", .def = "50",
	  .help = "DNS questions per second" },
	{ .name = "dns.timeout", .type = SETTING_NUMBER, .arg = "MS",
	  .offset = OFF(dns_timeout_ms), .min = 10, .max = 60000,
	  .what = "a number of milliseconds", .def = "2000",
	  .help = "per DNS question" },
	{ .name = "rdap", CUSTOM(set_rdap), .arg = "on|off", .def = "on",
	  .help = "RDAP registration data (--no-rdap: off)" },
	{ .name = "rdap-bootstrap", .type = SETTING_STRING, .arg = "FILE",
	  .offset = OFF(rdap_bootstrap),
	  .help = "RFC 9224 dns.json (default: DATA/rdap/dns.json)" },
	{ .name = "rdap-bootstrap-ipv4", .type = SETTING_STRING, .arg = "FILE",
	  .offset = OFF(rdap_bootstrap4),
	  .help = "RFC 9224 ipv4.json (default: DATA/rdap/ipv4.json)" },
	{ .name = "rdap-bootstrap-ipv6", .type = SETTING_STRING, .arg = "FILE",
	  .offset = OFF(rdap_bootstrap6),
	  .help = "RFC 9224 ipv6.json (default: DATA/rdap/ipv6.json)" },
	{ .name = "rdap-ca", .type = SETTING_STRING, .arg = "FILE",
	  .offset = OFF(rdap_ca),
	  .help = "CA certificates for RDAP servers (default: the system's)" },
	{ .name = "rdap-timeout", .type = SETTING_NUMBER, .arg = "MS",
	  .offset = OFF(rdap_timeout_ms), .min = 100, .max = 120000,
	  .what = "milliseconds", .def = "10000",
	  .help = "one RDAP query, redirects included" },
	{ .name = "rdap-rate", .type = SETTING_NUMBER, .arg = "N",
	  .offset = OFF(rdap_rate), .min = 1, .max = 6000,
	  .what = "a number of queries per minute", .def = "60",
	  .help = "RDAP queries per minute" },
	{ .name = "dns.cymru-zone", .type = SETTING_DNSZONE, .arg = "ZONE",
	  .offset = OFF(dns_cymru_zone), .help = "Team Cymru origin zone" },
	{ .name = "dns.cymru6-zone", .type = SETTING_DNSZONE, .arg = "ZONE",
	  .offset = OFF(dns_cymru6_zone), .help = "Team Cymru IPv6 origin zone" },
	{ .name = "dns.asname-zone", .type = SETTING_DNSZONE, .arg = "ZONE",
	  .offset = OFF(dns_asname_zone), .help = "Team Cymru AS name zone" },
	{ .name = "dns.abusix-zone", .type = SETTING_DNSZONE, .arg = "ZONE",
	  .offset = OFF(dns_abusix_zone), .help = "abusix abuse contact zone" },
	{ .name = "our-zone", CUSTOM(set_our_zone), .arg = "ZONE",
	  .help = "the NOC's IANA time zone" },
	{ .name = "our-hours", CUSTOM(set_our_hours), .arg = "HOURS",
	  .help = "the NOC's business hours" },
	{ .name = "operator", .type = SETTING_TEXT, .arg = "NAME",
	  .offset = OFF(operator), .help = "who is acting (default $LOGNAME)" },
	{ .name = "org", .type = SETTING_TEXT, .arg = "NAME",
	  .offset = OFF(org), .help = "our organisation, in drafts" },
	{ .name = "noc-email", .type = SETTING_TEXT, .arg = "ADDRESS",
	  .offset = OFF(noc_email), .help = "our NOC's address, in drafts" },
	{ .name = "noc-phone", .type = SETTING_TEXT, .arg = "PHONE",
	  .offset = OFF(noc_phone), .help = "our NOC's phone, in drafts" },
	{ .name = "pgp", .type = SETTING_TEXT, .arg = "KEY",
	  .offset = OFF(pgp), .help = "our key fingerprint or URL" },
	{ .name = "local-offset", CUSTOM(set_local_offset), .arg = "OFFSET",
	  .help = "the operator's UTC offset (+09:00)" },
	{ .name = "local-zone", .type = SETTING_TEXT, .arg = "NAME",
	  .offset = OFF(local_zone), .help = "the name of that offset (JST)" },
	{ .name = "sflow", CUSTOM(set_listen), .arg = "[ADDR:]PORT",
	  .help = "listen for sFlow (repeatable)" },
	{ .name = "netflow", CUSTOM(set_listen), .arg = "[ADDR:]PORT",
	  .help = "listen for NetFlow/IPFIX (repeatable)" },
	{ .name = "flowlink", CUSTOM(set_flowlink),
	  .arg = "NAME=EXPORTER:IFINDEX[:CAP]",
	  .help = "name a link seen through telemetry" },
	{ .name = "neighbour", CUSTOM(set_neighbour), .arg = "MAC=ASN[:ID]",
	  .help = "name a neighbour's router by its MAC (repeatable)" },
	{ .name = "peer", CUSTOM(set_peer), .arg = "LINK=ASN[:ID]",
	  .help = "the one neighbour on a link (repeatable)" },
	{ .name = "mitigation", CUSTOM(set_mitigation),
	  .arg = "gobgp|exabgp|bird",
	  .help = "the BGP speaker that announces RTBH and FlowSpec" },
	{ .name = "gobgp-api", CUSTOM(set_gobgp_api), .arg = "ADDR:PORT",
	  .def = "127.0.0.1:50051", .help = "gobgpd's gRPC API" },
	{ .name = "exabgp-pipe", .type = SETTING_STRING, .arg = "PATH",
	  .offset = OFF(exabgp_pipe), .help = "ExaBGP CLI pipes: PATH.in and PATH.out" },
	{ .name = "bird-socket", .type = SETTING_STRING, .arg = "PATH",
	  .offset = OFF(bird_socket), .help = "BIRD 2's control socket" },
	{ .name = "bird-include", .type = SETTING_STRING, .arg = "FILE",
	  .offset = OFF(bird_include), .help = "the BIRD include kyocho writes" },
	{ .name = "rtbh-next-hop", CUSTOM(set_rtbh_next_hop), .arg = "ADDR",
	  .help = "next-hop of RTBH routes (192.0.2.1, 100::1)" },
	{ .name = "rtbh-community", CUSTOM(set_rtbh_community),
	  .arg = "ASN:VALUE[,...]", .def = "65535:666",
	  .help = "communities of RTBH routes (65535:666 always)" },
	{ .name = "mitigation-ttl", .type = SETTING_NUMBER, .arg = "SECONDS",
	  .offset = OFF(mitigation_ttl), .min = 1, .max = 31 * 86400,
	  .what = "a number of seconds", .def = "3600",
	  .help = "an announcement is withdrawn after this long" },
	{ .name = "mitigation-max", .type = SETTING_NUMBER, .arg = "N",
	  .offset = OFF(mitigation_max), .min = 1, .max = 100000,
	  .what = "a count", .def = "64",
	  .help = "announcements active at once" },
};
const size_t config_table_size = NITEMS(config_table);

const struct setting *
config_find(const char *name)
{
	size_t i;

	for (i = 0; i < NITEMS(config_table); i++)
		if (strcmp(config_table[i].name, name) == 0)
			return &config_table[i];
	return NULL;
}

/* A value for SETTING_TEXT: at most 200 bytes of UTF-8, no controls. */
static int
text_check(const struct setting *s, const char *value, char *errbuf)
{
	size_t bad, i;

	if (strlen(value) > 200 || !utf8_valid(value, strlen(value), &bad))
		return err_set(errbuf, "%s: at most 200 bytes of UTF-8", s->name);
	for (i = 0; value[i] != '\0'; i++)
		if ((unsigned char)value[i] < 0x20 || value[i] == 0x7f)
			return err_set(errbuf, "%s: control characters are not "
			    "allowed", s->name);
	return 0;
}

/* Parse value by s's type into o. */
static int
setting_apply(struct options *o, const struct setting *s, const char *value,
    int from_cli, char *errbuf)
{
	void *field = (char *)o + s->offset;
	long n;

	switch (s->type) {
	case SETTING_NUMBER:
		if (parse_long(value, s->min, s->max, &n) != 0)
			return err_set(errbuf, "%s: '%s' is not %s (%ld-%ld)",
			    s->name, value, s->what, s->min, s->max);
		*(unsigned *)field = (unsigned)n;
		return 0;
	case SETTING_TEXT:
		if (text_check(s, value, errbuf) != 0)
			return -1;
		/* FALLTHROUGH */
	case SETTING_STRING:
		*(const char **)field = keep_copy(value);
		return 0;
	case SETTING_DNSZONE:
		if (!zone_ok(value))
			return err_set(errbuf, "%s: '%s' is not a DNS zone name",
			    s->name, value);
		*(const char **)field = keep_copy(value);
		return 0;
	case SETTING_YESNO:
		if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0)
			return err_set(errbuf, "%s: '%s' is not yes or no",
			    s->name, value);
		*(int *)field = value[0] == 'y';
		return 0;
	case SETTING_CUSTOM:
		return s->set(o, s, value, from_cli, errbuf);
	}
	return err_set(errbuf, "%s: unknown type", s->name);
}

void
config_defaults(struct options *o)
{
	char err[ERRBUF_SIZE];
	size_t i;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < NITEMS(config_table); i++) {
		const struct setting *s = &config_table[i];

		if (s->def == NULL)
			continue;
		if (s->set == set_threshold_key) {
			/* a default, not "given": set[] stays 0 */
			if (config_threshold_set(&o->thr, s->name + 10, s->def, 0,
			    err) != 0)
				fatal("default %s: %s", s->name, err);
			memset(o->thr.set, 0, sizeof(o->thr.set));
			continue;
		}
		if (setting_apply(o, s, s->def, 0, err) != 0)
			fatal("default %s: %s", s->name, err);
	}
}

/* The message for a name the table lacks. */
static int
unknown_setting(const char *name, char *errbuf)
{
	char list[256];
	size_t i, n = 0;

	if (strncmp(name, "threshold.", 10) == 0)
		/* not one of the six: config_threshold_set says so (and
		 * touches no thresholds, so none are needed) */
		return config_threshold_set(NULL, name + 10, "", 0, errbuf);
	if (strncmp(name, "dns.", 4) != 0)
		return err_set(errbuf, "unknown setting '%s'", name);
	list[0] = '\0';
	for (i = 0; i < NITEMS(config_table); i++)
		if (strncmp(config_table[i].name, "dns.", 4) == 0 &&
		    n < sizeof(list))
			n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s",
			    n > 0 ? ", " : "", config_table[i].name + 4);
	return err_set(errbuf, "unknown setting '%s' (%s)", name, list);
}

int
config_set(struct options *o, const char *name, const char *value,
    int from_cli, char *errbuf)
{
	const struct setting *s = config_find(name);
	int rc;

	if (value == NULL)
		rc = err_set(errbuf, "%s: a value is required", name);
	else if (s == NULL)
		rc = unknown_setting(name, errbuf);
	else
		rc = setting_apply(o, s, value, from_cli, errbuf);
	return config_clean_err(errbuf, rc);
}
