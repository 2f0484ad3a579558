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

#include "config.h"
#include "snapshot.h"

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
 * The newest published snapshot, or NULL before the first. The caller owns
 * the copy (snapshot_free). Never blocks on capture: it takes a mutex held
 * only for the pointer swap.
 */
struct snapshot *engine_snapshot(struct engine *e);

/* A file descriptor that becomes readable when a new snapshot is published
 * (for poll() in the main loop); read it empty with engine_ack(). */
int engine_fd(const struct engine *e);
void engine_ack(struct engine *e);

#endif
