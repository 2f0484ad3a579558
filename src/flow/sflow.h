/*
 * sflow.h -- sFlow version 5 datagrams into struct pkt records.
 *
 * Stateless: every datagram stands alone. Each flow sample becomes at most
 * one struct pkt (from its raw packet header record, else from a sampled
 * IPv4/IPv6 record) with weight = sampling rate and wbytes = frame length *
 * sampling rate; each generic interface counter record becomes one struct
 * flow_ifcounters.
 */
#ifndef KYOCHO_SFLOW_H
#define KYOCHO_SFLOW_H

#include <stddef.h>
#include <stdint.h>

#include "flow/flow.h"

/* Bounds on what one datagram may claim (more is malformed). */
#define SFLOW_MAX_SAMPLES	1024
#define SFLOW_MAX_RECORDS	64	/* records per sample */

/*
 * Parse one sFlow v5 datagram of len bytes at p. peer/peer_port are the
 * UDP source (copied into each origin); now_us stamps the records, since
 * sFlow carries no absolute time. Records go to sink as they are found;
 * *res says what was found. Returns 0, or -1 when the datagram is not sFlow
 * v5 or is malformed (res->malformed; records before the fault were still
 * delivered).
 */
int sflow_parse(const uint8_t *p, size_t len, const struct addr *peer,
    uint16_t peer_port, int64_t now_us, const struct flow_sink *sink,
    struct flow_result *res);

#endif
