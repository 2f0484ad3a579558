/*
 * journal.c -- append-only JSON Lines journals. See journal.h for the
 * guarantees; the event schema is in man/kyocho-journal.5.
 *
 * Locking: flock(LOCK_EX) on the journal's own descriptor for the whole
 * read-number-write-fsync sequence. The file is small (JOURNAL_FILE_MAX),
 * so each append reads it whole to find the last sequence number and any
 * torn tail; this keeps the number right whatever other processes wrote.
 */
#include "case/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/util.h"

void
journal_diag_add(struct journal_diags *d, enum journal_diag_kind kind,
    const char *file, unsigned line, const char *fmt, ...)
{
	struct journal_diag *g;
	char raw[ERRBUF_SIZE], clean[ERRBUF_SIZE];
	va_list ap;
	int n;

	if (line > 0)
		n = snprintf(raw, sizeof(raw), "%s:%u: ", file, line);
	else
		n = snprintf(raw, sizeof(raw), "%s: ", file);
	if (n < 0 || (size_t)n >= sizeof(raw))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(raw + n, sizeof(raw) - (size_t)n, fmt, ap);
	va_end(ap);
	text_sanitize(clean, sizeof(clean), raw, strlen(raw));
	d->v = xreallocarray(d->v, d->n + 1, sizeof(*d->v));
	g = &d->v[d->n++];
	g->kind = kind;
	g->file = xstrdup(file);
	g->line = line;
	g->msg = xstrdup(clean);
}

void
journal_diags_free(struct journal_diags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].msg);
	}
	free(d->v);
	d->v = NULL;
	d->n = 0;
}

/* Read the whole of fd (from offset 0) into a new buffer. */
static char *
read_all(int fd, size_t *len, char *errbuf, const char *path)
{
	struct stat st;
	char *buf;
	size_t got = 0;

	if (fstat(fd, &st) != 0) {
		err_set(errbuf, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (st.st_size < 0 || (uint64_t)st.st_size > JOURNAL_FILE_MAX) {
		err_set(errbuf, "%s: larger than %u bytes; not a journal kyocho "
		    "wrote", path, JOURNAL_FILE_MAX);
		return NULL;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t r = pread(fd, buf + got, (size_t)st.st_size - got,
		    (off_t)got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err_set(errbuf, "%s: %s", path, strerror(errno));
			free(buf);
			return NULL;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	buf[got] = '\0';
	*len = got;
	return buf;
}

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* fsync the directory holding path, so a new name survives a crash. */
static int
sync_dir(const char *path)
{
	char *copy = xstrdup(path);
	int fd, rc = -1;

	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		rc = fsync(fd);
		close(fd);
	}
	free(copy);
	return rc;
}

/*
 * The name of the top-level member of event j whose value holds a string
 * with a NUL character (JSON "\u0000") anywhere inside it, or NULL. Every
 * reader takes strings as C strings and would silently cut the text there
 * (a title, a note), so such an event is refused on append; on replay it
 * is damage, kept with each NUL shown as U+FFFD (nul_replace). kyocho
 * itself never writes one.
 */
static int
has_nul(const struct json *j)
{
	size_t i;

	if (j->type == JSON_STRING)
		return memchr(j->s, '\0', j->slen) != NULL;
	if (j->type == JSON_ARRAY || j->type == JSON_OBJECT)
		for (i = 0; i < j->n; i++)
			if (has_nul(&j->v[i]))
				return 1;
	return 0;
}

/*
 * Replay keeps an event whose strings hold NUL characters (dropping it would
 * lose, say, a created event's TLP and turn a TLP:RED incident into the
 * default): each NUL becomes U+FFFD, so no reader cuts the text short and
 * the report shows where it was. Returns how many were replaced.
 */
static size_t
nul_replace(struct json *j)
{
	static const char rep[] = "\xef\xbf\xbd";	/* U+FFFD */
	size_t i, n = 0, k;
	char *s;

	if (j->type == JSON_STRING) {
		for (i = 0; i < j->slen; i++)
			n += j->s[i] == '\0';
		if (n == 0)
			return 0;
		s = xmalloc(j->slen + 2 * n + 1);
		for (i = k = 0; i < j->slen; i++) {
			if (j->s[i] == '\0') {
				memcpy(s + k, rep, 3);
				k += 3;
			} else
				s[k++] = j->s[i];
		}
		s[k] = '\0';
		free(j->s);
		j->s = s;
		j->slen = k;
		return n;
	}
	if (j->type == JSON_ARRAY || j->type == JSON_OBJECT)
		for (i = 0; i < j->n; i++)
			n += nul_replace(&j->v[i]);
	return n;
}

static const char *
nul_member(const struct json *j)
{
	size_t i;

	if (j->type != JSON_OBJECT)
		return NULL;
	for (i = 0; i < j->n; i++)
		if (has_nul(&j->v[i]))
			return j->k[i];
	return NULL;
}

/* "{"seq":N,<members>}\n" as a new string; checks it is one valid object. */
static char *
compose(uint64_t seq, const char *members, size_t len, size_t *outlen,
    char *errbuf)
{
	char head[40];
	size_t hlen, total;
	char *line;
	struct json *j;
	const char *key;
	char err[ERRBUF_SIZE];

	hlen = (size_t)snprintf(head, sizeof(head), "{\"seq\":%llu%s",
	    (unsigned long long)seq, len > 0 ? "," : "");
	total = hlen + len + 2;
	if (total > JOURNAL_LINE_MAX) {
		err_set(errbuf, "event of %zu bytes is larger than the journal's "
		    "limit of %u; shorten the text", total, JOURNAL_LINE_MAX);
		return NULL;
	}
	line = xmalloc(total + 1);
	memcpy(line, head, hlen);
	memcpy(line + hlen, members, len);
	line[hlen + len] = '}';
	line[hlen + len + 1] = '\n';
	line[total] = '\0';
	if (memchr(line, '\n', total - 1) != NULL ||
	    (j = json_parse(line, total - 1, 0, NULL, err)) == NULL) {
		err_set(errbuf, "internal: event is not one JSON object line");
		free(line);
		return NULL;
	}
	if ((key = nul_member(j)) != NULL) {
		char safe[64];

		text_sanitize(safe, sizeof(safe), key, strlen(key));
		err_set(errbuf, "\"%s\" holds a NUL character (\\u0000), which "
		    "would cut the text short; nothing was written", safe);
		json_free(j);
		free(line);
		return NULL;
	}
	json_free(j);
	*outlen = total;
	return line;
}

int
journal_create(const char *path, const char *members, size_t len,
    char *errbuf)
{
	char *tmp, *line;
	size_t n;
	int fd, rc = -1;

	if ((line = compose(1, members, len, &n, errbuf)) == NULL)
		return -1;
	tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		err_set(errbuf, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (write_all(fd, line, n) != 0 || fsync(fd) != 0) {
		err_set(errbuf, "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	close(fd);
	if (link(tmp, path) != 0) {
		int e = errno;

		unlink(tmp);
		if (e == EEXIST)
			rc = 1;
		else
			err_set(errbuf, "%s: %s", path, strerror(e));
		goto out;
	}
	unlink(tmp);
	if (sync_dir(path) != 0) {
		err_set(errbuf, "%s: fsync of its directory: %s", path,
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	free(line);
	return rc;
}

/*
 * Move a torn tail buf[from..len) to path.torn and cut the journal at
 * from. Called with the lock held.
 */
static int
cut_torn(int fd, const char *path, const char *buf, size_t from, size_t len,
    char *errbuf)
{
	char *side = xasprintf("%s.torn", path);
	char stamp[64], now[32];
	int sfd, rc = -1;

	sfd = open(side, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (sfd < 0) {
		err_set(errbuf, "%s: %s", side, strerror(errno));
		goto out;
	}
	snprintf(stamp, sizeof(stamp), "# cut at byte %zu on %s\n", from,
	    time_rfc3339(now, sizeof(now), (int64_t)time(NULL) * 1000000, 0));
	if (write_all(sfd, stamp, strlen(stamp)) != 0 ||
	    write_all(sfd, buf + from, len - from) != 0 ||
	    write_all(sfd, "\n", 1) != 0 || fsync(sfd) != 0) {
		err_set(errbuf, "%s: %s", side, strerror(errno));
		close(sfd);
		goto out;
	}
	close(sfd);
	if (ftruncate(fd, (off_t)from) != 0 || fsync(fd) != 0) {
		err_set(errbuf, "%s: cutting a torn last line: %s", path,
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(side);
	return rc;
}

/*
 * Read the last whole line of the journal (size bytes) from its tail.
 * *end = size and *seq = its sequence number when the file ends in a
 * newline and that line parses; *end = 0 otherwise (the caller reads the
 * whole file then). Returns 0 or -1 on a read error.
 */
static int
tail_seq(int fd, size_t size, size_t *end, uint64_t *seq, const char *path,
    char *errbuf)
{
	size_t want = size < JOURNAL_LINE_MAX + 2 ? size : JOURNAL_LINE_MAX + 2;
	char *buf, *nl;
	ssize_t r;
	struct json *j;

	*end = 0;
	*seq = 0;
	if (size == 0) {
		*end = 0;
		return 0;
	}
	buf = xmalloc(want + 1);
	r = pread(fd, buf, want, (off_t)(size - want));
	if (r != (ssize_t)want) {
		free(buf);
		return err_set(errbuf, "%s: read: %s", path, r < 0 ?
		    strerror(errno) : "short read");
	}
	if (buf[want - 1] == '\n') {
		nl = want >= 2 ? memrchr(buf, '\n', want - 1) : NULL;
		if (nl != NULL || want == size) {
			const char *line = nl != NULL ? nl + 1 : buf;
			size_t ll = (size_t)(buf + want - 1 - line);

			j = json_parse(line, ll, 0, NULL, NULL);
			if (j != NULL) {
				int64_t sq = json_geti(j, "seq", 0);

				if (sq > 0) {
					*seq = (uint64_t)sq;
					*end = size;
				}
				json_free(j);
			}
		}
	}
	free(buf);
	return 0;
}

int
journal_append(const char *path, const char *members, size_t len,
    uint64_t *seqp, char *errbuf)
{
	char *buf = NULL, *line = NULL;
	size_t blen = 0, off, n, end;
	uint64_t maxseq = 0;
	struct stat st;
	int fd, rc = -1;

	fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return err_set(errbuf, "%s: %s", path, strerror(errno));
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			err_set(errbuf, "%s: lock: %s", path, strerror(errno));
			goto out;
		}
	}
	if (fstat(fd, &st) != 0) {
		err_set(errbuf, "%s: %s", path, strerror(errno));
		goto out;
	}
	if ((uint64_t)st.st_size > JOURNAL_FILE_MAX) {
		err_set(errbuf, "%s: the journal is full (%u bytes); open a new "
		    "incident", path, JOURNAL_FILE_MAX);
		goto out;
	}
	/* Usually the tail holds all we need: the last whole line. */
	if (tail_seq(fd, (size_t)st.st_size, &end, &maxseq, path, errbuf) < 0)
		goto out;
	if (end != (size_t)st.st_size || maxseq == 0) {
		/* A torn tail, or the last line is damaged: read it all. */
		if ((buf = read_all(fd, &blen, errbuf, path)) == NULL)
			goto out;
		end = blen;
		if (blen > 0 && buf[blen - 1] != '\n') {
			char *nl = memrchr(buf, '\n', blen);

			end = nl != NULL ? (size_t)(nl - buf) + 1 : 0;
			if (cut_torn(fd, path, buf, end, blen, errbuf) != 0)
				goto out;
		}
		maxseq = 0;
		for (off = 0; off < end; ) {
			char *nl = memchr(buf + off, '\n', end - off);
			size_t ll = (size_t)(nl - (buf + off));
			struct json *j;

			j = json_parse(buf + off, ll, 0, NULL, NULL);
			if (j != NULL) {
				int64_t sq = json_geti(j, "seq", 0);

				if (sq > 0 && (uint64_t)sq > maxseq)
					maxseq = (uint64_t)sq;
				json_free(j);
			}
			off += ll + 1;
		}
	}
	if (maxseq >= (uint64_t)JOURNAL_SEQ_MAX) {
		/* maxseq + 1 would not read back as an integer: replay would
		 * drop the event we had confirmed. */
		err_set(errbuf, "%s: the journal's sequence numbers are used up "
		    "(last event %llu); nothing was added, open a new incident",
		    path, (unsigned long long)maxseq);
		goto out;
	}
	if ((line = compose(maxseq + 1, members, len, &n, errbuf)) == NULL)
		goto out;
	if (write_all(fd, line, n) != 0) {
		int e = errno;

		/* Take back a partial line so the journal stays whole. */
		if (fstat(fd, &st) == 0 && (size_t)st.st_size > end)
			(void)ftruncate(fd, (off_t)end);
		err_set(errbuf, "%s: write: %s", path, strerror(e));
		goto out;
	}
	if (fsync(fd) != 0) {
		err_set(errbuf, "%s: fsync: %s (the event may not be on disk)",
		    path, strerror(errno));
		goto out;
	}
	if (seqp != NULL)
		*seqp = maxseq + 1;
	rc = 0;
out:
	close(fd);	/* releases the lock */
	free(buf);
	free(line);
	return rc;
}

long
journal_replay(const char *path,
    void (*fn)(void *ctx, const struct json *ev, unsigned line), void *ctx,
    struct journal_diags *d)
{
	char errbuf[ERRBUF_SIZE], *buf, *side;
	size_t blen;
	long good;
	struct stat st;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		journal_diag_add(d, JDIAG_FILE, path, 0, "cannot open: %s",
		    strerror(errno));
		return -1;
	}
	/* A shared lock: no half-appended line is read. */
	while (flock(fd, LOCK_SH) != 0 && errno == EINTR)
		;
	buf = read_all(fd, &blen, errbuf, path);
	close(fd);
	if (buf == NULL) {
		journal_diag_add(d, JDIAG_FILE, path, 0, "not loaded: %s", errbuf);
		return -1;
	}
	good = journal_replay_buf(path, buf, blen, fn, ctx, d);
	free(buf);
	side = xasprintf("%s.torn", path);
	if (stat(side, &st) == 0)
		journal_diag_add(d, JDIAG_NOTE, side, 0, "%lld byte(s) cut from "
		    "torn last lines are kept here for inspection",
		    (long long)st.st_size);
	free(side);
	return good;
}

long
journal_replay_buf(const char *path, const char *buf, size_t blen,
    void (*fn)(void *ctx, const struct json *ev, unsigned line), void *ctx,
    struct journal_diags *d)
{
	char errbuf[ERRBUF_SIZE];
	size_t off = 0;
	unsigned lineno = 0;
	int64_t lastseq = 0;
	long good = 0;

	while (off < blen) {
		const char *nl = memchr(buf + off, '\n', blen - off);
		size_t ll = nl != NULL ? (size_t)(nl - (buf + off)) : blen - off;
		struct json *j;
		size_t eoff;
		const char *type, *ts, *nulkey;
		int64_t seq, us;

		lineno++;
		if (nl == NULL) {
			journal_diag_add(d, JDIAG_TORN, path, lineno,
			    "torn last line (%zu bytes, no newline; a write cut "
			    "short by a crash) skipped", ll);
			break;
		}
		off += ll + 1;
		if (ll == 0) {
			journal_diag_add(d, JDIAG_DAMAGE, path, lineno,
			    "empty line (damage) skipped");
			continue;
		}
		if (ll > JOURNAL_LINE_MAX) {
			journal_diag_add(d, JDIAG_DAMAGE, path, lineno,
			    "line of %zu bytes is over the limit (damage) skipped",
			    ll);
			continue;
		}
		j = json_parse(nl - ll, ll, 0, &eoff, errbuf);
		if (j == NULL) {
			journal_diag_add(d, JDIAG_DAMAGE, path, lineno,
			    "unreadable event (damage) skipped: byte %zu: %s",
			    eoff + 1, strchr(errbuf, ':') != NULL ?
			    strchr(errbuf, ':') + 2 : errbuf);
			continue;
		}
		if ((nulkey = nul_member(j)) != NULL) {
			journal_diag_add(d, JDIAG_DAMAGE, path, lineno,
			    "\"%s\" holds a NUL character (\\u0000) that would "
			    "cut its text short (damage): shown as U+FFFD",
			    nulkey);
			(void)nul_replace(j);
		}
		seq = json_geti(j, "seq", -1);
		type = json_gets(j, "type", NULL);
		ts = json_gets(j, "ts", NULL);
		if (j->type != JSON_OBJECT || seq <= 0 || type == NULL ||
		    ts == NULL || time_parse_rfc3339(ts, &us) != 0) {
			journal_diag_add(d, JDIAG_DAMAGE, path, lineno,
			    "event lacks a valid seq, type or ts (damage) skipped");
			json_free(j);
			continue;
		}
		/* lastseq may be JOURNAL_SEQ_MAX: no "lastseq + 1" then. */
		if (seq <= lastseq || seq - lastseq != 1) {
			if (seq > lastseq)
				journal_diag_add(d, JDIAG_SEQ, path, lineno,
				    "event %lld follows %lld: %lld event(s) missing",
				    (long long)seq, (long long)lastseq,
				    (long long)(seq - lastseq - 1));
			else
				journal_diag_add(d, JDIAG_SEQ, path, lineno,
				    "event %lld repeats or goes back (after %lld)",
				    (long long)seq, (long long)lastseq);
		}
		if (seq > lastseq)
			lastseq = seq;
		fn(ctx, j, lineno);
		json_free(j);
		good++;
	}
	return good;
}
