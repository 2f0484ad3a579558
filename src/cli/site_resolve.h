/*
 * site_resolve.h -- the DNS part of a phishing site's lookup for
 * `kyocho incident new --url` and `kyocho incident lookup`: the host's A
 * and AAAA records, then each address's origin AS, country, AS name and
 * abuse address, all through src/enrich/dns.c (the dns.* settings, its
 * rate, cache and timeouts); the registered domain from the Public Suffix
 * List (src/enrich/target); unless --no-rdap, the domain's registrar with
 * its abuse e-mail and phone (source and time in registrar_source and
 * registrar_at) and, for an address DNS gave no abuse address for, the
 * RIR's abuse contact (its source appended to the address's source), over
 * RDAP (src/enrich/rdap: the rdap-* settings, rate and timeouts).
 */
#ifndef KYOCHO_SITE_RESOLVE_H
#define KYOCHO_SITE_RESOLVE_H

#include "case/incident.h"
#include "settings/config.h"

/*
 * Resolve host into out (zeroed first; at_us left 0: the journal's time).
 * A failed lookup is not an error: out->status says "nxdomain", "nodata"
 * or "error" (with out->error); an RDAP query that failed is named with
 * its status in out->sources. Returns 0, or -1 with errbuf when no
 * resolver or RDAP client could be made (a bad dns.server, an unreadable
 * rdap-bootstrap file).
 */
int site_resolve(const struct options *opt, const char *host,
    struct site_lookup *out, char *errbuf);

#endif
