/*
 * proc.c -- fork/execvp/waitpid for the few programs kyocho starts (see
 * proc.h). No shell is involved: an argv from the configuration or the
 * environment is passed as it is, never parsed again.
 */
#include "base/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/util.h"

int
proc_run(char *const argv[], int infd, char *errbuf)
{
	pid_t pid;
	int st;

	if ((pid = fork()) < 0)
		return err_set(errbuf, "fork: %s", strerror(errno));
	if (pid == 0) {
		if (infd >= 0 && dup2(infd, 0) < 0)
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return err_set(errbuf, "waitpid: %s", strerror(errno));
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127) {
		err_set(errbuf, "%s could not be run", argv[0]);
		return PROC_NOT_RUN;
	}
	if (!WIFEXITED(st))
		return err_set(errbuf, "%s was killed by signal %d", argv[0],
		    WTERMSIG(st));
	return WEXITSTATUS(st);
}

int
proc_capture(char *const argv[], unsigned timeout_ms, size_t maxout,
    char **out, char *errbuf)
{
	int pfd[2], status = 0, killed = 0, fd;
	size_t len = 0, cap = 4096;
	char *buf = xmalloc(cap), chunk[4096];
	int64_t deadline = mono_ms() + timeout_ms;
	pid_t pid;

	buf[0] = '\0';
	*out = buf;
	if (pipe2(pfd, O_CLOEXEC) != 0)
		return err_set(errbuf, "pipe: %s", strerror(errno));
	if ((pid = fork()) < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return err_set(errbuf, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		if ((fd = open("/dev/null", O_RDONLY)) >= 0)
			(void)dup2(fd, 0);
		(void)dup2(pfd[1], 1);
		(void)dup2(pfd[1], 2);
		execvp(argv[0], argv);
		dprintf(2, "%s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	for (;;) {
		struct pollfd p = { .fd = pfd[0], .events = POLLIN };
		int64_t left = deadline - mono_ms();
		ssize_t r;

		if (left <= 0) {
			kill(pid, SIGKILL);
			killed = 1;
			break;
		}
		if (poll(&p, 1, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p.revents == 0)
			continue;
		if ((r = read(pfd[0], chunk, sizeof(chunk))) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (r == 0)
			break;
		if (len + (size_t)r + 1 > cap && len < maxout) {
			while (len + (size_t)r + 1 > cap)
				cap *= 2;
			buf = xreallocarray(buf, cap, 1);
			*out = buf;
		}
		if (len + (size_t)r + 1 <= cap) {
			memcpy(buf + len, chunk, (size_t)r);
			len += (size_t)r;
			buf[len] = '\0';
		}
	}
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (killed)
		return err_set(errbuf, "%s did not answer within %u ms "
		    "(killed)", argv[0], timeout_ms);
	if (WIFSIGNALED(status))
		return err_set(errbuf, "%s died of signal %d", argv[0],
		    WTERMSIG(status));
	return WEXITSTATUS(status);
}
