/*
 * test_config.c -- the settings table, the configuration file (groups,
 * errors with FILE:LINE), and the shared command-line parser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <pwd.h>
#include <unistd.h>

#include "settings/args.h"
#include "settings/config.h"
#include "time/tz.h"
#include "base/util.h"
#include "testutil.h"

/* The detector's view of o (config_detect_settings) and its lookups. */
static void
thresholds_for(const struct options *o, const struct addr *a,
    struct thresholds *t)
{
	struct detect_settings ds;

	config_detect_settings(o, &ds);
	detect_thresholds_for(&ds, a, t);
}

static int
is_home(const struct options *o, const struct addr *a)
{
	struct detect_settings ds;

	config_detect_settings(o, &ds);
	return detect_is_home(&ds, a);
}

static const struct neighbourdef *
neighbour(const struct options *o, const uint8_t mac[6])
{
	struct detect_settings ds;

	config_detect_settings(o, &ds);
	return detect_neighbour(&ds, mac);
}

static const struct neighbourdef *
peer(const struct options *o, const char *link)
{
	struct detect_settings ds;

	config_detect_settings(o, &ds);
	return detect_peer(&ds, link);
}

static char *
write_tmp(const char *text)
{
	char *path = xstrdup("/tmp/kyocho-test-conf-XXXXXX");
	int fd = mkstemp(path);
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

static void
test_file_and_groups(void **state)
{
	struct options o;
	char err[ERRBUF_SIZE];
	char *path = write_tmp(
	    "# NOC settings\n"
	    "home = 203.0.113.0/24\n"
	    "  home=2001:db8:100::/48  \n"
	    "threshold.syn = 2k\n"
	    "link = peering-A=eth1:10G\n"
	    "quiet = 30\n"
	    "syn-legend = 50,2k\n"
	    "\n"
	    "[group customers]\n"
	    "prefix = 198.51.100.0/24\n"
	    "threshold.syn = 20000\n"
	    "threshold.udp = 0\n");
	struct thresholds t;
	struct addr a;

	(void)state;
	config_defaults(&o);
	assert_int_equal(config_load(&o, path, err), 0);
	assert_int_equal(o.nhome, 2);
	assert_int_equal(o.thr.v[THR_SYN], 2000);
	assert_int_equal(o.nlinks, 1);
	assert_string_equal(o.links[0].name, "peering-A");
	assert_string_equal(o.links[0].iface, "eth1");
	assert_true(o.links[0].capacity_bps == 10000000000ULL);
	assert_int_equal(o.quiet_s, 30);
	assert_int_equal(o.legend_low, 50);
	assert_int_equal(o.legend_high, 2000);
	assert_int_equal(o.ngroups, 1);
	addr_parse("198.51.100.9", &a);
	thresholds_for(&o, &a, &t);
	assert_int_equal(t.v[THR_SYN], 20000);
	assert_int_equal(t.v[THR_UDP], 0);
	assert_int_equal(t.v[THR_ICMP], 1000);
	addr_parse("203.0.113.9", &a);
	assert_true(is_home(&o, &a));
	thresholds_for(&o, &a, &t);
	assert_int_equal(t.v[THR_SYN], 2000);
	/* a threshold from the command line beats the group's */
	assert_int_equal(config_set(&o, "threshold", "syn=500", 1, err), 0);
	addr_parse("198.51.100.9", &a);
	thresholds_for(&o, &a, &t);
	assert_int_equal(t.v[THR_SYN], 500);
	/* the command line's home replaces the file's */
	assert_int_equal(config_set(&o, "home", "192.0.2.0/24", 1, err), 0);
	assert_int_equal(o.nhome, 1);
	/* prefix-complete: off unless the operator says so */
	assert_int_equal(o.prefix_complete, 0);
	assert_int_equal(config_set(&o, "prefix-complete", "yes", 1, err), 0);
	assert_int_equal(o.prefix_complete, 1);
	assert_int_equal(config_set(&o, "prefix-complete", "no", 1, err), 0);
	assert_int_equal(o.prefix_complete, 0);
	assert_int_equal(config_set(&o, "prefix-complete", "maybe", 1, err),
	    -1);
	assert_non_null(strstr(err, "not yes or no"));
	unlink(path);
	free(path);
}

/* our-zone's default: TZ (IANA, ":NAME", POSIX), else /etc/localtime's
 * link target; nothing when neither names a loadable zone. */
static void
test_default_zone(void **state)
{
	char buf[256], lt[64], cp[128], cmd[300];

	(void)state;
	assert_string_equal(tz_default_name("Asia/Tokyo", NULL, buf,
	    sizeof(buf)), "Asia/Tokyo");
	assert_string_equal(tz_default_name(":Europe/Moscow", NULL, buf,
	    sizeof(buf)), "Europe/Moscow");
	assert_string_equal(tz_default_name("JST-9", NULL, buf,
	    sizeof(buf)), "JST-9");
	assert_null(tz_default_name("Nowhere/Bogus", NULL, buf,
	    sizeof(buf)));
	assert_null(tz_default_name("", NULL, buf, sizeof(buf)));
	snprintf(lt, sizeof(lt), "/tmp/kyocho-test-config-lt.XXXXXX");
	assert_non_null(mkdtemp(lt));
	snprintf(cp, sizeof(cp), "%s/localtime", lt);
	assert_int_equal(symlink("/usr/share/zoneinfo/America/Sao_Paulo", cp),
	    0);
	assert_string_equal(tz_default_name(NULL, cp, buf, sizeof(buf)),
	    "America/Sao_Paulo");
	assert_string_equal(tz_default_name("", cp, buf, sizeof(buf)),
	    "America/Sao_Paulo");
	/* TZ wins over /etc/localtime */
	assert_string_equal(tz_default_name("Asia/Tokyo", cp, buf,
	    sizeof(buf)), "Asia/Tokyo");
	/* a copied file has no name to record */
	unlink(cp);
	snprintf(cmd, sizeof(cmd), "cp /usr/share/zoneinfo/Asia/Tokyo '%s'",
	    cp);
	assert_int_equal(system(cmd), 0);
	assert_null(tz_default_name(NULL, cp, buf, sizeof(buf)));
	unlink(cp);
	rmdir(lt);
}

/* The operator's default: $LOGNAME, $USER, then the password database. */
static void expect_error(const char *text, const char *want);

/* neighbour = MAC=ASN[:CONTACT-ID] and peer = LINK=ASN[:CONTACT-ID], from
 * the file and from --neighbour/--peer; a MAC or link named again is
 * replaced; bad values are refused with the setting's name. */
static void
test_neighbours(void **state)
{
	static const uint8_t a[6] = { 0x00, 0x1b, 0x21, 0x0a, 0x0b, 0x0c };
	static const uint8_t b[6] = { 0x02, 0, 0, 0, 0, 0xaa };
	struct options o;
	char err[ERRBUF_SIZE];
	char **pos = NULL;
	int npos = 0;
	uint8_t m[6];
	char *path = write_tmp(
	    "neighbour = 00:1b:21:0a:0b:0c=AS64500:example-peering-a\n"
	    "neighbour = 02-00-00-00-00-AA=64501\n"
	    "peer = pni-C=AS64502:example-pni\n");
	char *argv[] = { "summary", "--neighbour",
	    "001b.210a.0b0c=64510:other-noc", "--peer=pni-C=64503", NULL };
	const struct neighbourdef *nd;

	(void)state;
	config_defaults(&o);
	assert_int_equal(config_load(&o, path, err), 0);
	assert_int_equal(o.nneighbours, 2);
	assert_non_null(nd = neighbour(&o, a));
	assert_int_equal(nd->asn, 64500);
	assert_string_equal(nd->contact, "example-peering-a");
	assert_non_null(nd = neighbour(&o, b));
	assert_int_equal(nd->asn, 64501);
	assert_string_equal(nd->contact, "");
	assert_non_null(nd = peer(&o, "pni-C"));
	assert_int_equal(nd->asn, 64502);
	assert_null(peer(&o, "pni-D"));
	assert_int_equal(args_common(4, argv, 1, &o, &pos, &npos, err), 0);
	free(pos);
	assert_int_equal(o.nneighbours, 2);
	assert_int_equal(neighbour(&o, a)->asn, 64510);
	assert_string_equal(neighbour(&o, a)->contact, "other-noc");
	assert_int_equal(o.npeers, 1);
	assert_int_equal(peer(&o, "pni-C")->asn, 64503);
	assert_string_equal(peer(&o, "pni-C")->contact, "");
	unlink(path);
	free(path);

	assert_int_equal(config_parse_mac("0:1b:21:a:b:c", m), 0);
	assert_memory_equal(m, a, 6);
	assert_int_equal(config_parse_mac("00:1b:21:0a:0b", m), -1);
	assert_int_equal(config_parse_mac("00:1b:21:0a:0b:0c:0d", m), -1);
	assert_int_equal(config_parse_mac("00:1b:21:0a:0b:0g", m), -1);
	assert_int_equal(config_parse_mac("001:b2:10:a0:b0:c", m), -1);
	assert_int_equal(config_parse_mac("001b.210a.0bxc", m), -1);
	expect_error("neighbour = 00:1b:21:0a:0b=64500\n",
	    ":1: neighbour: '00:1b:21:0a:0b' is not a MAC");
	expect_error("neighbour = 00:1b:21:0a:0b:0c\n", ":1: neighbour: '");
	expect_error("neighbour = 00:1b:21:0a:0b:0c=ASX\n",
	    ":1: neighbour: 'ASX' is not an AS number");
	expect_error("neighbour = 00:1b:21:0a:0b:0c=64500-64510\n",
	    ":1: neighbour: '64500-64510' is not an AS number");
	expect_error("neighbour = 00:1b:21:0a:0b:0c=64500:\n",
	    ":1: neighbour: a contact id is");
	expect_error("peer = pni=64500:bad id\n",
	    ":1: peer: contact id 'bad id'");
	expect_error("peer = =64500\n", ":1: peer: '=64500' is not");
}

static void
test_default_operator(void **state)
{
	char buf[256];
	struct passwd *pw = getpwuid(getuid());

	(void)state;
	setenv("LOGNAME", "logname-op", 1);
	setenv("USER", "user-op", 1);
	assert_string_equal(login_name(buf, sizeof(buf)),
	    "logname-op");
	unsetenv("LOGNAME");
	assert_string_equal(login_name(buf, sizeof(buf)),
	    "user-op");
	setenv("LOGNAME", "", 1);
	setenv("USER", "bad\033[2Jname", 1);	/* not a name to journal */
	assert_non_null(pw);
	assert_string_equal(login_name(buf, sizeof(buf)),
	    pw->pw_name);
	unsetenv("LOGNAME");
	unsetenv("USER");
	assert_string_equal(login_name(buf, sizeof(buf)),
	    pw->pw_name);
}

static void
expect_error(const char *text, const char *want)
{
	struct options o;
	char err[ERRBUF_SIZE];
	char *path = write_tmp(text);

	config_defaults(&o);
	assert_int_equal(config_load(&o, path, err), -1);
	if (strstr(err, want) == NULL || strstr(err, path) == NULL) {
		print_error("error '%s' lacks '%s' or the path\n", err, want);
		fail();
	}
	unlink(path);
	free(path);
}

static void
test_file_errors(void **state)
{
	(void)state;
	expect_error("home = 203.0.113.0/24\nbogus = 1\n", ":2: unknown setting 'bogus'");
	expect_error("home = 300.0.0.0/8\n", ":1: home: '300.0.0.0/8'");
	expect_error("threshold.synn = 5\n", ":1: threshold 'synn'");
	expect_error("threshold.syn = lots\n", ":1: threshold syn: 'lots'");
	expect_error("link = A=eth0:fast\n", ":1: link A: capacity 'fast'");
	expect_error("[group]\n", ":1: section must read [group NAME]");
	expect_error("[group x]\nquiet = 5\n", ":2: unknown setting 'quiet' in a group");
	expect_error("just words\n", ":1: expected 'key = value'");
	expect_error("home = \xff\n", ":1: invalid UTF-8");
	expect_error("quiet = 0\n", ":1: quiet:");
	expect_error("syn-legend = 1000,100\n", ":1: syn-legend:");
	expect_error("syn-legend = 100\n", ":1: syn-legend:");
}

static void
test_missing_files(void **state)
{
	struct options o;
	char err[ERRBUF_SIZE];

	(void)state;
	config_defaults(&o);
	assert_int_equal(config_load(&o, "/nonexistent/kyocho.conf", err), -1);
	assert_non_null(strstr(err, "/nonexistent/kyocho.conf"));
	/* the default file may be absent */
	setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
	assert_int_equal(config_load(&o, NULL, err), 0);
}

static const struct args_opt test_opts[] = {
	{ .name = "json", .sname = 'j' },
	{ .name = "format", .sname = 'f', .arg = "FMT", .choices = "text|md" },
	{ .name = "count", .arg = "N", .min = 1, .max = 9, .what = "a count" },
	{ .name = NULL },
};

static int
test_exec(struct args *a, struct options *o)
{
	(void)a;
	(void)o;
	return CMD_OK;
}

static const struct cmd_entry test_entry = {
	.name = "summary",
	.usage = "[--json] [--format text|md] [FILTER...]",
	.opts = test_opts,
	.maxargs = -1,
	.exec = test_exec,
};

/* The parser reads a command's options from its entry, the common ones
 * into struct options, and checks values as the entry says. */
static void
test_args(void **state)
{
	char *argv[] = { "summary", "--json", "-r", "a.pcap", "-rb.pcap",
	    "--home=203.0.113.0/24", "--threshold", "syn=5", "--format=md",
	    "tcp", "port", "80", "--", "--not-an-option", NULL };
	char *bad1[] = { "summary", "--nope", NULL };
	char *bad2[] = { "summary", "--format", "pdf", NULL };
	char *bad3[] = { "summary", "-r", NULL };
	char *bad4[] = { "summary", "--json=yes", NULL };
	char *bad5[] = { "summary", "--count", "10", NULL };
	char *bad6[] = { "summary", "--threshold.syn", "5", NULL };
	char *num[] = { "summary", "--count=7", "-j", NULL };
	struct options o;
	struct args *a;
	char err[ERRBUF_SIZE], *filter;

	(void)state;
	config_defaults(&o);
	a = args_parse(&test_entry, 14, argv, &o, err);
	assert_non_null(a);
	assert_true(args_has(a, "json"));
	assert_string_equal(args_get(a, "format"), "md");
	assert_null(args_get(a, "count"));
	assert_int_equal(args_num(a, "count", 3), 3);
	assert_int_equal(o.nread, 2);
	assert_string_equal(o.read_files[1], "b.pcap");
	assert_int_equal(o.nhome, 1);
	assert_int_equal(o.thr.v[THR_SYN], 5);
	assert_int_equal(args_count(a), 4);
	filter = args_join(args_words(a), args_count(a));
	assert_string_equal(filter, "tcp port 80 --not-an-option");
	free(filter);
	args_free(a);

	a = args_parse(&test_entry, 3, num, &o, err);
	assert_non_null(a);
	assert_int_equal(args_num(a, "count", 3), 7);
	assert_int_equal(args_has(a, "json"), 1);
	args_free(a);

	assert_null(args_parse(&test_entry, 2, bad1, &o, err));
	assert_non_null(strstr(err, "--nope"));
	assert_null(args_parse(&test_entry, 3, bad2, &o, err));
	assert_non_null(strstr(err, "pdf"));
	assert_non_null(strstr(err, "text or md"));
	assert_null(args_parse(&test_entry, 2, bad3, &o, err));
	assert_non_null(strstr(err, "needs a value"));
	assert_null(args_parse(&test_entry, 2, bad4, &o, err));
	assert_non_null(strstr(err, "takes no value"));
	assert_null(args_parse(&test_entry, 3, bad5, &o, err));
	assert_non_null(strstr(err, "--count: '10' is not a count"));
	/* a setting of the file only is not an option */
	assert_null(args_parse(&test_entry, 3, bad6, &o, err));
	assert_non_null(strstr(err, "unknown option '--threshold.syn'"));
}

/* The defaults come from the table, and are what kyocho(1) and
 * kyocho.conf(5) say they are. */
static void
test_table_defaults(void **state)
{
	struct options o;

	(void)state;
	config_defaults(&o);
	assert_int_equal(o.thr.v[THR_PPS], 100000);
	assert_int_equal(o.thr.v[THR_BPS], 1000000000);
	assert_int_equal(o.thr.v[THR_SYN], 1000);
	assert_int_equal(o.thr.v[THR_UDP], 5000);
	assert_int_equal(o.thr.v[THR_ICMP], 1000);
	assert_int_equal(o.thr.v[THR_FRAG], 1000);
	assert_int_equal(o.thr.set[THR_SYN], 0);	/* not "given" */
	assert_int_equal(o.quiet_s, 10);
	assert_int_equal(o.top_n, 10);
	assert_true(o.speed == 1.0);
	assert_int_equal(o.legend_low, 100);
	assert_int_equal(o.legend_high, 1000);
	assert_int_equal(o.dns_rate, 50);
	assert_int_equal(o.dns_timeout_ms, 2000);
	assert_int_equal(o.no_dns, 0);
	assert_int_equal(o.prefix_complete, 0);
	assert_non_null(config_find("dns.rate"));
	assert_null(config_find("dns.nope"));
}

/*
 * Every entry of the settings table is documented in kyocho.conf(5) (a
 * ".B NAME = ..." line under KEYS; threshold.NAME stands for the six), and
 * every key the page documents is in the table.
 */
static void
test_table_in_man_page(void **state)
{
	const char *src = getenv("KYOCHO_SRCDIR");
	char *path, line[512], name[128], *documented[128];
	size_t ndoc = 0, i, j, k;
	int keys = 0;
	FILE *f;

	(void)state;
	path = xasprintf("%s/man/kyocho.conf.5", src != NULL ? src : ".");
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, ".SH ", 4) == 0)
			keys = strncmp(line, ".SH KEYS", 8) == 0;
		if (!keys || strncmp(line, ".B ", 3) != 0 ||
		    strstr(line, " = ") == NULL)
			continue;
		/* ".B dns.cymru\-zone = ZONE": drop the roff escapes */
		for (i = 3, k = 0; line[i] != ' ' && line[i] != '\0' &&
		    k + 1 < sizeof(name); i++)
			if (line[i] != '\\')
				name[k++] = line[i];
		name[k] = '\0';
		assert_true(ndoc < NITEMS(documented));
		documented[ndoc++] = xstrdup(name);
	}
	fclose(f);
	free(path);
	assert_true(ndoc > 30);
	for (i = 0; i < config_table_size; i++) {
		const char *n = config_table[i].name;
		int found = 0;

		if (strncmp(n, "threshold.", 10) == 0)
			n = "threshold.NAME";
		for (j = 0; j < ndoc; j++)
			found |= strcmp(documented[j], n) == 0;
		if (!found)
			fail_msg("setting '%s' is not in kyocho.conf(5)", n);
	}
	for (j = 0; j < ndoc; j++) {
		if (strcmp(documented[j], "threshold.NAME") != 0 &&
		    config_find(documented[j]) == NULL)
			fail_msg("kyocho.conf(5) documents '%s', which is not "
			    "a setting", documented[j]);
		free(documented[j]);
	}
}

/*
 * Messages quote keys and values from the file and the command line (issue
 * 19): an escape sequence (ESC [ 2 J clears the screen) or a C1 control
 * (U+009B, the one-byte CSI; also raw 0x9b) must not reach the terminal
 * through them. Each path: unknown key, zone name, hours, --threshold,
 * a key in a group, and a file line.
 */
#define HOSTILE "\x1b[2J\xc2\x9b" "2J"

static void
test_hostile_messages(void **state)
{
	struct options o;
	char err[ERRBUF_SIZE], *path;

	(void)state;
	config_defaults(&o);
	assert_int_equal(config_set(&o, "k" HOSTILE, "1", 0, err), -1);
	assert_non_null(strstr(err, "unknown setting 'k?"));
	assert_no_controls(err);
	assert_int_equal(config_set(&o, "k\x9b" "2J", "1", 1, err), -1);
	assert_no_controls(err);
	assert_int_equal(config_set(&o, "dns.cymru-zone", "zone" HOSTILE "\x9b",
	    0, err), -1);
	assert_non_null(strstr(err, "is not a DNS zone name"));
	assert_no_controls(err);
	assert_int_equal(config_set(&o, "dns.x" HOSTILE, "a.example", 0, err),
	    -1);
	assert_no_controls(err);
	assert_int_equal(config_set(&o, "our-hours", "Mon 09:00-18:00" HOSTILE,
	    0, err), -1);
	assert_non_null(strstr(err, "our-hours: unexpected"));
	assert_no_controls(err);
	assert_int_equal(config_set(&o, "quiet", HOSTILE "\x9b", 1, err), -1);
	assert_no_controls(err);
	assert_int_equal(config_threshold(&o.thr, HOSTILE "\x9b", 1, err), -1);
	assert_non_null(strstr(err, "--threshold wants NAME=VALUE"));
	assert_no_controls(err);
	assert_int_equal(config_threshold(&o.thr, "s" HOSTILE "=1", 1, err), -1);
	assert_no_controls(err);
	/* From a file: a key, a zone, and a key inside a group. */
	path = write_tmp("# ok\nkey" HOSTILE " = 1\n");
	assert_int_equal(config_load(&o, path, err), -1);
	assert_non_null(strstr(err, ":2: unknown setting 'key?"));
	assert_no_controls(err);
	unlink(path);
	free(path);
	path = write_tmp("dns.asname-zone = " HOSTILE ".example\n");
	assert_int_equal(config_load(&o, path, err), -1);
	assert_non_null(strstr(err, ":1: dns.asname-zone: '?"));
	assert_no_controls(err);
	unlink(path);
	free(path);
	path = write_tmp("[group g]\n" HOSTILE " = 1\n");
	assert_int_equal(config_load(&o, path, err), -1);
	assert_non_null(strstr(err, ":2: unknown setting '?"));
	assert_no_controls(err);
	unlink(path);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_and_groups),
		cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_missing_files),
		cmocka_unit_test(test_args),
		cmocka_unit_test(test_table_defaults),
		cmocka_unit_test(test_table_in_man_page),
		cmocka_unit_test(test_hostile_messages),
		cmocka_unit_test(test_default_zone),
		cmocka_unit_test(test_default_operator),
		cmocka_unit_test(test_neighbours),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
