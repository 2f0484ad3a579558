/*
 * draft.c -- escalation drafts from templates. See draft.h.
 *
 * Rendering is a single pass over the template: text is copied, each
 * {{name}} is replaced by its value, made safe (no control characters, so
 * nothing from the evidence can add a mail header or an escape sequence).
 * Values come from the incident's journal (the latest evidence event),
 * the configuration and the caller's parameters.
 */
#include "case/draft.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/defang.h"
#include "base/fmt.h"
#include "base/proc.h"
#include "case/evidence.h"
#include "base/util.h"

#define VAL_MAX 8192

char *
draft_time_local(char *buf, size_t len, int64_t us, int offset_s,
    const char *zone)
{
	time_t t = (time_t)(us / 1000000 + offset_s);
	struct tm tm;
	int a = offset_s < 0 ? -offset_s : offset_s;

	if (gmtime_r(&t, &tm) == NULL) {
		snprintf(buf, len, "?");
		return buf;
	}
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d %s%s(UTC%c%02d:%02d)",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, zone != NULL ? zone : "",
	    zone != NULL && *zone != '\0' ? " " : "", offset_s < 0 ? '-' : '+',
	    a / 3600, a % 3600 / 60);
	return buf;
}

struct rctx {
	const struct incident *inc;
	const struct incident_kinds *kinds;
	const struct draft_settings *ds;
	const struct draft_params *p;
	const struct ev_evidence *ev;	/* the latest evidence, or NULL */
	const struct json *evj;		/* its JSON (the ingress list), or NULL */
	int ja;
};

/* A phrase in the draft's language: en, ja, es, pt (others: en). */
static const char *
T(const struct rctx *c, const char *en, const char *ja, const char *es,
    const char *pt)
{
	const char *l = c->p->lang != NULL ? c->p->lang : "en";

	if (strcmp(l, "ja") == 0)
		return ja;
	if (strcmp(l, "es") == 0)
		return es;
	if (strcmp(l, "pt") == 0)
		return pt;
	return en;
}

static const char *
none(const struct rctx *c)
{
	return T(c, "(not recorded)", "（記録なし）", "(sin registro)",
	    "(sem registro)");
}

/* s padded with spaces to w display columns (or right-aligned), into d. */
static void
pad(char *d, size_t len, const char *s, size_t w, int right)
{
	size_t sw = utf8_width(s, strlen(s)), n = sw < w ? w - sw : 0;

	if (right)
		snprintf(d, len, "%*s%s", (int)n, "", s);
	else
		snprintf(d, len, "%s%*s", s, (int)n, "");
}

/* The evidence's time s (RFC 3339 or NULL); is_end: "end" (none yet:
 * ongoing). */
static void
put_time(const struct rctx *c, char *v, size_t len, const char *s,
    int is_end, int local)
{
	int64_t us;

	if (s == NULL || time_parse_rfc3339(s, &us) != 0) {
		snprintf(v, len, "%s", is_end && c->ev != NULL ?
		    T(c, "ongoing", "継続中", "en curso", "em andamento") :
		    none(c));
		return;
	}
	if (!local)
		draft_time_local(v, len, us, 0, "UTC");
	else if (c->p->tz_name == NULL)
		snprintf(v, len, "%s", T(c, "(recipient's zone not known)",
		    "（相手の時間帯は不明）", "(zona horaria del destinatario "
		    "desconocida)", "(fuso horário do destinatário desconhecido)"));
	else
		draft_time_local(v, len, us, c->p->tz_offset_s, c->p->tz_name);
}

/* The attack's window, start to end (or "ongoing"), in UTC (local 0) or
 * in the recipient's zone. */
static void
put_window(const struct rctx *c, char *v, size_t len, int local)
{
	char a[96], b[96];

	put_time(c, a, sizeof(a), c->ev != NULL ? c->ev->start : NULL, 0,
	    local);
	if (local && c->p->tz_name == NULL) {
		snprintf(v, len, "%s", a);
		return;
	}
	put_time(c, b, sizeof(b), c->ev != NULL ? c->ev->end : NULL, 1,
	    local);
	snprintf(v, len, "%s -- %s", a, b);
}

/* Our link on which the recipient hands us the attack: the ingress
 * neighbour whose contact is the recipient's, else the evidence's
 * busiest link. */
static void
put_our_link(const struct rctx *c, char *v, size_t len)
{
	struct evidence_hop h[EVIDENCE_HOPS];
	size_t n = evidence_hops(c->evj, h, EVIDENCE_HOPS), i;
	const char *l = c->ev != NULL ? c->ev->link : NULL;

	for (i = 0; i < n && c->p->contact_id != NULL; i++)
		if (h[i].contact != NULL && h[i].link != NULL &&
		    strcmp(h[i].contact, c->p->contact_id) == 0) {
			l = h[i].link;
			break;
		}
	snprintf(v, len, "%s", l != NULL ? l : "-");
}

/* What to match in a filter: the protocol (and port) of the attack. */
static void
put_protocol(const struct rctx *c, char *v, size_t len)
{
	const char *k = c->ev != NULL && c->ev->attack != NULL ?
	    c->ev->attack : "";
	int64_t port = c->ev != NULL ? c->ev->top_port : 0;

	if (strcmp(k, "syn_flood") == 0)
		snprintf(v, len, "TCP SYN");
	else if (strcmp(k, "udp_flood") == 0)
		snprintf(v, len, "UDP");
	else if (strcmp(k, "icmp_flood") == 0)
		snprintf(v, len, "ICMP");
	else if (strcmp(k, "fragment_flood") == 0)
		snprintf(v, len, "%s", T(c, "IP fragments", "IPフラグメント",
		    "fragmentos IP", "fragmentos IP"));
	else if (strcmp(k, "amplification") == 0)
		snprintf(v, len, "UDP");
	else
		snprintf(v, len, "%s", T(c, "mixed", "混合", "mixto", "misto"));
	if (port > 0 && port <= 65535) {
		size_t u = strlen(v);

		snprintf(v + u, len - u, "%s %lld", strcmp(k,
		    "amplification") == 0 ? T(c, ", source port",
		    "、送信元ポート", ", puerto de origen", ", porta de origem") :
		    T(c, ", port", "、ポート", ", puerto", ", porta"),
		    (long long)port);
	}
}

/* The peak rates: all, then each protocol that had any. */
static void
put_rates(const struct rctx *c, char *v, size_t len)
{
	static const char *const names[] = { "SYN", "UDP", "ICMP", "frag" };
	const uint64_t rates[] = { c->ev->syn_pps, c->ev->udp_pps,
	    c->ev->icmp_pps, c->ev->frag_pps };
	char a[32], b[32];
	size_t i, u;

	fmt_si_unit(a, sizeof(a), c->ev->peak_pps, "packets/s",
	    FMT_SI_TRUNC1 | FMT_SI_SPACE);
	fmt_si_unit(b, sizeof(b), c->ev->peak_bps, "bit/s",
	    FMT_SI_TRUNC1 | FMT_SI_SPACE);
	snprintf(v, len, "%s %s, %s", T(c, "peak", "最大", "pico", "pico"),
	    a, b);
	for (i = 0; i < 4; i++) {
		uint64_t x = rates[i];

		if (x == 0)
			continue;
		fmt_si_unit(a, sizeof(a), x, "pps", FMT_SI_TRUNC1 | FMT_SI_SPACE);
		u = strlen(v);
		snprintf(v + u, len - u, "; %s %s", names[i], a);
	}
}

/* Placeholders whose values are several lines (each already sanitized). */
static int
multiline(const char *name)
{
	return strcmp(name, "spoof_evidence") == 0 ||
	    strcmp(name, "top_sources") == 0 ||
	    strcmp(name, "site.addresses") == 0;
}

/* A time in UTC (local 0) or the recipient's zone, "" for none. */
static void
put_us(const struct rctx *c, char *v, size_t len, int64_t us, int local)
{
	char ts[40];

	if (us == 0) {
		snprintf(v, len, "%s", none(c));
		return;
	}
	put_time(c, v, len, time_rfc3339(ts, sizeof(ts), us, 0), 0, local);
}

/*
 * The phishing site's placeholders (site.url, site.host: defanged;
 * site.brand; site.first_seen.utc/.local; site.lookup.utc/.local: when
 * the last lookup was made; site.addresses: one line per address with
 * AS, country and abuse address; site.registrar; site.registrar_abuse).
 * -1 if the name is unknown.
 */
static int
site_value(const struct rctx *c, const char *name, char *v, size_t len)
{
	const struct incident_event *se = incident_site_event(c->inc);
	const struct incident_event *le = incident_last_lookup(c->inc);
	const struct ev_site *st = se != NULL ? &se->ev.u.site : NULL;
	const struct ev_lookup *l = le != NULL ? &le->ev.u.lookup : NULL;
	size_t i, off = 0;

	if (strcmp(name, "url") == 0 || strcmp(name, "host") == 0) {
		const char *x = st == NULL ? "" : name[0] == 'u' ? st->url :
		    st->host;

		if (*x == '\0')
			snprintf(v, len, "%s", none(c));
		else
			defang(x, v, len);
	} else if (strcmp(name, "brand") == 0)
		snprintf(v, len, "%s", st != NULL && *st->brand ? st->brand :
		    none(c));
	else if (strcmp(name, "first_seen.utc") == 0 ||
	    strcmp(name, "first_seen.local") == 0)
		put_us(c, v, len, st != NULL ? (st->first_seen_us ?
		    st->first_seen_us : se->ts_us) : 0, name[11] == 'l');
	else if (strcmp(name, "lookup.utc") == 0 ||
	    strcmp(name, "lookup.local") == 0)
		put_us(c, v, len, l != NULL ? (l->at_us ? l->at_us :
		    le->ts_us) : 0, name[7] == 'l');
	else if (strcmp(name, "registrar") == 0)
		snprintf(v, len, "%s", l != NULL && *l->registrar ?
		    l->registrar : none(c));
	else if (strcmp(name, "registrar_abuse") == 0)
		snprintf(v, len, "%s", l != NULL && *l->registrar_abuse ?
		    l->registrar_abuse : none(c));
	else if (strcmp(name, "addresses") == 0) {
		v[0] = '\0';
		for (i = 0; l != NULL && i < l->naddrs && off < len; i++) {
			const struct ev_lookup_addr *x = &l->addrs[i];
			char a[ADDR_STRLEN * 4], as[160], cc[16], ab[300];
			const char *ad = x->addr != NULL ? x->addr : "?";

			defang(ad, a, sizeof(a));
			text_sanitize(as, sizeof(as), x->as_name,
			    strlen(x->as_name));
			text_sanitize(cc, sizeof(cc), x->cc, strlen(x->cc));
			text_sanitize(ab, sizeof(ab), x->abuse,
			    strlen(x->abuse));
			off += (size_t)snprintf(v + off, len - off,
			    "%s  %s  AS%lld %s  %s%s%s", off ? "\n" : "", a,
			    (long long)x->asn, cc, as, *ab ? "  abuse: " : "",
			    ab);
		}
		if (l == NULL || l->naddrs == 0)
			snprintf(v, len, "  %s", l != NULL && *l->status ?
			    l->status : none(c));
	} else
		return -1;
	return 0;
}

/* The value of placeholder name into v; -1 if the name is unknown. */
static int
value(const struct rctx *c, const char *name, char *v, size_t len)
{
	const struct incident *inc = c->inc;
	const struct draft_settings *o = c->ds;
	char tmp[64];
	size_t i, off;

#define CFG(x, def) snprintf(v, len, "%s", (x) != NULL ? (x) : (def))
#define EVS(f) (c->ev != NULL ? c->ev->f : NULL)
	if (strcmp(name, "incident.id") == 0)
		snprintf(v, len, "%s", inc->id);
	else if (strcmp(name, "incident.title") == 0)
		snprintf(v, len, "%s", inc->title);
	else if (strcmp(name, "incident.kind") == 0)
		snprintf(v, len, "%s", incident_kind_name(c->kinds, inc->kind,
		    c->p->lang));
	else if (strcmp(name, "tlp") == 0)
		snprintf(v, len, "%s", inc->tlp);
	else if (strcmp(name, "org") == 0)
		CFG(o->org, "(set org in the configuration)");
	else if (strcmp(name, "operator") == 0) {
		char who[256];

		CFG(o->operator, login_name(who, sizeof(who)) !=
		    NULL ? who : "(operator)");
	}
	else if (strcmp(name, "noc_email") == 0)
		CFG(o->noc_email, "(set noc-email)");
	else if (strcmp(name, "noc_phone") == 0)
		CFG(o->noc_phone, "(set noc-phone)");
	else if (strcmp(name, "pgp") == 0)
		CFG(o->pgp, "-");
	else if (strcmp(name, "to") == 0)
		CFG(c->p->to, "");
	else if (strcmp(name, "recipient") == 0)
		CFG(c->p->whom != NULL && *c->p->whom != '\0' ? c->p->whom :
		    NULL, T(c, "colleagues", "ご担当者", "colegas", "colegas"));
	else if (strcmp(name, "recipient_zone") == 0)
		CFG(c->p->tz_name, "UTC");
	else if (strcmp(name, "target") == 0)
		CFG(EVS(target), none(c));
	else if (strcmp(name, "attack") == 0)
		CFG(EVS(attack), none(c));
	else if (strcmp(name, "direction") == 0)
		CFG(EVS(direction), none(c));
	else if (strcmp(name, "spoofing") == 0)
		CFG(EVS(spoofing), none(c));
	else if (strcmp(name, "link") == 0)
		CFG(EVS(link), "-");
	else if (strcmp(name, "start.utc") == 0)
		put_time(c, v, len, EVS(start), 0, 0);
	else if (strcmp(name, "start.local") == 0)
		put_time(c, v, len, EVS(start), 0, 1);
	else if (strcmp(name, "end.utc") == 0)
		put_time(c, v, len, EVS(end), 1, 0);
	else if (strcmp(name, "end.local") == 0)
		put_time(c, v, len, EVS(end), 1, 1);
	else if (strcmp(name, "last.utc") == 0)
		put_time(c, v, len, EVS(last), 0, 0);
	else if (strcmp(name, "window.utc") == 0)
		put_window(c, v, len, 0);
	else if (strcmp(name, "window.local") == 0)
		put_window(c, v, len, 1);
	else if (strcmp(name, "our_link") == 0)
		put_our_link(c, v, len);
	else if (strcmp(name, "route") == 0)
		evidence_route(c->evj, v, len);
	else if (strcmp(name, "protocol") == 0)
		put_protocol(c, v, len);
	else if (strcmp(name, "rates") == 0) {
		if (c->ev == NULL)
			CFG(NULL, none(c));
		else
			put_rates(c, v, len);
	}
	else if (strcmp(name, "peak_pps") == 0) {
		if (c->ev == NULL)
			CFG(NULL, none(c));
		else
			fmt_si_unit(v, len, c->ev->peak_pps,
			    "packets/s", FMT_SI_TRUNC1 | FMT_SI_SPACE);
	} else if (strcmp(name, "peak_bps") == 0) {
		if (c->ev == NULL)
			CFG(NULL, none(c));
		else
			fmt_si_unit(v, len, c->ev->peak_bps,
			    "bit/s", FMT_SI_TRUNC1 | FMT_SI_SPACE);
	} else if (strcmp(name, "sources_est") == 0) {
		if (c->ev == NULL)
			CFG(NULL, none(c));
		else
			snprintf(v, len, "%lld", (long long)c->ev->sources_est);
	} else if (strcmp(name, "top_port") == 0) {
		int64_t port = c->ev != NULL ? c->ev->top_port : 0;

		if (port > 0)
			snprintf(v, len, "%lld", (long long)port);
		else
			snprintf(v, len, "-");
	} else if (strcmp(name, "spoof_evidence") == 0) {
		size_t na = c->ev != NULL ? c->ev->nspoof_evidence : 0;

		off = 0;
		v[0] = '\0';
		for (i = 0; i < na && off < len; i++) {
			const char *it = c->ev->spoof_evidence[i] != NULL ?
			    c->ev->spoof_evidence[i] : "?";
			char safe[ALERT_EVIDENCE_LEN * 3];

			/* Each item sanitized on its own: its line breaks
			 * cannot start a new line of the draft. */
			text_sanitize(safe, sizeof(safe), it, strlen(it));
			off += (size_t)snprintf(v + off, len - off, "%s  - %s",
			    i ? "\n" : "", safe);
		}
		if (na == 0)
			CFG(NULL, "  -");
	} else if (strcmp(name, "top_sources") == 0) {
		size_t na = c->ev != NULL ? c->ev->ntop : 0;

		{
			char h1[128], h2[64], h3[64];

			pad(h1, sizeof(h1), T(c, "source address",
			    "送信元アドレス", "dirección de origen",
			    "endereço de origem"), 39, 0);
			pad(h2, sizeof(h2), T(c, "packets", "パケット",
			    "paquetes", "pacotes"), 12, 1);
			pad(h3, sizeof(h3), T(c, "share", "割合", "parte",
			    "parcela"), 6, 1);
			off = (size_t)snprintf(v, len, "  %s %s %s  %-8s %s", h1,
			    h2, h3, "ASN", T(c, "country", "国", "país", "país"));
		}
		for (i = 0; i < na && off < len; i++) {
			const struct ev_source *t = &c->ev->top[i];
			int64_t pm = t->share_pm;
			const char *addr = t->addr != NULL ? t->addr : "?";
			const char *tcc = t->cc != NULL ? t->cc : "-";
			char ad[ADDR_STRLEN * 3], cc[32];

			text_sanitize(ad, sizeof(ad), addr, strlen(addr));
			text_sanitize(cc, sizeof(cc), tcc, strlen(tcc));
			if (pm < 0)
				pm = 0;

			snprintf(tmp, sizeof(tmp), "AS%lld", (long long)t->asn);
			off += (size_t)snprintf(v + off, len - off,
			    "\n  %-39s %12lld %3lld.%lld%%  %-8s %s",
			    ad, (long long)t->packets,
			    (long long)(pm / 10), (long long)(pm % 10),
			    t->asn > 0 ? tmp : "-", cc);
		}
		if (na == 0)
			off += (size_t)snprintf(v + off, off < len ? len - off : 0,
			    "\n  %s", none(c));
	} else if (strncmp(name, "site.", 5) == 0)
		return site_value(c, name + 5, v, len);
	else
		return -1;
#undef CFG
#undef EVS
	return 0;
}

/*
 * Write a value made safe: no control characters, so a single-line value
 * can never add a line (a mail header). Multi-line values keep the line
 * breaks value() put between their sanitized items.
 */
static void
append_safe(FILE *f, const char *v, int lines)
{
	char clean[VAL_MAX];

	if (!lines) {
		text_sanitize(clean, sizeof(clean), v, strlen(v));
		fputs(clean, f);
		return;
	}
	for (;;) {
		const char *nl = strchr(v, '\n');
		size_t n = nl != NULL ? (size_t)(nl - v) : strlen(v);

		text_sanitize(clean, sizeof(clean), v, n);
		fputs(clean, f);
		if (nl == NULL)
			break;
		fputc('\n', f);
		v = nl + 1;
	}
}

char *
draft_render(const char *t, size_t len, const char *tpath,
    const struct incident *inc, const struct incident_kinds *kinds,
    const struct draft_settings *ds, const struct draft_params *p,
    char *errbuf)
{
	struct rctx c;
	const struct incident_event *e = incident_last_evidence(inc);
	char *out = NULL, *v;
	size_t olen = 0, off = 0, bad;
	unsigned line = 1;
	FILE *f;

	memset(&c, 0, sizeof(c));
	c.inc = inc;
	c.kinds = kinds;
	c.ds = ds;
	c.p = p;
	c.ev = e != NULL ? &e->ev.u.evidence : NULL;
	c.evj = e != NULL ? e->j : NULL;
	c.ja = p->lang != NULL && strcmp(p->lang, "ja") == 0;
	if (!utf8_valid(t, len, &bad)) {
		err_set(errbuf, "%s: invalid UTF-8 at byte %zu", tpath, bad + 1);
		return NULL;
	}
	{
		/* A NUL is valid UTF-8 but would end the draft there when it
		 * is written and mailed: say where it is instead. */
		const char *nul = memchr(t, '\0', len);
		size_t k;

		if (nul != NULL) {
			for (k = 0; k < (size_t)(nul - t); k++)
				line += t[k] == '\n';
			err_set(errbuf, "%s:%u: a NUL byte at byte %zu (templates "
			    "are text)", tpath, line, (size_t)(nul - t) + 1);
			return NULL;
		}
	}
	if ((f = open_memstream(&out, &olen)) == NULL)
		fatal("open_memstream: %s", strerror(errno));
	v = xmalloc(VAL_MAX);
	while (off < len) {
		const char *open = len - off >= 2 ? memmem(t + off, len - off,
		    "{{", 2) : NULL;
		const char *close;
		char name[64];
		size_t k, nlen;

		if (open == NULL) {
			fwrite(t + off, 1, len - off, f);
			break;
		}
		for (k = off; k < (size_t)(open - t); k++)
			line += t[k] == '\n';
		fwrite(t + off, 1, (size_t)(open - t) - off, f);
		close = memmem(open + 2, len - (size_t)(open + 2 - t), "}}", 2);
		nlen = close != NULL ? (size_t)(close - open - 2) : 0;
		if (close == NULL || nlen == 0 || nlen >= sizeof(name) ||
		    memchr(open + 2, '\n', nlen) != NULL) {
			err_set(errbuf, "%s:%u: '{{' without a matching '}}' on "
			    "the same line", tpath, line);
			goto fail;
		}
		memcpy(name, open + 2, nlen);
		name[nlen] = '\0';
		if (value(&c, name, v, VAL_MAX) != 0) {
			char safe[128];

			text_sanitize(safe, sizeof(safe), name, nlen);
			err_set(errbuf, "%s:%u: unknown placeholder {{%s}}", tpath,
			    line, safe);
			goto fail;
		}
		append_safe(f, v, multiline(name));
		off = (size_t)(close + 2 - t);
	}
	fclose(f);
	free(v);
	return out;
fail:
	fclose(f);
	free(out);
	free(v);
	return NULL;
}

static char *
read_file(const char *path, size_t *len, char *errbuf)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	if (f == NULL) {
		err_set(errbuf, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = xmalloc(256 * 1024 + 1);
	*len = fread(buf, 1, 256 * 1024, f);
	if (ferror(f) || !feof(f)) {
		err_set(errbuf, "%s: unreadable or larger than 256 KiB", path);
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[*len] = '\0';
	return buf;
}

char *
draft_create(struct incident_store *s, struct incident *inc,
    const struct draft_settings *ds, const struct draft_params *p,
    char *errbuf)
{
	struct incident_kinds kinds;
	char *rel = NULL, *tpath = NULL, *kpath, *t = NULL, *text = NULL;
	char *dir = NULL, *path = NULL, *shown, err[ERRBUF_SIZE];
	size_t tlen, i;
	int fd = -1, n;

	memset(&kinds, 0, sizeof(kinds));
	for (i = 0; p->template_id[i] != '\0'; i++)
		if (!((p->template_id[i] >= 'a' && p->template_id[i] <= 'z') ||
		    p->template_id[i] == '-' || (p->template_id[i] >= '0' &&
		    p->template_id[i] <= '9'))) {
			err_set(errbuf, "template names are lower-case letters, "
			    "digits and '-'");
			return NULL;
		}
	if (strcmp(p->lang, "en") != 0 && strcmp(p->lang, "ja") != 0 &&
	    strcmp(p->lang, "ru") != 0 && strcmp(p->lang, "es") != 0 &&
	    strcmp(p->lang, "pt") != 0) {
		err_set(errbuf, "language must be en, ja, ru, es or pt");
		return NULL;
	}
	rel = xasprintf("templates/%s.%s.txt", p->template_id, p->lang);
	if ((tpath = ds->data_path(ds->data_ctx, rel, errbuf)) == NULL)
		goto out;
	if ((t = read_file(tpath, &tlen, errbuf)) == NULL)
		goto out;
	if ((kpath = ds->data_path(ds->data_ctx, "incident-kinds.txt",
	    err)) != NULL) {
		if (incident_kinds_load(&kinds, kpath, err) != 0)
			memset(&kinds, 0, sizeof(kinds));
		free(kpath);
	}
	{
		/* Who writes: the configured operator, else the store's. */
		struct draft_settings ds2 = *ds;

		if (ds2.operator == NULL)
			ds2.operator = incident_store_operator(s);
		text = draft_render(t, tlen, tpath, inc, &kinds, &ds2, p,
		    errbuf);
	}
	if (text == NULL)
		goto out;
	dir = xasprintf("%s/drafts", incident_store_state_dir(s));
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		err_set(errbuf, "%s: %s", dir, strerror(errno));
		goto out;
	}
	for (n = 1; n < 10000; n++) {
		free(path);
		path = xasprintf("%s/%s-%s-%s-%d.txt", dir, inc->id,
		    p->template_id, p->lang, n);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0) {
		err_set(errbuf, "%s: %s", path, strerror(errno));
		free(path);
		path = NULL;
		goto out;
	}
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text) ||
	    fsync(fd) != 0) {
		err_set(errbuf, "%s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		free(path);
		path = NULL;
		goto out;
	}
	close(fd);
	/* The journal keeps the real path: with -Z the store is reached as
	 * "." (ds->state_label, views/shell.c), which means nothing to a
	 * later reader. The caller gets the path it can open. */
	shown = ds->state_label != NULL && strncmp(path, "./", 2) == 0 ?
	    xasprintf("%s/%s", ds->state_label, path + 2) : xstrdup(path);
	if (incident_draft_saved(s, inc, shown, p->template_id, p->lang,
	    p->contact_id, errbuf) != 0) {
		free(path);
		path = NULL;
	}
	free(shown);
out:
	incident_kinds_free(&kinds);
	free(rel);
	free(tpath);
	free(t);
	free(text);
	free(dir);
	return path;
}

int
draft_edit(const char *path, char *errbuf)
{
	const char *ed = getenv("VISUAL");
	char *copy, *argv[18], *tok, *save;
	int n = 0, rc;

	if (ed == NULL || *ed == '\0')
		ed = getenv("EDITOR");
	if (ed == NULL || *ed == '\0')
		ed = "vi";
	copy = xstrdup(ed);
	for (tok = strtok_r(copy, " \t", &save); tok != NULL && n < 16;
	    tok = strtok_r(NULL, " \t", &save))
		argv[n++] = tok;
	argv[n++] = (char *)path;
	argv[n] = NULL;
	rc = proc_run(argv, -1, errbuf);
	free(copy);
	return rc == PROC_NOT_RUN ? -1 : rc;
}

int
draft_sendmail(const char *path, const char *sendmail_path, char *errbuf)
{
	char *argv[4];
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return err_set(errbuf, "%s: %s", path, strerror(errno));
	argv[0] = (char *)(sendmail_path != NULL ? sendmail_path :
	    "/usr/sbin/sendmail");
	argv[1] = "-t";
	argv[2] = "-i";
	argv[3] = NULL;
	rc = proc_run(argv, fd, errbuf);
	close(fd);
	if (rc > 0)
		return err_set(errbuf, "sendmail exited with status %d", rc);
	return rc < 0 ? -1 : 0;
}
