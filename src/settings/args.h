/*
 * args.h -- declarative commands and the one command-line parser.
 *
 * Each subcommand is one constant entry (tmux's cmd_entry):
 *
 *	const struct cmd_entry cmd_tz_entry = {
 *		.name = "tz",
 *		.opts = tz_opts,		// its own options (args_opt)
 *		.usage = "[--json] ZONE... [TIME...]",
 *		.exec = tz_exec,
 *	};
 *
 * cmd_run() parses the command line from the entry (its options, then the
 * common ones), answers -h/--help from it (usage lines, one line per
 * option, the entry's text), checks the number of words, and hands the
 * body a struct args from which it reads options by name (args_get,
 * args_has, args_num). An entry with .sub dispatches on its first word to
 * sub-entries (`kyocho incident new ...`).
 *
 * Long options take "--name VALUE" or "--name=VALUE"; short ones "-r FILE"
 * or "-rFILE". Every command also accepts the common options: the settings
 * of the configuration file's table (config.h: --home, --threshold, ...,
 * through config_set), -r/--read, -i/--interface, -Z, --config, --no-dns.
 *
 * Exit status (kyocho(1), EXIT STATUS): CMD_USAGE (2) for a wrong option,
 * a missing or extra word or a bad value on the command line; CMD_FAIL (1)
 * when an input or a resource fails; CMD_OK (0).
 */
#ifndef KYOCHO_ARGS_H
#define KYOCHO_ARGS_H

#include <stdio.h>

#include "settings/config.h"

enum { CMD_OK = 0, CMD_FAIL = 1, CMD_USAGE = 2 };

/*
 * One option of a command. A value is checked at parse time, so a bad one
 * is a usage error naming the option: a number (min < max: in [min, max],
 * else "'V' is not <what>"), one of choices ("text|md|html"), or check().
 */
struct args_opt {
	const char *name;	/* "json" for --json */
	char sname;		/* 'j' for -j, or 0 */
	const char *arg;	/* value placeholder ("FILE"); NULL: a flag */
	const char *help;	/* one line for --help; NULL: not listed */
	long min, max;		/* a number in [min, max] when min < max */
	const char *what;	/* "a number of seconds", for the message */
	const char *choices;	/* "en|ja": the value must be one of these */
	int (*check)(const char *value, char *errbuf);	/* 0 or -1 */
};

struct args;

struct cmd_entry {
	const char *name;		/* "incident", "new" */
	const char *usage;		/* after "kyocho NAME ": "[--json] ADDR..." */
	const char *help;		/* one line for kyocho --help */
	const char *text;		/* more --help text, or NULL */
	const struct args_opt *opts;	/* ends with a zeroed entry; or NULL */
	int minargs, maxargs;		/* words after the name; max -1: any */
	/* Returns CMD_OK, CMD_FAIL or CMD_USAGE (after printing why). */
	int (*exec)(struct args *a, struct options *o);
	/* Instead of exec: subcommands, chosen by the first word; their
	 * options are theirs plus this entry's opts. NULL-terminated. */
	const struct cmd_entry *const *sub;
};

/*
 * Run entry on argv[0..argc) (argv[0] is its name): parse, answer --help,
 * check the words, call exec. Returns the exit status.
 */
int cmd_run(const struct cmd_entry *entry, int argc, char **argv,
    struct options *o);

/*
 * Parse argv[0..argc) (argv[0] the name) for entry, which has no
 * subcommands: its options into the result, the common ones into o.
 * Returns a new struct args (the caller frees it with args_free), or NULL
 * with errbuf naming the bad option.
 */
struct args *args_parse(const struct cmd_entry *entry, int argc, char **argv,
    struct options *o, char *errbuf);
void args_free(struct args *a);

/* Print the usage lines of entry (and its sub-entries) to f. */
void cmd_usage(FILE *f, const struct cmd_entry *entry);

/* Readers for a command body. name must be one of the command's options
 * (a typo is a programming error: fatal()). */
int args_has(const struct args *a, const char *name);	/* times given */
const char *args_get(const struct args *a, const char *name);	/* last, or NULL */
/* The last value of a number option (already checked), or def. */
long args_num(const struct args *a, const char *name, long def);
int args_count(const struct args *a);		/* words after the name */
const char *args_word(const struct args *a, int i);	/* i < args_count */
char **args_words(const struct args *a);	/* the array of them */
/* The command's name as "kyocho incident new", for messages. */
const char *args_cmdname(const struct args *a);
/* Print "kyocho NAME: " + the formatted message to stderr, then the usage
 * lines; returns CMD_USAGE. */
int args_usage_error(const struct args *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Only the common options (for the terminal and the tools): parse
 * argv[first..argc) into o; positional words are collected into *pos (an
 * array of argv pointers the caller frees) and *npos. Returns 0, or -1
 * with errbuf naming the bad option.
 */
int args_common(int argc, char **argv, int first, struct options *o,
    char ***pos, int *npos, char *errbuf);

/* Print the common options and the settings table (kyocho --help). */
void args_common_help(FILE *f);

/* Join words with spaces into a new string (a BPF filter); NULL if n == 0. */
char *args_join(char **words, int n);

/*
 * Load the configuration (--config FILE from argv, else the default file)
 * into o after config_defaults(). Returns 0 or -1.
 */
int args_load_config(int argc, char **argv, struct options *o, char *errbuf);

#endif
