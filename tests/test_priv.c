/*
 * test_priv.c -- dropping root: the real system calls, in a child process
 * (so the test runner keeps its own ids). The drop itself needs root; as an
 * ordinary user those cases check the refusal instead.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <pwd.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "priv.h"
#include "util.h"

/* Run priv_drop(user) in a child; return its exit status: 0 dropped and
 * verified from outside priv.c, 1 priv_drop failed, 2 ids wrong after. */
static int
drop_in_child(const char *user, char *msg, size_t len)
{
	int fd[2], st;
	pid_t pid;
	ssize_t r;

	assert_int_equal(pipe(fd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char errbuf[ERRBUF_SIZE] = "";
		struct passwd *pw = getpwnam(user);
		int rc = priv_drop(user, errbuf);

		close(fd[0]);
		(void)!write(fd[1], errbuf, strlen(errbuf));
		if (rc != 0)
			_exit(1);
		if (pw == NULL || getuid() != pw->pw_uid ||
		    geteuid() != pw->pw_uid || getgid() != pw->pw_gid ||
		    setuid(0) == 0)
			_exit(2);
		_exit(0);
	}
	close(fd[1]);
	r = read(fd[0], msg, len - 1);
	msg[r > 0 ? r : 0] = '\0';
	close(fd[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static void
test_drop_nobody(void **state)
{
	char msg[ERRBUF_SIZE];
	int rc;

	(void)state;
	if (getpwnam("nobody") == NULL)
		skip();
	rc = drop_in_child("nobody", msg, sizeof(msg));
	if (geteuid() == 0) {
		assert_int_equal(rc, 0);
	} else {
		assert_int_equal(rc, 1);
		assert_non_null(strstr(msg, "not running as root"));
	}
}

static void
test_unknown_user(void **state)
{
	char msg[ERRBUF_SIZE];

	(void)state;
	assert_int_equal(drop_in_child("no-such-user-kyocho", msg, sizeof(msg)), 1);
	assert_non_null(strstr(msg, "no such user"));
	assert_int_equal(drop_in_child("", msg, sizeof(msg)), 1);
}

static void
test_refuse_root(void **state)
{
	char msg[ERRBUF_SIZE];

	(void)state;
	if (geteuid() != 0)
		skip();
	assert_int_equal(drop_in_child("root", msg, sizeof(msg)), 1);
	assert_non_null(strstr(msg, "is root"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drop_nobody),
		cmocka_unit_test(test_unknown_user),
		cmocka_unit_test(test_refuse_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
