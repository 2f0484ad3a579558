/*
 * fuzz_json.c -- libFuzzer target for the JSON parser (json.c): any input
 * must parse or fail cleanly, and a parsed tree must survive the accessors.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/json.h"
#include "base/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
walk(const struct json *j, unsigned depth)
{
	size_t i;

	if (depth > JSON_MAX_DEPTH + 1)
		fatal("fuzz_json: tree deeper than the limit");
	for (i = 0; i < json_len(j); i++)
		walk(json_at(j, i), depth + 1);
	(void)json_gets(j, "type", NULL);
	(void)json_geti(j, "seq", 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char errbuf[ERRBUF_SIZE];
	size_t off = 0;
	struct json *j;

	j = json_parse((const char *)data, size, 0, &off, errbuf);
	if (j == NULL) {
		if (off > size)
			fatal("fuzz_json: error offset %zu past %zu", off, size);
		return 0;
	}
	walk(j, 0);
	json_free(j);
	return 0;
}
