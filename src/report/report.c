/*
 * report.c -- incident reports in text, Markdown and HTML. See report.h.
 *
 * The report is built in two steps. First the journal is read into a
 * small document model that knows nothing of formats: sections holding
 * paragraphs, key/value lists, tables (rows may be highlighted), bar
 * charts, sparklines, warnings and sign-off lines. Every string enters the
 * model through txt(), which turns line breaks and tabs into spaces and
 * sanitizes the rest (no control characters, no bidi overrides, valid
 * UTF-8). Then one renderer per format walks the model and escapes for its
 * format. Nothing reads the clock: the report's "as of" time is the
 * journal's last event.
 */
#include "report/report.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/fmt.h"
#include "case/evidence.h"
#include "time/tz.h"
#include "base/util.h"
#include "base/wrap.h"

#define TEXT_W		80

enum blk_kind { B_PARA, B_KV, B_TABLE, B_BARS, B_SPARK, B_ALERT, B_SIGN };

struct row {
	char **c;
	int hl;			/* highlight (override, failure) */
};

struct blk {
	enum blk_kind kind;
	char *text;		/* PARA, ALERT; caption of BARS, SPARK */
	size_t ncols;
	char **head;		/* TABLE: ncols headers */
	struct row *rows;	/* KV (2 columns), TABLE, SIGN (1 column) */
	size_t nrows;
	int stacked;		/* TABLE in text: last column under the rest */
	const char *cls;	/* TABLE in HTML: an extra class ("tl", "cl") */
	char **labels;		/* BARS */
	uint64_t *vals;		/* BARS, SPARK */
	char **vtext;		/* BARS: the value as printed */
	size_t nvals;
};

struct sect {
	char *title;
	int newpage;		/* HTML: start on a new page */
	struct blk *b;
	size_t nb;
};

struct doc {
	const struct report_opts *o;
	const char *zone_from;	/* the journal's zone, when o has it from
				 * there; else NULL */
	const char *zone_bad;	/* the journal's zone, unknown here */
	int ja;
	char *id, *kind, *tlp, *title, *asof, *status;
	struct sect *s;
	size_t ns;
};

/* ---- building the model ------------------------------------------------- */

/* A sanitized copy of untrusted text; line breaks and tabs become spaces. */
static char *
txt(const char *s)
{
	size_t n = strlen(s), i;
	char *flat = xstrdup(s), *out = xmalloc(n * 3 + 1);

	for (i = 0; i < n; i++)
		if (flat[i] == '\n' || flat[i] == '\r' || flat[i] == '\t')
			flat[i] = ' ';
	text_sanitize(out, n * 3 + 1, flat, n);
	free(flat);
	return out;
}

static char *
txtf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
txtf(const char *fmt, ...)
{
	va_list ap;
	char *raw, *t;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	raw = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(raw, (size_t)n + 1, fmt, ap);
	va_end(ap);
	t = txt(raw);
	free(raw);
	return t;
}

static const char *
L(const struct doc *d, const char *en, const char *ja)
{
	return d->ja ? ja : en;
}

static struct sect *
sect_add(struct doc *d, int newpage, const char *en, const char *ja)
{
	struct sect *s;

	d->s = xreallocarray(d->s, d->ns + 1, sizeof(*d->s));
	s = &d->s[d->ns++];
	memset(s, 0, sizeof(*s));
	s->title = txtf("%zu. %s", d->ns, L(d, en, ja));
	s->newpage = newpage;
	return s;
}

static struct blk *
blk_add(struct sect *s, enum blk_kind k, size_t ncols)
{
	struct blk *b;

	s->b = xreallocarray(s->b, s->nb + 1, sizeof(*s->b));
	b = &s->b[s->nb++];
	memset(b, 0, sizeof(*b));
	b->kind = k;
	b->ncols = ncols;
	return b;
}

static void
para(struct sect *s, char *text)
{
	blk_add(s, B_PARA, 0)->text = text;
}

static void
alert_blk(struct sect *s, char *text)
{
	blk_add(s, B_ALERT, 0)->text = text;
}

/* Add a row of b->ncols cells (already model strings, taken over). */
static void
row_addv(struct blk *b, int hl, char **cells)
{
	struct row *r;

	b->rows = xreallocarray(b->rows, b->nrows + 1, sizeof(*b->rows));
	r = &b->rows[b->nrows++];
	r->c = cells;
	r->hl = hl;
}

static void
row_add(struct blk *b, int hl, ...)
{
	char **cells = xcalloc(b->ncols, sizeof(*cells));
	va_list ap;
	size_t i;

	va_start(ap, hl);
	for (i = 0; i < b->ncols; i++) {
		const char *c = va_arg(ap, const char *);

		cells[i] = txt(c != NULL ? c : "");
	}
	va_end(ap);
	row_addv(b, hl, cells);
}

static struct blk *
table(struct sect *s, size_t ncols, ...)
{
	struct blk *b = blk_add(s, B_TABLE, ncols);
	va_list ap;
	size_t i;

	b->head = xcalloc(ncols, sizeof(*b->head));
	va_start(ap, ncols);
	for (i = 0; i < ncols; i++)
		b->head[i] = txt(va_arg(ap, const char *));
	va_end(ap);
	return b;
}

static void
bar_add(struct blk *b, const char *label, uint64_t v, const char *vtext)
{
	b->labels = xreallocarray(b->labels, b->nvals + 1, sizeof(*b->labels));
	b->vals = xreallocarray(b->vals, b->nvals + 1, sizeof(*b->vals));
	b->vtext = xreallocarray(b->vtext, b->nvals + 1, sizeof(*b->vtext));
	b->labels[b->nvals] = txt(label);
	b->vals[b->nvals] = v;
	b->vtext[b->nvals] = txt(vtext);
	b->nvals++;
}

static void
doc_free(struct doc *d)
{
	size_t i, j, k, r;

	for (i = 0; i < d->ns; i++) {
		struct sect *s = &d->s[i];

		for (j = 0; j < s->nb; j++) {
			struct blk *b = &s->b[j];

			free(b->text);
			for (k = 0; b->head != NULL && k < b->ncols; k++)
				free(b->head[k]);
			free(b->head);
			for (r = 0; r < b->nrows; r++) {
				for (k = 0; k < b->ncols; k++)
					free(b->rows[r].c[k]);
				free(b->rows[r].c);
			}
			free(b->rows);
			for (k = 0; k < b->nvals; k++) {
				if (b->labels != NULL)
					free(b->labels[k]);
				if (b->vtext != NULL)
					free(b->vtext[k]);
			}
			free(b->labels);
			free(b->vtext);
			free(b->vals);
		}
		free(s->b);
		free(s->title);
	}
	free(d->s);
	free(d->id);
	free(d->kind);
	free(d->tlp);
	free(d->title);
	free(d->asof);
	free(d->status);
}

/* ---- values ------------------------------------------------------------- */

static char *
utc(char *buf, size_t len, int64_t us)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;

	if (us == 0 || gmtime_r(&t, &tm) == NULL) {
		snprintf(buf, len, "-");
		return buf;
	}
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02dZ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return buf;
}

static char *
local(const struct doc *d, char *buf, size_t len, int64_t us)
{
	time_t t;
	struct tm tm;

	if (d->o->zone != NULL && us != 0) {
		struct tz_tm lt;

		if (tz_local(d->o->zone, us / 1000000, &lt) != 0) {
			snprintf(buf, len, "-");
			return buf;
		}
		snprintf(buf, len, "%02d-%02d %02d:%02d %s", lt.mon, lt.mday,
		    lt.hour, lt.min, lt.info.abbr);
		return buf;
	}
	if ((d->o->zone == NULL && d->o->local_zone == NULL) || us == 0) {
		snprintf(buf, len, "-");
		return buf;
	}
	t = (time_t)(us / 1000000 + d->o->local_offset_s);
	if (gmtime_r(&t, &tm) == NULL) {
		snprintf(buf, len, "-");
		return buf;
	}
	snprintf(buf, len, "%02d-%02d %02d:%02d %s", tm.tm_mon + 1, tm.tm_mday,
	    tm.tm_hour, tm.tm_min, d->o->local_zone);
	return buf;
}

static void
ts_of(const struct json *j, const char *key, int64_t *us)
{
	*us = 0;
	if (time_parse_rfc3339(json_gets(j, key, ""), us) != 0)
		*us = 0;
}

static void
dur(char *buf, size_t len, int64_t s)
{
	if (s < 0)
		snprintf(buf, len, "-");
	else if (s < 3600)
		snprintf(buf, len, "%lldm %02llds", (long long)(s / 60),
		    (long long)(s % 60));
	else
		snprintf(buf, len, "%lldh %02lldm", (long long)(s / 3600),
		    (long long)(s % 3600 / 60));
}

/* ---- the content -------------------------------------------------------- */

static const char *
ground_name(const struct doc *d, const char *id)
{
	const struct checklist_ground *g = checklist_ground_find(d->o->cs, id);

	if (g == NULL)
		return id;
	return d->ja ? g->name_ja : g->name_en;
}

static void
build_header(struct doc *d, const struct incident *inc)
{
	char a[64];

	d->id = txt(inc->id);
	d->kind = txt(incident_kind_name(d->o->kinds, inc->kind, d->o->lang));
	/* An unknown label is treated as the most restrictive one. */
	d->tlp = txt(incident_tlp_valid(inc->tlp) ? inc->tlp : "TLP:RED");
	d->title = txt(inc->title);
	d->asof = txt(utc(a, sizeof(a), inc->last_us));
	d->status = txt(inc->status == INC_CLOSED ? L(d, "closed", "終了") :
	    L(d, "open", "対応中"));
}

static const struct incident_event *
find_last(const struct incident *inc, const char *type)
{
	size_t i;

	for (i = inc->nev; i > 0; i--)
		if (strcmp(inc->ev[i - 1].type, type) == 0)
			return &inc->ev[i - 1];
	return NULL;
}

/* Actions mentioned in the journal (actions, answers, overrides), in order
 * of first mention. Returns the count; names point into the journal. */
static size_t
actions_of(const struct incident *inc, const char **out, size_t max)
{
	size_t n = 0, i, k;

	for (i = 0; i < inc->nev; i++) {
		const char *t = inc->ev[i].type, *a;

		if (strcmp(t, "action") != 0 && strcmp(t, "answer") != 0 &&
		    strcmp(t, "override") != 0)
			continue;
		a = json_gets(inc->ev[i].j, "action", "");
		if (*a == '\0')
			continue;
		for (k = 0; k < n; k++)
			if (strcmp(out[k], a) == 0)
				break;
		if (k == n && n < max)
			out[n++] = a;
	}
	return n;
}

static void
build_summary(struct doc *d, const struct incident *inc)
{
	struct sect *s = sect_add(d, 0, "Summary", "概要");
	struct blk *kv = blk_add(s, B_KV, 2);
	const struct incident_event *ev = find_last(inc, "evidence");
	const char *acts[64];
	size_t na = actions_of(inc, acts, NITEMS(acts)), i, taken = 0, ovr = 0;
	char a[64], b[64], c[160];
	struct contact_stats cst;
	int64_t us;

	row_add(kv, 0, L(d, "Incident", "インシデント番号"), inc->id);
	row_add(kv, 0, L(d, "Title", "件名"), inc->title);
	row_add(kv, 0, L(d, "Kind", "種別"), d->kind);
	if (incident_tlp_valid(inc->tlp))
		row_add(kv, 0, "TLP", inc->tlp);
	else {
		char *t = d->ja ? xasprintf("TLP:RED -- ジャーナルのラベル「%s」は"
		    "TLP 2.0のラベルではないため、TLP:REDとして扱います",
		    inc->tlp) : xasprintf("TLP:RED -- the journal's label \"%s\" "
		    "is not a TLP 2.0 label; treated as TLP:RED", inc->tlp);

		row_add(kv, 1, "TLP", t);
		free(t);
	}
	row_add(kv, 0, L(d, "Status", "状態"), d->status);
	row_add(kv, 0, L(d, "Source", "起票元"), strcmp(inc->source, "alert") ==
	    0 ? L(d, "alert (detected)", "アラート（検知）") :
	    L(d, "manual (reported)", "手動（通報等）"));
	row_add(kv, 0, L(d, "Opened", "起票"), utc(a, sizeof(a),
	    inc->created_us));
	row_add(kv, 0, L(d, "Opened by", "起票者"), inc->created_by);
	row_add(kv, 0, L(d, "Last event", "最終記録"), d->asof);
	if (ev != NULL) {
		ts_of(ev->j, "start", &us);
		utc(a, sizeof(a), us);
		ts_of(ev->j, "end", &us);
		if (us != 0)
			utc(b, sizeof(b), us);
		else
			snprintf(b, sizeof(b), "%s", L(d, "(ongoing)", "（継続中）"));
		snprintf(c, sizeof(c), "%s -- %s", a, b);
		row_add(kv, 0, L(d, "Target", "攻撃対象"), json_gets(ev->j,
		    "target", "-"));
		row_add(kv, 0, L(d, "Attack window", "攻撃期間"), c);
		fmt_si_unit(a, sizeof(a), json_getu(ev->j, "peak_pps", 0),
		    "pps", FMT_SI_TRUNC1 | FMT_SI_SPACE);
		fmt_si_unit(b, sizeof(b), json_getu(ev->j, "peak_bps", 0),
		    "bit/s", FMT_SI_TRUNC1 | FMT_SI_SPACE);
		snprintf(c, sizeof(c), "%s, %s", a, b);
		row_add(kv, 0, L(d, "Peak", "最大"), c);
		row_add(kv, 0, L(d, "Spoofing", "送信元詐称"), json_gets(ev->j,
		    "spoofing", "-"));
		if (json_len(json_get(ev->j, "ingress")) > 0) {
			char r[1024];

			row_add(kv, evidence_route_moved(ev->j),
			    L(d, "Entered through", "流入経路"),
			    evidence_route(ev->j, r, sizeof(r)));
		}
	}
	for (i = 0; i < na; i++) {
		taken += incident_action_state(inc, acts[i], NULL) == ACT_TAKEN;
		ovr += incident_override_for(inc, acts[i]) != NULL;
	}
	snprintf(a, sizeof(a), "%zu", taken);
	row_add(kv, 0, L(d, "Actions in force", "実施中の措置"), a);
	snprintf(a, sizeof(a), "%zu", ovr);
	row_add(kv, ovr > 0, L(d, "Overrides", "オーバーライド"), a);
	incident_contact_stats(inc, NULL, &cst);
	dur(b, sizeof(b), cst.to_answer_s);
	snprintf(c, sizeof(c), "%u / %s", cst.attempts, b);
	row_add(kv, 0, L(d, "Contact attempts / time to first answer",
	    "連絡試行数／最初の応答まで"), c);
	if (ovr > 0)
		alert_blk(s, txtf("%s", L(d, "One or more actions were recorded "
		    "as taken under an explicit override of the guideline "
		    "checklist. See the checklist section.",
		    "ガイドラインのチェックリストを明示的にオーバーライドして実施"
		    "された措置があります。チェックリストの節を参照してください。")));
	/* The first note is the operator's own summary, if any. */
	for (i = 0; i < inc->nev; i++)
		if (strcmp(inc->ev[i].type, "note") == 0) {
			para(s, txt(json_gets(inc->ev[i].j, "text", "")));
			break;
		}
}

static void
build_timeline(struct doc *d, const struct incident *inc)
{
	struct sect *s = sect_add(d, 1, "Timeline", "時系列");
	struct blk *t;
	size_t i;
	char a[64], b[64], desc[4096], seq[24];

	if (d->zone_bad != NULL)
		para(s, txtf(d->ja ? "時刻はUTCです。ジャーナルに記録された"
		    "運用者の時間帯 %s はこのシステムの tz データベースに"
		    "ありません。" : "Times are UTC. The operator's zone that "
		    "the journal records, %s, is not in this system's tz "
		    "database.", d->zone_bad));
	else if ((d->o->zone == NULL && d->o->local_zone == NULL))
		para(s, txt(L(d, "Times are UTC. The operator's time zone is not "
		    "configured (set our-zone).",
		    "時刻はUTCです。運用者の時間帯が設定されていません"
		    "（our-zone を設定してください）。")));
	else if (d->zone_from != NULL)
		para(s, txtf(d->ja ? "現地時刻は %s（インシデント作成時に"
		    "ジャーナルに記録された運用者の時間帯）です。" : "Local "
		    "times are in %s, the operator's zone that the journal "
		    "recorded when the incident was created.", d->zone_from));
	if ((d->o->zone != NULL || d->o->local_zone != NULL))
		t = table(s, 5, "#", "UTC", L(d, "Local", "現地時刻"),
		    L(d, "Operator", "担当"), L(d, "Event", "記録"));
	else
		t = table(s, 4, "#", "UTC", L(d, "Operator", "担当"),
		    L(d, "Event", "記録"));
	t->stacked = 1;
	t->cls = "tl";
	for (i = 0; i < inc->nev; i++) {
		const struct incident_event *e = &inc->ev[i];
		int hl = strcmp(e->type, "override") == 0 ||
		    json_getb(e->j, "under_override", 0);

		snprintf(seq, sizeof(seq), "%llu", (unsigned long long)e->seq);
		incident_event_describe(e, d->o->lang, desc, sizeof(desc));
		if ((d->o->zone != NULL || d->o->local_zone != NULL))
			row_add(t, hl, seq, utc(a, sizeof(a), e->ts_us),
			    local(d, b, sizeof(b), e->ts_us), e->operator, desc);
		else
			row_add(t, hl, seq, utc(a, sizeof(a), e->ts_us),
			    e->operator, desc);
	}
}

static void
build_evidence(struct doc *d, const struct incident *inc)
{
	struct sect *s = NULL;
	size_t i, k, nev = 0;
	char a[64], b[64];
	const struct incident_event *last = NULL;

	for (i = 0; i < inc->nev; i++) {
		const struct incident_event *e = &inc->ev[i];
		struct blk *kv, *bars;
		int64_t us;

		if (strcmp(e->type, "evidence") != 0)
			continue;
		if (s == NULL)
			s = sect_add(d, 1, "Traffic evidence", "通信の証拠");
		nev++;
		last = e;
		para(s, txtf("%s #%llu (%s %s)", L(d, "Evidence", "証拠"),
		    (unsigned long long)e->seq, L(d, "recorded", "記録"),
		    utc(a, sizeof(a), e->ts_us)));
		kv = blk_add(s, B_KV, 2);
		row_add(kv, 0, L(d, "Target", "攻撃対象"),
		    json_gets(e->j, "target", "-"));
		row_add(kv, 0, L(d, "Attack", "攻撃の種類"),
		    json_gets(e->j, "attack", "-"));
		row_add(kv, 0, L(d, "Direction", "方向"),
		    json_gets(e->j, "direction", "-"));
		row_add(kv, 0, L(d, "Link", "回線"), json_gets(e->j, "link", "-"));
		if (json_len(json_get(e->j, "ingress")) > 0) {
			char r[1024];

			row_add(kv, 0, L(d, "Neighbours", "隣接網"),
			    evidence_route(e->j, r, sizeof(r)));
		}
		ts_of(e->j, "start", &us);
		row_add(kv, 0, L(d, "Start (UTC)", "開始（UTC）"),
		    utc(a, sizeof(a), us));
		if ((d->o->zone != NULL || d->o->local_zone != NULL))
			row_add(kv, 0, L(d, "Start (local)", "開始（現地）"),
			    local(d, a, sizeof(a), us));
		ts_of(e->j, "last", &us);
		row_add(kv, 0, L(d, "Last over threshold", "最終閾値超過"),
		    utc(a, sizeof(a), us));
		ts_of(e->j, "end", &us);
		row_add(kv, 0, L(d, "End (UTC)", "終了（UTC）"), us != 0 ?
		    utc(a, sizeof(a), us) : L(d, "(ongoing)", "（継続中）"));
		fmt_si_unit(a, sizeof(a), json_getu(e->j, "peak_pps", 0),
		    "pps", FMT_SI_TRUNC1 | FMT_SI_SPACE);
		row_add(kv, 0, L(d, "Peak packets", "最大パケットレート"), a);
		fmt_si_unit(a, sizeof(a), json_getu(e->j, "peak_bps", 0),
		    "bit/s", FMT_SI_TRUNC1 | FMT_SI_SPACE);
		row_add(kv, 0, L(d, "Peak bits", "最大ビットレート"), a);
		fmt_si_unit(a, sizeof(a), json_getu(e->j, "packets", 0),
		    "", FMT_SI_TRUNC1 | FMT_SI_SPACE);
		fmt_si_unit(b, sizeof(b), json_getu(e->j, "bytes", 0),
		    "B", FMT_SI_TRUNC1 | FMT_SI_SPACE);
		{
			char pb[160];

			snprintf(pb, sizeof(pb), "%s / %s", a, b);
			row_add(kv, 0, L(d, "Packets / bytes",
			    "パケット数／バイト数"), pb);
		}
		snprintf(a, sizeof(a), "%lld", (long long)json_geti(e->j,
		    "sources_est", 0));
		row_add(kv, 0, L(d, "Distinct sources (estimate)",
		    "送信元数（推定）"), a);
		if (json_geti(e->j, "top_port", 0) > 0) {
			snprintf(a, sizeof(a), "%lld", (long long)json_geti(e->j,
			    "top_port", 0));
			row_add(kv, 0, L(d, "Dominant port", "主なポート"), a);
		}
		bars = blk_add(s, B_BARS, 0);
		bars->text = txt(L(d, "Peak rate by protocol (packets/s)",
		    "プロトコル別最大レート（パケット/秒）"));
		{
			const char *keys[] = { "syn_pps", "udp_pps", "icmp_pps",
			    "frag_pps" };
			const char *names[] = { "TCP SYN", "UDP", "ICMP",
			    L(d, "fragments", "フラグメント") };

			for (k = 0; k < NITEMS(keys); k++) {
				uint64_t v = json_getu(e->j, keys[k], 0);

				fmt_si_unit(a, sizeof(a), v,
				    "pps", FMT_SI_TRUNC1 | FMT_SI_SPACE);
				bar_add(bars, names[k], v, a);
			}
		}
	}
	if (nev > 1) {
		struct blk *sp = blk_add(s, B_SPARK, 0);

		sp->text = txt(L(d, "Peak packet rate across evidence records",
		    "証拠記録ごとの最大パケットレートの推移"));
		for (i = 0; i < inc->nev; i++) {
			if (strcmp(inc->ev[i].type, "evidence") != 0)
				continue;
			sp->vals = xreallocarray(sp->vals, sp->nvals + 1,
			    sizeof(*sp->vals));
			sp->vals[sp->nvals++] = json_getu(inc->ev[i].j,
			    "peak_pps", 0);
		}
	}
	if (last == NULL)
		return;
	/* Sources of the latest evidence. */
	{
		struct sect *so = sect_add(d, 0, "Sources and spoofing",
		    "送信元と送信元詐称の評価");
		const struct json *top = json_get(last->j, "top_sources");
		const struct json *sev = json_get(last->j, "spoof_evidence");
		struct blk *t, *cc, *kv;
		char cn[32][8];
		uint64_t cv[32];
		size_t ncc = 0, j;

		t = table(so, 6, L(d, "Source", "送信元"), L(d, "Packets",
		    "パケット"), L(d, "Share", "割合"), "ASN", L(d, "AS name",
		    "AS名"), L(d, "Country", "国"));
		for (i = 0; i < json_len(top); i++) {
			const struct json *x = json_at(top, i);
			int64_t pm = json_geti(x, "share_pm", 0);
			const char *c = json_gets(x, "cc", "--");

			snprintf(a, sizeof(a), "%lld", (long long)json_geti(x,
			    "packets", 0));
			snprintf(b, sizeof(b), "%lld.%lld%%", (long long)(pm / 10),
			    (long long)(pm % 10 < 0 ? -(pm % 10) : pm % 10));
			{
				char asn[24];

				if (json_geti(x, "asn", 0) > 0)
					snprintf(asn, sizeof(asn), "AS%lld",
					    (long long)json_geti(x, "asn", 0));
				else
					snprintf(asn, sizeof(asn), "-");
				row_add(t, 0, json_gets(x, "addr", "?"), a, b, asn,
				    json_gets(x, "as_name", "-"), c);
			}
			for (j = 0; j < ncc; j++)
				if (strncmp(cn[j], c, sizeof(cn[j]) - 1) == 0)
					break;
			if (j == ncc && ncc < NITEMS(cn)) {
				snprintf(cn[ncc], sizeof(cn[ncc]), "%.7s", c);
				cv[ncc++] = 0;
			}
			if (j < NITEMS(cn) && pm > 0)
				cv[j] += (uint64_t)pm;
		}
		if (ncc > 0) {
			cc = blk_add(so, B_BARS, 0);
			cc->text = txt(L(d, "Share of the top sources by country",
			    "上位送信元の国別割合"));
			for (j = 0; j < ncc; j++) {
				snprintf(a, sizeof(a), "%llu.%llu%%",
				    (unsigned long long)(cv[j] / 10),
				    (unsigned long long)(cv[j] % 10));
				bar_add(cc, cn[j], cv[j], a);
			}
		}
		kv = blk_add(so, B_KV, 2);
		row_add(kv, 0, L(d, "Spoofing assessment", "送信元詐称の評価"),
		    json_gets(last->j, "spoofing", "-"));
		snprintf(a, sizeof(a), "%lld/1000", (long long)json_geti(last->j,
		    "spoof_score_pm", 0));
		row_add(kv, 0, L(d, "Score", "スコア"), a);
		for (i = 0; i < json_len(sev); i++)
			row_add(kv, 0, i == 0 ? L(d, "Signs", "根拠") : "",
			    json_str(json_at(sev, i), "?"));
		para(so, txt(L(d, "If spoofing is likely, the source addresses "
		    "may not be the real senders; share them with that caveat.",
		    "送信元詐称の可能性が高い場合、送信元アドレスは実際の送信者で"
		    "はない可能性があります。その旨を添えて共有してください。")));
	}
}

static void
build_checklists(struct doc *d, const struct incident *inc)
{
	struct sect *s = sect_add(d, 1, "Guideline checklist",
	    "ガイドライン・チェックリスト");
	const char *acts[64];
	size_t na = actions_of(inc, acts, NITEMS(acts)), i, k;
	const struct checklist_set *cs = d->o->cs;
	char a[64];

	if (cs != NULL) {
		para(s, txtf("%s: %s", L(d, "Guideline", "ガイドライン"),
		    d->ja ? cs->guideline_ja : cs->guideline_en));
		para(s, txt(d->ja ? cs->disclaimer_ja : cs->disclaimer_en));
	}
	if (na == 0)
		para(s, txt(L(d, "No action was proposed or assessed.",
		    "措置の提案・評価はありません。")));
	for (i = 0; i < na; i++) {
		const struct checklist *cl = checklist_find(cs, acts[i]);
		const struct incident_event *ov = incident_override_for(inc,
		    acts[i]);
		struct checklist_eval ev;
		struct blk *kv, *t;
		char open[512];

		kv = blk_add(s, B_KV, 2);
		{
			char *t2 = xasprintf("%s (%s)", cl != NULL ?
			    checklist_title(cl, d->o->lang) : acts[i], acts[i]);

			row_add(kv, 0, L(d, "Action", "措置"), t2);
			free(t2);
		}
		if (cl == NULL) {
			row_add(kv, 1, L(d, "Checklist", "チェックリスト"),
			    L(d, "no checklist is defined for this action",
			    "この措置のチェックリストは定義されていません"));
		} else {
			checklist_evaluate(cl, inc, &ev);
			row_add(kv, 0, L(d, "Guideline case", "ガイドラインの事例"),
			    d->ja ? cl->case_ja : cl->case_en);
			row_add(kv, 0, L(d, "Edition", "版"), d->ja ?
			    cl->edition_ja : cl->edition_en);
			checklist_open_list(&ev, open, sizeof(open));
			row_add(kv, ev.status != CL_COMPLETE,
			    L(d, "Result", "結果"), ev.status == CL_COMPLETE ?
			    L(d, "complete", "完了") : ev.status == CL_FAILED ?
			    L(d, "FAILED", "不適合") : L(d, "incomplete",
			    "未完了"));
			if (*open != '\0')
				row_add(kv, ev.status != CL_COMPLETE,
				    L(d, "Open / failed", "未回答・不適合"), open);
			if (ev.infringes == 0)
				row_add(kv, 0, L(d, "Step 1", "第1段階"),
				    L(d, "does not infringe the secrecy of "
				    "communications (as answered)",
				    "通信の秘密の侵害に当たらない（回答による）"));
			else if (ev.consent == 1)
				row_add(kv, 0, L(d, "Step 1", "第1段階"),
				    L(d, "infringes; the parties consented",
				    "侵害に当たるが、当事者の同意あり"));
			if (ev.ground != NULL) {
				const struct checklist_ground *g =
				    checklist_ground_find(cs, ev.ground);

				char *t2 = xasprintf("%s (%s)%s%s",
				    ground_name(d, ev.ground),
				    g != NULL ? g->article : "",
				    ev.ground_unverified ? " -- " : "",
				    ev.ground_unverified ? (d->ja ?
				    cs->unverified_ja : cs->unverified_en) : "");

				row_add(kv, ev.ground_unverified,
				    L(d, "Ground", "違法性阻却事由"), t2);
				free(t2);
			}
		}
		{
			enum action_state as = incident_action_state(inc, acts[i],
			    NULL);
			const char *en[] = { "not proposed", "proposed", "taken",
			    "lifted" };
			const char *ja[] = { "提案なし", "提案", "実施", "解除" };

			row_add(kv, 0, L(d, "Action state", "措置の状態"),
			    L(d, en[as], ja[as]));
		}
		if (ov != NULL) {
			char when[64];

			alert_blk(s, txtf("%s %s -- %s %s, %s: %s",
			    L(d, "OVERRIDE:", "オーバーライド："), acts[i],
			    ov->operator, utc(when, sizeof(when), ov->ts_us),
			    L(d, "reason", "理由"), json_gets(ov->j, "reason", "")));
		}
		t = table(s, 4, L(d, "Question", "質問"), L(d, "Answer", "回答"),
		    L(d, "Operator, time (UTC)", "担当・時刻（UTC）"),
		    L(d, "Reason", "理由"));
		t->cls = "cl";
		t->stacked = 2;
		for (k = 0; inc != NULL && k < inc->nev; k++) {
			const struct incident_event *e = &inc->ev[k];
			const struct checklist_question *q;
			const char *qid, *ans;
			char *qtext, *atext;
			int failed = 0;

			if (strcmp(e->type, "answer") != 0 ||
			    strcmp(json_gets(e->j, "action", ""), acts[i]) != 0)
				continue;
			qid = json_gets(e->j, "question", "");
			ans = json_gets(e->j, "answer", "");
			q = cl != NULL ? checklist_question_find(cl, qid) : NULL;
			if (q != NULL && q->type == CLT_YESNO && q->expect != -1)
				failed = (strcmp(ans, "yes") == 0) != q->expect;
			qtext = q != NULL ? txtf("%s: %s", qid,
			    checklist_qtext(q, d->o->lang)) : txt(qid);
			if (q != NULL && q->type == CLT_CHOICE)
				atext = txtf("%s%s", ground_name(d, ans),
				    cl != NULL && checklist_ground_unverified(cl,
				    ans) ? (d->ja ? "（要確認）" :
				    " (unverified)") : "");
			else if (q != NULL && q->type == CLT_YESNO)
				atext = txt(strcmp(ans, "yes") == 0 ?
				    L(d, "yes", "はい") : strcmp(ans, "no") == 0 ?
				    L(d, "no", "いいえ") : ans);
			else
				atext = txt(ans);
			{
				char **cells = xcalloc(4, sizeof(*cells));

				cells[0] = qtext;
				cells[1] = atext;
				cells[2] = txtf("%s, %s", e->operator,
				    utc(a, sizeof(a), e->ts_us));
				cells[3] = txt(json_gets(e->j, "reason", ""));
				row_addv(t, failed, cells);
			}
		}
		if (t->nrows == 0)
			row_add(t, 1, L(d, "(no answers recorded)",
			    "（回答の記録なし）"), "", "", "");
	}
}

static void
build_actions(struct doc *d, const struct incident *inc)
{
	struct sect *s = sect_add(d, 1, "Actions taken and lifted",
	    "実施・解除した措置");
	struct blk *t = table(s, 5, L(d, "Action", "措置"), L(d, "State",
	    "状態"), L(d, "Time (UTC)", "時刻（UTC）"), L(d, "Operator", "担当"),
	    L(d, "Detail", "詳細"));
	size_t i;
	char a[64];

	for (i = 0; i < inc->nev; i++) {
		const struct incident_event *e = &inc->ev[i];
		int ovr;

		if (strcmp(e->type, "action") != 0 &&
		    strcmp(e->type, "override") != 0)
			continue;
		ovr = strcmp(e->type, "override") == 0;
		if (ovr)
			row_add(t, 1, json_gets(e->j, "action", ""),
			    L(d, "OVERRIDE", "オーバーライド"),
			    utc(a, sizeof(a), e->ts_us), e->operator,
			    json_gets(e->j, "reason", ""));
		else
			row_add(t, json_getb(e->j, "under_override", 0),
			    json_gets(e->j, "action", ""),
			    json_getb(e->j, "under_override", 0) ?
			    L(d, "taken (override)", "実施（オーバーライド）") :
			    json_gets(e->j, "state", ""),
			    utc(a, sizeof(a), e->ts_us), e->operator,
			    json_gets(e->j, "detail", ""));
	}
	if (t->nrows == 0)
		para(s, txt(L(d, "No action was recorded.",
		    "措置の記録はありません。")));
}

static void
build_contacts(struct doc *d, const struct incident *inc)
{
	struct sect *s = sect_add(d, 0, "Contacts and response times",
	    "連絡と応答時間");
	struct blk *t = table(s, 5, L(d, "Time (UTC)", "時刻（UTC）"),
	    L(d, "Event", "種別"), L(d, "Channel", "手段"), L(d, "Whom", "相手"),
	    L(d, "Note", "内容"));
	struct blk *sum;
	const char *ids[64];
	size_t nid = 0, i, k;
	char a[64], b[64], c[64], e1[64], e2[64];

	for (i = 0; i < inc->nev; i++) {
		const struct incident_event *e = &inc->ev[i];
		const char *cid, *whom;
		char *who;

		if (strcmp(e->type, "draft") == 0) {
			row_add(t, 0, utc(a, sizeof(a), e->ts_us),
			    L(d, "draft saved", "下書き保存"),
			    json_gets(e->j, "lang", ""), json_gets(e->j, "contact",
			    ""), json_gets(e->j, "template", ""));
			continue;
		}
		if (strcmp(e->type, "contact") != 0)
			continue;
		cid = json_gets(e->j, "contact", "");
		whom = json_gets(e->j, "whom", "");
		who = xasprintf("%s%s%s%s", whom, *cid ? " [" : "", cid,
		    *cid ? "]" : "");
		row_add(t, 0, utc(a, sizeof(a), e->ts_us), json_gets(e->j, "what",
		    ""), json_gets(e->j, "channel", ""), who,
		    json_gets(e->j, "text", ""));
		free(who);
		for (k = 0; k < nid; k++)
			if (strcmp(ids[k], cid) == 0)
				break;
		if (k == nid && nid < NITEMS(ids))
			ids[nid++] = cid;
	}
	if (nid == 0) {
		para(s, txt(L(d, "Nobody was contacted.",
		    "連絡の記録はありません。")));
		return;
	}
	sum = table(s, 6, L(d, "Contact", "連絡先"), L(d, "Attempts", "試行"),
	    L(d, "First attempt", "最初の試行"), L(d, "First answer",
	    "最初の応答"), L(d, "To answer", "応答まで"), L(d, "To resolution",
	    "解決まで"));
	for (k = 0; k < nid; k++) {
		struct contact_stats st;

		incident_contact_stats(inc, ids[k], &st);
		snprintf(c, sizeof(c), "%u", st.attempts);
		dur(e1, sizeof(e1), st.to_answer_s);
		dur(e2, sizeof(e2), st.to_resolution_s);
		row_add(sum, st.first_answer_us == 0, *ids[k] ? ids[k] :
		    L(d, "(no id)", "（IDなし）"), c, utc(a, sizeof(a),
		    st.first_attempt_us), utc(b, sizeof(b), st.first_answer_us),
		    e1, e2);
	}
}

static void
build_open(struct doc *d, const struct incident *inc)
{
	struct sect *s = sect_add(d, 1, "Open items", "未完了の事項");
	struct blk *t = table(s, 1, L(d, "Item", "事項"));
	const char *acts[64];
	size_t na = actions_of(inc, acts, NITEMS(acts)), i;
	const struct incident_event *ev = find_last(inc, "evidence");
	struct contact_stats st;

	if (inc->status == INC_OPEN)
		row_add(t, 0, L(d, "The incident is still open.",
		    "インシデントは対応中です。"));
	for (i = 0; i < na; i++) {
		const struct checklist *cl = checklist_find(d->o->cs, acts[i]);
		enum action_state as = incident_action_state(inc, acts[i], NULL);
		char *m;

		if (as == ACT_TAKEN) {
			m = txtf("%s: %s", acts[i], L(d, "in force, not lifted yet",
			    "実施中（未解除）"));
			row_add(t, 0, m);
			free(m);
		}
		if (cl != NULL && as != ACT_LIFTED) {
			struct checklist_eval e;
			char open[512];

			checklist_evaluate(cl, inc, &e);
			if (e.status == CL_COMPLETE)
				continue;
			checklist_open_list(&e, open, sizeof(open));
			m = txtf("%s: %s %s (%s)", acts[i], L(d, "checklist",
			    "チェックリスト"), e.status == CL_FAILED ?
			    L(d, "failed", "不適合") : L(d, "incomplete",
			    "未完了"), open);
			row_add(t, 1, m);
			free(m);
		}
	}
	if (ev != NULL && json_get(ev->j, "end") == NULL)
		row_add(t, 0, L(d, "The latest evidence shows the attack as "
		    "ongoing.", "最新の証拠では攻撃は継続中です。"));
	incident_contact_stats(inc, NULL, &st);
	if (st.attempts > 0 && st.first_answer_us == 0)
		row_add(t, 1, L(d, "No contact has answered yet.",
		    "まだどの連絡先からも応答がありません。"));
	for (i = 0; d->o->diags != NULL && i < d->o->diags->n; i++)
		row_add(t, 1, d->o->diags->v[i].msg);
	if (t->nrows == 0)
		row_add(t, 0, L(d, "None.", "なし。"));
}

static void
build_signoff(struct doc *d, const struct incident *inc)
{
	struct sect *s = sect_add(d, 0, "Sign-off", "確認・承認");
	struct blk *b = blk_add(s, B_SIGN, 1);
	char *m;

	row_add(b, 0, L(d, "Prepared by (operator)", "作成（担当者）"));
	row_add(b, 0, L(d, "Reviewed by (shift lead)", "確認（シフト責任者）"));
	row_add(b, 0, L(d, "Legal / compliance review", "法務・コンプライアンス確認"));
	row_add(b, 0, L(d, "Approved by (NOC manager)", "承認（NOC責任者）"));
	if (d->ja)
		m = txtf("本報告書はジャーナル %s.jsonl（記録 %zu 件、最終記録 %s）"
		    "のみから作成されています。", inc->id, inc->nev, d->asof);
	else
		m = txtf("Built from the journal %s.jsonl alone (%zu events, "
		    "the last at %s).", inc->id, inc->nev, d->asof);
	para(s, m);
}

/* ---- text --------------------------------------------------------------- */

struct lines {
	char **v;
	unsigned char *keep;	/* keep with this many next lines */
	size_t n;
};

static void
line_add(struct lines *l, const char *s, int keep)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->keep = xreallocarray(l->keep, l->n + 1, 1);
	l->v[l->n] = xstrdup(s);
	l->keep[l->n++] = (unsigned char)keep;
}

static size_t
width(const char *s)
{
	return utf8_width(s, strlen(s));
}

/* Append s padded with spaces to w columns onto the string at *dst. */
static void
cat_pad(char **dst, const char *s, size_t w)
{
	size_t sw = width(s), old = strlen(*dst), n = strlen(s);
	size_t pad = sw < w ? w - sw : 0;

	*dst = xreallocarray(*dst, old + n + pad + 1, 1);
	memcpy(*dst + old, s, n);
	memset(*dst + old + n, ' ', pad);
	(*dst)[old + n + pad] = '\0';
}

/*
 * Wrap s to w columns (at least 4) with the one wrapper (wrap.h: breaks
 * after spaces and between wide characters, kinsoku rules, hard breaks in
 * words longer than w). Returns the number of lines, at least one (an
 * empty string is one empty line); each a new string in *out.
 */
static size_t
wrap(const char *s, size_t w, char ***out)
{
	struct wrap_span *sp;
	size_t n, i;
	char **v;

	if (w < 4)
		w = 4;
	n = wrap_text(s, w, NULL, 0);
	if (n == 0) {
		v = xreallocarray(NULL, 1, sizeof(*v));
		v[0] = xstrdup("");
		*out = v;
		return 1;
	}
	sp = xreallocarray(NULL, n, sizeof(*sp));
	wrap_text(s, w, sp, n);
	v = xreallocarray(NULL, n, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = xstrndup(s + sp[i].off, sp[i].len);
	free(sp);
	*out = v;
	return n;
}

static void
free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
text_para(struct lines *l, const char *s, const char *prefix)
{
	char **v;
	size_t n = wrap(s, TEXT_W - width(prefix), &v), i;

	for (i = 0; i < n; i++) {
		char *x = xstrdup(prefix);

		cat_pad(&x, v[i], 0);
		line_add(l, x, 0);
		free(x);
	}
	free_strv(v, n);
}

/* A table of records (checklist answers): the first column wrapped over
 * the full width, then each other column as "Header: value" beneath. */
static void
text_records(struct lines *l, const struct blk *b)
{
	size_t r, i, k, n, hw = 0;
	char **v;

	for (i = 1; i < b->ncols; i++)
		if (width(b->head[i]) > hw)
			hw = width(b->head[i]);
	for (r = 0; r < b->nrows; r++) {
		size_t first = l->n, total;

		n = wrap(b->rows[r].c[0], TEXT_W - 2, &v);
		for (k = 0; k < n; k++) {
			char *x = xstrdup(k == 0 && b->rows[r].hl ? "! " : "  ");

			cat_pad(&x, v[k], 0);
			line_add(l, x, 0);
			free(x);
		}
		free_strv(v, n);
		for (i = 1; i < b->ncols; i++) {
			if (*b->rows[r].c[i] == '\0')
				continue;
			n = wrap(b->rows[r].c[i], TEXT_W - 8 - hw, &v);
			for (k = 0; k < n; k++) {
				char *x = xstrdup("      ");

				if (k == 0) {
					char *lab = xasprintf("%s:", b->head[i]);

					cat_pad(&x, lab, hw + 2);
					free(lab);
				} else
					cat_pad(&x, "", hw + 2);
				cat_pad(&x, v[k], 0);
				line_add(l, x, 0);
				free(x);
			}
			free_strv(v, n);
		}
		/* Keep a record on one page when it fits. */
		total = l->n - first;
		if (total > 1 && total < 30)
			l->keep[first] = (unsigned char)(total - 1);
		if (r + 1 < b->nrows)
			line_add(l, "", 0);
	}
}

/* A table whose last column is long text: in 80 columns each row is a
 * line of the short columns with the text wrapped beneath it. */
static void
text_stacked(struct lines *l, const struct blk *b)
{
	size_t nc = b->ncols, i, r, k;
	size_t *w = xcalloc(nc, sizeof(*w));

	for (i = 0; i + 1 < nc; i++)
		for (r = 0; r < b->nrows; r++)
			if (width(b->rows[r].c[i]) > w[i])
				w[i] = width(b->rows[r].c[i]);
	for (r = 0; r < b->nrows; r++) {
		char *x = xstrdup(b->rows[r].hl ? "! " : "  "), **v;
		size_t n;

		for (i = 0; i + 1 < nc; i++) {
			cat_pad(&x, b->rows[r].c[i], i + 2 < nc ? w[i] : 0);
			if (i + 2 < nc)
				cat_pad(&x, "", 2);
		}
		n = wrap(b->rows[r].c[nc - 1], TEXT_W - 8, &v);
		/* Keep the row's head with its text on one page. */
		if (width(x) > TEXT_W) {
			char **hv;
			size_t hn = wrap(x, TEXT_W, &hv);

			for (k = 0; k < hn; k++)
				line_add(l, hv[k], k == 0 && n + hn - 1 < 20 ?
				    (int)(n + hn - 1) : 0);
			free_strv(hv, hn);
		} else
			line_add(l, x, n < 20 ? (int)n : 0);
		free(x);
		for (k = 0; k < n; k++) {
			x = xstrdup("        ");
			cat_pad(&x, v[k], 0);
			line_add(l, x, 0);
			free(x);
		}
		free_strv(v, n);
	}
	free(w);
}

static void
text_table(struct lines *l, const struct blk *b)
{
	size_t nc = b->ncols, i, r, k, total, sep = 2, mark = 0;
	size_t *w = xcalloc(nc, sizeof(*w));

	for (r = 0; r < b->nrows; r++)
		if (b->rows[r].hl)
			mark = 2;
	/* Natural widths, then shrink the widest until it fits. */
	for (i = 0; i < nc; i++) {
		if (b->head != NULL && width(b->head[i]) > w[i])
			w[i] = width(b->head[i]);
		for (r = 0; r < b->nrows; r++)
			if (width(b->rows[r].c[i]) > w[i])
				w[i] = width(b->rows[r].c[i]);
		if (w[i] == 0)
			w[i] = 1;
	}
	if (b->kind == B_KV && w[0] > 28)
		w[0] = 28;
	for (;;) {
		size_t big = 0;

		total = mark;
		for (i = 0; i < nc; i++)
			total += w[i] + (i ? sep : 0);
		if (total <= TEXT_W)
			break;
		for (i = 1; i < nc; i++)
			if (w[i] > w[big])
				big = i;
		if (w[big] <= 6)
			break;
		w[big]--;
	}
	for (r = (b->head != NULL ? (size_t)-1 : 0); r == (size_t)-1 ||
	    r < b->nrows; r++) {
		char **cells = r == (size_t)-1 ? b->head : b->rows[r].c;
		char ***wr = xcalloc(nc, sizeof(*wr));
		size_t *nw = xcalloc(nc, sizeof(*nw)), h = 0;

		for (i = 0; i < nc; i++) {
			nw[i] = wrap(cells[i], w[i], &wr[i]);
			if (nw[i] > h)
				h = nw[i];
		}
		for (k = 0; k < h; k++) {
			char *x = xstrdup("");

			if (mark)
				cat_pad(&x, r != (size_t)-1 && b->rows[r].hl &&
				    k == 0 ? "!" : "", mark);
			for (i = 0; i < nc; i++) {
				if (i > 0)
					cat_pad(&x, "", sep);
				cat_pad(&x, k < nw[i] ? wr[i][k] : "",
				    i + 1 < nc ? w[i] : 0);
			}
			while (*x != '\0' && x[strlen(x) - 1] == ' ')
				x[strlen(x) - 1] = '\0';
			line_add(l, x, 0);
			free(x);
		}
		for (i = 0; i < nc; i++)
			free_strv(wr[i], nw[i]);
		free(wr);
		free(nw);
		if (r == (size_t)-1) {
			char *x = xstrdup("");

			for (i = 0; i < total && i < TEXT_W; i++)
				cat_pad(&x, "-", 1);
			line_add(l, x, 0);
			free(x);
		}
	}
	free(w);
}

static void
text_bars(struct lines *l, const struct blk *b)
{
	size_t lw = 0, vw = 0, i, bw;
	uint64_t max = 0;

	text_para(l, b->text, "");
	for (i = 0; i < b->nvals; i++) {
		if (width(b->labels[i]) > lw)
			lw = width(b->labels[i]);
		if (width(b->vtext[i]) > vw)
			vw = width(b->vtext[i]);
		if (b->vals[i] > max)
			max = b->vals[i];
	}
	if (lw > 24)
		lw = 24;
	bw = TEXT_W - lw - vw - 6;
	for (i = 0; i < b->nvals; i++) {
		char *x = xstrdup("  "), **lv;
		size_t n = max ? (size_t)((double)b->vals[i] / (double)max *
		    (double)bw + 0.5) : 0, k, nlv;

		nlv = wrap(b->labels[i], lw, &lv);
		cat_pad(&x, lv[0], lw);
		free_strv(lv, nlv);
		cat_pad(&x, " ", 1);
		for (k = 0; k < bw; k++)
			cat_pad(&x, k < n ? "#" : (k == 0 && b->vals[i] > 0 ?
			    "#" : " "), 1);
		cat_pad(&x, " ", 1);
		cat_pad(&x, b->vtext[i], 0);
		line_add(l, x, 0);
		free(x);
	}
}

static void
text_spark(struct lines *l, const struct blk *b)
{
	static const char ramp[] = " .:-=+*#%@";
	uint64_t max = 0, min = UINT64_MAX;
	size_t i;
	char *x = xstrdup("  ["), one[2] = { 0, 0 };

	text_para(l, b->text, "");
	for (i = 0; i < b->nvals; i++) {
		if (b->vals[i] > max)
			max = b->vals[i];
		if (b->vals[i] < min)
			min = b->vals[i];
	}
	for (i = 0; i < b->nvals && i < 70; i++) {
		size_t k = max > min ? (size_t)((b->vals[i] - min) * 9 /
		    (max - min)) : 9;

		one[0] = ramp[k];
		cat_pad(&x, one, 1);
	}
	cat_pad(&x, "]", 1);
	line_add(l, x, 0);
	free(x);
}

static void
text_body(const struct doc *d, struct lines *l)
{
	size_t i, j, k;

	for (i = 0; i < d->ns; i++) {
		const struct sect *s = &d->s[i];
		char *u = xstrdup("");

		if (i > 0)
			line_add(l, "", 0);
		line_add(l, s->title, 4);
		for (k = 0; k < width(s->title) && k < TEXT_W; k++)
			cat_pad(&u, "-", 1);
		line_add(l, u, 3);
		free(u);
		for (j = 0; j < s->nb; j++) {
			const struct blk *b = &s->b[j];

			line_add(l, "", 0);
			switch (b->kind) {
			case B_PARA:
				text_para(l, b->text, "");
				break;
			case B_ALERT:
				line_add(l, "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
				    "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!", 0);
				text_para(l, b->text, "!! ");
				line_add(l, "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
				    "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!", 0);
				break;
			case B_KV:
			case B_TABLE:
				if (b->nrows > 0 && b->stacked == 2)
					text_records(l, b);
				else if (b->nrows > 0 && b->stacked)
					text_stacked(l, b);
				else if (b->nrows > 0)
					text_table(l, b);
				break;
			case B_BARS:
				text_bars(l, b);
				break;
			case B_SPARK:
				text_spark(l, b);
				break;
			case B_SIGN:
				for (k = 0; k < b->nrows; k++) {
					char *x = xstrdup("");

					line_add(l, "", 0);
					cat_pad(&x, b->rows[k].c[0], 0);
					line_add(l, x, 0);
					free(x);
					line_add(l, L(d, "  Name: ____________________"
					    "____  Signature: ______________  Date: "
					    "__________", "  氏名：________________________"
					    "  署名：______________  日付：__________"), 0);
				}
				break;
			}
		}
	}
}

static void
text_head_line(FILE *f, const char *left, const char *right)
{
	char *x = xstrdup(""), **v;
	size_t rw = width(right), n;

	n = wrap(left, TEXT_W - rw - 2, &v);
	cat_pad(&x, v[0], TEXT_W - rw);
	cat_pad(&x, right, 0);
	fprintf(f, "%s\n", x);
	free_strv(v, n);
	free(x);
}

static void
render_text(const struct doc *d, FILE *f)
{
	struct lines l = { NULL, NULL, 0 };	/* v, keep, n */
	size_t plen = d->o->page_lines >= 20 ? (size_t)d->o->page_lines : 66;
	size_t body = plen - 5, npages, i, p, at, npl;
	size_t *start, *pl;
	char *left, *right;

	text_body(d, &l);
	/*
	 * Paginate: pl holds the line numbers of each page in turn, start[p]
	 * where page p begins in pl. A heading does not end a page, and no
	 * page begins with a blank line.
	 */
	pl = xcalloc(l.n + 1, sizeof(*pl));
	start = xcalloc(l.n + 2, sizeof(*start));
	npages = 0;
	at = body;
	npl = 0;
	for (i = 0; i < l.n; i++) {
		if (at >= body || (l.keep[i] && (i == 0 || !l.keep[i - 1]) &&
		    at + l.keep[i] + 1 > body && at > 0)) {
			start[npages++] = npl;
			at = 0;
		}
		if (at == 0 && l.v[i][0] == '\0')
			continue;
		pl[npl++] = i;
		at++;
	}
	if (npages == 0)
		start[npages++] = 0;
	start[npages] = npl;
	for (p = 0; p < npages; p++) {
		char pg[64];
		size_t used;

		if (p > 0)
			fputc('\f', f);
		left = xasprintf("%s  %s", L(d, "INCIDENT REPORT", "インシデント報告書"),
		    d->id);
		text_head_line(f, left, d->tlp);
		free(left);
		text_head_line(f, d->kind, d->status);
		fputs("================================================"
		    "================================\n", f);
		used = 0;
		for (i = start[p]; i < start[p + 1]; i++, used++)
			fprintf(f, "%s\n", l.v[pl[i]]);
		for (; used < body; used++)
			fputc('\n', f);
		fputs("------------------------------------------------"
		    "--------------------------------\n", f);
		snprintf(pg, sizeof(pg), d->ja ? "%zu / %zu ページ" :
		    "page %zu of %zu", p + 1, npages);
		left = xasprintf("%s  %s  %s %s", d->tlp, d->id,
		    L(d, "as of", "最終記録"), d->asof);
		right = xstrdup(pg);
		text_head_line(f, left, right);
		free(left);
		free(right);
	}
	for (i = 0; i < l.n; i++)
		free(l.v[i]);
	free(l.v);
	free(l.keep);
	free(start);
	free(pl);
}

/* ---- Markdown ----------------------------------------------------------- */

/*
 * Escape for CommonMark/GFM: every ASCII punctuation character is
 * backslash-escaped (so no emphasis, link, HTML, table cell or heading can
 * start), and URLs are defanged ("hxxp", "[.]" after www) so that GFM's
 * autolinker makes nothing from hostile text clickable.
 */
static void
md(FILE *f, const char *s)
{
	size_t i, n = strlen(s);

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((n - i >= 4 && (strncmp(s + i, "http", 4) == 0 ||
		    strncmp(s + i, "HTTP", 4) == 0)) || (n - i >= 3 &&
		    strncasecmp(s + i, "ftp", 3) == 0 && s[i + 3] == ':')) {
			fputc(s[i] == 'h' || s[i] == 'H' ? 'h' : 'f', f);
			fputs(s[i] == 'f' || s[i] == 'F' ? "xp" : "xxp", f);
			i += s[i] == 'f' || s[i] == 'F' ? 2 : 3;
			continue;
		}
		if (n - i >= 4 && strncasecmp(s + i, "www.", 4) == 0) {
			fwrite(s + i, 1, 3, f);
			fputs("\\[.\\]", f);
			i += 3;
			continue;
		}
		if (c == '@') {
			fputs("\\[@\\]", f);	/* no mailto autolinks */
			continue;
		}
		if (c < 0x80 && strchr("\\`*_{}[]()#+-.!|<>~&\"'=:;$%^,/?", c)
		    != NULL && c != 0)
			fputc('\\', f);
		fputc(c, f);
	}
}

static void
md_table(FILE *f, const struct blk *b)
{
	size_t i, r;

	fputs("|", f);
	for (i = 0; i < b->ncols; i++) {
		fputc(' ', f);
		if (b->head != NULL)
			md(f, b->head[i]);
		fputs(" |", f);
	}
	fputs("\n|", f);
	for (i = 0; i < b->ncols; i++)
		fputs(" --- |", f);
	fputc('\n', f);
	for (r = 0; r < b->nrows; r++) {
		fputs("|", f);
		for (i = 0; i < b->ncols; i++) {
			fputc(' ', f);
			if (b->rows[r].hl && i == 0)
				fputs("**⚠** ", f);
			if (b->kind == B_KV && i == 0 && *b->rows[r].c[0]) {
				fputs("**", f);
				md(f, b->rows[r].c[0]);
				fputs("**", f);
			} else
				md(f, b->rows[r].c[i]);
			fputs(" |", f);
		}
		fputc('\n', f);
	}
}

static void
render_md(const struct doc *d, FILE *f)
{
	size_t i, j, k;

	fputs("**", f);
	md(f, d->tlp);
	fputs("**\n\n# ", f);
	md(f, L(d, "Incident report", "インシデント報告書"));
	fputs(" ", f);
	md(f, d->id);
	fputs("\n\n**", f);
	md(f, d->kind);
	fputs("** \\-\\- ", f);
	md(f, d->title);
	fputs("\n", f);
	for (i = 0; i < d->ns; i++) {
		const struct sect *s = &d->s[i];

		fputs("\n## ", f);
		md(f, s->title);
		fputs("\n", f);
		for (j = 0; j < s->nb; j++) {
			const struct blk *b = &s->b[j];

			fputc('\n', f);
			switch (b->kind) {
			case B_PARA:
				md(f, b->text);
				fputc('\n', f);
				break;
			case B_ALERT:
				fputs("> **⚠ ", f);
				md(f, b->text);
				fputs("**\n", f);
				break;
			case B_KV: {
				struct blk kv = *b;
				char *h[2];

				h[0] = (char *)L(d, "Field", "項目");
				h[1] = (char *)L(d, "Value", "内容");
				kv.head = h;
				md_table(f, &kv);
				break;
			}
			case B_TABLE:
				if (b->nrows > 0)
					md_table(f, b);
				break;
			case B_BARS: {
				uint64_t max = 0;

				fputs("*", f);
				md(f, b->text);
				fputs("*\n\n| | | |\n| --- | --- | --- |\n", f);
				for (k = 0; k < b->nvals; k++)
					if (b->vals[k] > max)
						max = b->vals[k];
				for (k = 0; k < b->nvals; k++) {
					size_t n = max ? (size_t)((double)b->vals[k] /
					    (double)max * 30 + 0.5) : 0, m;

					fputs("| ", f);
					md(f, b->labels[k]);
					fputs(" | ", f);
					md(f, b->vtext[k]);
					fputs(" | ", f);
					for (m = 0; m < n; m++)
						fputs("█", f);
					fputs(" |\n", f);
				}
				break;
			}
			case B_SPARK: {
				static const char *const bl[] = { "▁", "▂", "▃",
				    "▄", "▅", "▆", "▇", "█" };
				uint64_t max = 0;

				fputs("*", f);
				md(f, b->text);
				fputs("*: ", f);
				for (k = 0; k < b->nvals; k++)
					if (b->vals[k] > max)
						max = b->vals[k];
				for (k = 0; k < b->nvals; k++)
					fputs(bl[max ? b->vals[k] * 7 / max : 0], f);
				fputc('\n', f);
				break;
			}
			case B_SIGN:
				for (k = 0; k < b->nrows; k++) {
					fputs("- **", f);
					md(f, b->rows[k].c[0]);
					fputs("**: ", f);
					md(f, L(d, "name ________ signature ________ "
					    "date ________", "氏名 ________ 署名 "
					    "________ 日付 ________"));
					fputc('\n', f);
				}
				break;
			}
		}
	}
	fputs("\n---\n\n**", f);
	md(f, d->tlp);
	fputs("** \\-\\- ", f);
	md(f, d->id);
	fputs(" \\-\\- ", f);
	md(f, L(d, "as of", "最終記録"));
	fputs(" ", f);
	md(f, d->asof);
	fputc('\n', f);
}

/* ---- HTML --------------------------------------------------------------- */

static void
h(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
	}
}

/* A CSS string literal: anything but letters, digits, space and UTF-8
 * is written as a hex escape, so nothing can end the string. */
static void
css_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == ' ' || c >= 0x80)
			fputc(c, f);
		else
			fprintf(f, "\\%x ", c);
	}
	fputc('"', f);
}

static const char *
tlp_class(const char *tlp)
{
	if (strcmp(tlp, "TLP:RED") == 0)
		return "tlp-red";
	if (strncmp(tlp, "TLP:AMBER", 9) == 0)
		return "tlp-amber";
	if (strcmp(tlp, "TLP:GREEN") == 0)
		return "tlp-green";
	return "tlp-clear";
}

static void
html_table(FILE *f, const struct blk *b)
{
	size_t i, r;

	fprintf(f, "<table class=\"%s%s%s\">\n", b->kind == B_KV ? "kv" :
	    "grid", b->cls != NULL ? " " : "", b->cls != NULL ? b->cls : "");
	if (b->head != NULL) {
		fputs("<thead><tr>", f);
		for (i = 0; i < b->ncols; i++) {
			fputs("<th>", f);
			h(f, b->head[i]);
			fputs("</th>", f);
		}
		fputs("</tr></thead>\n", f);
	}
	fputs("<tbody>\n", f);
	for (r = 0; r < b->nrows; r++) {
		fputs(b->rows[r].hl ? "<tr class=\"hl\">" : "<tr>", f);
		for (i = 0; i < b->ncols; i++) {
			fputs(b->kind == B_KV && i == 0 ? "<th>" : "<td>", f);
			if (b->rows[r].hl && i == 0)
				fputs("<span class=\"warn\">&#9888;</span> ", f);
			h(f, b->rows[r].c[i]);
			fputs(b->kind == B_KV && i == 0 ? "</th>" : "</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table>\n", f);
}

static void
html_bars(FILE *f, const struct blk *b)
{
	size_t k, lw = 150, bw = 380, rh = 22;
	size_t hgt = b->nvals * rh + 8;
	uint64_t max = 0;

	for (k = 0; k < b->nvals; k++)
		if (b->vals[k] > max)
			max = b->vals[k];
	fputs("<figure><figcaption>", f);
	h(f, b->text);
	fprintf(f, "</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"640\" height=\"%zu\" viewBox=\"0 0 640 %zu\" role=\"img\">\n",
	    hgt, hgt);
	for (k = 0; k < b->nvals; k++) {
		size_t y = 4 + k * rh;
		double w = max ? (double)b->vals[k] / (double)max * (double)bw : 0;

		if (b->vals[k] > 0 && w < 1)
			w = 1;
		fprintf(f, "<text x=\"%zu\" y=\"%zu\" text-anchor=\"end\" "
		    "class=\"lbl\">", lw - 8, y + 15);
		h(f, b->labels[k]);
		fprintf(f, "</text><rect x=\"%zu\" y=\"%zu\" width=\"%.1f\" "
		    "height=\"16\" class=\"bar\"/>", lw, y + 2, w);
		fprintf(f, "<text x=\"%.1f\" y=\"%zu\" class=\"val\">", (double)lw +
		    w + 6, y + 15);
		h(f, b->vtext[k]);
		fputs("</text>\n", f);
	}
	fputs("</svg></figure>\n", f);
}

static void
html_spark(FILE *f, const struct blk *b)
{
	uint64_t max = 0;
	size_t k;

	for (k = 0; k < b->nvals; k++)
		if (b->vals[k] > max)
			max = b->vals[k];
	fputs("<figure><figcaption>", f);
	h(f, b->text);
	fputs("</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"640\" height=\"80\" viewBox=\"0 0 640 80\" role=\"img\">"
	    "<polyline class=\"spark\" points=\"", f);
	for (k = 0; k < b->nvals; k++)
		fprintf(f, "%s%.1f,%.1f", k ? " " : "", b->nvals > 1 ?
		    10.0 + 620.0 * (double)k / (double)(b->nvals - 1) : 320.0,
		    max ? 75.0 - 70.0 * (double)b->vals[k] / (double)max : 75.0);
	fputs("\"/></svg></figure>\n", f);
}

static const char css[] =
"@page { size: A4; margin: 22mm 16mm 20mm 16mm; }\n"
"* { box-sizing: border-box; }\n"
"body { font-family: 'Noto Sans', 'DejaVu Sans', 'IPAexGothic', 'IPAPGothic', "
"'Noto Sans CJK JP', sans-serif; font-size: 9.5pt; line-height: 1.45; "
"color: #111; margin: 0; }\n"
"html:lang(ja) body { font-family: 'IPAexGothic', 'IPAPGothic', 'IPAGothic', "
"'Noto Sans CJK JP', 'DejaVu Sans', sans-serif; }\n"
".tlp { font-weight: bold; padding: 0.6mm 2.2mm; background: #000; "
"font-family: 'DejaVu Sans Mono', monospace; letter-spacing: 0.02em; }\n"
".tlp-red { color: #FF2B2B; } .tlp-amber { color: #FFC000; } "
".tlp-green { color: #33FF00; } .tlp-clear { color: #FFFFFF; }\n"
"header.cover { border-bottom: 2pt solid #1f3b63; margin-bottom: 5mm; "
"padding-bottom: 3mm; }\n"
"header.cover .doc { font-size: 10pt; color: #1f3b63; letter-spacing: 0.08em; "
"text-transform: uppercase; margin: 0; }\n"
"header.cover h1 { font-size: 19pt; margin: 1mm 0 1mm 0; }\n"
"header.cover .sub { font-size: 11pt; color: #333; margin: 0; }\n"
"section { margin-bottom: 6mm; }\n"
"section.newpage { break-before: page; }\n"
"h2 { font-size: 13pt; color: #1f3b63; border-bottom: 0.8pt solid #1f3b63; "
"padding-bottom: 1mm; margin: 0 0 3mm 0; break-after: avoid; }\n"
"p { margin: 0 0 2.5mm 0; }\n"
"table { border-collapse: collapse; width: 100%; margin: 0 0 4mm 0; "
"font-size: 8.5pt; }\n"
"thead { display: table-header-group; }\n"
"tr { break-inside: avoid; }\n"
"table.grid th { background: #e6ebf2; text-align: left; border: 0.4pt solid #9aa8bb; "
"padding: 1.2mm 1.6mm; }\n"
"table.grid td { border: 0.4pt solid #c2cad6; padding: 1.2mm 1.6mm; "
"vertical-align: top; overflow-wrap: anywhere; }\n"
"table.grid tbody tr:nth-child(even) td { background: #f6f8fb; }\n"
"table.kv th { text-align: left; width: 32%; font-weight: 600; color: #333; "
"padding: 0.9mm 2mm 0.9mm 0; border-bottom: 0.4pt solid #dde2ea; vertical-align: top; }\n"
"table.kv td { padding: 0.9mm 0; border-bottom: 0.4pt solid #dde2ea; "
"overflow-wrap: anywhere; }\n"
"tr.hl td, tr.hl th, table.grid tbody tr.hl:nth-child(even) td { "
"background: #fde2e1; color: #7a0b07; font-weight: 600; }\n"
".warn { color: #b3261e; }\n"
"table.tl td:nth-child(1) { width: 1%; white-space: nowrap; } "
"table.tl td:nth-last-child(2) { width: 10%; } "
"table.tl td:nth-child(2), table.tl td:nth-child(3) { white-space: nowrap; width: 1%; }\n"
"table.cl td:nth-child(1) { width: 44%; } table.cl td:nth-child(2) { width: 12%; } "
"table.cl td:nth-child(3) { width: 17%; } table.cl td:nth-child(4) { width: 27%; }\n"
".alert { border: 1.5pt solid #b3261e; background: #fdecea; color: #7a0b07; "
"padding: 2.5mm 3mm; margin: 0 0 4mm 0; font-weight: 600; break-inside: avoid; }\n"
"figure { margin: 0 0 4mm 0; break-inside: avoid; }\n"
"figcaption { font-size: 8.5pt; color: #333; margin-bottom: 1mm; font-weight: 600; }\n"
"svg .bar { fill: #1f5fa8; } svg .lbl, svg .val { font-size: 10px; fill: #222; "
"font-family: inherit; }\n"
"svg .spark { fill: none; stroke: #1f5fa8; stroke-width: 2; }\n"
".sign { display: grid; grid-template-columns: 1fr 1fr; gap: 8mm 10mm; "
"margin-top: 4mm; }\n"
".sign { margin-bottom: 6mm; }\n"
".sign > div { font-size: 8.5pt; font-weight: 600; break-inside: avoid; }\n"
".sign .line { height: 14mm; border-bottom: 0.6pt solid #333; }\n"
".sign span { display: block; color: #555; margin-top: 1mm; font-weight: normal; }\n"
"@media screen { body { max-width: 190mm; margin: 10mm auto; } }\n";

static void
render_html(const struct doc *d, FILE *f)
{
	size_t i, j, k;
	const char *tc = tlp_class(d->tlp);

	fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
	    "'none'; style-src 'unsafe-inline'; img-src data:\">\n<title>",
	    d->ja ? "ja" : "en");
	h(f, d->tlp);
	fputs(" ", f);
	h(f, d->id);
	fputs(" ", f);
	h(f, d->title);
	fprintf(f, "</title>\n<style>\n%s", css);
	/* Running header and footer in the page margins, on every page. */
	{
		char *top = xasprintf("%s \xc2\xb7 %s \xc2\xb7 %s",
		    L(d, "Incident report", "インシデント報告書"), d->id, d->kind);
		char *bot = xasprintf("%s \xc2\xb7 %s %s", d->id,
		    L(d, "as of", "最終記録"), d->asof);

		fputs("@page { @top-left { content: ", f);
		css_str(f, top);
		fputs("; font-size: 8pt; color: #333; vertical-align: bottom; "
		    "padding-bottom: 3mm; }\n  @top-right { content: ", f);
		css_str(f, d->tlp);
		fputs("; font-size: 10pt; font-weight: bold; color: #000; "
		    "vertical-align: bottom; padding-bottom: 3mm; "
		    "font-family: 'DejaVu Sans Mono', monospace; }\n"
		    "  @bottom-left { content: ", f);
		css_str(f, d->tlp);
		fputs(" \"  \" ", f);
		css_str(f, bot);
		fputs("; font-size: 8pt; color: #333; vertical-align: top; "
		    "padding-top: 3mm; }\n  @bottom-right { content: ", f);
		css_str(f, d->ja ? "ページ " : "Page ");
		fputs(" counter(page) ", f);
		css_str(f, " / ");
		fputs(" counter(pages); font-size: 8pt; color: #333; "
		    "vertical-align: top; padding-top: 3mm; } }\n", f);
		free(top);
		free(bot);
	}
	fputs("</style>\n</head>\n<body>\n", f);
	fputs("<header class=\"cover\"><p class=\"doc\">", f);
	h(f, L(d, "Incident report", "インシデント報告書"));
	fputs(" &#183; ", f);
	h(f, d->id);
	fputs("</p>\n<h1>", f);
	h(f, d->title);
	fputs("</h1>\n<p class=\"sub\">", f);
	h(f, d->kind);
	fputs(" &#183; ", f);
	h(f, d->status);
	fprintf(f, " &#183; <span class=\"tlp %s\">", tc);
	h(f, d->tlp);
	fputs("</span></p></header>\n", f);
	for (i = 0; i < d->ns; i++) {
		const struct sect *s = &d->s[i];

		fprintf(f, "<section%s>\n<h2>", s->newpage ?
		    " class=\"newpage\"" : "");
		h(f, s->title);
		fputs("</h2>\n", f);
		for (j = 0; j < s->nb; j++) {
			const struct blk *b = &s->b[j];

			switch (b->kind) {
			case B_PARA:
				fputs("<p>", f);
				h(f, b->text);
				fputs("</p>\n", f);
				break;
			case B_ALERT:
				fputs("<div class=\"alert\">&#9888; ", f);
				h(f, b->text);
				fputs("</div>\n", f);
				break;
			case B_KV:
			case B_TABLE:
				if (b->nrows > 0)
					html_table(f, b);
				break;
			case B_BARS:
				html_bars(f, b);
				break;
			case B_SPARK:
				html_spark(f, b);
				break;
			case B_SIGN:
				fputs("<div class=\"sign\">\n", f);
				for (k = 0; k < b->nrows; k++) {
					fputs("<div>", f);
					h(f, b->rows[k].c[0]);
					fputs("<div class=\"line\"></div><span>", f);
					h(f, L(d, "Name / signature / date",
					    "氏名・署名・日付"));
					fputs("</span></div>\n", f);
				}
				fputs("</div>\n", f);
				break;
			}
		}
		fputs("</section>\n", f);
	}
	fputs("</body>\n</html>\n", f);
}

/* ---- entry -------------------------------------------------------------- */

int
report_format_parse(const char *s)
{
	if (strcmp(s, "text") == 0 || strcmp(s, "txt") == 0)
		return REPORT_TEXT;
	if (strcmp(s, "md") == 0 || strcmp(s, "markdown") == 0)
		return REPORT_MD;
	if (strcmp(s, "html") == 0)
		return REPORT_HTML;
	return -1;
}

int
report_write(FILE *f, const struct incident *inc, const struct report_opts *o,
    char *errbuf)
{
	struct doc d;
	struct report_opts eff;
	struct tz *own = NULL;
	char err[ERRBUF_SIZE];

	memset(&d, 0, sizeof(d));
	/*
	 * Without a configured zone, the one the journal recorded when the
	 * incident was created (our-zone, or its default from TZ and
	 * /etc/localtime then): the report still comes from the journal
	 * alone, whatever the zone of the process writing it.
	 */
	if (o->zone == NULL && o->local_zone == NULL && inc->zone != NULL &&
	    inc->zone[0] != '\0') {
		eff = *o;
		if ((eff.zone = tz_get(inc->zone, err)) == NULL)
			eff.zone = own = tz_from_posix(inc->zone, err);
		if (eff.zone != NULL) {
			o = &eff;
			d.zone_from = inc->zone;
		} else
			d.zone_bad = inc->zone;
	}
	d.o = o;
	d.ja = o->lang != NULL && strcmp(o->lang, "ja") == 0;
	build_header(&d, inc);
	build_summary(&d, inc);
	build_timeline(&d, inc);
	build_evidence(&d, inc);
	build_checklists(&d, inc);
	build_actions(&d, inc);
	build_contacts(&d, inc);
	build_open(&d, inc);
	build_signoff(&d, inc);
	switch (o->format) {
	case REPORT_TEXT:
		render_text(&d, f);
		break;
	case REPORT_MD:
		render_md(&d, f);
		break;
	case REPORT_HTML:
		render_html(&d, f);
		break;
	}
	doc_free(&d);
	tz_free(own);
	if (fflush(f) != 0 || ferror(f))
		return err_set(errbuf, "writing the report failed");
	return 0;
}

int
report_print(const char *path, const char *printer, const char *lpr,
    char *errbuf)
{
	char *argv[5];
	int n = 0, st;
	pid_t pid;

	argv[n++] = (char *)(lpr != NULL ? lpr : "lpr");
	if (printer != NULL && *printer != '\0') {
		argv[n++] = "-P";
		argv[n++] = (char *)printer;
	}
	argv[n++] = (char *)path;
	argv[n] = NULL;
	if ((pid = fork()) < 0)
		return err_set(errbuf, "fork: %s", strerror(errno));
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return err_set(errbuf, "waitpid: %s", strerror(errno));
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		return err_set(errbuf, "%s could not be run (is a print system "
		    "such as CUPS installed?)", argv[0]);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return err_set(errbuf, "%s failed (status %d)", argv[0],
		    WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
