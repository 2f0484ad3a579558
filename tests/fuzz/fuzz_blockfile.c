/*
 * fuzz_blockfile.c -- libFuzzer target for the data-file parser
 * (blockfile.c) that checklists and incident kinds are read with.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/blockfile.h"
#include "base/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char errbuf[ERRBUF_SIZE];
	struct blockfile *bf;
	size_t i;

	bf = blockfile_parse("fuzz.txt", (const char *)data, size, errbuf);
	if (bf == NULL)
		return 0;
	for (i = 0; i < bf->nblocks; i++) {
		(void)blockfile_get(&bf->blocks[i], "text.en");
		(void)blockfile_get_lang(&bf->blocks[i], "text", "ja");
	}
	blockfile_free(bf);
	return 0;
}
