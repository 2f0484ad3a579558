/*
 * args.c -- the shared command-line parser. See args.h.
 */
#include "args.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Common options that are settings under another name, or flags. */
static const char *const setting_names[] = {
	"home", "threshold", "link", "quiet", "top", "speed", "readers",
	"data", "state",
	"alerts", "contacts", "dns", "user", "our-zone", "our-hours", "syn-legend",
	"prefixes", "mmdb", "prefix-complete",
	"dns.server", "dns.rate", "dns.timeout", "dns.cymru-zone",
	"dns.cymru6-zone", "dns.asname-zone", "dns.abusix-zone",
	"operator", "org", "noc-email", "noc-phone", "pgp", "local-offset",
	"local-zone",
	"sflow", "netflow", "flowlink",
};

static int
is_setting(const char *name)
{
	size_t i;

	for (i = 0; i < NITEMS(setting_names); i++)
		if (strcmp(name, setting_names[i]) == 0)
			return 1;
	return 0;
}

static int
common_short(struct options *o, char c, const char *val, char *errbuf)
{
	switch (c) {
	case 'r':
		if (o->nread == MAX_INPUTS)
			return err_set(errbuf, "-r: at most %d files", MAX_INPUTS);
		o->read_files[o->nread++] = val;
		return 0;
	case 'i':
		if (o->nifaces == MAX_INPUTS)
			return err_set(errbuf, "-i: at most %d interfaces",
			    MAX_INPUTS);
		o->ifaces[o->nifaces++] = val;
		return 0;
	case 'Z':
		o->drop_user = val;
		return 0;
	}
	return err_set(errbuf, "unknown option '-%c'", c);
}

int
args_parse(int argc, char **argv, int first, const struct argdef *defs,
    args_fn fn, void *ctx, struct options *o, char ***pos, int *npos,
    char *errbuf)
{
	char name[64], err[ERRBUF_SIZE];
	int i, only_pos = 0;

	*pos = xcalloc((size_t)argc + 1, sizeof(char *));
	*npos = 0;
	for (i = first; i < argc; i++) {
		const char *a = argv[i], *val = NULL, *eq;
		const struct argdef *d = NULL;

		if (only_pos || a[0] != '-' || a[1] == '\0') {
			(*pos)[(*npos)++] = argv[i];
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_pos = 1;
			continue;
		}
		if (a[1] == '-') {
			size_t nlen;

			eq = strchr(a + 2, '=');
			nlen = eq != NULL ? (size_t)(eq - a - 2) : strlen(a + 2);
			if (nlen >= sizeof(name))
				return err_set(errbuf, "unknown option '%s'", a);
			memcpy(name, a + 2, nlen);
			name[nlen] = '\0';
			for (d = defs; d != NULL && d->lname != NULL; d++)
				if (strcmp(d->lname, name) == 0)
					break;
			if (d != NULL && d->lname == NULL)
				d = NULL;
			if (d != NULL && !d->has_arg) {
				if (eq != NULL)
					return err_set(errbuf, "option '--%s' takes "
					    "no value", name);
				if (fn(ctx, d->id, NULL, err) != 0)
					return err_set(errbuf, "--%s: %s", name, err);
				continue;
			}
			if (d == NULL && strcmp(name, "no-dns") == 0) {
				o->no_dns = 1;
				continue;
			}
			if (d == NULL && strcmp(name, "config") != 0 &&
			    !is_setting(name) && strcmp(name, "read") != 0 &&
			    strcmp(name, "interface") != 0)
				return err_set(errbuf, "unknown option '--%s' "
				    "(see kyocho --help)", name);
			if (eq != NULL)
				val = eq + 1;
			else if (i + 1 < argc)
				val = argv[++i];
			else
				return err_set(errbuf, "option '--%s' needs a value",
				    name);
			if (d != NULL) {
				if (fn(ctx, d->id, val, err) != 0)
					return err_set(errbuf, "--%s: %s", name, err);
			} else if (strcmp(name, "config") == 0) {
				o->config_path = val;	/* loaded earlier */
			} else if (strcmp(name, "read") == 0) {
				if (common_short(o, 'r', val, errbuf) != 0)
					return -1;
			} else if (strcmp(name, "interface") == 0) {
				if (common_short(o, 'i', val, errbuf) != 0)
					return -1;
			} else if (config_set(o, name, val, 1, err) != 0)
				return err_set(errbuf, "--%s: %s", name, err);
			continue;
		}
		/* Short option: -r FILE, -rFILE, or a subcommand's flag. */
		for (d = defs; d != NULL && d->lname != NULL; d++)
			if (d->sname != 0 && d->sname == a[1])
				break;
		if (d != NULL && d->lname == NULL)
			d = NULL;
		if (d != NULL && !d->has_arg) {
			if (a[2] != '\0')
				return err_set(errbuf, "unknown option '%s'", a);
			if (fn(ctx, d->id, NULL, err) != 0)
				return err_set(errbuf, "-%c: %s", a[1], err);
			continue;
		}
		if (d == NULL && strchr("riZ", a[1]) == NULL)
			return err_set(errbuf, "unknown option '%s' (see kyocho "
			    "--help)", a);
		if (a[2] != '\0')
			val = a + 2;
		else if (i + 1 < argc)
			val = argv[++i];
		else
			return err_set(errbuf, "option '-%c' needs a value", a[1]);
		if (d != NULL) {
			if (fn(ctx, d->id, val, err) != 0)
				return err_set(errbuf, "-%c: %s", a[1], err);
		} else if (common_short(o, a[1], val, errbuf) != 0)
			return -1;
	}
	return 0;
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
