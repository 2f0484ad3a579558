/*
 * priv.c -- dropping root after the capture handles are open. See priv.h.
 *
 * The order matters: supplementary groups and the gid first (they need
 * root), then the uid. Afterwards every id is read back, the group list must
 * not contain root's group unless the user's own gid is 0, and setuid(0)
 * must fail; any surprise is an error, because running on as root after the
 * operator asked for -Z would be worse than stopping.
 *
 * Before that, priv_give_dir() hands the state directory to the user (see
 * priv.h for why this and not more). It works on descriptors throughout:
 * each entry is opened with O_PATH|O_NOFOLLOW and examined and changed
 * through that descriptor, so an entry swapped for a symbolic link or a
 * hard link to a system file (by whoever ran as the user before) between
 * the look and the chown is never followed, and nothing blocks on a FIFO.
 */
#include "capture/priv.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "base/util.h"

static int
lookup(const char *user, uid_t *uid, gid_t *gid, char *name, size_t len,
    char *errbuf)
{
	struct passwd *pw;
	long n;

	if (user == NULL || *user == '\0')
		return err_set(errbuf, "-Z: no user name given");
	errno = 0;
	pw = getpwnam(user);
	if (pw == NULL && parse_long(user, 0, 0x7fffffff, &n) == 0)
		pw = getpwuid((uid_t)n);
	if (pw == NULL)
		return err_set(errbuf, "-Z %s: no such user%s%s", user,
		    errno != 0 ? ": " : "", errno != 0 ? strerror(errno) : "");
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	if (strlen(pw->pw_name) >= len)
		return err_set(errbuf, "-Z %s: user name too long", user);
	strcpy(name, pw->pw_name);
	return 0;
}

/* The user -Z names, as priv_drop and priv_give_dir need it: found, not
 * root, and we are root (else there is nothing to drop). 0 or -1. */
static int
target_user(const char *user, uid_t *uid, gid_t *gid, char *name,
    size_t len, char *errbuf)
{
	if (lookup(user, uid, gid, name, len, errbuf) != 0)
		return -1;
	if (geteuid() != 0)
		return err_set(errbuf, "-Z %s: not running as root, so there is "
		    "no privilege to drop (run as root or leave out -Z)", user);
	if (*uid == 0)
		return err_set(errbuf, "-Z %s: that user is root; name an "
		    "unprivileged user such as nobody", user);
	return 0;
}

int
priv_drop(const char *user, char *errbuf)
{
	char name[256];
	uid_t uid = 0, ruid, euid, suid;
	gid_t gid = 0, rgid, egid, sgid, groups[256];
	int n, i;

	if (target_user(user, &uid, &gid, name, sizeof(name), errbuf) != 0)
		return -1;
	if (initgroups(name, gid) != 0)
		return err_set(errbuf, "-Z %s: initgroups: %s", user,
		    strerror(errno));
	if (setresgid(gid, gid, gid) != 0)
		return err_set(errbuf, "-Z %s: setresgid(%lu): %s", user,
		    (unsigned long)gid, strerror(errno));
	if (setresuid(uid, uid, uid) != 0)
		return err_set(errbuf, "-Z %s: setresuid(%lu): %s", user,
		    (unsigned long)uid, strerror(errno));

	/* Verify: every id is the user's, and root cannot come back. */
	if (getresuid(&ruid, &euid, &suid) != 0 || ruid != uid ||
	    euid != uid || suid != uid)
		return err_set(errbuf, "-Z %s: user ids did not all change", user);
	if (getresgid(&rgid, &egid, &sgid) != 0 || rgid != gid ||
	    egid != gid || sgid != gid)
		return err_set(errbuf, "-Z %s: group ids did not all change", user);
	n = getgroups((int)NITEMS(groups), groups);
	if (n < 0)
		return err_set(errbuf, "-Z %s: getgroups: %s", user,
		    strerror(errno));
	for (i = 0; i < n; i++)
		if (groups[i] == 0 && gid != 0)
			return err_set(errbuf, "-Z %s: still in group 0 after "
			    "dropping privileges", user);
	if (setuid(0) == 0 || seteuid(0) == 0)
		return err_set(errbuf, "-Z %s: root could be regained after "
		    "dropping privileges", user);
	return 0;
}

/* Levels below the state directory that are handed over: STATE/incidents
 * and STATE/incidents/<journal>, likewise drafts/ and reports/. */
#define GIVE_DEPTH	2

/*
 * Give what root owns in the directory open on dfd (path names it in
 * messages) to uid:gid, descending depth more levels.
 */
static int
give_tree(int dfd, const char *path, uid_t uid, gid_t gid, int depth,
    char *errbuf)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	int dd, fd, sub, rc = 0;

	if ((dd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    (d = fdopendir(dd)) == NULL) {
		if (dd >= 0)
			close(dd);
		return err_set(errbuf, "%s: %s", path, strerror(errno));
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		fd = openat(dfd, de->d_name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;	/* gone meanwhile */
		if (fstat(fd, &st) != 0) {
			rc = err_set(errbuf, "%s/%s: %s", path, de->d_name,
			    strerror(errno));
		} else if (S_ISDIR(st.st_mode) && depth > 0) {
			char *sp = xasprintf("%s/%s", path, de->d_name);

			sub = openat(fd, ".", O_RDONLY | O_DIRECTORY |
			    O_CLOEXEC);
			if (sub < 0 || (st.st_uid == 0 &&
			    fchown(sub, uid, gid) != 0))
				rc = err_set(errbuf, "%s: %s", sp,
				    strerror(errno));
			else
				rc = give_tree(sub, sp, uid, gid, depth - 1,
				    errbuf);
			if (sub >= 0)
				close(sub);
			free(sp);
		} else if (S_ISREG(st.st_mode) && st.st_uid == 0 &&
		    st.st_nlink == 1 &&
		    fchownat(fd, "", uid, gid, AT_EMPTY_PATH) != 0) {
			rc = err_set(errbuf, "%s/%s: %s", path, de->d_name,
			    strerror(errno));
		}
		close(fd);
	}
	closedir(d);
	return rc;
}

int
priv_give_dir(const char *user, const char *dir, char *errbuf)
{
	char name[256];
	uid_t uid = 0;
	gid_t gid = 0;
	struct stat st;
	int fd, rc = -1;

	if (target_user(user, &uid, &gid, name, sizeof(name), errbuf) != 0)
		return -1;
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return err_set(errbuf, "state directory %s: %s", dir,
		    strerror(errno));
	if (fstat(fd, &st) != 0) {
		err_set(errbuf, "state directory %s: %s", dir, strerror(errno));
		goto out;
	}
	if (st.st_uid != 0 && st.st_uid != uid) {
		err_set(errbuf, "-Z %s: the state directory %s belongs to uid "
		    "%lu, neither root nor %s, and kyocho does not give away "
		    "another user's incidents; give --state DIR owned by %s, "
		    "or -Z the directory's owner", user, dir,
		    (unsigned long)st.st_uid, name, name);
		goto out;
	}
	if (st.st_uid == 0 && fchown(fd, uid, gid) != 0) {
		err_set(errbuf, "-Z %s: giving %s to %s: %s", user, dir, name,
		    strerror(errno));
		goto out;
	}
	if (give_tree(fd, dir, uid, gid, GIVE_DEPTH - 1, errbuf) != 0)
		goto out;
	if (fchdir(fd) != 0) {
		err_set(errbuf, "state directory %s: %s", dir, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	close(fd);
	return rc;
}
