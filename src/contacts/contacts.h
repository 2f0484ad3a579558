/*
 * contacts.h -- the contact database: points of contact (PoCs) abroad and
 * at home, their zones, business hours and languages, matched to an
 * address, AS number or country. File format: man/kyocho-contacts.5.
 *
 * A struct contacts owns the file's bytes and the records parsed from them.
 * Records that have a problem are kept (their text is saved unchanged) but
 * marked invalid and left out of matching; every problem is a diagnostic
 * "FILE:LINE: field: what is wrong". Edits (add, update, delete) rebuild the
 * file text -- untouched records keep their exact bytes -- and re-parse it;
 * contacts_save() writes it atomically. Pointers from contacts_get() are
 * valid until the next edit, load or free.
 *
 * Single-threaded: one thread owns a struct contacts (tz.c's cache, which it
 * uses, is thread-safe).
 */
#ifndef KYOCHO_CONTACTS_H
#define KYOCHO_CONTACTS_H

#include <stddef.h>
#include <stdint.h>

#include "base/addr.h"
#include "time/hours.h"
#include "time/tz.h"

enum contact_kind {
	CK_OTHER = 0,
	CK_PEERING_ISP,
	CK_TRANSIT_ISP,
	CK_CUSTOMER,
	CK_NATIONAL_CSIRT,
	CK_NATIONAL_POC,
	CK_CSIRT,
	CK_FIRST_TEAM,
	CK_NOG,
	CK_RIR,
	CK_ISAC,
	CK_ANTI_ABUSE,
	CK_LAW_ENFORCEMENT,
	CK_HOSTING,
	CK_REGISTRAR,
	CK_DOMESTIC_AGENCY,
	CK_COUNT
};

/* One "key: value" field; continuation lines are joined with '\n'. */
struct contact_field {
	const char *key;	/* lower case */
	const char *value;
	unsigned line;		/* where the field starts */
};

struct contact_asn {
	uint32_t lo, hi;	/* a range; lo == hi for one AS */
};

/* A string list (emails, phones, languages, countries ...). */
struct contact_list {
	const char **v;
	size_t n;
};

struct contact {
	unsigned line;			/* first line of the record */
	unsigned nlines;
	int valid;			/* no diagnostics */

	/* Every field in file order, known or not. */
	const struct contact_field *fields;
	size_t nfields;

	/* Parsed views ("" when absent). */
	const char *id, *org, *team, *kind_name, *country, *timezone, *url,
	    *pgp, *tlp, *first_id, *security_txt, *verified, *hours_text,
	    *notes;
	enum contact_kind kind;
	const struct tz *tz;		/* NULL: no zone or a bad one */
	int tz_inferred;		/* from country: the only zone listed */
	int has_hours;
	const struct hours *hours;	/* NULL unless has_hours */
	struct contact_list languages, email, abuse_email, phone,
	    emergency_phone, constituency, source;
	struct contact_list formats;	/* "xarf", "misp", "stix": what the
					 * recipient's tools ingest */
	const struct contact_asn *asns;
	size_t nasns;
	const struct prefix *prefixes;
	size_t nprefixes;
};

struct contacts_diag {
	unsigned line;
	char field[32];		/* "" when the problem is not in a field */
	char msg[400];
};

struct contacts;

/*
 * Load path. Returns 0 and a new database in *out (free with
 * contacts_free) even when records have problems -- see contacts_ndiags;
 * -1 with errbuf filled only if the file cannot be read at all. A missing
 * file with create != 0 gives an empty database that saves to path.
 */
int contacts_load(const char *path, int create, struct contacts **out,
    char *errbuf);
/* Parse bytes in memory (hostile input safe); name is used in diagnostics
 * and as the save path. Never fails. */
struct contacts *contacts_parse(const char *name, const uint8_t *p,
    size_t len);
void contacts_free(struct contacts *db);
/* Bytes the parsed database holds in its arena (records, fields, joined
 * values): linear in the file's size. For tests of that bound. */
size_t contacts_arena_bytes(const struct contacts *db);

const char *contacts_path(const struct contacts *db);
/* All records in file order, valid or not. */
size_t contacts_count(const struct contacts *db);
const struct contact *contacts_get(const struct contacts *db, size_t i);
size_t contacts_ninvalid(const struct contacts *db);
/* Index of the valid record with this id, or -1. */
long contacts_find(const struct contacts *db, const char *id);
/* The first value of field key in c, or NULL. */
const char *contact_field(const struct contact *c, const char *key);

size_t contacts_ndiags(const struct contacts *db);
const struct contacts_diag *contacts_diag(const struct contacts *db, size_t i);
/* "FILE:LINE: field: what is wrong" into buf. Returns buf. */
char *contacts_diag_format(const struct contacts *db, size_t i, char *buf,
    size_t len);

/* Name of a kind ("national-csirt") and the reverse (-1 if unknown). */
const char *contacts_kind_name(enum contact_kind k);
int contacts_kind_parse(const char *s);
/* 1 if cc (two letters, either case) is an ISO 3166-1 alpha-2 code. */
int contacts_country_ok(const char *cc);
/* Syntax checks used by validation, for an edit form's live hints. */
int contacts_email_ok(const char *s);
int contacts_langtag_ok(const char *s);
int contacts_url_ok(const char *s, int https_only);

/* ---- editing ---------------------------------------------------------- */

struct contacts_kv {
	const char *key;
	const char *value;	/* NULL or "": remove the field */
};

/*
 * Add a record made of kv[0..n) (which must include an id). Update record
 * i: each key given replaces that field's value (its first occurrence keeps
 * its place, later ones go; new keys are appended), other fields and
 * comments stay. Delete record i. Each applies only if the result is valid
 * and makes no other record invalid; otherwise -1 and errbuf says
 * "field: what is wrong" and nothing changes. Changes are in memory until
 * contacts_save().
 */
int contacts_add(struct contacts *db, const struct contacts_kv *kv, size_t n,
    char *errbuf);
int contacts_update(struct contacts *db, size_t i, const struct contacts_kv *kv,
    size_t n, char *errbuf);
int contacts_delete(struct contacts *db, size_t i, char *errbuf);
/* 1 if there are edits not yet saved. */
int contacts_dirty(const struct contacts *db);

/*
 * Write the database to its path atomically: a temporary file in the same
 * directory, fsync, rename over the old one, fsync the directory. Refuses
 * (-1) if the file changed on disk since it was loaded or last saved, so
 * someone else's edit is never overwritten; reload and edit again.
 */
int contacts_save(struct contacts *db, char *errbuf);
/* The file text as it would be saved (for tests). */
const uint8_t *contacts_text(const struct contacts *db, size_t *len);

/* ---- searching and matching -------------------------------------------- */

/* Indices of valid or invalid records whose id, org, team, kind, country,
 * zone, languages, emails, ASNs or notes contain text (case-insensitive for
 * ASCII). Returns how many were found; stores up to max. */
size_t contacts_search(const struct contacts *db, const char *text,
    size_t *idx, size_t max);

enum contacts_qtype { CQ_ALL = 0, CQ_ADDR, CQ_ASN, CQ_COUNTRY };

struct contacts_query {
	enum contacts_qtype type;
	struct addr addr;
	uint32_t asn;
	char cc[3];
};

/* Parse "192.0.2.1", "2001:db8::1", "AS64496", "64496" or "RU".
 * Returns 0 or -1 with errbuf filled. */
int contacts_query_parse(const char *s, struct contacts_query *q,
    char *errbuf);

/* Why a record matched; higher is more relevant. */
enum contacts_rel {
	REL_ANY = 0,		/* CQ_ALL */
	REL_GLOBAL,		/* first-team, nog, rir, anti-abuse */
	REL_COUNTRY,		/* country or constituency */
	REL_ASN,
	REL_PREFIX,
};

/* A record's state at an instant. */
struct contact_status {
	int has_zone;
	struct tz_tm local;		/* valid if has_zone */
	int open;			/* 1, 0, or -1 (no hours or no zone) */
	int awake;			/* local 07:00-22:00 (0 without zone) */
	struct hours_state hs;		/* valid if open >= 0 */
};

struct contact_match {
	size_t index;
	const struct contact *c;
	enum contacts_rel rel;
	int plen;			/* matched prefix length (REL_PREFIX) */
	struct contact_status st;
};

/* State of c at utc_s. */
void contact_status(const struct contact *c, int64_t utc_s,
    struct contact_status *out);

/*
 * The order of two records' states within a tier (contacts_match and
 * escalate.h): < 0 if a comes first -- open now before closed, then awake
 * (local 07:00-22:00) before asleep; a record without hours that is awake
 * comes after one open now and before one closed but awake.
 */
int contact_status_cmp(const struct contact_status *a,
    const struct contact_status *b);

/*
 * Valid records matching q, most relevant first: prefix > AS number >
 * country/constituency > global kinds; within each, open before awake
 * before asleep (contact_status_cmp), then the longer prefix, then file
 * order. Returns the count and a new array in
 * *out (caller frees; NULL when 0).
 */
size_t contacts_match(const struct contacts *db, const struct contacts_query *q,
    int64_t utc_s, struct contact_match **out);

#endif
