/*
 * cmd_foralert.h -- the body of `kyocho contacts --for-alert FILE [--json]
 * [--at TIME]`: who to tell about one alert, best first (escalate.h).
 */
#ifndef KYOCHO_CMD_FORALERT_H
#define KYOCHO_CMD_FORALERT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct options;

/*
 * Read FILE (one alert object: an element of `summary --json`'s "alerts"
 * or a line of --alerts; "-" is standard input), rank the counterparts in
 * the contact database (opt->contacts_path, else the data directory's
 * contacts.txt) at instant `at` (seconds since the epoch) and print them
 * to out, as a table or (json != 0) a JSON array. our_country (ISO 3166,
 * NULL: the country of opt->our_zone from tzdata's zone.tab/zone1970.tab,
 * else of the local zone) picks our national CSIRT. Problems go to
 * stderr. Returns the exit status: 0, or 1 if FILE or the database cannot
 * be read or FILE holds no alert object (kyocho(1) EXIT STATUS).
 */
int contacts_for_alert(FILE *out, const char *file, int json, int64_t at,
    const char *our_country, struct options *opt);

/* The whole of path ("-": stdin), at most 1 MiB (one alert object is a
 * few KiB). Returns a new NUL-terminated buffer (caller frees) and its
 * length in *len, or NULL with errbuf filled. */
char *alert_file_read(const char *path, size_t *len, char *errbuf);

#endif
