/*
 * journal.h -- append-only JSON Lines journals (RFC 8259 values, one per
 * line), safe against crashes and against other processes.
 *
 * Every event is one line {"seq":N,...}\n, written with a single write()
 * while holding an exclusive flock() on the journal, then fsync()ed before
 * the append returns: when journal_append() returns 0 the event is on disk.
 * The sequence number is assigned under the lock (one more than the largest
 * in the file), so two processes appending to one journal interleave whole
 * lines with distinct, increasing numbers. A journal is created whole:
 * written to a temporary file, fsynced, then link()ed to its name, which
 * fails if the name is taken, so ids are unique across processes and no
 * empty or half-written journal is ever visible.
 *
 * A crash can leave a torn last line (no newline). Replay reports and skips
 * it; the next append moves its bytes to FILE.torn (kept for a person to
 * look at) and cuts the journal back to its last whole line. Any other
 * damage (an unparsable line in the middle, a missing sequence number) is
 * reported with FILE:LINE and never silently dropped.
 * Schema of the events: man/kyocho-journal.5.
 */
#ifndef KYOCHO_JOURNAL_H
#define KYOCHO_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "base/json.h"

#define JOURNAL_LINE_MAX	(64u * 1024)	/* bytes in one event line */
#define JOURNAL_FILE_MAX	(64u << 20)	/* bytes in one journal */
/* The largest sequence number: what a JSON integer holds here (int64). An
 * append after it is refused; replay takes it as the last possible event. */
#define JOURNAL_SEQ_MAX		INT64_MAX

enum journal_diag_kind {
	JDIAG_TORN = 0,		/* torn last line, skipped */
	JDIAG_DAMAGE,		/* an unreadable line, skipped */
	JDIAG_SEQ,		/* a gap or repeat in the numbering (kept) */
	JDIAG_FILE,		/* the whole file could not be read */
	JDIAG_NOTE,		/* something a person should know (.torn) */
};

struct journal_diag {
	enum journal_diag_kind kind;
	char *file;		/* path */
	unsigned line;		/* 1-based; 0 for the whole file */
	char *msg;		/* "FILE:LINE: what" ready to show (sanitized) */
};

struct journal_diags {
	struct journal_diag *v;
	size_t n;
};

/*
 * Create the journal at path holding one first event made of the JSON
 * object members in members[0..len) (text such as "\"type\":\"created\"";
 * the journal prepends "seq":1). Returns 0, 1 if path already exists
 * (pick another name), or -1 with errbuf filled.
 */
int journal_create(const char *path, const char *members, size_t len,
    char *errbuf);

/*
 * Append one event (members as for journal_create) to the existing
 * journal at path, under an exclusive lock, fsynced before returning.
 * Stores the assigned sequence number in *seq (may be NULL). Returns 0 or
 * -1 with errbuf filled (nothing was added then); -1 also when the last
 * event already has JOURNAL_SEQ_MAX (the numbers are used up).
 */
int journal_append(const char *path, const char *members, size_t len,
    uint64_t *seq, char *errbuf);

/*
 * Replay the journal at path: fn is called once per good event, in file
 * order, with the parsed line (owned by the replay, valid during the call)
 * and its 1-based line number. Problems are added to d. Returns the number
 * of events delivered, or -1 if the file could not be read at all (also
 * reported in d).
 */
long journal_replay(const char *path,
    void (*fn)(void *ctx, const struct json *ev, unsigned line), void *ctx,
    struct journal_diags *d);

/* The same over a journal's bytes already in memory (path names it in
 * diagnostics). For tests and the fuzzer. */
long journal_replay_buf(const char *path, const char *buf, size_t len,
    void (*fn)(void *ctx, const struct json *ev, unsigned line), void *ctx,
    struct journal_diags *d);

/* Add a diagnostic (printf-style message, prefixed with FILE:LINE). */
void journal_diag_add(struct journal_diags *d, enum journal_diag_kind kind,
    const char *file, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void journal_diags_free(struct journal_diags *d);

#endif
