/*
 * test_proc.c -- proc_run() and proc_capture() (base/proc.h) with real
 * programs from the base system: exit statuses, a program that is not
 * there, stdin from a descriptor, death by a signal, output captured and
 * bounded, and a deadline that kills.
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

#include "base/proc.h"
#include "base/util.h"

static void
test_run_status(void **state)
{
	char errbuf[ERRBUF_SIZE];
	char *t[] = { "true", NULL }, *f[] = { "false", NULL };
	char *x[] = { "sh", "-c", "exit 7", NULL };
	char *none[] = { "/nonexistent/kyocho-no-such-program", NULL };

	(void)state;
	assert_int_equal(proc_run(t, -1, errbuf), 0);
	assert_int_equal(proc_run(f, -1, errbuf), 1);
	assert_int_equal(proc_run(x, -1, errbuf), 7);
	errbuf[0] = '\0';
	assert_int_equal(proc_run(none, -1, errbuf), PROC_NOT_RUN);
	assert_non_null(strstr(errbuf, "kyocho-no-such-program could not be run"));
}

static void
test_run_stdin_and_signal(void **state)
{
	char errbuf[ERRBUF_SIZE];
	char *check[] = { "sh", "-c", "read x && test \"$x\" = 協調", NULL };
	char *die[] = { "sh", "-c", "kill -KILL $$", NULL };
	int pfd[2];

	(void)state;
	assert_int_equal(pipe(pfd), 0);
	assert_int_equal(write(pfd[1], "協調\n", strlen("協調\n")),
	    (ssize_t)strlen("協調\n"));
	close(pfd[1]);
	assert_int_equal(proc_run(check, pfd[0], errbuf), 0);
	close(pfd[0]);
	assert_int_equal(proc_run(die, -1, errbuf), -1);
	assert_non_null(strstr(errbuf, "killed by signal 9"));
}

static void
test_capture(void **state)
{
	char errbuf[ERRBUF_SIZE], *out = NULL;
	char *echo[] = { "sh", "-c", "echo out; echo err >&2; exit 3", NULL };
	char *big[] = { "sh", "-c", "head -c 100000 /dev/zero | tr '\\0' a",
	    NULL };
	char *slow[] = { "sleep", "5", NULL };
	char *none[] = { "/nonexistent/kyocho-no-such-program", NULL };

	(void)state;
	assert_int_equal(proc_capture(echo, 5000, 1024, &out, errbuf), 3);
	assert_string_equal(out, "out\nerr\n");
	free(out);
	/* at most maxout bytes kept, the rest read (no blocked writer) */
	assert_int_equal(proc_capture(big, 5000, 4096, &out, errbuf), 0);
	assert_true(strlen(out) >= 4096 && strlen(out) < 100000);
	free(out);
	assert_int_equal(proc_capture(slow, 200, 1024, &out, errbuf), -1);
	assert_non_null(strstr(errbuf, "did not answer within 200 ms"));
	free(out);
	assert_int_equal(proc_capture(none, 5000, 1024, &out, errbuf), 127);
	assert_non_null(strstr(out, "kyocho-no-such-program"));
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_status),
		cmocka_unit_test(test_run_stdin_and_signal),
		cmocka_unit_test(test_capture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
