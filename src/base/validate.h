/*
 * validate.h -- syntax checks for the fields that operators' files and the
 * network give us: e-mail addresses, domain and host names, ISO 3166-1
 * country codes, BCP 47 language tags, http(s) URLs, dates, phone numbers,
 * AS numbers, key fingerprints and Traffic Light Protocol labels. One set,
 * used by the contact database, the DNS enrichment and the incident store.
 *
 * Pure functions: no allocation, no locale (letters and digits are ASCII),
 * thread-safe. Checks that may see network bytes take (s, n) and read
 * exactly n bytes (s need not end in NUL); the others take a NUL-terminated
 * string. Every check returns 1 if the text is well formed, 0 if not.
 */
#ifndef KYOCHO_VALIDATE_H
#define KYOCHO_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Flags for validate_email() and validate_domain().
 * VALIDATE_UTF8: octets >= 0x80 are allowed in the local part and in domain
 * labels (RFC 6531 addresses, IDN U-labels). The contact database wants it
 * (its lines are checked to be UTF-8 beforehand); the DNS enrichment does
 * not: abusix answers are network bytes and an abuse mailbox must be
 * reachable without SMTPUTF8, so it stays ASCII only.
 */
#define VALIDATE_UTF8	0x1u

/*
 * An RFC 5322 addr-spec in dot-atom form: a local part of 1-64 atext
 * octets with single dots not at either end, '@', a domain as
 * validate_domain() takes it; at most 254 octets in all (RFC 5321
 * 4.5.3.1.3).
 */
int validate_email(const char *s, size_t n, unsigned flags);
/*
 * A mail or web domain: at most 253 octets, at least two labels of 1-63
 * letters, digits and hyphens (no hyphen at either end), the top label not
 * all digits. No trailing dot.
 */
int validate_domain(const char *s, size_t n, unsigned flags);
/*
 * A host name as a PTR answer gives it (RFC 1035 3.5, RFC 2181 11): labels
 * of 1-63 letters, digits, hyphens and underscores ("_dmarc"), no hyphen at
 * either end of a label, one label is enough, an optional trailing dot; at
 * most 253 octets without it. ASCII only. Looser than validate_domain()
 * on purpose: it judges what the DNS holds, not where mail can go.
 */
int validate_hostname(const char *s, size_t n);

/* Two letters, either case, that ISO 3166-1 alpha-2 assigns (tzdata's
 * iso3166.tab: 249 codes). */
int validate_country(const char *s, size_t n);
/*
 * Two ASCII letters, either case, assigned or not. For Team Cymru's
 * answers: the RIRs' delegation files also use EU and AP, which ISO 3166-1
 * does not assign, so the DNS enrichment checks only the shape.
 */
int validate_country_letters(const char *s, size_t n);

/* An RFC 5646 (BCP 47) language tag, well-formedness only; primary
 * language subtags of 2-3 letters (none of 5-8 letters is registered). */
int validate_langtag(const char *s);
/* An http:// or https:// URL (only https:// if https_only) with a domain,
 * an IPv4 address or a bracketed IPv6 address, an optional port, no blank
 * or control character (RFC 3986, RFC 9116 for security.txt). */
int validate_url(const char *s, int https_only);
/* A calendar date YYYY-MM-DD, year 1900 or later. */
int validate_date(const char *s);
/* An international number: '+', then 7-15 digits (E.164) with blanks,
 * '-', '.', '(' and ')' between them. */
int validate_phone(const char *s);
/*
 * An AS number (RFC 6793: 1 to 4294967295) or range: "AS64496", "64496",
 * "AS64496-AS64511" ("AS" in either case). Fills *lo and *hi (equal for
 * one AS) when valid; a range must not run backwards.
 */
int validate_asn(const char *s, uint32_t *lo, uint32_t *hi);
/* An OpenPGP key fingerprint: 40 (v4) or 64 (v5) hex digits, blanks
 * between them ignored. */
int validate_pgp_fingerprint(const char *s);

/*
 * Traffic Light Protocol 2.0 (FIRST, 2022): the five labels in canonical
 * form, least to most restricted. The one list of them in kyocho.
 */
#define TLP_NLABELS	5
extern const char *const tlp_labels[TLP_NLABELS];
/* s is exactly one of tlp_labels ("TLP:AMBER"; case matters). What the
 * journal, incident kinds and reports store. */
int validate_tlp(const char *s);
/*
 * s starts with a TLP label and may go on with free text, as a contact's
 * "tlp:" field does ("TLP:AMBER; share with peers"): the label in either
 * case, the "TLP:" prefix optional, then the end, a blank, ';', ',' or a
 * newline. TLP:WHITE, TLP 1.0's name for what 2.0 calls TLP:CLEAR, is also
 * accepted here, so older directory entries stay valid; validate_tlp()
 * never accepts it.
 */
int validate_tlp_lead(const char *s);

#endif
