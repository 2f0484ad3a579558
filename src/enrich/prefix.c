/*
 * prefix.c -- offline attribution of addresses to AS, organisation and
 * country. See prefix.h; the files of this module are listed in
 * prefix_impl.h.
 *
 * Formats: the ip-location-db range CSVs (RFC 4180 fields: an organisation
 * may be quoted and hold commas and doubled quotes), the override file of
 * man/kyocho-prefixes.5, and MaxMind DB files read by libmaxminddb.
 *
 * Data structure: per kind of source (override, CSV ASN, CSV country) and
 * per family, a table of disjoint inclusive ranges sorted by their start,
 * searched by binary search. Rows that overlap (nested prefixes in an
 * override file, two CSVs) are flattened at load time with a stack sweep
 * so the narrowest range wins where they overlap; each flattened range
 * remembers the width (log2) of the row it came from, so sources can be
 * compared by specificity. Addresses are 128-bit keys (IPv4 as its 32-bit
 * value); a table is kept by columns -- starts, ends (4 bytes each for
 * IPv4), attributes -- with a first-level index on the starts' top 16
 * bits, so a lookup bisects one small bucket. Organisation names are
 * interned once, sanitized, in one string pool; a range holds a 32-bit
 * index into it. The big arrays are mapped with transparent huge pages
 * (pdb_big_alloc) -- or, for the four CSV tables, are the sections of a
 * read-only image file mapped as it is (see "Image" below).
 *
 * Completeness: an address no source covers is unrouted -- a sign of
 * spoofing -- only if the data covers the routing table. The shipped
 * extract (data/prefix, some 35 networks) does not, and most routed
 * addresses are outside it. After each load the tables are measured:
 * IPv4 data counts as complete when its ranges (all kinds together) cover
 * at least 90% of unicast space (the 221 /8s outside 0/8, 10/8, 127/8 and
 * 224/3; the full ip-location-db files of `make data` cover 99.4%, the
 * shipped extract 22%, mostly through a few large country ranges). IPv6
 * has no such yardstick -- most of 2000::/3 is not yet allocated, so a
 * share of it says little -- so IPv6 data counts as complete when its ASN
 * ranges name at least 10,000 distinct origin ASes (the routing table has
 * some 35,000 IPv6 origins; measured with the shipped override file: the
 * full files 52,525, the extract 39).
 * An open MaxMind DB whose type names an ASN database (GeoLite2-ASN,
 * DBIP-ASN-Lite) is complete for the families its tree holds, and the
 * operator may declare any table complete (prefix-complete = yes).
 */
#include "enrich/prefix_impl.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "base/jsonw.h"

const char *const prefix_csv_files[PREFIX_NCSV] = {
	"prefix/asn-ipv4.csv", "prefix/asn-ipv6.csv",
	"prefix/asn-country-ipv4.csv", "prefix/asn-country-ipv6.csv",
};

void
enrich_settings_free(struct enrich_settings *es)
{
	size_t i;

	for (i = 0; i < PREFIX_NCSV; i++) {
		free(es->csv[i]);
		es->csv[i] = NULL;
	}
	free(es->overrides);
	es->overrides = NULL;
}

struct prefixdb *
prefix_db_new(void)
{
	struct prefixdb *db = xcalloc(1, sizeof(*db));
	size_t k;

	db->orgcap = 1024;
	db->orgoff = xcalloc(db->orgcap, sizeof(*db->orgoff));

	for (k = 0; k < T_COUNT; k++) {
		db->tab[k][0].shift = 16;
		db->tab[k][1].shift = 112;
	}
	pdb_pool_add(db, "", 0);		/* id 0 is the empty name */
	db->orgoff[0] = 0;
	db->norgs = 1;
	return db;
}

void
prefix_db_free(struct prefixdb *db)
{
	size_t k, f;

	if (db == NULL)
		return;
	for (k = 0; k < T_COUNT; k++)
		for (f = 0; f < 2; f++)
			pdb_rtab_release(&db->tab[k][f]);
	if (db->imgmapped)
		munmap((void *)db->img, db->imglen);
	for (k = 0; k < db->nmmdb; k++)
		MMDB_close(&db->mmdb[k]);
	free(db->pool);
	free(db->orgoff);
	free(db->ohash);
	free(db);
}

/* ---- completeness ------------------------------------------------------ */

/* Whether the CSV tables are still those of the image, so that its stored
 * measures hold. */
static int
img_intact(const struct prefixdb *db)
{
	return db->img != NULL && db->tab[T_ASN][0].img &&
	    db->tab[T_ASN][1].img && db->tab[T_CC][0].img &&
	    db->tab[T_CC][1].img;
}

/* IPv4 unicast addresses the override ranges add to the image's union:
 * each (disjoint) override range less its overlap with the union. */
static uint64_t
img_extra4(const struct prefixdb *db)
{
	const struct rtab *t = &db->tab[T_OVR][0];
	const uint32_t *u = db->img_union4;
	uint64_t extra = 0;
	size_t i, j, lo, hi;

	for (i = 0; i < t->n; i++) {
		uint32_t a = t->lo32[i], b = t->hi32[i];
		uint64_t in = pdb_unicast4_part(a, b);

		/* The first union interval ending at or after a. */
		lo = 0;
		hi = db->img_nunion4;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (u[2 * mid + 1] < a)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (j = lo; j < db->img_nunion4 && u[2 * j] <= b; j++) {
			uint32_t x = u[2 * j] > a ? u[2 * j] : a;
			uint32_t y = u[2 * j + 1] < b ? u[2 * j + 1] : b;
			uint64_t part = x <= y ? pdb_unicast4_part(x, y) : 0;

			in = part <= in ? in - part : 0;
		}
		extra += in;
	}
	return extra;
}

static int
in_sorted(const uint32_t *v, size_t n, uint32_t x)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo] == x;
}

/*
 * Measure the tables: the union of the IPv4 ranges of every kind, the
 * distinct ASes of the IPv6 ranges; then decide completeness per family.
 * O(rows) -- or, while the CSV tables are an image's, O(overrides) from
 * the measures stored in it, which give the same figures.
 */
void
pdb_coverage_update(struct prefixdb *db)
{
	const struct rtab *t[T_COUNT];
	size_t k, n6 = 0, i;
	uint64_t covered;
	uint32_t *asns;
	int f, intact = img_intact(db);

	if (db->batch)
		return;
	if (intact)
		covered = db->img_covered4 + img_extra4(db);
	else {
		for (k = 0; k < T_COUNT; k++)
			t[k] = &db->tab[k][0];
		covered = pdb_union4(t, T_COUNT, NULL);
	}
	db->unicast4 = (double)covered / (221.0 * 16777216.0);

	n6 = db->tab[T_ASN][1].n + db->tab[T_OVR][1].n;
	asns = xreallocarray(NULL, n6 + 1, sizeof(*asns));
	n6 = 0;
	for (k = T_OVR; k <= T_ASN; k++) {
		if (k == T_ASN && intact)
			break;
		for (i = 0; i < db->tab[k][1].n; i++)
			if (db->tab[k][1].at[i].asn != 0)
				asns[n6++] = db->tab[k][1].at[i].asn;
	}
	qsort(asns, n6, sizeof(*asns), pdb_cmp_u32);
	db->origins6 = intact ? db->img_nasn6 : 0;
	for (i = 0; i < n6; i++)
		if (i == 0 || asns[i] != asns[i - 1])
			db->origins6 += !intact ||
			    !in_sorted(db->img_asn6, db->img_nasn6, asns[i]);
	free(asns);

	for (f = 0; f < 2; f++)
		db->complete[f] = db->declared ? PREFIX_DECLARED :
		    db->mmdb_asn[f] ? PREFIX_MMDB_ASN :
		    (f == 0 ? db->unicast4 >= COMPLETE_UNICAST4 :
		    db->origins6 >= COMPLETE_ORIGINS6) ? PREFIX_COVERAGE :
		    PREFIX_EXTRACT;
}

void
prefix_db_declare_complete(struct prefixdb *db, int yes)
{
	db->declared = yes != 0;
	pdb_coverage_update(db);
}


/* ---- lookups ----------------------------------------------------------- */

/* Whether cc is a country: two letters A-Z (an image's may be anything). */
static int
cc_ok(const char cc[2])
{
	return cc[0] >= 'A' && cc[0] <= 'Z' && cc[1] >= 'A' && cc[1] <= 'Z';
}

/*
 * name as safe for a terminal as the CSV parser makes it: an image's pool
 * was sanitized when it was built, but the image is a file, so a name
 * holding anything but printable ASCII, or too long, is sanitized again
 * into info->orgbuf (the common case costs a scan of the name).
 */
static const char *
img_name(const char *name, struct prefix_info *info)
{
	size_t i;

	for (i = 0; name[i] != '\0'; i++)
		if ((unsigned char)name[i] < 0x20 ||
		    (unsigned char)name[i] > 0x7e || i == PREFIX_ORG_MAX - 1)
			break;
	if (name[i] == '\0')
		return name;
	text_sanitize(info->orgbuf, sizeof(info->orgbuf), name, strlen(name));
	return info->orgbuf;
}

/* The attributes of the row covering key, or NULL. An image's index is
 * clamped to the table: a corrupt one gives wrong answers, never a read
 * outside the arrays. */
static const struct attr *
rtab_find(const struct rtab *t, u128 key)
{
	size_t h, lo, hi;

	if (t->n == 0)
		return NULL;
	if (t->idx != NULL) {
		h = (size_t)(key >> t->shift);
		lo = t->idx[h];
		hi = t->idx[h + 1];
		if (hi > t->n)
			hi = t->n;
		if (lo > hi)
			lo = hi;
	} else {
		lo = 0;
		hi = t->n;
	}
	/* First index whose start is above key; rows before the bucket all
	 * start below it, so lo - 1 is the candidate when none in it fits. */
	if (t->lo32 != NULL) {
		uint32_t k32 = (uint32_t)key;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (t->lo32[mid] <= k32)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == 0 || t->hi32[lo - 1] < k32)
			return NULL;
	} else {
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (t->lo[mid] <= key)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == 0 || t->hi[lo - 1] < key)
			return NULL;
	}
	return &t->at[lo - 1];
}

/* ::ffff:a.b.c.d is IPv4 a.b.c.d (RFC 4291 2.5.5.2). */
static const struct addr *
unmap(const struct addr *a, struct addr *tmp)
{
	static const uint8_t pfx[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };

	if (a->family != 6 || memcmp(a->b, pfx, sizeof(pfx)) != 0)
		return a;
	memset(tmp, 0, sizeof(*tmp));
	tmp->family = 4;
	memcpy(tmp->b, a->b + 12, 4);
	return tmp;
}

void
prefix_lookup(const struct prefixdb *db, const struct addr *a,
    struct prefix_info *info)
{
	const struct attr *ov, *ra, *rc;
	unsigned asn_w = 999, cc_w = 999;
	struct addr tmp;
	u128 key;
	size_t i;
	int f;

	a = unmap(a, &tmp);
	memset(info, 0, offsetof(struct prefix_info, orgbuf));
	info->orgbuf[0] = '\0';
	info->as_org = "";
	info->routed = -1;
	if (a->family != 4 && a->family != 6)
		return;
	f = a->family == 6;
	key = pdb_addr_key(a);
	ov = rtab_find(&db->tab[T_OVR][f], key);
	ra = rtab_find(&db->tab[T_ASN][f], key);
	rc = rtab_find(&db->tab[T_CC][f], key);
	if (db->tab[T_OVR][f].n || db->tab[T_ASN][f].n ||
	    db->tab[T_CC][f].n || db->nmmdb)
		info->routed = ov != NULL || ra != NULL || rc != NULL ?
		    PREFIX_ROUTED : db->complete[f] != PREFIX_EXTRACT ?
		    PREFIX_UNROUTED : PREFIX_PARTIAL;
	if (ra != NULL) {
		info->asn = ra->asn;
		info->as_org = pdb_tab_org(db, &db->tab[T_ASN][f], ra->org);
		if (db->tab[T_ASN][f].img)
			info->as_org = img_name(info->as_org, info);
		info->asn_src = PREFIX_SRC_CSV;
		asn_w = ra->wbits;
	}
	if (rc != NULL && cc_ok(rc->cc)) {
		memcpy(info->country, rc->cc, 2);
		info->country_src = PREFIX_SRC_CSV;
		cc_w = rc->wbits;
	}
	for (i = 0; i < db->nmmdb; i++) {
		struct mmhit h;

		pdb_mmdb_lookup((MMDB_s *)&db->mmdb[i], a, &h);
		if (!h.found)
			continue;
		info->routed = 1;
		/* Ties go to the file the operator named. */
		if (h.asn != 0 && h.wbits <= asn_w) {
			info->asn = h.asn;
			memcpy(info->orgbuf, h.org, sizeof(info->orgbuf));
			info->as_org = info->orgbuf;
			info->asn_src = PREFIX_SRC_MMDB;
			asn_w = h.wbits;
		}
		if (h.cc[0] != '\0' && h.wbits <= cc_w) {
			memcpy(info->country, h.cc, 3);
			info->country_src = PREFIX_SRC_MMDB;
			cc_w = h.wbits;
		}
	}
	if (ov != NULL) {
		if (ov->asn != 0) {
			info->asn = ov->asn;
			info->as_org = db->pool + db->orgoff[ov->org];
			info->asn_src = PREFIX_SRC_OVERRIDE;
		} else if (ov->org != 0)
			info->as_org = db->pool + db->orgoff[ov->org];
		if (ov->cc[0] != '\0') {
			memcpy(info->country, ov->cc, 2);
			info->country[2] = '\0';
			info->country_src = PREFIX_SRC_OVERRIDE;
		}
	}
}

int
prefix_routed(const struct prefixdb *db, const struct addr *a)
{
	struct prefix_info info;
	struct addr tmp;
	int f;

	a = unmap(a, &tmp);
	if (a->family != 4 && a->family != 6)
		return -1;
	f = a->family == 6;
	if (db->nmmdb > 0) {
		prefix_lookup(db, a, &info);
		return info.routed;
	}
	if (!db->tab[T_OVR][f].n && !db->tab[T_ASN][f].n && !db->tab[T_CC][f].n)
		return PREFIX_NO_DATA;
	if (rtab_find(&db->tab[T_OVR][f], pdb_addr_key(a)) != NULL ||
	    rtab_find(&db->tab[T_ASN][f], pdb_addr_key(a)) != NULL ||
	    rtab_find(&db->tab[T_CC][f], pdb_addr_key(a)) != NULL)
		return PREFIX_ROUTED;
	return db->complete[f] != PREFIX_EXTRACT ? PREFIX_UNROUTED :
	    PREFIX_PARTIAL;
}

void
prefix_jsonw(struct jsonw *w, const struct prefix_info *info)
{
	jsonw_key(w, "asn");
	if (info->asn != 0)
		jsonw_u64(w, info->asn);
	else
		jsonw_null(w);
	jsonw_key(w, "as_org");
	if (info->asn != 0 && info->as_org[0] != '\0')
		jsonw_str(w, info->as_org);
	else
		jsonw_null(w);
	jsonw_key(w, "country");
	if (info->country[0] != '\0')
		jsonw_str(w, info->country);
	else
		jsonw_null(w);
}

int
prefix_routed_cb(void *ctx, const struct addr *a)
{
	return prefix_routed(ctx, a);
}

void
prefix_stats(const struct prefixdb *db, struct prefix_stats *st)
{
	size_t k;

	memset(st, 0, sizeof(*st));
	for (k = 0; k < T_COUNT; k++) {
		st->ranges4 += db->tab[k][0].n;
		st->ranges6 += db->tab[k][1].n;
	}
	st->orgs = db->norgs - 1;
	st->overrides = db->noverrides;
	st->mmdbs = db->nmmdb;
	st->unicast4 = db->unicast4;
	st->origins6 = db->origins6;
	st->complete[0] = db->complete[0];
	st->complete[1] = db->complete[1];
	st->image = db->img != NULL;
	if (db->img != NULL)
		st->orgs += db->img_norgs - 1;
}

const char *
prefix_complete_name(enum prefix_complete c)
{
	switch (c) {
	case PREFIX_COVERAGE:
		return "coverage";
	case PREFIX_MMDB_ASN:
		return "mmdb-asn";
	case PREFIX_DECLARED:
		return "declared";
	default:
		return "extract";
	}
}

const char *
prefix_src_name(enum prefix_src s)
{
	switch (s) {
	case PREFIX_SRC_OVERRIDE:
		return "override";
	case PREFIX_SRC_CSV:
		return "csv";
	case PREFIX_SRC_MMDB:
		return "mmdb";
	default:
		return "none";
	}
}

/* Move src's ranges into db, interning their organisation names in db. */
static void
absorb(struct prefixdb *db, struct prefixdb *src)
{
	size_t k, f, i;

	for (k = 0; k < T_COUNT; k++)
		for (f = 0; f < 2; f++) {
			struct rtab *t = &src->tab[k][f];
			struct rows in = { NULL, 0, 0 };

			if (t->n == 0)
				continue;
			in.cap = t->n;
			in.v = pdb_big_alloc(in.cap, sizeof(*in.v));
			for (i = 0; i < t->n; i++) {
				struct attr at = t->at[i];
				const char *name;

				if (at.org != 0) {
					name = pdb_tab_org(src, t, at.org);
					at.org = pdb_org_intern(db, name,
					    strlen(name));
				}
				in.v[i].lo = pdb_tab_lo(t, i);
				in.v[i].hi = pdb_tab_hi(t, i);
				in.v[i].at = at;
			}
			in.n = t->n;
			pdb_rtab_release(t);
			pdb_rtab_merge(db, &db->tab[k][f], &in);
			pdb_big_free(in.v);
		}
	db->noverrides += src->noverrides;
	pdb_coverage_update(db);
}

/* One thread's share of the CSV files. */
struct loadjob {
	struct prefixdb *db;
	const char *paths[4];
	size_t npaths;
	int n;			/* files loaded */
	int rc;			/* 0, or -1 with err */
	char err[ERRBUF_SIZE];
};

static void *
load_worker(void *arg)
{
	struct loadjob *j = arg;
	size_t i;

	for (i = 0; i < j->npaths; i++) {
		if (prefix_load_csv(j->db, j->paths[i], j->err) == -1) {
			j->rc = -1;
			break;
		}
		j->n++;
	}
	return NULL;
}

/* Parse the CSVs at paths (NULL: absent) into db. Files or -1. */
int
pdb_load_csvs(struct prefixdb *db, char *const paths[PREFIX_NCSV],
    char *errbuf)
{
	struct loadjob a, b;
	pthread_t tid;
	size_t i;
	int threaded;

	/*
	 * The largest file (asn-ipv4.csv) here, the other three on a second
	 * thread into a database of their own, merged after: on two cores
	 * the full data loads in about two thirds of the time.
	 */
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.db = db;
	b.db = prefix_db_new();
	b.db->batch = 1;
	for (i = 0; i < PREFIX_NCSV; i++) {
		struct loadjob *j = i == 0 ? &a : &b;

		if (paths[i] != NULL)
			j->paths[j->npaths++] = paths[i];
	}
	threaded = b.npaths > 0 && pthread_create(&tid, NULL, load_worker,
	    &b) == 0;
	load_worker(&a);
	if (threaded)
		pthread_join(tid, NULL);
	else
		load_worker(&b);
	if (a.rc == 0 && b.rc == 0)
		absorb(db, b.db);
	prefix_db_free(b.db);
	if (a.rc != 0 || b.rc != 0) {
		memcpy(errbuf, a.rc != 0 ? a.err : b.err, ERRBUF_SIZE);
		return -1;
	}
	return a.n + b.n;
}

static int
load_default(struct prefixdb *db, const struct enrich_settings *es,
    char *errbuf)
{
	char err[ERRBUF_SIZE], *dir;
	size_t i;
	int n = 0;

	if (pdb_csv_dir(es->csv, &dir, err) != 0)
		err_set(db->imgnote, "%s", err);
	if (pdb_image_open(db, es->csv, dir)) {
		for (i = 0; i < PREFIX_NCSV; i++)
			n += es->csv[i] != NULL;
	} else
		n = pdb_load_csvs(db, es->csv, errbuf);
	free(dir);
	if (n < 0)
		return -1;
	if (es->overrides != NULL) {
		if (prefix_load_overrides(db, es->overrides, errbuf) == -1)
			return -1;
		n++;
	}
	for (i = 0; i < es->nmmdb; i++) {
		if (prefix_load_mmdb(db, es->mmdb[i], errbuf) == -1)
			return -1;
		n++;
	}
	if (es->complete)
		db->declared = 1;
	return n;
}

int
prefix_load_default(struct prefixdb *db, const struct enrich_settings *es,
    char *errbuf)
{
	int n;

	db->batch = 1;		/* measured once, not after each file */
	n = load_default(db, es, errbuf);
	db->batch = 0;
	pdb_coverage_update(db);
	return n;
}
