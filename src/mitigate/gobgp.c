/*
 * gobgp.c -- the GoBGP backend, through the `gobgp` command (Debian's
 * gobgpd package) talking to gobgpd's gRPC API at gobgp-api:
 *   gobgp -u HOST -p PORT global rib [-a ipv6] add PREFIX nexthop NH
 *       community 65535:666,...          (RTBH, RFC 7999)
 *   gobgp ... global rib -a ipv4-flowspec add match destination P
 *       [source S] [protocol N] [destination-port ==N] [source-port ==N]
 *       then discard | rate-limit R      (RFC 8955, RFC 8956 for IPv6)
 * and `global rib [-a FAMILY] -j` to read the RIB back, each run by
 * proc_capture() (base/proc.h): no shell, a deadline, output captured.
 */
#include "mitigate/mitigate_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/proc.h"
#include "base/util.h"

#define BLACKHOLE	0xFFFF029Au	/* 65535:666, RFC 7999 */
#define RIB_MAX		(8u << 20)	/* bytes of `gobgp ... -j` read */

/* "ADDR:PORT" or "[V6]:PORT" into host and port. 0 or -1. */
static int
split_api(const char *api, char *host, size_t hlen, char *port, size_t plen)
{
	const char *c;
	size_t n;

	if (api == NULL || *api == '\0')
		api = "127.0.0.1:50051";
	if (*api == '[') {
		if ((c = strstr(api, "]:")) == NULL)
			return -1;
		n = (size_t)(c - api - 1);
		if (n >= hlen)
			return -1;
		memcpy(host, api + 1, n);
		host[n] = '\0';
		c += 2;
	} else {
		if ((c = strrchr(api, ':')) == NULL)
			return -1;
		n = (size_t)(c - api);
		if (n >= hlen || n == 0)
			return -1;
		memcpy(host, api, n);
		host[n] = '\0';
		c++;
	}
	if (strlen(c) == 0 || strlen(c) >= plen || strspn(c, "0123456789") !=
	    strlen(c))
		return -1;
	snprintf(port, plen, "%s", c);
	return 0;
}

/* argv words, each a new string (freed by argv_free). */
struct argv {
	char *w[40];
	int n;
};

static void
argv_add(struct argv *a, const char *s)
{
	if (a->n < (int)NITEMS(a->w) - 1)
		a->w[a->n++] = xstrdup(s);
	a->w[a->n] = NULL;
}

static void
argv_free(struct argv *a)
{
	int i;

	for (i = 0; i < a->n; i++)
		free(a->w[i]);
	a->n = 0;
}

static int
argv_base(const struct mitigate_settings *cfg, struct argv *a, char *errbuf)
{
	char host[80], port[8];

	memset(a, 0, sizeof(*a));
	if (split_api(cfg->gobgp_api, host, sizeof(host), port,
	    sizeof(port)) != 0)
		return err_set(errbuf, "gobgp-api: '%s' is not ADDR:PORT",
		    cfg->gobgp_api);
	argv_add(a, "gobgp");
	argv_add(a, "-u");
	argv_add(a, host);
	argv_add(a, "-p");
	argv_add(a, port);
	argv_add(a, "global");
	argv_add(a, "rib");
	return 0;
}

int
gobgp_change(const struct mitigate_settings *cfg, const struct mit_rule *r,
    int del, char **out, char *errbuf)
{
	struct argv a;
	char buf[128];
	size_t i;
	int rc;

	*out = NULL;
	if (argv_base(cfg, &a, errbuf) != 0)
		return -1;
	argv_add(&a, "-a");
	if (r->kind == MIT_RTBH)
		argv_add(&a, r->dst.addr.family == 6 ? "ipv6" : "ipv4");
	else
		argv_add(&a, r->dst.addr.family == 6 ? "ipv6-flowspec" :
		    "ipv4-flowspec");
	argv_add(&a, del ? "del" : "add");
	if (r->kind == MIT_RTBH) {
		argv_add(&a, prefix_format(&r->dst, buf, sizeof(buf)));
		if (!del) {
			argv_add(&a, "nexthop");
			argv_add(&a, r->next_hop);
			buf[0] = '\0';
			for (i = 0; i < r->ncomm; i++)
				snprintf(buf + strlen(buf), sizeof(buf) -
				    strlen(buf), "%s%u:%u", i ? "," : "",
				    r->comm[i] >> 16, r->comm[i] & 0xffff);
			argv_add(&a, "community");
			argv_add(&a, buf);
		}
	} else {
		argv_add(&a, "match");
		argv_add(&a, "destination");
		argv_add(&a, prefix_format(&r->dst, buf, sizeof(buf)));
		if (r->src.addr.family != 0) {
			argv_add(&a, "source");
			argv_add(&a, prefix_format(&r->src, buf, sizeof(buf)));
		}
		if (r->proto != 0) {
			snprintf(buf, sizeof(buf), "%u", r->proto);
			argv_add(&a, "protocol");
			argv_add(&a, buf);
		}
		if (r->dport != 0) {
			snprintf(buf, sizeof(buf), "==%u", r->dport);
			argv_add(&a, "destination-port");
			argv_add(&a, buf);
		}
		if (r->sport != 0) {
			snprintf(buf, sizeof(buf), "==%u", r->sport);
			argv_add(&a, "source-port");
			argv_add(&a, buf);
		}
		if (!del) {
			argv_add(&a, "then");
			if (r->rate == 0)
				argv_add(&a, "discard");
			else {
				snprintf(buf, sizeof(buf), "%llu",
				    (unsigned long long)r->rate);
				argv_add(&a, "rate-limit");
				argv_add(&a, buf);
			}
		}
	}
	rc = proc_capture(a.w, cfg->timeout_ms ? cfg->timeout_ms : MIT_TIMEOUT_MS,
	    8192, out, errbuf);
	argv_free(&a);
	if (rc > 0)
		return err_set(errbuf, "gobgp exited %d: %s", rc, *out);
	return rc < 0 ? -1 : 0;
}

static void
keys_add(char ***keys, size_t *n, const char *k)
{
	*keys = xreallocarray(*keys, *n + 1, sizeof(**keys));
	(*keys)[(*n)++] = xstrdup(k);
}

/* A FlowSpec component's single "==N" value, or -1 if it is not one. */
static long
fs_eq(const struct json *v)
{
	const struct json *x = json_at(v, 0);

	if (json_len(v) != 1 || json_geti(x, "op", 0) != 129)
		return -1;
	return (long)json_geti(x, "value", -1);
}

/* The key of a FlowSpec NLRI ("nlri":{"value":[...]}) into buf; "" when
 * it holds components kyocho never announces. */
static void
fs_key(const struct json *nlri, int family, char *buf, size_t len)
{
	struct mit_rule r;
	const struct json *c, *v;
	size_t i;
	long x;

	memset(&r, 0, sizeof(r));
	r.kind = MIT_FLOWSPEC;
	buf[0] = '\0';
	for (i = 0; i < json_len(json_get(nlri, "value")); i++) {
		c = json_at(json_get(nlri, "value"), i);
		v = json_get(c, "value");
		switch (json_geti(c, "type", 0)) {
		case 1:
		case 2:
			if (prefix_parse(json_gets(v, "prefix", ""),
			    json_geti(c, "type", 0) == 1 ? &r.dst : &r.src) != 0)
				return;
			break;
		case 3:
			if ((x = fs_eq(v)) < 0 || x > 255)
				return;
			r.proto = (uint8_t)x;
			break;
		case 5:
		case 6:
			if ((x = fs_eq(v)) < 0 || x > 65535)
				return;
			if (json_geti(c, "type", 0) == 5)
				r.dport = (uint16_t)x;
			else
				r.sport = (uint16_t)x;
			break;
		default:
			return;
		}
	}
	if (r.dst.addr.family != family)
		return;
	mit_rule_key(&r, buf, len);
}

/* 1 if the path's attributes carry the BLACKHOLE community. */
static int
has_blackhole(const struct json *path)
{
	const struct json *attrs = json_get(path, "attrs"), *c;
	size_t i, j;

	for (i = 0; i < json_len(attrs); i++) {
		if (json_geti(json_at(attrs, i), "type", 0) != 8)
			continue;
		c = json_get(json_at(attrs, i), "communities");
		for (j = 0; j < json_len(c); j++)
			if (json_at(c, j)->type == JSON_INT &&
			    (uint32_t)json_at(c, j)->i == BLACKHOLE)
				return 1;
	}
	return 0;
}

int
gobgp_rib(const struct mitigate_settings *cfg, char ***keys, size_t *n,
    char *errbuf)
{
	static const char *const fams[] = { "ipv4", "ipv6", "ipv4-flowspec",
	    "ipv6-flowspec" };
	struct argv a;
	struct json *j;
	char *out, key[MIT_KEY_LEN];
	size_t f, i, k;
	int rc;

	*keys = NULL;
	*n = 0;
	for (f = 0; f < NITEMS(fams); f++) {
		if (argv_base(cfg, &a, errbuf) != 0)
			return -1;
		argv_add(&a, "-a");
		argv_add(&a, fams[f]);
		argv_add(&a, "-j");
		rc = proc_capture(a.w, cfg->timeout_ms ? cfg->timeout_ms :
		    MIT_TIMEOUT_MS, RIB_MAX, &out, errbuf);
		argv_free(&a);
		if (rc != 0) {
			if (rc > 0)
				err_set(errbuf, "gobgp global rib -a %s -j "
				    "exited %d: %.200s", fams[f], rc, out);
			free(out);
			return -1;
		}
		if ((j = json_parse(out, strlen(out), 0, NULL, errbuf)) ==
		    NULL || j->type != JSON_OBJECT) {
			if (j == NULL)
				err_set(errbuf, "gobgp global rib -a %s -j: "
				    "not JSON: %.200s", fams[f], out);
			json_free(j);
			free(out);
			return -1;
		}
		for (i = 0; i < j->n; i++) {
			for (k = 0; k < json_len(&j->v[i]); k++) {
				const struct json *p = json_at(&j->v[i], k);
				struct mit_rule r;

				/* Routes learnt from a neighbour are not the
				 * speaker's own. */
				if (json_get(p, "neighbor-ip") != NULL)
					continue;
				key[0] = '\0';
				if (f < 2) {
					memset(&r, 0, sizeof(r));
					r.kind = MIT_RTBH;
					if (has_blackhole(p) && prefix_parse(
					    j->k[i], &r.dst) == 0)
						mit_rule_key(&r, key,
						    sizeof(key));
				} else
					fs_key(json_get(p, "nlri"),
					    f == 2 ? 4 : 6, key, sizeof(key));
				if (key[0] != '\0')
					keys_add(keys, n, key);
				break;
			}
		}
		json_free(j);
		free(out);
	}
	return 0;
}
