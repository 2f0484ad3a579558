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

#include "args.h"
#include "config.h"
#include "util.h"
#include "testutil.h"

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
	config_thresholds_for(&o, &a, &t);
	assert_int_equal(t.v[THR_SYN], 20000);
	assert_int_equal(t.v[THR_UDP], 0);
	assert_int_equal(t.v[THR_ICMP], 1000);
	addr_parse("203.0.113.9", &a);
	assert_true(config_is_home(&o, &a));
	config_thresholds_for(&o, &a, &t);
	assert_int_equal(t.v[THR_SYN], 2000);
	/* a threshold from the command line beats the group's */
	assert_int_equal(config_set(&o, "threshold", "syn=500", 1, err), 0);
	addr_parse("198.51.100.9", &a);
	config_thresholds_for(&o, &a, &t);
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
	assert_string_equal(config_default_zone("Asia/Tokyo", NULL, buf,
	    sizeof(buf)), "Asia/Tokyo");
	assert_string_equal(config_default_zone(":Europe/Moscow", NULL, buf,
	    sizeof(buf)), "Europe/Moscow");
	assert_string_equal(config_default_zone("JST-9", NULL, buf,
	    sizeof(buf)), "JST-9");
	assert_null(config_default_zone("Nowhere/Bogus", NULL, buf,
	    sizeof(buf)));
	assert_null(config_default_zone("", NULL, buf, sizeof(buf)));
	snprintf(lt, sizeof(lt), "/tmp/kyocho-test-config-lt.XXXXXX");
	assert_non_null(mkdtemp(lt));
	snprintf(cp, sizeof(cp), "%s/localtime", lt);
	assert_int_equal(symlink("/usr/share/zoneinfo/America/Sao_Paulo", cp),
	    0);
	assert_string_equal(config_default_zone(NULL, cp, buf, sizeof(buf)),
	    "America/Sao_Paulo");
	assert_string_equal(config_default_zone("", cp, buf, sizeof(buf)),
	    "America/Sao_Paulo");
	/* TZ wins over /etc/localtime */
	assert_string_equal(config_default_zone("Asia/Tokyo", cp, buf,
	    sizeof(buf)), "Asia/Tokyo");
	/* a copied file has no name to record */
	unlink(cp);
	snprintf(cmd, sizeof(cmd), "cp /usr/share/zoneinfo/Asia/Tokyo '%s'",
	    cp);
	assert_int_equal(system(cmd), 0);
	assert_null(config_default_zone(NULL, cp, buf, sizeof(buf)));
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
	assert_non_null(nd = config_neighbour(&o, a));
	assert_int_equal(nd->asn, 64500);
	assert_string_equal(nd->contact, "example-peering-a");
	assert_non_null(nd = config_neighbour(&o, b));
	assert_int_equal(nd->asn, 64501);
	assert_string_equal(nd->contact, "");
	assert_non_null(nd = config_peer(&o, "pni-C"));
	assert_int_equal(nd->asn, 64502);
	assert_null(config_peer(&o, "pni-D"));
	assert_int_equal(args_parse(4, argv, 1, NULL, NULL, NULL, &o, &pos,
	    &npos, err), 0);
	free(pos);
	assert_int_equal(o.nneighbours, 2);
	assert_int_equal(config_neighbour(&o, a)->asn, 64510);
	assert_string_equal(config_neighbour(&o, a)->contact, "other-noc");
	assert_int_equal(o.npeers, 1);
	assert_int_equal(config_peer(&o, "pni-C")->asn, 64503);
	assert_string_equal(config_peer(&o, "pni-C")->contact, "");
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
	assert_string_equal(config_default_operator(buf, sizeof(buf)),
	    "logname-op");
	unsetenv("LOGNAME");
	assert_string_equal(config_default_operator(buf, sizeof(buf)),
	    "user-op");
	setenv("LOGNAME", "", 1);
	setenv("USER", "bad\033[2Jname", 1);	/* not a name to journal */
	assert_non_null(pw);
	assert_string_equal(config_default_operator(buf, sizeof(buf)),
	    pw->pw_name);
	unsetenv("LOGNAME");
	unsetenv("USER");
	assert_string_equal(config_default_operator(buf, sizeof(buf)),
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

struct flags {
	int json;
	const char *fmt;
};

static int
on_flag(void *ctx, int id, const char *value, char *errbuf)
{
	struct flags *f = ctx;

	if (id == 1)
		f->json = 1;
	else if (id == 2) {
		if (strcmp(value, "text") != 0 && strcmp(value, "md") != 0)
			return err_set(errbuf, "'%s' is not text or md", value);
		f->fmt = value;
	}
	return 0;
}

static void
test_args(void **state)
{
	static const struct argdef defs[] = {
		{ "json", 'j', 0, 1 },
		{ "format", 'f', 1, 2 },
		{ NULL, 0, 0, 0 },
	};
	char *argv[] = { "summary", "--json", "-r", "a.pcap", "-rb.pcap",
	    "--home=203.0.113.0/24", "--threshold", "syn=5", "--format=md",
	    "tcp", "port", "80", "--", "--not-an-option", NULL };
	char *bad1[] = { "summary", "--nope", NULL };
	char *bad2[] = { "summary", "--format", "pdf", NULL };
	char *bad3[] = { "summary", "-r", NULL };
	char *bad4[] = { "summary", "--json=yes", NULL };
	struct options o;
	struct flags f = { 0, NULL };
	char err[ERRBUF_SIZE], **pos, *filter;
	int npos;

	(void)state;
	config_defaults(&o);
	assert_int_equal(args_parse(14, argv, 1, defs, on_flag, &f, &o, &pos,
	    &npos, err), 0);
	assert_true(f.json);
	assert_string_equal(f.fmt, "md");
	assert_int_equal(o.nread, 2);
	assert_string_equal(o.read_files[1], "b.pcap");
	assert_int_equal(o.nhome, 1);
	assert_int_equal(o.thr.v[THR_SYN], 5);
	assert_int_equal(npos, 4);
	filter = args_join(pos, npos);
	assert_string_equal(filter, "tcp port 80 --not-an-option");
	free(filter);
	free(pos);

	assert_int_equal(args_parse(2, bad1, 1, defs, on_flag, &f, &o, &pos,
	    &npos, err), -1);
	assert_non_null(strstr(err, "--nope"));
	free(pos);
	assert_int_equal(args_parse(3, bad2, 1, defs, on_flag, &f, &o, &pos,
	    &npos, err), -1);
	assert_non_null(strstr(err, "pdf"));
	free(pos);
	assert_int_equal(args_parse(2, bad3, 1, defs, on_flag, &f, &o, &pos,
	    &npos, err), -1);
	assert_non_null(strstr(err, "needs a value"));
	free(pos);
	assert_int_equal(args_parse(2, bad4, 1, defs, on_flag, &f, &o, &pos,
	    &npos, err), -1);
	assert_non_null(strstr(err, "takes no value"));
	free(pos);
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
		cmocka_unit_test(test_hostile_messages),
		cmocka_unit_test(test_default_zone),
		cmocka_unit_test(test_default_operator),
		cmocka_unit_test(test_neighbours),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
