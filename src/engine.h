/*
 * engine.h -- the capture and analysis pipeline, off the UI thread.
 *
 * Reader threads (one per source: a live interface, a capture file replayed
 * at its own pace, or a telemetry collector) decode frames into struct pkt
 * and push them into a single-producer ring each; one analysis thread drains
 * the rings into statistics and detection, and once per second of capture
 * time publishes a struct snapshot. Nothing here ever waits for the screen.
 */
#ifndef KYOCHO_ENGINE_H
#define KYOCHO_ENGINE_H

#include <stddef.h>

#include "config.h"
#include "snapshot.h"

struct analysis;

struct engine;

/*
 * Open every source named in o (-i, -r, --link). Live handles are opened
 * here, so a caller can drop privileges right after. Returns NULL with
 * errbuf naming the source that failed.
 */
struct engine *engine_new(const struct options *o, char *errbuf);
/* Start the threads. Returns 0 or -1. */
int engine_start(struct engine *e, char *errbuf);
/* Stop and join the threads (idempotent). */
void engine_stop(struct engine *e);
void engine_free(struct engine *e);

/*
 * Take the newest published snapshot: NULL when none was published since
 * the last call (keep drawing the previous one). The caller owns it
 * (snapshot_free). Never blocks on capture: the mutex is held only for the
 * pointer swap.
 */
struct snapshot *engine_snapshot(struct engine *e);
/* Build and publish snapshots (off by default: `summary` needs none). Call
 * before engine_start(). */
void engine_set_publish(struct engine *e, int on);
/* Wait until every source is finished (files read to the end). */
void engine_wait(struct engine *e);
/* The analysis, for reading results after engine_wait(). */
struct analysis *engine_analysis(struct engine *e);
/* The prefix data in use (NULL when none was found); read-only. */
struct prefixdb;
const struct prefixdb *engine_prefixdb(const struct engine *e);
/* The first source error ("FILE: truncated dump file ..."), or NULL. */
const char *engine_error(struct engine *e);
size_t engine_nsources(const struct engine *e);
const char *engine_source_name(const struct engine *e, size_t i);
int engine_source_linktype(const struct engine *e, size_t i);

/* A file descriptor that becomes readable when a new snapshot is published
 * (for poll() in the main loop); read it empty with engine_ack(). */
int engine_fd(const struct engine *e);
void engine_ack(struct engine *e);

#endif
