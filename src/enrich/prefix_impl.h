/*
 * prefix_impl.h -- the prefix database's insides, shared by the files of
 * module prefix (not for other modules: they use prefix.h):
 *   prefix.c           the database object, lookups, completeness, loading
 *                      what the settings name (prefix_load_default);
 *   prefix_table.c     range tables: organisation names, row merging;
 *   prefix_csv.c       the ip-location-db CSV parser, file mapping;
 *   prefix_override.c  the override file (man/kyocho-prefixes.5);
 *   prefix_mmdb.c      MaxMind DB files through libmaxminddb;
 *   prefix_image.c     the mapped image of the CSV tables.
 * The data structure is described at the top of prefix.c. Functions here
 * are prefixed pdb_; those on the lookup's hot path are inline.
 */
#ifndef KYOCHO_PREFIX_IMPL_H
#define KYOCHO_PREFIX_IMPL_H

#include <maxminddb.h>
#include <stddef.h>
#include <stdint.h>

#include "enrich/prefix.h"
#include "base/util.h"

__extension__ typedef unsigned __int128 u128;

#define FIELD_MAX	512		/* bytes of one CSV field */
#define LINE_MAX_OVR	1024		/* bytes of one override line */
#define FILE_MAX	((size_t)1 << 30)

struct attr {
	uint32_t asn;
	uint32_t org;		/* index into orgoff; 0 is "" */
	char cc[2];		/* "\0\0" = unknown */
	uint8_t wbits;		/* log2 of the original row's width */
	uint8_t pad;
};

struct row {
	u128 lo, hi;
	struct attr at;
};

/*
 * Disjoint sorted ranges, by columns: the starts alone are bisected, the
 * ends and attributes are read for the one candidate. The arrays are
 * either ours (pdb_big_alloc) or point into a mapped image (img != 0), in
 * which case they are read-only and the org ids index the image's pool.
 */
struct rtab {
	const u128 *lo, *hi;		/* IPv6 tables */
	const uint32_t *lo32, *hi32;	/* IPv4 tables: 4 bytes each keep
					 * the bisection in fewer cache lines */
	const struct attr *at;
	size_t n;
	/* First level: idx[h] is the first row whose start has h as its top
	 * 16 bits (of 32 or 128), so a search only bisects one bucket. */
	const uint32_t *idx;	/* IDX_SIZE + 1 entries, or NULL */
	unsigned shift;		/* 16 for IPv4 keys, 112 for IPv6 */
	int img;		/* the arrays are the image's */
};

#define IDX_SIZE 65536
#define IDX_MIN_ROWS 1024	/* smaller tables go without the index */

struct rows {
	struct row *v;
	size_t n, cap;
};

enum { T_OVR, T_ASN, T_CC, T_COUNT };

struct prefixdb {
	struct rtab tab[T_COUNT][2];	/* [kind][0 = IPv4, 1 = IPv6] */

	char *pool;			/* NUL-terminated organisation names */
	size_t poollen, poolcap;
	uint32_t *orgoff;		/* org id -> offset in pool */
	size_t norgs, orgcap;
	uint32_t *ohash;		/* open addressing: org id + 1, 0 empty */
	uint32_t last_org;		/* the id interned last */
	size_t ohcap;

	MMDB_s mmdb[PREFIX_MMDB_MAX];
	size_t nmmdb;
	size_t noverrides;

	/* Completeness (see the top of the file), updated after each load. */
	double unicast4;		/* share of IPv4 unicast space covered */
	size_t origins6;		/* distinct ASes in the IPv6 ranges */
	int mmdb_asn[2];		/* an ASN MaxMind DB covers the family */
	int declared;			/* prefix-complete = yes */
	enum prefix_complete complete[2];
	int batch;			/* loading several files: measure once,
					 * at the end */

	/* The mapped image (see "Image" below), when the CSV tables come
	 * from one: its organisation names and stored measures. */
	const uint8_t *img;
	size_t imglen;
	int imgmapped;			/* img is our mmap: unmap at free */
	const char *img_pool;		/* NUL-terminated at img_poollen - 1 */
	size_t img_poollen;
	const uint32_t *img_orgoff;
	size_t img_norgs;
	const uint32_t *img_union4;	/* [lo, hi] pairs: the IPv4 CSV union */
	size_t img_nunion4;
	const uint32_t *img_asn6;	/* sorted distinct IPv6 CSV origins */
	size_t img_nasn6;
	uint64_t img_covered4;		/* unicast addresses in img_union4 */
	char imgnote[ERRBUF_SIZE];	/* why no image is used, or "" */
};

#define COMPLETE_UNICAST4	0.90
#define COMPLETE_ORIGINS6	10000

/* ---- prefix_table.c: names and ranges ---------------------------------- */

/* Append s[0..n) and a NUL to the organisation pool. */
void pdb_pool_add(struct prefixdb *db, const char *s, size_t n);
/* The id of an organisation name (raw bytes from a file: sanitized). */
uint32_t pdb_org_intern(struct prefixdb *db, const char *raw, size_t rawlen);
/* Big arrays: anonymous maps marked for huge pages (pdb_big_free). */
void *pdb_big_alloc(size_t nmemb, size_t size);
void pdb_big_free(void *p);
/* log2 of the width of [lo, hi]: 128 for the whole IPv6 space. */
unsigned pdb_log2w(u128 lo, u128 hi);
void pdb_rows_push(struct rows *r, u128 lo, u128 hi, const struct attr *at);
/* Free what t owns (nothing if it is the image's) and empty it. */
void pdb_rtab_release(struct rtab *t);
/* Replace t with the flattening of its ranges plus in's (see there). */
void pdb_rtab_merge(struct prefixdb *db, struct rtab *t, struct rows *in);
/* Merge parsed rows into db's tables of kind k (by family), free them and
 * measure db again. */
void pdb_commit_rows(struct prefixdb *db, int k, struct rows in[2]);
/* Addresses of [lo, hi] (IPv4 keys) inside IPv4 unicast space. */
uint64_t pdb_unicast4_part(u128 lo, u128 hi);
/* qsort comparison of uint32_t. */
int pdb_cmp_u32(const void *x, const void *y);
/* The union of the IPv4 ranges of tables t[0..nt): unicast addresses in
 * it; its intervals appended to out unless out is NULL. */
uint64_t pdb_union4(const struct rtab *const *t, size_t nt, struct rows *out);

static inline u128
pdb_tab_lo(const struct rtab *t, size_t i)
{
	return t->lo32 != NULL ? t->lo32[i] : t->lo[i];
}

static inline u128
pdb_tab_hi(const struct rtab *t, size_t i)
{
	return t->hi32 != NULL ? t->hi32[i] : t->hi[i];
}

static inline u128
pdb_addr_key(const struct addr *a)
{
	u128 k = 0;
	int i;

	if (a->family == 4)
		return addr_v4(a);
	for (i = 0; i < 16; i++)
		k = k << 8 | a->b[i];
	return k;
}

/* The organisation name of an attribute of table t. Image ids and offsets
 * are checked here, at each use: the image is a file, and only its header
 * and section bounds are checked when it is opened. */
static inline const char *
pdb_tab_org(const struct prefixdb *db, const struct rtab *t, uint32_t id)
{
	uint32_t off;

	if (!t->img)
		return db->pool + db->orgoff[id];
	if (id >= db->img_norgs)
		return "";
	off = db->img_orgoff[id];
	return off < db->img_poollen ? db->img_pool + off : "";
}

/* ---- prefix_csv.c: files and fields ------------------------------------ */

/* Map a whole file read-only (at most FILE_MAX); release with
 * pdb_unslurp(). NULL with errbuf. */
uint8_t *pdb_slurp(const char *path, size_t *len, char *errbuf);
void pdb_unslurp(uint8_t *p, size_t len);
/* "nnn" or "ASnnn" up to 4294967295. 0 or -1. */
int pdb_parse_asn(const char *s, size_t n, uint32_t *asn);
/* Two letters, upper-cased into cc. 0 or -1. */
int pdb_parse_cc(const char *s, size_t n, char cc[2]);

/* ---- prefix_mmdb.c ----------------------------------------------------- */

struct mmhit {
	int found;
	unsigned wbits;
	uint32_t asn;
	char org[PREFIX_ORG_MAX];
	char cc[3];
};

/* Look a up in one MaxMind DB; knows the GeoLite2/DB-IP and IPinfo keys. */
void pdb_mmdb_lookup(MMDB_s *m, const struct addr *a, struct mmhit *h);

/* ---- prefix.c ---------------------------------------------------------- */

/* Measure the tables and decide completeness (unless db->batch). */
void pdb_coverage_update(struct prefixdb *db);
/* Parse the CSVs at paths (NULL: absent) into db, two threads. Files, or
 * -1 with errbuf. */
int pdb_load_csvs(struct prefixdb *db, char *const paths[PREFIX_NCSV],
    char *errbuf);

/* ---- prefix_image.c ---------------------------------------------------- */

/* The directory the CSVs at paths (NULL: absent) share into *dir (to
 * free; NULL if none is given). -1 with errbuf if they are in several,
 * which one image cannot stand for (*dir is then NULL). */
int pdb_csv_dir(char *const paths[PREFIX_NCSV], char **dir, char *errbuf);
/* Use the image in dir if it is valid and its sources are the CSVs at
 * paths: 1. Otherwise 0, and db->imgnote says why. */
int pdb_image_open(struct prefixdb *db, char *const paths[PREFIX_NCSV],
    const char *dir);

#endif
