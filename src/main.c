/*
 * main.c -- the kyocho binary: read the configuration, then hand the
 * command line to a subcommand (src/cmd_*.c) or to the terminal (views/).
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "config.h"
#include "shell.h"
#include "util.h"

struct command {
	const char *name;
	int (*fn)(int, char **, struct options *);
	const char *help;
};

static const struct command commands[] = {
	/* filled as subcommands land */
	{ "summary", cmd_summary, "summarise capture files (--json for scripts)" },
	{ "flows", cmd_flows, "listen for sFlow/NetFlow/IPFIX and print estimates" },
	{ "contacts", cmd_contacts, "check and match the contact database (--json)" },
	{ "tz", cmd_tz, "local time, offset and DST of IANA zones" },
	{ "lookup", cmd_lookup, "AS, organisation, country, PTR, abuse contact of addresses" },
	{ "incident", cmd_incident, "list, create and update incidents (journals)" },
	{ "report", cmd_report, "write an incident report (text, md, html)" },
	{ "prefix", cmd_prefix, "prefix data: status, build or verify its image" },
};

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f,
	    "usage: kyocho [-i IFACE]... [-r FILE]... [--link NAME=IFACE:CAPACITY]...\n"
	    "              [--home CIDR]... [options] [FILTER...]\n"
	    "       kyocho summary [--json] [--home CIDR]... -r FILE [-r FILE]... [FILTER...]\n"
	    "       kyocho lookup [--json] [--no-dns] ADDR...\n"
	    "       kyocho COMMAND --help\n\n"
	    "commands:\n");
	for (i = 0; i < NITEMS(commands); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(f,
	    "\ncommon options:\n"
	    "  -r FILE              read a pcap or pcapng file (repeatable)\n"
	    "  -i IFACE             capture live on an interface (repeatable)\n"
	    "  --home CIDR          our own address space (repeatable)\n"
	    "  --threshold NAME=V   pps, bps, syn, udp, icmp or frag per target per second\n"
	    "  --link NAME=IFACE:CAP name a capture source and its capacity (10G)\n"
	    "  --speed N|max        replay files N times as fast as recorded (1)\n"
	    "  -Z USER              drop root to USER once the capture is open\n"
	    "  --config FILE        configuration file (default ~/.config/kyocho/config)\n"
	    "  --data DIR           data directory (contacts, checklists, templates)\n"
	    "  --state DIR          state directory (incident journals)\n"
	    "  --version, --help\n\n"
	    "See kyocho(1).\n");
}

static void
version(void)
{
	printf("kyocho %s\n"
	    "Prefix data credits: ip-location-db (CC BY 4.0) with data from "
	    "RouteViews, DB-IP and the NRO.\n", KYOCHO_VERSION);
}

int
main(int argc, char **argv)
{
	static struct options opt;	/* static: settings live until exit */
	char errbuf[ERRBUF_SIZE];
	size_t i;

	setlocale(LC_ALL, "");
	if (argc > 1 && (strcmp(argv[1], "--version") == 0 ||
	    strcmp(argv[1], "-V") == 0)) {
		version();
		return 0;
	}
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	if (args_load_config(argc, argv, &opt, errbuf) != 0) {
		fprintf(stderr, "kyocho: %s\n", errbuf);
		return 2;
	}
	if (argc > 1) {
		for (i = 0; i < NITEMS(commands); i++)
			if (strcmp(argv[1], commands[i].name) == 0)
				return commands[i].fn(argc - 1, argv + 1, &opt);
	}
	if (argc > 1 && argv[1][0] != '-') {
		fprintf(stderr, "kyocho: unknown command '%s' (see kyocho --help)\n",
		    argv[1]);
		return 2;
	}
	/* No subcommand: the terminal (views/shell.c). */
	return tui_main(argc, argv, &opt);
}
