/*
 * config.c -- reading the configuration file (config_load, with [group]
 * sections), the data and state directories, and the fillers of each
 * module's own settings struct (config_*_settings). The settings table and
 * its setters are in config_table.c. See config.h and man/kyocho.conf.5.
 */
#include "settings/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "settings/config_impl.h"
#include "enrich/dns.h"
#include "enrich/rdap.h"
#include "enrich/prefix.h"
#include "mitigate/mitigate.h"
#include "base/util.h"

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int
group_set(struct prefix_group *g, const char *key, const char *value,
    char *errbuf)
{
	if (strcmp(key, "prefix") == 0) {
		if (g->nprefixes == MAX_GROUP_PREFIXES)
			return err_set(errbuf, "prefix: at most %d per group",
			    MAX_GROUP_PREFIXES);
		if (prefix_parse(value, &g->prefixes[g->nprefixes]) != 0)
			return err_set(errbuf, "prefix: '%s' is not a CIDR prefix",
			    value);
		g->nprefixes++;
		return 0;
	}
	if (strncmp(key, "threshold.", 10) == 0)
		return config_threshold_set(&g->thr, key + 10, value, 0,
		    errbuf);
	return err_set(errbuf, "unknown setting '%s' in a group (prefix, "
	    "threshold.NAME)", key);
}

int
config_load(struct options *o, const char *path, char *errbuf)
{
	char buf[4096], defpath[4096], err[ERRBUF_SIZE];
	const char *p = path;
	struct prefix_group *g = NULL;
	FILE *f;
	unsigned lineno = 0;
	int rc = 0;

	if (p == NULL) {
		const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

		if (xdg != NULL && *xdg == '/')
			snprintf(defpath, sizeof(defpath), "%s/kyocho/config", xdg);
		else if (home != NULL)
			snprintf(defpath, sizeof(defpath), "%s/.config/kyocho/config",
			    home);
		else
			return 0;
		p = defpath;
	}
	if ((f = fopen(p, "r")) == NULL) {
		if (path == NULL && errno == ENOENT)
			return 0;
		return err_set(errbuf, "%s: %s", p, strerror(errno));
	}
	while (fgets(buf, sizeof(buf), f) != NULL) {
		char *line, *eq, *key, *value;
		size_t bad;

		lineno++;
		if (strchr(buf, '\n') == NULL && !feof(f)) {
			rc = err_set(errbuf, "%s:%u: line too long", p, lineno);
			break;
		}
		if (!utf8_valid(buf, strlen(buf), &bad)) {
			rc = err_set(errbuf, "%s:%u: invalid UTF-8 at byte %zu",
			    p, lineno, bad + 1);
			break;
		}
		line = trim(buf);
		if (*line == '\0' || *line == '#')
			continue;
		if (*line == '[') {
			char *end = strchr(line, ']');

			if (end == NULL || end[1] != '\0' ||
			    strncmp(line, "[group ", 7) != 0) {
				rc = err_set(errbuf, "%s:%u: section must read "
				    "[group NAME]", p, lineno);
				break;
			}
			*end = '\0';
			if (o->ngroups == MAX_GROUPS) {
				rc = err_set(errbuf, "%s:%u: at most %d groups",
				    p, lineno, MAX_GROUPS);
				break;
			}
			g = &o->groups[o->ngroups++];
			memset(g, 0, sizeof(*g));
			snprintf(g->name, sizeof(g->name), "%s", trim(line + 7));
			continue;
		}
		if ((eq = strchr(line, '=')) == NULL) {
			rc = err_set(errbuf, "%s:%u: expected 'key = value'", p,
			    lineno);
			break;
		}
		*eq = '\0';
		key = trim(line);
		value = trim(eq + 1);
		if (g != NULL)
			rc = group_set(g, key, value, err);
		else
			rc = config_set(o, key, value, 0, err);
		if (rc != 0) {
			err_set(errbuf, "%s:%u: %s", p, lineno, err);
			break;
		}
	}
	if (rc == 0 && ferror(f))
		rc = err_set(errbuf, "%s: read error", p);
	fclose(f);
	return config_clean_err(errbuf, rc);
}

void
config_flow_settings(const struct options *o, struct flow_settings *fs)
{
	size_t i;

	memset(fs, 0, sizeof(*fs));
	for (i = 0; i < o->nsflow; i++)
		fs->sflow_listen[i] = o->sflow_listen[i];
	fs->nsflow = o->nsflow;
	for (i = 0; i < o->nnetflow; i++)
		fs->netflow_listen[i] = o->netflow_listen[i];
	fs->nnetflow = o->nnetflow;
	fs->links = o->flowlinks;
	fs->nlinks = o->nflowlinks;
}

void
config_detect_settings(const struct options *o, struct detect_settings *ds)
{
	memset(ds, 0, sizeof(*ds));
	ds->thr = o->thr;
	ds->groups = o->groups;
	ds->ngroups = o->ngroups;
	ds->home = o->home;
	ds->nhome = o->nhome;
	ds->quiet_s = o->quiet_s;
	ds->neighbours = o->neighbours;
	ds->nneighbours = o->nneighbours;
	ds->peers = o->peers;
	ds->npeers = o->npeers;
}

static int
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

char *
config_data_path(const struct options *o, const char *rel, char *errbuf)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	char *cand[4] = { NULL, NULL, NULL, NULL };
	char *found = NULL;
	size_t i, n = 0;

	if (o->data_dir != NULL)
		cand[n++] = xasprintf("%s/%s", o->data_dir, rel);
	if (xdg != NULL && *xdg == '/')
		cand[n++] = xasprintf("%s/kyocho/%s", xdg, rel);
	else if (home != NULL)
		cand[n++] = xasprintf("%s/.local/share/kyocho/%s", home, rel);
	cand[n++] = xasprintf("%s/%s", KYOCHO_DATADIR, rel);
	cand[n++] = xasprintf("data/%s", rel);
	for (i = 0; i < n; i++) {
		if (found == NULL && exists(cand[i]))
			found = cand[i];
		else
			free(cand[i]);
	}
	if (found == NULL)
		err_set(errbuf, "data file '%s' not found (looked in --data, "
		    "the user's and the installed data directories, ./data)", rel);
	return found;
}

void
config_rdap_settings(const struct options *o, struct rdap_settings *rs)
{
	char err[ERRBUF_SIZE];

	memset(rs, 0, sizeof(*rs));
	rs->bootstrap_dns = o->rdap_bootstrap != NULL ?
	    xstrdup(o->rdap_bootstrap) : config_data_path(o, "rdap/dns.json",
	    err);
	rs->bootstrap_ipv4 = o->rdap_bootstrap4 != NULL ?
	    xstrdup(o->rdap_bootstrap4) : config_data_path(o,
	    "rdap/ipv4.json", err);
	rs->bootstrap_ipv6 = o->rdap_bootstrap6 != NULL ?
	    xstrdup(o->rdap_bootstrap6) : config_data_path(o,
	    "rdap/ipv6.json", err);
	rs->ca_file = o->rdap_ca;
	rs->timeout_ms = o->rdap_timeout_ms;
	rs->rate = o->rdap_rate;
}

void
config_rdap_settings_free(struct rdap_settings *rs)
{
	free((char *)rs->bootstrap_dns);
	free((char *)rs->bootstrap_ipv4);
	free((char *)rs->bootstrap_ipv6);
	memset(rs, 0, sizeof(*rs));
}

void
config_enrich_settings(const struct options *o, struct enrich_settings *es,
    struct dns_settings *dns)
{
	char err[ERRBUF_SIZE];
	size_t i;

	_Static_assert(MAX_MMDB <= PREFIX_MMDB_MAX, "mmdb settings fit");
	if (dns != NULL) {
		memset(dns, 0, sizeof(*dns));
		dns->server = o->dns_server;
		dns->cymru_zone = o->dns_cymru_zone;
		dns->cymru6_zone = o->dns_cymru6_zone;
		dns->asname_zone = o->dns_asname_zone;
		dns->abusix_zone = o->dns_abusix_zone;
		dns->rate = o->dns_rate;
		dns->timeout_ms = o->dns_timeout_ms;
	}
	if (es == NULL)
		return;
	memset(es, 0, sizeof(*es));
	for (i = 0; i < PREFIX_NCSV; i++)
		es->csv[i] = config_data_path(o, prefix_csv_files[i], err);
	es->overrides = o->prefixes_path != NULL ? xstrdup(o->prefixes_path) :
	    config_data_path(o, PREFIX_OVERRIDES_FILE, err);
	es->data_dir = o->data_dir;
	for (i = 0; i < o->nmmdb; i++)
		es->mmdb[i] = o->mmdb[i];
	es->nmmdb = o->nmmdb;
	es->complete = o->prefix_complete;
}

static int
mkdir_p(char *path)
{
	char *s;

	for (s = path + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST) {
			*s = '/';
			return -1;
		}
		*s = '/';
	}
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

char *
config_state_dir(const struct options *o, char *errbuf)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char *dir;

	if (o->state_dir != NULL)
		dir = xstrdup(o->state_dir);
	else if (xdg != NULL && *xdg == '/')
		dir = xasprintf("%s/kyocho", xdg);
	else if (home != NULL)
		dir = xasprintf("%s/.local/state/kyocho", home);
	else {
		err_set(errbuf, "no state directory: set --state, "
		    "XDG_STATE_HOME or HOME");
		return NULL;
	}
	if (mkdir_p(dir) != 0) {
		err_set(errbuf, "state directory %s: %s", dir, strerror(errno));
		free(dir);
		return NULL;
	}
	return dir;
}

void
config_mitigate_settings(const struct options *o, const char *state_dir,
    struct mitigate_settings *ms)
{
	memset(ms, 0, sizeof(*ms));
	ms->backend = (enum mit_backend)o->mitigation;
	ms->gobgp_api = o->gobgp_api;
	ms->exabgp_pipe = o->exabgp_pipe;
	ms->bird_socket = o->bird_socket;
	ms->bird_include = o->bird_include;
	ms->next_hop = o->rtbh_next_hop;
	ms->communities = o->rtbh_community;
	ms->ttl_s = o->mitigation_ttl;
	ms->max = o->mitigation_max;
	ms->home = o->home;
	ms->nhome = o->nhome;
	ms->state_dir = state_dir;
}

int
config_history_path(const struct options *o, int always, char **path,
    char *errbuf)
{
	struct stat sb;
	char *dir;

	*path = NULL;
	if (o->history == NULL && !always)
		return 0;
	if (o->history == NULL || strcmp(o->history, "on") == 0) {
		if ((dir = config_state_dir(o, errbuf)) == NULL)
			return -1;
		*path = xasprintf("%s/%s", dir, "history.sqlite");
		free(dir);
	} else if (stat(o->history, &sb) == 0 && S_ISDIR(sb.st_mode))
		*path = xasprintf("%s/%s", o->history, "history.sqlite");
	else
		*path = xstrdup(o->history);
	return 0;
}
