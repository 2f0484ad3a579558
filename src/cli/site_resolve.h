/*
 * site_resolve.h -- the DNS part of a phishing site's lookup for
 * `kyocho incident new --url` and `kyocho incident lookup`: the host's A
 * and AAAA records, then each address's origin AS, country, AS name and
 * abuse address, all through src/enrich/dns.c (the dns.* settings, its
 * rate, cache and timeouts). The registrar fields of struct site_lookup
 * are left for RDAP (src/enrich/rdap, filled by the caller when present).
 */
#ifndef KYOCHO_SITE_RESOLVE_H
#define KYOCHO_SITE_RESOLVE_H

#include "case/incident.h"
#include "settings/config.h"

/*
 * Resolve host into out (zeroed first; at_us left 0: the journal's time).
 * A failed lookup is not an error: out->status says "nxdomain", "nodata"
 * or "error" (with out->error). Returns 0, or -1 with errbuf when no
 * resolver could be made (a bad dns.server).
 */
int site_resolve(const struct options *opt, const char *host,
    struct site_lookup *out, char *errbuf);

#endif
