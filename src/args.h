/*
 * args.h -- one command-line parser for every subcommand.
 *
 * Long options take "--name VALUE" or "--name=VALUE"; short ones "-r FILE".
 * Settings that the configuration file knows (home, threshold, link, quiet,
 * top, speed, data, state, alerts, contacts, dns) are accepted by every
 * subcommand and go through config_set(); -r, -i, -Z, --config and --no-dns
 * are common too. A subcommand adds its own flags through a table.
 */
#ifndef KYOCHO_ARGS_H
#define KYOCHO_ARGS_H

#include "config.h"

struct argdef {
	const char *lname;	/* "json" for --json */
	char sname;		/* 'j' for -j, or 0 */
	int has_arg;		/* 1 if it takes a value */
	int id;			/* handed to the callback */
};

/* Called for each subcommand flag; returns 0 or -1 with errbuf filled. */
typedef int (*args_fn)(void *ctx, int id, const char *value, char *errbuf);

/*
 * Parse argv[first..argc) into o (common options) and fn (the subcommand's
 * own, from defs, which ends with a zeroed entry; may be NULL). Positional
 * words are collected into *pos (an array of argv pointers the caller
 * frees) and *npos. Returns 0, or -1 with errbuf naming the bad option.
 */
int args_parse(int argc, char **argv, int first, const struct argdef *defs,
    args_fn fn, void *ctx, struct options *o, char ***pos, int *npos,
    char *errbuf);

/* Join words with spaces into a new string (a BPF filter); NULL if n == 0. */
char *args_join(char **words, int n);

/*
 * Load the configuration (--config FILE from argv, else the default file)
 * into o after config_defaults(). Returns 0 or -1.
 */
int args_load_config(int argc, char **argv, struct options *o, char *errbuf);

#endif
