/*
 * targets.c -- the busiest destinations: rate now and at peak, SYN, UDP
 * and ICMP counts, totals, whether the address is ours (home) and whether
 * an alert is running on it. State: the list cursor and the sort column.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fmt.h"
#include "i18n.h"
#include "engine/names.h"
#include "detect/snapshot.h"
#include "ui.h"
#include "base/util.h"
#include "view.h"

enum sort_by { BY_RATE = 0, BY_BPS, BY_PACKETS, BY_PEAK, BY_COUNT };

static struct ui_list list;
static enum sort_by sort_by;
static int body_rows = 20;

static const char *const sort_names[BY_COUNT] = {
	N_("pps now"), N_("b/s now"), N_("packets"), N_("peak pps"),
};

static const struct view_key keys[] = {
	{ VKEY_UPDOWN, "Up/Dn", N_("move"), N_("move the cursor (also j/k)") },
	{ VKEY_PAGE, "PgUp/PgDn", N_("page"), N_("move by a page") },
	{ 's', "s", N_("sort"),
	  N_("sort by pps now, b/s now, packets, peak pps in turn") },
	{ 0, NULL, NULL, NULL }
};

static uint64_t
sort_key(const struct snap_target *t)
{
	switch (sort_by) {
	case BY_BPS:
		return t->bps;
	case BY_PACKETS:
		return t->packets;
	case BY_PEAK:
		return t->peak_pps;
	default:
		return t->pps;
	}
}

static const struct snap_target *sort_base;

static int
cmp(const void *a, const void *b)
{
	uint64_t x = sort_key(&sort_base[*(const size_t *)a]);
	uint64_t y = sort_key(&sort_base[*(const size_t *)b]);

	if (x != y)
		return x > y ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static size_t
filtered(const struct view_ctx *c, size_t *idx, size_t max)
{
	const struct snapshot *s = c->snap;
	char addr[ADDR_STRLEN];
	size_t i, n = 0;

	for (i = 0; s != NULL && i < s->ntargets && n < max; i++)
		if (fmt_match(ui_addr(addr, sizeof(addr), &s->targets[i].addr),
		    c->filter))
			idx[n++] = i;
	if (n > 1 && s != NULL) {
		sort_base = s->targets;
		qsort(idx, n, sizeof(*idx), cmp);
	}
	return n;
}

static void
draw(WINDOW *w, int rows, int cols, const struct view_ctx *c)
{
	static size_t idx[4096];
	const struct snapshot *s = c->snap;
	char addr[ADDR_STRLEN], a[16], buf[256], nm[128], cell[200];
	size_t n, i;
	int y, x, tw, wide = cols >= 100, visible = rows - 2;

	body_rows = rows;
	if (s == NULL) {
		ui_empty(w, rows / 2, cols, _("waiting for the first second "
		    "of traffic..."));
		return;
	}
	n = filtered(c, idx, NITEMS(idx));
	tw = cols - (wide ? 84 : 62);
	if (tw > 39)
		tw = 39;
	if (tw < 15)
		tw = 15;
	ui_putpad(w, 0, 0, cols, UI_TITLE, "");
	x = 1;
	ui_putpad(w, 0, x, tw, UI_TITLE, _("Destination"));
	x += tw + 1;
	ui_putpad(w, 0, x, 5, UI_TITLE, _("Home"));
	x += 6;
	ui_putr(w, 0, x, 7, UI_TITLE, _("pps"));
	x += 8;
	ui_putr(w, 0, x, 10, UI_TITLE, _("b/s"));
	x += 11;
	ui_putr(w, 0, x, 7, UI_TITLE, _("Peak"));
	x += 8;
	ui_putr(w, 0, x, 7, UI_TITLE, "SYN");
	x += 8;
	ui_putr(w, 0, x, 7, UI_TITLE, "UDP");
	x += 8;
	if (wide) {
		ui_putr(w, 0, x, 7, UI_TITLE, "ICMP");
		x += 8;
		ui_putr(w, 0, x, 8, UI_TITLE, _("Packets"));
		x += 9;
		ui_putr(w, 0, x, 7, UI_TITLE, _("Bytes"));
		x += 8;
	}
	ui_put(w, 0, x, cols - x, UI_TITLE, _("Alert"));
	if (n == 0) {
		ui_empty(w, rows / 2, cols, c->filter[0] != '\0' ?
		    _("no destination matches the filter") :
		    _("no traffic yet"));
		return;
	}
	ui_list_fit(&list, (int)n, visible);
	for (i = (size_t)list.top, y = 1; i < n && y <= visible; i++, y++) {
		const struct snap_target *t = &s->targets[idx[i]];
		int sel = (int)i == list.sel;
		enum ui_role r = sel ? UI_SELECT : UI_NORMAL;

		if (sel)
			ui_putpad(w, y, 0, cols, UI_SELECT, "");
		x = 1;
		/* The reverse name after the address, for the top ten
		 * only (each asked once, names.c); cut to the column. */
		if (i >= 10 || names_get(&t->addr, nm, sizeof(nm)) !=
		    NAMES_OK)
			nm[0] = '\0';
		snprintf(cell, sizeof(cell), "%s%s%s",
		    ui_addr(addr, sizeof(addr), &t->addr), nm[0] ? " " : "",
		    nm);
		ui_putpad(w, y, x, tw, sel ? UI_SELECT : t->alert_id ?
		    UI_CRIT : UI_NORMAL, cell);
		x += tw + 1;
		ui_putpad(w, y, x, 5, r, t->home ? _("home") : "");
		x += 6;
		ui_putr(w, y, x, 7, r, fmt_si(a, sizeof(a), t->pps));
		x += 8;
		ui_putr(w, y, x, 10, r, fmt_bps(buf, sizeof(buf), t->bps));
		x += 11;
		ui_putr(w, y, x, 7, r, fmt_si(a, sizeof(a), t->peak_pps));
		x += 8;
		ui_putr(w, y, x, 7, r, fmt_si(a, sizeof(a), t->syn));
		x += 8;
		ui_putr(w, y, x, 7, r, fmt_si(a, sizeof(a), t->udp));
		x += 8;
		if (wide) {
			ui_putr(w, y, x, 7, r, fmt_si(a, sizeof(a), t->icmp));
			x += 8;
			ui_putr(w, y, x, 8, r, fmt_si(a, sizeof(a), t->packets));
			x += 9;
			ui_putr(w, y, x, 7, r, fmt_si(a, sizeof(a), t->bytes));
			x += 8;
		}
		if (t->alert_id != 0) {
			snprintf(buf, sizeof(buf), "#%llu",
			    (unsigned long long)t->alert_id);
			ui_put(w, y, x, cols - x, sel ? UI_SELECT : UI_CRIT, buf);
		}
	}
	snprintf(buf, sizeof(buf), _("%zu destinations, sorted by %s"), n,
	    _(sort_names[sort_by]));
	if (s->table_evictions > 0) {
		char e[160];

		snprintf(e, sizeof(e), _("; %llu evicted from the table"),
		    (unsigned long long)s->table_evictions);
		strncat(buf, e, sizeof(buf) - strlen(buf) - 1);
	}
	if (wide)
		strncat(buf, _("; SYN, UDP, ICMP: packets since start"),
		    sizeof(buf) - strlen(buf) - 1);
	ui_put(w, rows - 1, 1, cols - 2, UI_DIM, buf);
}

static int
key(int k, const struct view_ctx *c)
{
	size_t n = 0, i;

	if (k == 's') {
		sort_by = (sort_by + 1) % BY_COUNT;
		list.sel = list.top = 0;
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	for (i = 0; c->snap != NULL && i < c->snap->ntargets; i++) {
		char addr[ADDR_STRLEN];

		if (fmt_match(ui_addr(addr, sizeof(addr),
		    &c->snap->targets[i].addr), c->filter))
			n++;
	}
	return ui_list_key(&list, k, (int)n, body_rows - 2);
}

static void
resize(int rows, int cols)
{
	(void)cols;
	body_rows = rows;
}

const struct view view_targets = {
	.name = "targets",
	.title = N_("Targets"),
	.keys = keys,
	.draw = draw,
	.key = key,
	.resize = resize,
};
