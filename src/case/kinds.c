/*
 * kinds.c -- load data/incident-kinds.txt. See kinds.h.
 */
#include "case/kinds.h"

#include <stdlib.h>
#include <string.h>

#include "base/blockfile.h"
#include "base/util.h"
#include "base/validate.h"

static char **
split_words(const char *s, size_t *n)
{
	char **v = NULL, *copy = xstrdup(s != NULL ? s : ""), *tok, *save;

	*n = 0;
	for (tok = strtok_r(copy, " \t,", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t,", &save)) {
		v = xreallocarray(v, *n + 1, sizeof(*v));
		v[(*n)++] = xstrdup(tok);
	}
	free(copy);
	return v;
}

int
incident_kinds_load(struct incident_kinds *k, const char *path, char *errbuf)
{
	struct blockfile *bf;
	size_t i;

	memset(k, 0, sizeof(*k));
	if ((bf = blockfile_load(path, errbuf)) == NULL)
		return -1;
	for (i = 0; i < bf->nblocks; i++) {
		const struct blockfile_block *b = &bf->blocks[i];
		struct incident_kind *ki;
		const char *en, *ja, *tlp;

		if (strcmp(b->word, "kind") != 0 || *b->arg == '\0') {
			err_set(errbuf, "%s:%u: expected 'kind ID'", path, b->line);
			goto fail;
		}
		if (incident_kind_find(k, b->arg) != NULL) {
			err_set(errbuf, "%s:%u: kind '%s' defined twice", path,
			    b->line, b->arg);
			goto fail;
		}
		en = blockfile_get(b, "name.en");
		ja = blockfile_get(b, "name.ja");
		tlp = blockfile_get(b, "tlp");
		if (en == NULL || ja == NULL) {
			err_set(errbuf, "%s:%u: kind '%s' needs name.en and "
			    "name.ja", path, b->line, b->arg);
			goto fail;
		}
		if (tlp != NULL && !validate_tlp(tlp)) {
			err_set(errbuf, "%s:%u: tlp '%s' is not a TLP 2.0 label",
			    path, b->line, tlp);
			goto fail;
		}
		k->v = xreallocarray(k->v, k->n + 1, sizeof(*k->v));
		ki = &k->v[k->n++];
		memset(ki, 0, sizeof(*ki));
		ki->id = xstrdup(b->arg);
		ki->name_en = xstrdup(en);
		ki->name_ja = xstrdup(ja);
		ki->tlp = xstrdup(tlp != NULL ? tlp : "TLP:AMBER");
		ki->actions = split_words(blockfile_get(b, "actions"),
		    &ki->nactions);
		ki->templates = split_words(blockfile_get(b, "templates"),
		    &ki->ntemplates);
	}
	blockfile_free(bf);
	return 0;
fail:
	blockfile_free(bf);
	incident_kinds_free(k);
	return -1;
}

void
incident_kinds_free(struct incident_kinds *k)
{
	size_t i, j;

	for (i = 0; i < k->n; i++) {
		struct incident_kind *ki = &k->v[i];

		for (j = 0; j < ki->nactions; j++)
			free(ki->actions[j]);
		for (j = 0; j < ki->ntemplates; j++)
			free(ki->templates[j]);
		free(ki->actions);
		free(ki->templates);
		free(ki->id);
		free(ki->name_en);
		free(ki->name_ja);
		free(ki->tlp);
	}
	free(k->v);
	memset(k, 0, sizeof(*k));
}

const struct incident_kind *
incident_kind_find(const struct incident_kinds *k, const char *id)
{
	size_t i;

	for (i = 0; k != NULL && i < k->n; i++)
		if (strcmp(k->v[i].id, id) == 0)
			return &k->v[i];
	return NULL;
}

const char *
incident_kind_name(const struct incident_kinds *k, const char *id,
    const char *lang)
{
	const struct incident_kind *ki = incident_kind_find(k, id);

	if (ki == NULL)
		return id;
	return lang != NULL && strcmp(lang, "ja") == 0 ? ki->name_ja :
	    ki->name_en;
}
