/*
 * netflow.h -- NetFlow v5, NetFlow v9 (RFC 3954) and IPFIX (RFC 7011)
 * datagrams into struct pkt records.
 *
 * v9 and IPFIX describe their records with templates, so a parser keeps
 * state: a bounded cache of templates keyed by (exporter address and port,
 * version, source id / observation domain, template id), and per domain the
 * sampling rate learnt from options records. One flow record becomes one
 * struct pkt stamped with the flow's END time, weight = packets * rate and
 * wbytes = octets * rate.
 */
#ifndef KYOCHO_NETFLOW_H
#define KYOCHO_NETFLOW_H

#include <stddef.h>
#include <stdint.h>

#include "flow/flow.h"

#define NF_MAX_FIELDS		128	/* fields in one template */
#define NF_MAX_TEMPLATES	8192	/* templates cached in all */
#define NF_MAX_DOMAIN_TEMPLATES	512	/* per exporter and domain */
#define NF_MAX_DOMAINS		4096	/* exporter/domain pairs */
#define NF_MAX_SAMPLERS		16	/* sampler ids remembered per domain */
#define NF_V5_MAX_COUNT		30
/* A template not sent again within this long is forgotten (RFC 7011 8.4:
 * over UDP a collector gives templates a lifetime; exporters resend them
 * far more often). */
#define NF_TEMPLATE_LIFETIME_S	1800

struct netflow;

/* A new, empty template cache. Free with netflow_free(). */
struct netflow *netflow_new(void);
void netflow_free(struct netflow *nf);

/*
 * Parse one datagram (v5, v9 or IPFIX, told apart by the version word)
 * that came from peer:peer_port at now_us (microseconds since the epoch;
 * templates learnt now expire NF_TEMPLATE_LIFETIME_S later unless sent
 * again). Records go to sink as found; *res counts what was found,
 * including data records (v5, known templates) and data sets whose
 * template is unknown (res->unknown counts such sets: their records cannot
 * be told apart without the template; an expired template counts as
 * unknown). Returns 0, or -1 when the datagram
 * is of no known version or is malformed (records before the fault were
 * still delivered).
 */
int netflow_parse(struct netflow *nf, const uint8_t *p, size_t len,
    const struct addr *peer, uint16_t peer_port, int64_t now_us,
    const struct flow_sink *sink, struct flow_result *res);

/* Templates now cached. */
size_t netflow_ntemplates(const struct netflow *nf);

/* The sampling rate learnt from options records for a domain (0 if none
 * known); for tests and the Overview screen. */
uint32_t netflow_domain_rate(const struct netflow *nf, const struct addr *peer,
    uint16_t peer_port, int version, uint32_t domain);

#endif
