/*
 * casework_impl.h -- private to the casework module (the .c files of
 * src/casework): the layout of struct casework, shared by its files, and
 * the helpers one file of the module calls in another. Callers outside
 * the module include casework/casework.h only.
 */
#ifndef KYOCHO_CASEWORK_IMPL_H
#define KYOCHO_CASEWORK_IMPL_H

#include "casework/casework.h"

#include "base/util.h"

enum load { L_NOT_TRIED = 0, L_OK, L_MISSING, L_FAILED };

struct casework {
	struct case_settings cfg;

	enum load store_state;
	struct incident_store *store;
	char store_err[ERRBUF_SIZE];

	enum load kinds_state;
	struct incident_kinds kinds;
	char kinds_err[ERRBUF_SIZE];

	enum load cs_state;
	struct checklist_set *cs;
	char cs_err[ERRBUF_SIZE];

	int contacts_tried;
	struct contacts *db;

	enum load pb_state;		/* playbooks (casework_load_playbooks) */
	struct playbook_set pb;
	char pb_err[ERRBUF_SIZE];
	/* Incidents made from alerts in this process, followed while their
	 * alert is in the snapshots (alert ids are unique within a run). */
	struct follow {
		char id[INCIDENT_ID_LEN];
		uint64_t alert_id;
	} follows[CASE_FOLLOWS];
	size_t nfollows;
};

/* Follow incident id with alert alert_id (casework_follow.c). */
void casework_follow_add(struct casework *, const char *, uint64_t);

#endif
