/*
 * cmd_history.c -- `kyocho history`: the per-minute history that a
 * terminal or `kyocho summary --history DB` wrote (history.h), for a person
 * or (--json) for scripts.
 *
 *   kyocho history [--json] [--from T] [--to T] [--link L] [--target A]
 *
 * T is "now", @SECONDS or RFC 3339; --from defaults to the beginning,
 * --to to no end. The database is --history's (a file or a directory),
 * else the state directory's history.sqlite. The JSON fields are a
 * contract documented in kyocho(1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "base/addr.h"
#include "base/fmt.h"
#include "base/jsonw.h"
#include "base/util.h"
#include "history/history.h"

static void
print_json(const struct history_rows *r, const char *path)
{
	struct jsonw w;
	char t[40];
	size_t i;

	jsonw_init(&w, stdout, 1);
	jsonw_obj_open(&w);
	jsonw_kstr(&w, "database", path);
	jsonw_key(&w, "links");
	jsonw_arr_open(&w);
	for (i = 0; i < r->nlinks; i++) {
		const struct history_link_row *l = &r->links[i];
		double share = history_link_share(l);

		jsonw_obj_open(&w);
		jsonw_ki64(&w, "minute", l->minute);
		jsonw_kstr(&w, "time", time_rfc3339(t, sizeof(t),
		    l->minute * 1000000, 0));
		jsonw_kstr(&w, "link", l->link);
		jsonw_ku64(&w, "packets", l->packets);
		jsonw_ku64(&w, "bytes", l->bytes);
		jsonw_kdouble(&w, "pps", (double)l->packets / 60);
		jsonw_kdouble(&w, "bps", (double)l->bytes * 8 / 60);
		jsonw_ku64(&w, "syn", l->syn);
		jsonw_ku64(&w, "udp", l->udp);
		jsonw_ku64(&w, "icmp", l->icmp);
		jsonw_ku64(&w, "fragments", l->fragments);
		jsonw_ku64(&w, "drops", l->drops);
		jsonw_ku64(&w, "peak_pps", l->peak_pps);
		jsonw_ku64(&w, "peak_bps", l->peak_bps);
		jsonw_ku64(&w, "capacity_bps", l->capacity_bps);
		jsonw_key(&w, "capacity_share");
		if (share < 0)
			jsonw_null(&w);
		else
			jsonw_double(&w, share);
		jsonw_obj_close(&w);
	}
	jsonw_arr_close(&w);
	jsonw_key(&w, "targets");
	jsonw_arr_open(&w);
	for (i = 0; i < r->ntargets; i++) {
		const struct history_target_row *x = &r->targets[i];

		jsonw_obj_open(&w);
		jsonw_ki64(&w, "minute", x->minute);
		jsonw_kstr(&w, "time", time_rfc3339(t, sizeof(t),
		    x->minute * 1000000, 0));
		jsonw_kstr(&w, "target", x->target);
		jsonw_ku64(&w, "packets", x->packets);
		jsonw_ku64(&w, "bytes", x->bytes);
		jsonw_ku64(&w, "syn", x->syn);
		jsonw_ku64(&w, "udp", x->udp);
		jsonw_ku64(&w, "icmp", x->icmp);
		jsonw_ku64(&w, "peak_pps", x->peak_pps);
		jsonw_obj_close(&w);
	}
	jsonw_arr_close(&w);
	jsonw_key(&w, "alerts");
	jsonw_arr_open(&w);
	for (i = 0; i < r->nalerts; i++) {
		const struct history_alert_row *a = &r->alerts[i];

		jsonw_obj_open(&w);
		jsonw_kstr(&w, "start", time_rfc3339(t, sizeof(t), a->start_us,
		    0));
		jsonw_key(&w, "end");
		if (a->end_us == 0)
			jsonw_null(&w);
		else
			jsonw_str(&w, time_rfc3339(t, sizeof(t), a->end_us, 0));
		jsonw_kstr(&w, "target", a->target);
		jsonw_kstr(&w, "kind", a->kind);
		jsonw_kstr(&w, "direction", a->direction);
		jsonw_kstr(&w, "link", a->link);
		jsonw_ku64(&w, "peak_pps", a->peak_pps);
		jsonw_ku64(&w, "peak_bps", a->peak_bps);
		jsonw_ku64(&w, "packets", a->packets);
		jsonw_ku64(&w, "bytes", a->bytes);
		jsonw_ku64(&w, "sources_est", a->sources_est);
		jsonw_obj_close(&w);
	}
	jsonw_arr_close(&w);
	jsonw_obj_close(&w);
	jsonw_end(&w);
}

static void
print_text(const struct history_rows *r)
{
	char t[40], pps[32], bps[32], cap[32];
	size_t i;

	printf("%-20s  %-16s %10s %10s %8s %8s %8s %6s\n", "MINUTE (UTC)",
	    "LINK", "PPS", "BPS", "SYN", "UDP", "ICMP", "USE");
	for (i = 0; i < r->nlinks; i++) {
		const struct history_link_row *l = &r->links[i];
		double share = history_link_share(l);

		fmt_si(pps, sizeof(pps), l->packets / 60);
		fmt_bps(bps, sizeof(bps), l->bytes * 8 / 60);
		if (share < 0)
			snprintf(cap, sizeof(cap), "-");
		else
			snprintf(cap, sizeof(cap), "%.1f%%", share * 100);
		printf("%-20s  %-16.16s %10s %10s %8llu %8llu %8llu %6s\n",
		    time_rfc3339(t, sizeof(t), l->minute * 1000000, 0), l->link,
		    pps, bps, (unsigned long long)l->syn,
		    (unsigned long long)l->udp, (unsigned long long)l->icmp,
		    cap);
	}
	if (r->ntargets > 0)
		printf("\n%-20s  %-39s %12s %10s\n", "MINUTE (UTC)",
		    "ALERTED TARGET", "PACKETS", "PEAK PPS");
	for (i = 0; i < r->ntargets; i++) {
		const struct history_target_row *x = &r->targets[i];

		printf("%-20s  %-39s %12llu %10llu\n", time_rfc3339(t,
		    sizeof(t), x->minute * 1000000, 0), x->target,
		    (unsigned long long)x->packets,
		    (unsigned long long)x->peak_pps);
	}
	if (r->nalerts > 0)
		printf("\n%-20s  %-20s  %-39s %-18s %10s\n", "START", "END",
		    "TARGET", "KIND", "PEAK PPS");
	for (i = 0; i < r->nalerts; i++) {
		const struct history_alert_row *a = &r->alerts[i];
		char e[40];

		if (a->end_us == 0)
			snprintf(e, sizeof(e), "(active)");
		else
			time_rfc3339(e, sizeof(e), a->end_us, 0);
		printf("%-20s  %-20s  %-39s %-18s %10llu\n", time_rfc3339(t,
		    sizeof(t), a->start_us, 0), e, a->target, a->kind,
		    (unsigned long long)a->peak_pps);
	}
	if (r->nlinks + r->ntargets + r->nalerts == 0)
		printf("no history in that window\n");
}

static int
history_exec(struct args *a, struct options *o)
{
	char errbuf[ERRBUF_SIZE], canon[64], *path = NULL;
	struct history_filter f = { 0 };
	struct history_rows rows;
	struct history_db *db;
	const char *from = args_get(a, "from"), *to = args_get(a, "to");
	const char *target = args_get(a, "target");
	struct addr ta;

	if (from != NULL && time_parse_instant(from, &f.from) != 0)
		return args_usage_error(a, "--from '%s' is not now, @SECONDS "
		    "or an RFC 3339 time", from);
	if (to != NULL && time_parse_instant(to, &f.to) != 0)
		return args_usage_error(a, "--to '%s' is not now, @SECONDS "
		    "or an RFC 3339 time", to);
	if (target != NULL) {
		/* As the store writes it (addr_format), so 2001:DB8::1 and
		 * 2001:db8::1 find the same rows. */
		if (addr_parse(target, &ta) != 0)
			return args_usage_error(a, "--target '%s' is not an "
			    "address", target);
		f.target = addr_format(&ta, canon, sizeof(canon));
	}
	f.link = args_get(a, "link");
	if (config_history_path(o, 1, &path, errbuf) < 0) {
		fprintf(stderr, "kyocho history: %s\n", errbuf);
		return CMD_FAIL;
	}
	if ((db = history_db_open(path, 0, errbuf)) == NULL) {
		fprintf(stderr, "kyocho history: %s\n", errbuf);
		free(path);
		return CMD_FAIL;
	}
	if (history_db_query(db, &f, &rows, errbuf) != 0) {
		fprintf(stderr, "kyocho history: %s\n", errbuf);
		history_db_close(db);
		free(path);
		return CMD_FAIL;
	}
	if (args_has(a, "json"))
		print_json(&rows, path);
	else
		print_text(&rows);
	history_rows_free(&rows);
	history_db_close(db);
	free(path);
	return CMD_OK;
}

static const struct args_opt history_opts[] = {
	{ .name = "json", .sname = 'j', .help = "JSON (fields in kyocho(1))" },
	{ .name = "from", .arg = "T", .help = "minutes from T (now, @SECONDS, "
	  "RFC 3339)" },
	{ .name = "to", .arg = "T", .help = "minutes before T" },
	{ .name = "link", .arg = "NAME", .help = "one link's minutes" },
	{ .name = "target", .arg = "ADDR", .help = "one target's minutes "
	  "and alerts" },
	{ .name = NULL },
};

const struct cmd_entry cmd_history_entry = {
	.name = "history",
	.usage = "[--json] [--from T] [--to T] [--link NAME] [--target ADDR] "
	    "[--history DB]",
	.help = "per-minute history of the links, alerted targets and alerts",
	.text = "Reads the history a terminal (history = on) or `kyocho summary "
	    "--history DB`\nwrote: per minute and link the packets, bytes, "
	    "SYN, UDP, ICMP, fragments,\ndrops and capacity share; per minute "
	    "the alerted targets; every alert's\nstart, peak and end. Times "
	    "are UTC. See kyocho(1).\n",
	.opts = history_opts,
	.minargs = 0,
	.maxargs = 0,
	.exec = history_exec,
};
