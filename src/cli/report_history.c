/*
 * report_history.c -- the reports' per-minute traffic from the history
 * database (report_history.h).
 */
#include "cli/report_history.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/util.h"
#include "history/history.h"
#include "settings/config.h"

int
report_history_read(void *ctx, int64_t from, int64_t to,
    struct report_minute **v, size_t *n, char *errbuf)
{
	const struct options *o = ctx;
	struct history_filter f;
	struct history_rows r;
	struct history_db *db;
	struct stat sb;
	char *path;
	size_t i;
	int rc;

	*v = NULL;
	*n = 0;
	if (config_history_path(o, 1, &path, errbuf) < 0)
		return -1;
	if (stat(path, &sb) != 0) {
		free(path);
		return 0;	/* no history: the report as without one */
	}
	db = history_db_open(path, 0, errbuf);
	free(path);
	if (db == NULL)
		return -1;
	memset(&f, 0, sizeof(f));
	f.from = from;
	f.to = to;
	rc = history_db_query(db, &f, &r, errbuf);
	history_db_close(db);
	if (rc != 0)
		return -1;
	if (r.nlinks > 0) {
		*v = xcalloc(r.nlinks, sizeof(**v));
		for (i = 0; i < r.nlinks; i++) {
			(*v)[i].minute = r.links[i].minute;
			snprintf((*v)[i].link, sizeof((*v)[i].link), "%s",
			    r.links[i].link);
			(*v)[i].packets = r.links[i].packets;
			(*v)[i].bytes = r.links[i].bytes;
		}
		*n = r.nlinks;
	}
	history_rows_free(&r);
	return 0;
}
