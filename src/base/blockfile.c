/*
 * blockfile.c -- parser for the block/property line format of kyocho's
 * data files. See blockfile.h. Input is hostile (operators edit it, and it
 * may come from elsewhere): bounded reads, UTF-8 validated, no control
 * characters but tab, limits on line length and counts.
 */
#include "base/blockfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

#define BF_LINE_MAX	4096
#define BF_FILE_MAX	(4u << 20)
#define BF_BLOCKS_MAX	4096
#define BF_PROPS_MAX	256

static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' ||
	    (*s)[*n - 1] == '\r'))
		(*n)--;
}

static int
is_word(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
			return 0;
	}
	return 1;
}

struct blockfile *
blockfile_parse(const char *path, const char *p, size_t len, char *errbuf)
{
	struct blockfile *bf = xcalloc(1, sizeof(*bf));
	size_t off = 0;
	unsigned lineno = 0;

	bf->path = xstrdup(path);
	if (len > BF_FILE_MAX) {
		err_set(errbuf, "%s: larger than %u bytes", path, BF_FILE_MAX);
		goto fail;
	}
	while (off < len) {
		const char *nl = memchr(p + off, '\n', len - off);
		const char *s = p + off;
		size_t n = nl != NULL ? (size_t)(nl - s) : len - off, bad, i;
		int indented;

		off += n + (nl != NULL);
		lineno++;
		if (n > BF_LINE_MAX) {
			err_set(errbuf, "%s:%u: line longer than %d bytes", path,
			    lineno, BF_LINE_MAX);
			goto fail;
		}
		if (!utf8_valid(s, n, &bad)) {
			err_set(errbuf, "%s:%u: invalid UTF-8 at byte %zu", path,
			    lineno, bad + 1);
			goto fail;
		}
		for (i = 0; i < n; i++)
			if (((unsigned char)s[i] < 0x20 && s[i] != '\t' &&
			    s[i] != '\r') || s[i] == 0x7f) {
				err_set(errbuf, "%s:%u: control character at byte "
				    "%zu", path, lineno, i + 1);
				goto fail;
			}
		indented = n > 0 && (s[0] == ' ' || s[0] == '\t');
		trim(&s, &n);
		if (n == 0 || s[0] == '#')
			continue;
		if (!indented) {
			struct blockfile_block *b;
			const char *sp = memchr(s, ' ', n);
			size_t wl = sp != NULL ? (size_t)(sp - s) : n;
			const char *a = s + wl;
			size_t al = n - wl;

			trim(&a, &al);
			if (!is_word(s, wl) || (al > 0 && !is_word(a, al))) {
				err_set(errbuf, "%s:%u: expected 'WORD NAME' to open "
				    "a block (names are letters, digits, '-', '_', "
				    "'.'); property lines are indented", path, lineno);
				goto fail;
			}
			if (bf->nblocks == BF_BLOCKS_MAX) {
				err_set(errbuf, "%s:%u: more than %d blocks", path,
				    lineno, BF_BLOCKS_MAX);
				goto fail;
			}
			bf->blocks = xreallocarray(bf->blocks, bf->nblocks + 1,
			    sizeof(*bf->blocks));
			b = &bf->blocks[bf->nblocks++];
			memset(b, 0, sizeof(*b));
			b->word = xstrndup(s, wl);
			b->arg = xstrndup(a, al);
			b->line = lineno;
		} else {
			struct blockfile_block *b;
			struct blockfile_prop *pr;
			const char *eq = memchr(s, '=', n), *k = s, *v;
			size_t kl, vl;

			if (bf->nblocks == 0) {
				err_set(errbuf, "%s:%u: property before any block",
				    path, lineno);
				goto fail;
			}
			if (eq == NULL) {
				err_set(errbuf, "%s:%u: expected 'key = value'", path,
				    lineno);
				goto fail;
			}
			kl = (size_t)(eq - s);
			v = eq + 1;
			vl = n - kl - 1;
			trim(&k, &kl);
			trim(&v, &vl);
			if (!is_word(k, kl)) {
				err_set(errbuf, "%s:%u: bad key before '='", path,
				    lineno);
				goto fail;
			}
			b = &bf->blocks[bf->nblocks - 1];
			if (b->nprops == BF_PROPS_MAX) {
				err_set(errbuf, "%s:%u: more than %d properties in "
				    "one block", path, lineno, BF_PROPS_MAX);
				goto fail;
			}
			for (i = 0; i < b->nprops; i++)
				if (strlen(b->props[i].key) == kl &&
				    memcmp(b->props[i].key, k, kl) == 0) {
					err_set(errbuf, "%s:%u: '%.*s' given twice "
					    "(first on line %u)", path, lineno,
					    (int)kl, k, b->props[i].line);
					goto fail;
				}
			b->props = xreallocarray(b->props, b->nprops + 1,
			    sizeof(*b->props));
			pr = &b->props[b->nprops++];
			pr->key = xstrndup(k, kl);
			pr->value = xstrndup(v, vl);
			pr->line = lineno;
		}
	}
	return bf;
fail:
	blockfile_free(bf);
	return NULL;
}

struct blockfile *
blockfile_load(const char *path, char *errbuf)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;
	struct blockfile *bf;

	if (f == NULL) {
		err_set(errbuf, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = xmalloc(BF_FILE_MAX + 1);
	n = fread(buf, 1, BF_FILE_MAX + 1, f);
	if (ferror(f)) {
		err_set(errbuf, "%s: read error", path);
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	bf = blockfile_parse(path, buf, n, errbuf);
	free(buf);
	return bf;
}

void
blockfile_free(struct blockfile *bf)
{
	size_t i, j;

	if (bf == NULL)
		return;
	for (i = 0; i < bf->nblocks; i++) {
		for (j = 0; j < bf->blocks[i].nprops; j++) {
			free(bf->blocks[i].props[j].key);
			free(bf->blocks[i].props[j].value);
		}
		free(bf->blocks[i].props);
		free(bf->blocks[i].word);
		free(bf->blocks[i].arg);
	}
	free(bf->blocks);
	free(bf->path);
	free(bf);
}

const char *
blockfile_get(const struct blockfile_block *b, const char *key)
{
	size_t i;

	for (i = 0; i < b->nprops; i++)
		if (strcmp(b->props[i].key, key) == 0)
			return b->props[i].value;
	return NULL;
}

const char *
blockfile_get_lang(const struct blockfile_block *b, const char *key,
    const char *lang)
{
	char k[128];
	const char *v;

	snprintf(k, sizeof(k), "%s.%s", key, lang != NULL ? lang : "en");
	if ((v = blockfile_get(b, k)) != NULL)
		return v;
	snprintf(k, sizeof(k), "%s.en", key);
	if ((v = blockfile_get(b, k)) != NULL)
		return v;
	return blockfile_get(b, key);
}
