/*
 * alerts.c -- active and recent alerts, one per row (kind, direction,
 * target, now and peak rate, sources, spoofing level, age), and on Enter
 * the detail of one: its rates, the neighbours that hand it to us (and
 * the move from one to another, with times), the spoofing evidence and the
 * top sources with their shares. State: the list cursor and, in the detail, the alert
 * id being shown (the row moves as alerts come and go; the id does not).
 *
 * H shows the Alerts history instead: the past alerts kept on disk
 * (engine_history.h), newest first, filtered by the same / filter; read
 * when the mode is entered and on r.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fmt.h"
#include "i18n.h"
#include "engine/names.h"
#include "engine/engine.h"
#include "engine/engine_history.h"
#include "detect/snapshot.h"
#include "ui.h"
#include "base/util.h"
#include "view.h"

static struct ui_list list;
static uint64_t detail_id;	/* 0: the list is shown */
static int body_rows = 20;

static const struct view_key list_keys[] = {
	{ VKEY_UPDOWN, "Up/Dn", N_("move"), N_("move the cursor (also j/k)") },
	{ VKEY_PAGE, "PgUp/PgDn", N_("page"), N_("move by a page") },
	{ '\r', "Enter", N_("detail"),
	  N_("open the alert under the cursor: sources, evidence") },
	{ 'e', "e", N_("incident"),
	  N_("make an incident of the alert, evidence copied in") },
	{ 'H', "H", N_("history"),
	  N_("the Alerts history: past alerts kept on disk, filtered by /") },
	{ 0, NULL, NULL, NULL }
};

static const struct view_key hist_keys[] = {
	{ 27, "Esc", N_("back"), N_("back to the alerts of this session "
	  "(also H; Esc clears a filter first)") },
	{ VKEY_UPDOWN, "Up/Dn", N_("move"), N_("move the cursor (also j/k)") },
	{ VKEY_PAGE, "PgUp/PgDn", N_("page"), N_("move by a page") },
	{ 'r', "r", N_("reread"), N_("read the history again") },
	{ 0, NULL, NULL, NULL }
};

#define HIST_ALERTS	1000	/* past alerts read */

/* The Alerts history mode: on, what was read, and why there is nothing. */
static struct {
	int on;
	struct engine_history_alert *v;
	size_t n;
	struct ui_list list;
	char msg[256];
} past;

static const struct view_key detail_keys[] = {
	{ 27, "Esc", N_("back"), N_("back to the list of alerts (also Enter, Backspace)") },
	{ VKEY_UPDOWN, "Up/Dn", N_("other alert"), N_("show the previous or next alert") },
	{ 'e', "e", N_("incident"),
	  N_("make an incident of the alert, evidence copied in") },
	{ 0, NULL, NULL, NULL }
};

static const struct view_key *
current_keys(void)
{
	if (past.on)
		return hist_keys;
	return detail_id != 0 ? detail_keys : list_keys;
}

/* ---- the Alerts history ------------------------------------------------ */

static void
past_read(const struct view_ctx *c)
{
	char errbuf[ERRBUF_SIZE];
	struct engine_history *eh;

	free(past.v);
	past.v = NULL;
	past.n = 0;
	past.msg[0] = '\0';
	if ((eh = engine_history_open(c->opt, errbuf)) == NULL ||
	    engine_history_alerts(eh, HIST_ALERTS, &past.v, &past.n,
	    errbuf) != 0)
		text_sanitize(past.msg, sizeof(past.msg), errbuf,
		    strlen(errbuf));
	engine_history_close(eh);
}

/* 1 if a past alert matches the filter: a part of its target or link,
 * its kind or direction (as stored or translated). */
static int
past_match(const struct engine_history_alert *a, const char *f)
{
	if (f == NULL || *f == '\0')
		return 1;
	return strstr(a->target, f) != NULL || strstr(a->link, f) != NULL ||
	    strcasestr(a->kind, f) != NULL ||
	    strcasestr(ui_kind_name(a->kind), f) != NULL ||
	    strcasestr(a->direction, f) != NULL ||
	    strcasestr(ui_direction_name(a->direction), f) != NULL;
}

static size_t
past_filtered(const struct view_ctx *c, size_t *idx, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < past.n && n < max; i++)
		if (past_match(&past.v[i], c->filter))
			idx[n++] = i;
	return n;
}

static void
past_draw(WINDOW *w, int rows, int cols, const struct view_ctx *c)
{
	size_t idx[HIST_ALERTS], n = past_filtered(c, idx, NITEMS(idx)), i;
	int wide = cols >= 100, visible = rows - 2, y, x, tw;
	char buf[160], t[40], d[16], p[16], b[24], tgt[64], lk[64];

	tw = cols - (wide ? 94 : 61);
	if (tw > 39)
		tw = 39;
	if (tw < 15)
		tw = 15;
	ui_putpad(w, 0, 0, cols, UI_TITLE, "");
	x = 1;
	ui_putpad(w, 0, x, 20, UI_TITLE, _("Start (UTC)"));
	x += 21;
	ui_putpad(w, 0, x, 14, UI_TITLE, _("Kind"));
	x += 15;
	if (wide) {
		ui_putpad(w, 0, x, 8, UI_TITLE, _("Dir"));
		x += 9;
	}
	ui_putpad(w, 0, x, tw, UI_TITLE, _("Target"));
	x += tw + 1;
	ui_putr(w, 0, x, 7, UI_TITLE, _("Peak"));
	x += 8;
	if (wide) {
		ui_putr(w, 0, x, 10, UI_TITLE, _("Peak b/s"));
		x += 11;
		ui_putr(w, 0, x, 8, UI_TITLE, _("Lasted"));
		x += 9;
		ui_putpad(w, 0, x, cols - x, UI_TITLE, _("Link"));
	}
	if (n == 0) {
		ui_empty(w, rows / 2, cols, past.msg[0] != '\0' ? past.msg :
		    c->filter[0] != '\0' ? _("no past alert matches the "
		    "filter") : _("no alert in the history"));
		return;
	}
	ui_list_fit(&past.list, (int)n, visible);
	for (i = (size_t)past.list.top, y = 1; i < n && y <= visible;
	    i++, y++) {
		const struct engine_history_alert *a = &past.v[idx[i]];
		int sel = (int)i == past.list.sel;
		enum ui_role r = sel ? UI_SELECT : UI_NORMAL;

		if (sel)
			ui_putpad(w, y, 0, cols, UI_SELECT, "");
		x = 1;
		ui_putpad(w, y, x, 20, r, time_rfc3339(t, sizeof(t),
		    a->start_us, 0));
		x += 21;
		ui_putpad(w, y, x, 14, sel ? UI_SELECT : UI_CRIT,
		    ui_kind_name(a->kind));
		x += 15;
		if (wide) {
			ui_putpad(w, y, x, 8, r,
			    ui_direction_name(a->direction));
			x += 9;
		}
		text_sanitize(tgt, sizeof(tgt), a->target,
		    strnlen(a->target, sizeof(a->target)));
		ui_putpad(w, y, x, tw, r, tgt);
		x += tw + 1;
		ui_putr(w, y, x, 7, r, fmt_si(p, sizeof(p), a->peak_pps));
		x += 8;
		if (wide) {
			ui_putr(w, y, x, 10, r, fmt_bps(b, sizeof(b),
			    a->peak_bps));
			x += 11;
			ui_putr(w, y, x, 8, r, a->end_us == 0 ? "-" :
			    ui_duration(d, sizeof(d), a->end_us - a->start_us));
			x += 9;
			text_sanitize(lk, sizeof(lk), a->link,
			    strnlen(a->link, sizeof(a->link)));
			ui_put(w, y, x, cols - x, r, lk);
		}
	}
	snprintf(buf, sizeof(buf), _("Alerts history: %zu past alerts  %d/%zu"),
	    n, past.list.sel + 1, n);
	ui_put(w, rows - 1, 1, cols - 2, UI_DIM, buf);
}

static int
past_key(int k, const struct view_ctx *c)
{
	size_t idx[HIST_ALERTS], n;

	if (c->is_char && k == 27 && c->filter[0] != '\0')
		return VIEW_UNHANDLED;	/* Esc clears the filter first */
	if (c->is_char && (k == 27 || k == 'H')) {
		past.on = 0;
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (c->is_char && k == 'r') {
		past_read(c);
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	n = past_filtered(c, idx, NITEMS(idx));
	return ui_list_key(&past.list, k, (int)n, body_rows - 2);
}

/* The alerts that pass the filter, as indexes into s->alerts. */
static size_t
filtered(const struct view_ctx *c, size_t *idx, size_t max)
{
	const struct snapshot *s = c->snap;
	size_t i, n = 0;

	for (i = 0; s != NULL && i < s->nalerts && n < max; i++)
		if (ui_alert_match(&s->alerts[i], c->filter))
			idx[n++] = i;
	return n;
}

static const struct alert *
find(const struct snapshot *s, uint64_t id)
{
	size_t i;

	for (i = 0; s != NULL && i < s->nalerts; i++)
		if (s->alerts[i].id == id)
			return &s->alerts[i];
	return NULL;
}

static void
draw_head(WINDOW *w, int y, int cols, int tw, int wide)
{
	int x = 3;

	ui_putpad(w, y, 0, cols, UI_TITLE, "");
	ui_putpad(w, y, x, 16, UI_TITLE, _("Kind"));
	x += 17;
	ui_putpad(w, y, x, 8, UI_TITLE, _("Dir"));
	x += 9;
	ui_putpad(w, y, x, tw, UI_TITLE, _("Target"));
	x += tw + 1;
	ui_putr(w, y, x, 7, UI_TITLE, _("Now"));
	x += 8;
	ui_putr(w, y, x, 7, UI_TITLE, _("Peak"));
	x += 8;
	if (wide) {
		ui_putr(w, y, x, 10, UI_TITLE, _("Peak b/s"));
		x += 11;
	}
	ui_putr(w, y, x, 7, UI_TITLE, _("Sources"));
	x += 8;
	ui_putpad(w, y, x, 7, UI_TITLE, _("Spoof"));
	x += 8;
	if (wide)
		ui_putr(w, y, x, 8, UI_TITLE, _("Age"));
}

static void
draw_row(WINDOW *w, int y, int cols, int tw, int wide, const struct alert *a,
    const struct snapshot *s, int sel)
{
	char addr[ADDR_STRLEN], n[16], b[24];
	int active = ui_alert_active(a), x = 3;
	enum ui_role base = sel ? UI_SELECT : UI_NORMAL;

	if (sel)
		ui_putpad(w, y, 0, cols, UI_SELECT, "");
	ui_put(w, y, 1, 1, sel ? UI_SELECT : active ? UI_CRIT : UI_DIM,
	    active ? "!" : "-");
	ui_putpad(w, y, x, 16, sel ? UI_SELECT : active ? UI_CRIT : UI_NORMAL,
	    ui_kind(a->kind));
	x += 17;
	ui_putpad(w, y, x, 8, base, ui_direction(a->direction));
	x += 9;
	ui_putpad(w, y, x, tw, base, ui_addr(addr, sizeof(addr), &a->target));
	x += tw + 1;
	ui_putr(w, y, x, 7, base, active ? fmt_si(n, sizeof(n), a->cur_pps) :
	    "-");
	x += 8;
	ui_putr(w, y, x, 7, base, fmt_si(n, sizeof(n), a->peak_pps));
	x += 8;
	if (wide) {
		ui_putr(w, y, x, 10, base, fmt_bps(b, sizeof(b), a->peak_bps));
		x += 11;
	}
	ui_putr(w, y, x, 7, base, fmt_si(n, sizeof(n), a->sources_est));
	x += 8;
	ui_putpad(w, y, x, 7, sel ? UI_SELECT : ui_spoof_role(a->spoof),
	    ui_spoof(a->spoof));
	x += 8;
	if (wide)
		ui_putr(w, y, x, 8, base, ui_duration(b, sizeof(b),
		    (active ? s->capture_us : a->end_us) - a->start_us));
}

static void
draw_list(WINDOW *w, int rows, int cols, const struct view_ctx *c)
{
	size_t idx[1024], n = filtered(c, idx, NITEMS(idx)), i;
	int wide = cols >= 100, tw, visible = rows - 2, y;
	char buf[128];

	tw = cols - (wide ? 85 : 66);
	if (tw > 39)
		tw = 39;
	if (tw < 15)
		tw = 15;
	draw_head(w, 0, cols, tw, wide);
	if (n == 0) {
		ui_empty(w, rows / 2, cols, c->filter[0] != '\0' ?
		    _("no alert matches the filter") :
		    _("no alerts: nothing over the thresholds so far"));
		return;
	}
	ui_list_fit(&list, (int)n, visible);
	for (i = (size_t)list.top, y = 1; i < n && y <= visible; i++, y++)
		draw_row(w, y, cols, tw, wide, &c->snap->alerts[idx[i]],
		    c->snap, (int)i == list.sel);
	snprintf(buf, sizeof(buf), _("%zu alerts (! active)  %d/%zu"), n,
	    list.sel + 1, n);
	ui_put(w, rows - 1, 1, cols - 2, UI_DIM, buf);
}

/* The reverse name of a for the detail (asked over DNS, names.c): the
 * name, "(resolving)" while asked, "" when there is none or DNS is off. */
static const char *
host_name(char *buf, size_t len, const struct addr *a)
{
	if (names_get(a, buf, len) == NAMES_PENDING)
		snprintf(buf, len, "%s", _("(resolving)"));
	return buf;
}

/* Append the origin AS from DNS (Team Cymru) to who when the prefix data
 * has no AS for a. */
static void
dns_whois(char *who, size_t len, const struct view_ctx *c,
    const struct addr *a)
{
	struct engine_whois w;
	uint32_t asn;
	char cc[3], add[32];

	engine_whois(c->prefixes, a, &w);
	if (w.asn != 0)
		return;
	if (names_origin(a, &asn, cc) != NAMES_OK || asn == 0)
		return;
	snprintf(add, sizeof(add), "%s%s%sAS%lu", who[0] ? " " : "",
	    who[0] ? "" : cc, !who[0] && cc[0] ? " " : "",
	    (unsigned long)asn);
	strncat(who, add, len - strlen(who) - 1);
}

/* "HH:MM:SS" (UTC) of us. */
static char *
hms(char *buf, size_t len, int64_t us)
{
	char t[40];

	time_rfc3339(t, sizeof(t), us, 0);
	snprintf(buf, len, "%.8s", strlen(t) >= 19 ? t + 11 : "?");
	return buf;
}

/* "peering-A AS64497" (the MAC when the AS is unknown), sanitized. */
static void
hop_name(char *buf, size_t len, const struct alert_ingress *g)
{
	char ln[ALERT_LINK_LEN];

	text_sanitize(ln, sizeof(ln), g->link, strnlen(g->link,
	    sizeof(g->link)));
	if (g->asn != 0)
		snprintf(buf, len, "%s AS%lu", ln[0] ? ln : "-",
		    (unsigned long)g->asn);
	else if (g->has_mac)
		snprintf(buf, len, "%s %02x:%02x:%02x:%02x:%02x:%02x",
		    ln[0] ? ln : "-", g->mac[0], g->mac[1], g->mac[2],
		    g->mac[3], g->mac[4], g->mac[5]);
	else
		snprintf(buf, len, "%s", ln[0] ? ln : "-");
}

#define ROUTE_MOVE_US	(5 * 1000000LL)	/* later than this: a route change */

static int draw_ingress_rows(WINDOW *, int, int, int, const struct alert *);

/*
 * The neighbours that hand the attack to us, most packets first (a table
 * of at most four rows, or one line on a small terminal), and the move
 * from one to another: a neighbour first seen ROUTE_MOVE_US or more after
 * the first one's first packet took over (or joined) then. Returns the
 * next row.
 */
static int
draw_ingress(WINDOW *w, int y, int rows, int cols, const struct alert *a)
{
	char buf[512], nm[160], t1[16], t2[16];
	const struct alert_ingress *first = NULL, *next = NULL;
	unsigned i;

	if (y >= rows)
		return y;
	if (a->ningress == 0) {
		ui_put(w, y++, 1, cols - 2, UI_DIM, _("Entered through: no "
		    "neighbour known (name them with neighbour or peer)"));
		return y;
	}
	for (i = 0; i < a->ningress && i < ALERT_INGRESS; i++) {
		const struct alert_ingress *g = &a->ingress[i];

		if (first == NULL || (g->first_us != 0 &&
		    g->first_us < first->first_us))
			first = g;
	}
	for (i = 0; i < a->ningress && i < ALERT_INGRESS; i++) {
		const struct alert_ingress *g = &a->ingress[i];

		if (g != first && g->first_us >= first->first_us +
		    ROUTE_MOVE_US && (next == NULL ||
		    g->first_us < next->first_us))
			next = g;
	}
	if (rows < 40) {
		/* A small terminal: the neighbours on one line. */
		snprintf(buf, sizeof(buf), "%s", _("Entered through:"));
		for (i = 0; i < a->ningress && i < ALERT_INGRESS; i++) {
			hop_name(nm, sizeof(nm), &a->ingress[i]);
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
			    "%s %s %.0f%%", i ? "," : "", nm,
			    a->ingress[i].share * 100.0);
		}
		ui_put(w, y++, 1, cols - 2, UI_NORMAL, buf);
	} else {
		y = draw_ingress_rows(w, y, rows, cols, a);
	}
	if (next != NULL && y < rows) {
		char l1[ALERT_LINK_LEN + 32], l2[ALERT_LINK_LEN + 32];

		hop_name(l1, sizeof(l1), first);
		hop_name(l2, sizeof(l2), next);
		if (next->first_us > first->last_us)
			snprintf(buf, sizeof(buf), _("route moved: %s (until "
			    "%s) -> %s (from %s)"), l1, hms(t1, sizeof(t1),
			    first->last_us), l2, hms(t2, sizeof(t2),
			    next->first_us));
		else
			snprintf(buf, sizeof(buf), _("route changed: %s joined "
			    "%s at %s"), l2, l1, hms(t2, sizeof(t2),
			    next->first_us));
		ui_put(w, y++, 3, cols - 4, UI_WARN, buf);
	}
	return y;
}

/* The neighbours as a table, at most four rows. Returns the next row. */
static int
draw_ingress_rows(WINDOW *w, int y, int rows, int cols, const struct alert *a)
{
	char buf[512], nm[160], t1[16], t2[16], x1[16];
	unsigned i;

	ui_put(w, y, 1, cols - 2, UI_TITLE, _("Entered through"));
	ui_putr(w, y, 47, 9, UI_TITLE, _("packets"));
	ui_putr(w, y, 57, 7, UI_TITLE, _("share"));
	if (cols > 84)
		ui_put(w, y, 66, cols - 67, UI_TITLE, _("seen (UTC)"));
	y++;
	for (i = 0; i < a->ningress && i < ALERT_INGRESS && i < 4 &&
	    y < rows; i++, y++) {
		const struct alert_ingress *g = &a->ingress[i];
		char ln[ALERT_LINK_LEN], ct[ALERT_CONTACT_LEN], as[24], mac[24];

		text_sanitize(ln, sizeof(ln), g->link, strnlen(g->link,
		    sizeof(g->link)));
		text_sanitize(ct, sizeof(ct), g->contact, strnlen(g->contact,
		    sizeof(g->contact)));
		as[0] = mac[0] = '\0';
		if (g->asn != 0)
			snprintf(as, sizeof(as), "AS%lu", (unsigned long)g->asn);
		if (g->has_mac)
			snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x",
			    g->mac[0], g->mac[1], g->mac[2], g->mac[3],
			    g->mac[4], g->mac[5]);
		snprintf(nm, sizeof(nm), "%s  %s%s%s", ln[0] ? ln : "-",
		    as[0] ? as : mac[0] ? mac : _("unknown"), ct[0] ? " " : "",
		    ct);
		ui_putpad(w, y, 3, 43, UI_NORMAL, nm);
		ui_putr(w, y, 47, 9, UI_NORMAL, fmt_si(x1, sizeof(x1),
		    g->packets));
		snprintf(buf, sizeof(buf), "%.1f%%", g->share * 100.0);
		ui_putr(w, y, 57, 7, UI_NORMAL, buf);
		if (cols > 84) {
			snprintf(buf, sizeof(buf), "%s-%s", hms(t1, sizeof(t1),
			    g->first_us), hms(t2, sizeof(t2), g->last_us));
			ui_put(w, y, 66, cols - 67, UI_DIM, buf);
		}
	}
	return y;
}

static void
draw_detail(WINDOW *w, int rows, int cols, const struct view_ctx *c,
    const struct alert *a)
{
	char addr[ADDR_STRLEN], buf[512], t1[32], t2[32], x1[16], x2[24],
	    x3[16], x4[24], x5[16], who[128], nm[128], srcw[300];
	const char *lname = "";
	unsigned i;
	int y = 0, bar, spare;

	if (c->snap != NULL && a->link < c->snap->nlinks)
		lname = c->snap->links[a->link].name;
	ui_whois(who, sizeof(who), c->prefixes, &a->target);
	host_name(nm, sizeof(nm), &a->target);
	snprintf(buf, sizeof(buf), "%s  %s  %s%s%s%s%s%s", ui_kind(a->kind),
	    ui_direction(a->direction), ui_addr(addr, sizeof(addr), &a->target),
	    nm[0] ? "  " : "", nm,
	    who[0] ? "  (" : "", who, who[0] ? ")" : "");
	ui_fit(buf, sizeof(buf), cols - 12);
	ui_put(w, y, 1, cols - 12, UI_CRIT, buf);
	ui_putr(w, y, cols / 2, cols / 2 - 1, ui_alert_active(a) ? UI_OVER :
	    UI_DIM, ui_alert_active(a) ? _(" ACTIVE ") : _(" ended "));
	y += 2;
	time_rfc3339(t1, sizeof(t1), a->start_us, 0);
	if (ui_alert_active(a))
		snprintf(buf, sizeof(buf), _("started %s, running %s"), t1,
		    ui_duration(t2, sizeof(t2), c->snap->capture_us -
		    a->start_us));
	else
		snprintf(buf, sizeof(buf), _("started %s, ended %s"), t1,
		    time_rfc3339(t2, sizeof(t2), a->end_us, 0));
	ui_put(w, y++, 1, cols - 2, UI_NORMAL, buf);
	if (ui_alert_active(a))
		snprintf(buf, sizeof(buf), _("now %s pps, %s   peak %s pps, %s"),
		    fmt_si(x1, sizeof(x1), a->cur_pps),
		    fmt_bps(x2, sizeof(x2), a->cur_bps),
		    fmt_si(x3, sizeof(x3), a->peak_pps),
		    fmt_bps(x4, sizeof(x4), a->peak_bps));
	else
		snprintf(buf, sizeof(buf), _("peak %s pps, %s"),
		    fmt_si(x3, sizeof(x3), a->peak_pps),
		    fmt_bps(x4, sizeof(x4), a->peak_bps));
	ui_put(w, y++, 1, cols - 2, UI_NORMAL, buf);
	snprintf(buf, sizeof(buf), _("peak per second: SYN %s  UDP %s  "
	    "ICMP %s  fragments %s"), fmt_si(x1, sizeof(x1), a->syn),
	    fmt_si(x3, sizeof(x3), a->udp), fmt_si(x5, sizeof(x5), a->icmp),
	    fmt_si(t2, sizeof(t2), a->frag));
	ui_put(w, y++, 1, cols - 2, UI_NORMAL, buf);
	snprintf(buf, sizeof(buf), _("%s packets, %sB while it ran"),
	    fmt_si(x1, sizeof(x1), a->packets),
	    fmt_si(x3, sizeof(x3), a->bytes));
	ui_put(w, y++, 1, cols - 2, UI_NORMAL, buf);
	{
		char ln[128];

		text_sanitize(ln, sizeof(ln), lname, strnlen(lname, 64));
		if (a->top_port != 0 && a->kind == KIND_AMPLIFICATION)
			snprintf(buf, sizeof(buf), _("about %s distinct "
			    "sources, link %s, reflector port %u"),
			    fmt_si(x1, sizeof(x1), a->sources_est),
			    ln[0] ? ln : "-", a->top_port);
		else if (a->top_port != 0)
			snprintf(buf, sizeof(buf), _("about %s distinct "
			    "sources, link %s, port %u"),
			    fmt_si(x1, sizeof(x1), a->sources_est),
			    ln[0] ? ln : "-", a->top_port);
		else
			snprintf(buf, sizeof(buf), _("about %s distinct "
			    "sources, link %s"),
			    fmt_si(x1, sizeof(x1), a->sources_est),
			    ln[0] ? ln : "-");
	}
	ui_put(w, y++, 1, cols - 2, UI_NORMAL, buf);
	y = draw_ingress(w, y, rows, cols, a);
	y++;
	snprintf(buf, sizeof(buf), _("Spoofing: %s (score %.2f)"),
	    ui_spoof(a->spoof), a->spoof_score);
	ui_put(w, y++, 1, cols - 2, ui_spoof_role(a->spoof) == UI_NORMAL ?
	    UI_TITLE : ui_spoof_role(a->spoof), buf);
	/* Each sign on one line, or wrapped onto more while rows are left
	 * for the top sources' title and three of them; the strongest signs
	 * come first and get the room first. */
	spare = rows - y - (int)a->nevidence - 5;
	for (i = 0; i < a->nevidence && i < ALERT_EVIDENCE && y < rows; i++) {
		char en[ALERT_EVIDENCE_LEN * 2];
		int need;

		text_sanitize(en, sizeof(en), a->evidence[i],
		    strnlen(a->evidence[i], ALERT_EVIDENCE_LEN));
		ui_evidence(buf, sizeof(buf), en);
		need = ui_wrap(NULL, 0, 0, cols - 6, 4, UI_NORMAL, buf) - 1;
		if (need > spare)
			need = spare > 0 ? spare : 0;
		spare -= need;
		ui_put(w, y, 3, 2, UI_DIM, "-");
		y += ui_wrap(w, y, 5, cols - 6, need + 1 < rows - y ? need + 1 :
		    rows - y, UI_NORMAL, buf);
	}
	if (a->nevidence == 0 && y < rows)
		ui_put(w, y++, 3, cols - 4, UI_DIM, _("no signs of spoofing"));
	y++;
	if (y >= rows)
		return;
	ui_put(w, y, 1, 30, UI_TITLE, _("Top sources"));
	ui_putr(w, y, 33, 9, UI_TITLE, _("packets"));
	ui_putr(w, y, 43, 7, UI_TITLE, _("share"));
	if (names_pending() > 0 && cols > 80) {
		snprintf(buf, sizeof(buf), _("%zu names pending (DNS)"),
		    names_pending());
		ui_put(w, y, 52, cols - 53, UI_DIM, buf);
	}
	y++;
	bar = cols - 53;
	if (bar > 30)
		bar = 30;
	if ((c->prefixes != NULL || names_enabled()) && cols < 120)
		bar = 8;	/* room for the name, AS and country */
	for (i = 0; i < a->ntop && i < ALERT_TOP_SOURCES && y < rows; i++, y++) {
		const struct alert_source *src = &a->top[i];

		ui_printf(w, y, 1, 3, UI_DIM, "%2u", i + 1);
		ui_putpad(w, y, 4, 28, UI_NORMAL, ui_addr(addr, sizeof(addr),
		    &src->addr));
		ui_putr(w, y, 33, 9, UI_NORMAL, fmt_si(x1, sizeof(x1),
		    src->packets));
		snprintf(buf, sizeof(buf), "%.1f%%", src->share * 100.0);
		ui_putr(w, y, 43, 7, UI_NORMAL, buf);
		if (bar > 4)
			ui_bar(w, y, 52, bar, (uint64_t)(src->share * 1000.0),
			    1000);
		ui_whois(who, sizeof(who), c->prefixes, &src->addr);
		dns_whois(who, sizeof(who), c, &src->addr);
		host_name(nm, sizeof(nm), &src->addr);
		snprintf(srcw, sizeof(srcw), "%s%s%s", nm,
		    nm[0] && who[0] ? "  " : "", who);
		if (srcw[0] != '\0' && cols > 52 + bar + 2)
			ui_put(w, y, 52 + bar + 2, cols - 52 - bar - 3, UI_DIM,
			    srcw);
	}
	if (a->ntop == 0 && y < rows)
		ui_put(w, y, 3, cols - 4, UI_DIM, _("no source stands out"));
}

static void
draw(WINDOW *w, int rows, int cols, const struct view_ctx *c)
{
	const struct alert *a;

	body_rows = rows;
	if (past.on) {
		past_draw(w, rows, cols, c);
		return;
	}
	if (c->snap == NULL) {
		ui_empty(w, rows / 2, cols, _("waiting for the first second "
		    "of traffic..."));
		return;
	}
	if (detail_id != 0) {
		if ((a = find(c->snap, detail_id)) != NULL) {
			draw_detail(w, rows, cols, c, a);
			return;
		}
		detail_id = 0;	/* it aged out of the snapshot */
	}
	draw_list(w, rows, cols, c);
}

static int
key(int k, const struct view_ctx *c)
{
	size_t idx[1024], n = filtered(c, idx, NITEMS(idx));
	int visible = body_rows - 2, f;

	if (past.on)
		return past_key(k, c);
	if (k == 'H' && c->is_char && detail_id == 0) {
		past.on = 1;
		memset(&past.list, 0, sizeof(past.list));
		past_read(c);
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (k == 'e' && (detail_id != 0 || n > 0)) {
		const struct alert *a = detail_id != 0 ?
		    find(c->snap, detail_id) : NULL;

		if (a == NULL && n > 0) {
			ui_list_fit(&list, (int)n, visible);
			a = &c->snap->alerts[idx[list.sel]];
		}
		if (a != NULL) {
			incidents_from_alert(a, c);
			ui_goto("incidents");
		}
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (detail_id != 0) {
		switch (k) {
		case 27:
		case '\r':
		case '\n':
		case KEY_ENTER:
		case KEY_BACKSPACE:
		case 127:
		case KEY_LEFT:
			detail_id = 0;
			return VIEW_HANDLED | VIEW_REDRAW;
		case KEY_UP:
		case KEY_DOWN:
		case 'k':
		case 'j':
			f = ui_list_key(&list, k, (int)n, visible);
			if (n > 0)
				detail_id = c->snap->alerts[idx[list.sel]].id;
			return f | VIEW_REDRAW;
		}
		return VIEW_UNHANDLED;
	}
	switch (k) {
	case '\r':
	case '\n':
	case KEY_ENTER:
	case KEY_RIGHT:
		if (n == 0)
			return VIEW_HANDLED;
		ui_list_fit(&list, (int)n, visible);
		detail_id = c->snap->alerts[idx[list.sel]].id;
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	return ui_list_key(&list, k, (int)n, visible);
}

static void
resize(int rows, int cols)
{
	(void)cols;
	body_rows = rows;
}

static int
count(const struct view_ctx *c)
{
	const struct snapshot *s = c->snap;
	size_t i;
	int n = 0;

	for (i = 0; s != NULL && i < s->nalerts; i++)
		if (ui_alert_active(&s->alerts[i]))
			n++;
	return n;
}

const struct view view_alerts = {
	.name = "alerts",
	.title = N_("Alerts"),
	.keys = list_keys,
	.current_keys = current_keys,
	.draw = draw,
	.key = key,
	.resize = resize,
	.count = count,
};
