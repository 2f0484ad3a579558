/*
 * prefix_mmdb.c -- MaxMind DB files (GeoLite2-ASN/Country, DB-IP, IPinfo)
 * read through libmaxminddb, kept open and mapped until prefix_db_free().
 */
#include "enrich/prefix_impl.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

/* Whether the file says it is an ASN database: its database_type names
 * "ASN" (GeoLite2-ASN, DBIP-ASN-Lite, ipinfo asn), in any case. */
static int
mmdb_is_asn(const MMDB_s *m)
{
	const char *s = m->metadata.database_type;
	size_t i;

	for (i = 0; s != NULL && s[i] != '\0' && s[i + 1] != '\0' &&
	    s[i + 2] != '\0'; i++)
		if ((s[i] | 0x20) == 'a' && (s[i + 1] | 0x20) == 's' &&
		    (s[i + 2] | 0x20) == 'n')
			return 1;
	return 0;
}

int
prefix_load_mmdb(struct prefixdb *db, const char *path, char *errbuf)
{
	int rc;

	if (db->nmmdb == PREFIX_MMDB_MAX)
		return err_set(errbuf, "%s: at most %d MaxMind DB files", path,
		    PREFIX_MMDB_MAX);
	rc = MMDB_open(path, MMDB_MODE_MMAP, &db->mmdb[db->nmmdb]);
	if (rc != MMDB_SUCCESS)
		return err_set(errbuf, "%s: %s%s%s", path, MMDB_strerror(rc),
		    rc == MMDB_IO_ERROR ? ": " : "",
		    rc == MMDB_IO_ERROR ? strerror(errno) : "");
	if (mmdb_is_asn(&db->mmdb[db->nmmdb])) {
		db->mmdb_asn[0] = 1;	/* an IPv6 tree holds IPv4 too */
		if (db->mmdb[db->nmmdb].metadata.ip_version == 6)
			db->mmdb_asn[1] = 1;
	}
	db->nmmdb++;
	pdb_coverage_update(db);
	return 0;
}

/* A string value at path into buf (sanitized); 0 or -1. */
static int
mmdb_str(MMDB_entry_s *e, char *buf, size_t len, const char *const *path)
{
	MMDB_entry_data_s d;

	if (MMDB_aget_value(e, &d, path) != MMDB_SUCCESS || !d.has_data ||
	    d.type != MMDB_DATA_TYPE_UTF8_STRING)
		return -1;
	text_sanitize(buf, len, d.utf8_string, d.data_size);
	return buf[0] != '\0' ? 0 : -1;
}

/* Look a up in one MaxMind DB; knows the GeoLite2/DB-IP and IPinfo keys. */
void
pdb_mmdb_lookup(MMDB_s *m, const struct addr *a, struct mmhit *h)
{
	static const char *const p_asn[] = { "autonomous_system_number", NULL };
	static const char *const p_asn_ipinfo[] = { "asn", NULL };
	static const char *const p_org[] = { "autonomous_system_organization",
	    NULL };
	static const char *const p_org_ipinfo[] = { "as_name", NULL };
	static const char *const p_cc[] = { "country", "iso_code", NULL };
	static const char *const p_cc_flat[] = { "country_code", NULL };
	static const char *const p_cc_ipinfo[] = { "country", NULL };
	struct sockaddr_storage ss;
	MMDB_lookup_result_s res;
	MMDB_entry_data_s d;
	char tmp[24];
	int err;
	unsigned treebits = m->metadata.ip_version == 6 ? 128 : 32;

	memset(h, 0, sizeof(*h));
	memset(&ss, 0, sizeof(ss));
	if (a->family == 4) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, a->b, 4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, a->b, 16);
	}
	res = MMDB_lookup_sockaddr(m, (struct sockaddr *)&ss, &err);
	if (err != MMDB_SUCCESS || !res.found_entry)
		return;
	h->found = 1;
	h->wbits = res.netmask <= treebits ? treebits - res.netmask : 0;
	if (MMDB_aget_value(&res.entry, &d, p_asn) == MMDB_SUCCESS &&
	    d.has_data && d.type == MMDB_DATA_TYPE_UINT32)
		h->asn = d.uint32;
	else if (mmdb_str(&res.entry, tmp, sizeof(tmp), p_asn_ipinfo) == 0)
		(void)pdb_parse_asn(tmp, strlen(tmp), &h->asn);
	if (mmdb_str(&res.entry, h->org, sizeof(h->org), p_org) != 0)
		(void)mmdb_str(&res.entry, h->org, sizeof(h->org), p_org_ipinfo);
	if (mmdb_str(&res.entry, tmp, sizeof(tmp), p_cc) != 0 &&
	    mmdb_str(&res.entry, tmp, sizeof(tmp), p_cc_flat) != 0 &&
	    mmdb_str(&res.entry, tmp, sizeof(tmp), p_cc_ipinfo) != 0)
		tmp[0] = '\0';
	if (pdb_parse_cc(tmp, strlen(tmp), h->cc) != 0)
		h->cc[0] = '\0';
	h->cc[2] = '\0';
}
