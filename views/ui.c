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
#include <wchar.h>

#include "base/fmt.h"
#include "i18n.h"
#include "engine/engine.h"
#include "base/util.h"
#include "base/wrap.h"

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

void
ui_fit(char *s, size_t len, int cols)
{
	char tmp[1024];
	const char *ell = ui_utf8() ? "\u2026" : "~";

	if (cols <= 0) {
		if (len > 0)
			s[0] = '\0';
		return;
	}
	if (ui_width(s) <= cols)
		return;
	fmt_fit(tmp, sizeof(tmp), s, (size_t)cols - 1, 0);
	snprintf(s, len, "%s%s", tmp, ell);
}

int
ui_wrap(WINDOW *w, int y, int x, int cols, int maxrows, enum ui_role r,
    const char *s)
{
	struct wrap_span sp[64];
	char line[1024];
	size_t n, i, len;

	if (cols <= 0 || maxrows <= 0 || *s == '\0')
		return 0;
	/* the one wrapper (src/base/wrap.c): Japanese line-breaking rules */
	n = wrap_text(s, (size_t)cols, sp, NITEMS(sp));
	for (i = 0; i < n && i < (size_t)maxrows && i < NITEMS(sp); i++) {
		if (i == (size_t)maxrows - 1 && n > (size_t)maxrows) {
			/* the last row: what is left, cut visibly */
			snprintf(line, sizeof(line), "%s", s + sp[i].off);
			ui_fit(line, sizeof(line), cols);
		} else {
			len = sp[i].len < sizeof(line) ? sp[i].len :
			    sizeof(line) - 1;
			memcpy(line, s + sp[i].off, len);
			line[len] = '\0';
		}
		if (w != NULL)
			ui_put(w, y + (int)i, x, cols, r, line);
	}
	return (int)i;
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
	struct engine_whois w;
	char raw[256];

	buf[0] = '\0';
	engine_whois(db, a, &w);
	if (w.asn != 0)
		snprintf(raw, sizeof(raw), "%s%sAS%u %s", w.country,
		    w.country[0] ? " " : "", (unsigned)w.asn, w.as_org);
	else
		snprintf(raw, sizeof(raw), "%s", w.country);
	text_sanitize(buf, len, raw, strlen(raw));
	return buf;
}

const char *
ui_action_state(enum action_state st)
{
	switch (st) {
	case ACT_PROPOSED:
		return _("proposed");
	case ACT_TAKEN:
		return _("taken");
	case ACT_LIFTED:
		return _("lifted");
	default:
		return _("not proposed");
	}
}

const char *
ui_kind_name(const char *name)
{
	int k;

	for (k = 0; k < KIND_COUNT; k++)
		if (strcmp(name, alert_kind_name((enum alert_kind)k)) == 0)
			return ui_kind((enum alert_kind)k);
	return name;
}

const char *
ui_direction_name(const char *name)
{
	if (strcmp(name, alert_direction_name(DIR_INBOUND)) == 0)
		return ui_direction(DIR_INBOUND);
	if (strcmp(name, alert_direction_name(DIR_OUTBOUND)) == 0)
		return ui_direction(DIR_OUTBOUND);
	return name;
}

const char *
ui_spoof_name(const char *name)
{
	static const enum spoof_level lv[] = { SPOOF_LOW, SPOOF_MEDIUM,
	    SPOOF_HIGH };
	size_t i;

	for (i = 0; i < NITEMS(lv); i++)
		if (strcmp(name, alert_spoof_name(lv[i])) == 0)
			return ui_spoof(lv[i]);
	return name;
}

/*
 * The sentences of src/detect/spoof.c as patterns: %s stands for a number, an
 * address or a share, and the translation may reorder them (%2$s). When
 * spoof.c changes a sentence, change it here too: until then the new
 * sentence shows in English, never wrongly.
 */
static const char *const evidence_patterns[] = {
	N_("%s of sources in special-purpose or bogon space (RFC 6890), "
	   "most often %s"),
	N_("no sources in special-purpose or bogon space (RFC 6890; %s "
	   "packets)"),
	N_("unrouted sources not assessed: no prefix data loaded"),
	N_("unrouted sources not assessed: the prefix data is an extract "
	   "(make data)"),
	N_("unrouted sources not assessed: no sampled source outside "
	   "special-purpose space that the prefix data could judge"),
	N_("unrouted sources not assessed: too few sources known to it"),
	N_("%s of sampled sources unrouted (%s of %s)"),
	N_("hop counts unknown: the telemetry carried no TTL"),
	N_("hop counts implausible: %s of packets imply more than %s hops "
	   "(randomised TTLs)"),
	N_("hop counts inconsistent: %s distinct hop counts across %s /8s"),
	N_("hop counts inconsistent: %s distinct hop count across %s /8s"),
	N_("hop counts inconsistent: %s distinct hop counts across %s "
	   "IPv6 /32s"),
	N_("hop counts inconsistent: %s distinct hop count across %s "
	   "IPv6 /32s"),
	N_("hop counts plausible: %s distinct hop counts across %s /8s"),
	N_("hop counts plausible: %s distinct hop count across %s /8s"),
	N_("hop counts plausible: %s distinct hop counts across %s "
	   "IPv6 /32s"),
	N_("hop counts plausible: %s distinct hop count across %s "
	   "IPv6 /32s"),
	N_("handshake completion not assessed: only %s SYNs"),
	N_("SYN-to-handshake completion %s (%s ACKs for %s SYNs; %s "
	   "SYN-ACKs seen)"),
	N_("spread over the address space not assessed: only %s IPv4 "
	   "sources sampled"),
	N_("sources spread uniformly over the address space (chi-square "
	   "p=%s, %s sampled)"),
	N_("sources clustered, not uniform over the address space "
	   "(chi-square p<0.001, %s sampled)"),
	N_("too few packets to assess spoofing (%s)"),
};

#define EV_ARGS	8

/* Match s against pat, where each %s takes the shortest non-empty run of
 * s that lets the rest match. Returns the number of arguments found, or
 * -1. */
static int
ev_match(const char *pat, const char *s, const char **arg, size_t *alen,
    int n)
{
	size_t l, rest;
	int r;

	for (;;) {
		if (pat[0] == '%' && pat[1] == 's') {
			if (n >= EV_ARGS)
				return -1;
			rest = strlen(s);
			for (l = 1; l <= rest; l++) {
				arg[n] = s;
				alen[n] = l;
				if ((r = ev_match(pat + 2, s + l, arg, alen,
				    n + 1)) >= 0)
					return r;
			}
			return -1;
		}
		if (*pat == '\0')
			return *s == '\0' ? n : -1;
		if (*pat != *s)
			return -1;
		pat++;
		s++;
	}
}

const char *
ui_evidence(char *buf, size_t len, const char *en)
{
	const char *arg[EV_ARGS], *tr, *p;
	size_t alen[EV_ARGS], i, o = 0;
	int n = -1, next = 0, k;

	snprintf(buf, len, "%s", en);
	for (i = 0; i < NITEMS(evidence_patterns); i++)
		if ((n = ev_match(evidence_patterns[i], en, arg, alen, 0)) >= 0)
			break;
	if (n < 0 || len == 0)
		return buf;
	if ((tr = _(evidence_patterns[i])) == evidence_patterns[i])
		return buf;		/* no translation: the sentence as is */
	for (p = tr; *p != '\0' && o + 1 < len; ) {
		k = -1;
		if (p[0] == '%' && p[1] == '%') {
			buf[o++] = '%';
			p += 2;
			continue;
		}
		if (p[0] == '%' && p[1] == 's') {
			k = next++;
			p += 2;
		} else if (p[0] == '%' && p[1] >= '1' && p[1] <= '9' &&
		    p[2] == '$' && p[3] == 's') {
			k = p[1] - '1';
			p += 4;
		}
		if (k < 0) {
			buf[o++] = *p++;
			continue;
		}
		if (k >= n)
			continue;	/* msgfmt --check keeps this from happening */
		for (i = 0; i < alen[k] && o + 1 < len; i++)
			buf[o++] = arg[k][i];
	}
	buf[o] = '\0';
	return buf;
}

const char *
ui_incident_title(char *buf, size_t len, const char *title)
{
	char kind[32], dir[16];
	const char *sp1, *sp2;

	snprintf(buf, len, "%s", title);
	if ((sp1 = strchr(title, ' ')) == NULL || (size_t)(sp1 - title) >=
	    sizeof(kind) || (sp2 = strchr(sp1 + 1, ' ')) == NULL ||
	    (size_t)(sp2 - sp1 - 1) >= sizeof(dir))
		return buf;
	memcpy(kind, title, (size_t)(sp1 - title));
	kind[sp1 - title] = '\0';
	memcpy(dir, sp1 + 1, (size_t)(sp2 - sp1 - 1));
	dir[sp2 - sp1 - 1] = '\0';
	if (ui_kind_name(kind) == kind || ui_direction_name(dir) == dir)
		return buf;		/* not an alert's title */
	snprintf(buf, len, "%s %s%s", ui_kind_name(kind),
	    ui_direction_name(dir), sp2);
	return buf;
}
