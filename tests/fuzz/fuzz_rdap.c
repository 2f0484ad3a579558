/*
 * fuzz_rdap.c -- libFuzzer target for the RDAP parsers of
 * src/enrich/rdap.c (RFC 9083 domain and ip network objects, jCard,
 * RFC 9224 bootstrap) and the lookup targets of src/enrich/target.c.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/defang.h"
#include "base/util.h"
#include "enrich/rdap.h"
#include "enrich/target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rdap_domain d;
	struct rdap_ip ip;
	struct target t;
	char url[256], err[ERRBUF_SIZE], *s;

	memset(&d, 0, sizeof(d));
	memset(&ip, 0, sizeof(ip));
	(void)rdap_parse_domain(data, size, &d);
	(void)rdap_parse_ip(data, size, &ip);
	(void)rdap_bootstrap_dns(data, size, "login.example.co.jp", url,
	    sizeof(url));
	if (size < 4096) {
		s = xmalloc(size + 1);
		memcpy(s, data, size);
		s[size] = '\0';
		(void)target_parse(s, &t, err);
		(void)defang(s, url, sizeof(url));
		free(s);
	}
	return 0;
}
