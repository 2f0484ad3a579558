/*
 * shell.h -- the terminal application: what `kyocho` with no subcommand
 * runs. Declared here (not in src/) because it needs curses; this header
 * itself does not include curses, so src/cli/main.c can call it.
 */
#ifndef KYOCHO_SHELL_H
#define KYOCHO_SHELL_H

struct options;

/*
 * Parse argv (argv[0] is the program; options and a BPF filter follow),
 * open the capture sources, drop privileges when -Z asks, and run the
 * screens until the operator quits. Returns the process exit status.
 */
int tui_main(int argc, char **argv, struct options *opt);

#endif
