/*
 * commands.h -- the subcommands of the kyocho binary, one declarative entry
 * each (args.h: name, options, usage, handler) in src/cli/cmd_*.c. main.c
 * lists them and hands the command line to cmd_run(); with no subcommand
 * the terminal (views/) runs.
 */
#ifndef KYOCHO_COMMANDS_H
#define KYOCHO_COMMANDS_H

#include "settings/args.h"

extern const struct cmd_entry cmd_summary_entry;
extern const struct cmd_entry cmd_flows_entry;
extern const struct cmd_entry cmd_contacts_entry;
extern const struct cmd_entry cmd_tz_entry;
extern const struct cmd_entry cmd_lookup_entry;
extern const struct cmd_entry cmd_incident_entry;
extern const struct cmd_entry cmd_playbook_entry;
extern const struct cmd_entry cmd_report_entry;
extern const struct cmd_entry cmd_prefix_entry;
extern const struct cmd_entry cmd_mitigation_entry;
extern const struct cmd_entry cmd_history_entry;

#endif
