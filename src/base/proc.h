/*
 * proc.h -- running another program: fork and execvp with an argv (argv[0]
 * looked up in PATH), never a shell, and wait for it. The one place kyocho
 * starts programs: the operator's editor and sendmail (case/draft.c), lpr
 * (report/report.c) and a BGP speaker's command (mitigate/gobgp.c).
 */
#ifndef KYOCHO_PROC_H
#define KYOCHO_PROC_H

#include <stddef.h>

/* proc_run()'s answer when argv[0] could not be executed (not found, not
 * executable): the child exits 127, as a shell's does. */
#define PROC_NOT_RUN	(-2)

/*
 * Run argv with stdin from infd (inherited when infd is -1), stdout and
 * stderr inherited, and wait (interrupted waits resumed). Returns the exit
 * status (0..255); PROC_NOT_RUN with errbuf "ARGV0 could not be run"; -1
 * with errbuf when fork or waitpid failed or it died of a signal.
 */
int proc_run(char *const argv[], int infd, char *errbuf);

/*
 * Run argv with stdin /dev/null and stdout and stderr into *out (a new
 * NUL-terminated string the caller frees; at most maxout bytes kept, the
 * rest read and dropped), killed after timeout_ms. Returns the exit status
 * (0..255), or -1 with errbuf when it could not be started, was killed or
 * timed out (*out still set). An exec failure exits 127 with the reason in
 * *out.
 */
int proc_capture(char *const argv[], unsigned timeout_ms, size_t maxout,
    char **out, char *errbuf);

#endif
