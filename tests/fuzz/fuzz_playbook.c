/*
 * fuzz_playbook.c -- libFuzzer target for the playbook parser
 * (case/playbook.c): parse, read every proposal, and rewrite the approval
 * lines (the result must parse again, or the rewrite is refused).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "case/playbook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char errbuf[ERRBUF_SIZE], *out;
	struct playbook *pb;
	size_t i, len;

	pb = playbook_parse("fuzz.txt", (const char *)data, size, errbuf);
	if (pb == NULL)
		return 0;
	for (i = 0; i < pb->nans; i++) {
		(void)playbook_answer_for(pb, pb->ans[i].question);
		(void)playbook_reason(&pb->ans[i], "ja");
	}
	(void)playbook_approved(pb);
	(void)playbook_applies(pb, "spoofed");
	out = playbook_approve_text("fuzz.txt", (const char *)data, size,
	    "Legal 法務", "2026-11-20", &len, errbuf);
	if (out != NULL) {
		struct playbook *again = playbook_parse("fuzz.txt", out, len,
		    errbuf);

		if (again == NULL || !playbook_approved(again))
			abort();
		playbook_free(again);
		free(out);
	}
	playbook_free(pb);
	return 0;
}
