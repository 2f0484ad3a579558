/*
 * fmt.h -- numbers and text laid out for the screens and the reports,
 * without curses: SI rates ("12.3k", "1.8 Mpps"), bit rates ("630 Mb/s"),
 * shares of a capacity, UTF-8 text cut or padded to a number of terminal
 * columns (East Asian wide characters take two), sparkline levels and the
 * filter match. Pure functions, so the views' arithmetic is tested without
 * a terminal.
 */
#ifndef KYOCHO_FMT_H
#define KYOCHO_FMT_H

#include <stddef.h>
#include <stdint.h>

/* Styles of fmt_si_unit(), or-ed. */
#define FMT_SI_ROUND3	0	/* 3 significant digits, rounded: "1.23k",
				 * "12.3k", "123k" (999.6k is "1.00M") */
#define FMT_SI_TRUNC1	1	/* one decimal, truncated: 1899999 is "1.8M";
				 * what drafts and reports have always shown */
#define FMT_SI_SPACE	2	/* a space before the prefix: "1.8 Mpps",
				 * "999 pps" (and "999 " with an empty unit) */

/*
 * The one SI formatter: v scaled by 1000s to "k", "M", "G", "T", "P" or
 * "E", then unit appended after the prefix, locale-free. style is
 * FMT_SI_ROUND3 or FMT_SI_TRUNC1, optionally | FMT_SI_SPACE. Values below
 * 1000 are printed whole. Returns buf (truncated to len as snprintf does);
 * 24 bytes plus the unit are always enough.
 */
char *fmt_si_unit(char *buf, size_t len, uint64_t v, const char *unit,
    int style);

/* v with an SI suffix in at most 5 characters: "999", "1.23k", "12.3k",
 * "123k", "1.23M" ... up to "E". buf needs 8 bytes. Returns buf. */
char *fmt_si(char *buf, size_t len, uint64_t v);

/* A bit rate: "0 b/s", "950 b/s", "12.3 kb/s", "630 Mb/s", "1.00 Gb/s".
 * buf needs 16 bytes. Returns buf. */
char *fmt_bps(char *buf, size_t len, uint64_t bps);

/* 100 * v / cap rounded down, saturating at 999; 0 when cap is 0. */
unsigned fmt_pct(uint64_t v, uint64_t cap);

/*
 * Copy the longest prefix of the UTF-8 string src that fits in cols
 * terminal columns into dst (dstlen bytes, NUL-terminated), never cutting a
 * character; with pad, append spaces up to exactly cols columns (room
 * permitting). A wide character that would straddle the edge is left out.
 * src should already be sanitised (text_sanitize). Returns the columns
 * used.
 */
size_t fmt_fit(char *dst, size_t dstlen, const char *src, size_t cols,
    int pad);

/* The same, right-aligned: spaces first, then the text. */
size_t fmt_fit_right(char *dst, size_t dstlen, const char *src, size_t cols);

/*
 * Scale v against max into 0..nlevels-1 for a sparkline cell: 0 only for
 * v == 0 (any traffic at all shows at least level 1 when nlevels > 1).
 */
int fmt_level(uint64_t v, uint64_t max, int nlevels);

/* Largest of n values (0 for n == 0). */
uint64_t fmt_max(const uint64_t *v, size_t n);

/* 1 if needle occurs in hay, ASCII letters compared without case; an empty
 * or NULL needle matches everything. */
int fmt_match(const char *hay, const char *needle);

#endif
