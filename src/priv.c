/*
 * priv.c -- dropping root after the capture handles are open. See priv.h.
 *
 * The order matters: supplementary groups and the gid first (they need
 * root), then the uid. Afterwards every id is read back, the group list must
 * not contain root's group unless the user's own gid is 0, and setuid(0)
 * must fail; any surprise is an error, because running on as root after the
 * operator asked for -Z would be worse than stopping.
 */
#include "priv.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "util.h"

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

int
priv_drop(const char *user, char *errbuf)
{
	char name[256];
	uid_t uid = 0, ruid, euid, suid;
	gid_t gid = 0, rgid, egid, sgid, groups[256];
	int n, i;

	if (lookup(user, &uid, &gid, name, sizeof(name), errbuf) != 0)
		return -1;
	if (geteuid() != 0)
		return err_set(errbuf, "-Z %s: not running as root, so there is "
		    "no privilege to drop (run as root or leave out -Z)", user);
	if (uid == 0)
		return err_set(errbuf, "-Z %s: that user is root; name an "
		    "unprivileged user such as nobody", user);
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
