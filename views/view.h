/*
 * view.h -- what a screen is to the shell (views/shell.c).
 *
 * Each screen lives in its own views/NAME.c, keeps its state static there,
 * and exports one constant `const struct view view_NAME`. The shell owns the
 * terminal, the main loop and the one paint per frame: a view only draws
 * into the body window it is handed and answers keys with VIEW_* flags (as
 * htop's Panel handlers do); it never calls doupdate() or refresh().
 *
 * Adding a screen: write views/NAME.c, declare it below, and add one line
 * to the screens[] table in views/shell.c (its position is its number key).
 */
#ifndef KYOCHO_VIEW_H
#define KYOCHO_VIEW_H

#include <curses.h>
#include <stddef.h>

#include "settings/config.h"
#include "detect/snapshot.h"

/* Flags returned by view key handlers. */
#define VIEW_UNHANDLED	0x0
#define VIEW_HANDLED	0x1	/* the key was the view's */
#define VIEW_REDRAW	0x2	/* paint again */
#define VIEW_CLOSE	0x4	/* leave this screen (back to the previous) */

/* Key codes for entries that stand for several keys (for help only). */
#define VKEY_UPDOWN	-1
#define VKEY_PAGE	-2
#define VKEY_DIGITS	-3
#define VKEY_HOMEEND	-4

struct view_key {
	int key;		/* a curses key, a character, or VKEY_* */
	const char *label;	/* how it is written: "Enter", "↑↓" */
	const char *brief;	/* N_() one or two words for the footer */
	const char *help;	/* N_() a sentence for the ? overlay */
};

struct casework;
struct prefixdb;

/* What the shell hands a view for drawing and for keys. */
struct view_ctx {
	const struct snapshot *snap;	/* NULL before the first one */
	const struct options *opt;
	const struct prefixdb *prefixes; /* AS and country data, or NULL */
	struct casework *cw;		/* the incidents, kinds, checklists and
					 * contacts (casework.h), the shell's */
	const char *filter;		/* "" when none */
	int utf8;			/* the terminal shows UTF-8 */
	int colour;			/* colours are in use */
	int paused;
	int is_char;			/* key: a character, not a KEY_* code */
};

struct view {
	const char *name;		/* "overview": stable, for tests */
	const char *title;		/* N_("Overview") */
	const struct view_key *keys;	/* the view's keys, ends with {0} */
	/* The keys that work right now (a view with modes, such as the
	 * alert detail, returns another table). NULL: always .keys. */
	const struct view_key *(*current_keys)(void);
	/* Draw into w (rows x cols, already erased). */
	void (*draw)(WINDOW *w, int rows, int cols, const struct view_ctx *c);
	/* Handle one key (a curses key code or a character). */
	int (*key)(int key, const struct view_ctx *c);
	/* The body changed size. May be NULL. */
	void (*resize)(int rows, int cols);
	/* Rows in the filtered list, for the tab line ("Alerts 3"); -1 for
	 * none. May be NULL. */
	int (*count)(const struct view_ctx *c);
	/* Read the files the screen needs from the data directory (contacts,
	 * checklists, ...) through the shell's casework. The shell calls it
	 * before it gives up root (-Z), when those files may be out of the
	 * unprivileged user's reach; otherwise the screen reads them the
	 * first time it is shown. May be NULL. */
	void (*open)(struct casework *cw, const struct options *opt);
};

extern const struct view view_overview;
extern const struct view view_alerts;
extern const struct view view_targets;
extern const struct view view_sources;
extern const struct view view_contacts;
extern const struct view view_incidents;

#endif
