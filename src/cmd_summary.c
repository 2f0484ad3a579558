/*
 * cmd_summary.c -- `kyocho summary`: (being written) read capture files and
 * print what they hold.
 */
#include <stdio.h>

#include "commands.h"
#include "config.h"

int
cmd_summary(int argc, char **argv, struct options *opt)
{
	(void)argc;
	(void)argv;
	(void)opt;
	fprintf(stderr, "kyocho summary: not yet\n");
	return 1;
}
