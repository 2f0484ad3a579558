/*
 * config_impl.h -- private to src/settings/config*.c: what the settings
 * table (config_table.c) shares with the file reader (config.c).
 */
#ifndef KYOCHO_CONFIG_IMPL_H
#define KYOCHO_CONFIG_IMPL_H

#include "settings/config.h"

/*
 * Make errbuf safe to show when rc says it was filled: messages quote keys
 * and values from the config file or the command line, which may hold
 * escape sequences and C1 controls (ESC [ 2 J, U+009B) -- they go through
 * text_sanitize like every other text shown. Returns rc.
 */
int config_clean_err(char *errbuf, int rc);

/*
 * threshold.NAME = value into t (the global or a group's thresholds),
 * marked given (and from the command line when from_cli). 0, or -1 with
 * errbuf; t may be NULL only when name is not one of the six (for the
 * message).
 */
int config_threshold_set(struct thresholds *t, const char *name,
    const char *value, int from_cli, char *errbuf);

#endif
