/*
 * util.h -- allocation wrappers, fatal errors, error buffers, safe text.
 *
 * Allocation wrappers never return NULL: on exhaustion or multiplication
 * overflow they call fatal(), which first runs the registered cleanup hook
 * (the terminal shell registers one that restores the screen).
 */
#ifndef KYOCHO_UTIL_H
#define KYOCHO_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Size of every error buffer handed to a function that can fail. */
#define ERRBUF_SIZE 512

#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Abort with a message; restores the terminal first. Never returns. */
void fatal(const char *fmt, ...)
    __attribute__((noreturn, format(printf, 1, 2)));
/* Register a function fatal() calls before printing (one at a time). */
void fatal_set_cleanup(void (*fn)(void));

/* Returned memory is the caller's, released with free(). */
void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
/* Room for one more element in v, an array of n elements of size bytes
 * with room for *cap: when n == *cap, *cap doubles (from first when 0)
 * and v is reallocated. Returns v, moved or not. */
void *xgrow(void *v, size_t n, size_t *cap, size_t first, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Open path for writing, creating it mode 0600 whatever the umask, as the
 * journals are: reports and alert logs hold incident details. An existing
 * file keeps its mode. append != 0 adds at the end, else truncates.
 * Returns a close-on-exec descriptor, or -1 with errno set.
 */
int open_private(const char *path, int append);

/* Fill errbuf (ERRBUF_SIZE bytes) and return -1, for "return err_set(...)". */
int err_set(char *errbuf, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Make untrusted text safe for a terminal or a report: invalid UTF-8 becomes
 * U+FFFD, C0/C1 controls and DEL become '?' (so no escape sequence can pass),
 * and the result is cut at a character boundary to fit dstlen bytes
 * (including the NUL). Returns the length written. src need not be
 * NUL-terminated.
 */
size_t text_sanitize(char *dst, size_t dstlen, const char *src, size_t srclen);

/*
 * Decode one UTF-8 character at s (n bytes available). Stores the code point
 * and returns its length, or returns 0 for an invalid or truncated sequence
 * (overlongs, surrogates and values above U+10FFFF are invalid).
 */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);
/* 1 if s[0..n) is valid UTF-8; otherwise 0 and *bad = offset of the fault. */
int utf8_valid(const char *s, size_t n, size_t *bad);
/* Terminal columns taken by code point cp (0, 1 or 2; East Asian wide = 2;
 * marks, joiners and controls 0), from libutf8proc's Unicode tables. */
int utf8_cpwidth(uint32_t cp);
/* Remove the last UTF-8 character of the NUL-terminated s (line editing). */
void utf8_backspace(char *s);
/* Columns taken by a valid UTF-8 string of n bytes. */
size_t utf8_width(const char *s, size_t n);

/* Format microseconds since the epoch as RFC 3339 UTC, "2026-11-25T01:02:03Z"
 * (with ".ffffff" when frac is non-zero). buf needs 32 bytes. */
char *time_rfc3339(char *buf, size_t len, int64_t us, int frac);
/* Parse RFC 3339 ("2026-11-25T01:02:03Z", "...+09:00", optional fraction).
 * Returns 0 and stores microseconds since the epoch, or -1. */
int time_parse_rfc3339(const char *s, int64_t *us);
/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (m 1..12; negative before 1970). tz_civil_from_days() is the inverse. */
int64_t days_from_civil(int64_t y, int m, int d);
/* Parse an instant as the commands take it: "now", "@SECONDS" since the
 * epoch (within +-1e15, beyond any calendar arithmetic's trouble) or RFC
 * 3339. Returns 0 and stores whole seconds (rounded down), or -1. */
int time_parse_instant(const char *s, int64_t *t);

/* Parse a decimal unsigned integer with optional SI suffix (k, M, G, T;
 * powers of 1000). Returns 0 or -1 (junk, overflow). */
int parse_u64_si(const char *s, uint64_t *out);
/* Parse a whole decimal number in [min, max]. Returns 0 or -1. */
int parse_long(const char *s, long min, long max, long *out);

/* splitmix64's finalizer (Steele, Lea and Flood 2014): a 64-bit mixing
 * function for hash tables and sketches. Inline: addr_hash() uses it per
 * packet. */
static inline uint64_t
mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

/* The next number of the splitmix64 generator whose state is *s: for
 * sampling and test data, never for secrets. */
uint64_t splitmix64(uint64_t *s);

/*
 * Who is acting when no operator is configured: $LOGNAME, else $USER, else
 * the password database's name for the real uid (getpwuid(getuid())). A
 * candidate with control characters, invalid UTF-8 or over 200 bytes is
 * passed over (the operator setting's rules). Copies it into buf
 * (len bytes) and returns buf, or NULL when none gives a name.
 */
const char *login_name(char *buf, size_t len);


/*
 * The monotonic clock (CLOCK_MONOTONIC) in milliseconds and microseconds:
 * for timeouts and intervals, never for dates. Inline: the capture
 * threads read it in their loops.
 */
static inline int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline int64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

#endif
