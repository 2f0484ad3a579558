/*
 * prefix.c -- offline attribution of addresses to AS, organisation and
 * country. See prefix.h.
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
 * (big_alloc) -- or, for the four CSV tables, are the sections of a
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
#include "enrich/prefix.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <maxminddb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "settings/config.h"
#include "base/jsonw.h"
#include "base/rd.h"
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
 * either ours (big_alloc) or point into a mapped image (img != 0), in
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

	MMDB_s mmdb[MAX_MMDB];
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

static void big_free(void *);
static void rtab_release(struct rtab *);

/* ---- organisation names ------------------------------------------------ */

static uint64_t
fnv1a(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void
pool_add(struct prefixdb *db, const char *s, size_t n)
{
	if (db->poollen + n + 1 > db->poolcap) {
		while (db->poollen + n + 1 > db->poolcap)
			db->poolcap = db->poolcap ? db->poolcap * 2 : 65536;
		db->pool = xreallocarray(db->pool, db->poolcap, 1);
	}
	memcpy(db->pool + db->poollen, s, n);
	db->pool[db->poollen + n] = '\0';
	db->poollen += n + 1;
}

static void
ohash_insert(struct prefixdb *db, uint32_t id)
{
	const char *s = db->pool + db->orgoff[id];
	size_t i = fnv1a(s, strlen(s)) & (db->ohcap - 1);

	while (db->ohash[i] != 0)
		i = (i + 1) & (db->ohcap - 1);
	db->ohash[i] = id + 1;
}

/* The id of name (raw bytes from a file: sanitized here). */
static uint32_t
org_intern(struct prefixdb *db, const char *raw, size_t rawlen)
{
	char buf[PREFIX_ORG_MAX];
	const char *s = raw;
	size_t n = rawlen, i, k;

	/* Most names are short printable ASCII, already safe as they are. */
	for (i = 0; i < rawlen; i++)
		if ((unsigned char)raw[i] < 0x20 || (unsigned char)raw[i] > 0x7e)
			break;
	if (i < rawlen || rawlen >= sizeof(buf)) {
		n = text_sanitize(buf, sizeof(buf), raw, rawlen);
		s = buf;
	}
	if (n == 0)
		return 0;
	/* Neighbouring rows often share their organisation. */
	if (db->last_org != 0 && strncmp(db->pool + db->orgoff[db->last_org], s,
	    n) == 0 && db->pool[db->orgoff[db->last_org] + n] == '\0')
		return db->last_org;
	if (db->norgs * 2 >= db->ohcap) {
		free(db->ohash);
		db->ohcap = db->ohcap ? db->ohcap * 2 : 4096;
		db->ohash = xcalloc(db->ohcap, sizeof(*db->ohash));
		for (k = 1; k < db->norgs; k++)
			ohash_insert(db, (uint32_t)k);
	}
	i = fnv1a(s, n) & (db->ohcap - 1);
	while (db->ohash[i] != 0) {
		uint32_t id = db->ohash[i] - 1;

		const char *have = db->pool + db->orgoff[id];

		if (strncmp(have, s, n) == 0 && have[n] == '\0')
			return db->last_org = id;
		i = (i + 1) & (db->ohcap - 1);
	}
	if (db->norgs == db->orgcap) {
		db->orgcap *= 2;
		db->orgoff = xreallocarray(db->orgoff, db->orgcap,
		    sizeof(*db->orgoff));
	}
	if (db->poollen > UINT32_MAX - n - 1)
		fatal("prefix: organisation pool over 4 GiB");
	db->orgoff[db->norgs] = (uint32_t)db->poollen;
	pool_add(db, s, n);
	db->ohash[i] = (uint32_t)db->norgs + 1;
	db->last_org = (uint32_t)db->norgs;
	return (uint32_t)db->norgs++;
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
	pool_add(db, "", 0);		/* id 0 is the empty name */
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
			rtab_release(&db->tab[k][f]);
	if (db->imgmapped)
		munmap((void *)db->img, db->imglen);
	for (k = 0; k < db->nmmdb; k++)
		MMDB_close(&db->mmdb[k]);
	free(db->pool);
	free(db->orgoff);
	free(db->ohash);
	free(db);
}

/* ---- ranges ------------------------------------------------------------ */

/*
 * Range arrays are tens of megabytes: they are mapped directly and marked
 * for transparent huge pages, because on virtual machines faulting in 4 KiB
 * pages one by one costs more than parsing the CSV. The size is kept in a
 * 64-byte header (which also keeps 16-byte alignment for the keys).
 */
#define BIG_HDR 64

static void *
big_alloc(size_t nmemb, size_t size)
{
	size_t n;
	uint8_t *m;

	if (size != 0 && nmemb > (SIZE_MAX - BIG_HDR) / size)
		fatal("prefix: allocation overflow");
	n = nmemb * size + BIG_HDR;
	m = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	if (m == MAP_FAILED)
		fatal("prefix: out of memory (%zu bytes)", n);
	if (n >= ((size_t)2 << 20))
		(void)madvise(m, n, MADV_HUGEPAGE);
	memcpy(m, &n, sizeof(n));
	return m + BIG_HDR;
}

static void
big_free(void *p)
{
	uint8_t *m = p;
	size_t n;

	if (p == NULL)
		return;
	m -= BIG_HDR;
	memcpy(&n, m, sizeof(n));
	munmap(m, n);
}

static void *
big_realloc(void *p, size_t oldn, size_t nmemb, size_t size)
{
	void *q = big_alloc(nmemb, size);

	if (p != NULL) {
		memcpy(q, p, oldn * size);
		big_free(p);
	}
	return q;
}

static unsigned
log2w(u128 lo, u128 hi)
{
	u128 w = hi - lo + 1;
	uint64_t h = (uint64_t)(w >> 64), l = (uint64_t)w;

	if (w == 0)
		return 128;		/* the whole IPv6 space */
	if (h != 0)
		return 127 - (unsigned)__builtin_clzll(h);
	return 63 - (unsigned)__builtin_clzll(l);
}

static void
rows_push(struct rows *r, u128 lo, u128 hi, const struct attr *at)
{
	if (r->n == r->cap) {
		size_t old = r->cap;

		r->cap = r->cap ? r->cap * 2 : 1024;
		r->v = big_realloc(r->v, old, r->cap, sizeof(*r->v));
	}
	r->v[r->n].lo = lo;
	r->v[r->n].hi = hi;
	r->v[r->n].at = *at;
	r->n++;
}

static int
row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	/* Same start: the wider first, so the narrower ends up on top. */
	if (x->at.wbits != y->at.wbits)
		return x->at.wbits > y->at.wbits ? -1 : 1;
	return 0;
}

/* The organisation name of an attribute of table t. Image ids and offsets
 * are checked here, at each use: the image is a file, and only its header
 * and section bounds are checked when it is opened. */
static const char *
tab_org(const struct prefixdb *db, const struct rtab *t, uint32_t id)
{
	uint32_t off;

	if (!t->img)
		return db->pool + db->orgoff[id];
	if (id >= db->img_norgs)
		return "";
	off = db->img_orgoff[id];
	return off < db->img_poollen ? db->img_pool + off : "";
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

/* Whether cc is a country: two letters A-Z (an image's may be anything). */
static int
cc_ok(const char cc[2])
{
	return cc[0] >= 'A' && cc[0] <= 'Z' && cc[1] >= 'A' && cc[1] <= 'Z';
}

static u128
tab_lo(const struct rtab *t, size_t i)
{
	return t->lo32 != NULL ? t->lo32[i] : t->lo[i];
}

static u128
tab_hi(const struct rtab *t, size_t i)
{
	return t->hi32 != NULL ? t->hi32[i] : t->hi[i];
}

/* Free what t owns (nothing if it is the image's) and empty it. */
static void
rtab_release(struct rtab *t)
{
	if (!t->img) {
		big_free((void *)t->lo);
		big_free((void *)t->hi);
		big_free((void *)t->lo32);
		big_free((void *)t->hi32);
		big_free((void *)t->at);
		free((void *)t->idx);
	}
	t->lo = t->hi = NULL;
	t->lo32 = t->hi32 = NULL;
	t->at = NULL;
	t->idx = NULL;
	t->n = 0;
	t->img = 0;
}

/* Fill the (released, empty) table t with the disjoint sorted rows r. */
static void
rtab_build(struct rtab *t, const struct rows *r)
{
	struct attr *at;
	uint32_t *idx;
	size_t i, h;

	if (r->n > UINT32_MAX)
		fatal("prefix: over 4 billion ranges");
	t->n = r->n;
	if (t->n == 0)
		return;
	if (t->shift == 16) {
		uint32_t *lo = big_alloc(t->n, sizeof(*lo));
		uint32_t *hi = big_alloc(t->n, sizeof(*hi));

		for (i = 0; i < t->n; i++) {
			lo[i] = (uint32_t)r->v[i].lo;
			hi[i] = (uint32_t)r->v[i].hi;
		}
		t->lo32 = lo;
		t->hi32 = hi;
	} else {
		u128 *lo = big_alloc(t->n, sizeof(*lo));
		u128 *hi = big_alloc(t->n, sizeof(*hi));

		for (i = 0; i < t->n; i++) {
			lo[i] = r->v[i].lo;
			hi[i] = r->v[i].hi;
		}
		t->lo = lo;
		t->hi = hi;
	}
	at = big_alloc(t->n, sizeof(*at));
	for (i = 0; i < t->n; i++)
		at[i] = r->v[i].at;
	t->at = at;
	if (t->n < IDX_MIN_ROWS)	/* an override file: bisect it all */
		return;
	idx = xcalloc(IDX_SIZE + 1, sizeof(*idx));
	for (h = 0, i = 0; h <= IDX_SIZE; h++) {
		while (i < t->n && (size_t)(r->v[i].lo >> t->shift) < h)
			i++;
		idx[h] = (uint32_t)i;
	}
	t->idx = idx;
}

/*
 * Replace t with the flattening of its own ranges plus in->v[0..n).
 * A stack holds the rows open at the sweep position; the top one (the
 * latest started, so the narrowest for nested prefixes) owns the space.
 * Where two rows cross without nesting, the later-starting one wins.
 * Rows of an image table are copied out (their names interned in db).
 */
static void
rtab_merge(struct prefixdb *db, struct rtab *t, struct rows *in)
{
	struct rows all = { NULL, 0, 0 }, out = { NULL, 0, 0 };
	struct row *stack = NULL;
	size_t i, sp = 0, sorted = 1;
	u128 pos = 0;
	int done = 0;

	/* The common case, one CSV file already sorted and disjoint: its
	 * rows are the table as they are. */
	if (t->n == 0) {
		for (i = 1; i < in->n; i++)
			if (in->v[i - 1].hi >= in->v[i].lo)
				break;
		if (i >= in->n) {
			rtab_release(t);
			rtab_build(t, in);
			return;
		}
	}
	all.cap = t->n + in->n;
	all.v = big_alloc(all.cap + 1, sizeof(*all.v));
	for (i = 0; i < t->n; i++) {
		struct attr at = t->at[i];

		if (t->img && at.org != 0) {
			const char *name = tab_org(db, t, at.org);

			at.org = org_intern(db, name, strlen(name));
		}
		all.v[i].lo = tab_lo(t, i);
		all.v[i].hi = tab_hi(t, i);
		all.v[i].at = at;
	}
	if (in->n > 0)
		memcpy(all.v + t->n, in->v, in->n * sizeof(*in->v));
	all.n = t->n + in->n;
	for (i = 1; i < all.n && sorted; i++)
		if (row_cmp(&all.v[i - 1], &all.v[i]) > 0)
			sorted = 0;
	if (!sorted)
		qsort(all.v, all.n, sizeof(*all.v), row_cmp);
	stack = xreallocarray(NULL, all.n + 1, sizeof(*stack));
	for (i = 0; i < all.n; i++) {
		const struct row *r = &all.v[i];

		while (sp > 0 && stack[sp - 1].hi < r->lo) {
			const struct row *top = &stack[--sp];

			if (pos <= top->hi) {
				rows_push(&out, pos, top->hi, &top->at);
				pos = top->hi + 1;	/* hi < r->lo: no wrap */
			}
		}
		if (sp > 0 && pos < r->lo)
			rows_push(&out, pos, r->lo - 1, &stack[sp - 1].at);
		pos = r->lo;
		stack[sp++] = *r;
	}
	while (sp > 0 && !done) {
		const struct row *top = &stack[--sp];

		if (pos <= top->hi) {
			rows_push(&out, pos, top->hi, &top->at);
			if (top->hi == ~(u128)0)
				done = 1;
			pos = top->hi + 1;
		}
	}
	free(stack);
	big_free(all.v);
	rtab_release(t);
	rtab_build(t, &out);
	big_free(out.v);
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

static u128
addr_key(const struct addr *a)
{
	u128 k = 0;
	int i;

	if (a->family == 4)
		return addr_v4(a);
	for (i = 0; i < 16; i++)
		k = k << 8 | a->b[i];
	return k;
}

/* ---- reading files ----------------------------------------------------- */

/* Map a whole file read-only; release with unslurp(). */
static uint8_t *
slurp(const char *path, size_t *len, char *errbuf)
{
	static uint8_t empty[1];
	struct stat st;
	void *m;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		err_set(errbuf, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > FILE_MAX) {
		err_set(errbuf, "%s: not a regular file under 1 GiB", path);
		close(fd);
		return NULL;
	}
	*len = (size_t)st.st_size;
	if (*len == 0) {
		close(fd);
		return empty;
	}
	m = mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED) {
		err_set(errbuf, "%s: %s", path, strerror(errno));
		return NULL;
	}
	(void)madvise(m, *len, MADV_SEQUENTIAL);
	return m;
}

static void
unslurp(uint8_t *p, size_t len)
{
	if (len > 0)
		munmap(p, len);
}

/* ---- CSV --------------------------------------------------------------- */

/* A dotted quad, strictly: four decimal parts 0-255, no leading junk. */
static int
parse_v4(const char *s, size_t n, uint32_t *out)
{
	uint32_t v = 0, part = 0;
	size_t i, digits = 0, dots = 0;

	for (i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			part = part * 10 + (uint32_t)(s[i] - '0');
			if (++digits > 3 || part > 255)
				return -1;
		} else if (s[i] == '.' && digits > 0 && dots < 3) {
			v = v << 8 | part;
			part = 0;
			digits = 0;
			dots++;
		} else
			return -1;
	}
	if (dots != 3 || digits == 0)
		return -1;
	*out = v << 8 | part;
	return 0;
}

/* An address field: family 4 or 6 into *fam, key into *k. */
static int
parse_key(const char *s, size_t n, int *fam, u128 *k)
{
	uint32_t v4;
	uint8_t b[16];
	char tmp[ADDR_STRLEN];
	int i;

	if (parse_v4(s, n, &v4) == 0) {
		*fam = 4;
		*k = v4;
		return 0;
	}
	if (n == 0 || n >= sizeof(tmp) || memchr(s, ':', n) == NULL)
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (inet_pton(AF_INET6, tmp, b) != 1)
		return -1;
	*fam = 6;
	*k = 0;
	for (i = 0; i < 16; i++)
		*k = *k << 8 | b[i];
	return 0;
}

struct csvfield {
	char buf[FIELD_MAX];
	size_t len;
};

/*
 * Read one field at r (RFC 4180). Returns the character that ended it
 * (',' or '\n', or 0 at the end of input), or -1 with errbuf filled.
 * Counts newlines inside quotes into *line.
 */
static int
csv_field(struct rd *r, struct csvfield *f, unsigned *line, const char *name,
    char *errbuf)
{
	unsigned start = *line;
	uint8_t c;

	f->len = 0;
	if (rd_left(r) > 0 && r->p[r->off] == '"') {
		rd_skip(r, 1);
		for (;;) {
			if (rd_left(r) == 0)
				return err_set(errbuf, "%s:%u: unterminated quoted "
				    "field", name, start);
			c = rd_u8(r);
			if (c == '"') {
				if (rd_left(r) > 0 && r->p[r->off] == '"')
					rd_skip(r, 1);
				else
					break;
			} else if (c == '\n')
				(*line)++;
			if (f->len == FIELD_MAX - 1)
				return err_set(errbuf, "%s:%u: field longer than "
				    "%d bytes", name, *line, FIELD_MAX - 1);
			f->buf[f->len++] = (char)c;
		}
		if (rd_left(r) > 0 && r->p[r->off] == '\r')
			rd_skip(r, 1);
		if (rd_left(r) == 0)
			return 0;
		c = rd_u8(r);
		if (c != ',' && c != '\n')
			return err_set(errbuf, "%s:%u: text after a closing "
			    "quote", name, *line);
		return c;
	}
	/* Plain bytes in bulk: the scan stops at the reader's end. */
	{
		const uint8_t *q = r->p + r->off, *end = r->p + r->len;
		size_t k;

		while (q < end && *q != ',' && *q != '\n' && *q != '"')
			q++;
		k = (size_t)(q - (r->p + r->off));
		if (k > FIELD_MAX - 1)
			return err_set(errbuf, "%s:%u: field longer than %d "
			    "bytes", name, *line, FIELD_MAX - 1);
		memcpy(f->buf, r->p + r->off, k);
		f->len = k;
		rd_skip(r, k);
	}
	while (rd_left(r) > 0) {
		c = rd_u8(r);
		if (c == ',' || c == '\n') {
			if (c == '\n' && f->len > 0 && f->buf[f->len - 1] == '\r')
				f->len--;
			return c;
		}
		if (c == '"')
			return err_set(errbuf, "%s:%u: quote inside an unquoted "
			    "field", name, *line);
		if (f->len == FIELD_MAX - 1)
			return err_set(errbuf, "%s:%u: field longer than %d "
			    "bytes", name, *line, FIELD_MAX - 1);
		f->buf[f->len++] = (char)c;
	}
	if (f->len > 0 && f->buf[f->len - 1] == '\r')
		f->len--;
	return 0;
}

static int
parse_asn(const char *s, size_t n, uint32_t *asn)
{
	uint64_t v = 0;
	size_t i;

	if (n >= 2 && (s[0] == 'A' || s[0] == 'a') && (s[1] == 'S' || s[1] == 's')) {
		s += 2;
		n -= 2;
	}
	if (n == 0 || n > 10)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > UINT32_MAX)
		return -1;
	*asn = (uint32_t)v;
	return 0;
}

static int
parse_cc(const char *s, size_t n, char cc[2])
{
	size_t i;

	if (n != 2)
		return -1;
	for (i = 0; i < 2; i++) {
		char c = s[i];

		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c < 'A' || c > 'Z')
			return -1;
		cc[i] = c;
	}
	return 0;
}

/* ---- completeness ------------------------------------------------------ */

/* Addresses of [lo, hi] (IPv4 keys) inside IPv4 unicast space: 1/8-9/8,
 * 11/8-126/8, 128/8-223/8. */
static uint64_t
unicast4_part(u128 lo, u128 hi)
{
	static const uint32_t span[3][2] = {
		{ 0x01000000u, 0x09ffffffu },
		{ 0x0b000000u, 0x7effffffu },
		{ 0x80000000u, 0xdfffffffu },
	};
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < 3; i++) {
		u128 a = lo > span[i][0] ? lo : span[i][0];
		u128 b = hi < span[i][1] ? hi : span[i][1];

		if (a <= b)
			n += (uint64_t)(b - a + 1);
	}
	return n;
}

static int
cmp_u32p(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	return a < b ? -1 : a > b;
}

/*
 * The union of the IPv4 ranges of tables t[0..nt) (each sorted and
 * disjoint, so a k-way merge): returns the unicast addresses it holds and,
 * if out is not NULL, appends its maximal intervals there. O(rows).
 */
static uint64_t
union4(const struct rtab *const *t, size_t nt, struct rows *out)
{
	static const struct attr none;
	size_t pos[T_COUNT] = { 0 }, k;
	uint64_t covered = 0;
	u128 clo = 0, chi = 0;
	int open = 0;

	for (;;) {
		u128 lo = 0, hi = 0;
		size_t best = nt;

		for (k = 0; k < nt; k++)
			if (pos[k] < t[k]->n && (best == nt ||
			    tab_lo(t[k], pos[k]) < lo)) {
				lo = tab_lo(t[k], pos[k]);
				best = k;
			}
		if (best == nt)
			break;
		hi = tab_hi(t[best], pos[best]);
		pos[best]++;
		if (open && lo <= chi + 1) {
			if (hi > chi)
				chi = hi;
			continue;
		}
		if (open) {
			covered += unicast4_part(clo, chi);
			if (out != NULL)
				rows_push(out, clo, chi, &none);
		}
		clo = lo;
		chi = hi;
		open = 1;
	}
	if (open) {
		covered += unicast4_part(clo, chi);
		if (out != NULL)
			rows_push(out, clo, chi, &none);
	}
	return covered;
}

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
		uint64_t in = unicast4_part(a, b);

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
			uint64_t part = x <= y ? unicast4_part(x, y) : 0;

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
static void
coverage_update(struct prefixdb *db)
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
		covered = union4(t, T_COUNT, NULL);
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
	qsort(asns, n6, sizeof(*asns), cmp_u32p);
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
	coverage_update(db);
}

/* Append parsed rows to db tables of kind k (by family). */
static void
commit_rows(struct prefixdb *db, int k, struct rows in[2])
{
	int f;

	for (f = 0; f < 2; f++) {
		if (in[f].n > 0)
			rtab_merge(db, &db->tab[k][f], &in[f]);
		big_free(in[f].v);
	}
	coverage_update(db);
}

long
prefix_parse_csv(struct prefixdb *db, const uint8_t *p, size_t len,
    const char *name, char *errbuf)
{
	struct csvfield *fld = xcalloc(4, sizeof(*fld));
	struct rows in[2] = { { NULL, 0, 0 }, { NULL, 0, 0 } };
	struct rd r;
	unsigned line = 0;
	int kind = -1;		/* T_ASN or T_CC once the first row is read */
	long nrows = 0;

	/* Reserve by the file's size (rows are over 20 bytes): untouched
	 * pages of a large allocation cost nothing, copies do. */
	in[0].cap = in[1].cap = len / 20 + 16;
	in[0].v = big_alloc(in[0].cap, sizeof(struct row));
	in[1].v = big_alloc(in[1].cap, sizeof(struct row));
	rd_init(&r, p, len);
	while (rd_left(&r) > 0) {
		struct attr at;
		int nf = 0, end, fam1, fam2;
		u128 lo, hi;

		line++;
		memset(&at, 0, sizeof(at));
		do {
			struct csvfield tmp, *cf = nf < 4 ? &fld[nf] : &tmp;

			end = csv_field(&r, cf, &line, name, errbuf);
			if (end == -1)
				goto fail;
			cf->buf[cf->len] = '\0';	/* len < FIELD_MAX */
			nf++;
		} while (end == ',');
		if (nf == 1 && fld[0].len == 0)
			continue;	/* blank line */
		if (nf != 3 && nf != 4) {
			err_set(errbuf, "%s:%u: %d fields; want start,end,asn,org "
			    "or start,end,country", name, line, nf);
			goto fail;
		}
		if (parse_key(fld[0].buf, fld[0].len, &fam1, &lo) != 0 ||
		    parse_key(fld[1].buf, fld[1].len, &fam2, &hi) != 0) {
			if (line == 1 && fld[0].len > 0 &&
			    strpbrk(fld[0].buf, "0123456789:") == NULL)
				continue;	/* a header row: no address */
			err_set(errbuf, "%s:%u: start and end must be IP "
			    "addresses (the -num.csv files are not read)", name,
			    line);
			goto fail;
		}
		if (fam1 != fam2 || lo > hi) {
			err_set(errbuf, "%s:%u: start and end are not an "
			    "ascending range of one family", name, line);
			goto fail;
		}
		if (kind == -1)
			kind = nf == 4 ? T_ASN : T_CC;
		if ((kind == T_ASN) != (nf == 4)) {
			err_set(errbuf, "%s:%u: %d fields, but the file started "
			    "with rows of %d", name, line, nf,
			    kind == T_ASN ? 4 : 3);
			goto fail;
		}
		if (kind == T_ASN) {
			if (parse_asn(fld[2].buf, fld[2].len, &at.asn) != 0) {
				err_set(errbuf, "%s:%u: AS number '%.*s' is not a "
				    "number up to 4294967295", name, line,
				    (int)(fld[2].len > 20 ? 20 : fld[2].len),
				    fld[2].buf);
				goto fail;
			}
			at.org = org_intern(db, fld[3].buf, fld[3].len);
		} else if (parse_cc(fld[2].buf, fld[2].len, at.cc) != 0) {
			err_set(errbuf, "%s:%u: country is not two letters", name,
			    line);
			goto fail;
		}
		at.wbits = (uint8_t)log2w(lo, hi);
		rows_push(&in[fam1 == 6], lo, hi, &at);
		nrows++;
	}
	if (kind != -1)
		commit_rows(db, kind, in);
	else {
		big_free(in[0].v);
		big_free(in[1].v);
	}
	free(fld);
	return nrows;
fail:
	big_free(in[0].v);
	big_free(in[1].v);
	free(fld);
	return -1;
}

long
prefix_load_csv(struct prefixdb *db, const char *path, char *errbuf)
{
	size_t len;
	uint8_t *buf = slurp(path, &len, errbuf);
	long n;

	if (buf == NULL)
		return -1;
	n = prefix_parse_csv(db, buf, len, path, errbuf);
	unslurp(buf, len);
	return n;
}

/* ---- overrides --------------------------------------------------------- */

static int
is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Next blank-separated word of line[*i..n): start and length. */
static int
word(const char *line, size_t n, size_t *i, size_t *ws, size_t *wl)
{
	while (*i < n && is_blank(line[*i]))
		(*i)++;
	*ws = *i;
	while (*i < n && !is_blank(line[*i]))
		(*i)++;
	*wl = *i - *ws;
	return *wl > 0;
}

long
prefix_parse_overrides(struct prefixdb *db, const uint8_t *p, size_t len,
    const char *name, char *errbuf)
{
	struct rows in[2] = { { NULL, 0, 0 }, { NULL, 0, 0 } };
	struct rd r;
	unsigned line = 0;
	long nrows = 0;

	rd_init(&r, p, len);
	while (rd_left(&r) > 0) {
		const uint8_t *nl = memchr(r.p + r.off, '\n', rd_left(&r));
		size_t n = nl != NULL ? (size_t)(nl - (r.p + r.off)) : rd_left(&r);
		const char *s = (const char *)rd_take(&r, n);
		char tok[64], bad[48];
		size_t i = 0, ws, wl, badpos;
		struct prefix pf;
		struct attr at;
		u128 lo, hi, mask;
		int fam;

		if (nl != NULL)
			rd_skip(&r, 1);
		line++;
		if (n > LINE_MAX_OVR) {
			err_set(errbuf, "%s:%u: line longer than %d bytes", name,
			    line, LINE_MAX_OVR);
			goto fail;
		}
		if (!utf8_valid(s, n, &badpos)) {
			err_set(errbuf, "%s:%u: invalid UTF-8 at byte %zu", name,
			    line, badpos + 1);
			goto fail;
		}
		if (!word(s, n, &i, &ws, &wl) || s[ws] == '#')
			continue;
		memset(&at, 0, sizeof(at));
		text_sanitize(bad, sizeof(bad), s + ws, wl);
		tok[0] = '\0';
		if (wl < sizeof(tok)) {
			memcpy(tok, s + ws, wl);
			tok[wl] = '\0';
		}
		if (strchr(tok, '/') == NULL || prefix_parse(tok, &pf) != 0) {
			err_set(errbuf, "%s:%u: '%s' is not a prefix such as "
			    "192.0.2.0/24 or 2001:db8::/32", name, line, bad);
			goto fail;
		}
		if (!word(s, n, &i, &ws, &wl)) {
			err_set(errbuf, "%s:%u: missing ASN (a number, ASnnn or "
			    "'-') after the prefix", name, line);
			goto fail;
		}
		text_sanitize(bad, sizeof(bad), s + ws, wl);
		if (!(wl == 1 && s[ws] == '-') &&
		    parse_asn(s + ws, wl, &at.asn) != 0) {
			err_set(errbuf, "%s:%u: ASN '%s' is not a number, ASnnn "
			    "or '-'", name, line, bad);
			goto fail;
		}
		if (!word(s, n, &i, &ws, &wl)) {
			err_set(errbuf, "%s:%u: missing country (two letters or "
			    "'-') after the ASN", name, line);
			goto fail;
		}
		text_sanitize(bad, sizeof(bad), s + ws, wl);
		if (!(wl == 1 && s[ws] == '-') &&
		    parse_cc(s + ws, wl, at.cc) != 0) {
			err_set(errbuf, "%s:%u: country '%s' is not two letters "
			    "(ISO 3166) or '-'", name, line, bad);
			goto fail;
		}
		while (i < n && is_blank(s[i]))
			i++;
		while (n > i && is_blank(s[n - 1]))
			n--;
		at.org = org_intern(db, s + i, n - i);
		fam = pf.addr.family;
		lo = addr_key(&pf.addr);
		if (fam == 4)
			mask = pf.len == 0 ? 0xffffffffu :
			    (((u128)1 << (32 - pf.len)) - 1);
		else
			mask = pf.len == 0 ? ~(u128)0 :
			    (((u128)1 << (128 - pf.len)) - 1);
		hi = lo | mask;
		at.wbits = (uint8_t)log2w(lo, hi);
		rows_push(&in[fam == 6], lo, hi, &at);
		nrows++;
	}
	commit_rows(db, T_OVR, in);
	db->noverrides += (size_t)nrows;
	return nrows;
fail:
	big_free(in[0].v);
	big_free(in[1].v);
	return -1;
}

long
prefix_load_overrides(struct prefixdb *db, const char *path, char *errbuf)
{
	size_t len;
	uint8_t *buf = slurp(path, &len, errbuf);
	long n;

	if (buf == NULL)
		return -1;
	n = prefix_parse_overrides(db, buf, len, path, errbuf);
	unslurp(buf, len);
	return n;
}

/* ---- MaxMind DB -------------------------------------------------------- */

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

	if (db->nmmdb == MAX_MMDB)
		return err_set(errbuf, "%s: at most %d MaxMind DB files", path,
		    MAX_MMDB);
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
	coverage_update(db);
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

struct mmhit {
	int found;
	unsigned wbits;
	uint32_t asn;
	char org[PREFIX_ORG_MAX];
	char cc[3];
};

/* Look a up in one MaxMind DB; knows the GeoLite2/DB-IP and IPinfo keys. */
static void
mmdb_lookup(MMDB_s *m, const struct addr *a, struct mmhit *h)
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
		(void)parse_asn(tmp, strlen(tmp), &h->asn);
	if (mmdb_str(&res.entry, h->org, sizeof(h->org), p_org) != 0)
		(void)mmdb_str(&res.entry, h->org, sizeof(h->org), p_org_ipinfo);
	if (mmdb_str(&res.entry, tmp, sizeof(tmp), p_cc) != 0 &&
	    mmdb_str(&res.entry, tmp, sizeof(tmp), p_cc_flat) != 0 &&
	    mmdb_str(&res.entry, tmp, sizeof(tmp), p_cc_ipinfo) != 0)
		tmp[0] = '\0';
	if (parse_cc(tmp, strlen(tmp), h->cc) != 0)
		h->cc[0] = '\0';
	h->cc[2] = '\0';
}

/* ---- lookups ----------------------------------------------------------- */

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
	key = addr_key(a);
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
		info->as_org = tab_org(db, &db->tab[T_ASN][f], ra->org);
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

		mmdb_lookup((MMDB_s *)&db->mmdb[i], a, &h);
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
	if (rtab_find(&db->tab[T_OVR][f], addr_key(a)) != NULL ||
	    rtab_find(&db->tab[T_ASN][f], addr_key(a)) != NULL ||
	    rtab_find(&db->tab[T_CC][f], addr_key(a)) != NULL)
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
			in.v = big_alloc(in.cap, sizeof(*in.v));
			for (i = 0; i < t->n; i++) {
				struct attr at = t->at[i];
				const char *name;

				if (at.org != 0) {
					name = tab_org(src, t, at.org);
					at.org = org_intern(db, name,
					    strlen(name));
				}
				in.v[i].lo = tab_lo(t, i);
				in.v[i].hi = tab_hi(t, i);
				in.v[i].at = at;
			}
			in.n = t->n;
			rtab_release(t);
			rtab_merge(db, &db->tab[k][f], &in);
			big_free(in.v);
		}
	db->noverrides += src->noverrides;
	coverage_update(db);
}

/* ---- image ------------------------------------------------------------ */

/*
 * The image (man/kyocho-prefixes.5, "IMAGE"): the CSV tables as they are
 * in memory, written once by `kyocho prefix build` (and `make data`) next
 * to the CSVs and mapped read-only (MAP_SHARED: every kyocho process
 * shares the page cache's copy) instead of parsed. Layout, in the byte
 * order of the machine that wrote it (recorded; another order is refused):
 *   struct img_hdr, then sections at 64-byte aligned offsets: for each of
 *   the four CSV tables (ASN v4, ASN v6, country v4, country v6) the
 *   starts, the ends (4 or 16 bytes each), the attributes (struct attr)
 *   and the first-level index (or nothing for small tables); the
 *   organisation pool and its offsets; the IPv4 union of the tables
 *   (uint32 pairs) and the distinct IPv6 origin ASes, so the completeness
 *   measure needs no pass over the rows.
 * The header records each source CSV's size, mtime and content hash: an
 * image whose sources changed is stale and not used.
 * Checks on open are O(1): the header's own hash, the version, byte
 * order, file size and every section's bounds, alignment and size
 * against its row count. The hash of the whole body is checked by
 * `kyocho prefix verify` and right after writing, not at every start:
 * it would read all 25 MB, which is what the image avoids. What is left
 * unchecked (indexes into the tables and the pool) is checked at each
 * use, so a corrupt body gives wrong answers, never a read outside the
 * file. The hash finds accidents (a torn copy, a bad disk), not an
 * attacker: whoever can write the image can write the CSVs.
 */
#define IMG_NAME	"kyocho-ranges.img"
#define IMG_MAGIC	"KYOPREFX"
#define IMG_VERSION	1
#define IMG_BYTEORDER	0x01020304u
#define IMG_ALIGN	64
#define IMG_NSRC	4
#define IMG_NTAB	4	/* (kind - T_ASN) * 2 + family */
enum { SEC_LO, SEC_HI, SEC_AT, SEC_IDX, SEC_PER_TAB };
enum {
	SEC_POOL = IMG_NTAB * SEC_PER_TAB, SEC_ORGOFF, SEC_UNION4, SEC_ASN6,
	IMG_NSEC
};

static const char *const csv_rel[IMG_NSRC] = {
	"prefix/asn-ipv4.csv", "prefix/asn-ipv6.csv",
	"prefix/asn-country-ipv4.csv", "prefix/asn-country-ipv6.csv",
};

struct img_src {
	uint64_t present;
	uint64_t size;
	int64_t mtime_s, mtime_ns;
	uint64_t hash;		/* hash64 of the contents */
};

struct img_sec {
	uint64_t off, len;	/* bytes from the start of the file */
};

struct img_hdr {
	char magic[8];
	uint32_t version;
	uint32_t byteorder;
	uint64_t size;		/* of the whole file */
	uint64_t body_hash;	/* hash64 of [sizeof(struct img_hdr), size) */
	struct img_src src[IMG_NSRC];
	uint64_t covered4;	/* unicast addresses in the union */
	uint64_t nrows[IMG_NTAB];
	uint64_t norgs, nunion4, nasn6;
	struct img_sec sec[IMG_NSEC];
	uint64_t hdr_hash;	/* hash64 of the bytes above */
};

_Static_assert(sizeof(struct attr) == 12, "struct attr is in the image");
_Static_assert(sizeof(struct img_hdr) % 8 == 0, "no tail padding");

#define HASH_SEED 0x6b796f63686f3121ULL

/* A 64-bit hash, 8 bytes a step: for accidents, not for adversaries. */
static uint64_t
hash64(uint64_t h, const uint8_t *p, size_t n)
{
	uint64_t w;

	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	for (; n > 0; p++, n--) {
		h = (h ^ *p) * 0x100000001b3ULL;
		h ^= h >> 29;
	}
	return h ^ h >> 32;
}

/* Check p[0..len) is an image: header and sections. 0, or -1 and errbuf. */
static int
img_check(const uint8_t *p, size_t len, struct img_hdr *h, char *errbuf)
{
	size_t i;

	if (len < sizeof(*h))
		return err_set(errbuf, "%zu bytes, shorter than an image header",
		    len);
	memcpy(h, p, sizeof(*h));
	if (memcmp(h->magic, IMG_MAGIC, 8) != 0)
		return err_set(errbuf, "not a kyocho prefix image");
	if (h->byteorder != IMG_BYTEORDER)
		return err_set(errbuf, "written on a machine of another byte "
		    "order");
	if (h->version != IMG_VERSION)
		return err_set(errbuf, "image version %u, this kyocho reads %u",
		    h->version, IMG_VERSION);
	if (hash64(HASH_SEED, p, offsetof(struct img_hdr, hdr_hash)) !=
	    h->hdr_hash)
		return err_set(errbuf, "header checksum mismatch");
	if (h->size != len)
		return err_set(errbuf, "%zu bytes, its header says %llu "
		    "(truncated?)", len, (unsigned long long)h->size);
	if ((uintptr_t)p % 16 != 0)
		return err_set(errbuf, "image not aligned in memory");
	for (i = 0; i < IMG_NSEC; i++) {
		const struct img_sec *s = &h->sec[i];

		if (s->off % IMG_ALIGN != 0 || s->off < sizeof(*h) ||
		    s->off > len || s->len > len - s->off)
			return err_set(errbuf, "section %zu outside the file", i);
	}
	for (i = 0; i < IMG_NTAB; i++) {
		uint64_t n = h->nrows[i], ks = i % 2 ? 16 : 4;
		const struct img_sec *s = &h->sec[i * SEC_PER_TAB];

		if (n > UINT32_MAX || s[SEC_LO].len != n * ks ||
		    s[SEC_HI].len != n * ks ||
		    s[SEC_AT].len != n * sizeof(struct attr) ||
		    (s[SEC_IDX].len != 0 && s[SEC_IDX].len !=
		    (IDX_SIZE + 1) * sizeof(uint32_t)))
			return err_set(errbuf, "table %zu: sizes do not match "
			    "its %llu rows", i, (unsigned long long)n);
	}
	if (h->norgs == 0 || h->norgs > len || h->nunion4 > len ||
	    h->nasn6 > len ||
	    h->sec[SEC_ORGOFF].len != h->norgs * sizeof(uint32_t) ||
	    h->sec[SEC_UNION4].len != h->nunion4 * 2 * sizeof(uint32_t) ||
	    h->sec[SEC_ASN6].len != h->nasn6 * sizeof(uint32_t))
		return err_set(errbuf, "organisation or measure sections do "
		    "not match their counts");
	if (h->sec[SEC_POOL].len == 0 ||
	    p[h->sec[SEC_POOL].off + h->sec[SEC_POOL].len - 1] != '\0')
		return err_set(errbuf, "organisation pool not terminated");
	return 0;
}

int
prefix_image_attach(struct prefixdb *db, const uint8_t *p, size_t len,
    char *errbuf)
{
	struct img_hdr h;
	size_t i;

	for (i = 0; i < IMG_NTAB; i++)
		if (db->tab[T_ASN + i / 2][i % 2].n != 0)
			return err_set(errbuf, "image: CSV ranges already loaded");
	if (db->img != NULL)
		return err_set(errbuf, "image: one already attached");
	if (img_check(p, len, &h, errbuf) != 0)
		return -1;
	for (i = 0; i < IMG_NTAB; i++) {
		struct rtab *t = &db->tab[T_ASN + i / 2][i % 2];
		const struct img_sec *s = &h.sec[i * SEC_PER_TAB];

		t->n = (size_t)h.nrows[i];
		t->img = 1;
		if (i % 2 == 0) {
			t->lo32 = (const uint32_t *)(p + s[SEC_LO].off);
			t->hi32 = (const uint32_t *)(p + s[SEC_HI].off);
		} else {
			t->lo = (const u128 *)(p + s[SEC_LO].off);
			t->hi = (const u128 *)(p + s[SEC_HI].off);
		}
		t->at = (const struct attr *)(p + s[SEC_AT].off);
		t->idx = s[SEC_IDX].len != 0 ?
		    (const uint32_t *)(p + s[SEC_IDX].off) : NULL;
	}
	db->img = p;
	db->imglen = len;
	db->img_pool = (const char *)(p + h.sec[SEC_POOL].off);
	db->img_poollen = (size_t)h.sec[SEC_POOL].len;
	db->img_orgoff = (const uint32_t *)(p + h.sec[SEC_ORGOFF].off);
	db->img_norgs = (size_t)h.norgs;
	db->img_union4 = (const uint32_t *)(p + h.sec[SEC_UNION4].off);
	db->img_nunion4 = (size_t)h.nunion4;
	db->img_asn6 = (const uint32_t *)(p + h.sec[SEC_ASN6].off);
	db->img_nasn6 = (size_t)h.nasn6;
	db->img_covered4 = h.covered4;
	coverage_update(db);
	return 0;
}

void
prefix_image_reseal(uint8_t *p, size_t len)
{
	struct img_hdr h;

	if (len < sizeof(h))
		return;
	memcpy(&h, p, sizeof(h));
	h.body_hash = hash64(HASH_SEED, p + sizeof(h), len - sizeof(h));
	h.hdr_hash = hash64(HASH_SEED, (const uint8_t *)&h,
	    offsetof(struct img_hdr, hdr_hash));
	memcpy(p, &h, sizeof(h));
}

int
prefix_image_check_body(const uint8_t *p, size_t len, char *errbuf)
{
	struct img_hdr h;

	if (img_check(p, len, &h, errbuf) != 0)
		return -1;
	if (hash64(HASH_SEED, p + sizeof(h), len - sizeof(h)) != h.body_hash)
		return err_set(errbuf, "body checksum mismatch (corrupt)");
	return 0;
}

/* The four CSV paths as kyocho finds them (NULL: absent), into paths[],
 * and the directory they share into *dir (NULL if none is found). -1 if
 * they are in several directories, which one image cannot stand for:
 * paths[] is filled all the same, *dir is NULL. */
static int
csv_resolve(const struct options *o, char *paths[IMG_NSRC], char **dir,
    char *errbuf)
{
	char err[ERRBUF_SIZE];
	size_t i, dl = 0;

	*dir = NULL;
	for (i = 0; i < IMG_NSRC; i++)
		paths[i] = config_data_path(o, csv_rel[i], err);
	for (i = 0; i < IMG_NSRC; i++) {
		const char *slash;

		if (paths[i] == NULL)
			continue;
		slash = strrchr(paths[i], '/');
		if (slash == NULL) {
			free(*dir);
			*dir = NULL;
			return err_set(errbuf, "%s: not a path", paths[i]);
		}
		if (*dir == NULL) {
			dl = (size_t)(slash - paths[i]);
			*dir = xasprintf("%.*s", (int)dl, paths[i]);
		} else if ((size_t)(slash - paths[i]) != dl ||
		    strncmp(paths[i], *dir, dl) != 0) {
			err_set(errbuf, "the prefix CSVs are in several "
			    "directories (%s, %s)", *dir, paths[i]);
			free(*dir);
			*dir = NULL;
			return -1;
		}
	}
	return 0;
}

static void
csv_free(char *paths[IMG_NSRC], char *dir)
{
	size_t i;

	for (i = 0; i < IMG_NSRC; i++)
		free(paths[i]);
	free(dir);
}

/* Whether what s records is what the file at path (or its absence) is. */
static int
src_same(const struct img_src *s, const char *path)
{
	struct stat st;

	if (path == NULL)
		return !s->present;
	return s->present && stat(path, &st) == 0 &&
	    (uint64_t)st.st_size == s->size &&
	    (int64_t)st.st_mtim.tv_sec == s->mtime_s &&
	    (int64_t)st.st_mtim.tv_nsec == s->mtime_ns;
}

/* Map path read-only and shared; *len its size. NULL with errbuf. */
static uint8_t *
map_shared(const char *path, size_t *len, char *errbuf)
{
	struct stat st;
	void *m;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		err_set(errbuf, "%s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || st.st_size == 0 ||
	    (size_t)st.st_size > FILE_MAX) {
		err_set(errbuf, "not a regular file of 1 byte to 1 GiB");
		close(fd);
		return NULL;
	}
	*len = (size_t)st.st_size;
	m = mmap(NULL, *len, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (m == MAP_FAILED) {
		err_set(errbuf, "%s", strerror(errno));
		return NULL;
	}
	(void)madvise(m, *len, MADV_RANDOM);
	return m;
}

/*
 * Use the image in dir if it is valid and its sources are the CSVs at
 * paths: 1. Otherwise 0, and db->imgnote says why (the CSVs are then
 * parsed).
 */
static int
image_open(struct prefixdb *db, char *const paths[IMG_NSRC], const char *dir)
{
	char err[ERRBUF_SIZE], *path;
	struct img_hdr h;
	uint8_t *m;
	size_t len, i;

	if (dir == NULL)
		return 0;
	path = xasprintf("%s/%s", dir, IMG_NAME);
	if (access(path, F_OK) != 0) {
		err_set(db->imgnote, "%s: not built "
		    "(kyocho prefix build)", path);
		free(path);
		return 0;
	}
	if ((m = map_shared(path, &len, err)) == NULL)
		goto bad;
	if (img_check(m, len, &h, err) != 0)
		goto unmap;
	for (i = 0; i < IMG_NSRC; i++)
		if (!src_same(&h.src[i], paths[i])) {
			err_set(err, "stale: %s changed since it was built "
			    "(kyocho prefix build)", csv_rel[i] + 7);
			goto unmap;
		}
	if (prefix_image_attach(db, m, len, err) != 0)
		goto unmap;
	db->imgmapped = 1;
	db->imgnote[0] = '\0';
	free(path);
	return 1;
unmap:
	munmap(m, len);
bad:
	err_set(db->imgnote, "%s: %s", path, err);
	free(path);
	return 0;
}

/* Record what the file at path is now, for staleness. -1 with errbuf. */
static int
src_record(struct img_src *s, const char *path, char *errbuf)
{
	struct stat st;
	size_t len;
	uint8_t *m;

	memset(s, 0, sizeof(*s));
	if (path == NULL)
		return 0;
	if (stat(path, &st) != 0)
		return err_set(errbuf, "%s: %s", path, strerror(errno));
	if ((m = slurp(path, &len, errbuf)) == NULL)
		return -1;
	s->present = 1;
	s->size = (uint64_t)st.st_size;
	s->mtime_s = (int64_t)st.st_mtim.tv_sec;
	s->mtime_ns = (int64_t)st.st_mtim.tv_nsec;
	s->hash = hash64(HASH_SEED, m, len);
	unslurp(m, len);
	if (s->size != len)
		return err_set(errbuf, "%s: changed while read", path);
	return 0;
}

static uint64_t
align_up(uint64_t x)
{
	return (x + IMG_ALIGN - 1) & ~(uint64_t)(IMG_ALIGN - 1);
}

/*
 * Write db's CSV tables (db holds nothing else: no overrides, no MaxMind
 * DB) as an image at path, by a temporary file renamed over it, so a
 * running kyocho keeps the old one mapped. Returns the size, or -1.
 */
static long long
image_write(struct prefixdb *db, const char *path,
    const struct img_src src[IMG_NSRC], char *errbuf)
{
	const struct rtab *u[2] = { &db->tab[T_ASN][0], &db->tab[T_CC][0] };
	struct rows un = { NULL, 0, 0 };
	struct img_hdr h;
	uint32_t *asns;
	uint8_t *buf;
	uint64_t off;
	size_t i, n6 = 0;
	char *tmp;
	int fd;
	long long rc = -1;

	memset(&h, 0, sizeof(h));
	memcpy(h.magic, IMG_MAGIC, 8);
	h.version = IMG_VERSION;
	h.byteorder = IMG_BYTEORDER;
	memcpy(h.src, src, sizeof(h.src));
	h.covered4 = union4(u, 2, &un);
	h.nunion4 = un.n;
	asns = xreallocarray(NULL, db->tab[T_ASN][1].n + 1, sizeof(*asns));
	for (i = 0; i < db->tab[T_ASN][1].n; i++)
		if (db->tab[T_ASN][1].at[i].asn != 0)
			asns[n6++] = db->tab[T_ASN][1].at[i].asn;
	qsort(asns, n6, sizeof(*asns), cmp_u32p);
	for (i = 0, h.nasn6 = 0; i < n6; i++)
		if (i == 0 || asns[i] != asns[i - 1])
			asns[h.nasn6++] = asns[i];
	h.norgs = db->norgs;

	off = align_up(sizeof(h));
#define SEC(k, l) do { h.sec[k].off = off; h.sec[k].len = (l); \
	off = align_up(off + (l)); } while (0)
	for (i = 0; i < IMG_NTAB; i++) {
		const struct rtab *t = &db->tab[T_ASN + i / 2][i % 2];
		uint64_t ks = i % 2 ? 16 : 4;

		h.nrows[i] = t->n;
		SEC(i * SEC_PER_TAB + SEC_LO, t->n * ks);
		SEC(i * SEC_PER_TAB + SEC_HI, t->n * ks);
		SEC(i * SEC_PER_TAB + SEC_AT, t->n * sizeof(struct attr));
		SEC(i * SEC_PER_TAB + SEC_IDX, t->idx != NULL ?
		    (IDX_SIZE + 1) * sizeof(uint32_t) : 0);
	}
	SEC(SEC_POOL, db->poollen);
	SEC(SEC_ORGOFF, db->norgs * sizeof(uint32_t));
	SEC(SEC_UNION4, h.nunion4 * 2 * sizeof(uint32_t));
	SEC(SEC_ASN6, h.nasn6 * sizeof(uint32_t));
#undef SEC
	h.size = off;
	buf = xcalloc(1, (size_t)off);
	for (i = 0; i < IMG_NTAB; i++) {
		const struct rtab *t = &db->tab[T_ASN + i / 2][i % 2];
		const struct img_sec *s = &h.sec[i * SEC_PER_TAB];

		if (t->n == 0)
			continue;
		memcpy(buf + s[SEC_LO].off, i % 2 ? (const void *)t->lo :
		    (const void *)t->lo32, (size_t)s[SEC_LO].len);
		memcpy(buf + s[SEC_HI].off, i % 2 ? (const void *)t->hi :
		    (const void *)t->hi32, (size_t)s[SEC_HI].len);
		memcpy(buf + s[SEC_AT].off, t->at, (size_t)s[SEC_AT].len);
		if (t->idx != NULL)
			memcpy(buf + s[SEC_IDX].off, t->idx,
			    (size_t)s[SEC_IDX].len);
	}
	memcpy(buf + h.sec[SEC_POOL].off, db->pool, db->poollen);
	memcpy(buf + h.sec[SEC_ORGOFF].off, db->orgoff,
	    db->norgs * sizeof(uint32_t));
	for (i = 0; i < un.n; i++) {
		uint32_t pair[2] = { (uint32_t)un.v[i].lo, (uint32_t)un.v[i].hi };

		memcpy(buf + h.sec[SEC_UNION4].off + i * sizeof(pair), pair,
		    sizeof(pair));
	}
	memcpy(buf + h.sec[SEC_ASN6].off, asns, (size_t)h.nasn6 * 4);
	h.body_hash = hash64(HASH_SEED, buf + sizeof(h), (size_t)off -
	    sizeof(h));
	h.hdr_hash = hash64(HASH_SEED, (const uint8_t *)&h,
	    offsetof(struct img_hdr, hdr_hash));
	memcpy(buf, &h, sizeof(h));

	tmp = xasprintf("%s.%ld.tmp", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1)
		err_set(errbuf, "%s: %s", tmp, strerror(errno));
	else {
		size_t done = 0;
		ssize_t w;

		while (done < off && (w = write(fd, buf + done,
		    (size_t)off - done)) > 0)
			done += (size_t)w;
		if (done != off || fsync(fd) != 0)
			err_set(errbuf, "%s: %s", tmp, strerror(errno));
		else
			rc = (long long)off;
		if (close(fd) != 0 && rc != -1) {
			err_set(errbuf, "%s: %s", tmp, strerror(errno));
			rc = -1;
		}
		if (rc != -1 && rename(tmp, path) != 0) {
			err_set(errbuf, "%s: %s", path, strerror(errno));
			rc = -1;
		}
		if (rc == -1)
			unlink(tmp);
	}
	free(tmp);
	free(buf);
	free(asns);
	big_free(un.v);
	return rc;
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
static int
load_csvs(struct prefixdb *db, char *const paths[IMG_NSRC], char *errbuf)
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
	for (i = 0; i < IMG_NSRC; i++) {
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

long long
prefix_image_build(const struct options *o, char **path, char *errbuf)
{
	struct img_src src[IMG_NSRC];
	struct prefixdb *db;
	char *paths[IMG_NSRC], *dir;
	long long rc = -1;
	size_t i;

	free(*path);		/* a caller's earlier answer */
	*path = NULL;
	if (csv_resolve(o, paths, &dir, errbuf) != 0)
		goto out;
	if (dir == NULL) {
		err_set(errbuf, "no prefix CSVs found (make data installs them)");
		goto out;
	}
	/* --data DIR names where to build: not a directory searched later. */
	if (o->data_dir != NULL) {
		char *want = xasprintf("%s/prefix", o->data_dir);
		int same = strcmp(want, dir) == 0;

		if (!same)
			err_set(errbuf, "no prefix CSVs in %s (they were found "
			    "in %s)", want, dir);
		free(want);
		if (!same)
			goto out;
	}
	/* Recorded before parsing: a file replaced meanwhile reads stale. */
	for (i = 0; i < IMG_NSRC; i++)
		if (src_record(&src[i], paths[i], errbuf) != 0)
			goto out;
	db = prefix_db_new();
	db->batch = 1;
	if (load_csvs(db, paths, errbuf) >= 0) {
		*path = xasprintf("%s/%s", dir, IMG_NAME);
		rc = image_write(db, *path, src, errbuf);
	}
	prefix_db_free(db);
out:
	csv_free(paths, dir);
	return rc;
}

int
prefix_image_verify(const struct options *o, char **path, char *errbuf)
{
	char *paths[IMG_NSRC], *dir, err[ERRBUF_SIZE];
	struct img_hdr h;
	struct img_src now;
	uint8_t *m = NULL;
	size_t len = 0, i;
	int rc = -1;

	free(*path);		/* a caller's earlier answer */
	*path = NULL;
	if (csv_resolve(o, paths, &dir, errbuf) != 0)
		goto out;
	if (dir == NULL) {
		err_set(errbuf, "no prefix CSVs found (make data installs them)");
		goto out;
	}
	*path = xasprintf("%s/%s", dir, IMG_NAME);
	if ((m = map_shared(*path, &len, err)) == NULL) {
		err_set(errbuf, "%s: %s", *path, err);
		goto out;
	}
	if (prefix_image_check_body(m, len, err) != 0) {
		err_set(errbuf, "%s: %s", *path, err);
		goto out;
	}
	memcpy(&h, m, sizeof(h));
	for (i = 0; i < IMG_NSRC; i++) {
		if (!src_same(&h.src[i], paths[i])) {
			err_set(errbuf, "%s: stale: %s changed since it was "
			    "built (kyocho prefix build)", *path,
			    csv_rel[i] + 7);
			goto out;
		}
		if (paths[i] == NULL)
			continue;
		if (src_record(&now, paths[i], errbuf) != 0)
			goto out;
		if (now.hash != h.src[i].hash) {
			err_set(errbuf, "%s: stale: %s has other contents with "
			    "the same size and time (kyocho prefix build)",
			    *path, paths[i]);
			goto out;
		}
	}
	rc = 0;
out:
	if (m != NULL)
		munmap(m, len);
	csv_free(paths, dir);
	return rc;
}

const char *
prefix_image_note(const struct prefixdb *db)
{
	return db->imgnote;
}

static int
load_default(struct prefixdb *db, const struct options *o, char *errbuf)
{
	char err[ERRBUF_SIZE];
	char *path, *paths[IMG_NSRC], *dir;
	size_t i;
	int n = 0;

	if (csv_resolve(o, paths, &dir, err) != 0) {
		err_set(db->imgnote, "%s", err);
		free(dir);
		dir = NULL;
	}
	if (image_open(db, paths, dir)) {
		for (i = 0; i < IMG_NSRC; i++)
			n += paths[i] != NULL;
	} else
		n = load_csvs(db, paths, errbuf);
	csv_free(paths, dir);
	if (n < 0)
		return -1;
	if (o->prefixes_path != NULL) {
		if (prefix_load_overrides(db, o->prefixes_path, errbuf) == -1)
			return -1;
		n++;
	} else if ((path = config_data_path(o, "prefix/overrides.txt",
	    err)) != NULL) {
		if (prefix_load_overrides(db, path, errbuf) == -1) {
			free(path);
			return -1;
		}
		free(path);
		n++;
	}
	for (i = 0; i < o->nmmdb; i++) {
		if (prefix_load_mmdb(db, o->mmdb[i], errbuf) == -1)
			return -1;
		n++;
	}
	if (o->prefix_complete)
		db->declared = 1;
	return n;
}

int
prefix_load_default(struct prefixdb *db, const struct options *o,
    char *errbuf)
{
	int n;

	db->batch = 1;		/* measured once, not after each file */
	n = load_default(db, o, errbuf);
	db->batch = 0;
	coverage_update(db);
	return n;
}
