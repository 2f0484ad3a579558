/*
 * site_resolve.h -- a phishing site's lookup for `kyocho incident new
 * --url`, `kyocho incident lookup` and the Incidents screen: the host's A
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

/*
 * An operator's URL or host name (untrusted; defanged forms are taken) as
 * `kyocho incident new --url` takes it (src/enrich/target.h): the URL as
 * given, undefanged ("" for a bare host) into url, the host into host.
 * Returns 0, or -1 with errbuf saying what is wrong.
 */
int site_parse(const char *arg, char *url, size_t urllen, char *host,
    size_t hostlen, char *errbuf);

/*
 * site_resolve() on a thread of its own, for a screen that must not wait:
 * site_job_start() copies host and returns at once (NULL with errbuf if
 * no thread could be made); opt must outlive the job. site_job_done() is
 * 1 once the answer is in. site_job_finish() waits for it, copies it into
 * out, frees the job and returns what site_resolve() returned (errbuf
 * filled on -1). One thread per job; the caller's thread only touches the
 * job through these three.
 */
struct site_job;
struct site_job *site_job_start(const struct options *opt, const char *host,
    char *errbuf);
int site_job_done(struct site_job *j);
int site_job_finish(struct site_job *j, struct site_lookup *out,
    char *errbuf);

#endif
