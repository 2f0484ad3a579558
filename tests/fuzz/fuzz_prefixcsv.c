/*
 * fuzz_prefixcsv.c -- libFuzzer target for the prefix data parsers: the
 * ip-location-db CSV reader and the override file (src/enrich/prefix.c). The
 * first byte picks the parser; after a successful load, a few lookups run
 * over the resulting table so the flattening is exercised too.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/addr.h"
#include "enrich/prefix.h"
#include "base/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prefixdb *db;
	struct prefix_info info;
	char err[ERRBUF_SIZE];
	struct addr a;
	long n;
	size_t i;

	if (size < 1)
		return 0;
	db = prefix_db_new();
	if (data[0] & 1)
		n = prefix_parse_overrides(db, data + 1, size - 1, "fuzz", err);
	else
		n = prefix_parse_csv(db, data + 1, size - 1, "fuzz", err);
	if (n > 0) {
		for (i = 0; i + 4 <= size && i < 64; i += 4) {
			addr_from_v4(&a, (uint32_t)data[i] << 24 |
			    (uint32_t)data[i + 1] << 16 |
			    (uint32_t)data[i + 2] << 8 | data[i + 3]);
			prefix_lookup(db, &a, &info);
		}
		a.family = 6;
		for (i = 0; i < 16; i++)
			a.b[i] = i < size ? data[i] : 0;
		prefix_lookup(db, &a, &info);
		(void)prefix_routed(db, &a);
	}
	prefix_db_free(db);
	return 0;
}
