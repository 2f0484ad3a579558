#!/bin/bash
# history.sh -- the per-minute history (src/history, kyocho history):
#
# 1. a replay of the demo (tools/mkdemo) with --history writes one row per
#    link and minute whose packets and bytes are what tshark counts in that
#    minute of that link's capture; the attack's targets have per-minute
#    rows and its alerts a start, peak and end; the filters select;
# 2. 30 kill -9 of a replay writing history, at random moments, leave a
#    database that opens, passes PRAGMA integrity_check and holds whole
#    minutes only (every minute has both links: one transaction each).
#
# The kill delays come from bash's $RANDOM with a fixed seed, printed
# (KYOCHO_TEST_SEED=N for others).
set -u
: "${KYOCHO:?} ${B:?} ${SRCDIR:?}"
SEED=${KYOCHO_TEST_SEED:-20261206}
echo "history: seed $SEED (KYOCHO_TEST_SEED)"
RANDOM=$SEED
WORK=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
fail() { echo "history: FAILED: $*"; exit 1; }

"$B/tools/mkdemo" "$WORK" >/dev/null || fail "mkdemo"
PA=$WORK/demo-peering-A.pcap
PB=$WORK/demo-peering-B.pcap
ARGS=(--data "$SRCDIR/data" --home 203.0.113.0/24 --home 2001:db8:100::/48
    --link "peering-A=$PA:10M" --link "peering-B=$PB:10M"
    --threshold syn=300 --threshold udp=300 -r "$PA" -r "$PB")
DB=$WORK/h.sqlite

# ---- 1. a replay writes what tshark counts ------------------------------
"$KYOCHO" summary --json "${ARGS[@]}" --history "$DB" >"$WORK/summary.json" ||
    fail "summary --history"
"$KYOCHO" history --json --history "$DB" >"$WORK/h.json" ||
    fail "kyocho history --json"

# tshark's per-minute count of each link's frames and bytes
for l in A B; do
	tshark -n -r "$WORK/demo-peering-$l.pcap" -T fields -e frame.time_epoch \
	    -e frame.len 2>/dev/null |
	    awk -v l="peering-$l" '{ m = int($1 / 60) * 60; p[m]++; b[m] += $2 }
	    END { for (m in p) print m, l, p[m], b[m] }'
done | sort >"$WORK/tshark.txt"
jq -r '.links[] | "\(.minute) \(.link) \(.packets) \(.bytes)"' "$WORK/h.json" |
    sort >"$WORK/history.txt"
[ "$(wc -l <"$WORK/tshark.txt")" -ge 8 ] || fail "tshark counted too few minutes"
diff "$WORK/tshark.txt" "$WORK/history.txt" ||
    fail "history's per-minute packets/bytes differ from tshark's (< tshark, > history)"
# and their sum is summary's total
sum=$(jq '[.links[].packets] | add' "$WORK/h.json")
tot=$(jq '.packets' "$WORK/summary.json")
[ "$sum" = "$tot" ] || fail "history sums to $sum packets, summary says $tot"

# the attack: per-minute rows of its target and its alerts, start to end
jq -e '[.targets[] | select(.target == "203.0.113.10")] | length >= 2' \
    "$WORK/h.json" >/dev/null || fail "no per-minute rows of 203.0.113.10"
jq -e '.alerts[] | select(.target == "203.0.113.10" and .kind == "syn_flood"
    and .end != null and .peak_pps > 300 and (.link | startswith("peering-")))' \
    "$WORK/h.json" >/dev/null || fail "the SYN flood is not in the alerts history"
# the same alerts as summary reports
na=$(jq '.alerts | length' "$WORK/h.json")
ns=$(jq '.alerts | length' "$WORK/summary.json")
[ "$na" = "$ns" ] || fail "history has $na alerts, summary $ns"

# filters: one link, a window, one target
"$KYOCHO" history --json --history "$DB" --link peering-B \
    --from 2026-11-20T01:01:00Z --to 2026-11-20T01:03:00Z >"$WORK/f.json" ||
    fail "history with filters"
[ "$(jq -r '[.links[] | "\(.link) \(.minute)"] | join(",")' "$WORK/f.json")" = \
    "peering-B 1795136460,peering-B 1795136520" ] ||
    fail "--link/--from/--to selected $(jq -c '[.links[].minute]' "$WORK/f.json")"
"$KYOCHO" history --json --history "$DB" --target 203.0.113.25 >"$WORK/t.json"
jq -e '(.targets | length > 0) and all(.targets[]; .target == "203.0.113.25")
    and all(.alerts[]; .target == "203.0.113.25")' "$WORK/t.json" >/dev/null ||
    fail "--target 203.0.113.25 selected other targets"
# the text form and the state directory's default database
"$KYOCHO" summary "${ARGS[@]}" --state "$WORK/state" --history on >/dev/null ||
    fail "summary --history on"
"$KYOCHO" history --state "$WORK/state" | grep -q "^2026-11-20T01:01:00Z  peering-A" ||
    fail "kyocho history (text, state directory) lacks 01:01 on peering-A"
[ "$(stat -c %a "$WORK/state/history.sqlite")" = 600 ] ||
    fail "history.sqlite is not private (0600)"
"$KYOCHO" history --history "$WORK/none.sqlite" 2>"$WORK/err"; rc=$?
[ $rc = 1 ] && grep -q none.sqlite "$WORK/err" || fail "a missing database: exit $rc"
"$KYOCHO" history --from yesterday --history "$DB" 2>/dev/null; rc=$?
[ $rc = 2 ] || fail "--from yesterday: exit $rc, not 2"

# ---- 2. kill -9 while writing -------------------------------------------
# A longer demo (20 minutes of traffic) so that each run writes many
# minutes; every kill lands somewhere in a write.
mkdir -p "$WORK/long"
"$B/tools/mkdemo" -d 1200 "$WORK/long" >/dev/null || fail "mkdemo -d 1200"
LA=$WORK/long/demo-peering-A.pcap
LB=$WORK/long/demo-peering-B.pcap
CDB=$WORK/crash.sqlite
for i in $(seq 1 30); do
	"$KYOCHO" summary --data "$SRCDIR/data" --home 203.0.113.0/24 \
	    --link "peering-A=$LA:10M" --link "peering-B=$LB:10M" \
	    -r "$LA" -r "$LB" --history "$CDB" >/dev/null 2>&1 &
	pid=$!
	sleep "0.$(printf '%03d' $((RANDOM % 390 + 10)))"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=
	[ -f "$CDB" ] || continue
	ok=$(sqlite3 "$CDB" "PRAGMA integrity_check" 2>&1)
	[ "$ok" = ok ] || fail "run $i: integrity_check says: $ok"
	# whole minutes only: each minute's rows came in one transaction
	torn=$(sqlite3 "$CDB" "SELECT count(*) FROM (SELECT minute FROM \
	    link_minute GROUP BY minute HAVING count(*) != 2)") ||
	    fail "run $i: the database does not open"
	[ "$torn" = 0 ] || fail "run $i: $torn minutes with one link only"
	"$KYOCHO" history --json --history "$CDB" | jq -e .links >/dev/null ||
	    fail "run $i: kyocho history cannot read it"
done
n=$(sqlite3 "$CDB" "SELECT count(DISTINCT minute) FROM link_minute")
[ "${n:-0}" -ge 1 ] || fail "no minute was ever written before a kill"
echo "history: ok ($n minutes survived 30 kill -9)"
