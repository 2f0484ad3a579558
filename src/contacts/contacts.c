/*
 * contacts.c -- the contact database object: its arena, loading a file,
 * freeing, the accessors, kind names and the field checks contacts.h
 * offers to edit forms. Format: man/kyocho-contacts.5. The other files of
 * the module and the data they share: contacts_impl.h.
 */
#include "contacts/contacts.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "contacts/contacts_impl.h"
#include "base/util.h"
#include "base/validate.h"

#define CONTACTS_FILE_MAX	(256u << 20)

/* ---- arena -------------------------------------------------------------- */

void *
contacts_arena_alloc(struct arena *a, size_t n)
{
	struct ablock *b = a->head;
	size_t al = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	void *p;

	if (b == NULL || b->size - b->used < al) {
		size_t sz = al > 65536 ? al : 65536;

		b = xmalloc(sizeof(*b) + sz);
		b->size = sz;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	p = (char *)b->data + b->used;
	b->used += al;
	a->bytes += al;
	return p;
}

char *
contacts_arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = contacts_arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
contacts_arena_free(struct arena *a)
{
	struct ablock *b, *n;

	for (b = a->head; b != NULL; b = n) {
		n = b->next;
		free(b);
	}
	a->head = NULL;
	a->bytes = 0;
}

/* ---- kinds and field checks --------------------------------------------- */

static const char *const kind_names[CK_COUNT] = {
	[CK_OTHER] = "other",
	[CK_PEERING_ISP] = "peering-isp",
	[CK_TRANSIT_ISP] = "transit-isp",
	[CK_CUSTOMER] = "customer",
	[CK_NATIONAL_CSIRT] = "national-csirt",
	[CK_NATIONAL_POC] = "national-poc",
	[CK_CSIRT] = "csirt",
	[CK_FIRST_TEAM] = "first-team",
	[CK_NOG] = "nog",
	[CK_RIR] = "rir",
	[CK_ISAC] = "isac",
	[CK_ANTI_ABUSE] = "anti-abuse",
	[CK_LAW_ENFORCEMENT] = "law-enforcement",
	[CK_HOSTING] = "hosting",
	[CK_REGISTRAR] = "registrar",
	[CK_DOMESTIC_AGENCY] = "domestic-agency",
};

const char *
contacts_kind_name(enum contact_kind k)
{
	return (unsigned)k < CK_COUNT ? kind_names[k] : "other";
}

int
contacts_kind_parse(const char *s)
{
	int i;

	for (i = 0; i < CK_COUNT; i++)
		if (strcasecmp(s, kind_names[i]) == 0)
			return i;
	return -1;
}

int
contacts_country_ok(const char *cc)
{
	return validate_country(cc, strlen(cc));
}

int
contacts_email_ok(const char *s)
{
	return validate_email(s, strlen(s), VALIDATE_UTF8);
}

int
contacts_langtag_ok(const char *s)
{
	return validate_langtag(s);
}

int
contacts_url_ok(const char *s, int https_only)
{
	return validate_url(s, https_only);
}

/* ---- the database ------------------------------------------------------- */

size_t
contacts_arena_bytes(const struct contacts *db)
{
	return db->ar.bytes;
}

void
contacts_free(struct contacts *db)
{
	if (db == NULL)
		return;
	contacts_arena_free(&db->ar);
	free(db->path);
	free(db->buf);
	free(db->recs);
	free(db->diags);
	free(db->cczone);
	free(db->cczone_done);
	free(db);
}

int
contacts_load(const char *path, int create, struct contacts **out,
    char *errbuf)
{
	struct stat st;
	uint8_t *buf = NULL;
	size_t got = 0;
	int fd;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT && create) {
			*out = contacts_parse(path, (const uint8_t *)"", 0);
			return 0;
		}
		return err_set(errbuf, "%s: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return err_set(errbuf, "%s: not a regular file", path);
	}
	if ((uint64_t)st.st_size > CONTACTS_FILE_MAX) {
		close(fd);
		return err_set(errbuf, "%s: larger than %u MiB", path,
		    CONTACTS_FILE_MAX >> 20);
	}
	buf = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			free(buf);
			return err_set(errbuf, "%s: %s", path, strerror(e));
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	*out = contacts_parse_owned(path, buf, got);	/* buf has st_size + 1 bytes */
	(*out)->have_id = 1;
	(*out)->id = st;
	return 0;
}

const char *
contacts_path(const struct contacts *db)
{
	return db->path;
}

size_t
contacts_count(const struct contacts *db)
{
	return db->nrecs;
}

const struct contact *
contacts_get(const struct contacts *db, size_t i)
{
	return i < db->nrecs ? &db->recs[i]->c : NULL;
}

size_t
contacts_ninvalid(const struct contacts *db)
{
	return db->ninvalid;
}

long
contacts_find(const struct contacts *db, const char *id)
{
	size_t i;

	for (i = 0; i < db->nrecs; i++)
		if (db->recs[i]->c.valid && strcmp(db->recs[i]->c.id, id) == 0)
			return (long)i;
	return -1;
}

const char *
contact_field(const struct contact *c, const char *key)
{
	size_t i;

	for (i = 0; i < c->nfields; i++)
		if (strcmp(c->fields[i].key, key) == 0)
			return c->fields[i].value;
	return NULL;
}

size_t
contacts_ndiags(const struct contacts *db)
{
	return db->ndiags;
}

const struct contacts_diag *
contacts_diag(const struct contacts *db, size_t i)
{
	return i < db->ndiags ? &db->diags[i] : NULL;
}

char *
contacts_diag_format(const struct contacts *db, size_t i, char *buf,
    size_t len)
{
	const struct contacts_diag *d = contacts_diag(db, i);

	if (d == NULL)
		snprintf(buf, len, "?");
	else if (d->field[0] != '\0')
		snprintf(buf, len, "%s:%u: %s: %s", db->path, d->line, d->field,
		    d->msg);
	else
		snprintf(buf, len, "%s:%u: %s", db->path, d->line, d->msg);
	return buf;
}

