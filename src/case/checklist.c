/*
 * checklist.c -- loading checklist definitions and evaluating them against
 * an incident's journal. See checklist.h and man/kyocho-checklist.5.
 */
#include "case/checklist.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/blockfile.h"
#include "base/util.h"

static const char *const section_ids[CLS_COUNT] = {
	"elements", "consent", "ground", "condition", "minimise", "review",
};
static const char *const section_en[CLS_COUNT] = {
	"Step 1: elements of communications touched", "Step 1: consent",
	"Step 2: ground for excluding illegality",
	"Step 2: conditions of the ground", "Minimisation", "Review",
};
static const char *const section_ja[CLS_COUNT] = {
	"第1段階：通信の秘密の侵害の有無", "第1段階：同意",
	"第2段階：違法性阻却事由", "第2段階：阻却事由の要件",
	"必要最小限", "見直し（措置の解除）",
};

const char *
checklist_section_name(enum cl_section s, const char *lang)
{
	if ((unsigned)s >= CLS_COUNT)
		return "?";
	return lang != NULL && strcmp(lang, "ja") == 0 ? section_ja[s] :
	    section_en[s];
}

const char *
checklist_status_name(enum cl_status st)
{
	switch (st) {
	case CL_COMPLETE:
		return "complete";
	case CL_INCOMPLETE:
		return "incomplete";
	case CL_FAILED:
		return "failed";
	}
	return "?";
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/*
 * A question's short title (checklist.h): the title given, else the text
 * up to sep when that is a title (at most TITLE_MAX bytes), else the id.
 * Caller frees.
 */
#define TITLE_MAX	64
static char *
short_title(const char *given, const char *text, const char *sep,
    const char *id)
{
	const char *e;

	if (given != NULL && *given != '\0')
		return xstrdup(given);
	if ((e = strstr(text, sep)) != NULL && e > text &&
	    (size_t)(e - text) <= TITLE_MAX)
		return xstrndup(text, (size_t)(e - text));
	return xstrdup(id);
}

static int
parse_question(struct checklist_question *q, const struct blockfile *bf,
    const struct blockfile_block *b, char *errbuf)
{
	const char *sec = blockfile_get(b, "section");
	const char *type = blockfile_get(b, "type");
	const char *when = blockfile_get(b, "when");
	const char *expect = blockfile_get(b, "expect");
	const char *carry = blockfile_get(b, "carry");
	size_t i;

	memset(q, 0, sizeof(*q));
	q->file = xstrdup(bf->path);
	q->line = b->line;
	q->id = xstrdup(b->arg);
	if (*b->arg == '\0')
		return err_set(errbuf, "%s:%u: question needs an id", bf->path,
		    b->line);
	if (sec == NULL)
		return err_set(errbuf, "%s:%u: question %s: section missing",
		    bf->path, b->line, b->arg);
	for (i = 0; i < CLS_COUNT; i++)
		if (strcmp(sec, section_ids[i]) == 0)
			break;
	if (i == CLS_COUNT)
		return err_set(errbuf, "%s:%u: question %s: section '%s' is not "
		    "one of elements, consent, ground, condition, minimise, "
		    "review", bf->path, b->line, b->arg, sec);
	q->section = (enum cl_section)i;
	if (type == NULL || strcmp(type, "yesno") == 0)
		q->type = CLT_YESNO;
	else if (strcmp(type, "choice") == 0)
		q->type = CLT_CHOICE;
	else if (strcmp(type, "text") == 0)
		q->type = CLT_TEXT;
	else
		return err_set(errbuf, "%s:%u: question %s: type '%s' is not "
		    "yesno, choice or text", bf->path, b->line, b->arg, type);
	if (when == NULL || strcmp(when, "always") == 0)
		q->when = CLW_ALWAYS;
	else if (strcmp(when, "infringes") == 0)
		q->when = CLW_INFRINGES;
	else if (strcmp(when, "needs-ground") == 0)
		q->when = CLW_NEEDS_GROUND;
	else if (strcmp(when, "consent") == 0)
		q->when = CLW_CONSENT;
	else if (strncmp(when, "ground=", 7) == 0 && when[7] != '\0') {
		q->when = CLW_GROUND;
		q->when_arg = xstrdup(when + 7);
	} else
		return err_set(errbuf, "%s:%u: question %s: when '%s' is not "
		    "always, infringes, consent, needs-ground or ground=ID", bf->path,
		    b->line, b->arg, when);
	if (expect == NULL || strcmp(expect, "any") == 0)
		q->expect = -1;
	else if (strcmp(expect, "yes") == 0)
		q->expect = 1;
	else if (strcmp(expect, "no") == 0)
		q->expect = 0;
	else
		return err_set(errbuf, "%s:%u: question %s: expect '%s' is not "
		    "yes, no or any", bf->path, b->line, b->arg, expect);
	if (carry != NULL && strcmp(carry, "yes") != 0 &&
	    strcmp(carry, "no") != 0)
		return err_set(errbuf, "%s:%u: question %s: carry is yes or no",
		    bf->path, b->line, b->arg);
	q->carry = carry != NULL && strcmp(carry, "yes") == 0;
	if (q->type != CLT_YESNO && q->expect != -1)
		return err_set(errbuf, "%s:%u: question %s: expect applies only "
		    "to yesno questions", bf->path, b->line, b->arg);
	q->text_en = dup_or_null(blockfile_get(b, "text.en"));
	q->text_ja = dup_or_null(blockfile_get(b, "text.ja"));
	q->help_en = dup_or_null(blockfile_get(b, "help.en"));
	q->help_ja = dup_or_null(blockfile_get(b, "help.ja"));
	if (q->text_en == NULL || q->text_ja == NULL)
		return err_set(errbuf, "%s:%u: question %s needs text.en and "
		    "text.ja", bf->path, b->line, b->arg);
	q->title_en = short_title(blockfile_get(b, "title.en"), q->text_en,
	    ": ", q->id);
	q->title_ja = short_title(blockfile_get(b, "title.ja"), q->text_ja,
	    "：", q->id);
	return 0;
}

static void
question_free(struct checklist_question *q)
{
	free(q->id);
	free(q->when_arg);
	free(q->text_en);
	free(q->text_ja);
	free(q->help_en);
	free(q->help_ja);
	free(q->title_en);
	free(q->title_ja);
	free(q->file);
}

static int
load_common(struct checklist_set *cs, const char *path, char *errbuf)
{
	struct blockfile *bf = blockfile_load(path, errbuf);
	size_t i;

	if (bf == NULL)
		return -1;
	for (i = 0; i < bf->nblocks; i++) {
		const struct blockfile_block *b = &bf->blocks[i];

		if (strcmp(b->word, "ground") == 0) {
			struct checklist_ground *g;
			const char *en = blockfile_get(b, "name.en");
			const char *ja = blockfile_get(b, "name.ja");
			const char *art = blockfile_get(b, "article");

			if (*b->arg == '\0' || en == NULL || ja == NULL ||
			    art == NULL) {
				err_set(errbuf, "%s:%u: ground needs an id, name.en, "
				    "name.ja and article", path, b->line);
				goto fail;
			}
			cs->grounds = xreallocarray(cs->grounds, cs->ngrounds + 1,
			    sizeof(*cs->grounds));
			g = &cs->grounds[cs->ngrounds++];
			g->id = xstrdup(b->arg);
			g->name_en = xstrdup(en);
			g->name_ja = xstrdup(ja);
			g->article = xstrdup(art);
		} else if (strcmp(b->word, "question") == 0) {
			cs->common = xreallocarray(cs->common, cs->ncommon + 1,
			    sizeof(*cs->common));
			if (parse_question(&cs->common[cs->ncommon++], bf, b,
			    errbuf) != 0)
				goto fail;
		} else if (strcmp(b->word, "disclaimer") == 0) {
			const char *k[] = { "text.en", "text.ja", "unverified.en",
			    "unverified.ja", "guideline.en", "guideline.ja" };
			char **dst[] = { &cs->disclaimer_en, &cs->disclaimer_ja,
			    &cs->unverified_en, &cs->unverified_ja,
			    &cs->guideline_en, &cs->guideline_ja };
			size_t j;

			for (j = 0; j < NITEMS(k); j++) {
				const char *v = blockfile_get(b, k[j]);

				if (v == NULL) {
					err_set(errbuf, "%s:%u: disclaimer needs %s",
					    path, b->line, k[j]);
					goto fail;
				}
				free(*dst[j]);
				*dst[j] = xstrdup(v);
			}
		} else {
			err_set(errbuf, "%s:%u: '%s' is not ground, question or "
			    "disclaimer (common.txt)", path, b->line, b->word);
			goto fail;
		}
	}
	blockfile_free(bf);
	if (cs->disclaimer_en == NULL)
		return err_set(errbuf, "%s: the disclaimer block is missing",
		    path);
	return 0;
fail:
	blockfile_free(bf);
	return -1;
}

static int
load_action(struct checklist_set *cs, const char *path, char *errbuf)
{
	struct blockfile *bf = blockfile_load(path, errbuf);
	struct checklist *cl = NULL;
	size_t i, j;

	if (bf == NULL)
		return -1;
	for (i = 0; i < bf->nblocks; i++) {
		const struct blockfile_block *b = &bf->blocks[i];

		if (strcmp(b->word, "checklist") == 0) {
			const char *need[] = { "title.en", "title.ja",
			    "edition.en", "edition.ja", "case.en", "case.ja",
			    "grounds" };
			char *words, *tok, *save;

			if (cl != NULL || *b->arg == '\0') {
				err_set(errbuf, "%s:%u: one 'checklist ID' block "
				    "per file", path, b->line);
				goto fail;
			}
			if (checklist_find(cs, b->arg) != NULL) {
				err_set(errbuf, "%s:%u: checklist '%s' is defined "
				    "twice", path, b->line, b->arg);
				goto fail;
			}
			for (j = 0; j < NITEMS(need); j++)
				if (blockfile_get(b, need[j]) == NULL) {
					err_set(errbuf, "%s:%u: checklist %s needs "
					    "%s", path, b->line, b->arg, need[j]);
					goto fail;
				}
			cs->v = xreallocarray(cs->v, cs->n + 1, sizeof(*cs->v));
			cl = &cs->v[cs->n++];
			memset(cl, 0, sizeof(*cl));
			cl->id = xstrdup(b->arg);
			cl->file = xstrdup(path);
			cl->title_en = xstrdup(blockfile_get(b, "title.en"));
			cl->title_ja = xstrdup(blockfile_get(b, "title.ja"));
			cl->edition_en = xstrdup(blockfile_get(b, "edition.en"));
			cl->edition_ja = xstrdup(blockfile_get(b, "edition.ja"));
			cl->case_en = xstrdup(blockfile_get(b, "case.en"));
			cl->case_ja = xstrdup(blockfile_get(b, "case.ja"));
			cl->hint_en = dup_or_null(blockfile_get(b, "hint.en"));
			cl->hint_ja = dup_or_null(blockfile_get(b, "hint.ja"));
			cl->source = dup_or_null(blockfile_get(b, "source"));
			words = xstrdup(blockfile_get(b, "grounds"));
			for (tok = strtok_r(words, " ,", &save); tok != NULL;
			    tok = strtok_r(NULL, " ,", &save)) {
				size_t len = strlen(tok);
				int unv = len > 1 && tok[len - 1] == '?';

				if (unv)
					tok[len - 1] = '\0';
				if (checklist_ground_find(cs, tok) == NULL) {
					err_set(errbuf, "%s:%u: ground '%s' is not "
					    "defined in common.txt", path, b->line,
					    tok);
					free(words);
					goto fail;
				}
				if (cl->ngrounds == CHECKLIST_MAXGROUNDS) {
					err_set(errbuf, "%s:%u: too many grounds",
					    path, b->line);
					free(words);
					goto fail;
				}
				cl->unverified[cl->ngrounds] = unv;
				cl->grounds[cl->ngrounds++] = xstrdup(tok);
			}
			free(words);
			/* The common questions that can apply here. */
			for (j = 0; j < cs->ncommon; j++) {
				const struct checklist_question *q = &cs->common[j];

				if (q->when == CLW_GROUND &&
				    !checklist_ground_find(cs, q->when_arg))
					continue;
				if (q->when == CLW_GROUND) {
					size_t g;

					for (g = 0; g < cl->ngrounds; g++)
						if (strcmp(cl->grounds[g],
						    q->when_arg) == 0)
							break;
					if (g == cl->ngrounds)
						continue;
				}
				if (cl->nq == CHECKLIST_MAXQ) {
					err_set(errbuf, "%s:%u: more than %d "
					    "questions", path, b->line,
					    CHECKLIST_MAXQ);
					goto fail;
				}
				cl->q[cl->nq++] = q;
			}
		} else if (strcmp(b->word, "question") == 0) {
			struct checklist_question *q;

			if (cl == NULL) {
				err_set(errbuf, "%s:%u: question before the "
				    "checklist block", path, b->line);
				goto fail;
			}
			if (cl->nq == CHECKLIST_MAXQ) {
				err_set(errbuf, "%s:%u: more than %d questions",
				    path, b->line, CHECKLIST_MAXQ);
				goto fail;
			}
			/* own[] is grown only while q[] does not point into it:
			 * fix the pointers up after the file is read. */
			cl->own = xreallocarray(cl->own, cl->nown + 1,
			    sizeof(*cl->own));
			q = &cl->own[cl->nown++];
			if (parse_question(q, bf, b, errbuf) != 0)
				goto fail;
			for (j = 0; j + 1 < cl->nown; j++)
				if (strcmp(cl->own[j].id, q->id) == 0)
					break;
			if (checklist_question_find(cl, q->id) != NULL ||
			    j + 1 < cl->nown) {
				err_set(errbuf, "%s:%u: question '%s' is already "
				    "defined", path, b->line, q->id);
				goto fail;
			}
			cl->q[cl->nq++] = NULL;	/* placeholder, see below */
		} else {
			err_set(errbuf, "%s:%u: '%s' is not checklist or question",
			    path, b->line, b->word);
			goto fail;
		}
	}
	if (cl == NULL) {
		blockfile_free(bf);
		return err_set(errbuf, "%s: no 'checklist ID' block", path);
	}
	/* Point the placeholders at the own questions, in file order. */
	for (i = 0, j = 0; i < cl->nq; i++)
		if (cl->q[i] == NULL)
			cl->q[i] = &cl->own[j++];
	blockfile_free(bf);
	return 0;
fail:
	if (cl != NULL)
		for (i = 0, j = 0; i < cl->nq; i++)
			if (cl->q[i] == NULL)
				cl->q[i] = j < cl->nown ? &cl->own[j++] : NULL;
	blockfile_free(bf);
	return -1;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct checklist_set *
checklist_set_load(const char *dir, char *errbuf)
{
	struct checklist_set *cs = xcalloc(1, sizeof(*cs));
	char *path, **names = NULL;
	size_t nnames = 0, i;
	DIR *d;
	struct dirent *de;

	path = xasprintf("%s/common.txt", dir);
	if (load_common(cs, path, errbuf) != 0) {
		free(path);
		goto fail;
	}
	free(path);
	if ((d = opendir(dir)) == NULL) {
		err_set(errbuf, "%s: cannot read the directory", dir);
		goto fail;
	}
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);

		if (n < 5 || de->d_name[0] == '.' ||
		    strcmp(de->d_name + n - 4, ".txt") != 0 ||
		    strcmp(de->d_name, "common.txt") == 0)
			continue;
		names = xreallocarray(names, nnames + 1, sizeof(*names));
		names[nnames++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (nnames > 1)
		qsort(names, nnames, sizeof(*names), name_cmp);
	for (i = 0; i < nnames; i++) {
		path = xasprintf("%s/%s", dir, names[i]);
		if (load_action(cs, path, errbuf) != 0) {
			free(path);
			goto fail;
		}
		free(path);
	}
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	return cs;
fail:
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	checklist_set_free(cs);
	return NULL;
}

void
checklist_set_free(struct checklist_set *cs)
{
	size_t i, j;

	if (cs == NULL)
		return;
	for (i = 0; i < cs->ngrounds; i++) {
		free(cs->grounds[i].id);
		free(cs->grounds[i].name_en);
		free(cs->grounds[i].name_ja);
		free(cs->grounds[i].article);
	}
	free(cs->grounds);
	for (i = 0; i < cs->ncommon; i++)
		question_free(&cs->common[i]);
	free(cs->common);
	for (i = 0; i < cs->n; i++) {
		struct checklist *cl = &cs->v[i];

		for (j = 0; j < cl->nown; j++)
			question_free(&cl->own[j]);
		free(cl->own);
		for (j = 0; j < cl->ngrounds; j++)
			free(cl->grounds[j]);
		free(cl->id);
		free(cl->file);
		free(cl->title_en);
		free(cl->title_ja);
		free(cl->edition_en);
		free(cl->edition_ja);
		free(cl->case_en);
		free(cl->case_ja);
		free(cl->hint_en);
		free(cl->hint_ja);
		free(cl->source);
	}
	free(cs->v);
	free(cs->disclaimer_en);
	free(cs->disclaimer_ja);
	free(cs->unverified_en);
	free(cs->unverified_ja);
	free(cs->guideline_en);
	free(cs->guideline_ja);
	free(cs);
}

const struct checklist *
checklist_find(const struct checklist_set *cs, const char *action)
{
	size_t i;

	for (i = 0; cs != NULL && i < cs->n; i++)
		if (strcmp(cs->v[i].id, action) == 0)
			return &cs->v[i];
	return NULL;
}

const struct checklist_ground *
checklist_ground_find(const struct checklist_set *cs, const char *id)
{
	size_t i;

	for (i = 0; cs != NULL && i < cs->ngrounds; i++)
		if (strcmp(cs->grounds[i].id, id) == 0)
			return &cs->grounds[i];
	return NULL;
}

int
checklist_ground_unverified(const struct checklist *cl, const char *id)
{
	size_t i;

	for (i = 0; i < cl->ngrounds; i++)
		if (strcmp(cl->grounds[i], id) == 0)
			return cl->unverified[i];
	return 0;
}

static int
has_ground(const struct checklist *cl, const char *id)
{
	size_t i;

	for (i = 0; i < cl->ngrounds; i++)
		if (strcmp(cl->grounds[i], id) == 0)
			return 1;
	return 0;
}

const struct checklist_question *
checklist_question_find(const struct checklist *cl, const char *id)
{
	size_t i;

	for (i = 0; i < cl->nq; i++)
		if (cl->q[i] != NULL && strcmp(cl->q[i]->id, id) == 0)
			return cl->q[i];
	return NULL;
}

static int
answer_ok(const struct checklist *cl, const struct checklist_question *q,
    const char *a)
{
	switch (q->type) {
	case CLT_YESNO:
		return strcmp(a, "yes") == 0 || strcmp(a, "no") == 0;
	case CLT_CHOICE:
		return has_ground(cl, a);
	case CLT_TEXT:
		return *a != '\0';
	}
	return 0;
}

int
checklist_answer_check(const struct checklist *cl, const char *question,
    const char *answer, char *errbuf)
{
	const struct checklist_question *q = checklist_question_find(cl,
	    question);
	char list[256];
	size_t i, off = 0;

	if (q == NULL)
		return err_set(errbuf, "checklist %s has no question '%s'",
		    cl->id, question);
	if (answer_ok(cl, q, answer))
		return 0;
	if (q->type == CLT_YESNO)
		return err_set(errbuf, "%s: answer yes or no", question);
	if (q->type == CLT_TEXT)
		return err_set(errbuf, "%s: the answer must not be empty",
		    question);
	list[0] = '\0';
	for (i = 0; i < cl->ngrounds; i++)
		off += (size_t)snprintf(list + off, off < sizeof(list) ?
		    sizeof(list) - off : 0, "%s%s", i ? ", " : "", cl->grounds[i]);
	return err_set(errbuf, "%s: the ground must be one of %s", question,
	    list);
}

/* The answer given to s's question (its latest answer event), or def when
 * the event has none. */
static const char *
answer_of(const struct checklist_qstate *s, const char *def)
{
	const char *a = s->answer->ev.u.answer.answer;

	return a != NULL ? a : def;
}

/* "playbook" or "evidence" as the answer event says, else "operator". */
static const char *
answer_source(const struct incident_event *e)
{
	const char *src = e->ev.u.answer.source;

	if (strcmp(src, "playbook") == 0)
		return "playbook";
	if (strcmp(src, "evidence") == 0)
		return "evidence";
	return "operator";
}

/* The latest ground answered for action in inc, or NULL. */
static const char *
ground_of(const struct incident *inc, const char *action)
{
	const char *g = NULL;
	size_t k;

	for (k = 0; k < inc->nev; k++) {
		const struct incident_event *e = &inc->ev[k];

		if (e->ev.type == EV_ANSWER &&
		    strcmp(e->ev.u.answer.action, action) == 0 &&
		    strcmp(e->ev.u.answer.question, "ground") == 0)
			g = e->ev.u.answer.answer;
	}
	return g;
}

/*
 * s has no answer of its own: take the latest answer to the same question
 * for another action, if no evidence came after it and (for a condition
 * of a ground) that action chose the same ground. Sets s->answer,
 * s->source "carried" and s->from.
 */
static void
carry_answer(const struct checklist *cl, const struct incident *inc,
    struct checklist_qstate *s)
{
	const struct incident_event *best = NULL;
	size_t k;

	for (k = 0; k < inc->nev; k++) {
		const struct incident_event *e = &inc->ev[k];
		const char *act;

		if (e->ev.type == EV_EVIDENCE) {
			best = NULL;	/* the evidence changed since */
			continue;
		}
		if (e->ev.type != EV_ANSWER ||
		    strcmp(e->ev.u.answer.question, s->q->id) != 0)
			continue;
		act = e->ev.u.answer.action;
		if (strcmp(act, cl->id) == 0 || e->ev.u.answer.answer == NULL ||
		    !answer_ok(cl, s->q, e->ev.u.answer.answer))
			continue;
		if (s->q->when == CLW_GROUND) {
			const char *g = ground_of(inc, act);

			if (g == NULL || strcmp(g, s->q->when_arg) != 0)
				continue;
		}
		best = e;
	}
	if (best != NULL) {
		s->answer = best;
		s->source = "carried";
		s->from = best->ev.u.answer.action;
	}
}

void
checklist_evaluate(const struct checklist *cl, const struct incident *inc,
    struct checklist_eval *ev)
{
	size_t i, k;
	int any_unknown_elem = 0;

	memset(ev, 0, sizeof(*ev));
	ev->infringes = -1;
	ev->consent = -1;
	ev->nq = cl->nq;
	for (i = 0; i < cl->nq; i++)
		ev->q[i].q = cl->q[i];
	/* The latest answer to each question. */
	for (k = 0; inc != NULL && k < inc->nev; k++) {
		const struct incident_event *e = &inc->ev[k];

		if (e->ev.type != EV_ANSWER ||
		    strcmp(e->ev.u.answer.action, cl->id) != 0)
			continue;
		for (i = 0; i < ev->nq; i++)
			if (strcmp(ev->q[i].q->id, e->ev.u.answer.question) == 0)
				ev->q[i].answer = e;
	}
	for (i = 0; i < ev->nq; i++) {
		struct checklist_qstate *s = &ev->q[i];

		if (s->answer == NULL && s->q->carry && inc != NULL)
			carry_answer(cl, inc, s);
		else if (s->answer != NULL)
			s->source = answer_source(s->answer);
		if (s->answer != NULL)
			s->valid = answer_ok(cl, s->q, answer_of(s, ""));
	}
	/* Step 1: does it touch the secrecy of communications at all? */
	ev->infringes = 0;
	for (i = 0; i < ev->nq; i++) {
		struct checklist_qstate *s = &ev->q[i];

		if (s->q->section != CLS_ELEMENTS || s->q->type != CLT_YESNO)
			continue;
		if (s->answer == NULL || !s->valid)
			any_unknown_elem = 1;
		else if (strcmp(answer_of(s, ""), "yes") == 0)
			ev->infringes = 1;
	}
	if (ev->infringes == 0 && any_unknown_elem)
		ev->infringes = -1;
	for (i = 0; i < ev->nq; i++) {
		struct checklist_qstate *s = &ev->q[i];

		if (s->q->section == CLS_CONSENT && s->answer != NULL &&
		    s->valid)
			ev->consent = strcmp(answer_of(s, ""), "yes") == 0;
		if (s->q->section == CLS_GROUND && s->q->type == CLT_CHOICE &&
		    s->answer != NULL && s->valid)
			ev->ground = answer_of(s, NULL);
	}
	if (ev->infringes != 1 || ev->consent != 0)
		ev->ground = NULL;	/* no ground is needed (yet) */
	if (ev->ground != NULL)
		ev->ground_unverified = checklist_ground_unverified(cl,
		    ev->ground);
	/* Which questions apply, and how they stand. */
	for (i = 0; i < ev->nq; i++) {
		struct checklist_qstate *s = &ev->q[i];

		switch (s->q->when) {
		case CLW_ALWAYS:
			s->visible = 1;
			break;
		case CLW_INFRINGES:
			s->visible = ev->infringes == 1;
			break;
		case CLW_NEEDS_GROUND:
			s->visible = ev->infringes == 1 && ev->consent == 0;
			break;
		case CLW_CONSENT:
			s->visible = ev->infringes == 1 && ev->consent == 1;
			break;
		case CLW_GROUND:
			s->visible = ev->ground != NULL &&
			    strcmp(ev->ground, s->q->when_arg) == 0;
			break;
		}
		if (!s->visible && s->source != NULL &&
		    strcmp(s->source, "carried") == 0) {
			/* carried only into a question that is asked */
			s->answer = NULL;
			s->source = s->from = NULL;
			s->valid = 0;
		}
		if (!s->visible)
			continue;
		if (s->answer == NULL || !s->valid) {
			ev->nopen++;
			continue;
		}
		if (s->q->type == CLT_YESNO && s->q->expect != -1 &&
		    (strcmp(answer_of(s, ""), "yes") == 0) !=
		    s->q->expect) {
			s->failed = 1;
			ev->nfailed++;
		}
	}
	if (ev->nfailed > 0)
		ev->status = CL_FAILED;
	else if (ev->nopen > 0)
		ev->status = CL_INCOMPLETE;
	else
		ev->status = CL_COMPLETE;
}

char *
checklist_open_list(const struct checklist_eval *ev, char *buf, size_t len)
{
	return checklist_open_titles(ev, NULL, "failed: ", buf, len);
}

char *
checklist_open_titles(const struct checklist_eval *ev, const char *lang,
    const char *failed, char *buf, size_t len)
{
	size_t i, off = 0;
	int pass;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (pass = 0; pass < 2; pass++) {
		int first = 1;

		for (i = 0; i < ev->nq; i++) {
			const struct checklist_qstate *s = &ev->q[i];
			int want = pass == 0 ? s->visible && (s->answer == NULL ||
			    !s->valid) : s->failed;
			int n;

			if (!want)
				continue;
			n = snprintf(buf + off, len - off, "%s%s%s",
			    off > 0 ? (first && pass == 1 ? "; " : ", ") : "",
			    first && pass == 1 ? failed : "", lang == NULL ?
			    s->q->id : checklist_qtitle(s->q, lang));
			first = 0;
			if (n < 0 || (size_t)n >= len - off) {
				buf[len - 1] = '\0';
				return buf;
			}
			off += (size_t)n;
		}
	}
	return buf;
}

const char *
checklist_qtext(const struct checklist_question *q, const char *lang)
{
	return lang != NULL && strcmp(lang, "ja") == 0 ? q->text_ja :
	    q->text_en;
}

const char *
checklist_qtitle(const struct checklist_question *q, const char *lang)
{
	return lang != NULL && strcmp(lang, "ja") == 0 ? q->title_ja :
	    q->title_en;
}

const char *
checklist_title(const struct checklist *cl, const char *lang)
{
	return lang != NULL && strcmp(lang, "ja") == 0 ? cl->title_ja :
	    cl->title_en;
}
