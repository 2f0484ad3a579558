/*
 * overview.c -- the first screen: every link's load against its contracted
 * capacity (a bar that turns yellow past 70 %, red past 90 % and blinks
 * reversed past 100 %, when the victim can no longer help itself), a
 * 60-second sparkline per link on one common scale (so traffic moving from
 * one peering link to another shows as one line falling while the other
 * rises), the protocol mix and SYN/UDP/ICMP rates of the last second, and
 * the active alerts.
 *
 * Looking back: [ and ] step the series back and forth over the history on
 * disk a minute at a time (PgUp/PgDn an hour; End or Esc is live again),
 * read through the engine (engine_history.h). The screen then shows one
 * minute -- its average rates, the 60 minutes up to it as the sparklines,
 * and the alerts that ran in it. State: the reader, the minute shown and
 * the window read for it.
 */
#include <stdio.h>
#include <string.h>

#include "base/fmt.h"
#include "engine/engine_history.h"
#include "i18n.h"
#include "detect/snapshot.h"
#include "ui.h"
#include "base/util.h"
#include "view.h"

#define NAME_W	12

static const struct view_key keys[] = {
	{ '[', "[ ]", N_("history"),
	  N_("look back over the history on disk a minute at a time "
	     "([ back, ] forward)") },
	{ KEY_PPAGE, "PgUp/PgDn", N_("hour"),
	  N_("look back or forward by an hour in the history") },
	{ KEY_END, "End", N_("live"),
	  N_("back to the live 60 seconds (also Esc)") },
	{ 0, NULL, NULL, NULL }
};

#define HIST_MIN	60		/* minutes in a history window */

/* The history being looked at; hist.minute 0 = live. */
static struct {
	struct engine_history *eh;
	int64_t minute;			/* the minute shown */
	int64_t oldest, newest;		/* stored, at the last key */
	struct engine_history_window w;	/* HIST_MIN minutes up to minute */
	char msg[256];			/* why there is no history */
} hist;

static unsigned
share(uint64_t part, uint64_t whole)
{
	return whole == 0 ? 0 : (unsigned)(part * 100 / whole);
}

/* One link: a bar line and a sparkline line. Returns rows used. */
static int
draw_link(WINDOW *w, int y, int cols, const struct snap_link *l,
    uint64_t scale, int finished)
{
	char name[128], buf[128], a[24], b[24], p[16];
	unsigned pct = fmt_pct(l->bps, l->capacity_bps);
	int bar_w, x, spark_w;

	text_sanitize(name, sizeof(name), l->name, strnlen(l->name,
	    sizeof(l->name)));
	ui_putpad(w, y, 1, NAME_W - 1, UI_TITLE, name);
	/* bar | pct | rate / capacity | pps */
	bar_w = cols - NAME_W - 44;
	if (bar_w > 40)
		bar_w = 40;
	if (bar_w < 6)
		bar_w = 6;
	x = NAME_W;
	ui_bar(w, y, x, bar_w, l->bps, l->capacity_bps);
	x += bar_w + 1;
	if (l->capacity_bps != 0) {
		snprintf(buf, sizeof(buf), "%3u%%", pct);
		ui_putr(w, y, x, 5, ui_load_role(pct), buf);
		snprintf(buf, sizeof(buf), "%s / %s",
		    fmt_bps(a, sizeof(a), l->bps),
		    fmt_bps(b, sizeof(b), l->capacity_bps));
	} else {
		ui_putr(w, y, x, 5, UI_DIM, "  -");
		snprintf(buf, sizeof(buf), "%s / %s",
		    fmt_bps(a, sizeof(a), l->bps), _("capacity unknown"));
	}
	x += 6;
	ui_putpad(w, y, x, 24, UI_NORMAL, buf);
	x += 25;
	snprintf(buf, sizeof(buf), "%s %s", fmt_si(p, sizeof(p), l->pps),
	    _("pps"));
	ui_putr(w, y, x, cols - x - 1 < 12 ? cols - x - 1 : 12, UI_NORMAL, buf);

	/* The history, then the source's state. */
	spark_w = cols - NAME_W - 22;
	if (spark_w > SERIES_LEN)
		spark_w = SERIES_LEN;
	if (spark_w < 4)
		spark_w = 4;
	ui_spark(w, y + 1, NAME_W, spark_w, l->bps_series, SERIES_LEN, scale,
	    l->capacity_bps);
	x = NAME_W + spark_w + 1;
	if (l->error[0] != '\0') {
		text_sanitize(buf, sizeof(buf), l->error,
		    strnlen(l->error, sizeof(l->error)));
		ui_put(w, y + 1, x, cols - x, UI_CRIT, buf);
	} else if (l->kernel_drops + l->if_drops > 0) {
		snprintf(buf, sizeof(buf), "%s %llu", _("drops"),
		    (unsigned long long)(l->kernel_drops + l->if_drops));
		ui_put(w, y + 1, x, cols - x, UI_CRIT, buf);
	} else if (l->done && (l->live || finished)) {
		ui_put(w, y + 1, x, cols - x, UI_DIM, _("finished"));
	} else {
		snprintf(buf, sizeof(buf), "%s, %s", _("60 s"),
		    l->telemetry ? _("telemetry (estimated)") :
		    l->live ? _("live") : _("replay"));
		ui_put(w, y + 1, x, cols - x, UI_DIM, buf);
	}
	return 2;
}

static int
draw_traffic(WINDOW *w, int y, int cols, const struct snapshot *s)
{
	const struct counts *c = &s->second;
	char buf[256], a[16], b[24], d[16], e[16], f[16], g[16], h[16];
	uint64_t ip = c->ipv4 + c->ipv6;
	uint64_t max;
	int sw;

	ui_put(w, y, 1, NAME_W - 1, UI_TITLE, _("Traffic"));
	snprintf(buf, sizeof(buf), "%s %s  %s   TCP %u%%  UDP %u%%  "
	    "ICMP %u%%  %s %u%%  IPv6 %u%%",
	    fmt_si(a, sizeof(a), c->packets), _("pps"),
	    fmt_bps(b, sizeof(b), c->bytes * 8),
	    share(c->tcp, c->packets), share(c->udp, c->packets),
	    share(c->icmp, c->packets), _("other"),
	    share(c->other, c->packets), share(c->ipv6, ip));
	ui_put(w, y, NAME_W, cols - NAME_W, UI_NORMAL, buf);
	y++;
	ui_put(w, y, 1, NAME_W - 1, UI_TITLE, _("Rates"));
	snprintf(buf, sizeof(buf), "SYN %s/s  UDP %s/s  ICMP %s/s  "
	    "%s %s/s  %s %s/s",
	    fmt_si(a, sizeof(a), c->tcp_syn), fmt_si(d, sizeof(d), c->udp),
	    fmt_si(e, sizeof(e), c->icmp), _("fragments"),
	    fmt_si(f, sizeof(f), c->fragments), _("malformed"),
	    fmt_si(g, sizeof(g), c->malformed));
	ui_put(w, y, NAME_W, cols - NAME_W, c->tcp_syn > 1000 ? UI_WARN :
	    UI_NORMAL, buf);
	y++;
	ui_put(w, y, 1, NAME_W - 1, UI_TITLE, _("SYN/s"));
	max = fmt_max(s->syn_series, SERIES_LEN);
	sw = cols - NAME_W - 22 < SERIES_LEN ? cols - NAME_W - 22 : SERIES_LEN;
	ui_spark(w, y, NAME_W, sw, s->syn_series, SERIES_LEN, max, 0);
	snprintf(buf, sizeof(buf), "%s %s", _("peak"),
	    fmt_si(h, sizeof(h), max));
	ui_put(w, y, NAME_W + sw + 1, 20, UI_DIM, buf);
	y++;
	ui_put(w, y, 1, NAME_W - 1, UI_TITLE, _("Total"));
	snprintf(buf, sizeof(buf), _("%s packets, %sB since start"),
	    fmt_si(a, sizeof(a), s->total.packets),
	    fmt_si(d, sizeof(d), s->total.bytes));
	ui_put(w, y, NAME_W, cols - NAME_W, UI_DIM, buf);
	return 4;
}

static void
draw_alert_row(WINDOW *w, int y, int cols, const struct alert *a)
{
	char addr[ADDR_STRLEN], buf[128], p[16], b[24], n[16];
	int x = 1, tw;

	ui_putpad(w, y, x, 14, UI_CRIT, ui_kind(a->kind));
	x += 15;
	ui_putpad(w, y, x, 8, a->direction == DIR_OUTBOUND ? UI_WARN :
	    UI_NORMAL, ui_direction(a->direction));
	x += 9;
	tw = cols - x - (cols >= 100 ? 51 : 40);
	if (tw > 39)
		tw = 39;
	if (tw < 15)
		tw = 15;
	ui_putpad(w, y, x, tw, UI_NORMAL, ui_addr(addr, sizeof(addr),
	    &a->target));
	x += tw + 1;
	snprintf(buf, sizeof(buf), "%s %s", fmt_si(p, sizeof(p), a->cur_pps),
	    _("pps"));
	ui_putr(w, y, x, 10, UI_NORMAL, buf);
	x += 11;
	if (cols >= 100) {
		ui_putr(w, y, x, 10, UI_NORMAL, fmt_bps(b, sizeof(b),
		    a->cur_bps));
		x += 11;
	}
	snprintf(buf, sizeof(buf), "%s %s  ", _("sources"),
	    fmt_si(n, sizeof(n), a->sources_est));
	x += ui_put(w, y, x, cols - x, UI_NORMAL, buf);
	x += ui_put(w, y, x, cols - x, UI_NORMAL, _("spoof"));
	x += ui_put(w, y, x, cols - x, UI_NORMAL, " ");
	ui_put(w, y, x, cols - x, ui_spoof_role(a->spoof), ui_spoof(a->spoof));
}

/* ---- looking back ----------------------------------------------------- */

/* Read the window ending at hist.minute; on failure say why and go live. */
static void
hist_read(void)
{
	char errbuf[ERRBUF_SIZE];

	engine_history_window_free(&hist.w);
	if (engine_history_window(hist.eh, hist.minute - (HIST_MIN - 1) * 60,
	    HIST_MIN, &hist.w, errbuf) != 0) {
		text_sanitize(hist.msg, sizeof(hist.msg), errbuf,
		    strlen(errbuf));
		hist.minute = 0;
	}
}

/* Move by delta minutes (entering the history at the newest minute up to
 * the capture's, when live). Returns VIEW_* flags. */
static int
hist_move(int64_t delta, const struct view_ctx *c)
{
	char errbuf[ERRBUF_SIZE];
	int64_t cap;

	hist.msg[0] = '\0';
	if (hist.eh == NULL && (hist.eh = engine_history_open(c->opt,
	    errbuf)) == NULL) {
		text_sanitize(hist.msg, sizeof(hist.msg), errbuf,
		    strlen(errbuf));
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (engine_history_span(hist.eh, &hist.oldest, &hist.newest,
	    errbuf) != 0) {
		text_sanitize(hist.msg, sizeof(hist.msg), errbuf,
		    strlen(errbuf));
		hist.minute = 0;
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (hist.newest == 0) {
		snprintf(hist.msg, sizeof(hist.msg), "%s", _("the history "
		    "holds no minute yet"));
		hist.minute = 0;
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (hist.minute == 0) {
		if (delta > 0)
			return VIEW_HANDLED;	/* live is the newest */
		/* The newest stored minute not after the capture's (a replay
		 * of an older capture looks back from its own time). */
		cap = c->snap != NULL ? c->snap->capture_us / 60000000 * 60 : 0;
		hist.minute = cap >= hist.oldest && cap <= hist.newest ? cap :
		    hist.newest;
		hist_read();
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	hist.minute += delta * 60;
	if (hist.minute > hist.newest) {
		hist.minute = 0;		/* past the newest: live */
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (hist.minute < hist.oldest)
		hist.minute = hist.oldest;
	hist_read();
	return VIEW_HANDLED | VIEW_REDRAW;
}

/* The shown minute's cell of link k. */
static const struct engine_history_cell *
hist_cell(size_t k)
{
	return &hist.w.cells[k * hist.w.nminutes + hist.w.nminutes - 1];
}

static void
hist_draw_link(WINDOW *w, int y, int cols, size_t k, uint64_t scale)
{
	const struct engine_history_cell *c = hist_cell(k);
	uint64_t series[HIST_MIN], bps = c->bytes * 8 / 60, cap = 0;
	char name[128], buf[128], a[24], b[24], p[16];
	int bar_w, x, spark_w;
	size_t i;

	for (i = 0; i < hist.w.nminutes && i < HIST_MIN; i++) {
		const struct engine_history_cell *m =
		    &hist.w.cells[k * hist.w.nminutes + i];

		series[i] = m->bytes * 8 / 60;
		if (m->capacity_bps != 0)
			cap = m->capacity_bps;
	}
	if (c->capacity_bps != 0)
		cap = c->capacity_bps;
	text_sanitize(name, sizeof(name), hist.w.links[k],
	    strnlen(hist.w.links[k], sizeof(hist.w.links[k])));
	ui_putpad(w, y, 1, NAME_W - 1, UI_TITLE, name);
	bar_w = cols - NAME_W - 44;
	if (bar_w > 40)
		bar_w = 40;
	if (bar_w < 6)
		bar_w = 6;
	x = NAME_W;
	ui_bar(w, y, x, bar_w, bps, cap);
	x += bar_w + 1;
	if (cap != 0) {
		snprintf(buf, sizeof(buf), "%3u%%", fmt_pct(bps, cap));
		ui_putr(w, y, x, 5, ui_load_role(fmt_pct(bps, cap)), buf);
	} else
		ui_putr(w, y, x, 5, UI_DIM, "  -");
	x += 6;
	snprintf(buf, sizeof(buf), "%s / %s", fmt_bps(a, sizeof(a), bps),
	    cap != 0 ? fmt_bps(b, sizeof(b), cap) : _("capacity unknown"));
	ui_putpad(w, y, x, 24, UI_NORMAL, buf);
	x += 25;
	snprintf(buf, sizeof(buf), "%s %s", fmt_si(p, sizeof(p),
	    c->packets / 60), _("pps"));
	ui_putr(w, y, x, cols - x - 1 < 12 ? cols - x - 1 : 12, UI_NORMAL, buf);

	spark_w = cols - NAME_W - 22;
	if (spark_w > HIST_MIN)
		spark_w = HIST_MIN;
	if (spark_w < 4)
		spark_w = 4;
	ui_spark(w, y + 1, NAME_W, spark_w, series, HIST_MIN, scale, cap);
	x = NAME_W + spark_w + 1;
	if (!c->present)
		ui_put(w, y + 1, x, cols - x, UI_DIM, _("no record"));
	else if (c->drops > 0) {
		snprintf(buf, sizeof(buf), "%s %llu", _("drops"),
		    (unsigned long long)c->drops);
		ui_put(w, y + 1, x, cols - x, UI_CRIT, buf);
	} else
		ui_put(w, y + 1, x, cols - x, UI_DIM, _("60 min, history"));
}

static void
hist_draw(WINDOW *w, int rows, int cols, const struct view_ctx *c)
{
	char buf[256], t[40], u[40], a[16], b[24], d[16], e[16], f[16];
	uint64_t scale = 0, syn[HIST_MIN], sum[6] = { 0 }, peak = 0;
	size_t k, i, nal = 0;
	int y = 0, sw;

	snprintf(buf, sizeof(buf), "%s", _("Links, looking back"));
	ui_put(w, y, 1, cols - 2, UI_TITLE, buf);
	snprintf(buf, sizeof(buf), "%s %s", _("minute"),
	    time_rfc3339(t, sizeof(t), hist.minute * 1000000, 0));
	ui_putr(w, y, cols / 2, cols / 2 - 1, UI_WARN, buf);
	y++;
	memset(syn, 0, sizeof(syn));
	for (k = 0; k < hist.w.nlinks; k++)
		for (i = 0; i < hist.w.nminutes && i < HIST_MIN; i++) {
			const struct engine_history_cell *m =
			    &hist.w.cells[k * hist.w.nminutes + i];

			if (m->bytes * 8 / 60 > scale)
				scale = m->bytes * 8 / 60;
			syn[i] += m->syn / 60;
		}
	for (k = 0; k < hist.w.nlinks; k++) {
		const struct engine_history_cell *m = hist_cell(k);

		if (y + 2 > rows - 7 && k > 0) {
			snprintf(buf, sizeof(buf), _("... %zu more links"),
			    hist.w.nlinks - k);
			ui_put(w, y++, NAME_W, cols - NAME_W, UI_DIM, buf);
			break;
		}
		hist_draw_link(w, y, cols, k, scale);
		y += 2;
		sum[0] += m->packets;
		sum[1] += m->bytes;
		sum[2] += m->syn;
		sum[3] += m->udp;
		sum[4] += m->icmp;
		sum[5] += m->fragments;
	}
	if (hist.w.nlinks == 0)
		ui_put(w, y++, NAME_W, cols - NAME_W, UI_DIM,
		    _("no links recorded in this hour"));
	y++;
	ui_put(w, y, 1, NAME_W - 1, UI_TITLE, _("Traffic"));
	snprintf(buf, sizeof(buf), _("%s pps  %s  average of the minute"),
	    fmt_si(a, sizeof(a), sum[0] / 60),
	    fmt_bps(b, sizeof(b), sum[1] * 8 / 60));
	ui_put(w, y++, NAME_W, cols - NAME_W, UI_NORMAL, buf);
	ui_put(w, y, 1, NAME_W - 1, UI_TITLE, _("Rates"));
	snprintf(buf, sizeof(buf), "SYN %s/s  UDP %s/s  ICMP %s/s  %s %s/s",
	    fmt_si(a, sizeof(a), sum[2] / 60), fmt_si(d, sizeof(d), sum[3] / 60),
	    fmt_si(e, sizeof(e), sum[4] / 60), _("fragments"),
	    fmt_si(f, sizeof(f), sum[5] / 60));
	ui_put(w, y++, NAME_W, cols - NAME_W, sum[2] / 60 > 1000 ? UI_WARN :
	    UI_NORMAL, buf);
	ui_put(w, y, 1, NAME_W - 1, UI_TITLE, _("SYN/s"));
	peak = fmt_max(syn, HIST_MIN);
	sw = cols - NAME_W - 22 < HIST_MIN ? cols - NAME_W - 22 : HIST_MIN;
	ui_spark(w, y, NAME_W, sw, syn, HIST_MIN, peak, 0);
	snprintf(buf, sizeof(buf), "%s %s", _("peak"),
	    fmt_si(a, sizeof(a), peak));
	ui_put(w, y++, NAME_W + sw + 1, 20, UI_DIM, buf);
	ui_put(w, y, 1, NAME_W - 1, UI_TITLE, _("Stored"));
	time_rfc3339(t, sizeof(t), hist.oldest * 1000000, 0);
	time_rfc3339(u, sizeof(u), hist.newest * 1000000, 0);
	snprintf(buf, sizeof(buf), "%s .. %s", t, u);
	ui_put(w, y++, NAME_W, cols - NAME_W, UI_DIM, buf);
	y++;

	/* The alerts that ran in this minute. */
	for (i = 0; i < hist.w.nalerts; i++)
		if (hist.w.alerts[i].start_us < (hist.minute + 60) * 1000000 &&
		    (hist.w.alerts[i].end_us == 0 ||
		    hist.w.alerts[i].end_us >= hist.minute * 1000000))
			nal++;
	snprintf(buf, sizeof(buf), _("Alerts in this minute (%zu)"), nal);
	ui_put(w, y++, 1, cols - 2, nal > 0 ? UI_CRIT : UI_TITLE, buf);
	for (i = 0; i < hist.w.nalerts && y < rows; i++) {
		const struct engine_history_alert *al = &hist.w.alerts[i];
		char tgt[64];
		int x = 1, tw;

		if (al->start_us >= (hist.minute + 60) * 1000000 ||
		    (al->end_us != 0 && al->end_us < hist.minute * 1000000))
			continue;
		ui_putpad(w, y, x, 14, UI_CRIT, ui_kind_name(al->kind));
		x += 15;
		ui_putpad(w, y, x, 8, UI_NORMAL,
		    ui_direction_name(al->direction));
		x += 9;
		tw = cols - x - 24;
		if (tw > 39)
			tw = 39;
		if (tw < 10)
			tw = 10;
		text_sanitize(tgt, sizeof(tgt), al->target,
		    strnlen(al->target, sizeof(al->target)));
		ui_putpad(w, y, x, tw, UI_NORMAL, tgt);
		x += tw + 1;
		snprintf(buf, sizeof(buf), "%s %s %s", _("peak"),
		    fmt_si(a, sizeof(a), al->peak_pps), _("pps"));
		ui_put(w, y++, x, cols - x, UI_NORMAL, buf);
	}
	if (nal == 0 && y < rows)
		ui_put(w, y, 1, cols - 2, UI_DIM, _("none in this minute"));
	(void)c;
}

static void
draw(WINDOW *w, int rows, int cols, const struct view_ctx *c)
{
	const struct snapshot *s = c->snap;
	char buf[128], t[32];
	uint64_t scale = 0, m;
	size_t i, nact = 0, shown = 0;
	int y = 0;

	if (hist.minute != 0) {
		hist_draw(w, rows, cols, c);
		return;
	}
	if (s == NULL) {
		ui_empty(w, rows / 2, cols, hist.msg[0] != '\0' ? hist.msg :
		    _("waiting for the first second of traffic..."));
		return;
	}
	ui_put(w, y, 1, cols - 2, UI_TITLE, _("Links"));
	if (hist.msg[0] != '\0')
		ui_put(w, rows - 1, 1, cols - 2, UI_WARN, hist.msg);
	if (s->capture_us != 0) {
		time_rfc3339(t, sizeof(t), s->capture_us, 0);
		snprintf(buf, sizeof(buf), "%s %s", _("capture time"), t);
		ui_putr(w, y, cols / 2, cols / 2 - 1, UI_DIM, buf);
	}
	y++;
	for (i = 0; i < s->nlinks; i++) {
		m = fmt_max(s->links[i].bps_series, SERIES_LEN);
		if (m > scale)
			scale = m;
	}
	for (i = 0; i < s->nlinks; i++) {
		if (y + 2 > rows - 7 && i > 0) {
			snprintf(buf, sizeof(buf), _("... %zu more links"),
			    s->nlinks - i);
			ui_put(w, y++, NAME_W, cols - NAME_W, UI_DIM, buf);
			break;
		}
		y += draw_link(w, y, cols, &s->links[i], scale, s->finished);
	}
	if (s->nlinks == 0)
		ui_put(w, y++, NAME_W, cols - NAME_W, UI_DIM, _("no links"));
	if (s->telemetry.on) {
		const struct snap_telemetry *tm = &s->telemetry;
		uint64_t bad = tm->malformed + tm->unknown_templates +
		    tm->socket_drops + tm->shed + tm->ring_drops;

		snprintf(buf, sizeof(buf), _("telemetry: %llu exporters, %llu "
		    "datagrams, %llu records; malformed %llu, unknown "
		    "templates %llu, socket drops %llu, shed %llu, lost %llu"),
		    (unsigned long long)tm->exporters,
		    (unsigned long long)tm->datagrams,
		    (unsigned long long)tm->records,
		    (unsigned long long)tm->malformed,
		    (unsigned long long)tm->unknown_templates,
		    (unsigned long long)(tm->socket_drops + tm->ring_drops),
		    (unsigned long long)tm->shed,
		    (unsigned long long)tm->lost_datagrams);
		ui_put(w, y++, 1, cols - 2, bad > 0 ? UI_WARN : UI_DIM, buf);
	}
	y++;
	y += draw_traffic(w, y, cols, s);
	y++;

	for (i = 0; i < s->nalerts; i++)
		if (ui_alert_active(&s->alerts[i]))
			nact++;
	snprintf(buf, sizeof(buf), _("Active alerts (%zu)"), nact);
	ui_put(w, y, 1, cols - 2, nact > 0 ? UI_CRIT : UI_TITLE, buf);
	y++;
	for (i = 0; i < s->nalerts && y < rows; i++) {
		const struct alert *a = &s->alerts[i];

		if (!ui_alert_active(a) || !ui_alert_match(a, c->filter))
			continue;
		if (y == rows - 1 && nact - shown > 1) {
			snprintf(buf, sizeof(buf), _("... %zu more: press 2 "
			    "for Alerts"), nact - shown);
			ui_put(w, y++, 1, cols - 2, UI_DIM, buf);
			break;
		}
		draw_alert_row(w, y++, cols, a);
		shown++;
	}
	if (nact == 0 && y < rows) {
		if (s->nalerts > 0)
			snprintf(buf, sizeof(buf), _("none active; %zu ended "
			    "(press 2 for Alerts)"), s->nalerts);
		else
			snprintf(buf, sizeof(buf), "%s", _("none: all quiet"));
		ui_put(w, y, 1, cols - 2, UI_DIM, buf);
	}
}


static int
key(int k, const struct view_ctx *c)
{
	switch (k) {
	case '[':
		return c->is_char ? hist_move(-1, c) : VIEW_UNHANDLED;
	case ']':
		return c->is_char ? hist_move(1, c) : VIEW_UNHANDLED;
	}
	if (!c->is_char && k == KEY_PPAGE)
		return hist_move(hist.minute == 0 ? -1 : -60, c);
	if (!c->is_char && k == KEY_NPAGE)
		return hist.minute == 0 ? VIEW_UNHANDLED : hist_move(60, c);
	if ((!c->is_char && k == KEY_END) || (c->is_char && k == 27)) {
		if (hist.minute == 0 && hist.msg[0] == '\0')
			return VIEW_UNHANDLED;	/* Esc: the shell's */
		hist.minute = 0;
		hist.msg[0] = '\0';
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	return VIEW_UNHANDLED;
}

const struct view view_overview = {
	.name = "overview",
	.title = N_("Overview"),
	.keys = keys,
	.draw = draw,
	.key = key,
};
