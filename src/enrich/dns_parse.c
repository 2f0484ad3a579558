/*
 * dns_parse.c -- the answers' parsers: Team Cymru's and abusix's TXT
 * records, answer TTLs and question sections of DNS messages (RFC 1035),
 * and the question names asked. Every byte here came off the network:
 * fields are validated, bounded and sanitized. See dns.c for the formats.
 */
#include "enrich/dns_impl.h"

#include <arpa/nameser.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/rd.h"
#include "base/util.h"
#include "base/validate.h"

/* ---- validation and parsing of answers --------------------------------- */

/* Split rec at sep into trimmed fields (at most max; the last one takes
 * the rest). Returns the number of fields. */
static size_t
split(const char *rec, size_t len, char sep, const char **f, size_t *fl,
    size_t max)
{
	size_t n = 0, start = 0, i;

	for (i = 0; i <= len && n < max; i++) {
		if (i < len && (rec[i] != sep || n == max - 1))
			continue;
		f[n] = rec + start;
		fl[n] = i - start;
		while (fl[n] > 0 && (*f[n] == ' ' || *f[n] == '\t')) {
			f[n]++;
			fl[n]--;
		}
		while (fl[n] > 0 && (f[n][fl[n] - 1] == ' ' ||
		    f[n][fl[n] - 1] == '\t'))
			fl[n]--;
		n++;
		start = i + 1;
	}
	return n;
}

static int
num_u32(const char *s, size_t n, uint32_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0 || n > 10)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v == 0 || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/*
 * Empty, or two letters (stored upper case). Only the shape is checked
 * (validate_country_letters, not validate_country): the RIRs' delegation
 * files that Team Cymru serves also use EU and AP.
 */
static int
country_ok(const char *s, size_t n, char cc[3])
{
	cc[0] = '\0';
	if (n == 0)
		return 0;
	if (!validate_country_letters(s, n))
		return -1;
	cc[0] = (char)toupper((unsigned char)s[0]);
	cc[1] = (char)toupper((unsigned char)s[1]);
	cc[2] = '\0';
	return 0;
}

static int
registry_ok(const char *s, size_t n, char *out, size_t outlen)
{
	size_t i;

	out[0] = '\0';
	if (n >= outlen)
		return -1;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return -1;
	for (i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[n] = '\0';
	return 0;
}

/* A short, safe rendering of untrusted bytes for an error message. */
const char *
dns_shown(char *buf, size_t len, const char *s, size_t n)
{
	text_sanitize(buf, len, s, n);
	return buf;
}

int
dns_parse_origin(const uint8_t *record, size_t len, struct dns_result *r)
{
	const char *rec = (const char *)record, *f[6], *a[DNS_MAX_ORIGINS + 1];
	size_t fl[6], al[DNS_MAX_ORIGINS + 1], n, na, i;
	char tmp[64], show[40];
	struct prefix p;

	if (len > TXT_MAX)
		return snprintf(r->err, sizeof(r->err), "TXT record over %d "
		    "bytes", TXT_MAX), -1;
	n = split(rec, len, '|', f, fl, 6);
	if (n < 3 || n > 5)
		return snprintf(r->err, sizeof(r->err), "%zu fields; want ASN | "
		    "PREFIX | CC | REGISTRY | DATE", n), -1;
	na = split(f[0], fl[0], ' ', a, al, DNS_MAX_ORIGINS + 1);
	r->nasns = 0;
	for (i = 0; i < na && r->nasns < DNS_MAX_ORIGINS; i++) {
		if (al[i] == 0)
			continue;	/* doubled spaces */
		if (num_u32(a[i], al[i], &r->asns[r->nasns]) != 0) {
			snprintf(r->err, sizeof(r->err), "origin AS '%s' is not "
			    "a number 1-4294967295",
			    dns_shown(show, sizeof(show), a[i], al[i]));
			return -1;
		}
		r->nasns++;
	}
	if (r->nasns == 0)
		return snprintf(r->err, sizeof(r->err), "no origin AS"), -1;
	if (fl[1] == 0 || fl[1] >= sizeof(tmp) ||
	    memchr(f[1], '/', fl[1]) == NULL)
		goto badprefix;
	memcpy(tmp, f[1], fl[1]);
	tmp[fl[1]] = '\0';
	if (prefix_parse(tmp, &p) != 0)
		goto badprefix;
	if (r->addr.family != 0 && !prefix_contains(&p, &r->addr)) {
		snprintf(r->err, sizeof(r->err), "prefix %s does not hold the "
		    "address asked about", tmp);
		return -1;
	}
	r->pfx = p;
	if (country_ok(f[2], fl[2], r->country) != 0) {
		snprintf(r->err, sizeof(r->err), "country '%s' is not two "
		    "letters", dns_shown(show, sizeof(show), f[2], fl[2]));
		return -1;
	}
	if (n >= 4 && registry_ok(f[3], fl[3], r->registry,
	    sizeof(r->registry)) != 0) {
		snprintf(r->err, sizeof(r->err), "registry '%s' is not a word",
		    dns_shown(show, sizeof(show), f[3], fl[3]));
		return -1;
	}
	return 0;
badprefix:
	snprintf(r->err, sizeof(r->err), "prefix '%s' is not a CIDR prefix",
	    dns_shown(show, sizeof(show), f[1], fl[1]));
	return -1;
}

int
dns_parse_asname(const uint8_t *record, size_t len, struct dns_result *r)
{
	const char *rec = (const char *)record, *f[5];
	size_t fl[5], n;
	uint32_t asn;
	char show[40];

	if (len > TXT_MAX)
		return snprintf(r->err, sizeof(r->err), "TXT record over %d "
		    "bytes", TXT_MAX), -1;
	n = split(rec, len, '|', f, fl, 5);
	if (n != 5)
		return snprintf(r->err, sizeof(r->err), "%zu fields; want ASN | "
		    "CC | REGISTRY | DATE | NAME", n), -1;
	if (num_u32(f[0], fl[0], &asn) != 0 ||
	    (r->asked_asn != 0 && asn != r->asked_asn)) {
		snprintf(r->err, sizeof(r->err), "AS '%s' is not the AS asked "
		    "about", dns_shown(show, sizeof(show), f[0], fl[0]));
		return -1;
	}
	if (country_ok(f[1], fl[1], r->country) != 0) {
		snprintf(r->err, sizeof(r->err), "country '%s' is not two "
		    "letters", dns_shown(show, sizeof(show), f[1], fl[1]));
		return -1;
	}
	if (registry_ok(f[2], fl[2], r->registry, sizeof(r->registry)) != 0) {
		snprintf(r->err, sizeof(r->err), "registry '%s' is not a word",
		    dns_shown(show, sizeof(show), f[2], fl[2]));
		return -1;
	}
	if (fl[4] == 0)
		return snprintf(r->err, sizeof(r->err), "empty AS name"), -1;
	text_sanitize(r->as_name, sizeof(r->as_name), f[4], fl[4]);
	return 0;
}

/* 1 if the ", "-separated list holds exactly s (n bytes). */
static int
listed(const char *list, const char *s, size_t n)
{
	while (*list != '\0') {
		size_t len = strcspn(list, ",");

		if (len == n && strncasecmp(list, s, n) == 0)
			return 1;
		list += len;
		while (*list == ',' || *list == ' ')
			list++;
	}
	return 0;
}

int
dns_parse_abuse(const uint8_t *record, size_t len, struct dns_result *r)
{
	const char *rec = (const char *)record, *f[16];
	size_t fl[16], n, i, have, good = 0;
	char show[40];

	if (len > TXT_MAX)
		return snprintf(r->err, sizeof(r->err), "TXT record over %d "
		    "bytes", TXT_MAX), -1;
	n = split(rec, len, ',', f, fl, 16);
	for (i = 0; i < n; i++) {
		if (fl[i] == 0)
			continue;
		/* ASCII only (no VALIDATE_UTF8): see validate.h. */
		if (!validate_email(f[i], fl[i], 0)) {
			snprintf(r->err, sizeof(r->err), "'%s' is not a mail "
			    "address", dns_shown(show, sizeof(show), f[i], fl[i]));
			continue;
		}
		good++;
		if (listed(r->abuse, f[i], fl[i]))
			continue;	/* from another record */
		have = strlen(r->abuse);
		if (have + (have ? 2 : 0) + fl[i] + 1 > sizeof(r->abuse))
			break;
		if (have) {
			memcpy(r->abuse + have, ", ", 2);
			have += 2;
		}
		memcpy(r->abuse + have, f[i], fl[i]);
		r->abuse[have + fl[i]] = '\0';
	}
	if (good == 0) {
		if (r->err[0] == '\0')
			snprintf(r->err, sizeof(r->err), "no mail address");
		return -1;
	}
	return 0;
}

/* Skip a (possibly compressed) domain name (RFC 1035 4.1.4). */
static int
skip_name(struct rd *r)
{
	int labels;

	for (labels = 0; labels < 128; labels++) {
		uint8_t c = rd_u8(r);

		if (r->bad)
			return -1;
		if (c == 0)
			return 0;
		if ((c & 0xc0) == 0xc0)
			return rd_skip(r, 1);
		if ((c & 0xc0) != 0)
			return -1;
		if (rd_skip(r, c) != 0)
			return -1;
	}
	return -1;
}

int
dns_answer_ttl(const uint8_t *msg, size_t len, uint32_t *ttl)
{
	struct rd r;
	uint16_t qd, an, i;
	uint32_t min = UINT32_MAX;

	*ttl = 0;
	rd_init(&r, msg, len);
	rd_skip(&r, 4);
	qd = rd_be16(&r);
	an = rd_be16(&r);
	rd_skip(&r, 4);
	if (r.bad)
		return -1;
	for (i = 0; i < qd; i++)
		if (skip_name(&r) != 0 || rd_skip(&r, 4) != 0)
			return -1;
	for (i = 0; i < an; i++) {
		uint32_t t;
		uint16_t rdlen;

		if (skip_name(&r) != 0 || rd_skip(&r, 4) != 0)
			return -1;
		t = rd_be32(&r);
		rdlen = rd_be16(&r);
		if (rd_skip(&r, rdlen) != 0)
			return -1;
		if (t > 0x7fffffff)	/* RFC 2181 8: treat as zero */
			t = 0;
		if (t < min)
			min = t;
	}
	*ttl = an > 0 ? min : 0;
	return 0;
}

/*
 * 1 if msg's question section is exactly qname/qtype/IN. Debian's c-ares
 * 1.18.1 already drops such answers, but older c-ares skipped that check
 * under ARES_FLAG_NOCHECKRESP (see dns_new), so it is made here as well.
 */
int
dns_question_matches(const uint8_t *msg, size_t len, const char *qname, int qtype)
{
	char name[QNAME_MAX];
	size_t off = 0;
	struct rd r;
	int labels;

	rd_init(&r, msg, len);
	rd_skip(&r, 4);
	if (rd_be16(&r) != 1)
		return 0;
	rd_skip(&r, 6);
	for (labels = 0; labels < 128; labels++) {
		uint8_t c = rd_u8(&r);
		const uint8_t *lab;

		if (r.bad || (c & 0xc0) != 0)
			return 0;
		if (c == 0)
			break;
		if ((lab = rd_take(&r, c)) == NULL || memchr(lab, '.', c) != NULL ||
		    off + c + 2 > sizeof(name))
			return 0;
		if (off > 0)
			name[off++] = '.';
		memcpy(name + off, lab, c);
		off += c;
	}
	name[off] = '\0';
	if (rd_be16(&r) != qtype || rd_be16(&r) != ns_c_in || r.bad)
		return 0;
	return strcasecmp(name, qname) == 0;
}

int
dns_qname(enum dns_kind kind, const struct addr *a, uint32_t asn,
    const char *zone, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t off = 0;
	int i, n;

	if (kind == DNS_A || kind == DNS_AAAA) {
		/* zone is the host name itself. */
		if (zone == NULL || !validate_hostname(zone, strlen(zone)))
			return -1;
		n = (int)strlen(zone);
		if (zone[n - 1] == '.')
			n--;
		n = snprintf(buf, len, "%.*s", n, zone);
		return n > 0 && (size_t)n < len ? 0 : -1;
	}
	if (kind == DNS_ASNAME) {
		n = snprintf(buf, len, "AS%u.%s", asn, zone);
		return n > 0 && (size_t)n < len ? 0 : -1;
	}
	if (kind == DNS_PTR)
		zone = a->family == 4 ? "in-addr.arpa" : "ip6.arpa";
	if (a->family == 4) {
		n = snprintf(buf, len, "%u.%u.%u.%u.%s", a->b[3], a->b[2],
		    a->b[1], a->b[0], zone);
		return n > 0 && (size_t)n < len ? 0 : -1;
	}
	if (a->family != 6 || len < 64 + strlen(zone) + 1)
		return -1;
	for (i = 15; i >= 0; i--) {
		buf[off++] = hex[a->b[i] & 0xf];
		buf[off++] = '.';
		buf[off++] = hex[a->b[i] >> 4];
		buf[off++] = '.';
	}
	memcpy(buf + off, zone, strlen(zone) + 1);
	return 0;
}
