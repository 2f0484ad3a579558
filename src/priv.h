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

#endif
