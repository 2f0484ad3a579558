/*
 * fuzz_prefiximg.c -- libFuzzer target for the prefix image reader
 * (src/enrich/prefix.c, "Image"; man/kyocho-prefixes.5): an image is a file on
 * disk and is read in place, so the checks on open and at each lookup
 * must hold against any bytes. The first byte chooses whether the header
 * checksums are recomputed first (prefix_image_reseal), so that the
 * fuzzer gets past the header's hash to the section checks behind it;
 * the rest is the image. After a successful open, lookups over addresses
 * taken from the input, an override merged on top (the coverage measure
 * from the image's stored figures), and the full check.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/addr.h"
#include "enrich/prefix.h"
#include "base/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What an image gives must be as safe for a terminal as what the CSV
 * parser gives: no C0 or C1 control, no DEL, a country of two letters. */
static void
check(const struct prefix_info *info)
{
	const unsigned char *s = (const unsigned char *)info->as_org;
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (s[i] < 0x20 || s[i] == 0x7f ||
		    (s[i] == 0xc2 && s[i + 1] >= 0x80 && s[i + 1] < 0xa0))
			abort();
	if (info->country[0] != '\0' && (info->country[0] < 'A' ||
	    info->country[0] > 'Z' || info->country[1] < 'A' ||
	    info->country[1] > 'Z'))
		abort();
}

static void
lookups(const struct prefixdb *db, const uint8_t *data, size_t size)
{
	struct prefix_info info;
	struct addr a;
	size_t i;

	for (i = 0; i + 16 <= size && i < 512; i += 16) {
		memset(&a, 0, sizeof(a));
		addr_from_v4(&a, (uint32_t)data[i] << 24 |
		    (uint32_t)data[i + 1] << 16 | (uint32_t)data[i + 2] << 8 |
		    data[i + 3]);
		prefix_lookup(db, &a, &info);
		check(&info);
		(void)prefix_routed(db, &a);
		a.family = 6;
		memcpy(a.b, data + i, 16);
		prefix_lookup(db, &a, &info);
		check(&info);
		(void)prefix_routed(db, &a);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char ovr[] = "192.0.2.0/24 64500 JP Ours\n"
	    "10.0.0.0/8 - - Private\n2001:db8::/32 64501 - Doc\n";
	struct prefixdb *db;
	struct prefix_stats st;
	char err[ERRBUF_SIZE];
	uint8_t *img;
	size_t len;

	if (size < 1)
		return 0;
	len = size - 1;
	/* In place, as a mapping would be: exactly len bytes readable (ASan
	 * sees a read past them), aligned as malloc aligns (16). */
	img = malloc(len > 0 ? len : 1);
	if (img == NULL)
		return 0;
	memcpy(img, data + 1, len);
	if (data[0] & 1)
		prefix_image_reseal(img, len);
	db = prefix_db_new();
	if (prefix_image_attach(db, img, len, err) == 0) {
		lookups(db, data, size);
		prefix_stats(db, &st);
		if (prefix_parse_overrides(db, (const uint8_t *)ovr,
		    sizeof(ovr) - 1, "fuzz", err) > 0)
			lookups(db, data, size);
		(void)prefix_image_check_body(img, len, err);
	}
	prefix_db_free(db);
	free(img);
	return 0;
}
