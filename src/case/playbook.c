/*
 * playbook.c -- reading, checking and approving playbooks. See playbook.h
 * and man/kyocho-playbook.5. Input is hostile: the block format's own
 * limits (base/blockfile.c: line and file size, UTF-8, control
 * characters) plus ours (PLAYBOOK_MAXANS proposals and facts,
 * PLAYBOOK_MAXKINDS kinds, names that are words).
 */
#include "case/playbook.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/blockfile.h"
#include "base/util.h"

#define PB_FILE_MAX	(1u << 20)

static char *
dup_opt(const char *s)
{
	return xstrdup(s != NULL ? s : "");
}

static int
is_name(const char *s)
{
	size_t i;

	if (*s == '\0' || strlen(s) > 64)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return 0;
	return 1;
}

/* 1 if s is YYYY-MM-DD with a plausible month and day. */
static int
date_ok(const char *s)
{
	int i, m, d;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* Split a blank-separated list of names into v (at most max). */
static int
split_names(const char *path, unsigned line, const char *what,
    const char *s, char **v, size_t *n, size_t max, char *errbuf)
{
	char *w = xstrdup(s), *tok, *save;

	for (tok = strtok_r(w, " \t,", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t,", &save)) {
		if (!is_name(tok)) {
			err_set(errbuf, "%s:%u: %s: '%s' is not a name", path,
			    line, what, tok);
			free(w);
			return -1;
		}
		if (*n == max) {
			err_set(errbuf, "%s:%u: %s: more than %zu", path, line,
			    what, max);
			free(w);
			return -1;
		}
		v[(*n)++] = xstrdup(tok);
	}
	free(w);
	return 0;
}

static int
parse_row(const char *path, unsigned line, const char *v, int *out,
    char *errbuf)
{
	if (strcmp(v, "sourced") == 0)
		*out = 0;
	else if (strcmp(v, "unverified") == 0)
		*out = 1;
	else
		return err_set(errbuf, "%s:%u: row '%s' is not sourced or "
		    "unverified", path, line, v);
	return 0;
}

void
playbook_free(struct playbook *pb)
{
	size_t i;

	if (pb == NULL)
		return;
	free(pb->name);
	free(pb->action);
	for (i = 0; i < pb->nkinds; i++)
		free(pb->kinds[i]);
	for (i = 0; i < pb->nfacts; i++)
		free(pb->facts[i]);
	for (i = 0; i < pb->nans; i++) {
		free(pb->ans[i].question);
		free(pb->ans[i].answer);
		free(pb->ans[i].reason_en);
		free(pb->ans[i].reason_ja);
	}
	free(pb->case_en);
	free(pb->case_ja);
	free(pb->edition_en);
	free(pb->edition_ja);
	free(pb->source);
	free(pb->ttl);
	free(pb->retention);
	free(pb->approved_by);
	free(pb->approved_on);
	free(pb->file);
	free(pb);
}

static int
parse_head(struct playbook *pb, const struct blockfile_block *b,
    const char *path, char *errbuf)
{
	static const char *const need[] = { "action", "kinds", "case.en",
	    "case.ja", "edition.en", "edition.ja", "row" };
	const char *v;
	size_t i;

	if (!is_name(b->arg))
		return err_set(errbuf, "%s:%u: playbook needs a name (letters, "
		    "digits, '-', '_', '.')", path, b->line);
	for (i = 0; i < NITEMS(need); i++)
		if (blockfile_get(b, need[i]) == NULL ||
		    *blockfile_get(b, need[i]) == '\0')
			return err_set(errbuf, "%s:%u: playbook %s needs %s",
			    path, b->line, b->arg, need[i]);
	for (i = 0; i < b->nprops; i++) {
		static const char *const known[] = { "action", "kinds",
		    "case.en", "case.ja", "edition.en", "edition.ja", "row",
		    "source", "example", "ttl", "retention", "facts",
		    "approved-by", "approved-on" };
		size_t k;

		for (k = 0; k < NITEMS(known); k++)
			if (strcmp(b->props[i].key, known[k]) == 0)
				break;
		if (k == NITEMS(known))
			return err_set(errbuf, "%s:%u: '%s' is not a key of a "
			    "playbook", path, b->props[i].line, b->props[i].key);
	}
	pb->name = xstrdup(b->arg);
	pb->line = b->line;
	v = blockfile_get(b, "action");
	if (!is_name(v))
		return err_set(errbuf, "%s:%u: action '%s' is not a name", path,
		    b->line, v);
	pb->action = xstrdup(v);
	if (split_names(path, b->line, "kinds", blockfile_get(b, "kinds"),
	    pb->kinds, &pb->nkinds, PLAYBOOK_MAXKINDS, errbuf) != 0)
		return -1;
	if (pb->nkinds == 0)
		return err_set(errbuf, "%s:%u: kinds is empty", path, b->line);
	if ((v = blockfile_get(b, "facts")) != NULL &&
	    split_names(path, b->line, "facts", v, pb->facts, &pb->nfacts,
	    PLAYBOOK_MAXANS, errbuf) != 0)
		return -1;
	pb->case_en = xstrdup(blockfile_get(b, "case.en"));
	pb->case_ja = xstrdup(blockfile_get(b, "case.ja"));
	pb->edition_en = xstrdup(blockfile_get(b, "edition.en"));
	pb->edition_ja = xstrdup(blockfile_get(b, "edition.ja"));
	pb->source = dup_opt(blockfile_get(b, "source"));
	if (parse_row(path, b->line, blockfile_get(b, "row"), &pb->unverified,
	    errbuf) != 0)
		return -1;
	v = blockfile_get(b, "example");
	if (v != NULL && strcmp(v, "yes") != 0 && strcmp(v, "no") != 0)
		return err_set(errbuf, "%s:%u: example is yes or no", path,
		    b->line);
	pb->example = v != NULL && strcmp(v, "yes") == 0;
	pb->ttl = dup_opt(blockfile_get(b, "ttl"));
	pb->retention = dup_opt(blockfile_get(b, "retention"));
	pb->approved_by = dup_opt(blockfile_get(b, "approved-by"));
	pb->approved_on = dup_opt(blockfile_get(b, "approved-on"));
	if (strlen(pb->approved_by) > PLAYBOOK_WHO_MAX)
		return err_set(errbuf, "%s:%u: approved-by is longer than %d "
		    "bytes", path, b->line, PLAYBOOK_WHO_MAX);
	if (*pb->approved_on != '\0' && !date_ok(pb->approved_on))
		return err_set(errbuf, "%s:%u: approved-on '%s' is not a date "
		    "YYYY-MM-DD", path, b->line, pb->approved_on);
	if ((*pb->approved_on == '\0') != (*pb->approved_by == '\0'))
		return err_set(errbuf, "%s:%u: approved-by and approved-on go "
		    "together", path, b->line);
	return 0;
}

static int
parse_propose(struct playbook *pb, const struct blockfile_block *b,
    const char *path, char *errbuf)
{
	struct playbook_answer *a;
	const char *v, *en, *ja;
	size_t i;

	if (!is_name(b->arg))
		return err_set(errbuf, "%s:%u: propose needs a question id",
		    path, b->line);
	for (i = 0; i < pb->nans; i++)
		if (strcmp(pb->ans[i].question, b->arg) == 0)
			return err_set(errbuf, "%s:%u: question '%s' is proposed "
			    "twice (first on line %u)", path, b->line, b->arg,
			    pb->ans[i].line);
	if (pb->nans == PLAYBOOK_MAXANS)
		return err_set(errbuf, "%s:%u: more than %d proposals", path,
		    b->line, PLAYBOOK_MAXANS);
	for (i = 0; i < b->nprops; i++)
		if (strcmp(b->props[i].key, "answer") != 0 &&
		    strcmp(b->props[i].key, "reason.en") != 0 &&
		    strcmp(b->props[i].key, "reason.ja") != 0 &&
		    strcmp(b->props[i].key, "row") != 0)
			return err_set(errbuf, "%s:%u: '%s' is not a key of a "
			    "proposal (answer, reason.en, reason.ja, row)", path,
			    b->props[i].line, b->props[i].key);
	v = blockfile_get(b, "answer");
	en = blockfile_get(b, "reason.en");
	ja = blockfile_get(b, "reason.ja");
	if (v == NULL || *v == '\0' || en == NULL || *en == '\0' ||
	    ja == NULL || *ja == '\0')
		return err_set(errbuf, "%s:%u: propose %s needs answer, "
		    "reason.en and reason.ja", path, b->line, b->arg);
	a = &pb->ans[pb->nans];
	memset(a, 0, sizeof(*a));
	a->unverified = pb->unverified;
	if ((v = blockfile_get(b, "row")) != NULL &&
	    parse_row(path, b->line, v, &a->unverified, errbuf) != 0)
		return -1;
	a->question = xstrdup(b->arg);
	a->answer = xstrdup(blockfile_get(b, "answer"));
	a->reason_en = xstrdup(en);
	a->reason_ja = xstrdup(ja);
	a->line = b->line;
	pb->nans++;
	return 0;
}

struct playbook *
playbook_parse(const char *path, const char *p, size_t len, char *errbuf)
{
	struct blockfile *bf;
	struct playbook *pb;
	size_t i, j;

	if (len > PB_FILE_MAX) {
		err_set(errbuf, "%s: larger than %u bytes", path, PB_FILE_MAX);
		return NULL;
	}
	if ((bf = blockfile_parse(path, p, len, errbuf)) == NULL)
		return NULL;
	pb = xcalloc(1, sizeof(*pb));
	pb->file = xstrdup(path);
	for (i = 0; i < bf->nblocks; i++) {
		const struct blockfile_block *b = &bf->blocks[i];

		if (strcmp(b->word, "playbook") == 0) {
			if (pb->name != NULL || i != 0) {
				err_set(errbuf, "%s:%u: one 'playbook NAME' block "
				    "per file, first", path, b->line);
				goto fail;
			}
			if (parse_head(pb, b, path, errbuf) != 0)
				goto fail;
		} else if (strcmp(b->word, "propose") == 0) {
			if (pb->name == NULL) {
				err_set(errbuf, "%s:%u: propose before the "
				    "playbook block", path, b->line);
				goto fail;
			}
			if (parse_propose(pb, b, path, errbuf) != 0)
				goto fail;
		} else {
			err_set(errbuf, "%s:%u: '%s' is not playbook or propose",
			    path, b->line, b->word);
			goto fail;
		}
	}
	if (pb->name == NULL) {
		err_set(errbuf, "%s: no 'playbook NAME' block", path);
		goto fail;
	}
	for (i = 0; i < pb->nfacts; i++)
		for (j = 0; j < pb->nans; j++)
			if (strcmp(pb->facts[i], pb->ans[j].question) == 0) {
				err_set(errbuf, "%s:%u: '%s' is both a fact and "
				    "proposed", path, pb->ans[j].line,
				    pb->facts[i]);
				goto fail;
			}
	blockfile_free(bf);
	return pb;
fail:
	blockfile_free(bf);
	playbook_free(pb);
	return NULL;
}

static char *
read_file(const char *path, size_t *len, char *errbuf)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (f == NULL) {
		err_set(errbuf, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = xmalloc(PB_FILE_MAX + 1);
	n = fread(buf, 1, PB_FILE_MAX + 1, f);
	if (ferror(f) || n > PB_FILE_MAX) {
		err_set(errbuf, "%s: %s", path, ferror(f) ? "read error" :
		    "larger than 1 MiB");
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
playbook_set_load(struct playbook_set *out, const char *dir, char *errbuf)
{
	char **names = NULL;
	size_t nnames = 0, i;
	DIR *d;
	struct dirent *de;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);

		if (n < 5 || de->d_name[0] == '.' ||
		    strcmp(de->d_name + n - 4, ".txt") != 0)
			continue;
		names = xreallocarray(names, nnames + 1, sizeof(*names));
		names[nnames++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (nnames > 1)
		qsort(names, nnames, sizeof(*names), name_cmp);
	for (i = 0; i < nnames && rc == 0; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]), *buf;
		struct playbook *pb = NULL;
		size_t len, stem = strlen(names[i]) - 4;

		if ((buf = read_file(path, &len, errbuf)) != NULL)
			pb = playbook_parse(path, buf, len, errbuf);
		free(buf);
		if (pb != NULL && (strlen(pb->name) != stem ||
		    strncmp(pb->name, names[i], stem) != 0)) {
			err_set(errbuf, "%s:%u: playbook '%s' must be in %s.txt",
			    path, pb->line, pb->name, pb->name);
			playbook_free(pb);
			pb = NULL;
		}
		if (pb == NULL)
			rc = -1;
		else {
			out->v = xreallocarray(out->v, out->n + 1,
			    sizeof(*out->v));
			out->v[out->n++] = pb;
		}
		free(path);
	}
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	if (rc != 0)
		playbook_set_free(out);
	return rc;
}

void
playbook_set_free(struct playbook_set *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		playbook_free(ps->v[i]);
	free(ps->v);
	ps->v = NULL;
	ps->n = 0;
}

int
playbook_check(const struct playbook *pb, const struct checklist_set *cs,
    const struct incident_kinds *kinds, char *errbuf)
{
	const struct checklist *cl;
	char e[ERRBUF_SIZE];
	size_t i;

	for (i = 0; kinds != NULL && i < pb->nkinds; i++) {
		const struct incident_kind *k = incident_kind_find(kinds,
		    pb->kinds[i]);
		size_t j;

		if (k == NULL)
			return err_set(errbuf, "%s:%u: kind '%s' is not in "
			    "incident-kinds.txt", pb->file, pb->line,
			    pb->kinds[i]);
		for (j = 0; j < k->nactions; j++)
			if (strcmp(k->actions[j], pb->action) == 0)
				break;
		if (j == k->nactions)
			return err_set(errbuf, "%s:%u: kind '%s' does not offer "
			    "action '%s'", pb->file, pb->line, pb->kinds[i],
			    pb->action);
	}
	if (cs == NULL)
		return 0;
	if ((cl = checklist_find(cs, pb->action)) == NULL)
		return err_set(errbuf, "%s:%u: no checklist '%s'", pb->file,
		    pb->line, pb->action);
	for (i = 0; i < pb->nans; i++)
		if (checklist_answer_check(cl, pb->ans[i].question,
		    pb->ans[i].answer, e) != 0)
			return err_set(errbuf, "%s:%u: %s", pb->file,
			    pb->ans[i].line, e);
	for (i = 0; i < pb->nfacts; i++)
		if (checklist_question_find(cl, pb->facts[i]) == NULL)
			return err_set(errbuf, "%s:%u: fact '%s' is not a "
			    "question of checklist %s", pb->file, pb->line,
			    pb->facts[i], cl->id);
	return 0;
}

int
playbook_approved(const struct playbook *pb)
{
	return pb->approved_by != NULL && *pb->approved_by != '\0' &&
	    date_ok(pb->approved_on);
}

int
playbook_applies(const struct playbook *pb, const char *kind)
{
	size_t i;

	for (i = 0; kind != NULL && i < pb->nkinds; i++)
		if (strcmp(pb->kinds[i], kind) == 0)
			return 1;
	return 0;
}

const struct playbook *
playbook_find(const struct playbook_set *ps, const char *kind,
    const char *action)
{
	size_t i;

	for (i = 0; ps != NULL && i < ps->n; i++)
		if (strcmp(ps->v[i]->action, action) == 0 &&
		    playbook_applies(ps->v[i], kind) &&
		    playbook_approved(ps->v[i]))
			return ps->v[i];
	return NULL;
}

const struct playbook *
playbook_by_name(const struct playbook_set *ps, const char *name)
{
	size_t i;

	for (i = 0; ps != NULL && i < ps->n; i++)
		if (strcmp(ps->v[i]->name, name) == 0)
			return ps->v[i];
	return NULL;
}

const struct playbook_answer *
playbook_answer_for(const struct playbook *pb, const char *question)
{
	size_t i;

	for (i = 0; pb != NULL && i < pb->nans; i++)
		if (strcmp(pb->ans[i].question, question) == 0)
			return &pb->ans[i];
	return NULL;
}

const char *
playbook_reason(const struct playbook_answer *a, const char *lang)
{
	return lang != NULL && strcmp(lang, "ja") == 0 ? a->reason_ja :
	    a->reason_en;
}

char *
playbook_approve_text(const char *path, const char *p, size_t len,
    const char *by, const char *on, size_t *outlen, char *errbuf)
{
	struct playbook *pb;
	struct blockfile *bf;
	FILE *f;
	char *out = NULL;
	size_t off = 0, bad, i, olen = 0;
	unsigned lineno = 0, head = 0, by_line = 0, on_line = 0;

	if (by == NULL || *by == '\0' || strlen(by) > PLAYBOOK_WHO_MAX ||
	    !utf8_valid(by, strlen(by), &bad)) {
		err_set(errbuf, "approved-by: 1 to %d bytes of UTF-8",
		    PLAYBOOK_WHO_MAX);
		return NULL;
	}
	for (i = 0; by[i] != '\0'; i++)
		if ((unsigned char)by[i] < 0x20 || by[i] == 0x7f) {
			err_set(errbuf, "approved-by: no control characters");
			return NULL;
		}
	if (by[0] == ' ' || by[strlen(by) - 1] == ' ') {
		err_set(errbuf, "approved-by: no leading or trailing blanks");
		return NULL;
	}
	if (on == NULL || !date_ok(on)) {
		err_set(errbuf, "approved-on: '%s' is not a date YYYY-MM-DD",
		    on != NULL ? on : "");
		return NULL;
	}
	/* The input must be a playbook before it is rewritten; its first
	 * block is the playbook block, whose property lines we know. */
	if ((pb = playbook_parse(path, p, len, errbuf)) == NULL)
		return NULL;
	playbook_free(pb);
	if ((bf = blockfile_parse(path, p, len, errbuf)) == NULL)
		return NULL;
	head = bf->blocks[0].line;
	for (i = 0; i < bf->blocks[0].nprops; i++) {
		if (strcmp(bf->blocks[0].props[i].key, "approved-by") == 0)
			by_line = bf->blocks[0].props[i].line;
		if (strcmp(bf->blocks[0].props[i].key, "approved-on") == 0)
			on_line = bf->blocks[0].props[i].line;
	}
	blockfile_free(bf);
	if ((f = open_memstream(&out, &olen)) == NULL)
		fatal("open_memstream: %s", strerror(errno));
	while (off < len) {
		const char *s = p + off, *nl = memchr(s, '\n', len - off);
		size_t n = nl != NULL ? (size_t)(nl - s) : len - off;

		off += n + (nl != NULL);
		lineno++;
		if (lineno == by_line)
			fprintf(f, "  approved-by = %s\n", by);
		else if (lineno == on_line)
			fprintf(f, "  approved-on = %s\n", on);
		else {
			fwrite(s, 1, n, f);
			fputc('\n', f);
		}
		if (lineno == head) {
			if (by_line == 0)
				fprintf(f, "  approved-by = %s\n", by);
			if (on_line == 0)
				fprintf(f, "  approved-on = %s\n", on);
		}
	}
	fclose(f);
	if ((pb = playbook_parse(path, out, olen, errbuf)) == NULL ||
	    strcmp(pb->approved_by, by) != 0 ||
	    strcmp(pb->approved_on, on) != 0) {
		if (pb != NULL)
			err_set(errbuf, "%s: the approval could not be written",
			    path);
		playbook_free(pb);
		free(out);
		return NULL;
	}
	playbook_free(pb);
	*outlen = olen;
	return out;
}

int
playbook_approve_file(const char *path, const char *by, const char *on,
    char *errbuf)
{
	char *buf, *text, *tmp, *dir, *slash;
	size_t len, tlen;
	struct stat st;
	int fd, e, dfd;

	if ((buf = read_file(path, &len, errbuf)) == NULL)
		return -1;
	text = playbook_approve_text(path, buf, len, by, on, &tlen, errbuf);
	free(buf);
	if (text == NULL)
		return -1;
	if (stat(path, &st) != 0) {
		free(text);
		return err_set(errbuf, "%s: %s", path, strerror(errno));
	}
	tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    st.st_mode & 07777)) < 0) {
		e = errno;
		free(text);
		err_set(errbuf, "%s: %s", tmp, strerror(e));
		free(tmp);
		return -1;
	}
	(void)fchmod(fd, st.st_mode & 07777);
	if (write(fd, text, tlen) != (ssize_t)tlen || fsync(fd) != 0) {
		e = errno;
		close(fd);
		unlink(tmp);
		free(text);
		err_set(errbuf, "%s: %s", tmp, strerror(e));
		free(tmp);
		return -1;
	}
	free(text);
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		e = errno;
		unlink(tmp);
		err_set(errbuf, "rename %s to %s: %s", tmp, path, strerror(e));
		free(tmp);
		return -1;
	}
	free(tmp);
	dir = xstrdup(path);
	slash = strrchr(dir, '/');
	if (slash != NULL)
		*slash = '\0';
	if ((dfd = open(slash != NULL ? (*dir ? dir : "/") : ".",
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	free(dir);
	return 0;
}
