/*
 * contacts_parse.c -- the contact file's text into records: blank lines
 * split it into blocks, a block's lines into "key: value" fields with
 * continuation lines and comments, then contacts_record.c checks each
 * record's fields; ids must be unique across the file. Hostile input safe:
 * every read is bounded by the block's end, every line is checked for
 * UTF-8 and control characters before it reaches a diagnostic. Format:
 * man/kyocho-contacts.5.
 *
 * Diagnostics are collected in db->diags and sorted by line at the end.
 * The parser's field scratch (db->pf) is reused from block to block.
 */
#include "contacts/contacts_impl.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

void
contacts_diag_add(struct contacts *db, unsigned line, const char *field,
    const char *fmt, ...)
{
	struct contacts_diag *d;
	va_list ap;

	db->diags = xgrow(db->diags, db->ndiags, &db->capdiags, 16,
	    sizeof(*db->diags));
	d = &db->diags[db->ndiags++];
	d->line = line;
	snprintf(d->field, sizeof(d->field), "%s", field != NULL ? field : "");
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
}

const char *
contacts_quote(char *buf, size_t len, const char *s, size_t n)
{
	if (len > 64)
		len = 64;
	text_sanitize(buf, len, s, n);
	return buf;
}

int
contacts_key_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 31 || !isalpha((unsigned char)s[0]))
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return 0;
	return 1;
}

/* ---- lines and fields --------------------------------------------------- */

static void
pf_addline(struct pfield *f, const char *s, size_t n, unsigned line)
{
	struct vline *v;

	if (f->heap == NULL && f->nlines == NITEMS(f->inl)) {
		f->cap = 8;
		f->heap = xreallocarray(NULL, f->cap, sizeof(*f->heap));
		memcpy(f->heap, f->inl, sizeof(f->inl));
	} else if (f->heap != NULL && f->nlines == f->cap) {
		f->cap *= 2;
		f->heap = xreallocarray(f->heap, f->cap, sizeof(*f->heap));
	}
	v = &PF_LINES(f)[f->nlines++];
	v->s = s;
	v->n = n;
	v->line = line;
}

/* Invalid UTF-8 or a control character (other than tab) on a line:
 * report it and return -1. */
static int
line_check(struct contacts *db, const char *s, size_t ln, unsigned line,
    const char *key)
{
	size_t bad, i;

	if (!utf8_valid(s, ln, &bad)) {
		contacts_diag_add(db, line, key, "invalid UTF-8 at byte %zu of "
		    "the line", bad + 1);
		return -1;
	}
	for (i = 0; i < ln; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t') ||
		    s[i] == 0x7f) {
			contacts_diag_add(db, line, key, "control character "
			    "0x%02x at byte %zu of the line",
			    (unsigned char)s[i], i + 1);
			return -1;
		}
	return 0;
}

/* Blanks and tabs off both ends of *s[0..*n). */
static void
trim_blanks(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t'))
		(*s)++, (*n)--;
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/* A line that starts with a blank: more of the last field's value. */
static void
add_continuation(struct contacts *db, size_t npf, const char *s, size_t ln,
    unsigned line)
{
	struct pfield *last = npf > 0 ? &db->pf[npf - 1] : NULL;
	const char *v = s;
	size_t vn = ln;

	if (last == NULL) {
		contacts_diag_add(db, line, NULL, "continuation line (it "
		    "starts with a blank) with no field before it");
		return;
	}
	trim_blanks(&v, &vn);
	if (line_check(db, s, ln, line, last->key) != 0)
		last->bad = 1;
	pf_addline(last, v, vn, line);
}

/* A "key: value" line s[0..ln) as field db->pf[*npf]; a line that is not
 * one gets a diagnostic and no field. */
static void
start_field(struct contacts *db, size_t *npf, const char *s, size_t ln,
    unsigned line)
{
	struct pfield *f;
	const char *v;
	size_t k, kl, vn, i;

	for (k = 0; k < ln && s[k] != ':'; k++)
		;
	kl = k;
	while (kl > 0 && (s[kl - 1] == ' ' || s[kl - 1] == '\t'))
		kl--;
	if (k == ln || !contacts_key_ok(s, kl)) {
		char b[64];

		if (line_check(db, s, ln, line, NULL) == 0)
			contacts_diag_add(db, line, NULL, "expected 'key: "
			    "value', got '%s'",
			    contacts_quote(b, sizeof(b), s, ln));
		return;
	}
	db->pf = xgrow(db->pf, *npf, &db->cappf, 32, sizeof(*db->pf));
	f = &db->pf[(*npf)++];
	memset(f, 0, sizeof(*f));
	memcpy(f->key, s, kl);		/* kl <= 31: contacts_key_ok */
	f->key[kl] = '\0';
	for (i = 0; i < kl; i++)
		f->key[i] = (char)tolower((unsigned char)f->key[i]);
	f->line = line;
	if (line_check(db, s, ln, line, f->key) != 0)
		f->bad = 1;
	v = s + k + 1;
	vn = ln - k - 1;
	trim_blanks(&v, &vn);
	pf_addline(f, v, vn, line);
}

static struct rec *
new_rec(struct contacts *db)
{
	struct rec *r;

	db->recs = xgrow(db->recs, db->nrecs, &db->caprecs, 64,
	    sizeof(*db->recs));
	r = contacts_arena_alloc(&db->ar, sizeof(*r));
	memset(r, 0, sizeof(*r));
	db->recs[db->nrecs++] = r;
	return r;
}

/* Parse the block of lines buf[off, end) starting at line number line0:
 * a record unless it holds only comments. */
static void
parse_block(struct contacts *db, size_t off, size_t end, unsigned line0)
{
	size_t npf = 0, p = off, i;
	unsigned line = line0, first = 0, nlines = 0;
	int is_record = 0;
	size_t ndiag0 = db->ndiags;
	struct rec *r;

	for (; p < end; line++) {
		const char *s = (const char *)db->buf + p;
		const uint8_t *nl = memchr(db->buf + p, '\n', end - p);
		size_t n = nl != NULL ? (size_t)(nl - (db->buf + p)) : end - p;
		size_t ln = n;

		p += n + (nl != NULL);
		nlines++;
		if (ln > 0 && s[ln - 1] == '\r')
			ln--;
		if (s[0] == '#') {
			(void)line_check(db, s, ln, line, "comment");
			continue;
		}
		if (!is_record) {
			is_record = 1;
			first = line;
		}
		if (s[0] == ' ' || s[0] == '\t')
			add_continuation(db, npf, s, ln, line);
		else
			start_field(db, &npf, s, ln, line);
	}
	if (is_record) {
		r = new_rec(db);
		r->off = off;
		r->end = end;
		r->line0 = line0;
		r->c.line = first;
		r->c.nlines = nlines;
		contacts_build_record(db, &r->c, db->pf, npf, first);
		if (db->ndiags != ndiag0)
			r->c.valid = 0;
	}
	for (i = 0; i < npf; i++)
		free(db->pf[i].heap);
}

/* ---- the whole file ----------------------------------------------------- */

/* Line of c's id field (its first line if it has none). */
static unsigned
id_line(const struct contact *c)
{
	size_t f;

	for (f = 0; f < c->nfields; f++)
		if (strcmp(c->fields[f].key, "id") == 0)
			return c->fields[f].line;
	return c->line;
}

static uint64_t
id_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Every id used twice: the later record is invalid. An open-addressing
 * hash table of record indices keeps this linear. */
static void
check_ids(struct contacts *db)
{
	size_t cap = 1, *tab, i, j;

	while (cap < db->nrecs * 2 + 2)
		cap <<= 1;
	tab = xreallocarray(NULL, cap, sizeof(size_t));
	for (i = 0; i < cap; i++)
		tab[i] = SIZE_MAX;
	for (j = 0; j < db->nrecs; j++) {
		struct contact *c = &db->recs[j]->c;
		const struct contact *o;
		char b[64];

		if (*c->id == '\0')
			continue;
		for (i = id_hash(c->id) & (cap - 1); tab[i] != SIZE_MAX;
		    i = (i + 1) & (cap - 1))
			if (strcmp(db->recs[tab[i]]->c.id, c->id) == 0)
				break;
		if (tab[i] == SIZE_MAX) {
			tab[i] = j;
			continue;
		}
		o = &db->recs[tab[i]]->c;
		contacts_diag_add(db, id_line(c), "id", "'%s' is already used "
		    "by the record at line %u", contacts_quote(b, sizeof(b),
		    c->id, strlen(c->id)), id_line(o));
		c->valid = 0;
	}
	free(tab);
}

/* Diagnostics in line order; an insertion sort is stable, so a line's
 * diagnostics keep the order they were found in. */
static void
sort_diags(struct contacts *db)
{
	size_t i, j;

	for (i = 1; i < db->ndiags; i++) {
		struct contacts_diag d = db->diags[i];

		for (j = i; j > 0 && db->diags[j - 1].line > d.line; j--)
			db->diags[j] = db->diags[j - 1];
		db->diags[j] = d;
	}
}

static void
parse_all(struct contacts *db)
{
	size_t p = 0, blk = 0, i;
	unsigned line = 1, blkline = 1;
	int inblk = 0;

	/* A UTF-8 byte order mark (Windows editors add one) is skipped, and
	 * kept on save as the bytes before the first record. */
	if (db->len >= 3 && memcmp(db->buf, "\xef\xbb\xbf", 3) == 0)
		p = 3;
	for (; p < db->len; line++) {
		const uint8_t *nl = memchr(db->buf + p, '\n', db->len - p);
		size_t n = nl != NULL ? (size_t)(nl - (db->buf + p)) : db->len - p;
		size_t k;
		int blank = 1;

		for (k = 0; k < n && blank; k++)
			if (db->buf[p + k] != ' ' && db->buf[p + k] != '\t' &&
			    db->buf[p + k] != '\r')
				blank = 0;
		if (blank && inblk) {
			parse_block(db, blk, p, blkline);
			inblk = 0;
		} else if (!blank && !inblk) {
			inblk = 1;
			blk = p;
			blkline = line;
		}
		p += n + (nl != NULL);
	}
	if (inblk)
		parse_block(db, blk, db->len, blkline);
	free(db->pf);
	db->pf = NULL;
	db->cappf = 0;
	check_ids(db);
	sort_diags(db);
	db->ninvalid = 0;
	for (i = 0; i < db->nrecs; i++)
		if (!db->recs[i]->c.valid)
			db->ninvalid++;
}

struct contacts *
contacts_parse_owned(const char *name, uint8_t *buf, size_t len)
{
	struct contacts *db = xcalloc(1, sizeof(*db));

	db->path = xstrdup(name);
	db->buf = buf;
	db->buf[len] = '\0';
	db->len = len;
	parse_all(db);
	return db;
}

struct contacts *
contacts_parse(const char *name, const uint8_t *p, size_t len)
{
	uint8_t *buf = xmalloc(len + 1);

	if (len > 0)
		memcpy(buf, p, len);
	return contacts_parse_owned(name, buf, len);
}
