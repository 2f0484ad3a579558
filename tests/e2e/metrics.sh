#!/bin/bash
# metrics.sh -- --metrics: the terminal replaying the demo (in tmux) serves
# the Prometheus text format on loopback; promtool check metrics accepts
# it; the link rates, active alerts and history writer counters are there
# with bounded labels; a real Prometheus server (its own config and storage
# in $WORK, scrape interval 1s, on a free loopback port) scrapes kyocho and
# returns peering-A's byte rate through its query API. All waits are
# bounded polls.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRCDIR/tests/e2e/tmux.inc"
. "$SRCDIR/tests/e2e/port.inc"

PROM_PID=
trap 'tmux_cleanup; [ -n "$PROM_PID" ] && kill "$PROM_PID" 2>/dev/null;
    wait 2>/dev/null; rm -rf "$WORK"' EXIT

demo_captures
MPORT=$(free_port) || fail "no free port"
start demo 100 30 "$KYOCHO $DEMO_ARGS --no-dns --speed 2 --state $WORK/state \
    --history on --metrics $MPORT"
wait_for demo 'peering-A'

# the endpoint answers on 127.0.0.1 (the default address) with rates
page=$WORK/metrics.txt
for i in $(seq 1 100); do
	curl -sf "http://127.0.0.1:$MPORT/metrics" >"$page" 2>/dev/null &&
	    grep -qE '^kyocho_link_bytes_per_second\{link="peering-A"\} [1-9]' "$page" &&
	    break
	sleep 0.2
done
grep -qE '^kyocho_link_bytes_per_second\{link="peering-A"\} [1-9]' "$page" ||
    fail "no peering-A byte rate in the exposition: $(head -c 600 "$page")"
promtool check metrics <"$page" >"$WORK/promtool.txt" 2>&1 ||
    fail "promtool check metrics: $(cat "$WORK/promtool.txt")"
for m in kyocho_link_packets_per_second kyocho_link_capacity_used_ratio \
    kyocho_link_packets_total kyocho_capture_kernel_drops_total \
    kyocho_alerts_active kyocho_history_records_written_total \
    kyocho_history_records_dropped_total kyocho_history_lag_seconds; do
	grep -q "^# TYPE $m " "$page" || fail "no $m"
done
# bounded labels: only link, kind and direction
if grep -v '^#' "$page" | grep -oE '[a-z_]+="' | sort -u |
    grep -vE '^(link|kind|direction)="$'; then
	fail "a label other than link, kind, direction"
fi
# the SYN flood shows as an active inbound alert
for i in $(seq 1 150); do
	curl -sf "http://127.0.0.1:$MPORT/metrics" >"$page" &&
	    grep -qE '^kyocho_alerts_active\{kind="syn_flood",direction="inbound"\} [1-9]' "$page" &&
	    break
	sleep 0.2
done
grep -qE '^kyocho_alerts_active\{kind="syn_flood",direction="inbound"\} [1-9]' "$page" ||
    fail "the SYN flood is not an active alert in the metrics"
# read-only: no other path, no other method
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MPORT/")
[ "$code" = 404 ] || fail "GET / answered $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$MPORT/metrics")
[ "$code" = 405 ] || fail "POST /metrics answered $code"

# ---- a real Prometheus scrapes it --------------------------------------
PPORT=$(free_port) || fail "no free port"
cat >"$WORK/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: kyocho
    static_configs:
      - targets: ['127.0.0.1:$MPORT']
EOF
prometheus --config.file="$WORK/prometheus.yml" \
    --storage.tsdb.path="$WORK/tsdb" --web.listen-address="127.0.0.1:$PPORT" \
    >"$WORK/prometheus.log" 2>&1 &
PROM_PID=$!
q='kyocho_link_bytes_per_second{link="peering-A"}'
val=
for i in $(seq 1 150); do
	val=$(curl -sfG "http://127.0.0.1:$PPORT/api/v1/query" \
	    --data-urlencode "query=$q" 2>/dev/null |
	    jq -r '.data.result[0].value[1] // empty' 2>/dev/null)
	[ -n "$val" ] && break
	sleep 0.2
done
[ -n "$val" ] || fail "Prometheus returned no $q: $(tail -5 "$WORK/prometheus.log")"
awk -v v="$val" 'BEGIN { exit !(v > 0) }' || fail "Prometheus says $q = $val"
up=$(curl -sfG "http://127.0.0.1:$PPORT/api/v1/query" --data-urlencode 'query=up{job="kyocho"}' |
    jq -r '.data.result[0].value[1]')
[ "$up" = 1 ] || fail "Prometheus says up = $up"

keys demo q
wait_for demo 'KYOCHO-EXIT=0'
echo "metrics: ok (Prometheus read peering-A at $val byte/s)"
