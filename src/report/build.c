/*
 * build.c -- the report's content: an incident's journal read into the
 * document model (report_impl.h), one section per builder, in the
 * report's language. Values are formatted here (times in UTC and the
 * operator's zone, durations, rates); escaping is the renderers' job.
 */
#include "report/report_impl.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/defang.h"
#include "base/fmt.h"
#include "base/util.h"
#include "case/evidence.h"
#include "time/tz.h"

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

	d->id = doc_txt(inc->id);
	d->kind = doc_txt(incident_kind_name(d->o->kinds, inc->kind, d->o->lang));
	/* An unknown label is treated as the most restrictive one. */
	d->tlp = doc_txt(incident_tlp_valid(inc->tlp) ? inc->tlp : "TLP:RED");
	d->title = doc_txt(inc->title);
	d->asof = doc_txt(utc(a, sizeof(a), inc->last_us));
	d->status = doc_txt(inc->status == INC_CLOSED ? L(d, "closed", "終了") :
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
	struct sect *s = doc_sect_add(d, 0, "Summary", "概要");
	struct blk *kv = doc_blk_add(s, B_KV, 2);
	const struct incident_event *ev = find_last(inc, "evidence");
	const char *acts[64];
	size_t na = actions_of(inc, acts, NITEMS(acts)), i, taken = 0, ovr = 0;
	char a[64], b[64], c[160];
	struct contact_stats cst;
	int64_t us;

	doc_row_add(kv, 0, L(d, "Incident", "インシデント番号"), inc->id);
	doc_row_add(kv, 0, L(d, "Title", "件名"), inc->title);
	doc_row_add(kv, 0, L(d, "Kind", "種別"), d->kind);
	if (incident_tlp_valid(inc->tlp))
		doc_row_add(kv, 0, "TLP", inc->tlp);
	else {
		char *t = d->ja ? xasprintf("TLP:RED -- ジャーナルのラベル「%s」は"
		    "TLP 2.0のラベルではないため、TLP:REDとして扱います",
		    inc->tlp) : xasprintf("TLP:RED -- the journal's label \"%s\" "
		    "is not a TLP 2.0 label; treated as TLP:RED", inc->tlp);

		doc_row_add(kv, 1, "TLP", t);
		free(t);
	}
	doc_row_add(kv, 0, L(d, "Status", "状態"), d->status);
	doc_row_add(kv, 0, L(d, "Source", "起票元"), strcmp(inc->source, "alert") ==
	    0 ? L(d, "alert (detected)", "アラート（検知）") :
	    L(d, "manual (reported)", "手動（通報等）"));
	doc_row_add(kv, 0, L(d, "Opened", "起票"), utc(a, sizeof(a),
	    inc->created_us));
	doc_row_add(kv, 0, L(d, "Opened by", "起票者"), inc->created_by);
	doc_row_add(kv, 0, L(d, "Last event", "最終記録"), d->asof);
	if (ev != NULL) {
		ts_of(ev->j, "start", &us);
		utc(a, sizeof(a), us);
		ts_of(ev->j, "end", &us);
		if (us != 0)
			utc(b, sizeof(b), us);
		else
			snprintf(b, sizeof(b), "%s", L(d, "(ongoing)", "（継続中）"));
		snprintf(c, sizeof(c), "%s -- %s", a, b);
		doc_row_add(kv, 0, L(d, "Target", "攻撃対象"), json_gets(ev->j,
		    "target", "-"));
		doc_row_add(kv, 0, L(d, "Attack window", "攻撃期間"), c);
		fmt_si_unit(a, sizeof(a), json_getu(ev->j, "peak_pps", 0),
		    "pps", FMT_SI_TRUNC1 | FMT_SI_SPACE);
		fmt_si_unit(b, sizeof(b), json_getu(ev->j, "peak_bps", 0),
		    "bit/s", FMT_SI_TRUNC1 | FMT_SI_SPACE);
		snprintf(c, sizeof(c), "%s, %s", a, b);
		doc_row_add(kv, 0, L(d, "Peak", "最大"), c);
		doc_row_add(kv, 0, L(d, "Spoofing", "送信元詐称"), json_gets(ev->j,
		    "spoofing", "-"));
		if (json_len(json_get(ev->j, "ingress")) > 0) {
			char r[1024];

			doc_row_add(kv, evidence_route_moved(ev->j),
			    L(d, "Entered through", "流入経路"),
			    evidence_route(ev->j, r, sizeof(r)));
		}
	}
	for (i = 0; i < na; i++) {
		taken += incident_action_state(inc, acts[i], NULL) == ACT_TAKEN;
		ovr += incident_override_for(inc, acts[i]) != NULL;
	}
	snprintf(a, sizeof(a), "%zu", taken);
	doc_row_add(kv, 0, L(d, "Actions in force", "実施中の措置"), a);
	snprintf(a, sizeof(a), "%zu", ovr);
	doc_row_add(kv, ovr > 0, L(d, "Overrides", "オーバーライド"), a);
	incident_contact_stats(inc, NULL, &cst);
	dur(b, sizeof(b), cst.to_answer_s);
	snprintf(c, sizeof(c), "%u / %s", cst.attempts, b);
	doc_row_add(kv, 0, L(d, "Contact attempts / time to first answer",
	    "連絡試行数／最初の応答まで"), c);
	if (ovr > 0)
		doc_alert(s, doc_txtf("%s", L(d, "One or more actions were recorded "
		    "as taken under an explicit override of the guideline "
		    "checklist. See the checklist section.",
		    "ガイドラインのチェックリストを明示的にオーバーライドして実施"
		    "された措置があります。チェックリストの節を参照してください。")));
	/* The first note is the operator's own summary, if any. */
	for (i = 0; i < inc->nev; i++)
		if (strcmp(inc->ev[i].type, "note") == 0) {
			doc_para(s, doc_txt(json_gets(inc->ev[i].j, "text", "")));
			break;
		}
}

/* A phishing site: what it is and the takedown clock (issue 14). The
 * "since" durations run to the takedown, else to the last event. */
static void
build_site(struct doc *d, const struct incident *inc)
{
	const struct incident_event *se = incident_site_event(inc);
	const struct incident_event *le = incident_last_lookup(inc);
	struct site_times t;
	struct sect *s;
	struct blk *kv;
	char a[64], u[2048];
	int64_t end;
	size_t i;

	if (!incident_site_times(inc, &t) || se == NULL)
		return;
	s = doc_sect_add(d, 0, "Phishing site and takedown clock",
	    "フィッシングサイトとテイクダウンまでの時間");
	kv = doc_blk_add(s, B_KV, 2);
	doc_row_add(kv, 0, "URL", defang(se->ev.u.site.url, u, sizeof(u)));
	doc_row_add(kv, 0, L(d, "Host", "ホスト"), defang(se->ev.u.site.host,
	    u, sizeof(u)));
	doc_row_add(kv, 0, L(d, "Imitates", "偽装対象"),
	    *se->ev.u.site.brand ? se->ev.u.site.brand : "-");
	for (i = 0; le != NULL && i < le->ev.u.lookup.naddrs; i++) {
		const struct ev_lookup_addr *x = &le->ev.u.lookup.addrs[i];
		char ad[ADDR_STRLEN * 4];

		snprintf(u, sizeof(u), "%s  AS%lld %s  %s", defang(x->addr !=
		    NULL ? x->addr : "?", ad, sizeof(ad)), (long long)x->asn,
		    x->cc, x->abuse);
		doc_row_add(kv, 0, L(d, "Address", "アドレス"), u);
	}
	if (le != NULL && *le->ev.u.lookup.registrar)
		doc_row_add(kv, 0, L(d, "Registrar", "レジストラ"),
		    le->ev.u.lookup.registrar);
	if (le != NULL && *le->ev.u.lookup.registrar_abuse) {
		snprintf(u, sizeof(u), "%s%s%s", le->ev.u.lookup.registrar_abuse,
		    *le->ev.u.lookup.registrar_phone ? "  " : "",
		    le->ev.u.lookup.registrar_phone);
		doc_row_add(kv, 0, L(d, "Registrar abuse", "レジストラの窓口"),
		    u);
	}
	doc_row_add(kv, 0, L(d, "First seen", "初認"), utc(a, sizeof(a),
	    t.first_seen_us));
	doc_row_add(kv, 0, L(d, "First report", "最初の通報"),
	    t.first_report_us ? utc(a, sizeof(a), t.first_report_us) : "-");
	doc_row_add(kv, 0, L(d, "First answer", "最初の応答"),
	    t.first_answer_us ? utc(a, sizeof(a), t.first_answer_us) : "-");
	doc_row_add(kv, t.takedown_us == 0, L(d, "Takedown", "テイクダウン"),
	    t.takedown_us ? utc(a, sizeof(a), t.takedown_us) :
	    L(d, "(still up)", "（稼働中）"));
	end = t.takedown_us ? t.takedown_us : inc->last_us;
	dur(a, sizeof(a), end >= t.first_seen_us ? (end - t.first_seen_us) /
	    1000000 : -1);
	doc_row_add(kv, 0, t.takedown_us ? L(d, "First seen to takedown",
	    "初認からテイクダウンまで") : L(d, "Up since first seen (to the "
	    "last event)", "初認から最終記録まで"), a);
	dur(a, sizeof(a), t.first_report_us && end >= t.first_report_us ?
	    (end - t.first_report_us) / 1000000 : -1);
	doc_row_add(kv, 0, t.takedown_us ? L(d, "First report to takedown",
	    "最初の通報からテイクダウンまで") : L(d, "Since first report",
	    "最初の通報から"), a);
	dur(a, sizeof(a), t.first_answer_us ? (t.first_answer_us -
	    t.first_report_us) / 1000000 : -1);
	doc_row_add(kv, 0, L(d, "First report to first answer",
	    "最初の通報から最初の応答まで"), a);
}

static void
build_timeline(struct doc *d, const struct incident *inc)
{
	struct sect *s = doc_sect_add(d, 1, "Timeline", "時系列");
	struct blk *t;
	size_t i;
	char a[64], b[64], desc[4096], seq[24];

	if (d->zone_bad != NULL)
		doc_para(s, doc_txtf(d->ja ? "時刻はUTCです。ジャーナルに記録された"
		    "運用者の時間帯 %s はこのシステムの tz データベースに"
		    "ありません。" : "Times are UTC. The operator's zone that "
		    "the journal records, %s, is not in this system's tz "
		    "database.", d->zone_bad));
	else if ((d->o->zone == NULL && d->o->local_zone == NULL))
		doc_para(s, doc_txt(L(d, "Times are UTC. The operator's time zone is not "
		    "configured (set our-zone).",
		    "時刻はUTCです。運用者の時間帯が設定されていません"
		    "（our-zone を設定してください）。")));
	else if (d->zone_from != NULL)
		doc_para(s, doc_txtf(d->ja ? "現地時刻は %s（インシデント作成時に"
		    "ジャーナルに記録された運用者の時間帯）です。" : "Local "
		    "times are in %s, the operator's zone that the journal "
		    "recorded when the incident was created.", d->zone_from));
	if ((d->o->zone != NULL || d->o->local_zone != NULL))
		t = doc_table(s, 5, "#", "UTC", L(d, "Local", "現地時刻"),
		    L(d, "Operator", "担当"), L(d, "Event", "記録"));
	else
		t = doc_table(s, 4, "#", "UTC", L(d, "Operator", "担当"),
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
			doc_row_add(t, hl, seq, utc(a, sizeof(a), e->ts_us),
			    local(d, b, sizeof(b), e->ts_us), e->operator, desc);
		else
			doc_row_add(t, hl, seq, utc(a, sizeof(a), e->ts_us),
			    e->operator, desc);
	}
}

/* The key figures of one evidence record. */
static void
evidence_kv(struct doc *d, struct sect *s, const struct incident_event *e)
{
	struct blk *kv = doc_blk_add(s, B_KV, 2);
	char a[64], b[64], pb[160];
	int64_t us;

	doc_row_add(kv, 0, L(d, "Target", "攻撃対象"),
	    json_gets(e->j, "target", "-"));
	doc_row_add(kv, 0, L(d, "Attack", "攻撃の種類"),
	    json_gets(e->j, "attack", "-"));
	doc_row_add(kv, 0, L(d, "Direction", "方向"),
	    json_gets(e->j, "direction", "-"));
	doc_row_add(kv, 0, L(d, "Link", "回線"), json_gets(e->j, "link", "-"));
	if (json_len(json_get(e->j, "ingress")) > 0) {
		char r[1024];

		doc_row_add(kv, 0, L(d, "Neighbours", "隣接網"),
		    evidence_route(e->j, r, sizeof(r)));
	}
	ts_of(e->j, "start", &us);
	doc_row_add(kv, 0, L(d, "Start (UTC)", "開始（UTC）"),
	    utc(a, sizeof(a), us));
	if ((d->o->zone != NULL || d->o->local_zone != NULL))
		doc_row_add(kv, 0, L(d, "Start (local)", "開始（現地）"),
		    local(d, a, sizeof(a), us));
	ts_of(e->j, "last", &us);
	doc_row_add(kv, 0, L(d, "Last over threshold", "最終閾値超過"),
	    utc(a, sizeof(a), us));
	ts_of(e->j, "end", &us);
	doc_row_add(kv, 0, L(d, "End (UTC)", "終了（UTC）"), us != 0 ?
	    utc(a, sizeof(a), us) : L(d, "(ongoing)", "（継続中）"));
	fmt_si_unit(a, sizeof(a), json_getu(e->j, "peak_pps", 0),
	    "pps", FMT_SI_TRUNC1 | FMT_SI_SPACE);
	doc_row_add(kv, 0, L(d, "Peak packets", "最大パケットレート"), a);
	fmt_si_unit(a, sizeof(a), json_getu(e->j, "peak_bps", 0),
	    "bit/s", FMT_SI_TRUNC1 | FMT_SI_SPACE);
	doc_row_add(kv, 0, L(d, "Peak bits", "最大ビットレート"), a);
	fmt_si_unit(a, sizeof(a), json_getu(e->j, "packets", 0),
	    "", FMT_SI_TRUNC1 | FMT_SI_SPACE);
	fmt_si_unit(b, sizeof(b), json_getu(e->j, "bytes", 0),
	    "B", FMT_SI_TRUNC1 | FMT_SI_SPACE);
	snprintf(pb, sizeof(pb), "%s / %s", a, b);
	doc_row_add(kv, 0, L(d, "Packets / bytes", "パケット数／バイト数"), pb);
	snprintf(a, sizeof(a), "%lld", (long long)json_geti(e->j,
	    "sources_est", 0));
	doc_row_add(kv, 0, L(d, "Distinct sources (estimate)",
	    "送信元数（推定）"), a);
	if (json_geti(e->j, "top_port", 0) > 0) {
		snprintf(a, sizeof(a), "%lld", (long long)json_geti(e->j,
		    "top_port", 0));
		doc_row_add(kv, 0, L(d, "Dominant port", "主なポート"), a);
	}
}

/* The peak rate of one evidence record by protocol, as bars. */
static void
evidence_protocols(struct doc *d, struct sect *s,
    const struct incident_event *e)
{
	static const char *const keys[] = { "syn_pps", "udp_pps", "icmp_pps",
	    "frag_pps" };
	const char *names[] = { "TCP SYN", "UDP", "ICMP",
	    L(d, "fragments", "フラグメント") };
	struct blk *bars = doc_blk_add(s, B_BARS, 0);
	char a[64];
	size_t k;

	bars->text = doc_txt(L(d, "Peak rate by protocol (packets/s)",
	    "プロトコル別最大レート（パケット/秒）"));
	for (k = 0; k < NITEMS(keys); k++) {
		uint64_t v = json_getu(e->j, keys[k], 0);

		fmt_si_unit(a, sizeof(a), v, "pps", FMT_SI_TRUNC1 |
		    FMT_SI_SPACE);
		doc_bar_add(bars, names[k], v, a);
	}
}

/* The peak packet rate of every evidence record, as a sparkline. */
static void
evidence_spark(struct doc *d, struct sect *s, const struct incident *inc)
{
	struct blk *sp = doc_blk_add(s, B_SPARK, 0);
	size_t i;

	sp->text = doc_txt(L(d, "Peak packet rate across evidence records",
	    "証拠記録ごとの最大パケットレートの推移"));
	for (i = 0; i < inc->nev; i++) {
		if (strcmp(inc->ev[i].type, "evidence") != 0)
			continue;
		sp->vals = xreallocarray(sp->vals, sp->nvals + 1,
		    sizeof(*sp->vals));
		sp->vals[sp->nvals++] = json_getu(inc->ev[i].j, "peak_pps", 0);
	}
}

/* Countries of the top sources with their summed shares (per mille), in
 * order of first appearance; a 33rd country is not counted. */
struct countries {
	char name[32][8];
	uint64_t pm[32];
	size_t n;
};

static void
countries_add(struct countries *cc, const char *c, int64_t pm)
{
	size_t j;

	for (j = 0; j < cc->n; j++)
		if (strncmp(cc->name[j], c, sizeof(cc->name[j]) - 1) == 0)
			break;
	if (j == cc->n && cc->n < NITEMS(cc->name)) {
		snprintf(cc->name[cc->n], sizeof(cc->name[cc->n]), "%.7s", c);
		cc->pm[cc->n++] = 0;
	}
	if (j < NITEMS(cc->name) && pm > 0)
		cc->pm[j] += (uint64_t)pm;
}

/* The table of the top sources; their countries are counted into cc. */
static void
sources_table(struct doc *d, struct sect *so, const struct json *top,
    struct countries *cc)
{
	struct blk *t = doc_table(so, 6, L(d, "Source", "送信元"),
	    L(d, "Packets", "パケット"), L(d, "Share", "割合"), "ASN",
	    L(d, "AS name", "AS名"), L(d, "Country", "国"));
	char a[64], b[64], asn[24];
	size_t i;

	for (i = 0; i < json_len(top); i++) {
		const struct json *x = json_at(top, i);
		int64_t pm = json_geti(x, "share_pm", 0);
		const char *c = json_gets(x, "cc", "--");

		snprintf(a, sizeof(a), "%lld", (long long)json_geti(x,
		    "packets", 0));
		snprintf(b, sizeof(b), "%lld.%lld%%", (long long)(pm / 10),
		    (long long)(pm % 10 < 0 ? -(pm % 10) : pm % 10));
		if (json_geti(x, "asn", 0) > 0)
			snprintf(asn, sizeof(asn), "AS%lld",
			    (long long)json_geti(x, "asn", 0));
		else
			snprintf(asn, sizeof(asn), "-");
		doc_row_add(t, 0, json_gets(x, "addr", "?"), a, b, asn,
		    json_gets(x, "as_name", "-"), c);
		countries_add(cc, c, pm);
	}
}

static void
countries_bars(struct doc *d, struct sect *so, const struct countries *cc)
{
	struct blk *bars = doc_blk_add(so, B_BARS, 0);
	char a[64];
	size_t j;

	bars->text = doc_txt(L(d, "Share of the top sources by country",
	    "上位送信元の国別割合"));
	for (j = 0; j < cc->n; j++) {
		snprintf(a, sizeof(a), "%llu.%llu%%",
		    (unsigned long long)(cc->pm[j] / 10),
		    (unsigned long long)(cc->pm[j] % 10));
		doc_bar_add(bars, cc->name[j], cc->pm[j], a);
	}
}

/* Sources and spoofing, from the latest evidence record. */
static void
build_sources(struct doc *d, const struct incident_event *last)
{
	struct sect *so = doc_sect_add(d, 0, "Sources and spoofing",
	    "送信元と送信元詐称の評価");
	const struct json *sev = json_get(last->j, "spoof_evidence");
	struct countries cc;
	struct blk *kv;
	char a[64];
	size_t i;

	cc.n = 0;
	sources_table(d, so, json_get(last->j, "top_sources"), &cc);
	if (cc.n > 0)
		countries_bars(d, so, &cc);
	kv = doc_blk_add(so, B_KV, 2);
	doc_row_add(kv, 0, L(d, "Spoofing assessment", "送信元詐称の評価"),
	    json_gets(last->j, "spoofing", "-"));
	snprintf(a, sizeof(a), "%lld/1000", (long long)json_geti(last->j,
	    "spoof_score_pm", 0));
	doc_row_add(kv, 0, L(d, "Score", "スコア"), a);
	for (i = 0; i < json_len(sev); i++)
		doc_row_add(kv, 0, i == 0 ? L(d, "Signs", "根拠") : "",
		    json_str(json_at(sev, i), "?"));
	doc_para(so, doc_txt(L(d, "If spoofing is likely, the source addresses "
	    "may not be the real senders; share them with that caveat.",
	    "送信元詐称の可能性が高い場合、送信元アドレスは実際の送信者で"
	    "はない可能性があります。その旨を添えて共有してください。")));
}

/* Traffic evidence: every evidence record in journal order, the trend of
 * their peaks, then the sources of the latest. */
static void
build_evidence(struct doc *d, const struct incident *inc)
{
	struct sect *s = NULL;
	const struct incident_event *last = NULL;
	size_t i, nev = 0;
	char a[64];

	for (i = 0; i < inc->nev; i++) {
		const struct incident_event *e = &inc->ev[i];

		if (strcmp(e->type, "evidence") != 0)
			continue;
		if (s == NULL)
			s = doc_sect_add(d, 1, "Traffic evidence", "通信の証拠");
		nev++;
		last = e;
		doc_para(s, doc_txtf("%s #%llu (%s %s)", L(d, "Evidence", "証拠"),
		    (unsigned long long)e->seq, L(d, "recorded", "記録"),
		    utc(a, sizeof(a), e->ts_us)));
		evidence_kv(d, s, e);
		evidence_protocols(d, s, e);
	}
	if (nev > 1)
		evidence_spark(d, s, inc);
	if (last != NULL)
		build_sources(d, last);
}

/* ---- the hour around the window, from the history ---------------------- */

#define AROUND_S	1800	/* before and after the window */
#define AROUND_MAX	240	/* minutes shown at most */
#define AROUND_LINKS	4	/* link columns (80-column text) */

/*
 * Packets per minute of each link from 30 minutes before the attack window
 * (the latest evidence's start and end, or the last event while it goes
 * on) to 30 minutes after it, when the history holds any of those minutes;
 * otherwise no section at all (reports without a history stay as they
 * were).
 */
static void
build_history(struct doc *d, const struct incident *inc)
{
	const struct incident_event *ev = find_last(inc, "evidence");
	char errbuf[ERRBUF_SIZE], a[64], b[64];
	char links[AROUND_LINKS][64];
	struct report_minute *v = NULL;
	uint64_t *tot = NULL;
	int64_t start, end, from, to, m;
	size_t n = 0, i, j, k, nl = 0, more = 0, ntot = 0;
	struct sect *s;
	struct blk *t, *sp;

	if (ev == NULL)
		return;
	ts_of(ev->j, "start", &start);
	ts_of(ev->j, "end", &end);
	if (start <= 0)
		return;
	if (end <= 0)
		end = inc->last_us > start ? inc->last_us : start;
	start /= 1000000;
	end /= 1000000;
	from = start / 60 * 60 - AROUND_S;
	to = (end + 59) / 60 * 60 + AROUND_S;
	if (to - from > AROUND_MAX * 60)
		to = from + AROUND_MAX * 60;
	if (report_history_get(from, to, &v, &n, errbuf) != 0) {
		s = doc_sect_add(d, 0, "Traffic around the window (history)",
		    "攻撃期間前後のトラフィック（履歴）");
		doc_alert(s, doc_txtf("%s: %s", L(d, "The history could not be "
		    "read", "履歴を読めませんでした"), errbuf));
		free(v);
		return;
	}
	if (n == 0) {
		free(v);
		return;
	}
	/* The links, by name, as columns. */
	for (i = 0; i < n; i++) {
		for (j = 0; j < nl; j++)
			if (strcmp(links[j], v[i].link) == 0)
				break;
		if (j < nl)
			continue;
		if (nl == AROUND_LINKS) {
			for (k = 0; k < i; k++)
				if (strcmp(v[k].link, v[i].link) == 0)
					break;
			more += k == i;
			continue;
		}
		snprintf(links[nl++], sizeof(links[0]), "%s", v[i].link);
	}
	s = doc_sect_add(d, 0, "Traffic around the window (history)",
	    "攻撃期間前後のトラフィック（履歴）");
	utc(a, sizeof(a), from * 1000000);
	utc(b, sizeof(b), to * 1000000);
	doc_para(s, d->ja ? doc_txtf("履歴データベースによるリンクごとの毎分の"
	    "パケット数（%s〜%s、攻撃期間の前後30分）。*の付いた分は攻撃期間内"
	    "です。", a, b) : doc_txtf("Packets per minute on each link, from "
	    "the history database: %s to %s, 30 minutes before and after the "
	    "attack window. Minutes marked * are in the window.", a, b));
	if (more > 0)
		doc_para(s, d->ja ? doc_txtf("ほかに%zu本のリンクがあります"
		    "（省略）。", more) : doc_txtf("%zu more links are not "
		    "shown.", more));
	t = doc_blk_add(s, B_TABLE, nl + 2);
	t->head = xcalloc(nl + 2, sizeof(*t->head));
	t->head[0] = doc_txt(L(d, "Minute (UTC)", "分（UTC）"));
	for (j = 0; j < nl; j++)
		t->head[j + 1] = doc_txt(links[j]);
	t->head[nl + 1] = doc_txt(L(d, "Window", "期間"));
	for (m = from, i = 0; m < to; m += 60) {
		char **c = xcalloc(nl + 2, sizeof(*c));
		uint64_t total = 0;
		int any = 0;

		for (; i < n && v[i].minute < m; i++)
			;
		for (j = 0; j < nl; j++)
			c[j + 1] = doc_txt("-");
		for (k = i; k < n && v[k].minute == m; k++) {
			total += v[k].packets;
			any = 1;
			for (j = 0; j < nl; j++)
				if (strcmp(links[j], v[k].link) == 0) {
					free(c[j + 1]);
					c[j + 1] = doc_txtf("%llu",
					    (unsigned long long)v[k].packets);
				}
		}
		if (!any) {
			for (j = 1; j <= nl; j++)
				free(c[j]);
			free(c);
			continue;	/* no record of this minute */
		}
		utc(a, sizeof(a), m * 1000000);
		c[0] = doc_txt(a);
		c[nl + 1] = doc_txt(m + 60 > start && m <= end ? "*" : "");
		doc_row_addv(t, 0, c);
		tot = xreallocarray(tot, ntot + 1, sizeof(*tot));
		tot[ntot++] = total;
	}
	free(v);
	/* After the table: a new block may move the ones before it. */
	sp = doc_blk_add(s, B_SPARK, 0);
	sp->text = doc_txt(L(d, "Packets per minute, all links",
	    "全リンクの毎分のパケット数"));
	sp->vals = tot;
	sp->nvals = ntot;
}

/* The verdict of an action's checklist: the guideline case, the result,
 * what is open or failed, and the two steps of the legal assessment
 * (secrecy of communications, then the ground that justifies). */
static void
checklist_rows(struct doc *d, struct blk *kv, const struct checklist *cl,
    const struct incident *inc)
{
	const struct checklist_set *cs = d->o->cs;
	struct checklist_eval ev;
	char open[512];

	checklist_evaluate(cl, inc, &ev);
	doc_row_add(kv, 0, L(d, "Guideline case", "ガイドラインの事例"),
	    d->ja ? cl->case_ja : cl->case_en);
	doc_row_add(kv, 0, L(d, "Edition", "版"), d->ja ?
	    cl->edition_ja : cl->edition_en);
	checklist_open_list(&ev, open, sizeof(open));
	doc_row_add(kv, ev.status != CL_COMPLETE,
	    L(d, "Result", "結果"), ev.status == CL_COMPLETE ?
	    L(d, "complete", "完了") : ev.status == CL_FAILED ?
	    L(d, "FAILED", "不適合") : L(d, "incomplete", "未完了"));
	if (*open != '\0')
		doc_row_add(kv, ev.status != CL_COMPLETE,
		    L(d, "Open / failed", "未回答・不適合"), open);
	if (ev.infringes == 0)
		doc_row_add(kv, 0, L(d, "Step 1", "第1段階"),
		    L(d, "does not infringe the secrecy of "
		    "communications (as answered)",
		    "通信の秘密の侵害に当たらない（回答による）"));
	else if (ev.consent == 1)
		doc_row_add(kv, 0, L(d, "Step 1", "第1段階"),
		    L(d, "infringes; the parties consented",
		    "侵害に当たるが、当事者の同意あり"));
	if (ev.ground != NULL) {
		const struct checklist_ground *g =
		    checklist_ground_find(cs, ev.ground);
		char *t = xasprintf("%s (%s)%s%s", ground_name(d, ev.ground),
		    g != NULL ? g->article : "",
		    ev.ground_unverified ? " -- " : "",
		    ev.ground_unverified ? (d->ja ?
		    cs->unverified_ja : cs->unverified_en) : "");

		doc_row_add(kv, ev.ground_unverified,
		    L(d, "Ground", "違法性阻却事由"), t);
		free(t);
	}
}

/* What is known of one action: its name, its checklist's verdict (cl may
 * be NULL: none is defined) and its state. */
static void
action_kv(struct doc *d, struct sect *s, const struct incident *inc,
    const char *act, const struct checklist *cl)
{
	static const char *const en[] = { "not proposed", "proposed",
	    "taken", "lifted" };
	static const char *const ja[] = { "提案なし", "提案", "実施", "解除" };
	struct blk *kv = doc_blk_add(s, B_KV, 2);
	enum action_state as;
	char *t = xasprintf("%s (%s)", cl != NULL ?
	    checklist_title(cl, d->o->lang) : act, act);

	doc_row_add(kv, 0, L(d, "Action", "措置"), t);
	free(t);
	if (cl == NULL)
		doc_row_add(kv, 1, L(d, "Checklist", "チェックリスト"),
		    L(d, "no checklist is defined for this action",
		    "この措置のチェックリストは定義されていません"));
	else
		checklist_rows(d, kv, cl, inc);
	as = incident_action_state(inc, act, NULL);
	doc_row_add(kv, 0, L(d, "Action state", "措置の状態"),
	    L(d, en[as], ja[as]));
}

/* One recorded answer as a row of four cells: the question, the answer in
 * words, who and when, the reason. The row is marked when a yes/no answer
 * is not the one the checklist expects. */
static void
answer_row(struct doc *d, struct blk *t, const struct incident_event *e,
    const struct checklist *cl)
{
	const char *qid = json_gets(e->j, "question", "");
	const char *ans = json_gets(e->j, "answer", "");
	const struct checklist_question *q = cl != NULL ?
	    checklist_question_find(cl, qid) : NULL;
	char **cells = xcalloc(4, sizeof(*cells));
	char a[64];
	int failed = 0;

	if (q != NULL && q->type == CLT_YESNO && q->expect != -1)
		failed = (strcmp(ans, "yes") == 0) != q->expect;
	cells[0] = q != NULL ? doc_txtf("%s: %s", qid,
	    checklist_qtext(q, d->o->lang)) : doc_txt(qid);
	if (q != NULL && q->type == CLT_CHOICE)
		cells[1] = doc_txtf("%s%s", ground_name(d, ans),
		    cl != NULL && checklist_ground_unverified(cl, ans) ?
		    (d->ja ? "（要確認）" : " (unverified)") : "");
	else if (q != NULL && q->type == CLT_YESNO)
		cells[1] = doc_txt(strcmp(ans, "yes") == 0 ?
		    L(d, "yes", "はい") : strcmp(ans, "no") == 0 ?
		    L(d, "no", "いいえ") : ans);
	else
		cells[1] = doc_txt(ans);
	cells[2] = doc_txtf("%s, %s", e->operator, utc(a, sizeof(a),
	    e->ts_us));
	cells[3] = doc_txt(json_gets(e->j, "reason", ""));
	doc_row_addv(t, failed, cells);
}

/* The answers recorded for act's checklist, in journal order. */
static void
answers_table(struct doc *d, struct sect *s, const struct incident *inc,
    const char *act, const struct checklist *cl)
{
	struct blk *t = doc_table(s, 4, L(d, "Question", "質問"),
	    L(d, "Answer", "回答"), L(d, "Operator, time (UTC)",
	    "担当・時刻（UTC）"), L(d, "Reason", "理由"));
	size_t k;

	t->cls = "cl";
	t->stacked = 2;
	for (k = 0; inc != NULL && k < inc->nev; k++) {
		const struct incident_event *e = &inc->ev[k];

		if (strcmp(e->type, "answer") == 0 &&
		    strcmp(json_gets(e->j, "action", ""), act) == 0)
			answer_row(d, t, e, cl);
	}
	if (t->nrows == 0)
		doc_row_add(t, 1, L(d, "(no answers recorded)",
		    "（回答の記録なし）"), "", "", "");
}

/* The guideline checklist: per action mentioned in the journal, its
 * verdict, any override (prominently), and the answers. */
static void
build_checklists(struct doc *d, const struct incident *inc)
{
	struct sect *s = doc_sect_add(d, 1, "Guideline checklist",
	    "ガイドライン・チェックリスト");
	const struct checklist_set *cs = d->o->cs;
	const char *acts[64];
	size_t na = actions_of(inc, acts, NITEMS(acts)), i;
	char when[64];

	if (cs != NULL) {
		doc_para(s, doc_txtf("%s: %s", L(d, "Guideline", "ガイドライン"),
		    d->ja ? cs->guideline_ja : cs->guideline_en));
		doc_para(s, doc_txt(d->ja ? cs->disclaimer_ja :
		    cs->disclaimer_en));
	}
	if (na == 0)
		doc_para(s, doc_txt(L(d, "No action was proposed or assessed.",
		    "措置の提案・評価はありません。")));
	for (i = 0; i < na; i++) {
		const struct checklist *cl = checklist_find(cs, acts[i]);
		const struct incident_event *ov = incident_override_for(inc,
		    acts[i]);

		action_kv(d, s, inc, acts[i], cl);
		if (ov != NULL)
			doc_alert(s, doc_txtf("%s %s -- %s %s, %s: %s",
			    L(d, "OVERRIDE:", "オーバーライド："), acts[i],
			    ov->operator, utc(when, sizeof(when), ov->ts_us),
			    L(d, "reason", "理由"), json_gets(ov->j, "reason",
			    "")));
		answers_table(d, s, inc, acts[i], cl);
	}
}

static void
build_actions(struct doc *d, const struct incident *inc)
{
	struct sect *s = doc_sect_add(d, 1, "Actions taken and lifted",
	    "実施・解除した措置");
	struct blk *t = doc_table(s, 5, L(d, "Action", "措置"), L(d, "State",
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
			doc_row_add(t, 1, json_gets(e->j, "action", ""),
			    L(d, "OVERRIDE", "オーバーライド"),
			    utc(a, sizeof(a), e->ts_us), e->operator,
			    json_gets(e->j, "reason", ""));
		else
			doc_row_add(t, json_getb(e->j, "under_override", 0),
			    json_gets(e->j, "action", ""),
			    json_getb(e->j, "under_override", 0) ?
			    L(d, "taken (override)", "実施（オーバーライド）") :
			    json_gets(e->j, "state", ""),
			    utc(a, sizeof(a), e->ts_us), e->operator,
			    json_gets(e->j, "detail", ""));
	}
	if (t->nrows == 0)
		doc_para(s, doc_txt(L(d, "No action was recorded.",
		    "措置の記録はありません。")));
}

static void
build_contacts(struct doc *d, const struct incident *inc)
{
	struct sect *s = doc_sect_add(d, 0, "Contacts and response times",
	    "連絡と応答時間");
	struct blk *t = doc_table(s, 5, L(d, "Time (UTC)", "時刻（UTC）"),
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
			doc_row_add(t, 0, utc(a, sizeof(a), e->ts_us),
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
		doc_row_add(t, 0, utc(a, sizeof(a), e->ts_us), json_gets(e->j, "what",
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
		doc_para(s, doc_txt(L(d, "Nobody was contacted.",
		    "連絡の記録はありません。")));
		return;
	}
	sum = doc_table(s, 6, L(d, "Contact", "連絡先"), L(d, "Attempts", "試行"),
	    L(d, "First attempt", "最初の試行"), L(d, "First answer",
	    "最初の応答"), L(d, "To answer", "応答まで"), L(d, "To resolution",
	    "解決まで"));
	for (k = 0; k < nid; k++) {
		struct contact_stats st;

		incident_contact_stats(inc, ids[k], &st);
		snprintf(c, sizeof(c), "%u", st.attempts);
		dur(e1, sizeof(e1), st.to_answer_s);
		dur(e2, sizeof(e2), st.to_resolution_s);
		doc_row_add(sum, st.first_answer_us == 0, *ids[k] ? ids[k] :
		    L(d, "(no id)", "（IDなし）"), c, utc(a, sizeof(a),
		    st.first_attempt_us), utc(b, sizeof(b), st.first_answer_us),
		    e1, e2);
	}
}

static void
build_open(struct doc *d, const struct incident *inc)
{
	struct sect *s = doc_sect_add(d, 1, "Open items", "未完了の事項");
	struct blk *t = doc_table(s, 1, L(d, "Item", "事項"));
	const char *acts[64];
	size_t na = actions_of(inc, acts, NITEMS(acts)), i;
	const struct incident_event *ev = find_last(inc, "evidence");
	struct contact_stats st;

	if (inc->status == INC_OPEN)
		doc_row_add(t, 0, L(d, "The incident is still open.",
		    "インシデントは対応中です。"));
	for (i = 0; i < na; i++) {
		const struct checklist *cl = checklist_find(d->o->cs, acts[i]);
		enum action_state as = incident_action_state(inc, acts[i], NULL);
		char *m;

		if (as == ACT_TAKEN) {
			m = doc_txtf("%s: %s", acts[i], L(d, "in force, not lifted yet",
			    "実施中（未解除）"));
			doc_row_add(t, 0, m);
			free(m);
		}
		if (cl != NULL && as != ACT_LIFTED) {
			struct checklist_eval e;
			char open[512];

			checklist_evaluate(cl, inc, &e);
			if (e.status == CL_COMPLETE)
				continue;
			checklist_open_list(&e, open, sizeof(open));
			m = doc_txtf("%s: %s %s (%s)", acts[i], L(d, "checklist",
			    "チェックリスト"), e.status == CL_FAILED ?
			    L(d, "failed", "不適合") : L(d, "incomplete",
			    "未完了"), open);
			doc_row_add(t, 1, m);
			free(m);
		}
	}
	if (ev != NULL && json_get(ev->j, "end") == NULL)
		doc_row_add(t, 0, L(d, "The latest evidence shows the attack as "
		    "ongoing.", "最新の証拠では攻撃は継続中です。"));
	incident_contact_stats(inc, NULL, &st);
	if (st.attempts > 0 && st.first_answer_us == 0)
		doc_row_add(t, 1, L(d, "No contact has answered yet.",
		    "まだどの連絡先からも応答がありません。"));
	for (i = 0; d->o->diags != NULL && i < d->o->diags->n; i++)
		doc_row_add(t, 1, d->o->diags->v[i].msg);
	if (t->nrows == 0)
		doc_row_add(t, 0, L(d, "None.", "なし。"));
}

static void
build_signoff(struct doc *d, const struct incident *inc)
{
	struct sect *s = doc_sect_add(d, 0, "Sign-off", "確認・承認");
	struct blk *b = doc_blk_add(s, B_SIGN, 1);
	char *m;

	doc_row_add(b, 0, L(d, "Prepared by (operator)", "作成（担当者）"));
	doc_row_add(b, 0, L(d, "Reviewed by (shift lead)", "確認（シフト責任者）"));
	doc_row_add(b, 0, L(d, "Legal / compliance review", "法務・コンプライアンス確認"));
	doc_row_add(b, 0, L(d, "Approved by (NOC manager)", "承認（NOC責任者）"));
	if (d->ja)
		m = doc_txtf("本報告書はジャーナル %s.jsonl（記録 %zu 件、最終記録 %s）"
		    "のみから作成されています。", inc->id, inc->nev, d->asof);
	else
		m = doc_txtf("Built from the journal %s.jsonl alone (%zu events, "
		    "the last at %s).", inc->id, inc->nev, d->asof);
	doc_para(s, m);
}

void
build_doc(struct doc *d, const struct incident *inc)
{
	build_header(d, inc);
	build_summary(d, inc);
	build_site(d, inc);
	build_timeline(d, inc);
	build_evidence(d, inc);
	build_history(d, inc);
	build_checklists(d, inc);
	build_actions(d, inc);
	build_contacts(d, inc);
	build_open(d, inc);
	build_signoff(d, inc);
}
