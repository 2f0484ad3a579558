/*
 * main.c -- the kyocho binary: read the configuration, then hand the
 * command line to a subcommand (src/cli/cmd_*.c) or to the terminal (views/).
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "settings/args.h"
#include "cli/commands.h"
#include "cli/report_history.h"
#include "settings/config.h"
#include "shell.h"
#include "base/util.h"

/* Every subcommand, in the order of kyocho --help and kyocho(1). */
static const struct cmd_entry *const commands[] = {
	&cmd_summary_entry,
	&cmd_flows_entry,
	&cmd_contacts_entry,
	&cmd_tz_entry,
	&cmd_lookup_entry,
	&cmd_incident_entry,
	&cmd_playbook_entry,
	&cmd_report_entry,
	&cmd_prefix_entry,
	&cmd_mitigation_entry,
	&cmd_history_entry,
};

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f,
	    "usage: kyocho [-i IFACE]... [-r FILE]... [--link NAME=IFACE:CAPACITY]...\n"
	    "              [--home CIDR]... [options] [FILTER...]\n"
	    "       kyocho COMMAND [options] [ARG...]\n"
	    "       kyocho COMMAND --help\n\n"
	    "commands:\n");
	for (i = 0; i < NITEMS(commands); i++)
		fprintf(f, "  %-10s %s\n", commands[i]->name, commands[i]->help);
	fputc('\n', f);
	args_common_help(f);
	fprintf(f, "  --version, --help\n\n"
	    "Exit status: 0 success, 1 failure, 2 usage error. See kyocho(1).\n");
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
	/* Reports show the hour around an attack from the history, if any. */
	report_set_history(report_history_read, &opt);
	if (argc > 1) {
		for (i = 0; i < NITEMS(commands); i++)
			if (strcmp(argv[1], commands[i]->name) == 0)
				return cmd_run(commands[i], argc - 1, argv + 1,
				    &opt);
	}
	if (argc > 1 && argv[1][0] != '-') {
		fprintf(stderr, "kyocho: unknown command '%s' (see kyocho --help)\n",
		    argv[1]);
		return 2;
	}
	/* No subcommand: the terminal (views/shell.c). */
	return tui_main(argc, argv, &opt);
}
