/*
 * sources.c -- where the traffic comes from, by group (a /16 or /48 until
 * enrichment names countries and ASNs), coloured with the legend of the
 * seed slide on SYN floods and spoofing: red below 100 SYN/s, green from
 * 100 to 1000, blue above 1000. Each row also carries a marker (. + #) so
 * the legend reads on a monochrome terminal. g groups the snapshot's
 * groups again by country or by AS (their rates summed). State: the list
 * cursor and the grouping.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fmt.h"
#include "i18n.h"
#include "detect/snapshot.h"
#include "ui.h"
#include "base/util.h"
#include "view.h"

enum group_by { BY_PREFIX = 0, BY_COUNTRY, BY_ASN, BY_COUNT };

static struct ui_list list;
static int body_rows = 20;
static enum group_by group_by;
static struct snap_group agg[256];	/* the snapshot holds at most 64 */

static const struct view_key keys[] = {
	{ VKEY_UPDOWN, "Up/Dn", N_("move"), N_("move the cursor (also j/k)") },
	{ VKEY_PAGE, "PgUp/PgDn", N_("page"), N_("move by a page") },
	{ 'g', "g", N_("group"),
	  N_("group the sources by prefix, by country, by AS in turn") },
	{ 0, NULL, NULL, NULL }
};

/* The seed's legend: red below LOW, green LOW..HIGH, blue above HIGH SYN/s
 * (100 and 1000 unless the syn-legend setting says otherwise). */
static uint64_t legend_low = 100, legend_high = 1000;

static enum ui_role
syn_role(uint64_t rate)
{
	return rate > legend_high ? UI_BLUE : rate >= legend_low ? UI_OK :
	    UI_CRIT;
}

static const char *
syn_mark(uint64_t rate)
{
	return rate > legend_high ? "#" : rate >= legend_low ? "+" : ".";
}

static int
by_syn(const void *a, const void *b)
{
	const struct snap_group *x = a, *y = b;

	if (x->syn_rate != y->syn_rate)
		return x->syn_rate > y->syn_rate ? -1 : 1;
	if (x->pps != y->pps)
		return x->pps > y->pps ? -1 : 1;
	return strcmp(x->label, y->label);
}

/* The rows for the grouping: the snapshot's groups as they are, or summed
 * by country or by AS (the unknown ones in one row), by SYN rate. */
static size_t
grouped(const struct snapshot *s, const struct snap_group **out)
{
	const struct snap_group *g;
	size_t i, j, n = 0;

	*out = s != NULL ? s->groups : NULL;
	if (s == NULL || group_by == BY_PREFIX)
		return s != NULL ? s->ngroups : 0;
	for (i = 0; i < s->ngroups; i++) {
		g = &s->groups[i];
		for (j = 0; j < n; j++)
			if (group_by == BY_COUNTRY ?
			    strncmp(agg[j].country, g->country, 2) == 0 :
			    agg[j].asn == g->asn)
				break;
		if (j == n) {
			if (n == NITEMS(agg))
				continue;
			memset(&agg[n], 0, sizeof(agg[n]));
			memcpy(agg[n].country, g->country, 2);
			agg[n].asn = g->asn;
			if (group_by == BY_COUNTRY)
				text_sanitize(agg[n].label,
				    sizeof(agg[n].label), g->country,
				    strnlen(g->country, 2));
			else if (g->asn != 0)
				snprintf(agg[n].label, sizeof(agg[n].label),
				    "AS%lu", (unsigned long)g->asn);
			if (agg[n].label[0] == '\0')
				snprintf(agg[n].label, sizeof(agg[n].label),
				    "%s", _("unknown"));
			n++;
		}
		agg[j].syn_rate += g->syn_rate;
		agg[j].pps += g->pps;
		agg[j].packets += g->packets;
	}
	qsort(agg, n, sizeof(agg[0]), by_syn);
	*out = agg;
	return n;
}

static size_t
filtered(const struct view_ctx *c, size_t *idx, size_t max)
{
	const struct snap_group *groups;
	char label[128];
	size_t i, n = 0, ng = grouped(c->snap, &groups);

	for (i = 0; i < ng && n < max; i++) {
		text_sanitize(label, sizeof(label), groups[i].label,
		    strnlen(groups[i].label, sizeof(groups[i].label)));
		if (fmt_match(label, c->filter))
			idx[n++] = i;
	}
	return n;
}

static void
legend(WINDOW *w, int y, int cols)
{
	char buf[128];
	int x = 1;

	x += ui_put(w, y, x, cols - x, UI_DIM, _("SYN/s legend: "));
	snprintf(buf, sizeof(buf), _(". red < %llu"),
	    (unsigned long long)legend_low);
	x += ui_put(w, y, x, cols - x, UI_CRIT, buf);
	x += ui_put(w, y, x, cols - x, UI_NORMAL, "   ");
	snprintf(buf, sizeof(buf), _("+ green %llu-%llu"),
	    (unsigned long long)legend_low, (unsigned long long)legend_high);
	x += ui_put(w, y, x, cols - x, UI_OK, buf);
	x += ui_put(w, y, x, cols - x, UI_NORMAL, "   ");
	snprintf(buf, sizeof(buf), _("# blue > %llu"),
	    (unsigned long long)legend_high);
	ui_put(w, y, x, cols - x, UI_BLUE, buf);
}

static void
draw(WINDOW *w, int rows, int cols, const struct view_ctx *c)
{
	static size_t idx[4096];
	const struct snapshot *s = c->snap;
	const struct snap_group *groups;
	char label[128], a[16], buf[128];
	size_t n, i;
	int y, x, lw, bar, visible = rows - 3;
	uint64_t max = 0;

	body_rows = rows;
	if (c->opt != NULL && c->opt->legend_high > 0) {
		legend_low = c->opt->legend_low;
		legend_high = c->opt->legend_high;
	}
	if (s == NULL) {
		ui_empty(w, rows / 2, cols, _("waiting for the first second "
		    "of traffic..."));
		return;
	}
	legend(w, 0, cols);
	n = filtered(c, idx, NITEMS(idx));
	grouped(s, &groups);	/* the rows filtered() indexed */
	lw = cols >= 100 ? 40 : 26;
	ui_putpad(w, 1, 0, cols, UI_TITLE, "");
	x = 1;
	ui_putpad(w, 1, x + 2, lw, UI_TITLE, group_by == BY_COUNTRY ?
	    _("Country") : group_by == BY_ASN ? _("AS") : _("Source group"));
	x += lw + 3;
	ui_putr(w, 1, x, 8, UI_TITLE, _("SYN/s"));
	x += 9;
	ui_putr(w, 1, x, 8, UI_TITLE, _("pps"));
	x += 9;
	ui_putr(w, 1, x, 9, UI_TITLE, _("Packets"));
	x += 10;
	bar = cols - x - 1;
	if (n == 0) {
		ui_empty(w, rows / 2, cols, c->filter[0] != '\0' ?
		    _("no source group matches the filter") :
		    _("no sources yet"));
		return;
	}
	for (i = 0; i < n; i++)
		if (groups[idx[i]].syn_rate > max)
			max = groups[idx[i]].syn_rate;
	ui_list_fit(&list, (int)n, visible);
	for (i = (size_t)list.top, y = 2; i < n && y < visible + 2; i++, y++) {
		const struct snap_group *g = &groups[idx[i]];
		int sel = (int)i == list.sel;
		enum ui_role lr = syn_role(g->syn_rate);

		if (sel)
			ui_putpad(w, y, 0, cols, UI_SELECT, "");
		x = 1;
		ui_put(w, y, x, 1, sel ? UI_SELECT : lr, syn_mark(g->syn_rate));
		text_sanitize(label, sizeof(label), g->label,
		    strnlen(g->label, sizeof(g->label)));
		ui_putpad(w, y, x + 2, lw, sel ? UI_SELECT : UI_NORMAL, label);
		x += lw + 3;
		ui_putr(w, y, x, 8, sel ? UI_SELECT : lr,
		    fmt_si(a, sizeof(a), g->syn_rate));
		x += 9;
		ui_putr(w, y, x, 8, sel ? UI_SELECT : UI_NORMAL,
		    fmt_si(a, sizeof(a), g->pps));
		x += 9;
		ui_putr(w, y, x, 9, sel ? UI_SELECT : UI_NORMAL,
		    fmt_si(a, sizeof(a), g->packets));
		x += 10;
		if (bar >= 4 && g->syn_rate > 0) {
			/* length by SYN rate, colour by the legend */
			int cells = (int)((double)bar * (double)g->syn_rate /
			    (double)(max ? max : 1));
			int k;

			if (cells < 1)
				cells = 1;
			wattrset(w, ui_attr(lr));
			wmove(w, y, x);
			for (k = 0; k < cells && k < bar; k++)
				waddstr(w, ui_utf8() ? "\xe2\x96\x86" : "=");
			wattrset(w, A_NORMAL);
		}
	}
	if (group_by == BY_COUNTRY)
		snprintf(buf, sizeof(buf), _("%zu countries by SYN rate in "
		    "the last second"), n);
	else if (group_by == BY_ASN)
		snprintf(buf, sizeof(buf), _("%zu ASes by SYN rate in the "
		    "last second"), n);
	else
		snprintf(buf, sizeof(buf), _("%zu source groups by SYN rate "
		    "in the last second"), n);
	ui_put(w, rows - 1, 1, cols - 2, UI_DIM, buf);
}

static int
key(int k, const struct view_ctx *c)
{
	static size_t idx[4096];

	if (k == 'g') {
		group_by = (group_by + 1) % BY_COUNT;
		list.sel = list.top = 0;
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	return ui_list_key(&list, k, (int)filtered(c, idx, NITEMS(idx)),
	    body_rows - 3);
}

static void
resize(int rows, int cols)
{
	(void)cols;
	body_rows = rows;
}

const struct view view_sources = {
	.name = "sources",
	.title = N_("Sources"),
	.keys = keys,
	.draw = draw,
	.key = key,
	.resize = resize,
};
