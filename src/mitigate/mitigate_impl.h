/*
 * mitigate_impl.h -- what mitigate.c and the backends (gobgp.c) share:
 * the canonical key of a route and the
 * backend calls (gobgp.c, exabgp.c). Not for other folders.
 */
#ifndef KYOCHO_MITIGATE_IMPL_H
#define KYOCHO_MITIGATE_IMPL_H

#include <stddef.h>

#include "mitigate/mitigate.h"

#define MIT_KEY_LEN	192

/* The route r makes, as the RIB is compared: "rtbh 203.0.113.10/32",
 * "flowspec dst=203.0.113.10/32 src=- proto=17 dport=0 sport=123". */
void mit_rule_key(const struct mit_rule *r, char *buf, size_t len);

/*
 * GoBGP: add (del 0) or delete (del 1) r through `gobgp -u HOST -p PORT
 * global rib ...`. The command's output in *out (caller frees). 0 when
 * it exited 0; -1 with errbuf.
 */
int gobgp_change(const struct mitigate_settings *cfg, const struct mit_rule *r,
    int del, char **out, char *errbuf);
/*
 * The routes the speaker originated (its own RIB entries, no neighbour)
 * that are ours in form -- host routes with 65535:666, FlowSpec rules --
 * as keys: *keys a new array of new strings (free each and it), *n.
 * 0, or -1 with errbuf.
 */
int gobgp_rib(const struct mitigate_settings *cfg, char ***keys, size_t *n,
    char *errbuf);

/*
 * ExaBGP: announce (del 0) or withdraw (del 1) r by a text API command
 * written to ExaBGP's CLI pipe (exabgp-pipe, NAME.in; the answer read
 * from NAME.out). The answer in *out (caller frees). 0 when ExaBGP
 * answered "done"; -1 with errbuf ("error", no ExaBGP, a timeout).
 */
int exabgp_change(const struct mitigate_settings *cfg,
    const struct mit_rule *r, int del, char **out, char *errbuf);
/*
 * What ExaBGP announces (`show adj-rib out extensive`: its Adj-RIB-Out,
 * one line per neighbour and route) that is ours in form, as keys like
 * gobgp_rib's. 0, or -1 with errbuf.
 */
int exabgp_rib(const struct mitigate_settings *cfg, char ***keys, size_t *n,
    char *errbuf);

#endif
