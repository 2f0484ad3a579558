/*
 * ui.c -- drawing helpers shared by the screens. See ui.h.
 *
 * Colour is an attribute table indexed by role, filled once at start: one
 * table for colour terminals and one for monochrome, so no drawing code
 * asks which kind of terminal it is on.
 */
#include "ui.h"

#include <langinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "i18n.h"
#include "prefix.h"
#include "util.h"

static attr_t role_attr[UI_ROLE_COUNT];
static int utf8_term;

static const attr_t mono[UI_ROLE_COUNT] = {
	[UI_NORMAL] = A_NORMAL,
	[UI_HEADER] = A_REVERSE,
	[UI_TITLE] = A_BOLD,
	[UI_KEY] = A_REVERSE,
	[UI_SELECT] = A_REVERSE,
	[UI_DIM] = A_DIM,
	[UI_OK] = A_NORMAL,
	[UI_WARN] = A_BOLD,
	[UI_CRIT] = A_BOLD | A_UNDERLINE,
	[UI_OVER] = A_REVERSE | A_BLINK | A_BOLD,
	[UI_BLUE] = A_BOLD,
	[UI_LIVE] = A_BOLD,
};

int
ui_colour_init(void)
{
	const char *nc = getenv("NO_COLOR");
	int i;

	for (i = 0; i < UI_ROLE_COUNT; i++)
		role_attr[i] = mono[i];
	if ((nc != NULL && *nc != '\0') || !has_colors())
		return 0;
	if (start_color() == ERR || COLORS < 8)
		return 0;
	use_default_colors();
	init_pair(1, COLOR_WHITE, COLOR_BLUE);	/* header */
	init_pair(2, COLOR_CYAN, -1);		/* title */
	init_pair(3, COLOR_BLACK, COLOR_CYAN);	/* key */
	init_pair(4, COLOR_GREEN, -1);
	init_pair(5, COLOR_YELLOW, -1);
	init_pair(6, COLOR_RED, -1);
	init_pair(7, COLOR_WHITE, COLOR_RED);
	init_pair(8, COLOR_BLUE, -1);
	role_attr[UI_HEADER] = COLOR_PAIR(1);
	role_attr[UI_TITLE] = COLOR_PAIR(2) | A_BOLD;
	role_attr[UI_KEY] = COLOR_PAIR(3);
	role_attr[UI_OK] = COLOR_PAIR(4);
	role_attr[UI_WARN] = COLOR_PAIR(5) | A_BOLD;
	role_attr[UI_CRIT] = COLOR_PAIR(6) | A_BOLD;
	role_attr[UI_OVER] = COLOR_PAIR(7) | A_BOLD | A_BLINK;
	role_attr[UI_BLUE] = COLOR_PAIR(8) | A_BOLD;
	role_attr[UI_LIVE] = COLOR_PAIR(4) | A_BOLD;
	return 1;
}

attr_t
ui_attr(enum ui_role r)
{
	return r < UI_ROLE_COUNT ? role_attr[r] : A_NORMAL;
}

int
ui_utf8(void)
{
	return utf8_term;
}

void
ui_set_utf8(int on)
{
	const char *cs = nl_langinfo(CODESET);

	utf8_term = on && cs != NULL && strcmp(cs, "UTF-8") == 0;
}

/* Non-ASCII characters become '?' for a terminal that is not UTF-8. */
static void
asciify(char *dst, size_t len, const char *s)
{
	size_t in = 0, out = 0, n = strlen(s), k;
	uint32_t cp;

	while (in < n && out + 1 < len) {
		k = utf8_decode(s + in, n - in, &cp);
		if (k == 0)
			k = 1;
		dst[out++] = k == 1 && (unsigned char)s[in] < 0x80 ? s[in] : '?';
		in += k;
	}
	dst[out] = '\0';
}

static int
put(WINDOW *w, int y, int x, int cols, enum ui_role r, const char *s, int pad)
{
	char a[1024], buf[1024];
	int maxx = getmaxx(w), used;

	if (y < 0 || y >= getmaxy(w) || x < 0 || x >= maxx || cols <= 0)
		return 0;
	if (cols > maxx - x)
		cols = maxx - x;
	if (!utf8_term) {
		asciify(a, sizeof(a), s);
		s = a;
	}
	used = (int)fmt_fit(buf, sizeof(buf), s, (size_t)cols, pad);
	wattrset(w, ui_attr(r));
	mvwaddstr(w, y, x, buf);
	wattrset(w, A_NORMAL);
	return used;
}

int
ui_put(WINDOW *w, int y, int x, int cols, enum ui_role r, const char *s)
{
	return put(w, y, x, cols, r, s, 0);
}

int
ui_putpad(WINDOW *w, int y, int x, int cols, enum ui_role r, const char *s)
{
	return put(w, y, x, cols, r, s, 1);
}

int
ui_putr(WINDOW *w, int y, int x, int cols, enum ui_role r, const char *s)
{
	int wd = ui_width(s);

	if (wd >= cols)
		return put(w, y, x, cols, r, s, 0);
	return put(w, y, x + cols - wd, wd, r, s, 0) + (cols - wd);
}

int
ui_printf(WINDOW *w, int y, int x, int cols, enum ui_role r,
    const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return put(w, y, x, cols, r, buf, 0);
}

void
ui_say(struct ui_msg *m, int err, const char *fmt, ...)
{
	va_list ap;
	char raw[sizeof(m->text)];

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	text_sanitize(m->text, sizeof(m->text), raw, strlen(raw));
	m->err = err;
}

int
ui_width(const char *s)
{
	return utf8_term ? (int)utf8_width(s, strlen(s)) : (int)strlen(s);
}

enum ui_role
ui_load_role(unsigned pct)
{
	if (pct > 100)
		return UI_OVER;
	if (pct > 90)
		return UI_CRIT;
	if (pct > 70)
		return UI_WARN;
	return UI_OK;
}

void
ui_bar(WINDOW *w, int y, int x, int cols, uint64_t v, uint64_t cap)
{
	const char *full = utf8_term ? "\xe2\x96\x88" : "#";	/* █ */
	const char *empty = utf8_term ? "\xe2\x96\x91" : ".";	/* ░ */
	unsigned pct = fmt_pct(v, cap);
	enum ui_role r = ui_load_role(pct);
	int i, n;

	if (cols <= 0 || y >= getmaxy(w) || x >= getmaxx(w))
		return;
	if (cols > getmaxx(w) - x)
		cols = getmaxx(w) - x;
	n = cap == 0 ? 0 : (int)((uint64_t)cols * (pct > 100 ? 100 : pct) / 100);
	if (cap != 0 && v > 0 && n == 0)
		n = 1;
	wmove(w, y, x);
	for (i = 0; i < cols; i++) {
		wattrset(w, ui_attr(i < n ? r : UI_DIM));
		waddstr(w, i < n ? full : empty);
	}
	wattrset(w, A_NORMAL);
}

void
ui_spark(WINDOW *w, int y, int x, int cols, const uint64_t *series,
    size_t n, uint64_t max, uint64_t cap)
{
	static const char *const blocks[] = {
		" ", "\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83",
		"\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87",
		"\xe2\x96\x88",
	};
	static const char ascii[] = " ._-~=+*#";
	size_t first, i;
	char c[2] = { 0, 0 };
	int lvl;

	if (cols <= 0 || y >= getmaxy(w) || x >= getmaxx(w))
		return;
	if (cols > getmaxx(w) - x)
		cols = getmaxx(w) - x;
	first = n > (size_t)cols ? n - (size_t)cols : 0;
	wmove(w, y, x + (n - first < (size_t)cols ? cols - (int)(n - first) : 0));
	for (i = first; i < n; i++) {
		enum ui_role r = cap != 0 ?
		    ui_load_role(fmt_pct(series[i], cap)) : UI_TITLE;

		if (r == UI_OVER)
			r = UI_CRIT;	/* no blinking in a history */
		lvl = fmt_level(series[i], max, 9);
		wattrset(w, ui_attr(r));
		if (utf8_term) {
			waddstr(w, blocks[lvl]);
		} else {
			c[0] = ascii[lvl];
			waddstr(w, c);
		}
	}
	wattrset(w, A_NORMAL);
}

void
ui_list_fit(struct ui_list *l, int n, int visible)
{
	if (visible < 1)
		visible = 1;
	if (l->sel >= n)
		l->sel = n - 1;
	if (l->sel < 0)
		l->sel = 0;
	if (l->top > l->sel)
		l->top = l->sel;
	if (l->sel >= l->top + visible)
		l->top = l->sel - visible + 1;
	if (l->top > n - visible)
		l->top = n - visible;
	if (l->top < 0)
		l->top = 0;
}

int
ui_list_key(struct ui_list *l, int key, int n, int visible)
{
	int old = l->sel;

	switch (key) {
	case KEY_UP:
	case 'k':
		l->sel--;
		break;
	case KEY_DOWN:
	case 'j':
		l->sel++;
		break;
	case KEY_PPAGE:
		l->sel -= visible > 1 ? visible - 1 : 1;
		break;
	case KEY_NPAGE:
	case ' ':
		l->sel += visible > 1 ? visible - 1 : 1;
		break;
	case KEY_HOME:
	case 'g':
		l->sel = 0;
		break;
	case KEY_END:
	case 'G':
		l->sel = n - 1;
		break;
	default:
		return VIEW_UNHANDLED;
	}
	ui_list_fit(l, n, visible);
	return VIEW_HANDLED | (l->sel != old ? VIEW_REDRAW : 0);
}

const char *
ui_kind(enum alert_kind k)
{
	switch (k) {
	case KIND_SYN_FLOOD:
		return _("SYN flood");
	case KIND_UDP_FLOOD:
		return _("UDP flood");
	case KIND_AMPLIFICATION:
		return _("amplification");
	case KIND_ICMP_FLOOD:
		return _("ICMP flood");
	case KIND_FRAGMENT_FLOOD:
		return _("fragment flood");
	case KIND_MIXED:
		return _("mixed flood");
	default:
		return _("unknown");
	}
}

const char *
ui_direction(enum alert_direction d)
{
	switch (d) {
	case DIR_INBOUND:
		return _("inbound");
	case DIR_OUTBOUND:
		return _("outbound");
	default:
		return _("unknown");
	}
}

const char *
ui_spoof(enum spoof_level l)
{
	switch (l) {
	case SPOOF_LOW:
		return _("low");
	case SPOOF_MEDIUM:
		return _("medium");
	case SPOOF_HIGH:
		return _("high");
	default:
		return "?";
	}
}

enum ui_role
ui_spoof_role(enum spoof_level l)
{
	return l == SPOOF_HIGH ? UI_CRIT : l == SPOOF_MEDIUM ? UI_WARN : UI_NORMAL;
}

const char *
ui_addr(char *buf, size_t len, const struct addr *a)
{
	char raw[ADDR_STRLEN];

	if (a == NULL || (a->family != 4 && a->family != 6)) {
		snprintf(buf, len, "-");
		return buf;
	}
	addr_format(a, raw, sizeof(raw));
	text_sanitize(buf, len, raw, strlen(raw));
	return buf;
}

const char *
ui_duration(char *buf, size_t len, int64_t us)
{
	int64_t s = us / 1000000;

	if (s < 0)
		s = 0;
	if (s < 60)
		snprintf(buf, len, "%llds", (long long)s);
	else if (s < 3600)
		snprintf(buf, len, "%lldm%02llds", (long long)(s / 60),
		    (long long)(s % 60));
	else
		snprintf(buf, len, "%lldh%02lldm", (long long)(s / 3600),
		    (long long)(s / 60 % 60));
	return buf;
}

void
ui_empty(WINDOW *w, int y, int cols, const char *msg)
{
	int wd = ui_width(msg);

	ui_put(w, y, wd < cols ? (cols - wd) / 2 : 0, cols, UI_DIM, msg);
}

int
ui_alert_match(const struct alert *a, const char *filter)
{
	char buf[ADDR_STRLEN];
	unsigned i;

	if (filter == NULL || *filter == '\0')
		return 1;
	if (fmt_match(ui_addr(buf, sizeof(buf), &a->target), filter) ||
	    fmt_match(ui_kind(a->kind), filter) ||
	    fmt_match(ui_direction(a->direction), filter))
		return 1;
	for (i = 0; i < a->ntop && i < ALERT_TOP_SOURCES; i++)
		if (fmt_match(ui_addr(buf, sizeof(buf), &a->top[i].addr),
		    filter))
			return 1;
	return 0;
}

const char *
ui_whois(char *buf, size_t len, const struct prefixdb *db,
    const struct addr *a)
{
	struct prefix_info pi;
	char raw[256];

	buf[0] = '\0';
	if (db == NULL || a == NULL || (a->family != 4 && a->family != 6))
		return buf;
	prefix_lookup(db, a, &pi);
	if (pi.asn != 0)
		snprintf(raw, sizeof(raw), "%s%sAS%u %s", pi.country,
		    pi.country[0] ? " " : "", (unsigned)pi.asn, pi.as_org);
	else
		snprintf(raw, sizeof(raw), "%s", pi.country);
	text_sanitize(buf, len, raw, strlen(raw));
	return buf;
}
