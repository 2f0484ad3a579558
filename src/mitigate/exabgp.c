/*
 * exabgp.c -- the ExaBGP backend, through ExaBGP 4's own CLI named pipes
 * (exabgp.api.cli = true: ExaBGP's control process reads commands from
 * NAME.in and writes the answers, each ended by "done" or "error"
 * (exabgp.api.ack = true), to NAME.out; exabgp-pipe names NAME.in):
 *   announce route 203.0.113.10/32 next-hop 192.0.2.1
 *       community [65535:666 ...]                      (RTBH, RFC 7999)
 *   withdraw route 203.0.113.10/32 next-hop 192.0.2.1
 *   announce flow route { match { destination P; [source S;]
 *       [protocol udp; | next-header udp;] [destination-port =N;]
 *       [source-port =N;] } then { discard; | rate-limit R; } }
 *   withdraw flow route { match { ... } }
 * and `show adj-rib out extensive` to read back what ExaBGP announces.
 *
 * The pipe carries answers in order but keeps an answer nobody read (a
 * reader that gave up, an exabgpcli killed) for the next reader, so each
 * exchange starts with "version": everything before its answer is stale
 * and skipped. Exchanges of kyocho processes are serialised by a flock on
 * NAME.out; the whole exchange is bounded by the timeout.
 */
#include "mitigate/mitigate_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/util.h"

#define PIPE_DEFAULT	"/run/exabgp/exabgp.in"
#define ANSWER_MAX	(8u << 20)	/* bytes of one answer kept */
#define TOK_MAX		256		/* words of one adj-rib-out line */

/* NAME.in and NAME.out from exabgp-pipe ("NAME.in" or "NAME"). */
static void
pipe_paths(const char *p, char *in, char *out, size_t len)
{
	size_t n;

	if (p == NULL || *p == '\0')
		p = PIPE_DEFAULT;
	n = strlen(p);
	if (n > 3 && strcmp(p + n - 3, ".in") == 0)
		n -= 3;
	snprintf(in, len, "%.*s.in", (int)n, p);
	snprintf(out, len, "%.*s.out", (int)n, p);
}

static int
is_fifo(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

/*
 * Send cmd (one line, no newline) and read its answer until "done" or
 * "error". *out: the answer's lines without the final word (a new
 * string). 0 on "done"; -1 with errbuf on "error", a timeout or a pipe
 * that cannot be used.
 */
static int
exabgp_cmd(const struct mitigate_settings *cfg, const char *cmd, char **out,
    char *errbuf)
{
	char in_path[4096], out_path[4096], chunk[4096], *line, *nl;
	char *acc = NULL;	/* bytes read, not yet split into lines */
	size_t alen = 0, olen = 0, ocap = 256;
	unsigned tmo = cfg->timeout_ms ? cfg->timeout_ms : MIT_TIMEOUT_MS;
	int64_t deadline = mono_ms() + tmo;
	int rfd = -1, wfd = -1, rc = -1, synced = 0, ended = 0;
	char *msg;
	ssize_t r;

	*out = xmalloc(ocap);
	(*out)[0] = '\0';
	pipe_paths(cfg->exabgp_pipe, in_path, out_path, sizeof(in_path));
	/* Read-write, so that the pipe never reports a hang-up between the
	 * control process's writes (it opens NAME.out for each line). */
	if ((rfd = open(out_path, O_RDWR | O_NONBLOCK | O_CLOEXEC)) < 0) {
		err_set(errbuf, "exabgp-pipe: %s: %s", out_path,
		    strerror(errno));
		goto done;
	}
	if (!is_fifo(rfd)) {
		err_set(errbuf, "exabgp-pipe: %s is not a named pipe",
		    out_path);
		goto done;
	}
	while (flock(rfd, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK || mono_ms() >= deadline) {
			err_set(errbuf, "exabgp-pipe: %s is held by another "
			    "kyocho for more than %u ms", out_path, tmo);
			goto done;
		}
		usleep(20000);
	}
	if ((wfd = open(in_path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)) < 0) {
		err_set(errbuf, errno == ENXIO ? "exabgp-pipe: nothing reads "
		    "%s: is ExaBGP running with exabgp.api.cli and its pipes "
		    "there?" : "exabgp-pipe: %s: %s", in_path, strerror(errno));
		goto done;
	}
	if (!is_fifo(wfd)) {
		err_set(errbuf, "exabgp-pipe: %s is not a named pipe", in_path);
		goto done;
	}
	msg = xasprintf("version\n%s\n", cmd);
	/* One write below PIPE_BUF: never interleaved with another writer. */
	if (strlen(msg) >= 4096 || write(wfd, msg, strlen(msg)) !=
	    (ssize_t)strlen(msg)) {
		err_set(errbuf, "exabgp-pipe: writing %s: %s", in_path,
		    strlen(msg) >= 4096 ? "command too long" :
		    strerror(errno));
		free(msg);
		goto done;
	}
	free(msg);
	while (!ended) {
		struct pollfd p = { .fd = rfd, .events = POLLIN };
		int64_t left = deadline - mono_ms();

		if (left <= 0) {
			err_set(errbuf, "ExaBGP did not answer '%.80s' within "
			    "%u ms (%s)", cmd, tmo, synced ? "answer begun" :
			    "no answer");
			goto done;
		}
		if (poll(&p, 1, (int)left) <= 0)
			continue;
		if ((r = read(rfd, chunk, sizeof(chunk))) <= 0)
			continue;
		if (alen + (size_t)r > ANSWER_MAX) {
			err_set(errbuf, "ExaBGP's answer to '%.80s' is longer "
			    "than %u MB", cmd, ANSWER_MAX >> 20);
			goto done;
		}
		acc = xreallocarray(acc, alen + (size_t)r + 1, 1);
		memcpy(acc + alen, chunk, (size_t)r);
		alen += (size_t)r;
		acc[alen] = '\0';
		line = acc;
		while (!ended && (nl = memchr(line, '\n', alen - (size_t)(line -
		    acc))) != NULL) {
			*nl = '\0';
			/* Phase 1: skip to the answer of our "version". */
			if (synced == 0) {
				if (strncmp(line, "exabgp ", 7) == 0)
					synced = 1;
			} else if (synced == 1) {
				synced = strcmp(line, "done") == 0 ? 2 : 0;
			} else if (strcmp(line, "done") == 0) {
				rc = 0;
				ended = 1;
			} else if (strcmp(line, "error") == 0 ||
			    strcmp(line, "shutdown") == 0) {
				err_set(errbuf, "ExaBGP answered %s to '%.200s' "
				    "(its log says why)", line, cmd);
				ended = 1;
			} else {
				size_t n = strlen(line);

				while (olen + n + 2 > ocap)
					ocap *= 2;
				*out = xreallocarray(*out, ocap, 1);
				memcpy(*out + olen, line, n);
				olen += n;
				(*out)[olen++] = '\n';
				(*out)[olen] = '\0';
			}
			line = nl + 1;
		}
		alen -= (size_t)(line - acc);
		memmove(acc, line, alen);
	}
done:
	free(acc);
	if (wfd >= 0)
		close(wfd);
	if (rfd >= 0)
		close(rfd);	/* and its lock */
	return rc;
}

static const char *
proto_word(uint8_t p, char *buf, size_t len)
{
	switch (p) {
	case 1: return "icmp";
	case 6: return "tcp";
	case 17: return "udp";
	case 132: return "sctp";
	default: snprintf(buf, len, "%u", p); return buf;
	}
}

/* The text API command for r. */
static void
command(const struct mit_rule *r, int del, char *buf, size_t len)
{
	char p[64], s[64], pb[16];
	size_t i, o;

	prefix_format(&r->dst, p, sizeof(p));
	if (r->kind == MIT_RTBH) {
		o = (size_t)snprintf(buf, len, "%s route %s next-hop %s",
		    del ? "withdraw" : "announce", p, r->next_hop);
		if (!del) {
			o += (size_t)snprintf(buf + o, len - o, " community [");
			for (i = 0; i < r->ncomm && o < len; i++)
				o += (size_t)snprintf(buf + o, len - o, "%s%u:%u",
				    i ? " " : "", r->comm[i] >> 16,
				    r->comm[i] & 0xffff);
			if (o < len)
				snprintf(buf + o, len - o, "]");
		}
		return;
	}
	o = (size_t)snprintf(buf, len, "%s flow route { match { destination "
	    "%s;", del ? "withdraw" : "announce", p);
	if (r->src.addr.family != 0 && o < len)
		o += (size_t)snprintf(buf + o, len - o, " source %s;",
		    prefix_format(&r->src, s, sizeof(s)));
	if (r->proto != 0 && o < len)
		o += (size_t)snprintf(buf + o, len - o, " %s %s;",
		    r->dst.addr.family == 6 ? "next-header" : "protocol",
		    proto_word(r->proto, pb, sizeof(pb)));
	if (r->dport != 0 && o < len)
		o += (size_t)snprintf(buf + o, len - o, " destination-port =%u;",
		    r->dport);
	if (r->sport != 0 && o < len)
		o += (size_t)snprintf(buf + o, len - o, " source-port =%u;",
		    r->sport);
	if (o < len)
		o += (size_t)snprintf(buf + o, len - o, " }");
	if (!del && o < len) {
		if (r->rate == 0)
			o += (size_t)snprintf(buf + o, len - o,
			    " then { discard; }");
		else
			o += (size_t)snprintf(buf + o, len - o,
			    " then { rate-limit %llu; }",
			    (unsigned long long)r->rate);
	}
	if (o < len)
		snprintf(buf + o, len - o, " }");
}

int
exabgp_change(const struct mitigate_settings *cfg, const struct mit_rule *r,
    int del, char **out, char *errbuf)
{
	char cmd[1024];

	command(r, del, cmd, sizeof(cmd));
	return exabgp_cmd(cfg, cmd, out, errbuf);
}

/* ---- show adj-rib out extensive ------------------------------------ */

static void
keys_add(char ***keys, size_t *n, const char *k)
{
	size_t i;

	for (i = 0; i < *n; i++)	/* one line per neighbour */
		if (strcmp((*keys)[i], k) == 0)
			return;
	*keys = xreallocarray(*keys, *n + 1, sizeof(**keys));
	(*keys)[(*n)++] = xstrdup(k);
}

/* "=udp", "=17" -> the protocol; -1 otherwise. */
static int
proto_value(const char *t)
{
	static const struct { const char *n; int v; } names[] = {
		{ "icmp", 1 }, { "igmp", 2 }, { "tcp", 6 }, { "egp", 8 },
		{ "udp", 17 }, { "rsvp", 46 }, { "gre", 47 }, { "esp", 50 },
		{ "ah", 51 }, { "ospf", 89 }, { "ipip", 94 }, { "pim", 103 },
		{ "sctp", 132 },
	};
	size_t i;
	char *end;
	long v;

	if (*t++ != '=')
		return -1;
	for (i = 0; i < NITEMS(names); i++)
		if (strcmp(t, names[i].n) == 0)
			return names[i].v;
	v = strtol(t, &end, 10);
	return *t != '\0' && *end == '\0' && v >= 0 && v <= 255 ? (int)v : -1;
}

/* "=123" -> the port; -1 otherwise. */
static long
port_value(const char *t)
{
	char *end;
	long v;

	if (*t++ != '=' || *t == '\0')
		return -1;
	v = strtol(t, &end, 10);
	return *end == '\0' && v >= 0 && v <= 65535 ? v : -1;
}

/* "P/len" or (IPv6 FlowSpec) "P/len/0" -> prefix; 0 or -1. */
static int
flow_prefix(char *t, struct prefix *p)
{
	char *s = strchr(t, '/');

	if (s != NULL && (s = strchr(s + 1, '/')) != NULL) {
		if (strcmp(s, "/0") != 0)
			return -1;	/* an offset kyocho never asks for */
		*s = '\0';
	}
	return prefix_parse(t, p);
}

/*
 * The key of one adj-rib-out line ("neighbor ... ipv4 unicast P
 * next-hop NH community [ ... blackhole ]", "neighbor ... ipv4 flow flow
 * destination-ipv4 P protocol =udp source-port =123 extended-community
 * ..."), "" when it is not a route of kyocho's form. Modifies line.
 */
static void
line_key(char *line, char *key, size_t klen)
{
	char *tok[TOK_MAX], *save = NULL, *t;
	struct mit_rule r;
	size_t n = 0, i, j;
	long v;
	int fam = 0;

	key[0] = '\0';
	for (t = strtok_r(line, " \t", &save); t != NULL && n < TOK_MAX;
	    t = strtok_r(NULL, " \t", &save))
		tok[n++] = t;
	for (i = 0; i + 2 < n; i++)
		if ((strcmp(tok[i], "ipv4") == 0 || strcmp(tok[i], "ipv6") ==
		    0) && (strcmp(tok[i + 1], "unicast") == 0 ||
		    strcmp(tok[i + 1], "flow") == 0))
			break;
	if (i + 2 >= n)
		return;
	fam = tok[i][3] == '4' ? 4 : 6;
	memset(&r, 0, sizeof(r));
	if (strcmp(tok[i + 1], "unicast") == 0) {
		int bh = 0;

		r.kind = MIT_RTBH;
		if (prefix_parse(tok[i + 2], &r.dst) != 0 ||
		    r.dst.addr.family != fam)
			return;
		for (j = i + 3; j + 1 < n; j++) {
			if (strcmp(tok[j], "community") != 0)
				continue;
			if (strcmp(tok[j + 1], "[") != 0) {
				bh = strcmp(tok[j + 1], "blackhole") == 0 ||
				    strcmp(tok[j + 1], "65535:666") == 0;
				break;
			}
			for (j += 2; j < n && strcmp(tok[j], "]") != 0; j++)
				if (strcmp(tok[j], "blackhole") == 0 ||
				    strcmp(tok[j], "65535:666") == 0)
					bh = 1;
			break;
		}
		if (bh)
			mit_rule_key(&r, key, klen);
		return;
	}
	r.kind = MIT_FLOWSPEC;
	j = i + 2;
	if (strcmp(tok[j], "flow") == 0)
		j++;
	for (; j + 1 < n; j += 2) {
		t = tok[j];
		if (strncmp(t, "destination-ipv", 15) == 0 ||
		    strncmp(t, "source-ipv", 10) == 0) {
			if (flow_prefix(tok[j + 1], t[0] == 'd' ? &r.dst :
			    &r.src) != 0)
				return;
		} else if (strcmp(t, "protocol") == 0 ||
		    strcmp(t, "next-header") == 0) {
			if ((v = proto_value(tok[j + 1])) < 0)
				return;
			r.proto = (uint8_t)v;
		} else if (strcmp(t, "destination-port") == 0 ||
		    strcmp(t, "source-port") == 0) {
			if ((v = port_value(tok[j + 1])) < 0)
				return;
			if (t[0] == 'd')
				r.dport = (uint16_t)v;
			else
				r.sport = (uint16_t)v;
		} else if (strcmp(t, "port") == 0 || strcmp(t, "icmp-type") ==
		    0 || strcmp(t, "icmp-code") == 0 || strcmp(t,
		    "tcp-flags") == 0 || strcmp(t, "packet-length") == 0 ||
		    strcmp(t, "dscp") == 0 || strcmp(t, "fragment") == 0 ||
		    strcmp(t, "flow-label") == 0 || strcmp(t, "traffic-class")
		    == 0 || strcmp(t, "rd") == 0)
			return;		/* a component kyocho never sends */
		else
			break;		/* the attributes begin */
	}
	if (r.dst.addr.family != fam)
		return;
	mit_rule_key(&r, key, klen);
}

int
exabgp_rib(const struct mitigate_settings *cfg, char ***keys, size_t *n,
    char *errbuf)
{
	char *out, *line, *save = NULL, key[MIT_KEY_LEN];

	*keys = NULL;
	*n = 0;
	if (exabgp_cmd(cfg, "show adj-rib out extensive", &out, errbuf) != 0) {
		free(out);
		return -1;
	}
	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		line_key(line, key, sizeof(key));
		if (key[0] != '\0')
			keys_add(keys, n, key);
	}
	free(out);
	return 0;
}
