/*
 * wrap.h -- the one line wrapper: UTF-8 text broken into lines of at most a
 * number of terminal columns, for the report's text pages and the screens.
 * Lines break after spaces, or between two wide (CJK) characters since
 * Japanese is written without spaces, following the Japanese line-breaking
 * rules (kinsoku shori, JIS X 4051 in its simple form): no line starts with
 * closing punctuation, a small kana or the prolonged sound mark, none ends
 * with an opening bracket. A word longer than a line is cut at the edge.
 * Widths come from utf8_cpwidth() (libutf8proc). Pure, no allocation.
 */
#ifndef KYOCHO_WRAP_H
#define KYOCHO_WRAP_H

#include <stddef.h>

/* One line: bytes s[off, off + len), spaces at its end left out. */
struct wrap_span {
	size_t off;
	size_t len;
};

/*
 * Break the NUL-terminated s into lines of at most cols columns (a
 * character wider than cols gets a line of its own). Spaces at the start
 * of the second and later lines are skipped; spaces at the start of the
 * text are kept. A word that ends exactly at column cols with a space
 * after it moves to the next line (the report's pages were laid out so;
 * tests/golden depends on it). Stores the first max lines in out (out may be NULL when
 * max is 0) and returns the number of lines the whole text takes, 0 for an
 * empty string; like snprintf, a result above max means out was too short.
 * Invalid UTF-8 bytes count one column each.
 */
size_t wrap_text(const char *s, size_t cols, struct wrap_span *out,
    size_t max);

#endif
