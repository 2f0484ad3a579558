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
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "capture/priv.h"
#include "base/util.h"

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

/* ---- priv_give_dir ------------------------------------------------------ */

static char tmpl[64];

static void
touch(const char *dir, const char *name)
{
	char p[256];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	assert_true((fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600)) >= 0);
	close(fd);
}

static uid_t
owner(const char *dir, const char *name)
{
	char p[256];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	assert_int_equal(lstat(p, &st), 0);
	return st.st_uid;
}

/* priv_give_dir(user, dir) in a child (it changes the working directory);
 * 0 done and the child's cwd is dir, 1 refused (msg says why). */
static int
give_in_child(const char *user, const char *dir, char *msg, size_t len)
{
	int fd[2], st;
	pid_t pid;
	ssize_t r;

	assert_int_equal(pipe(fd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char errbuf[ERRBUF_SIZE] = "", cwd[256], real[256];
		int rc = priv_give_dir(user, dir, errbuf);

		close(fd[0]);
		(void)!write(fd[1], errbuf, strlen(errbuf));
		if (rc != 0)
			_exit(1);
		if (getcwd(cwd, sizeof(cwd)) == NULL ||
		    realpath(dir, real) == NULL || strcmp(cwd, real) != 0)
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

/* The state directory and what root owns two levels down become nobody's;
 * links, a FIFO, a hard-linked file and deeper levels are left alone; the
 * directory above is untouched. */
static void
test_give_dir(void **state)
{
	char msg[ERRBUF_SIZE], st_dir[128], inc[160], deep[192], p[256],
	    q[256];
	struct passwd *pw = getpwnam("nobody");
	uid_t nobody;

	(void)state;
	if (geteuid() != 0 || pw == NULL)
		skip();
	nobody = pw->pw_uid;
	snprintf(tmpl, sizeof(tmpl), "/tmp/test_priv.XXXXXX");
	assert_non_null(mkdtemp(tmpl));
	snprintf(st_dir, sizeof(st_dir), "%s/kyocho", tmpl);
	snprintf(inc, sizeof(inc), "%s/incidents", st_dir);
	snprintf(deep, sizeof(deep), "%s/deeper", inc);
	assert_int_equal(mkdir(st_dir, 0700), 0);
	assert_int_equal(mkdir(inc, 0700), 0);
	assert_int_equal(mkdir(deep, 0700), 0);
	touch(inc, "2026-01-01-0001.jsonl");
	touch(deep, "too-deep");
	touch(tmpl, "outside");
	/* a hard link to a file outside, a symbolic link, a FIFO */
	snprintf(p, sizeof(p), "%s/outside", tmpl);
	snprintf(q, sizeof(q), "%s/hard.jsonl", inc);
	assert_int_equal(link(p, q), 0);
	snprintf(q, sizeof(q), "%s/sym.jsonl", inc);
	assert_int_equal(symlink(p, q), 0);
	snprintf(q, sizeof(q), "%s/fifo.jsonl", inc);
	assert_int_equal(mkfifo(q, 0600), 0);

	assert_int_equal(give_in_child("nobody", st_dir, msg, sizeof(msg)), 0);
	assert_int_equal(owner(tmpl, "kyocho"), nobody);
	assert_int_equal(owner(st_dir, "incidents"), nobody);
	assert_int_equal(owner(inc, "2026-01-01-0001.jsonl"), nobody);
	assert_int_equal(owner(inc, "deeper"), 0);	/* two levels only */
	assert_int_equal(owner(deep, "too-deep"), 0);
	assert_int_equal(owner(inc, "hard.jsonl"), 0);
	assert_int_equal(owner(tmpl, "outside"), 0);
	assert_int_equal(owner(inc, "sym.jsonl"), 0);
	assert_int_equal(owner(inc, "fifo.jsonl"), 0);
	assert_int_equal(owner("/tmp", tmpl + 5), 0);

	/* Again: already nobody's, nothing to do but the working directory. */
	assert_int_equal(give_in_child("nobody", st_dir, msg, sizeof(msg)), 0);

	/* Someone else's state directory is not given away. */
	assert_int_equal(chown(st_dir, 4242, 4242), 0);
	assert_int_equal(give_in_child("nobody", st_dir, msg, sizeof(msg)), 1);
	assert_non_null(strstr(msg, "belongs to uid 4242"));
	assert_int_equal(owner(st_dir, "incidents"), nobody);

	snprintf(p, sizeof(p), "rm -rf '%s'", tmpl);
	assert_int_equal(system(p), 0);
}

static void
test_give_dir_refusals(void **state)
{
	char msg[ERRBUF_SIZE];

	(void)state;
	assert_int_equal(give_in_child("no-such-user-kyocho", "/tmp", msg,
	    sizeof(msg)), 1);
	assert_non_null(strstr(msg, "no such user"));
	if (geteuid() == 0) {
		assert_int_equal(give_in_child("root", "/tmp", msg,
		    sizeof(msg)), 1);
		assert_non_null(strstr(msg, "is root"));
		assert_int_equal(give_in_child("nobody",
		    "/nonexistent/kyocho-state", msg, sizeof(msg)), 1);
		assert_non_null(strstr(msg, "No such file"));
	} else if (getpwnam("nobody") != NULL) {
		assert_int_equal(give_in_child("nobody", "/tmp", msg,
		    sizeof(msg)), 1);
		assert_non_null(strstr(msg, "not running as root"));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drop_nobody),
		cmocka_unit_test(test_unknown_user),
		cmocka_unit_test(test_refuse_root),
		cmocka_unit_test(test_give_dir),
		cmocka_unit_test(test_give_dir_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
