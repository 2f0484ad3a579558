/*
 * prefix_table.c -- the range tables of the prefix database: interned
 * organisation names, big arrays, and flattening overlapping rows into
 * disjoint sorted ranges (see "Data structure" at the top of prefix.c).
 */
#include "enrich/prefix_impl.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

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

void
pdb_pool_add(struct prefixdb *db, const char *s, size_t n)
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
uint32_t
pdb_org_intern(struct prefixdb *db, const char *raw, size_t rawlen)
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
	pdb_pool_add(db, s, n);
	db->ohash[i] = (uint32_t)db->norgs + 1;
	db->last_org = (uint32_t)db->norgs;
	return (uint32_t)db->norgs++;
}

/* ---- ranges ------------------------------------------------------------ */

/*
 * Range arrays are tens of megabytes: they are mapped directly and marked
 * for transparent huge pages, because on virtual machines faulting in 4 KiB
 * pages one by one costs more than parsing the CSV. The size is kept in a
 * 64-byte header (which also keeps 16-byte alignment for the keys).
 */
#define BIG_HDR 64

void *
pdb_big_alloc(size_t nmemb, size_t size)
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

void
pdb_big_free(void *p)
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
	void *q = pdb_big_alloc(nmemb, size);

	if (p != NULL) {
		memcpy(q, p, oldn * size);
		pdb_big_free(p);
	}
	return q;
}

unsigned
pdb_log2w(u128 lo, u128 hi)
{
	u128 w = hi - lo + 1;
	uint64_t h = (uint64_t)(w >> 64), l = (uint64_t)w;

	if (w == 0)
		return 128;		/* the whole IPv6 space */
	if (h != 0)
		return 127 - (unsigned)__builtin_clzll(h);
	return 63 - (unsigned)__builtin_clzll(l);
}

void
pdb_rows_push(struct rows *r, u128 lo, u128 hi, const struct attr *at)
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

/* Free what t owns (nothing if it is the image's) and empty it. */
void
pdb_rtab_release(struct rtab *t)
{
	if (!t->img) {
		pdb_big_free((void *)t->lo);
		pdb_big_free((void *)t->hi);
		pdb_big_free((void *)t->lo32);
		pdb_big_free((void *)t->hi32);
		pdb_big_free((void *)t->at);
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
		uint32_t *lo = pdb_big_alloc(t->n, sizeof(*lo));
		uint32_t *hi = pdb_big_alloc(t->n, sizeof(*hi));

		for (i = 0; i < t->n; i++) {
			lo[i] = (uint32_t)r->v[i].lo;
			hi[i] = (uint32_t)r->v[i].hi;
		}
		t->lo32 = lo;
		t->hi32 = hi;
	} else {
		u128 *lo = pdb_big_alloc(t->n, sizeof(*lo));
		u128 *hi = pdb_big_alloc(t->n, sizeof(*hi));

		for (i = 0; i < t->n; i++) {
			lo[i] = r->v[i].lo;
			hi[i] = r->v[i].hi;
		}
		t->lo = lo;
		t->hi = hi;
	}
	at = pdb_big_alloc(t->n, sizeof(*at));
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
void
pdb_rtab_merge(struct prefixdb *db, struct rtab *t, struct rows *in)
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
			pdb_rtab_release(t);
			rtab_build(t, in);
			return;
		}
	}
	all.cap = t->n + in->n;
	all.v = pdb_big_alloc(all.cap + 1, sizeof(*all.v));
	for (i = 0; i < t->n; i++) {
		struct attr at = t->at[i];

		if (t->img && at.org != 0) {
			const char *name = pdb_tab_org(db, t, at.org);

			at.org = pdb_org_intern(db, name, strlen(name));
		}
		all.v[i].lo = pdb_tab_lo(t, i);
		all.v[i].hi = pdb_tab_hi(t, i);
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
				pdb_rows_push(&out, pos, top->hi, &top->at);
				pos = top->hi + 1;	/* hi < r->lo: no wrap */
			}
		}
		if (sp > 0 && pos < r->lo)
			pdb_rows_push(&out, pos, r->lo - 1, &stack[sp - 1].at);
		pos = r->lo;
		stack[sp++] = *r;
	}
	while (sp > 0 && !done) {
		const struct row *top = &stack[--sp];

		if (pos <= top->hi) {
			pdb_rows_push(&out, pos, top->hi, &top->at);
			if (top->hi == ~(u128)0)
				done = 1;
			pos = top->hi + 1;
		}
	}
	free(stack);
	pdb_big_free(all.v);
	pdb_rtab_release(t);
	rtab_build(t, &out);
	pdb_big_free(out.v);
}


/* Addresses of [lo, hi] (IPv4 keys) inside IPv4 unicast space: 1/8-9/8,
 * 11/8-126/8, 128/8-223/8. */
uint64_t
pdb_unicast4_part(u128 lo, u128 hi)
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

int
pdb_cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	return a < b ? -1 : a > b;
}

/*
 * The union of the IPv4 ranges of tables t[0..nt) (each sorted and
 * disjoint, so a k-way merge): returns the unicast addresses it holds and,
 * if out is not NULL, appends its maximal intervals there. O(rows).
 */
uint64_t
pdb_union4(const struct rtab *const *t, size_t nt, struct rows *out)
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
			    pdb_tab_lo(t[k], pos[k]) < lo)) {
				lo = pdb_tab_lo(t[k], pos[k]);
				best = k;
			}
		if (best == nt)
			break;
		hi = pdb_tab_hi(t[best], pos[best]);
		pos[best]++;
		if (open && lo <= chi + 1) {
			if (hi > chi)
				chi = hi;
			continue;
		}
		if (open) {
			covered += pdb_unicast4_part(clo, chi);
			if (out != NULL)
				pdb_rows_push(out, clo, chi, &none);
		}
		clo = lo;
		chi = hi;
		open = 1;
	}
	if (open) {
		covered += pdb_unicast4_part(clo, chi);
		if (out != NULL)
			pdb_rows_push(out, clo, chi, &none);
	}
	return covered;
}

/* Append parsed rows to db tables of kind k (by family). */
void
pdb_commit_rows(struct prefixdb *db, int k, struct rows in[2])
{
	int f;

	for (f = 0; f < 2; f++) {
		if (in[f].n > 0)
			pdb_rtab_merge(db, &db->tab[k][f], &in[f]);
		pdb_big_free(in[f].v);
	}
	pdb_coverage_update(db);
}
