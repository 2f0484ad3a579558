/*
 * priv.h -- give up root once the capture handles are open (tcpdump's
 * droproot): switch to an unprivileged user's uid, gid and supplementary
 * groups, then check that it took and that root cannot be regained.
 */
#ifndef KYOCHO_PRIV_H
#define KYOCHO_PRIV_H

/*
 * Become user (a name from the password database, or a numeric uid) for
 * good. Call after every pcap handle is open and before reading any input
 * that came from outside. Returns 0, or -1 with errbuf saying what failed
 * (unknown user, not running as root, a set*id() call refused, or a check
 * afterwards that found a privilege still held); the caller must then
 * refuse to go on.
 */
int priv_drop(const char *user, char *errbuf);

/*
 * Before priv_drop(): give the state directory dir (kyocho's own, such as
 * /root/.local/state/kyocho) to user, so that the session can still write
 * incident journals, drafts and reports once root is gone, and make it the
 * working directory. Files below it are then reached by relative names
 * ("./incidents/..."), which needs search permission on dir only, not on
 * its parents: /root stays 0700 and closed to every other process running
 * as user (ntpd's and unbound's model: the unprivileged user owns its one
 * data directory and nothing else).
 *
 * dir and what root owns inside it (two levels: incidents/, drafts/,
 * reports/ and their files) become user's, uid and primary gid. Symbolic
 * links, files with more than one link and anything owned by a third
 * user are left alone; nothing is followed. A dir that belongs to neither
 * root nor user is refused (kyocho does not give away another person's
 * files). Returns 0, or -1 with errbuf saying what failed; the caller must
 * then refuse to go on.
 */
int priv_give_dir(const char *user, const char *dir, char *errbuf);

#endif
