/*
 * contacts_impl.h -- PRIVATE to the contacts module: the declarations its
 * files share. Nothing outside src/contacts*.c may include it; callers use
 * contacts.h.
 *
 * The module's files:
 *   contacts.c         the database object: arena, load, free, accessors,
 *                      kind names, the public field checks (validate.h)
 *   contacts_parse.c   the file's lines into blocks and fields, duplicate
 *                      ids, diagnostics in line order
 *   contacts_record.c  one record's fields checked and turned into a
 *                      struct contact (lists, AS numbers, prefixes, zone)
 *   contacts_edit.c    add, update, delete, and the atomic save
 *   contacts_match.c   search, query parsing, status, match ranking
 *
 * Data: a struct contacts owns the file's bytes (buf) and an arena that
 * holds every record, field, list and joined value parsed from them; both
 * are freed as a whole. An edit builds the new text, parses it into a new
 * struct contacts and swaps the two if the result is no worse.
 */
#ifndef KYOCHO_CONTACTS_IMPL_H
#define KYOCHO_CONTACTS_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "contacts/contacts.h"

/* ---- arena: bump allocation in 64 KiB blocks, freed all at once --------- */

struct ablock {
	struct ablock *next;
	size_t used, size;
	max_align_t data[];
};

struct arena {
	struct ablock *head;
	size_t bytes;		/* handed out so far (for contacts_arena_bytes) */
};

/* n bytes, aligned for any type, owned by the arena; never NULL. */
void *contacts_arena_alloc(struct arena *a, size_t n);
/* s[0..n) and a NUL, owned by the arena. */
char *contacts_arena_strndup(struct arena *a, const char *s, size_t n);
void contacts_arena_free(struct arena *a);

/* ---- the database ------------------------------------------------------- */

struct rec {
	struct contact c;
	size_t off, end;	/* bytes of the record's block in buf */
	unsigned line0;		/* line of the block's first byte */
};

struct pfield;

struct contacts {
	char *path;
	uint8_t *buf;
	size_t len;
	struct arena ar;
	struct rec **recs;		/* records live in the arena */
	size_t nrecs, caprecs;
	struct pfield *pf;		/* parser scratch, during parsing */
	size_t cappf;
	struct contacts_diag *diags;
	size_t ndiags, capdiags;
	size_t ninvalid;
	int dirty;
	int have_id;		/* file identity below is known */
	struct stat id;
	/* Zones inferred from countries: the only zone1970.tab lists, "" if
	 * none or several, computed once per country. */
	char (*cczone)[TZ_NAME_MAX];
	uint8_t *cczone_done;
};

/* ---- parsing (contacts_parse.c) ----------------------------------------- */

/* One physical line of a field's value. */
struct vline {
	const char *s;
	size_t n;
	unsigned line;
};

/* A field being parsed. Most fields have one line, kept inline; more go
 * to the heap (parsing 10,000 records must not malloc per field). */
struct pfield {
	char key[32];		/* contacts_key_ok() allows at most 31 */
	struct vline inl[2];
	struct vline *heap;	/* all lines once there are more than 2 */
	size_t nlines, cap;
	unsigned line;
	int bad;		/* line had invalid UTF-8: skip validation */
};

#define PF_LINES(f)	((f)->heap != NULL ? (f)->heap : (f)->inl)

/* Parse buf[0..len), which must have room for a NUL at buf[len]; the new
 * database takes ownership of buf. Never fails. */
struct contacts *contacts_parse_owned(const char *name, uint8_t *buf,
    size_t len);
/* Record a diagnostic "field: message" at line (field NULL: none). */
void contacts_diag_add(struct contacts *db, unsigned line, const char *field,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* User text s[0..n) made safe for a diagnostic (at most 60 bytes of it)
 * into buf. Returns buf. */
const char *contacts_quote(char *buf, size_t len, const char *s, size_t n);
/* 1 if s[0..n) can be a field name: a letter, then letters, digits, '-'
 * and '_', at most 31 bytes. */
int contacts_key_ok(const char *s, size_t n);

/* ---- one record (contacts_record.c) ------------------------------------- */

/* Check the fields pf[0..npf) of the record starting at first_line, fill
 * c's parsed views (strings in db's arena) and diagnostics; c->valid is 1
 * if none was added. */
void contacts_build_record(struct contacts *db, struct contact *c,
    struct pfield *pf, size_t npf, unsigned first_line);

#endif
