/*
 * fuzz_dnstxt.c -- libFuzzer target for the DNS answer parsers of
 * src/enrich/dns.c: Team Cymru origin and AS-name records, abusix records, host
 * names and the TTL walk over a raw DNS message.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "enrich/dns.h"
#include "base/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dns_result r;
	uint32_t ttl;

	memset(&r, 0, sizeof(r));
	(void)addr_parse("192.0.2.5", &r.addr);
	r.asked_asn = 64501;
	(void)dns_parse_origin(data, size, &r);
	(void)dns_parse_asname(data, size, &r);
	(void)dns_parse_abuse(data, size, &r);
	(void)validate_hostname((const char *)data, size);
	(void)dns_answer_ttl(data, size, &ttl);
	return 0;
}
