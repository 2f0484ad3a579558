/*
 * shell.c -- the terminal application: curses set-up, the main loop, the
 * header, tab line and footer, the help overlay and the filter prompt.
 *
 * One thread: poll() waits on the keyboard and on the engine's "new
 * snapshot" descriptor, with a timeout at the next wall-clock second (so
 * the clocks tick and an idle terminal costs nothing). The newest snapshot
 * is fetched only when a frame is painted, and frames are at most
 * PAINT_MIN_MS apart however fast a replay runs. Every frame is built in
 * the windows and sent to the terminal with one doupdate().
 *
 * Screens are the views in screens[]; their position is their number key.
 */
#include "shell.h"

#include <curses.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "settings/args.h"
#include "casework/casework.h"
#include "settings/config.h"
#include "engine/engine.h"
#include "base/fmt.h"
#include "i18n.h"
#include "engine/names.h"
#include "detect/snapshot.h"
#include "time/tz.h"
#include "ui.h"
#include "base/util.h"
#include "view.h"

/* The screens, in number-key order. Add a screen with one line here. */
static const struct view *const screens[] = {
	&view_overview,
	&view_alerts,
	&view_targets,
	&view_sources,
	&view_contacts,
	&view_incidents,
};
#define NSCREENS	((int)NITEMS(screens))

#define FILTER_LEN	64
#define PAINT_MIN_MS	100	/* at most ten frames a second */
#define STATUS_MS	4000	/* how long a status message stays */
#define MIN_COLS	30
#define MIN_ROWS	6

#define CTRL(c)		((c) & 0x1f)
#define KEY_ESC		27

static const struct view_key global_keys[] = {
	{ VKEY_DIGITS, "1-9", N_("screen"),
	  N_("show the screen with that number (see the tab line)") },
	{ '\t', "Tab", N_("next"), N_("next screen") },
	{ KEY_BTAB, "S-Tab", N_("previous"), N_("previous screen") },
	{ '/', "/", N_("filter"),
	  N_("filter this screen's list by address, kind or label "
	     "(Enter applies, Esc clears)") },
	{ 'p', "p", N_("pause"),
	  N_("freeze the display; capture goes on (p again resumes)") },
	{ CTRL('L'), "^L", N_("repaint"), N_("repaint the whole terminal") },
	{ '?', "?", N_("help"), N_("this help; any key closes it") },
	{ 'q', "q", N_("quit"), N_("quit kyocho") },
	{ 0, NULL, NULL, NULL }
};

struct shell {
	struct engine *eng;
	const struct options *opt;
	const struct prefixdb *prefixes; /* the engine's; NULL without data */
	struct casework *cw;		/* incidents, kinds, checklists and
					 * contacts, for screens 5 and 6 */
	struct snapshot *latest;	/* newest fetched */
	struct snapshot *frozen;	/* shown while paused */
	int fresh;			/* a newer one is waiting */
	int cur, prev;
	int paused, help, prompting, quit;
	char filter[NSCREENS][FILTER_LEN];
	char edit[FILTER_LEN];
	char status[ERRBUF_SIZE];
	int64_t status_until;
	int64_t last_paint;
	WINDOW *hdr, *tabs, *body, *ftr;
	int rows, cols, small;
	int colour;
};

static volatile sig_atomic_t got_signal;
static int curses_on;
static const char *goto_name;	/* ui_goto(): the screen to show next */
static int text_input;		/* ui_text_input() */

void
ui_goto(const char *name)
{
	goto_name = name;
}

void
ui_text_input(int on)
{
	text_input = on;
}

static void
on_signal(int sig)
{
	got_signal = sig;
}

static void
restore_terminal(void)
{
	if (curses_on && !isendwin())
		endwin();
	curses_on = 0;
}

static const struct snapshot *
shown(const struct shell *sh)
{
	return sh->paused ? sh->frozen : sh->latest;
}

static void
status_set(struct shell *sh, const char *msg)
{
	snprintf(sh->status, sizeof(sh->status), "%s", msg);
	sh->status_until = mono_ms() + STATUS_MS;
}

static void
make_ctx(const struct shell *sh, struct view_ctx *c)
{
	memset(c, 0, sizeof(*c));
	c->snap = shown(sh);
	c->opt = sh->opt;
	c->prefixes = sh->prefixes;
	c->cw = sh->cw;
	c->filter = sh->filter[sh->cur];
	c->utf8 = ui_utf8();
	c->colour = sh->colour;
	c->paused = sh->paused;
}

static const struct view_key *
view_keys(const struct view *v)
{
	return v->current_keys != NULL ? v->current_keys() : v->keys;
}

/* ---- layout ---------------------------------------------------------- */

static void
del_windows(struct shell *sh)
{
	WINDOW **w[] = { &sh->hdr, &sh->tabs, &sh->body, &sh->ftr };
	size_t i;

	for (i = 0; i < NITEMS(w); i++) {
		if (*w[i] != NULL)
			delwin(*w[i]);
		*w[i] = NULL;
	}
}

static void
layout(struct shell *sh)
{
	int i;

	del_windows(sh);
	getmaxyx(stdscr, sh->rows, sh->cols);
	sh->small = sh->rows < MIN_ROWS || sh->cols < MIN_COLS;
	if (sh->small) {
		sh->body = newwin(sh->rows, sh->cols, 0, 0);
	} else {
		sh->hdr = newwin(1, sh->cols, 0, 0);
		sh->tabs = newwin(1, sh->cols, 1, 0);
		sh->body = newwin(sh->rows - 3, sh->cols, 2, 0);
		sh->ftr = newwin(1, sh->cols, sh->rows - 1, 0);
		for (i = 0; i < NSCREENS; i++)
			if (screens[i]->resize != NULL)
				screens[i]->resize(sh->rows - 3, sh->cols);
	}
	if (sh->body == NULL)
		fatal("cannot make a %dx%d window", sh->cols, sh->rows);
	clearok(curscr, TRUE);	/* repaint everything: no garbage left */
}

/* ---- header, tabs, footer -------------------------------------------- */

static uint64_t
total_drops(const struct snapshot *s)
{
	uint64_t d = 0;
	size_t i;

	for (i = 0; s != NULL && i < s->nlinks; i++)
		d += s->links[i].kernel_drops + s->links[i].if_drops;
	return d;
}

/* The operator's zone: our-zone from the settings, else $TZ or
 * /etc/localtime (src/time/tz.c); NULL falls back to localtime_r. */
static const struct tz *
operator_zone(const struct options *o)
{
	char errbuf[ERRBUF_SIZE];
	const struct tz *z = NULL;

	if (o->our_zone != NULL && *o->our_zone != '\0')
		z = tz_get(o->our_zone, errbuf);
	return z != NULL ? z : tz_local_zone();
}

/* The clocks in the longest of three forms that fits in room columns:
 * "UTC 01:02:03  JST 10:02:03 ", "UTC 01:02 JST 10:02 ", "UTC 01:02 ".
 * When our zone is UTC itself right now (offset 0 and named "UTC"), one
 * clock says it all: "UTC 01:02:03 ". A zone at offset 0 under another
 * name (GMT in London's winter) keeps its own clock: it is not UTC. */
static void
clocks(const struct options *o, char *buf, size_t len, int room)
{
	char utc[16], loc[16], zone[TZ_ABBR_MAX + 16], us[8], ls[8], raw[32];
	time_t t = time(NULL);
	const struct tz *z = operator_zone(o);
	struct tz_tm lt;
	struct tm tu, tl;
	long off;

	gmtime_r(&t, &tu);
	strftime(utc, sizeof(utc), "%H:%M:%S", &tu);
	strftime(us, sizeof(us), "%H:%M", &tu);
	if (z != NULL && tz_local(z, (int64_t)t, &lt) == 0) {
		snprintf(loc, sizeof(loc), "%02d:%02d:%02d", lt.hour, lt.min,
		    lt.sec);
		snprintf(ls, sizeof(ls), "%02d:%02d", lt.hour, lt.min);
		snprintf(raw, sizeof(raw), "%s", lt.info.abbr);
		off = lt.info.utc_offset_s;
	} else {
		localtime_r(&t, &tl);
		strftime(loc, sizeof(loc), "%H:%M:%S", &tl);
		strftime(ls, sizeof(ls), "%H:%M", &tl);
		strftime(raw, sizeof(raw), "%Z", &tl);
		off = tl.tm_gmtoff;
	}
	text_sanitize(zone, sizeof(zone), raw, strlen(raw));
	if (off == 0 && strcmp(zone, "UTC") == 0) {
		snprintf(buf, len, "UTC %s ", utc);
		if (ui_width(buf) <= room)
			return;
	} else {
		snprintf(buf, len, "UTC %s  %s %s ", utc, zone, loc);
		if (ui_width(buf) <= room)
			return;
		snprintf(buf, len, "UTC %s %s %s ", us, zone, ls);
		if (ui_width(buf) <= room)
			return;
	}
	snprintf(buf, len, "UTC %s ", us);
	if (ui_width(buf) <= room)
		return;
	buf[0] = '\0';
}

static void
draw_header(struct shell *sh)
{
	const struct snapshot *s = shown(sh);
	WINDOW *w = sh->hdr;
	char state[128], drops_s[64], rate[128], a[16], b[24], clk[128];
	enum ui_role r;
	int x = 0, cw, room, essential;
	uint64_t drops = total_drops(s);

	wbkgdset(w, ' ' | ui_attr(UI_HEADER));
	werase(w);
	if (sh->paused) {
		snprintf(state, sizeof(state), " %s ", _("PAUSED"));
		r = UI_WARN;
	} else if (s == NULL && sh->opt->nread == 0) {
		/* no second closed yet: say what we are doing from the options */
		snprintf(state, sizeof(state), " %s ", _("LIVE"));
		r = UI_OVER;
	} else if (s == NULL) {
		snprintf(state, sizeof(state), " %s ", _("STARTING"));
		r = UI_HEADER;
	} else if (s->finished) {
		snprintf(state, sizeof(state), " %s ", _("FINISHED"));
		r = UI_HEADER;
	} else if (s->replay) {
		if (sh->opt->speed > 0)
			snprintf(state, sizeof(state), " %s x%g ", _("REPLAY"),
			    sh->opt->speed);
		else
			snprintf(state, sizeof(state), " %s %s ", _("REPLAY"),
			    _("max"));
		r = UI_KEY;
	} else {
		snprintf(state, sizeof(state), " %s ", _("LIVE"));
		r = UI_OVER;	/* red marker: this is real traffic */
	}
	/* Kernel drops are never pushed off the line: the clocks shrink
	 * first, then the rate is cut. */
	snprintf(drops_s, sizeof(drops_s), " %s %llu ", _("drops"),
	    (unsigned long long)drops);
	essential = 8 + ui_width(state) + 1 + ui_width(drops_s);
	clocks(sh->opt, clk, sizeof(clk), sh->cols - essential - 1);
	cw = ui_width(clk);
	room = sh->cols - cw - (cw > 0 ? 1 : 0);
	x += ui_put(w, 0, x, room - x, UI_HEADER, " kyocho ");
	x += ui_put(w, 0, x, room - x, r, state);
	x += ui_put(w, 0, x, room - x, UI_HEADER, " ");
	x += ui_put(w, 0, x, room - x, drops > 0 ? UI_OVER : UI_HEADER, drops_s);
	if (s != NULL) {
		snprintf(rate, sizeof(rate), "  %s %s  %s ",
		    fmt_si(a, sizeof(a), s->second.packets), _("pps"),
		    fmt_bps(b, sizeof(b), s->second.bytes * 8));
		ui_put(w, 0, x, room - x, UI_HEADER, rate);
	}
	if (cw > 0)
		ui_put(w, 0, sh->cols - cw, cw, UI_HEADER, clk);
}

/* One tab's text in form f: 0 " 3 Targets (12) " with a space after it,
 * 1 the same without the space, 2 the number only (and the count) for the
 * tabs that are not current. */
static int
tab_text(const struct shell *sh, const struct view_ctx *c, int i, int f,
    char *buf, size_t len)
{
	int n = screens[i]->count != NULL ? screens[i]->count(c) : -1;

	if (f == 2 && i != sh->cur) {
		if (n >= 0)
			snprintf(buf, len, " %d (%d) ", i + 1, n);
		else
			snprintf(buf, len, " %d ", i + 1);
	} else if (n >= 0 && i != sh->cur)
		snprintf(buf, len, " %d %s (%d) ", i + 1, _(screens[i]->title),
		    n);
	else
		snprintf(buf, len, " %d %s ", i + 1, _(screens[i]->title));
	return ui_width(buf) + (f == 0 ? 1 : 0);
}

/* The tab line in the first form that fits whole (tab_text), so no title
 * or count is ever cut; only when even the numbers do not fit is the line
 * cut at the right. */
static void
draw_tabs(struct shell *sh)
{
	struct view_ctx c;
	WINDOW *w = sh->tabs;
	char buf[128], fbuf[128];
	int i, f, x = 0, need, fw = 0, room = sh->cols;

	make_ctx(sh, &c);
	werase(w);
	/* The filter keeps its place at the right; the tabs give way. */
	if (sh->filter[sh->cur][0] != '\0' && !sh->prompting) {
		snprintf(fbuf, sizeof(fbuf), " %s: %s ", _("filter"),
		    sh->filter[sh->cur]);
		fw = ui_width(fbuf);
		if (fw > sh->cols / 2)
			fw = sh->cols / 2;
		room = sh->cols - fw;
	}
	for (f = 0; f < 2; f++) {
		for (i = 0, need = 0; i < NSCREENS; i++)
			need += tab_text(sh, &c, i, f, buf, sizeof(buf));
		if (need - (f == 0 ? 1 : 0) <= room)
			break;
	}
	for (i = 0; i < NSCREENS && x < room; i++) {
		tab_text(sh, &c, i, f, buf, sizeof(buf));
		x += ui_put(w, 0, x, room - x,
		    i == sh->cur ? UI_SELECT : UI_NORMAL, buf);
		if (f == 0)
			x += ui_put(w, 0, x, room - x, UI_DIM, " ");
	}
	if (fw > 0)
		ui_put(w, 0, sh->cols - fw, fw, UI_WARN, fbuf);
}

/* Columns a "key brief" footer item takes, with the two spaces after it. */
static int
footer_need(const struct view_key *k)
{
	return ui_width(k->label) + 1 + ui_width(_(k->brief)) + 2;
}

/* One "key brief" footer item at x; returns the new x, or -1 if it did
 * not fit in limit. */
static int
footer_item(WINDOW *w, int x, int limit, const struct view_key *k)
{
	char buf[96];

	snprintf(buf, sizeof(buf), " %s", _(k->brief));
	if (x + footer_need(k) > limit)
		return -1;
	x += ui_put(w, 0, x, limit - x, UI_KEY, k->label);
	x += ui_put(w, 0, x, limit - x, UI_NORMAL, buf);
	return x + 2;
}

#define FOOTER_MAX	32

/*
 * The footer: the screen's keys, then the global ones, "? help" and
 * "q quit" always at the right. Items are taken whole in order of
 * priority -- the screen's own in table order (a view lists its keys most
 * important first), then the global ones -- each if it still fits, so
 * what is dropped is always of lower priority than what is shown; the
 * kept items are drawn in their table order.
 */
static void
draw_footer(struct shell *sh)
{
	const struct view_key *vk = view_keys(screens[sh->cur]), *k;
	const struct view_key *tail[2] = { NULL, NULL };
	const struct view_key *item[FOOTER_MAX];
	int prio[FOOTER_MAX], keep[FOOTER_MAX];
	WINDOW *w = sh->ftr;
	int x = 0, tx, i, n = 0, need = 0, p, nx;

	werase(w);
	if (sh->prompting) {
		x += ui_put(w, 0, 0, sh->cols, UI_KEY, "/");
		x += ui_put(w, 0, x, sh->cols - x, UI_NORMAL, " ");
		x += ui_put(w, 0, x, sh->cols - x, UI_NORMAL, sh->edit);
		ui_put(w, 0, x, sh->cols - x, UI_SELECT, " ");
		x += 3;
		ui_put(w, 0, x, sh->cols - x, UI_DIM,
		    _("Enter applies, Esc cancels, ^U clears"));
		return;
	}
	if (sh->status[0] != '\0' && mono_ms() < sh->status_until) {
		ui_put(w, 0, 0, sh->cols, UI_WARN, sh->status);
		return;
	}
	for (k = global_keys; k->label != NULL; k++) {
		if (k->key == '?')
			tail[0] = k;
		if (k->key == 'q')
			tail[1] = k;
	}
	tx = sh->cols;
	for (i = 1; i >= 0; i--)
		tx -= ui_width(tail[i]->label) + ui_width(_(tail[i]->brief)) + 3;
	if (tx < 0)
		tx = 0;
	/* priorities: 2 the screen's keys, 1 the global ones */
	for (k = vk; k != NULL && k->label != NULL && n < FOOTER_MAX; k++) {
		item[n] = k;
		prio[n++] = 2;
	}
	for (k = global_keys; k->label != NULL && n < FOOTER_MAX; k++) {
		if (k->key == '?' || k->key == 'q' || k->key == CTRL('L') ||
		    k->key == KEY_BTAB)
			continue;
		item[n] = k;
		prio[n++] = 1;
	}
	for (p = 2; p >= 1; p--)
		for (i = 0; i < n; i++)
			if (prio[i] == p) {
				keep[i] = need + footer_need(item[i]) <= tx;
				need += keep[i] ? footer_need(item[i]) : 0;
			}
	for (i = 0; i < n; i++)
		if (keep[i] && (nx = footer_item(w, x, tx, item[i])) >= 0)
			x = nx;
	x = tx;
	for (i = 0; i < 2; i++)
		if ((nx = footer_item(w, x, sh->cols, tail[i])) >= 0)
			x = nx;
}

/* ---- help overlay ---------------------------------------------------- */

static int
help_section(WINDOW *w, int y, int width, const char *title,
    const struct view_key *k)
{
	int rows = getmaxy(w);

	if (y >= rows - 1)
		return y;
	ui_put(w, y++, 2, width - 4, UI_TITLE, title);
	for (; k != NULL && k->label != NULL && y < rows - 1; k++) {
		ui_put(w, y, 3, 10, UI_KEY, k->label);
		y += ui_wrap(w, y, 14, width - 16, rows - 1 - y, UI_NORMAL,
		    _(k->help));
	}
	return y + 1;
}

static void
draw_help(struct shell *sh)
{
	const struct view *v = screens[sh->cur];
	const struct view_key *k;
	int n = 0, h, wd, y;
	char title[128];
	WINDOW *w;

	for (k = global_keys; k->label != NULL; k++)
		n++;
	for (k = view_keys(v); k != NULL && k->label != NULL; k++)
		n++;
	h = n + n / 3 + 7;
	if (h > sh->rows)
		h = sh->rows;
	wd = sh->cols <= 84 ? sh->cols : 78;
	w = newwin(h, wd, (sh->rows - h) / 2, (sh->cols - wd) / 2);
	if (w == NULL)
		return;
	werase(w);
	box(w, 0, 0);
	snprintf(title, sizeof(title), " %s ", _("kyocho keys"));
	ui_put(w, 0, 2, wd - 4, UI_TITLE, title);
	snprintf(title, sizeof(title), "%s: %s", _("This screen"), _(v->title));
	y = help_section(w, 1, wd, title, view_keys(v));
	y = help_section(w, y, wd, _("Everywhere"), global_keys);
	ui_put(w, h - 1, 2, wd - 4, UI_DIM, _(" any key closes this help "));
	wnoutrefresh(w);
	delwin(w);
}

/* ---- painting -------------------------------------------------------- */

static void
fetch(struct shell *sh)
{
	struct snapshot *s;

	if (!sh->fresh)
		return;
	sh->fresh = 0;
	if ((s = engine_snapshot(sh->eng)) == NULL)
		return;
	if (sh->latest != sh->frozen)
		snapshot_free(sh->latest);
	sh->latest = s;
	/* Incidents made from alerts follow them, paused or not. */
	incidents_follow(s);
}

static void
paint(struct shell *sh)
{
	const struct view *v = screens[sh->cur];
	struct view_ctx c;
	char msg[128];

	fetch(sh);
	make_ctx(sh, &c);
	werase(sh->body);
	if (sh->small) {
		snprintf(msg, sizeof(msg), _("terminal too small (%dx%d): "
		    "kyocho needs 80x24"), sh->cols, sh->rows);
		ui_put(sh->body, 0, 0, sh->cols, UI_WARN, msg);
		wnoutrefresh(sh->body);
		doupdate();
		return;
	}
	draw_header(sh);
	draw_tabs(sh);
	v->draw(sh->body, sh->rows - 3, sh->cols, &c);
	draw_footer(sh);
	wnoutrefresh(sh->hdr);
	wnoutrefresh(sh->tabs);
	wnoutrefresh(sh->body);
	wnoutrefresh(sh->ftr);
	if (sh->help)
		draw_help(sh);
	doupdate();
	sh->last_paint = mono_ms();
}

/* ---- keys ------------------------------------------------------------ */

static void
switch_to(struct shell *sh, int n)
{
	if (n == sh->cur)
		return;
	sh->prev = sh->cur;
	sh->cur = n;
}

static void
toggle_pause(struct shell *sh)
{
	if (!sh->paused) {
		fetch(sh);
		sh->frozen = sh->latest;
		sh->paused = 1;
		return;
	}
	if (sh->frozen != sh->latest)
		snapshot_free(sh->frozen);
	sh->frozen = NULL;
	sh->paused = 0;
}

static void
prompt_key(struct shell *sh, int key, int is_char)
{
	char mb[MB_LEN_MAX + 1];
	size_t n;
	mbstate_t st;

	if (!is_char && (key == KEY_ENTER))
		key = '\n';
	if (!is_char && key != KEY_BACKSPACE)
		return;
	switch (key) {
	case '\n':
	case '\r':
		memcpy(sh->filter[sh->cur], sh->edit, FILTER_LEN);
		sh->prompting = 0;
		return;
	case KEY_ESC:
		sh->prompting = 0;
		return;
	case KEY_BACKSPACE:
	case 127:
	case CTRL('H'):
		utf8_backspace(sh->edit);
		return;
	case CTRL('U'):
		sh->edit[0] = '\0';
		return;
	}
	if (key < 0x20 || key == 0x7f)
		return;
	memset(&st, 0, sizeof(st));
	n = wcrtomb(mb, (wchar_t)key, &st);
	if (n == (size_t)-1 || strlen(sh->edit) + n >= FILTER_LEN)
		return;
	mb[n] = '\0';
	{
		char clean[MB_LEN_MAX * 2];

		text_sanitize(clean, sizeof(clean), mb, n);
		strcat(sh->edit, clean);
	}
}

/* A character no screen took: the keys of every screen. */
static void
global_key(struct shell *sh, int key)
{
	switch (key) {
	case 'q':
	case 'Q':
		sh->quit = 1;
		break;
	case '?':
		sh->help = 1;
		break;
	case '\t':
		switch_to(sh, (sh->cur + 1) % NSCREENS);
		break;
	case '/':
		memcpy(sh->edit, sh->filter[sh->cur], FILTER_LEN);
		sh->prompting = 1;
		break;
	case 'p':
	case 'P':
		toggle_pause(sh);
		break;
	case CTRL('L'):
		clearok(curscr, TRUE);
		break;
	case KEY_ESC:
		sh->filter[sh->cur][0] = '\0';
		break;
	default:
		if (key >= '1' && key <= '9') {
			if (key - '1' < NSCREENS)
				switch_to(sh, key - '1');
			else
				status_set(sh, _("that screen is not part of "
				    "this build yet"));
		}
		break;
	}
}

static void
on_key(struct shell *sh, int key, int is_char)
{
	struct view_ctx c;
	int f;

	if (!is_char && key == KEY_RESIZE) {
		layout(sh);
		return;
	}
	if (sh->prompting) {
		prompt_key(sh, key, is_char);
		return;
	}
	if (sh->help) {
		sh->help = 0;
		return;
	}
	if (sh->small) {
		if (is_char && (key == 'q' || key == 'Q'))
			sh->quit = 1;
		return;
	}
	if (is_char && key >= 0x80 && !text_input)
		return;		/* no key is bound to a non-ASCII character */
	make_ctx(sh, &c);
	c.is_char = is_char;
	goto_name = NULL;
	f = screens[sh->cur]->key != NULL ? screens[sh->cur]->key(key, &c) : 0;
	if (goto_name != NULL) {
		int i;

		for (i = 0; i < NSCREENS; i++)
			if (strcmp(screens[i]->name, goto_name) == 0)
				switch_to(sh, i);
		goto_name = NULL;
	}
	if (f & VIEW_HANDLED) {
		if (f & VIEW_CLOSE)
			switch_to(sh, sh->prev != sh->cur ? sh->prev : 0);
		return;
	}
	if (!is_char) {
		if (key == KEY_BTAB)
			switch_to(sh, (sh->cur + NSCREENS - 1) % NSCREENS);
		else if (key == KEY_F(1))
			sh->help = 1;
		return;
	}
	global_key(sh, key);
}

/* Handle every key waiting; returns how many there were. */
static int
read_keys(struct shell *sh)
{
	wint_t wc;
	int r, n = 0;

	while ((r = wget_wch(stdscr, &wc)) != ERR) {
		n++;
		on_key(sh, (int)wc, r == OK);
		if (sh->quit)
			break;
	}
	return n;
}

/* ---- main loop ------------------------------------------------------- */

static void
run(struct shell *sh)
{
	struct pollfd pfd[2 + NAMES_MAX_FDS];
	int efd = engine_fd(sh->eng), n, timeout, dirty = 1, nd = 0, dt;
	time_t painted_sec = 0;
	int64_t t;
	struct timespec ts;

	layout(sh);
	sh->fresh = 1;
	while (!sh->quit && !got_signal) {
		t = mono_ms();
		if (dirty && t - sh->last_paint >= PAINT_MIN_MS) {
			paint(sh);
			painted_sec = time(NULL);
			dirty = 0;
		}
		/* Wake at the next wall-clock second for the clocks, or
		 * when the rate limit lets a waiting frame out. */
		clock_gettime(CLOCK_REALTIME, &ts);
		timeout = 1000 - (int)(ts.tv_nsec / 1000000) + 2;
		if (dirty) {
			int64_t wait = sh->last_paint + PAINT_MIN_MS - t;
			if (wait < timeout)
				timeout = wait < 0 ? 0 : (int)wait;
		}
		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		pfd[1].fd = efd;
		pfd[1].events = POLLIN;
		/* DNS answers for the names on the screens (names.c): its
		 * descriptors follow the first two, and its timers cap the
		 * wait. Nothing here blocks. */
		nd = names_pollfds(pfd + 2, NAMES_MAX_FDS);
		if ((dt = names_timeout_ms()) >= 0 && dt < timeout)
			timeout = dt;
		n = poll(pfd, (nfds_t)(2 + nd), timeout);
		if (n < 0 && errno != EINTR)
			fatal("poll: %s", strerror(errno));
		names_process(n > 0 ? pfd + 2 : NULL, n > 0 ? nd : 0);
		if (names_changed())
			dirty = 1;
		/* After EINTR too: SIGWINCH arrives as KEY_RESIZE. */
		if (read_keys(sh) > 0)
			dirty = 1;
		if (n > 0 && efd >= 0 && (pfd[1].revents & POLLIN)) {
			engine_ack(sh->eng);
			sh->fresh = 1;
			dirty = 1;
		}
		if (time(NULL) != painted_sec) {
			if (efd < 0)
				sh->fresh = 1;	/* no descriptor: look each second */
			dirty = 1;
		}
	}
}

static int
check_inputs(const struct options *o)
{
	if (o->nread == 0 && o->nifaces == 0 && o->nlinks == 0 &&
	    o->nsflow + o->nnetflow == 0) {
		fprintf(stderr, "kyocho: %s\n", _("nothing to watch: give -i "
		    "IFACE to capture live, -r FILE to replay a capture, or "
		    "--sflow/--netflow PORT for router telemetry (see kyocho "
		    "--help)"));
		return -1;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "kyocho: %s\n", _("the screens need a "
		    "terminal; for scripts use `kyocho summary`"));
		return -1;
	}
	return 0;
}

/* A relative path made absolute against the working directory (taken
 * from getcwd() before before_drop() changes it); NULL stays NULL. The
 * string lives until exit, as every setting does. */
static const char *
absolute(const char *path)
{
	char cwd[PATH_MAX];

	if (path == NULL || path[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL)
		return path;
	return xasprintf("%s/%s", cwd, path);
}

/*
 * -Z: prepare what the session needs once root is gone, while it is still
 * here. What a careful daemon does (tcpdump's droproot writes its files as
 * the user it became; ntpd and unbound keep one data directory that their
 * own user owns): the data files the screens read (contacts, incident
 * kinds, checklists) are read now, as root, from where the operator keeps
 * them, even under /root; the state directory (incident journals, drafts,
 * reports), which must stay writable, is given to USER and becomes the
 * working directory (engine_give_dir), and the session reaches it as "." so
 * that /root itself stays closed to USER. The journals are read only after
 * the drop, as USER. kyocho(1), Privileges, says the same to the operator.
 * Returns 0 or -1 with errbuf filled.
 */
static int
before_drop(struct options *opt, struct casework *cw, char *errbuf)
{
	static char label[PATH_MAX];
	char *state;
	int i;

	if (geteuid() != 0)
		return 0;	/* engine_drop_root() says why -Z cannot work */
	/* Relative to where kyocho started, not to the state directory. */
	opt->data_dir = absolute(opt->data_dir);
	opt->contacts_path = absolute(opt->contacts_path);
	for (i = 0; i < NSCREENS; i++)
		if (screens[i]->open != NULL)
			screens[i]->open(cw, opt);
	if ((state = config_state_dir(opt, errbuf)) == NULL)
		return -1;
	if (realpath(state, label) == NULL) {
		err_set(errbuf, "state directory %s: %s", state,
		    strerror(errno));
		free(state);
		return -1;
	}
	free(state);
	if (engine_give_dir(opt->drop_user, label, errbuf) != 0)
		return -1;
	opt->state_dir = ".";
	opt->state_label = label;
	return 0;
}

/* Catch INT, TERM and HUP (got_signal ends the loop) and take the
 * terminal: curses in cbreak, no echo, keys not waited for. */
static void
start_screen(struct shell *sh)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	fatal_set_cleanup(restore_terminal);
	if (initscr() == NULL)
		fatal("cannot start curses on this terminal");
	curses_on = 1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	refresh();	/* stdscr is never drawn on; settle it once */
	sh->colour = ui_colour_init();
	ui_set_utf8(1);
}

int
tui_main(int argc, char **argv, struct options *opt)
{
	char errbuf[ERRBUF_SIZE];
	struct case_settings cfg;
	struct shell sh;
	char **pos = NULL;
	int npos = 0, rc = 0;

	i18n_init();
	if (args_common(argc, argv, 1, opt, &pos, &npos,
	    errbuf) != 0) {
		fprintf(stderr, "kyocho: %s\n", errbuf);
		free(pos);
		return 2;
	}
	if (npos > 0)
		opt->filter = args_join(pos, npos);
	free(pos);
	if (check_inputs(opt) != 0)
		return 2;

	memset(&sh, 0, sizeof(sh));
	sh.opt = opt;
	if ((sh.eng = engine_new(opt, errbuf)) == NULL) {
		fprintf(stderr, "kyocho: %s\n", errbuf);
		return 1;
	}
	engine_set_publish(sh.eng, 1);
	/* One casework for the screens: it reads the data files when
	 * before_drop() or a screen first asks, the journals when a screen
	 * is first shown (as the unprivileged user with -Z: the state
	 * directory is resolved then). */
	memset(&cfg, 0, sizeof(cfg));
	cfg.opt = opt;
	cfg.our_zone = opt->our_zone;
	sh.cw = casework_open(&cfg);
	/* The capture handles are open: give up root now, before anything
	 * reads a packet, once the files the session needs are in reach. */
	if (opt->drop_user != NULL && (before_drop(opt, sh.cw, errbuf) != 0 ||
	    engine_drop_root(opt->drop_user, errbuf) != 0)) {
		fprintf(stderr, "kyocho: %s\n", errbuf);
		casework_free(sh.cw);
		engine_free(sh.eng);
		return 1;
	}
	if (engine_start(sh.eng, errbuf) != 0) {
		fprintf(stderr, "kyocho: %s\n", errbuf);
		casework_free(sh.cw);
		engine_free(sh.eng);
		return 1;
	}

	/* AS and country data for the screens: the engine loaded it once
	 * (a damaged file stopped engine_new() with its FILE:LINE); without
	 * any, the screens show addresses only. */
	sh.prefixes = engine_prefixdb(sh.eng);

	/* Reverse names for the screens, unless --no-dns. If the resolver
	 * cannot start, say why on the status line and go on without. */
	if (!opt->no_dns) {
		errbuf[0] = '\0';
		if (names_start(opt, errbuf) != 0) {
			char msg[ERRBUF_SIZE];

			snprintf(msg, sizeof(msg), "%.60s: %.400s",
			    _("no host names (DNS)"), errbuf);
			status_set(&sh, msg);
		}
	}

	start_screen(&sh);

	run(&sh);

	restore_terminal();
	engine_stop(sh.eng);
	if (sh.frozen != sh.latest)
		snapshot_free(sh.frozen);
	snapshot_free(sh.latest);
	del_windows(&sh);
	names_stop();
	engine_free(sh.eng);
	casework_free(sh.cw);
	if (got_signal)
		rc = 128 + got_signal;
	return rc;
}
