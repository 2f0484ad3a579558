/*
 * ui.h -- drawing helpers shared by the screens: colour roles with a
 * monochrome fallback, column-exact UTF-8 text, capacity bars, sparklines,
 * a scrolling list cursor, and the translated names of alert fields.
 */
#ifndef KYOCHO_UI_H
#define KYOCHO_UI_H

#include <curses.h>
#include <stddef.h>
#include <stdint.h>

#include "detect/alert.h"
#include "case/incident.h"
#include "view.h"

/* What a piece of text means; ui_attr() maps it to colour or attributes. */
enum ui_role {
	UI_NORMAL = 0,
	UI_HEADER,	/* header and tab line background */
	UI_TITLE,	/* section titles */
	UI_KEY,		/* a key name in the footer */
	UI_SELECT,	/* the row under the cursor */
	UI_DIM,		/* secondary text */
	UI_OK,		/* green: healthy, or SYN 100-1000/s in the legend */
	UI_WARN,	/* yellow: > 70 % of capacity */
	UI_CRIT,	/* red: > 90 %, an active alert, drops */
	UI_OVER,	/* over 100 % of capacity: red, reversed, blinking */
	UI_BLUE,	/* SYN > 1000/s in the legend */
	UI_LIVE,	/* the capture state marker */
	UI_ROLE_COUNT
};

/*
 * Set up colour pairs when the terminal has colours and NO_COLOR is not
 * set (https://no-color.org); otherwise roles map to bold, reverse,
 * underline and dim. Returns 1 when colours are used.
 */
int ui_colour_init(void);
attr_t ui_attr(enum ui_role r);
/* Whether the locale's charset is UTF-8 (block and box characters). */
int ui_utf8(void);
void ui_set_utf8(int on);

/*
 * Write s at (y, x) in at most cols columns with role r, never cutting a
 * character; on a non-UTF-8 terminal non-ASCII characters show as '?'.
 * s must already be sanitised if it came from outside. Returns columns
 * written.
 */
int ui_put(WINDOW *w, int y, int x, int cols, enum ui_role r, const char *s);
/* The same, padded with spaces to exactly cols columns. */
int ui_putpad(WINDOW *w, int y, int x, int cols, enum ui_role r,
    const char *s);
/* Right-aligned in cols columns ending at x + cols. */
int ui_putr(WINDOW *w, int y, int x, int cols, enum ui_role r, const char *s);
/* printf, then ui_put. */
int ui_printf(WINDOW *w, int y, int x, int cols, enum ui_role r,
    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* A screen's status-line message: text safe for the terminal, and
 * whether it reports a failure (drawn UI_CRIT) or not (UI_OK). */
struct ui_msg {
	char text[512];
	int err;
};
/* printf into m->text through text_sanitize() (what is formatted may
 * come from files or the network), and set m->err to err. */
void ui_say(struct ui_msg *m, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Columns taken by s on screen. */
int ui_width(const char *s);

/* The role for a load of pct percent of capacity. */
enum ui_role ui_load_role(unsigned pct);
/*
 * A bar of width cols for v against cap: filled cells in the load's
 * colour, the rest dim. cap 0 draws an empty placeholder.
 */
void ui_bar(WINDOW *w, int y, int x, int cols, uint64_t v, uint64_t cap);
/*
 * A sparkline of the last cols values of series[n] (oldest first) scaled
 * against max; when cap is not 0 each cell is coloured by its load.
 */
void ui_spark(WINDOW *w, int y, int x, int cols, const uint64_t *series,
    size_t n, uint64_t max, uint64_t cap);

/* A cursor over a list of n rows shown in a window of `visible` rows. */
struct ui_list {
	int sel;	/* selected row, 0..n-1 */
	int top;	/* first row shown */
};
/* Keep sel inside [0, n) and visible. */
void ui_list_fit(struct ui_list *l, int n, int visible);
/* Up/down/j/k/PgUp/PgDn/Home/End. Returns VIEW_* flags. */
int ui_list_key(struct ui_list *l, int key, int n, int visible);

/* Cut s (sanitised, in a buffer of len bytes) in place to at most cols
 * columns, ending it with an ellipsis ("…", "~" without UTF-8) when it
 * was longer. */
void ui_fit(char *s, size_t len, int cols);

/*
 * Write s (sanitised) word-wrapped by display width in cols columns from
 * (y, x), at most maxrows rows; lines break at spaces or after a wide
 * character (Japanese has no spaces). When s needs more rows the last one
 * ends with an ellipsis (ui_fit). With w NULL nothing is drawn. Returns
 * the rows used (or needed, up to maxrows).
 */
int ui_wrap(WINDOW *w, int y, int x, int cols, int maxrows, enum ui_role r,
    const char *s);

/* Translated names for alert fields. */
const char *ui_kind(enum alert_kind k);
const char *ui_direction(enum alert_direction d);
const char *ui_spoof(enum spoof_level l);
enum ui_role ui_spoof_role(enum spoof_level l);
/* The alert names the model writes ("syn_flood", "inbound", "high"),
 * translated for the screen; the name itself when it is not one. */
const char *ui_kind_name(const char *name);
const char *ui_direction_name(const char *name);
const char *ui_spoof_name(const char *name);
/*
 * A spoofing-evidence sentence of src/detect/spoof.c (English, as alerts and
 * journals keep it) in the screen's language, into buf: the sentence is
 * matched against the catalogue's patterns (ui.c) and its numbers put
 * into the translation. A sentence no pattern knows stays in English.
 */
const char *ui_evidence(char *buf, size_t len, const char *en);
/* An incident title as an alert writes it ("syn_flood inbound ADDR")
 * with the kind and direction translated; any other title unchanged. */
const char *ui_incident_title(char *buf, size_t len, const char *title);
/* An incident action's state (proposed, taken, lifted), translated. */
const char *ui_action_state(enum action_state st);

/* An address (or "-" for none) sanitised into buf (ADDR_STRLEN bytes). */
const char *ui_addr(char *buf, size_t len, const struct addr *a);
/* "3m07s", "1h02m", "12s". buf needs 16 bytes. */
const char *ui_duration(char *buf, size_t len, int64_t us);

/* 1 if alert a matches the filter: its target or a top source address,
 * its kind (English or translated) or direction. */
int ui_alert_match(const struct alert *a, const char *filter);
/* 1 if the alert is still running. */
#define ui_alert_active(a)	((a)->end_us == 0)

/* "RU AS13238 YANDEX LLC" for a (sanitised), or "" when db is NULL or
 * knows nothing. buf needs 96 bytes or more. */
const char *ui_whois(char *buf, size_t len, const struct prefixdb *db,
    const struct addr *a);
/* Hooks between screens (views/shell.c). Show the screen named name
 * after the key being handled; while a view edits text, pass it every
 * character, non-ASCII too (on = 1) or not (on = 0). */
void ui_goto(const char *name);
void ui_text_input(int on);
/* views/incidents.c: create an incident from alert a (its evidence copied
 * in) and select it on the Incidents screen. Returns 0 or -1 (the screen
 * shows why). */
struct view_ctx;
int incidents_from_alert(const struct alert *a, const struct view_ctx *c);
/* Give each incident made from an alert in this session the alert's new
 * evidence from snap (casework_follow_snapshot: a grown peak, a route
 * change, the end); a failure goes to the Incidents screen's message
 * line. Called by the shell on each new snapshot. */
struct snapshot;
void incidents_follow(const struct snapshot *snap);

/* Empty-state line: a dim, centred message. */
void ui_empty(WINDOW *w, int y, int cols, const char *msg);

#endif
