/*
 * commands.h -- the subcommands of the kyocho binary. Each takes the
 * arguments after its name (argv[0] is the subcommand) and returns the
 * process exit status. main.c dispatches; each lives in src/cmd_*.c (or in
 * views/ for the terminal).
 */
#ifndef KYOCHO_COMMANDS_H
#define KYOCHO_COMMANDS_H

struct options;

int cmd_summary(int argc, char **argv, struct options *opt);
int cmd_flows(int argc, char **argv, struct options *opt);
int cmd_tz(int argc, char **argv, struct options *opt);
int cmd_contacts(int argc, char **argv, struct options *opt);
int cmd_lookup(int argc, char **argv, struct options *opt);
int cmd_incident(int argc, char **argv, struct options *opt);
int cmd_report(int argc, char **argv, struct options *opt);
int cmd_prefix(int argc, char **argv, struct options *opt);

#endif
