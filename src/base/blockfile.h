/*
 * blockfile.h -- the line format shared by kyocho's data files (incident
 * kinds, checklists): UTF-8 text, '#' comments and blank lines ignored;
 * a line starting at column 0 opens a block ("checklist block"), indented
 * "key = value" lines give the block's properties. See
 * man/kyocho-checklist.5 for the full description.
 */
#ifndef KYOCHO_BLOCKFILE_H
#define KYOCHO_BLOCKFILE_H

#include <stddef.h>

struct blockfile_prop {
	char *key;
	char *value;
	unsigned line;
};

struct blockfile_block {
	char *word;		/* "question" */
	char *arg;		/* "consent" (may be "") */
	unsigned line;
	struct blockfile_prop *props;
	size_t nprops;
};

struct blockfile {
	char *path;
	struct blockfile_block *blocks;
	size_t nblocks;
};

/*
 * Parse p[0..len) read from path (named in errors). Returns a new
 * blockfile (free with blockfile_free) or NULL with errbuf reading
 * "FILE:LINE: what is wrong".
 */
struct blockfile *blockfile_parse(const char *path, const char *p, size_t len,
    char *errbuf);
/* Read and parse a file. */
struct blockfile *blockfile_load(const char *path, char *errbuf);
void blockfile_free(struct blockfile *bf);

/* The value of key in block b, or NULL. */
const char *blockfile_get(const struct blockfile_block *b, const char *key);
/* The value of "key.lang", falling back to "key.en", then "key". */
const char *blockfile_get_lang(const struct blockfile_block *b,
    const char *key, const char *lang);

#endif
