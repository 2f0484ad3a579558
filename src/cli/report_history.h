/*
 * report_history.h -- the reports' source of per-minute traffic
 * (report_set_history): the history database the settings name, read
 * through src/history. Set by main for every command and the terminal.
 */
#ifndef KYOCHO_CLI_REPORT_HISTORY_H
#define KYOCHO_CLI_REPORT_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "report/report.h"

/*
 * A report_history_fn over ctx, a const struct options *: the database of
 * the history setting (when off, the state directory's history.sqlite) at
 * the moment the report is written; no database there means no rows.
 */
int report_history_read(void *ctx, int64_t from, int64_t to,
    struct report_minute **v, size_t *n, char *errbuf);

#endif
