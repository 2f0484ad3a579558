/*
 * prefix_csv.c -- the ip-location-db range CSVs ("start,end,asn,org" and
 * "start,end,country"; RFC 4180 fields: an organisation may be quoted and
 * hold commas and doubled quotes), and mapping files to parse. Input is
 * hostile: read through base/rd.h, every field bounded.
 */
#include "enrich/prefix_impl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/rd.h"


/* Map a whole file read-only; release with pdb_unslurp(). */
uint8_t *
pdb_slurp(const char *path, size_t *len, char *errbuf)
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

void
pdb_unslurp(uint8_t *p, size_t len)
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

int
pdb_parse_asn(const char *s, size_t n, uint32_t *asn)
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

int
pdb_parse_cc(const char *s, size_t n, char cc[2])
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
	in[0].v = pdb_big_alloc(in[0].cap, sizeof(struct row));
	in[1].v = pdb_big_alloc(in[1].cap, sizeof(struct row));
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
			if (pdb_parse_asn(fld[2].buf, fld[2].len, &at.asn) != 0) {
				err_set(errbuf, "%s:%u: AS number '%.*s' is not a "
				    "number up to 4294967295", name, line,
				    (int)(fld[2].len > 20 ? 20 : fld[2].len),
				    fld[2].buf);
				goto fail;
			}
			at.org = pdb_org_intern(db, fld[3].buf, fld[3].len);
		} else if (pdb_parse_cc(fld[2].buf, fld[2].len, at.cc) != 0) {
			err_set(errbuf, "%s:%u: country is not two letters", name,
			    line);
			goto fail;
		}
		at.wbits = (uint8_t)pdb_log2w(lo, hi);
		pdb_rows_push(&in[fam1 == 6], lo, hi, &at);
		nrows++;
	}
	if (kind != -1)
		pdb_commit_rows(db, kind, in);
	else {
		pdb_big_free(in[0].v);
		pdb_big_free(in[1].v);
	}
	free(fld);
	return nrows;
fail:
	pdb_big_free(in[0].v);
	pdb_big_free(in[1].v);
	free(fld);
	return -1;
}

long
prefix_load_csv(struct prefixdb *db, const char *path, char *errbuf)
{
	size_t len;
	uint8_t *buf = pdb_slurp(path, &len, errbuf);
	long n;

	if (buf == NULL)
		return -1;
	n = prefix_parse_csv(db, buf, len, path, errbuf);
	pdb_unslurp(buf, len);
	return n;
}
