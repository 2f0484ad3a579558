/*
 * contacts.c -- the Contacts screen: the contact database searchable with
 * the shell's / filter, a detail pane with every field of the record under
 * the cursor (sanitised, keys aligned by display width), its clock and
 * business hours now, and its history across incidents (who was reached,
 * when, how fast they answered); above, a world-clock strip of the PoCs
 * that matter now -- those matched to the current alerts' source
 * countries and networks, else the global ones -- with day/night and
 * open/closed, their time and ours; a banner counting invalid records.
 * Records are added and edited with a form, field by field, checked with
 * the contacts_* helpers as they are typed, applied with contacts_add or
 * contacts_update and written by contacts_save (atomic; it refuses when
 * someone else changed the file meanwhile, and the screen says so).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "casework/casework.h"
#include "settings/config.h"
#include "time/hours.h"
#include "i18n.h"
#include "case/incident.h"
#include "detect/snapshot.h"
#include "time/tz.h"
#include "ui.h"
#include "base/util.h"
#include "view.h"

#define KEY_ESC		27
#define CTRL(c)		((c) & 0x1f)
#define MAXROWS		4096
#define MAXCLOCKS	8
#define VAL_LEN		512

/* The form's fields, in order. */
static const char *const form_keys[] = {
	"id", "org", "team", "kind", "country", "timezone", "hours",
	"languages", "email", "abuse-email", "phone", "emergency-phone", "url",
	"asn", "prefixes", "tlp", "notes", "source", "verified",
};
#define NFORM	((int)NITEMS(form_keys))

static struct {
	int opened;		/* open_all() ran */
	int file_opened;	/* open_contacts() ran */
	const struct options *opt;
	struct casework *cw;		/* the shell's: the database and the
					 * incident store are its */
	struct contacts *db;		/* casework_contacts() */
	struct incident_store *s;	/* casework_store(); NULL if it failed */
	char loaderr[ERRBUF_SIZE];
	struct ui_list list;
	int rows, cols;
	/* the form */
	int form;		/* 0 none, 1 add, 2 edit */
	size_t edit_index;
	int field;
	char val[NITEMS(form_keys)][VAL_LEN];
	char orig[NITEMS(form_keys)][VAL_LEN];	/* as the record had them */
	struct ui_msg msg;
} st;

static const struct view_key list_keys[] = {
	{ VKEY_UPDOWN, "Up/Dn", N_("move"), N_("move the cursor (also j/k)") },
	{ 'a', "a", N_("add"), N_("add a record with a form") },
	{ 'e', "e", N_("edit"), N_("edit the record under the cursor") },
	{ 'R', "R", N_("reload"),
	  N_("read the file again (after someone else changed it)") },
	{ 0, NULL, NULL, NULL }
};

static const struct view_key form_keys_help[] = {
	{ VKEY_UPDOWN, "Up/Dn", N_("field"), N_("move between fields") },
	{ '\r', "Enter", N_("next"),
	  N_("next field; on the last field, save") },
	{ CTRL('X'), "^X", N_("save"),
	  N_("check the record and write the file (atomically; refused if "
	     "it changed on disk)") },
	{ KEY_ESC, "Esc", N_("cancel"), N_("leave the form; nothing is saved") },
	{ 0, NULL, NULL, NULL }
};

static const struct view_key *
current_keys(void)
{
	return st.form ? form_keys_help : list_keys;
}

static const char *
clean(char *buf, size_t len, const char *s)
{
	if (s == NULL)
		s = "";
	text_sanitize(buf, len, s, strlen(s));
	return buf;
}

/* (Re)read the file: a missing one becomes an empty database that saves
 * to its path. */
static void
load(void)
{
	char errbuf[ERRBUF_SIZE];

	st.loaderr[0] = '\0';
	if (casework_load_contacts(st.cw, 1, errbuf) != 0)
		snprintf(st.loaderr, sizeof(st.loaderr), "%s", errbuf);
	st.db = casework_contacts(st.cw);
}

/*
 * The contacts file, once (unless the Incidents screen has read it
 * already). With -Z the shell calls this (.open) while kyocho is still
 * root: the file is read where the operator keeps it. Saving it later
 * needs the unprivileged user to be allowed to write it (kyocho(1),
 * Privileges); the error says so if not.
 */
static void
open_contacts(struct casework *cw, const struct options *opt)
{
	st.opt = opt;
	st.cw = cw;
	if (st.file_opened)
		return;
	st.file_opened = 1;
	if ((st.db = casework_contacts(cw)) == NULL)
		load();
}

static void
open_all(const struct view_ctx *c)
{
	open_contacts(c->cw, c->opt);
	st.db = casework_contacts(st.cw);
	if (st.opened)
		return;
	st.opened = 1;
	st.s = casework_store(st.cw, NULL);
}

static size_t
rows_shown(const struct view_ctx *c, size_t *idx, size_t max)
{
	size_t i, n;

	if (st.db == NULL)
		return 0;
	if (c->filter[0] != '\0')
		return contacts_search(st.db, c->filter, idx, max);
	n = contacts_count(st.db);
	for (i = 0; i < n && i < max; i++)
		idx[i] = i;
	return i;
}

/* ---- the world-clock strip ----------------------------------------------- */

/* The PoCs that matter now: matched to the active alerts' source
 * countries and networks (largest share first), else the global kinds. */
static size_t
clock_contacts(const struct view_ctx *c, const struct contact **out,
    size_t max)
{
	const struct snapshot *s = c->snap;
	struct contacts_query q;
	struct contact_match *m;
	int64_t now = (int64_t)time(NULL);
	size_t n = 0, i, j, k, nm;
	unsigned g;

	for (i = 0; s != NULL && i < s->nalerts && n < max; i++) {
		const struct alert *a = &s->alerts[i];

		for (g = 0; g < a->nasns + a->ncountries && n < max; g++) {
			memset(&q, 0, sizeof(q));
			if (g < a->nasns) {
				if (a->by_asn[g].asn == 0)
					continue;
				q.type = CQ_ASN;
				q.asn = a->by_asn[g].asn;
			} else {
				if (a->by_country[g - a->nasns].country[0] ==
				    '\0')
					continue;
				q.type = CQ_COUNTRY;
				memcpy(q.cc, a->by_country[g - a->nasns].country,
				    2);
			}
			nm = contacts_match(st.db, &q, now, &m);
			for (j = 0; j < nm && n < max; j++) {
				if (m[j].rel == REL_GLOBAL)
					continue;
				for (k = 0; k < n; k++)
					if (out[k] == m[j].c)
						break;
				if (k == n)
					out[n++] = m[j].c;
			}
			free(m);
		}
	}
	if (n > 0)
		return n;
	for (i = 0; i < contacts_count(st.db) && n < max; i++) {
		const struct contact *ct = contacts_get(st.db, i);

		if (ct->valid && ct->tz != NULL &&
		    (ct->kind == CK_NATIONAL_CSIRT || ct->kind == CK_FIRST_TEAM ||
		    ct->kind == CK_NOG))
			out[n++] = ct;
	}
	return n;
}

static void
draw_clocks(WINDOW *w, int y, int cols, const struct view_ctx *c)
{
	const struct contact *v[MAXCLOCKS];
	struct contact_status cs;
	const struct tz *ours = tz_local_zone();
	char errbuf[ERRBUF_SIZE], buf[128], id[48];
	size_t n, i;
	int x = 1;
	int64_t now = (int64_t)time(NULL);
	struct tz_tm lt;

	if (c->opt->our_zone != NULL && *c->opt->our_zone != '\0' &&
	    tz_get(c->opt->our_zone, errbuf) != NULL)
		ours = tz_get(c->opt->our_zone, errbuf);
	if (ours != NULL && tz_local(ours, now, &lt) == 0)
		snprintf(buf, sizeof(buf), "%s %02d:%02d %s |", _("ours"),
		    lt.hour, lt.min, lt.info.abbr);
	else
		snprintf(buf, sizeof(buf), "%s ? |", _("ours"));
	x += ui_put(w, y, x, cols - x, UI_TITLE, clean(id, sizeof(id), buf));
	n = clock_contacts(c, v, MAXCLOCKS);
	for (i = 0; i < n && x < cols - 8; i++) {
		enum ui_role r;

		contact_status(v[i], now, &cs);
		if (!cs.has_zone)
			continue;
		/* markers for monochrome: + open, - closed, * night */
		snprintf(buf, sizeof(buf), " %s %02d:%02d%s%s",
		    clean(id, sizeof(id), v[i]->id), cs.local.hour,
		    cs.local.min, cs.awake ? "" : "*",
		    cs.open > 0 ? "+" : cs.open == 0 ? "-" : "");
		r = cs.open > 0 ? UI_OK : cs.open == 0 ? UI_CRIT :
		    cs.awake ? UI_NORMAL : UI_DIM;
		if (!cs.awake && cs.open <= 0)
			r = UI_DIM;
		x += ui_put(w, y, x, cols - x, r, buf);
	}
}

/* ---- drawing ------------------------------------------------------------- */

/* Draw "key: value" lines of c from row y; values with newlines continue
 * under the value column. Returns the next row. */
static int
draw_fields(WINDOW *w, int y, int rows, int x, int cols,
    const struct contact *c)
{
	char v[2048], k[64];
	size_t i;
	int kw = 0, t;

	for (i = 0; i < c->nfields; i++)
		if ((t = ui_width(c->fields[i].key)) > kw)
			kw = t;
	if (kw > 16)
		kw = 16;
	for (i = 0; i < c->nfields && y < rows; i++) {
		const char *p = c->fields[i].value, *nl;

		ui_putpad(w, y, x, kw + 1, UI_TITLE,
		    clean(k, sizeof(k), c->fields[i].key));
		do {
			size_t len;

			nl = strchr(p, '\n');
			len = nl != NULL ? (size_t)(nl - p) : strlen(p);
			text_sanitize(v, sizeof(v), p, len);
			ui_put(w, y++, x + kw + 2, cols - kw - 2, UI_NORMAL, v);
			p = nl != NULL ? nl + 1 : p + len;
		} while (nl != NULL && y < rows);
	}
	return y;
}

static int
draw_status(WINDOW *w, int y, int x, int cols, const struct contact *c)
{
	struct contact_status cs;
	char buf[256], t[64];
	int64_t now = (int64_t)time(NULL);
	struct tz_tm nt;

	contact_status(c, now, &cs);
	if (!cs.has_zone) {
		ui_put(w, y++, x, cols, UI_DIM, _("no zone: local time unknown"));
		return y;
	}
	snprintf(buf, sizeof(buf), _("their time %02d:%02d %s%s"),
	    cs.local.hour, cs.local.min, clean(t, sizeof(t),
	    cs.local.info.abbr), cs.awake ? "" : _(" (night)"));
	ui_put(w, y, x, cols, cs.awake ? UI_NORMAL : UI_DIM, buf);
	if (cs.open >= 0) {
		int64_t nc = cs.hs.next_change;

		if (nc != HOURS_NEVER && tz_local(c->tz, nc, &nt) == 0)
			snprintf(buf, sizeof(buf), "%s %02d:%02d",
			    cs.open ? _("OPEN, closes at") :
			    _("CLOSED, opens at"), nt.hour, nt.min);
		else
			snprintf(buf, sizeof(buf), "%s", cs.open ? _("OPEN") :
			    _("CLOSED"));
		ui_put(w, y, x + 24, cols - 24, cs.open ? UI_OK : UI_CRIT,
		    buf);
	}
	return y + 1;
}

static int
draw_history(WINDOW *w, int y, int rows, int x, int cols,
    const struct contact *c)
{
	struct contact_history *h = NULL;
	size_t n, i;
	char buf[512], a[32], b[24], d[24], wh[128];

	if (st.s == NULL || y >= rows)
		return y;
	(void)casework_reload(st.cw, buf);
	n = incident_store_contact_history(st.s, c->id, &h);
	ui_put(w, y++, x, cols, UI_TITLE, _("History"));
	if (n == 0 && y < rows)
		ui_put(w, y++, x, cols, UI_DIM, _("never contacted from an "
		    "incident"));
	for (i = 0; i < n && y < rows; i++) {
		time_rfc3339(a, sizeof(a), h[i].first_attempt_us, 0);
		snprintf(buf, sizeof(buf), _("%s %s: %u attempts, first %s "
		    "by %s, answer after %s, resolved after %s"),
		    h[i].inc->id, h[i].inc->status == INC_OPEN ? _("open") :
		    _("closed"), h[i].attempts, h[i].first_attempt_us ? a : "-",
		    clean(wh, sizeof(wh), h[i].channel),
		    h[i].first_answer_us && h[i].first_attempt_us ?
		    ui_duration(b, sizeof(b), h[i].first_answer_us -
		    h[i].first_attempt_us) : "-",
		    h[i].resolution_us && h[i].first_attempt_us ?
		    ui_duration(d, sizeof(d), h[i].resolution_us -
		    h[i].first_attempt_us) : "-");
		ui_put(w, y++, x, cols, UI_NORMAL, buf);
	}
	free(h);
	return y;
}

static void
draw_form(WINDOW *w, int rows, int cols)
{
	char shown[VAL_LEN * 2];
	int i, y = 0, kw = 16;

	ui_put(w, y++, 1, cols - 2, UI_TITLE, st.form == 1 ?
	    _("New record") : _("Edit record"));
	for (i = 0; i < NFORM && y < rows - 2; i++, y++) {
		int sel = i == st.field, x;

		ui_putpad(w, y, 1, kw, sel ? UI_KEY : UI_TITLE, form_keys[i]);
		x = 1 + kw + 1;
		x += ui_put(w, y, x, cols - x - 1, sel ? UI_SELECT : UI_NORMAL,
		    clean(shown, sizeof(shown), st.val[i]));
		if (sel)
			ui_put(w, y, x, 1, UI_SELECT, " ");
	}
	ui_put(w, rows - 2, 1, cols - 2, UI_DIM, _("Enter next field, "
	    "Up/Down move, ^X save, Esc cancel; empty fields are left out"));
}

static void
draw(WINDOW *w, int rows, int cols, const struct view_ctx *c)
{
	size_t idx[MAXROWS], n, i;
	char buf[512], t[64];
	int y = 0, lw, visible;

	st.rows = rows;
	st.cols = cols;
	open_all(c);
	if (st.db == NULL) {
		ui_put(w, 1, 1, cols - 2, UI_CRIT, st.loaderr[0] ? st.loaderr :
		    _("no contacts database (see --contacts)"));
		return;
	}
	if (st.form) {
		draw_form(w, rows, cols);
		goto message;
	}
	if (contacts_ninvalid(st.db) > 0) {
		snprintf(buf, sizeof(buf), _("%zu invalid record(s), left out "
		    "of matching: kyocho contacts --check lists them"),
		    contacts_ninvalid(st.db));
		ui_putpad(w, y++, 0, cols, UI_WARN, buf);
	}
	draw_clocks(w, y++, cols, c);
	n = rows_shown(c, idx, NITEMS(idx));
	lw = cols / 3;
	if (lw < 24)
		lw = 24;
	ui_putpad(w, y, 0, lw, UI_TITLE, "");
	ui_put(w, y, 1, lw - 2, UI_TITLE, _("Contact"));
	y++;
	visible = rows - y - 1;
	if (n == 0) {
		ui_empty(w, rows / 2, cols, c->filter[0] ? _("no contact "
		    "matches the filter") : _("the database is empty: a adds "
		    "a record"));
		goto message;
	}
	ui_list_fit(&st.list, (int)n, visible);
	for (i = (size_t)st.list.top; i < n && y < rows - 1; i++, y++) {
		const struct contact *ct = contacts_get(st.db, idx[i]);
		int sel = (int)i == st.list.sel;

		snprintf(buf, sizeof(buf), "%s %s", ct->valid ? " " : "!",
		    clean(t, sizeof(t), ct->id[0] ? ct->id : "?"));
		ui_putpad(w, y, 0, lw, sel ? UI_SELECT : ct->valid ? UI_NORMAL :
		    UI_CRIT, buf);
	}
	{
		const struct contact *ct = contacts_get(st.db,
		    idx[st.list.sel]);
		int dy = contacts_ninvalid(st.db) > 0 ? 2 : 1, dx = lw + 2;

		dy = draw_status(w, dy, dx, cols - dx - 1, ct);
		dy = draw_fields(w, dy, rows - 4, dx, cols - dx - 1, ct);
		draw_history(w, dy + 1, rows - 1, dx, cols - dx - 1, ct);
	}
message:
	if (st.msg.text[0] != '\0')
		ui_putpad(w, rows - 1, 0, cols, st.msg.err ? UI_CRIT : UI_OK,
		    st.msg.text);
}

/* ---- the form ------------------------------------------------------------- */

/* A hint for the field being typed, from the contacts_* checks. */
static void
hint(void)
{
	const char *k = form_keys[st.field], *v = st.val[st.field];
	char errbuf[ERRBUF_SIZE];
	struct hours h;

	st.msg.text[0] = '\0';
	if (*v == '\0')
		return;
	if (strcmp(k, "kind") == 0 && contacts_kind_parse(v) < 0)
		ui_say(&st.msg, 1,
		    _("kind: '%s' is not a kind (national-csirt, "
		    "peering-isp, nog ...)"), v);
	else if (strcmp(k, "country") == 0 && !contacts_country_ok(v))
		ui_say(&st.msg, 1, _("country: '%s' is not an ISO 3166 code"),
		    v);
	else if (strcmp(k, "timezone") == 0 && tz_get(v, errbuf) == NULL)
		ui_say(&st.msg, 1, "timezone: %s", errbuf);
	else if (strcmp(k, "hours") == 0 &&
	    hours_parse(v, strlen(v), &h, errbuf) != 0)
		ui_say(&st.msg, 1, "hours: %s", errbuf);
	else if ((strcmp(k, "email") == 0 || strcmp(k, "abuse-email") == 0) &&
	    strchr(v, ',') == NULL && !contacts_email_ok(v))
		ui_say(&st.msg, 1, _("%s: '%s' is not an e-mail address"), k,
		    v);
	else if (strcmp(k, "url") == 0 && !contacts_url_ok(v, 0))
		ui_say(&st.msg, 1, _("url: '%s' is not a URL"), v);
	else if (strcmp(k, "languages") == 0 && strchr(v, ',') == NULL &&
	    !contacts_langtag_ok(v))
		ui_say(&st.msg, 1, _("languages: '%s' is not a language tag"),
		    v);
}

static void
form_open(int mode, size_t index)
{
	int i;

	st.form = mode;
	st.field = 0;
	st.edit_index = index;
	for (i = 0; i < NFORM; i++) {
		const char *v = NULL;

		if (mode == 2)
			v = contact_field(contacts_get(st.db, index),
			    form_keys[i]);
		snprintf(st.val[i], sizeof(st.val[i]), "%s", v ? v : "");
		memcpy(st.orig[i], st.val[i], VAL_LEN);
	}
	st.msg.text[0] = '\0';
	ui_text_input(1);
}

static void
form_close(void)
{
	st.form = 0;
	ui_text_input(0);
}

static void
form_save(void)
{
	struct contacts_kv kv[NITEMS(form_keys)];
	char errbuf[ERRBUF_SIZE], id[VAL_LEN];
	size_t n = 0;
	int i, rc;

	for (i = 0; i < NFORM; i++) {
		if (st.form == 1 && st.val[i][0] == '\0')
			continue;
		/* an edit touches only the fields typed in: repeated fields
		 * and continuation lines stay as they are */
		if (st.form == 2 && strcmp(st.val[i], st.orig[i]) == 0)
			continue;
		kv[n].key = form_keys[i];
		kv[n++].value = st.val[i];
	}
	if (n == 0) {
		form_close();
		ui_say(&st.msg, 0, "%s", _("nothing changed"));
		return;
	}
	snprintf(id, sizeof(id), "%s", st.val[0]);
	rc = st.form == 1 ? contacts_add(st.db, kv, n, errbuf) :
	    contacts_update(st.db, st.edit_index, kv, n, errbuf);
	if (rc != 0) {
		ui_say(&st.msg, 1, "%s", errbuf);	/* stay in the form */
		return;
	}
	form_close();
	if (contacts_save(st.db, errbuf) != 0) {
		ui_say(&st.msg, 1,
		    _("NOT SAVED: %s (R reloads; your edit is lost then)"),
		    errbuf);
		return;
	}
	ui_say(&st.msg, 0, _("done: %s saved to %s"), id, contacts_path(st.db));
}

static int
form_key(int k, int is_char)
{
	char mb[MB_LEN_MAX + 1], cl[MB_LEN_MAX * 4];
	char *v = st.val[st.field];
	mbstate_t ms;
	size_t n;

	if (is_char && k == KEY_ESC) {
		form_close();
		ui_say(&st.msg, 0, "%s", _("cancelled; nothing was saved"));
	} else if (is_char && k == CTRL('X')) {
		form_save();
	} else if (k == KEY_UP) {
		if (st.field > 0)
			st.field--;
		hint();
	} else if (k == KEY_DOWN || (is_char && k == '\t')) {
		if (st.field + 1 < NFORM)
			st.field++;
		hint();
	} else if (k == KEY_ENTER || (is_char && (k == '\r' || k == '\n'))) {
		if (st.field + 1 < NFORM) {
			st.field++;
			hint();
		} else
			form_save();
	} else if (k == KEY_BACKSPACE || (is_char && (k == 127 ||
	    k == CTRL('H')))) {
		utf8_backspace(v);
		hint();
	} else if (is_char && k == CTRL('U')) {
		v[0] = '\0';
		hint();
	} else if (is_char && k >= 0x20 && k != 0x7f) {
		memset(&ms, 0, sizeof(ms));
		n = wcrtomb(mb, (wchar_t)k, &ms);
		if (n != (size_t)-1) {
			text_sanitize(cl, sizeof(cl), mb, n);
			if (strlen(v) + strlen(cl) < VAL_LEN)
				strcat(v, cl);
		}
		hint();
	}
	return VIEW_HANDLED | VIEW_REDRAW;
}

static int
key(int k, const struct view_ctx *c)
{
	size_t idx[MAXROWS], n;

	open_all(c);
	if (st.form)
		return form_key(k, c->is_char);
	if (k == 'R') {
		load();
		ui_say(&st.msg, st.db == NULL, "%s",
		    st.db == NULL ? st.loaderr : _("reloaded"));
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (st.db == NULL)
		return VIEW_UNHANDLED;
	n = rows_shown(c, idx, NITEMS(idx));
	switch (k) {
	case 'a':
		form_open(1, 0);
		return VIEW_HANDLED | VIEW_REDRAW;
	case 'e':
	case '\r':
	case KEY_ENTER:
		if (n == 0)
			return VIEW_HANDLED;
		ui_list_fit(&st.list, (int)n, st.rows - 3);
		form_open(2, idx[st.list.sel]);
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	return ui_list_key(&st.list, k, (int)n, st.rows - 3);
}

static void
resize(int rows, int cols)
{
	st.rows = rows;
	st.cols = cols;
}

static int
count(const struct view_ctx *c)
{
	size_t idx[MAXROWS];

	if (st.db == NULL)
		return -1;
	return (int)rows_shown(c, idx, NITEMS(idx));
}

const struct view view_contacts = {
	.name = "contacts",
	.title = N_("Contacts"),
	.keys = list_keys,
	.current_keys = current_keys,
	.draw = draw,
	.key = key,
	.resize = resize,
	.count = count,
	.open = open_contacts,
};
