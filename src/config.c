/*
 * config.c -- the settings table shared by the configuration file and the
 * command line. See config.h and man/kyocho.conf.5.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "flow/collector.h"
#include "hours.h"
#include "tz.h"
#include "util.h"

/* Defaults per destination, per second; the reasoning is in kyocho.1. */
static const uint64_t default_thr[THR_COUNT] = {
	[THR_PPS] = 100000,
	[THR_BPS] = 1000000000,
	[THR_SYN] = 1000,
	[THR_UDP] = 5000,
	[THR_ICMP] = 1000,
	[THR_FRAG] = 1000,
};

static const char *const thr_names[THR_COUNT] = {
	[THR_PPS] = "pps", [THR_BPS] = "bps", [THR_SYN] = "syn",
	[THR_UDP] = "udp", [THR_ICMP] = "icmp", [THR_FRAG] = "frag",
};

const char *
config_threshold_name(enum threshold_id id)
{
	return id < THR_COUNT ? thr_names[id] : "?";
}

void
config_defaults(struct options *o)
{
	memset(o, 0, sizeof(*o));
	memcpy(o->thr.v, default_thr, sizeof(o->thr.v));
	o->quiet_s = 10;
	o->top_n = 10;
	o->speed = 1.0;
	o->legend_low = 100;
	o->legend_high = 1000;
	o->dns_rate = 50;
	o->dns_timeout_ms = 2000;
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
static int
clean_err(char *errbuf, int rc)
{
	char raw[ERRBUF_SIZE];

	if (rc != 0 && errbuf != NULL) {
		memcpy(raw, errbuf, sizeof(raw));
		raw[sizeof(raw) - 1] = '\0';
		text_sanitize(errbuf, ERRBUF_SIZE, raw, strlen(raw));
	}
	return rc;
}

static int
threshold_set(struct thresholds *t, const char *name, const char *value,
    int from_cli, char *errbuf)
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
		return clean_err(errbuf, err_set(errbuf, "--threshold wants "
		    "NAME=VALUE, got '%s'", arg));
	memcpy(name, arg, (size_t)(eq - arg));
	name[eq - arg] = '\0';
	return clean_err(errbuf, threshold_set(t, name, eq + 1, from_cli,
	    errbuf));
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

const struct flowlinkdef *
config_flowlink(const struct options *o, const struct addr *exporter,
    uint32_t ifindex)
{
	size_t i;

	for (i = 0; i < o->nflowlinks; i++)
		if (o->flowlinks[i].ifindex == ifindex &&
		    addr_cmp(&o->flowlinks[i].exporter, exporter) == 0)
			return &o->flowlinks[i];
	return NULL;
}

static int
home_set(struct options *o, const char *value, int from_cli, char *errbuf)
{
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

/* Kept copies stay reachable from here, so leak checkers do not count
 * them once main()'s struct options is gone. */
struct kept {
	struct kept *next;
	char s[];
};
static struct kept *kept_list;

static const char *
keep(const char *s)
{
	/* Settings live for the whole run; the few copies are never freed. */
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

/* dns.server, dns.*-zone, dns.rate, dns.timeout (see dns.h). */
static int
dns_setting(struct options *o, const char *key, const char *value,
    char *errbuf)
{
	const char **zone = NULL;
	long n;

	if (strcmp(key, "server") == 0) {
		if (strlen(value) == 0 || strlen(value) > 80)
			return err_set(errbuf, "dns.server: '%s' is not ADDR, "
			    "ADDR:PORT or [IPV6]:PORT", value);
		o->dns_server = keep(value);
		return 0;
	}
	if (strcmp(key, "rate") == 0) {
		if (parse_long(value, 1, 10000, &n) != 0)
			return err_set(errbuf, "dns.rate: '%s' is not a number "
			    "of queries per second (1-10000)", value);
		o->dns_rate = (unsigned)n;
		return 0;
	}
	if (strcmp(key, "timeout") == 0) {
		if (parse_long(value, 10, 60000, &n) != 0)
			return err_set(errbuf, "dns.timeout: '%s' is not a "
			    "number of milliseconds (10-60000)", value);
		o->dns_timeout_ms = (unsigned)n;
		return 0;
	}
	if (strcmp(key, "cymru-zone") == 0)
		zone = &o->dns_cymru_zone;
	else if (strcmp(key, "cymru6-zone") == 0)
		zone = &o->dns_cymru6_zone;
	else if (strcmp(key, "asname-zone") == 0)
		zone = &o->dns_asname_zone;
	else if (strcmp(key, "abusix-zone") == 0)
		zone = &o->dns_abusix_zone;
	else
		return err_set(errbuf, "unknown setting 'dns.%s' (server, rate, "
		    "timeout, cymru-zone, cymru6-zone, asname-zone, "
		    "abusix-zone)", key);
	if (!zone_ok(value))
		return err_set(errbuf, "dns.%s: '%s' is not a DNS zone name",
		    key, value);
	*zone = keep(value);
	return 0;
}

static int set_one(struct options *o, const char *name, const char *value,
    int from_cli, char *errbuf);

int
config_set(struct options *o, const char *name, const char *value,
    int from_cli, char *errbuf)
{
	return clean_err(errbuf, set_one(o, name, value, from_cli, errbuf));
}

static int
set_one(struct options *o, const char *name, const char *value,
    int from_cli, char *errbuf)
{
	long n;

	if (value == NULL)
		return err_set(errbuf, "%s: a value is required", name);
	if (strcmp(name, "home") == 0)
		return home_set(o, value, from_cli, errbuf);
	if (strncmp(name, "threshold.", 10) == 0)
		return threshold_set(&o->thr, name + 10, value, from_cli, errbuf);
	if (strcmp(name, "threshold") == 0)
		return config_threshold(&o->thr, value, from_cli, errbuf);
	if (strcmp(name, "link") == 0)
		return link_set(o, value, errbuf);
	if (strcmp(name, "flowlink") == 0)
		return flowlink_set(o, value, errbuf);
	if (strcmp(name, "sflow") == 0 || strcmp(name, "netflow") == 0) {
		int sf = name[0] == 's';
		size_t *np = sf ? &o->nsflow : &o->nnetflow;
		struct addr a;
		uint16_t port;

		if (*np == MAX_FLOW_LISTEN)
			return err_set(errbuf, "%s: at most %d listeners", name,
			    MAX_FLOW_LISTEN);
		if (flowc_parse_listen(value, &a, &port, errbuf) != 0)
			return -1;
		if (strlen(value) >= sizeof(o->sflow_listen[0]))
			return err_set(errbuf, "%s: '%s' is too long", name,
			    value);
		strcpy((sf ? o->sflow_listen : o->netflow_listen)[(*np)++],
		    value);
		return 0;
	}
	if (strcmp(name, "quiet") == 0) {
		if (parse_long(value, 1, 86400, &n) != 0)
			return err_set(errbuf, "quiet: '%s' is not a number of "
			    "seconds (1-86400)", value);
		o->quiet_s = (unsigned)n;
		return 0;
	}
	if (strcmp(name, "top") == 0) {
		if (parse_long(value, 1, 10000, &n) != 0)
			return err_set(errbuf, "top: '%s' is not a count (1-10000)",
			    value);
		o->top_n = (unsigned)n;
		return 0;
	}
	if (strcmp(name, "readers") == 0) {
		if (strcmp(value, "auto") == 0) {
			o->readers = 0;
			return 0;
		}
		if (parse_long(value, 1, 16, &n) != 0)
			return err_set(errbuf, "readers: '%s' is not a count "
			    "(1-16) or auto", value);
		o->readers = (unsigned)n;
		return 0;
	}
	if (strcmp(name, "speed") == 0) {
		char *end;
		double d;

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
	if (strcmp(name, "data") == 0) {
		o->data_dir = keep(value);
		return 0;
	}
	if (strcmp(name, "state") == 0) {
		o->state_dir = keep(value);
		return 0;
	}
	if (strcmp(name, "alerts") == 0) {
		o->alerts_path = keep(value);
		return 0;
	}
	if (strcmp(name, "contacts") == 0) {
		o->contacts_path = keep(value);
		return 0;
	}
	if (strcmp(name, "our-zone") == 0) {
		char err[ERRBUF_SIZE];

		if (tz_get(value, err) == NULL)
			return err_set(errbuf, "our-zone: %s", err);
		o->our_zone = keep(value);
		return 0;
	}
	if (strcmp(name, "syn-legend") == 0) {
		char buf[64], *comma;
		uint64_t lo, hi;

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
	if (strcmp(name, "our-hours") == 0) {
		struct hours h;
		char err[ERRBUF_SIZE];

		if (hours_parse(value, strlen(value), &h, err) != 0)
			return err_set(errbuf, "our-hours: %s", err);
		o->our_hours = keep(value);
		return 0;
	}
	if (strcmp(name, "user") == 0) {
		o->drop_user = keep(value);
		return 0;
	}
	if (strcmp(name, "operator") == 0 || strcmp(name, "org") == 0 ||
	    strcmp(name, "noc-email") == 0 || strcmp(name, "noc-phone") == 0 ||
	    strcmp(name, "pgp") == 0 || strcmp(name, "local-zone") == 0) {
		const char **dst = name[0] == 'o' ? (name[1] == 'p' ?
		    &o->operator : &o->org) : name[0] == 'p' ? &o->pgp :
		    name[0] == 'l' ? &o->local_zone : name[4] == 'e' ?
		    &o->noc_email : &o->noc_phone;
		size_t bad, i;

		if (strlen(value) > 200 || !utf8_valid(value, strlen(value), &bad))
			return err_set(errbuf, "%s: at most 200 bytes of UTF-8",
			    name);
		for (i = 0; value[i] != '\0'; i++)
			if ((unsigned char)value[i] < 0x20 || value[i] == 0x7f)
				return err_set(errbuf, "%s: control characters "
				    "are not allowed", name);
		*dst = keep(value);
		return 0;
	}
	if (strcmp(name, "local-offset") == 0) {
		/* "+09:00", "-05:30" or seconds; until tz.c names zones. */
		int sign = 1, h, m;

		if ((value[0] == '+' || value[0] == '-') && strlen(value) == 6 &&
		    value[3] == ':' && sscanf(value + 1, "%2d:%2d", &h, &m) == 2 &&
		    h <= 18 && m < 60) {
			sign = value[0] == '-' ? -1 : 1;
			o->local_offset_s = sign * (h * 3600 + m * 60);
			return 0;
		}
		if (parse_long(value, -64800, 64800, &n) != 0)
			return err_set(errbuf, "local-offset: '%s' is not an "
			    "offset such as +09:00 or -05:00", value);
		o->local_offset_s = (int)n;
		return 0;
	}
	if (strcmp(name, "dns") == 0) {
		if (strcmp(value, "on") == 0 || strcmp(value, "yes") == 0)
			o->no_dns = 0;
		else if (strcmp(value, "off") == 0 || strcmp(value, "no") == 0)
			o->no_dns = 1;
		else
			return err_set(errbuf, "dns: '%s' is not on or off", value);
		return 0;
	}
	if (strcmp(name, "prefixes") == 0) {
		o->prefixes_path = keep(value);
		return 0;
	}
	if (strcmp(name, "prefix-complete") == 0) {
		if (strcmp(value, "yes") == 0)
			o->prefix_complete = 1;
		else if (strcmp(value, "no") == 0)
			o->prefix_complete = 0;
		else
			return err_set(errbuf, "prefix-complete: '%s' is not yes "
			    "or no", value);
		return 0;
	}
	if (strcmp(name, "mmdb") == 0) {
		if (o->nmmdb == MAX_MMDB)
			return err_set(errbuf, "mmdb: at most %d files", MAX_MMDB);
		o->mmdb[o->nmmdb++] = keep(value);
		return 0;
	}
	if (strncmp(name, "dns.", 4) == 0)
		return dns_setting(o, name + 4, value, errbuf);
	return err_set(errbuf, "unknown setting '%s'", name);
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int
group_set(struct prefix_group *g, const char *key, const char *value,
    char *errbuf)
{
	if (strcmp(key, "prefix") == 0) {
		if (g->nprefixes == MAX_GROUP_PREFIXES)
			return err_set(errbuf, "prefix: at most %d per group",
			    MAX_GROUP_PREFIXES);
		if (prefix_parse(value, &g->prefixes[g->nprefixes]) != 0)
			return err_set(errbuf, "prefix: '%s' is not a CIDR prefix",
			    value);
		g->nprefixes++;
		return 0;
	}
	if (strncmp(key, "threshold.", 10) == 0)
		return threshold_set(&g->thr, key + 10, value, 0, errbuf);
	return err_set(errbuf, "unknown setting '%s' in a group (prefix, "
	    "threshold.NAME)", key);
}

int
config_load(struct options *o, const char *path, char *errbuf)
{
	char buf[4096], defpath[4096], err[ERRBUF_SIZE];
	const char *p = path;
	struct prefix_group *g = NULL;
	FILE *f;
	unsigned lineno = 0;
	int rc = 0;

	if (p == NULL) {
		const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

		if (xdg != NULL && *xdg == '/')
			snprintf(defpath, sizeof(defpath), "%s/kyocho/config", xdg);
		else if (home != NULL)
			snprintf(defpath, sizeof(defpath), "%s/.config/kyocho/config",
			    home);
		else
			return 0;
		p = defpath;
	}
	if ((f = fopen(p, "r")) == NULL) {
		if (path == NULL && errno == ENOENT)
			return 0;
		return err_set(errbuf, "%s: %s", p, strerror(errno));
	}
	while (fgets(buf, sizeof(buf), f) != NULL) {
		char *line, *eq, *key, *value;
		size_t bad;

		lineno++;
		if (strchr(buf, '\n') == NULL && !feof(f)) {
			rc = err_set(errbuf, "%s:%u: line too long", p, lineno);
			break;
		}
		if (!utf8_valid(buf, strlen(buf), &bad)) {
			rc = err_set(errbuf, "%s:%u: invalid UTF-8 at byte %zu",
			    p, lineno, bad + 1);
			break;
		}
		line = trim(buf);
		if (*line == '\0' || *line == '#')
			continue;
		if (*line == '[') {
			char *end = strchr(line, ']');

			if (end == NULL || end[1] != '\0' ||
			    strncmp(line, "[group ", 7) != 0) {
				rc = err_set(errbuf, "%s:%u: section must read "
				    "[group NAME]", p, lineno);
				break;
			}
			*end = '\0';
			if (o->ngroups == MAX_GROUPS) {
				rc = err_set(errbuf, "%s:%u: at most %d groups",
				    p, lineno, MAX_GROUPS);
				break;
			}
			g = &o->groups[o->ngroups++];
			memset(g, 0, sizeof(*g));
			snprintf(g->name, sizeof(g->name), "%s", trim(line + 7));
			continue;
		}
		if ((eq = strchr(line, '=')) == NULL) {
			rc = err_set(errbuf, "%s:%u: expected 'key = value'", p,
			    lineno);
			break;
		}
		*eq = '\0';
		key = trim(line);
		value = trim(eq + 1);
		if (g != NULL)
			rc = group_set(g, key, value, err);
		else
			rc = config_set(o, key, value, 0, err);
		if (rc != 0) {
			err_set(errbuf, "%s:%u: %s", p, lineno, err);
			break;
		}
	}
	if (rc == 0 && ferror(f))
		rc = err_set(errbuf, "%s: read error", p);
	fclose(f);
	return clean_err(errbuf, rc);
}

void
config_thresholds_for(const struct options *o, const struct addr *a,
    struct thresholds *out)
{
	size_t i, j, k;

	*out = o->thr;
	for (i = 0; i < o->ngroups; i++) {
		const struct prefix_group *g = &o->groups[i];

		for (j = 0; j < g->nprefixes; j++) {
			if (!prefix_contains(&g->prefixes[j], a))
				continue;
			for (k = 0; k < THR_COUNT; k++)
				if (g->thr.set[k] && !o->thr.cli[k])
					out->v[k] = g->thr.v[k];
			return;
		}
	}
}

int
config_is_home(const struct options *o, const struct addr *a)
{
	return prefix_list_contains(o->home, o->nhome, a);
}

static int
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

char *
config_data_path(const struct options *o, const char *rel, char *errbuf)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	char *cand[4] = { NULL, NULL, NULL, NULL };
	char *found = NULL;
	size_t i, n = 0;

	if (o->data_dir != NULL)
		cand[n++] = xasprintf("%s/%s", o->data_dir, rel);
	if (xdg != NULL && *xdg == '/')
		cand[n++] = xasprintf("%s/kyocho/%s", xdg, rel);
	else if (home != NULL)
		cand[n++] = xasprintf("%s/.local/share/kyocho/%s", home, rel);
	cand[n++] = xasprintf("%s/%s", KYOCHO_DATADIR, rel);
	cand[n++] = xasprintf("data/%s", rel);
	for (i = 0; i < n; i++) {
		if (found == NULL && exists(cand[i]))
			found = cand[i];
		else
			free(cand[i]);
	}
	if (found == NULL)
		err_set(errbuf, "data file '%s' not found (looked in --data, "
		    "the user's and the installed data directories, ./data)", rel);
	return found;
}

static int
mkdir_p(char *path)
{
	char *s;

	for (s = path + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST) {
			*s = '/';
			return -1;
		}
		*s = '/';
	}
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

char *
config_state_dir(const struct options *o, char *errbuf)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char *dir;

	if (o->state_dir != NULL)
		dir = xstrdup(o->state_dir);
	else if (xdg != NULL && *xdg == '/')
		dir = xasprintf("%s/kyocho", xdg);
	else if (home != NULL)
		dir = xasprintf("%s/.local/state/kyocho", home);
	else {
		err_set(errbuf, "no state directory: set --state, "
		    "XDG_STATE_HOME or HOME");
		return NULL;
	}
	if (mkdir_p(dir) != 0) {
		err_set(errbuf, "state directory %s: %s", dir, strerror(errno));
		free(dir);
		return NULL;
	}
	return dir;
}

/* A name the operator setting would accept: 1..200 bytes of UTF-8 without
 * control characters. */
static int
operator_ok(const char *s)
{
	size_t n, bad, i;

	if (s == NULL || (n = strlen(s)) == 0 || n > 200 ||
	    !utf8_valid(s, n, &bad))
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

const char *
config_default_operator(char *buf, size_t len)
{
	const char *cand[2] = { getenv("LOGNAME"), getenv("USER") };
	struct passwd *pw;
	size_t i;

	for (i = 0; i < NITEMS(cand); i++)
		if (operator_ok(cand[i])) {
			snprintf(buf, len, "%s", cand[i]);
			return buf;
		}
	if ((pw = getpwuid(getuid())) != NULL && operator_ok(pw->pw_name)) {
		snprintf(buf, len, "%s", pw->pw_name);
		return buf;
	}
	return NULL;
}

const char *
config_default_zone(const char *tzenv, const char *localtime, char *buf,
    size_t len)
{
	char err[ERRBUF_SIZE], link[4096];
	const char *p;
	struct tz *z;
	ssize_t n;

	if (tzenv != NULL && *tzenv != '\0' && strlen(tzenv) < len) {
		const char *nm = tzenv[0] == ':' ? tzenv + 1 : tzenv;

		if (*nm != '\0' && tz_get(nm, err) != NULL) {
			snprintf(buf, len, "%s", nm);
			return buf;
		}
		if (tzenv[0] != ':' && (z = tz_from_posix(tzenv, err)) != NULL) {
			tz_free(z);
			snprintf(buf, len, "%s", tzenv);
			return buf;
		}
	}
	if (localtime != NULL &&
	    (n = readlink(localtime, link, sizeof(link) - 1)) > 0) {
		link[n] = '\0';
		if ((p = strstr(link, "zoneinfo/")) != NULL && p[9] != '\0' &&
		    strlen(p + 9) < len && tz_get(p + 9, err) != NULL) {
			snprintf(buf, len, "%s", p + 9);
			return buf;
		}
	}
	return NULL;
}
