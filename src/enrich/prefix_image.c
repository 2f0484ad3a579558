/*
 * prefix_image.c -- the image of the four CSV tables (kyocho-ranges.img,
 * man/kyocho-prefixes.5): checking and attaching one, building and
 * verifying it for `kyocho prefix build|verify`. The layout is below.
 */
#include "enrich/prefix_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

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
#define IMG_NTAB	4	/* (kind - T_ASN) * 2 + family */
enum { SEC_LO, SEC_HI, SEC_AT, SEC_IDX, SEC_PER_TAB };
enum {
	SEC_POOL = IMG_NTAB * SEC_PER_TAB, SEC_ORGOFF, SEC_UNION4, SEC_ASN6,
	IMG_NSEC
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
	struct img_src src[PREFIX_NCSV];
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
	pdb_coverage_update(db);
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

int
pdb_csv_dir(char *const paths[PREFIX_NCSV], char **dir, char *errbuf)
{
	size_t i, dl = 0;

	*dir = NULL;
	for (i = 0; i < PREFIX_NCSV; i++) {
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
int
pdb_image_open(struct prefixdb *db, char *const paths[PREFIX_NCSV],
    const char *dir)
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
	for (i = 0; i < PREFIX_NCSV; i++)
		if (!src_same(&h.src[i], paths[i])) {
			err_set(err, "stale: %s changed since it was built "
			    "(kyocho prefix build)", prefix_csv_files[i] + 7);
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
	if ((m = pdb_slurp(path, &len, errbuf)) == NULL)
		return -1;
	s->present = 1;
	s->size = (uint64_t)st.st_size;
	s->mtime_s = (int64_t)st.st_mtim.tv_sec;
	s->mtime_ns = (int64_t)st.st_mtim.tv_nsec;
	s->hash = hash64(HASH_SEED, m, len);
	pdb_unslurp(m, len);
	if (s->size != len)
		return err_set(errbuf, "%s: changed while read", path);
	return 0;
}

static uint64_t
align_up(uint64_t x)
{
	return (x + IMG_ALIGN - 1) & ~(uint64_t)(IMG_ALIGN - 1);
}

/* Write buf[0..len) to path by a temporary file renamed over it, so a
 * running kyocho keeps the old one mapped. len, or -1 with errbuf. */
static long long
write_atomic(const char *path, const uint8_t *buf, size_t len, char *errbuf)
{
	char *tmp = xasprintf("%s.%ld.tmp", path, (long)getpid());
	long long rc = -1;
	int fd;

	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1)
		err_set(errbuf, "%s: %s", tmp, strerror(errno));
	else {
		size_t done = 0;
		ssize_t w;

		while (done < len && (w = write(fd, buf + done,
		    len - done)) > 0)
			done += (size_t)w;
		if (done != len || fsync(fd) != 0)
			err_set(errbuf, "%s: %s", tmp, strerror(errno));
		else
			rc = (long long)len;
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
	return rc;
}

/*
 * Write db's CSV tables (db holds nothing else: no overrides, no MaxMind
 * DB) as an image at path, by a temporary file renamed over it, so a
 * running kyocho keeps the old one mapped. Returns the size, or -1.
 */
static long long
image_write(struct prefixdb *db, const char *path,
    const struct img_src src[PREFIX_NCSV], char *errbuf)
{
	const struct rtab *u[2] = { &db->tab[T_ASN][0], &db->tab[T_CC][0] };
	struct rows un = { NULL, 0, 0 };
	struct img_hdr h;
	uint32_t *asns;
	uint8_t *buf;
	uint64_t off;
	size_t i, n6 = 0;
	long long rc;

	memset(&h, 0, sizeof(h));
	memcpy(h.magic, IMG_MAGIC, 8);
	h.version = IMG_VERSION;
	h.byteorder = IMG_BYTEORDER;
	memcpy(h.src, src, sizeof(h.src));
	h.covered4 = pdb_union4(u, 2, &un);
	h.nunion4 = un.n;
	asns = xreallocarray(NULL, db->tab[T_ASN][1].n + 1, sizeof(*asns));
	for (i = 0; i < db->tab[T_ASN][1].n; i++)
		if (db->tab[T_ASN][1].at[i].asn != 0)
			asns[n6++] = db->tab[T_ASN][1].at[i].asn;
	qsort(asns, n6, sizeof(*asns), pdb_cmp_u32);
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

	rc = write_atomic(path, buf, (size_t)off, errbuf);
	free(buf);
	free(asns);
	pdb_big_free(un.v);
	return rc;
}


long long
prefix_image_build(const struct enrich_settings *es, char **path,
    char *errbuf)
{
	struct img_src src[PREFIX_NCSV];
	struct prefixdb *db;
	char *const *paths = es->csv;
	char *dir = NULL;
	long long rc = -1;
	size_t i;

	free(*path);		/* a caller's earlier answer */
	*path = NULL;
	if (pdb_csv_dir(paths, &dir, errbuf) != 0)
		goto out;
	if (dir == NULL) {
		err_set(errbuf, "no prefix CSVs found (make data installs them)");
		goto out;
	}
	/* --data DIR names where to build: not a directory searched later. */
	if (es->data_dir != NULL) {
		char *want = xasprintf("%s/prefix", es->data_dir);
		int same = strcmp(want, dir) == 0;

		if (!same)
			err_set(errbuf, "no prefix CSVs in %s (they were found "
			    "in %s)", want, dir);
		free(want);
		if (!same)
			goto out;
	}
	/* Recorded before parsing: a file replaced meanwhile reads stale. */
	for (i = 0; i < PREFIX_NCSV; i++)
		if (src_record(&src[i], paths[i], errbuf) != 0)
			goto out;
	db = prefix_db_new();
	db->batch = 1;
	if (pdb_load_csvs(db, paths, errbuf) >= 0) {
		*path = xasprintf("%s/%s", dir, IMG_NAME);
		rc = image_write(db, *path, src, errbuf);
	}
	prefix_db_free(db);
out:
	free(dir);
	return rc;
}

int
prefix_image_verify(const struct enrich_settings *es, char **path,
    char *errbuf)
{
	char *const *paths = es->csv;
	char *dir = NULL, err[ERRBUF_SIZE];
	struct img_hdr h;
	struct img_src now;
	uint8_t *m = NULL;
	size_t len = 0, i;
	int rc = -1;

	free(*path);		/* a caller's earlier answer */
	*path = NULL;
	if (pdb_csv_dir(paths, &dir, errbuf) != 0)
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
	for (i = 0; i < PREFIX_NCSV; i++) {
		if (!src_same(&h.src[i], paths[i])) {
			err_set(errbuf, "%s: stale: %s changed since it was "
			    "built (kyocho prefix build)", *path,
			    prefix_csv_files[i] + 7);
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
	free(dir);
	return rc;
}

const char *
prefix_image_note(const struct prefixdb *db)
{
	return db->imgnote;
}
