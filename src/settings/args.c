/*
 * args.c -- the command-line parser, --help and the dispatcher of the
 * declarative command entries. See args.h.
 *
 * A parse walks argv once. Each "-x"/"--name" is looked up in the
 * command's option lists (specs: the entry's, its parent's, help), then
 * among the common options and the settings table (config.h); values are
 * checked as the option says and kept in struct args as (name, value)
 * pairs, in order; other words are kept as the command's words.
 */
#include "settings/args.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

#define MAX_SPECS 3

struct args_value {
	const char *name;	/* the option's name (from its args_opt) */
	const char *value;	/* "" for a flag */
};

struct args {
	const struct cmd_entry *entry;	/* the command (or subcommand) run */
	const struct cmd_entry *parent;	/* entry's parent, or NULL */
	const struct args_opt *specs[MAX_SPECS];	/* its option lists */
	size_t nspecs;
	char cmdname[96];		/* "kyocho incident new" */
	struct args_value *v;		/* argc of them at most */
	int nv;
	char **words;			/* argv pointers; argc at most */
	int nwords;
};

static const struct args_opt help_opts[] = {
	{ .name = "help", .sname = 'h', .help = "show this help" },
	{ .name = NULL },
};

/* The options every command takes besides the settings (kyocho --help). */
static const struct args_opt common_opts[] = {
	{ .name = "read", .sname = 'r', .arg = "FILE",
	  .help = "read a pcap or pcapng file (repeatable)" },
	{ .name = "interface", .sname = 'i', .arg = "IFACE",
	  .help = "capture live on an interface (repeatable)" },
	{ .name = "user", .sname = 'Z', .arg = "USER",
	  .help = "drop root to USER once the capture is open" },
	{ .name = "config", .arg = "FILE",
	  .help = "configuration file (default ~/.config/kyocho/config)" },
	{ .name = "no-dns", .help = "no DNS questions (dns = off)" },
	{ .name = "no-rdap", .help = "no RDAP queries (rdap = off)" },
	{ .name = NULL },
};

static const struct args_opt *
find_opt(const struct args *a, const char *lname, char sname)
{
	const struct args_opt *d;
	size_t i;

	for (i = 0; i < a->nspecs; i++)
		for (d = a->specs[i]; d != NULL && d->name != NULL; d++)
			if (lname != NULL ? strcmp(d->name, lname) == 0 :
			    d->sname != 0 && d->sname == sname)
				return d;
	return NULL;
}

/* "text|md|html" -> "text, md or html" */
static void
choices_text(const char *choices, char *buf, size_t len)
{
	size_t n = 0;
	const char *p = choices, *bar;

	buf[0] = '\0';
	while (*p != '\0' && n < len) {
		bar = strchr(p, '|');
		n += (size_t)snprintf(buf + n, len - n, "%s%.*s",
		    p == choices ? "" : bar == NULL ? " or " : ", ",
		    (int)(bar != NULL ? bar - p : (long)strlen(p)), p);
		p = bar != NULL ? bar + 1 : p + strlen(p);
	}
}

static int
is_choice(const char *choices, const char *v)
{
	size_t n = strlen(v);
	const char *p = choices;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, v, n) == 0 && (p[n] == '|' || p[n] == '\0'))
			return 1;
		p = strchr(p, '|');
		if (p != NULL)
			p++;
	}
	return 0;
}

/* Check v as d says; 0, or -1 with errbuf. */
static int
check_value(const struct args_opt *d, const char *v, char *errbuf)
{
	char list[128];
	long n;

	if (d->min < d->max && parse_long(v, d->min, d->max, &n) != 0)
		return err_set(errbuf, "'%s' is not %s", v, d->what != NULL ?
		    d->what : "a number");
	if (d->choices != NULL && !is_choice(d->choices, v)) {
		choices_text(d->choices, list, sizeof(list));
		return err_set(errbuf, "'%s' is not %s", v, list);
	}
	if (d->check != NULL)
		return d->check(v, errbuf);
	return 0;
}

/* A common option or a setting that takes value; 0 or -1. */
static int
common_set(struct options *o, const char *name, const char *val, char *errbuf)
{
	char err[ERRBUF_SIZE];

	if (strcmp(name, "read") == 0) {
		if (o->nread == MAX_INPUTS)
			return err_set(errbuf, "-r: at most %d files", MAX_INPUTS);
		o->read_files[o->nread++] = val;
	} else if (strcmp(name, "interface") == 0) {
		if (o->nifaces == MAX_INPUTS)
			return err_set(errbuf, "-i: at most %d interfaces",
			    MAX_INPUTS);
		o->ifaces[o->nifaces++] = val;
	} else if (strcmp(name, "Z") == 0)
		o->drop_user = val;
	else if (strcmp(name, "config") == 0)
		o->config_path = val;	/* loaded earlier */
	else if (config_set(o, name, val, 1, err) != 0)
		return err_set(errbuf, "--%s: %s", name, err);
	return 0;
}

/* Does --name (not a command's own) take a value? 1, 0 (a flag: set
 * here), or -1 when no such option exists. */
static int
common_long(struct options *o, const char *name)
{
	const struct setting *s;

	if (strcmp(name, "no-dns") == 0) {
		o->no_dns = 1;
		return 0;
	}
	if (strcmp(name, "no-rdap") == 0) {
		o->no_rdap = 1;
		return 0;
	}
	if (strcmp(name, "read") == 0 || strcmp(name, "interface") == 0 ||
	    strcmp(name, "config") == 0)
		return 1;
	s = config_find(name);
	return s != NULL && !(s->flags & SETTING_FILE_ONLY) ? 1 : -1;
}

static int
add_value(struct args *a, const struct args_opt *d, const char *v,
    const char *shown, char *errbuf)
{
	char err[ERRBUF_SIZE];

	if (v != NULL && check_value(d, v, err) != 0)
		return err_set(errbuf, "%s: %s", shown, err);
	a->v[a->nv].name = d->name;
	a->v[a->nv].value = v != NULL ? v : "";
	a->nv++;
	return 0;
}

/* "--name[=VALUE]" at argv[*i]; 0 or -1. */
static int
parse_long_opt(struct args *a, int argc, char **argv, int *i,
    struct options *o, char *errbuf)
{
	const char *arg = argv[*i], *eq, *val;
	const struct args_opt *d;
	char name[64], shown[70];
	size_t nlen;
	int takes;

	eq = strchr(arg + 2, '=');
	nlen = eq != NULL ? (size_t)(eq - arg - 2) : strlen(arg + 2);
	if (nlen >= sizeof(name))
		return err_set(errbuf, "unknown option '%s'", arg);
	memcpy(name, arg + 2, nlen);
	name[nlen] = '\0';
	snprintf(shown, sizeof(shown), "--%s", name);
	d = find_opt(a, name, 0);
	if (d != NULL)
		takes = d->arg != NULL;
	else if ((takes = common_long(o, name)) < 0)
		return err_set(errbuf, "unknown option '--%s' (see kyocho "
		    "--help)", name);
	if (!takes) {
		if (eq != NULL)
			return err_set(errbuf, "option '--%s' takes no value",
			    name);
		return d != NULL ? add_value(a, d, NULL, shown, errbuf) : 0;
	}
	if (eq != NULL)
		val = eq + 1;
	else if (*i + 1 < argc)
		val = argv[++*i];
	else
		return err_set(errbuf, "option '--%s' needs a value", name);
	if (d != NULL)
		return add_value(a, d, val, shown, errbuf);
	return common_set(o, name, val, errbuf);
}

/* "-x", "-x VALUE" or "-xVALUE" at argv[*i]; 0 or -1. */
static int
parse_short_opt(struct args *a, int argc, char **argv, int *i,
    struct options *o, char *errbuf)
{
	const char *arg = argv[*i], *val;
	const struct args_opt *d = find_opt(a, NULL, arg[1]);
	char shown[4] = { '-', arg[1], '\0', '\0' };

	if (d != NULL && d->arg == NULL) {
		if (arg[2] != '\0')
			return err_set(errbuf, "unknown option '%s'", arg);
		return add_value(a, d, NULL, shown, errbuf);
	}
	if (d == NULL && strchr("riZ", arg[1]) == NULL)
		return err_set(errbuf, "unknown option '%s' (see kyocho "
		    "--help)", arg);
	if (arg[2] != '\0')
		val = arg + 2;
	else if (*i + 1 < argc)
		val = argv[++*i];
	else
		return err_set(errbuf, "option '-%c' needs a value", arg[1]);
	if (d != NULL)
		return add_value(a, d, val, shown, errbuf);
	return common_set(o, arg[1] == 'r' ? "read" : arg[1] == 'i' ?
	    "interface" : "Z", val, errbuf);
}

/*
 * Parse argv[first..argc) into a (its specs set) and o. With stop != NULL,
 * stop at the first word and store its index there (argc when none).
 * Returns 0, or -1 with errbuf naming the bad option.
 */
static int
parse(struct args *a, int argc, char **argv, int first, int *stop,
    struct options *o, char *errbuf)
{
	int i, only_words = 0;

	for (i = first; i < argc; i++) {
		const char *arg = argv[i];

		if (only_words || arg[0] != '-' || arg[1] == '\0') {
			if (stop != NULL) {
				*stop = i;
				return 0;
			}
			a->words[a->nwords++] = argv[i];
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			only_words = 1;
			continue;
		}
		if ((arg[1] == '-' ? parse_long_opt(a, argc, argv, &i, o,
		    errbuf) : parse_short_opt(a, argc, argv, &i, o, errbuf)) != 0)
			return -1;
	}
	if (stop != NULL)
		*stop = argc;
	return 0;
}

static struct args *
args_new(int argc)
{
	struct args *a = xcalloc(1, sizeof(*a));

	a->v = xcalloc((size_t)argc + 1, sizeof(*a->v));
	a->words = xcalloc((size_t)argc + 1, sizeof(char *));
	return a;
}

static void
args_set_entry(struct args *a, const struct cmd_entry *e,
    const struct cmd_entry *parent)
{
	a->entry = e;
	a->parent = parent;
	a->nspecs = 0;
	a->specs[a->nspecs++] = e->opts;
	if (parent != NULL)
		a->specs[a->nspecs++] = parent->opts;
	a->specs[a->nspecs++] = help_opts;
	if (parent != NULL)
		snprintf(a->cmdname, sizeof(a->cmdname), "kyocho %s %s",
		    parent->name, e->name);
	else
		snprintf(a->cmdname, sizeof(a->cmdname), "kyocho %s", e->name);
}

/* The usage lines of e (prefix "kyocho PARENT NAME "), each line of
 * e->usage its own; a line that starts with a space continues the one
 * before. *first says whether "usage:" is still to come. */
static void
usage_lines(FILE *f, const struct cmd_entry *e, const char *parent,
    int *first)
{
	const char *p = e->usage != NULL ? e->usage : "", *nl;
	char head[96];
	int len;

	snprintf(head, sizeof(head), "kyocho %s%s%s", parent != NULL ? parent :
	    "", parent != NULL ? " " : "", e->name);
	do {
		nl = strchr(p, '\n');
		len = (int)(nl != NULL ? nl - p : (long)strlen(p));
		if (*p == ' ' && !*first)
			fprintf(f, "       %*s%.*s\n", (int)strlen(head), "", len,
			    p);
		else
			fprintf(f, "%s %s%s%.*s\n", *first ? "usage:" :
			    "      ", head, len > 0 ? " " : "", len, p);
		*first = 0;
		p = nl != NULL ? nl + 1 : p + strlen(p);
	} while (*p != '\0');
}

void
cmd_usage(FILE *f, const struct cmd_entry *e)
{
	const struct cmd_entry *const *s;
	int first = 1;

	if (e->sub == NULL) {
		usage_lines(f, e, NULL, &first);
		return;
	}
	for (s = e->sub; *s != NULL; s++)
		usage_lines(f, *s, e->name, &first);
}

static void
opt_lines(FILE *f, const struct args_opt *d)
{
	char lhs[64];

	for (; d != NULL && d->name != NULL; d++) {
		if (d->help == NULL)
			continue;
		snprintf(lhs, sizeof(lhs), "%c%c%s--%s%s%s",
		    d->sname ? '-' : ' ', d->sname ? d->sname : ' ',
		    d->sname ? ", " : "  ", d->name, d->arg != NULL ? " " : "",
		    d->arg != NULL ? d->arg : "");
		fprintf(f, "  %-26s %s\n", lhs, d->help);
	}
}

/* --help of a (its entry, with the parent's shared options). */
static void
cmd_help(FILE *f, const struct args *a)
{
	int first = 1;
	size_t i;

	if (a->parent != NULL)
		usage_lines(f, a->entry, a->parent->name, &first);
	else
		cmd_usage(f, a->entry);
	if (a->entry->help != NULL)
		fprintf(f, "\n%s.\n", a->entry->help);
	fprintf(f, "\noptions:\n");
	for (i = 0; i < a->nspecs; i++)
		opt_lines(f, a->specs[i]);
	if (a->entry->text != NULL)
		fprintf(f, "\n%s", a->entry->text);
	fprintf(f, "\nCommon options and settings: see kyocho --help.\n");
}

void
args_free(struct args *a)
{
	if (a == NULL)
		return;
	free(a->v);
	free(a->words);
	free(a);
}

struct args *
args_parse(const struct cmd_entry *e, int argc, char **argv,
    struct options *o, char *errbuf)
{
	struct args *a = args_new(argc);

	args_set_entry(a, e, NULL);
	if (parse(a, argc, argv, 1, NULL, o, errbuf) != 0) {
		args_free(a);
		return NULL;
	}
	return a;
}

/* The sub-entry of e named word, or NULL. */
static const struct cmd_entry *
find_sub(const struct cmd_entry *e, const char *word)
{
	const struct cmd_entry *const *s;

	for (s = e->sub; *s != NULL; s++)
		if (strcmp((*s)->name, word) == 0)
			return *s;
	return NULL;
}

/* Parse a subcommand entry: options up to the first word (the verb) are
 * e's, the rest the verb's. Returns -1 (done, *rc set) or 0 (run). */
static int
parse_sub(struct args *a, const struct cmd_entry *e, int argc, char **argv,
    struct options *o, int *rc)
{
	char errbuf[ERRBUF_SIZE];
	const struct cmd_entry *sub;
	int next;

	args_set_entry(a, e, NULL);
	if (parse(a, argc, argv, 1, &next, o, errbuf) != 0) {
		fprintf(stderr, "%s: %s\n", a->cmdname, errbuf);
		*rc = CMD_USAGE;
		return -1;
	}
	if (args_has(a, "help") || next == argc) {
		if (args_has(a, "help"))
			cmd_help(stdout, a);
		else
			cmd_usage(stderr, e);
		*rc = args_has(a, "help") ? CMD_OK : CMD_USAGE;
		return -1;
	}
	if ((sub = find_sub(e, argv[next])) == NULL) {
		char safe[64];

		text_sanitize(safe, sizeof(safe), argv[next],
		    strlen(argv[next]));
		*rc = args_usage_error(a, "unknown command '%s'", safe);
		return -1;
	}
	args_set_entry(a, sub, e);
	if (parse(a, argc, argv, next + 1, NULL, o, errbuf) != 0) {
		fprintf(stderr, "%s: %s\n", a->cmdname, errbuf);
		*rc = CMD_USAGE;
		return -1;
	}
	return 0;
}

int
cmd_run(const struct cmd_entry *e, int argc, char **argv, struct options *o)
{
	char errbuf[ERRBUF_SIZE];
	struct args *a;
	int rc;

	if (e->sub != NULL) {
		a = args_new(argc);
		if (parse_sub(a, e, argc, argv, o, &rc) != 0)
			goto out;
	} else if ((a = args_parse(e, argc, argv, o, errbuf)) == NULL) {
		fprintf(stderr, "kyocho %s: %s\n", e->name, errbuf);
		return CMD_USAGE;
	}
	if (args_has(a, "help")) {
		cmd_help(stdout, a);
		rc = CMD_OK;
	} else if (a->nwords < a->entry->minargs)
		rc = args_usage_error(a, "%s", a->nwords == 0 ? "missing "
		    "arguments" : "too few arguments");
	else if (a->entry->maxargs >= 0 && a->nwords > a->entry->maxargs) {
		char safe[64];

		text_sanitize(safe, sizeof(safe), a->words[a->entry->maxargs],
		    strlen(a->words[a->entry->maxargs]));
		rc = args_usage_error(a, "unexpected '%s'", safe);
	} else
		rc = a->entry->exec(a, o);
out:
	args_free(a);
	return rc;
}

int
args_usage_error(const struct args *a, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", a->cmdname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (a->parent != NULL) {
		int first = 1;

		usage_lines(stderr, a->entry, a->parent->name, &first);
	} else
		cmd_usage(stderr, a->entry);
	return CMD_USAGE;
}

/* The option called name among a's specs; fatal() if none (a typo). */
static const struct args_opt *
opt_named(const struct args *a, const char *name)
{
	const struct args_opt *d = find_opt(a, name, 0);

	if (d == NULL)
		fatal("%s: no option '%s' in its entry", a->cmdname, name);
	return d;
}

int
args_has(const struct args *a, const char *name)
{
	int i, n = 0;

	(void)opt_named(a, name);
	for (i = 0; i < a->nv; i++)
		if (strcmp(a->v[i].name, name) == 0)
			n++;
	return n;
}

const char *
args_get(const struct args *a, const char *name)
{
	int i;

	(void)opt_named(a, name);
	for (i = a->nv - 1; i >= 0; i--)
		if (strcmp(a->v[i].name, name) == 0)
			return a->v[i].value;
	return NULL;
}

long
args_num(const struct args *a, const char *name, long def)
{
	const struct args_opt *d = opt_named(a, name);
	const char *v = args_get(a, name);
	long n;

	if (v == NULL || d->min >= d->max ||
	    parse_long(v, d->min, d->max, &n) != 0)
		return def;
	return n;
}

int
args_count(const struct args *a)
{
	return a->nwords;
}

const char *
args_word(const struct args *a, int i)
{
	return i >= 0 && i < a->nwords ? a->words[i] : NULL;
}

char **
args_words(const struct args *a)
{
	return a->words;
}

const char *
args_cmdname(const struct args *a)
{
	return a->cmdname;
}

int
args_common(int argc, char **argv, int first, struct options *o,
    char ***pos, int *npos, char *errbuf)
{
	struct args *a = args_new(argc);
	int rc;

	a->specs[a->nspecs++] = NULL;
	rc = parse(a, argc, argv, first, NULL, o, errbuf);
	*pos = a->words;
	*npos = a->nwords;
	a->words = NULL;
	args_free(a);
	return rc;
}

/* Print the common options and the settings (main.c's --help). */
void
args_common_help(FILE *f)
{
	char lhs[64];
	size_t i;

	fprintf(f, "common options:\n");
	opt_lines(f, common_opts);
	fprintf(f, "\nsettings (also in the configuration file, "
	    "kyocho.conf(5)):\n");
	for (i = 0; i < config_table_size; i++) {
		const struct setting *s = &config_table[i];

		if ((s->flags & SETTING_FILE_ONLY) || strcmp(s->name, "user") == 0)
			continue;	/* user: listed as -Z above */
		snprintf(lhs, sizeof(lhs), "    --%s %s", s->name, s->arg);
		if (s->def != NULL)
			fprintf(f, "  %-34s %s (%s)\n", lhs, s->help, s->def);
		else
			fprintf(f, "  %-34s %s\n", lhs, s->help);
	}
}

char *
args_join(char **words, int n)
{
	size_t len = 1;
	int i;
	char *s;

	if (n == 0)
		return NULL;
	for (i = 0; i < n; i++)
		len += strlen(words[i]) + 1;
	s = xmalloc(len);
	s[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			strcat(s, " ");
		strcat(s, words[i]);
	}
	return s;
}

int
args_load_config(int argc, char **argv, struct options *o, char *errbuf)
{
	const char *path = NULL;
	int i;

	config_defaults(o);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			path = argv[i + 1];
		else if (strncmp(argv[i], "--config=", 9) == 0)
			path = argv[i] + 9;
	}
	o->config_path = path;
	return config_load(o, path, errbuf);
}
