/*
 * export.h -- an incident's evidence in the formats other organisations'
 * tools read (X-ARF v4 abuse reports, a MISP event, a STIX 2.1 bundle), and
 * the other direction: an X-ARF report or MISP event read back in.
 *
 * This module only builds and parses documents. Whether an export may
 * happen at all (the sharing checklist, the TLP, the journal entry) is
 * decided by the casework layer (casework_export), never here; but the
 * facts those rules rest on are computed here once: which of the sources
 * are the recipient's (its prefixes and AS numbers, else its countries),
 * and that spoofed sources are never indicators.
 *
 * Documents are built with jansson (a maintained JSON library) and printed
 * with sorted-insertion order and two-space indentation, so a fixed journal
 * and a fixed --at give the same bytes (the golden tests). Identifiers are
 * name-based UUIDs (RFC 9562 version 5) of the incident, format, recipient
 * and object, so they are stable across runs; STIX cyber-observables use
 * the STIX namespace as STIX 2.1 section 2.9 asks.
 */
#ifndef KYOCHO_EXPORT_H
#define KYOCHO_EXPORT_H

#include <stddef.h>
#include <stdint.h>

/* Declared, not included: import.c uses jansson, whose enumerators
 * clash with base/json.h's, so this header pulls in neither. */
struct incident;
struct contact;

enum export_format {
	EXPORT_XARF = 0,
	EXPORT_MISP,
	EXPORT_STIX,
};

/* "xarf", "misp", "stix"; parse gives -1 for anything else. */
const char *export_format_name(enum export_format f);
int export_format_parse(const char *s);
/*
 * The format that fits recipient c: the first of its formats field, else
 * X-ARF for a record with an abuse-email, else -1 (no attachment).
 */
int export_format_for(const struct contact *c);

struct export_params {
	enum export_format format;
	const struct contact *to;	/* the named recipient, or NULL */
	const char *org;		/* our organisation (org setting) */
	const char *noc_email;		/* our NOC's address (noc-email) */
	int64_t now_us;			/* the document's time */
};

/*
 * The document for inc as a new NUL-terminated string (the caller frees
 * it), or NULL with errbuf saying why it cannot be made (no evidence, no
 * source of the recipient's, our noc-email missing for X-ARF, ...).
 * Refuses nothing on grounds of policy: that is the caller's.
 */
char *export_build(const struct incident *inc, const struct export_params *p,
    char *errbuf);

/* SHA-256 of p[0..n) as 64 lower-case hex digits and a NUL. */
void export_sha256_hex(const void *p, size_t n, char out[65]);

/* ---- import ------------------------------------------------------------ */

#define IMPORT_MAX_SOURCES	10

/* What an X-ARF v4 report or a MISP event says, as far as kyocho uses it.
 * Strings are "" when absent; numbers 0. */
struct export_import {
	enum export_format format;	/* EXPORT_XARF or EXPORT_MISP */
	char sender_org[201];
	char sender_contact[257];	/* an e-mail address, X-ARF only */
	char report_id[65];		/* X-ARF report_id or MISP uuid */
	char what[129];			/* "connection/ddos", MISP info */
	char target[64];		/* destination address */
	char protocol[8];		/* "tcp", "udp", "icmp" or "" */
	char sources[IMPORT_MAX_SOURCES][64];	/* addresses (ours) */
	size_t nsources;
	uint64_t peak_pps, peak_bps, packets, bytes;
	unsigned dst_port, src_port;
	int64_t first_us, last_us;	/* 0 when absent */
	char tlp[24];			/* "TLP:AMBER" from tags, or "" */
	char description[1001];
};

/*
 * Read p[0..len) (hostile: from another organisation): an X-ARF v4 report
 * (xarf_version 4.x) or a MISP event ({"Event":{...}}: its ip-src
 * attributes, and ip-src / ip-dst / first-seen / last-seen / total-pps /
 * total-bps of ddos objects). Returns 0, or -1 with errbuf.
 */
int export_import_parse(const uint8_t *p, size_t len,
    struct export_import *out, char *errbuf);

#endif
