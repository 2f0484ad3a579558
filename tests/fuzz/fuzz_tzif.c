/*
 * fuzz_tzif.c -- libFuzzer target for the TZif parser and the POSIX TZ
 * rule evaluator (tz.c): parse the input as a zone file, then query it at
 * instants around its transitions and far outside them; also parse the
 * input's first line as a POSIX TZ string.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "time/tz.h"
#include "base/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
probe(const struct tz *z)
{
	static const int64_t at[] = {
		INT64_MIN / 4, -2208988800LL, -1, 0, 1700000000, 2147483647,
		2147483648LL, 4102444800LL, 253402300799LL, INT64_MAX / 4,
	};
	struct tz_tm tm;
	struct tz_info in;
	int64_t nx, u;
	size_t i;
	char buf[64];

	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		tz_at(z, at[i], &in);
		tz_local(z, at[i], &tm);
		if (at[i] > -1e13 && at[i] < 1e13) {
			if (tz_next_change(z, at[i], &nx) == 0)
				tz_at(z, nx, &in);
			tz_from_local(z, at[i], &u);
			tz_rfc3339(z, at[i], buf, sizeof(buf));
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[ERRBUF_SIZE], spec[128];
	struct tz *z;
	const uint8_t *nl;
	size_t n;

	if ((z = tz_parse("fuzz", data, size, err)) != NULL) {
		probe(z);
		tz_free(z);
	}
	nl = memchr(data, '\n', size);
	n = nl != NULL ? (size_t)(nl - data) : size;
	if (n < sizeof(spec)) {
		memcpy(spec, data, n);
		spec[n] = '\0';
		if ((z = tz_from_posix(spec, err)) != NULL) {
			probe(z);
			tz_free(z);
		}
	}
	return 0;
}
