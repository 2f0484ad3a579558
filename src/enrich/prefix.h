/*
 * prefix.h -- offline attribution: which AS and country an address is in.
 *
 * Three kinds of source, loaded into one database:
 *  - range CSVs from ip-location-db (CC BY 4.0: RouteViews, DB-IP, NRO):
 *    "start,end,asn,org" (asn-ipv4.csv, asn-ipv6.csv) and
 *    "start,end,country" (asn-country-ipv4.csv, asn-country-ipv6.csv);
 *  - MaxMind DB files (.mmdb: GeoLite2-ASN/Country, DB-IP, IPinfo) through
 *    libmaxminddb;
 *  - a local override file for our own customers and peers
 *    (man/kyocho-prefixes.5): "PREFIX ASN COUNTRY [ORG...]".
 * Overrides win; otherwise, for the ASN and the country separately, the
 * source whose matching range is the most specific (smallest) wins.
 *
 * Loading happens once, before lookups; after that a database is read-only
 * and may be shared by any number of threads without locks.
 */
#ifndef KYOCHO_PREFIX_H
#define KYOCHO_PREFIX_H

#include <stddef.h>
#include <stdint.h>

#include "base/addr.h"

struct prefixdb;

#define PREFIX_ORG_MAX 256	/* bytes kept of an AS organisation name */
#define PREFIX_MMDB_MAX 8	/* MaxMind DB files open at once */
#define PREFIX_NCSV	4	/* the ip-location-db CSVs read (below) */

enum prefix_src {
	PREFIX_SRC_NONE = 0,
	PREFIX_SRC_OVERRIDE,	/* the local override file */
	PREFIX_SRC_CSV,		/* ip-location-db range CSVs */
	PREFIX_SRC_MMDB,	/* a MaxMind DB file */
};

/* What is known about one address. Strings are sanitized UTF-8. */
struct prefix_info {
	uint32_t asn;			/* 0 = unknown */
	const char *as_org;		/* never NULL; "" = unknown. Points into
					 * the database or into orgbuf: valid
					 * while both live */
	char country[3];		/* ISO 3166 alpha-2, "" = unknown */
	enum prefix_src asn_src;	/* where asn and as_org came from */
	enum prefix_src country_src;
	int routed;			/* as prefix_routed() */
	char orgbuf[PREFIX_ORG_MAX];	/* private: copy of an MMDB string */
};

/* An empty database; free with prefix_db_free(). */
struct prefixdb *prefix_db_new(void);
void prefix_db_free(struct prefixdb *db);

/*
 * Load one ip-location-db CSV file (either kind; detected from the rows).
 * IPv4 and IPv6 rows may be mixed. Errors read "FILE:LINE: what".
 * Returns the number of rows loaded, or -1 (the database is unchanged).
 */
long prefix_load_csv(struct prefixdb *db, const char *path, char *errbuf);
/* The same from bytes in memory; name is used in error messages. */
long prefix_parse_csv(struct prefixdb *db, const uint8_t *p, size_t len,
    const char *name, char *errbuf);

/* Load a local override file (man/kyocho-prefixes.5). Returns rows or -1. */
long prefix_load_overrides(struct prefixdb *db, const char *path,
    char *errbuf);
long prefix_parse_overrides(struct prefixdb *db, const uint8_t *p,
    size_t len, const char *name, char *errbuf);

/* Open a MaxMind DB file (kept open, memory-mapped, until
 * prefix_db_free()). Returns 0 or -1. */
int prefix_load_mmdb(struct prefixdb *db, const char *path, char *errbuf);

/*
 * The settings of prefix loading (kyocho.conf(5) prefixes, mmdb,
 * prefix-complete; dns.h has the dns.* ones), filled by the settings
 * layer (config_enrich_settings(), which looks for the data files in the
 * data directories) and freed with enrich_settings_free(). csv[i] and
 * overrides are owned; the other strings are borrowed from the settings
 * and must outlive the struct. prefix_csv_files: the CSVs' names relative
 * to a data directory ("prefix/asn-ipv4.csv", ...).
 */
#define PREFIX_OVERRIDES_FILE	"prefix/overrides.txt"
extern const char *const prefix_csv_files[PREFIX_NCSV];
struct enrich_settings {
	char *csv[PREFIX_NCSV];		/* where prefix_csv_files[i] was found;
					 * NULL: absent (skipped) */
	char *overrides;		/* the override file (prefixes, else
					 * PREFIX_OVERRIDES_FILE found); NULL:
					 * none */
	const char *data_dir;		/* --data: the one place
					 * prefix_image_build() may write; NULL:
					 * beside the CSVs */
	const char *mmdb[PREFIX_MMDB_MAX];	/* MaxMind DB files */
	size_t nmmdb;
	int complete;			/* prefix-complete = yes */
};
void enrich_settings_free(struct enrich_settings *es);

/*
 * Load what es names: the CSVs (or the image built from them), the
 * override file, and every MaxMind DB file. Returns the number of sources
 * loaded (0 is not an error), or -1 on the first file that fails to parse.
 */
int prefix_load_default(struct prefixdb *db, const struct enrich_settings *es,
    char *errbuf);

/*
 * The operator declares the loaded tables complete (prefix-complete = yes in
 * kyocho.conf(5)): addresses they do not cover count as unrouted whatever
 * the coverage measure says. Call before lookups.
 */
void prefix_db_declare_complete(struct prefixdb *db, int yes);

/* Fill *info for a (any family; family 0 gives all unknown). Thread-safe. */
void prefix_lookup(const struct prefixdb *db, const struct addr *a,
    struct prefix_info *info);

/*
 * Whether a is in routed space: PREFIX_ROUTED (1) if any loaded source
 * covers it; PREFIX_UNROUTED (0) if none does and the data for a's family
 * covers the routing table (prefix_stats() .complete: unrouted is then a
 * sign of spoofing); PREFIX_PARTIAL (-2) if none does but the data is an
 * extract, which says nothing about addresses outside it; PREFIX_NO_DATA
 * (-1) if no source for a's family is loaded.
 */
#define PREFIX_ROUTED	1
#define PREFIX_UNROUTED	0
#define PREFIX_NO_DATA	(-1)
#define PREFIX_PARTIAL	(-2)
int prefix_routed(const struct prefixdb *db, const struct addr *a);
/* The same with the shape spoof_acc_assess() takes: ctx is the prefixdb. */
int prefix_routed_cb(void *ctx, const struct addr *a);

/*
 * Write "asn", "as_org" and "country" members (null when unknown) into the
 * JSON object open in w, the shape summary --json and lookup --json share.
 */
struct jsonw;
void prefix_jsonw(struct jsonw *w, const struct prefix_info *info);

/*
 * Why the data of a family is taken to cover the routing table, so that an
 * address it does not cover is unrouted (see prefix.c, "Completeness"):
 */
enum prefix_complete {
	PREFIX_EXTRACT = 0,	/* it is not: routedness is not judged */
	PREFIX_COVERAGE,	/* the measure: IPv4 ranges cover >= 90% of
				 * unicast space, IPv6 ASN ranges name >=
				 * 10,000 origin ASes */
	PREFIX_MMDB_ASN,	/* an ASN MaxMind DB for the family is open */
	PREFIX_DECLARED,	/* prefix-complete = yes */
};

/* Counts for --version, the status line and the benchmark. */
struct prefix_stats {
	size_t ranges4, ranges6;	/* flattened CSV + override ranges */
	size_t orgs;			/* distinct organisation names */
	size_t overrides;
	size_t mmdbs;
	double unicast4;		/* share of IPv4 unicast space (the 221
					 * /8s outside 0/8, 10/8, 127/8 and
					 * 224/3) the ranges cover, 0..1 */
	size_t origins6;		/* distinct ASes in the IPv6 ranges */
	enum prefix_complete complete[2];	/* [0 IPv4, 1 IPv6] */
	int image;			/* the CSV ranges are a mapped image */
};
void prefix_stats(const struct prefixdb *db, struct prefix_stats *st);

/*
 * The image (man/kyocho-prefixes.5): the four CSVs' ranges in a file of
 * kyocho's own, kyocho-ranges.img next to them, mapped read-only and
 * shared instead of parsed. prefix_load_default() uses it when its header
 * and sections check out and the CSVs are those it was built from
 * (size and mtime); otherwise it parses the CSVs and
 * prefix_image_note() says why ("" when the image is used).
 *
 * prefix_image_build: parse the CSVs kyocho finds (they must share one
 * directory) and write the image beside them (atomically, by rename).
 * Returns its size and sets *path to the image's (free it; it must be
 * NULL or an earlier answer, which is freed), or -1 with errbuf.
 * prefix_image_verify: the whole check -- header, the body's checksum,
 * the sources' contents. 0, or -1 with errbuf; *path as above.
 * prefix_image_attach: use the image held in p[0..len), which must stay
 * valid and unchanged while db lives, aligned to 16 bytes; before any
 * CSV is loaded into db. Checks the header and section bounds. 0 or -1.
 * prefix_image_check_body: the header and the body's checksum of bytes.
 */
long long prefix_image_build(const struct enrich_settings *es, char **path,
    char *errbuf);
int prefix_image_verify(const struct enrich_settings *es, char **path,
    char *errbuf);
int prefix_image_attach(struct prefixdb *db, const uint8_t *p, size_t len,
    char *errbuf);
int prefix_image_check_body(const uint8_t *p, size_t len, char *errbuf);
/* Recompute both checksums of an image in memory: for the tests and the
 * fuzz target, which edit images and must get past the header's hash to
 * reach the checks behind it. */
void prefix_image_reseal(uint8_t *p, size_t len);
const char *prefix_image_note(const struct prefixdb *db);

/* "extract", "coverage", "mmdb-asn" or "declared". */
const char *prefix_complete_name(enum prefix_complete c);

/* "override", "csv", "mmdb" or "none". */
const char *prefix_src_name(enum prefix_src s);

#endif
