/*
 * config.h -- settings from the configuration file and the command line.
 *
 * One table of settings serves both: a config file line "home = 192.0.2.0/24"
 * and the option "--home 192.0.2.0/24" go through config_set(), so every
 * setting has one name, one parser and one error message. The file is read
 * first, then the command line overrides (repeatable settings such as home
 * accumulate; the command line's replace the file's).
 *
 * Format (man/kyocho.conf.5): "key = value" lines, '#' comments, blank lines;
 * "[group NAME]" starts a prefix group whose "prefix" and "threshold.*" keys
 * apply to destinations inside it.
 */
#ifndef KYOCHO_CONFIG_H
#define KYOCHO_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "base/addr.h"
#include "detect/thresholds.h"
#include "flow/flowsrc.h"

#define MAX_HOME	64
#define MAX_LINKS	32
#define MAX_GROUPS	32
#define MAX_INPUTS	64
#define MAX_FLOWLINKS	256
#define MAX_MMDB	8
#define MAX_NEIGHBOURS	256
#define MAX_PEERS	256

struct linkdef {
	char name[64];		/* "peering-A" */
	char iface[64];		/* "eth1" (or "file:N" for the Nth -r file) */
	uint64_t capacity_bps;	/* 0 = unknown */
};

struct options {
	const char *config_path;	/* NULL = default location */
	const char *data_dir;		/* --data */
	const char *state_dir;		/* --state */
	/* With -Z, once the state directory is the working directory and
	 * state_dir is "." (views/shell.c, priv_give_dir): its real path,
	 * for messages and for paths recorded in journals. NULL otherwise. */
	const char *state_label;

	struct prefix home[MAX_HOME];
	size_t nhome;

	struct thresholds thr;		/* defaults, overridden */
	struct prefix_group groups[MAX_GROUPS];
	size_t ngroups;
	unsigned quiet_s;		/* alert ends after this many quiet seconds */

	struct linkdef links[MAX_LINKS];
	size_t nlinks;

	/* telemetry listeners, "[ADDR:]PORT" (--sflow, --netflow) */
	char sflow_listen[MAX_FLOW_LISTEN][64];
	size_t nsflow;
	char netflow_listen[MAX_FLOW_LISTEN][64];
	size_t nnetflow;
	struct flowlinkdef flowlinks[MAX_FLOWLINKS];
	size_t nflowlinks;
	struct neighbourdef neighbours[MAX_NEIGHBOURS];	/* neighbour */
	size_t nneighbours;
	struct neighbourdef peers[MAX_PEERS];		/* peer */
	size_t npeers;

	const char *read_files[MAX_INPUTS];	/* -r */
	size_t nread;
	const char *ifaces[MAX_INPUTS];		/* -i */
	size_t nifaces;
	char *filter;			/* BPF expression from the rest, or NULL */

	/* History (history.h): "off" / NULL, "on" (the state directory's
	 * history.sqlite), a directory, or a database file. */
	const char *history;
	unsigned history_days;		/* history-days: retention */
	unsigned history_max_mb;	/* history-max-mb: size bound, 0 none */
	const char *metrics_listen;	/* metrics: "[ADDR:]PORT", NULL off */

	int json;
	unsigned top_n;			/* rows in top lists */
	const char *alerts_path;	/* --alerts FILE (JSON Lines) */
	double speed;			/* replay pace; 0 = as fast as possible */
	unsigned readers;		/* reader threads per live interface
					 * (PACKET_FANOUT); 0 = as the cores
					 * allow (engine.c) */
	const char *drop_user;		/* -Z */
	int no_dns;
	const char *contacts_path;
	/* syn-legend = LOW,HIGH: the seed's SYN distribution colours a
	 * source group red below LOW SYN/s, green up to HIGH, blue above. */
	uint64_t legend_low, legend_high;
	const char *our_zone;		/* our-zone: the operator's IANA zone */
	const char *our_hours;		/* our-hours: the NOC's business hours */

	/* enrichment (prefix.h, dns.h); NULL strings mean the default */
	const char *prefixes_path;	/* prefixes: local override file */
	const char *mmdb[MAX_MMDB];	/* mmdb: MaxMind DB files (repeatable) */
	size_t nmmdb;
	int prefix_complete;		/* prefix-complete: the operator says
					 * the prefix data covers the routing
					 * table (prefix.h) */
	const char *dns_server;		/* dns.server: ADDR[:PORT], [V6]:PORT */
	const char *dns_cymru_zone;	/* dns.cymru-zone */
	const char *dns_cymru6_zone;	/* dns.cymru6-zone */
	const char *dns_asname_zone;	/* dns.asname-zone */
	const char *dns_abusix_zone;	/* dns.abusix-zone */
	unsigned dns_rate;		/* dns.rate: queries sent per second */
	unsigned dns_timeout_ms;	/* dns.timeout: per query, milliseconds */
	int no_rdap;			/* rdap = off, --no-rdap */
	const char *rdap_bootstrap;	/* rdap-bootstrap (dns.json) */
	const char *rdap_bootstrap4;	/* rdap-bootstrap-ipv4 */
	const char *rdap_bootstrap6;	/* rdap-bootstrap-ipv6 */
	const char *rdap_ca;		/* rdap-ca */
	unsigned rdap_timeout_ms;	/* rdap-timeout */
	unsigned rdap_rate;		/* rdap-rate: queries per minute */

	/* Incidents and escalation (our point of contact, who is acting). */
	const char *operator;		/* operator name in journals; $USER */
	const char *org;		/* "Example ISP NOC" */
	const char *noc_email;
	const char *noc_phone;
	const char *pgp;		/* key fingerprint or URL */
	int local_offset_s;		/* the operator's UTC offset, seconds */
	const char *local_zone;		/* its name ("JST"); NULL = none set */

	/* mitigation (mitigate/mitigate.h): the speaker and its limits */
	int mitigation;			/* enum mit_backend; 0 = off */
	const char *gobgp_api;		/* gobgp-api: ADDR:PORT */
	const char *exabgp_pipe;
	const char *bird_socket;
	const char *bird_include;
	const char *rtbh_next_hop;
	const char *rtbh_community;	/* extra communities after 65535:666 */
	unsigned mitigation_ttl;	/* seconds */
	unsigned mitigation_max;

	/* whether the command line gave home (then the file's are dropped) */
	int cli_home;
};

/*
 * The settings table (tmux's options-table.c): one entry per setting, read
 * by config_set() (the file and the command line), by config_defaults(),
 * by `--help` (args.c) and checked against kyocho.conf(5) by test_config.
 * A value is parsed by its type, or by set() for SETTING_CUSTOM; the
 * message for a bad one names the setting.
 */
enum setting_type {
	SETTING_NUMBER,		/* unsigned at offset, in [min, max] */
	SETTING_STRING,		/* const char * at offset (a copy) */
	SETTING_TEXT,		/* const char *: 200 bytes of UTF-8, no controls */
	SETTING_DNSZONE,	/* const char *: a DNS zone name */
	SETTING_YESNO,		/* int at offset: yes 1, no 0 */
	SETTING_CUSTOM,		/* set() parses and stores */
};

#define SETTING_FILE_ONLY 0x1	/* not a command-line option */

struct setting {
	const char *name;	/* "quiet", "dns.rate", "threshold.syn" */
	enum setting_type type;
	const char *arg;	/* value placeholder for --help: "SECONDS" */
	size_t offset;		/* into struct options, for the plain types */
	long min, max;		/* SETTING_NUMBER */
	const char *what;	/* SETTING_NUMBER: "a number of seconds" */
	/* SETTING_CUSTOM: parse value into o; 0, or -1 with errbuf. */
	int (*set)(struct options *o, const struct setting *s,
	    const char *value, int from_cli, char *errbuf);
	const char *def;	/* default as the file would write it; NULL: none */
	int flags;		/* SETTING_FILE_ONLY */
	const char *help;	/* one line */
};

extern const struct setting config_table[];
extern const size_t config_table_size;

/* The table's entry named name, or NULL. */
const struct setting *config_find(const char *name);

/* Fill *o with built-in defaults (the table's def values). */
void config_defaults(struct options *o);

/*
 * Apply one setting by its name ("home", "threshold.syn", "quiet", ...)
 * with its value. from_cli says the command line gave it. Returns 0, or -1
 * with errbuf saying what is wrong with the value or that the name is unknown.
 * Strings are copied into storage that lives as long as the process.
 */
int config_set(struct options *o, const char *name, const char *value,
    int from_cli, char *errbuf);

/*
 * Read a configuration file. path NULL means $XDG_CONFIG_HOME/kyocho/config
 * (or ~/.config/kyocho/config), which may be absent; an explicit path must
 * exist. Errors read "FILE:LINE: key: what is wrong". Returns 0 or -1.
 */
int config_load(struct options *o, const char *path, char *errbuf);

/* Parse "NAME=VALUE" (--threshold) into t; from_cli marks it as given on
 * the command line, where it beats a prefix group's. Returns 0 or -1. */
int config_threshold(struct thresholds *t, const char *arg, int from_cli,
    char *errbuf);
const char *config_threshold_name(enum threshold_id id);

/*
 * The detector's settings from o (detect/thresholds.h): thresholds, prefix
 * groups, home prefixes, quiet period, neighbours and peers. *ds points
 * into o, which must outlive it.
 */
void config_detect_settings(const struct options *o,
    struct detect_settings *ds);

/* Directories: the data directory that holds `rel` (searched in --data, the
 * user's data dir, the installed one, then ./data); the state directory
 * (created if missing). Returned strings are the caller's to free; NULL
 * when nothing is found (errbuf says where it looked). */
char *config_data_path(const struct options *o, const char *rel, char *errbuf);
char *config_state_dir(const struct options *o, char *errbuf);
/*
 * The history database for o->history: 0 with *path NULL when history is
 * off (unless always is set: then the state directory's file, as
 * `kyocho history` reads by default); 0 with *path (the caller frees it);
 * -1 with errbuf (no state directory).
 */
int config_history_path(const struct options *o, int always, char **path,
    char *errbuf);

/*
 * The settings of enrich, for prefix_load_default() and dns_new(): into
 * *es (enrich/prefix.h, unless es is NULL) the prefix CSVs and the
 * override file as config_data_path() finds them now, the MaxMind DB
 * files and prefix-complete -- free it with enrich_settings_free(); into
 * *dns (enrich/dns.h, unless NULL) the dns.* settings. Both borrow o's
 * strings.
 */
struct enrich_settings;
struct dns_settings;
struct rdap_settings;
/*
 * The rdap-* settings into *rs (enrich/rdap.h). The bootstrap files
 * default to rdap/dns.json, rdap/ipv4.json, rdap/ipv6.json of the data
 * directories (config_data_path; absent ones stay NULL). The paths are
 * allocated: free them with config_rdap_settings_free().
 */
void config_rdap_settings(const struct options *o, struct rdap_settings *rs);
void config_rdap_settings_free(struct rdap_settings *rs);
void config_enrich_settings(const struct options *o,
    struct enrich_settings *es, struct dns_settings *dns);

/* The telemetry source's settings from o (flow/flowsrc.h): listeners and
 * flowlinks. *fs points into o, which must outlive it. */
void config_flow_settings(const struct options *o, struct flow_settings *fs);

/*
 * The settings of mitigate (mitigate/mitigate.h) into *ms: the backend,
 * its addresses, the RTBH next-hop and communities, TTL and limit, home,
 * and state_dir (borrowed; the caller passes the resolved state
 * directory). Borrows o's strings.
 */
struct mitigate_settings;
void config_mitigate_settings(const struct options *o, const char *state_dir,
    struct mitigate_settings *ms);

/* Parse a MAC address: six octets of hex digits separated by ':' or '-'
 * ("00:1b:21:0a:0b:0c"), or three groups of four separated by '.'
 * ("001b.210a.0b0c"). Returns 0 or -1. */
int config_parse_mac(const char *s, uint8_t mac[6]);

/* Parse a capacity such as "10G", "400M", "1500000000". */
int config_parse_capacity(const char *s, uint64_t *bps);

#endif
