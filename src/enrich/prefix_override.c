/*
 * prefix_override.c -- the local override file (man/kyocho-prefixes.5):
 * "PREFIX ASN COUNTRY [ORG...]" lines for our own customers and peers.
 */
#include "enrich/prefix_impl.h"

#include <string.h>

#include "base/rd.h"

/* ---- overrides --------------------------------------------------------- */

static int
is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Next blank-separated word of line[*i..n): start and length. */
static int
word(const char *line, size_t n, size_t *i, size_t *ws, size_t *wl)
{
	while (*i < n && is_blank(line[*i]))
		(*i)++;
	*ws = *i;
	while (*i < n && !is_blank(line[*i]))
		(*i)++;
	*wl = *i - *ws;
	return *wl > 0;
}

long
prefix_parse_overrides(struct prefixdb *db, const uint8_t *p, size_t len,
    const char *name, char *errbuf)
{
	struct rows in[2] = { { NULL, 0, 0 }, { NULL, 0, 0 } };
	struct rd r;
	unsigned line = 0;
	long nrows = 0;

	rd_init(&r, p, len);
	while (rd_left(&r) > 0) {
		const uint8_t *nl = memchr(r.p + r.off, '\n', rd_left(&r));
		size_t n = nl != NULL ? (size_t)(nl - (r.p + r.off)) : rd_left(&r);
		const char *s = (const char *)rd_take(&r, n);
		char tok[64], bad[48];
		size_t i = 0, ws, wl, badpos;
		struct prefix pf;
		struct attr at;
		u128 lo, hi, mask;
		int fam;

		if (nl != NULL)
			rd_skip(&r, 1);
		line++;
		if (n > LINE_MAX_OVR) {
			err_set(errbuf, "%s:%u: line longer than %d bytes", name,
			    line, LINE_MAX_OVR);
			goto fail;
		}
		if (!utf8_valid(s, n, &badpos)) {
			err_set(errbuf, "%s:%u: invalid UTF-8 at byte %zu", name,
			    line, badpos + 1);
			goto fail;
		}
		if (!word(s, n, &i, &ws, &wl) || s[ws] == '#')
			continue;
		memset(&at, 0, sizeof(at));
		text_sanitize(bad, sizeof(bad), s + ws, wl);
		tok[0] = '\0';
		if (wl < sizeof(tok)) {
			memcpy(tok, s + ws, wl);
			tok[wl] = '\0';
		}
		if (strchr(tok, '/') == NULL || prefix_parse(tok, &pf) != 0) {
			err_set(errbuf, "%s:%u: '%s' is not a prefix such as "
			    "192.0.2.0/24 or 2001:db8::/32", name, line, bad);
			goto fail;
		}
		if (!word(s, n, &i, &ws, &wl)) {
			err_set(errbuf, "%s:%u: missing ASN (a number, ASnnn or "
			    "'-') after the prefix", name, line);
			goto fail;
		}
		text_sanitize(bad, sizeof(bad), s + ws, wl);
		if (!(wl == 1 && s[ws] == '-') &&
		    pdb_parse_asn(s + ws, wl, &at.asn) != 0) {
			err_set(errbuf, "%s:%u: ASN '%s' is not a number, ASnnn "
			    "or '-'", name, line, bad);
			goto fail;
		}
		if (!word(s, n, &i, &ws, &wl)) {
			err_set(errbuf, "%s:%u: missing country (two letters or "
			    "'-') after the ASN", name, line);
			goto fail;
		}
		text_sanitize(bad, sizeof(bad), s + ws, wl);
		if (!(wl == 1 && s[ws] == '-') &&
		    pdb_parse_cc(s + ws, wl, at.cc) != 0) {
			err_set(errbuf, "%s:%u: country '%s' is not two letters "
			    "(ISO 3166) or '-'", name, line, bad);
			goto fail;
		}
		while (i < n && is_blank(s[i]))
			i++;
		while (n > i && is_blank(s[n - 1]))
			n--;
		at.org = pdb_org_intern(db, s + i, n - i);
		fam = pf.addr.family;
		lo = pdb_addr_key(&pf.addr);
		if (fam == 4)
			mask = pf.len == 0 ? 0xffffffffu :
			    (((u128)1 << (32 - pf.len)) - 1);
		else
			mask = pf.len == 0 ? ~(u128)0 :
			    (((u128)1 << (128 - pf.len)) - 1);
		hi = lo | mask;
		at.wbits = (uint8_t)pdb_log2w(lo, hi);
		pdb_rows_push(&in[fam == 6], lo, hi, &at);
		nrows++;
	}
	pdb_commit_rows(db, T_OVR, in);
	db->noverrides += (size_t)nrows;
	return nrows;
fail:
	pdb_big_free(in[0].v);
	pdb_big_free(in[1].v);
	return -1;
}

long
prefix_load_overrides(struct prefixdb *db, const char *path, char *errbuf)
{
	size_t len;
	uint8_t *buf = pdb_slurp(path, &len, errbuf);
	long n;

	if (buf == NULL)
		return -1;
	n = prefix_parse_overrides(db, buf, len, path, errbuf);
	pdb_unslurp(buf, len);
	return n;
}

/* ---- MaxMind DB -------------------------------------------------------- */
