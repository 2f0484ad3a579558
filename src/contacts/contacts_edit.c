/*
 * contacts_edit.c -- editing the contact database and saving it. An edit
 * (add, update, delete) builds the file's new text -- untouched records
 * copied byte for byte, the edited record's comments and other fields kept
 * in place -- parses it, and swaps it in only if no record gets worse.
 * contacts_save() replaces the file atomically, keeping its owner, group
 * and mode, and refuses to overwrite a change made by someone else.
 */
#include "contacts/contacts_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"

struct sbuf {
	char *s;
	size_t n, cap;
};

static void
sb_add(struct sbuf *b, const void *p, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		while (b->n + n + 1 > b->cap)
			b->cap = b->cap ? b->cap * 2 : 4096;
		b->s = xreallocarray(b->s, b->cap, 1);
	}
	memcpy(b->s + b->n, p, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void
sb_str(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

/* "key: value" with continuation lines for embedded newlines; blank value
 * lines are dropped (a blank line would end the record). */
static void
emit_field(struct sbuf *b, const char *key, const char *value)
{
	const char *p = value;
	int first = 1;

	sb_str(b, key);
	sb_str(b, ":");
	while (*p != '\0' || first) {
		const char *e = strchr(p, '\n');
		size_t n = e != NULL ? (size_t)(e - p) : strlen(p);
		const char *s = p;
		size_t m = n;

		while (m > 0 && (*s == ' ' || *s == '\t' || *s == '\r'))
			s++, m--;
		while (m > 0 && (s[m - 1] == ' ' || s[m - 1] == '\t' ||
		    s[m - 1] == '\r'))
			m--;
		if (m > 0 || first) {
			sb_str(b, first ? (m > 0 ? " " : "") : "\n  ");
			sb_add(b, s, m);
		}
		first = 0;
		p += n + (e != NULL);
		if (e == NULL)
			break;
	}
	sb_str(b, "\n");
}

static int
kv_valid(const struct contacts_kv *kv, size_t n, char *errbuf)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (kv[i].key == NULL ||
		    !contacts_key_ok(kv[i].key, strlen(kv[i].key)))
			return err_set(errbuf, "'%s' is not a field name",
			    kv[i].key != NULL ? kv[i].key : "(null)");
	}
	return 0;
}

/* Index of the key in kv[0..n) that names the field line s (key of kl
 * bytes), or n. */
static size_t
kv_index(const struct contacts_kv *kv, size_t n, const char *s, size_t kl)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(kv[i].key) == kl &&
		    strncasecmp(kv[i].key, s, kl) == 0)
			break;
	return i;
}

/* 1 if kv[i] is the first entry for its key and gives a value: the one
 * that is written (the first of a repeated key wins). */
static int
kv_writes(const struct contacts_kv *kv, size_t i)
{
	size_t j;

	if (kv[i].value == NULL || kv[i].value[0] == '\0')
		return 0;
	for (j = 0; j < i; j++)
		if (strcasecmp(kv[j].key, kv[i].key) == 0)
			return 0;
	return 1;
}

/* A line of len bytes copied as it is, ended with a newline if it had
 * none (the file's last line), so nothing joins it. */
static void
copy_line(struct sbuf *out, const char *s, size_t len)
{
	sb_add(out, s, len);
	if (len == 0 || s[len - 1] != '\n')
		sb_str(out, "\n");
}

/*
 * The text of record r rebuilt with kv applied: its lines are re-emitted
 * in order -- comments verbatim, fields whose key kv does not name
 * verbatim (with their continuation lines), a named field's first
 * occurrence replaced and later ones dropped -- and new keys appended.
 */
static void
rebuild_record(const struct contacts *db, const struct rec *r,
    const struct contacts_kv *kv, size_t n, struct sbuf *out)
{
	uint8_t *done = xcalloc(n + 1, 1);
	size_t p = r->off, i, k, kl;
	int skipping = 0;	/* in a replaced field's continuation lines */

	while (p < r->end) {
		const uint8_t *nl = memchr(db->buf + p, '\n', r->end - p);
		size_t len = nl != NULL ? (size_t)(nl - (db->buf + p)) + 1 :
		    r->end - p;
		const char *s = (const char *)db->buf + p;

		p += len;
		if (s[0] == '#' || s[0] == ' ' || s[0] == '\t') {
			if (s[0] == '#' || !skipping)
				copy_line(out, s, len);
			continue;
		}
		for (k = 0; k < len && s[k] != ':' && s[k] != '\n'; k++)
			;
		for (kl = k; kl > 0 && (s[kl - 1] == ' ' || s[kl - 1] == '\t');
		    kl--)
			;
		i = kv_index(kv, n, s, kl);
		skipping = i < n && s[k] == ':';
		if (!skipping) {
			copy_line(out, s, len);
			continue;
		}
		if (!done[i] && kv[i].value != NULL && kv[i].value[0] != '\0')
			emit_field(out, kv[i].key, kv[i].value);
		done[i] = 1;
	}
	for (i = 0; i < n; i++)
		if (!done[i] && kv_writes(kv, i))
			emit_field(out, kv[i].key, kv[i].value);
	free(done);
}

/* Swap in a candidate text if it is no worse than the current one:
 * `target` (index in the candidate, or -1) must be valid, and no record
 * that was valid may become invalid. */
static int
apply(struct contacts *db, struct sbuf *text, long target, char *errbuf)
{
	struct contacts *nd = contacts_parse(db->path, (const uint8_t *)text->s,
	    text->n);
	size_t i;

	free(text->s);
	if (nd->ninvalid > db->ninvalid || (target >= 0 &&
	    ((size_t)target >= nd->nrecs || !nd->recs[target]->c.valid))) {
		/* Report the first diagnostic of the edited record, else the
		 * first new one. */
		const struct contacts_diag *d = NULL;

		for (i = 0; i < nd->ndiags && target >= 0 &&
		    (size_t)target < nd->nrecs; i++) {
			const struct rec *r = nd->recs[target];

			if (nd->diags[i].line >= r->line0 &&
			    nd->diags[i].line < r->line0 + r->c.nlines) {
				d = &nd->diags[i];
				break;
			}
		}
		if (d == NULL && nd->ndiags > 0)
			d = &nd->diags[nd->ndiags - 1];
		if (d != NULL && d->field[0] != '\0')
			err_set(errbuf, "%s: %s", d->field, d->msg);
		else if (d != NULL)
			err_set(errbuf, "%s", d->msg);
		else
			err_set(errbuf, "the edit would make the file invalid");
		contacts_free(nd);
		return -1;
	}
	/* Swap contents, keeping db's identity for the save check. */
	{
		struct contacts tmp = *db;

		*db = *nd;
		db->have_id = tmp.have_id;
		db->id = tmp.id;
		db->dirty = 1;
		*nd = tmp;
		contacts_free(nd);
	}
	return 0;
}

int
contacts_add(struct contacts *db, const struct contacts_kv *kv, size_t n,
    char *errbuf)
{
	struct sbuf t = { NULL, 0, 0 };
	size_t i;
	int has_id = 0;

	if (kv_valid(kv, n, errbuf) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (strcasecmp(kv[i].key, "id") == 0 && kv[i].value != NULL &&
		    kv[i].value[0] != '\0')
			has_id = 1;
	if (!has_id)
		return err_set(errbuf, "id: missing (every record needs a "
		    "unique id)");
	sb_add(&t, db->buf, db->len);
	if (t.n > 0 && t.s[t.n - 1] != '\n')
		sb_str(&t, "\n");
	if (t.n > 0 && !(t.n >= 2 && t.s[t.n - 2] == '\n'))
		sb_str(&t, "\n");
	else if (t.n == 1)
		sb_str(&t, "\n");
	for (i = 0; i < n; i++)
		if (kv_writes(kv, i))
			emit_field(&t, kv[i].key, kv[i].value);
	return apply(db, &t, (long)db->nrecs, errbuf);
}

int
contacts_update(struct contacts *db, size_t idx, const struct contacts_kv *kv,
    size_t n, char *errbuf)
{
	struct sbuf t = { NULL, 0, 0 };
	size_t i, prev = 0;

	if (idx >= db->nrecs)
		return err_set(errbuf, "no record %zu", idx);
	if (kv_valid(kv, n, errbuf) != 0)
		return -1;
	for (i = 0; i < db->nrecs; i++) {
		sb_add(&t, db->buf + prev, db->recs[i]->off - prev);
		if (i == idx)
			rebuild_record(db, db->recs[i], kv, n, &t);
		else
			sb_add(&t, db->buf + db->recs[i]->off,
			    db->recs[i]->end - db->recs[i]->off);
		prev = db->recs[i]->end;
	}
	sb_add(&t, db->buf + prev, db->len - prev);
	if (t.s == NULL)
		sb_str(&t, "");
	return apply(db, &t, (long)idx, errbuf);
}

int
contacts_delete(struct contacts *db, size_t idx, char *errbuf)
{
	struct sbuf t = { NULL, 0, 0 };
	size_t end;

	if (idx >= db->nrecs)
		return err_set(errbuf, "no record %zu", idx);
	sb_add(&t, db->buf, db->recs[idx]->off);
	/* Drop the record and the blank lines after it. */
	end = db->recs[idx]->end;
	while (end < db->len) {
		const uint8_t *nl = memchr(db->buf + end, '\n', db->len - end);
		size_t n = nl != NULL ? (size_t)(nl - (db->buf + end)) + 1 :
		    db->len - end, k;
		int blank = 1;

		for (k = 0; k < n; k++)
			if (!strchr(" \t\r\n", db->buf[end + k]))
				blank = 0;
		if (!blank)
			break;
		end += n;
	}
	sb_add(&t, db->buf + end, db->len - end);
	if (t.s == NULL)
		sb_str(&t, "");
	return apply(db, &t, -1, errbuf);
}

int
contacts_dirty(const struct contacts *db)
{
	return db->dirty;
}

const uint8_t *
contacts_text(const struct contacts *db, size_t *len)
{
	*len = db->len;
	return db->buf;
}

/* 0 if the file on disk is still the one loaded or last saved (or, for a
 * new database, still absent); else -1 with errbuf filled. */
static int
check_unchanged(const struct contacts *db, char *errbuf)
{
	struct stat st;
	int e;

	if (stat(db->path, &st) == 0) {
		if (!db->have_id || st.st_ino != db->id.st_ino ||
		    st.st_dev != db->id.st_dev || st.st_size != db->id.st_size ||
		    st.st_mtim.tv_sec != db->id.st_mtim.tv_sec ||
		    st.st_mtim.tv_nsec != db->id.st_mtim.tv_nsec)
			return err_set(errbuf, "%s changed on disk since it "
			    "was loaded; not saving over it (reload, then "
			    "edit again)", db->path);
	} else if (errno != ENOENT || db->have_id) {
		e = errno;
		return err_set(errbuf, "%s: %s", db->path, e == ENOENT ?
		    "removed since it was loaded" : strerror(e));
	}
	return 0;
}

/*
 * The new file (fd) takes the old one's owner and group, then its mode
 * (fchown first: it may clear set-id bits); a new database's file gets
 * 0644. Without the group a file shared by a NOC group became unreadable
 * to it after one edit; if the group cannot be kept (not root, not a
 * member), -1 says so rather than save a file the others lose.
 */
static int
keep_owner_and_mode(const struct contacts *db, int fd, char *errbuf)
{
	int e;

	if (!db->have_id) {
		(void)fchmod(fd, 0644);
		return 0;
	}
	if (fchown(fd, db->id.st_uid, db->id.st_gid) != 0 &&
	    fchown(fd, (uid_t)-1, db->id.st_gid) != 0) {
		e = errno;
		return err_set(errbuf, "%s: cannot keep its group %lu on the "
		    "new copy: %s; not saved", db->path,
		    (unsigned long)db->id.st_gid, strerror(e));
	}
	(void)fchmod(fd, db->id.st_mode & 07777);
	return 0;
}

/* The whole text into fd (the temporary file tmp), fsync'd; fd is closed
 * in any case. 0, or -1 with errbuf filled. */
static int
write_text(const struct contacts *db, int fd, const char *tmp, char *errbuf)
{
	size_t off = 0;
	int e;

	while (off < db->len) {
		ssize_t n = write(fd, db->buf + off, db->len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			e = errno;
			close(fd);
			return err_set(errbuf, "%s: write: %s", tmp,
			    strerror(e));
		}
		off += (size_t)n;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		e = errno;
		return err_set(errbuf, "%s: fsync: %s", tmp, strerror(e));
	}
	return 0;
}

int
contacts_save(struct contacts *db, char *errbuf)
{
	char *dircopy, *dir, *tmp;
	struct stat st;
	int fd, dfd, e;

	if (check_unchanged(db, errbuf) != 0)
		return -1;
	dircopy = xstrdup(db->path);
	dir = dirname(dircopy);
	tmp = xasprintf("%s/.%s.tmpXXXXXX", dir, basename(db->path));
	if ((fd = mkstemp(tmp)) < 0) {
		e = errno;
		err_set(errbuf, "%s: cannot create a temporary file: %s", dir,
		    strerror(e));
		goto fail;
	}
	if (keep_owner_and_mode(db, fd, errbuf) != 0) {
		close(fd);
		unlink(tmp);
		goto fail;
	}
	if (write_text(db, fd, tmp, errbuf) != 0) {
		unlink(tmp);
		goto fail;
	}
	if (rename(tmp, db->path) != 0) {
		e = errno;
		unlink(tmp);
		err_set(errbuf, "rename %s to %s: %s", tmp, db->path,
		    strerror(e));
		goto fail;
	}
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	if (stat(db->path, &st) == 0) {
		db->id = st;
		db->have_id = 1;
	}
	db->dirty = 0;
	free(tmp);
	free(dircopy);
	return 0;
fail:
	free(tmp);
	free(dircopy);
	return -1;
}
