/*
 * kinds.h -- the incident kinds of data/incident-kinds.txt (a block file,
 * blockfile.h): for each kind its names, the checklists and templates it
 * suggests and its default TLP label.
 */
#ifndef KYOCHO_KINDS_H
#define KYOCHO_KINDS_H

#include <stddef.h>

/* The incident kinds of data/incident-kinds.txt. */
struct incident_kind {
	char *id;			/* "ddos-own" */
	char *name_en, *name_ja;
	char **actions;			/* checklist ids suggested */
	size_t nactions;
	char **templates;		/* template ids suggested */
	size_t ntemplates;
	char *tlp;			/* default TLP label */
};

struct incident_kinds {
	struct incident_kind *v;
	size_t n;
};

/* Load kinds from path (errors "FILE:LINE: ..."). Returns 0 or -1. */
int incident_kinds_load(struct incident_kinds *k, const char *path,
    char *errbuf);
void incident_kinds_free(struct incident_kinds *k);
const struct incident_kind *incident_kind_find(const struct incident_kinds *k,
    const char *id);
/* The kind's name in lang, or the id itself when unknown. */
const char *incident_kind_name(const struct incident_kinds *k, const char *id,
    const char *lang);

#endif
