#!/bin/bash
# history_tui.sh -- looking back in the terminal (issue 18): a replay of the
# demo writes the state directory's history (summary --history on); a
# second kyocho started afterwards, replaying nothing of the attack yet
# (its first second), shows in tmux at 200x50 and 80x24:
#
# - the Overview scrolled back with [ to the attack's minutes: the minute
#   01:01Z has peering-A's average rate and the SYN rate that `kyocho
#   history --json` has for it, and the SYN flood on 203.0.113.10 among the
#   alerts of that minute; ] past the newest minute and End are live again;
# - the Alerts history (2, H) lists the demo's three alerts, and the /
#   filter narrows it to the amplification;
# - an incident made from the SYN flood's alert reports the hour around its
#   window with the per-minute packets history has, while a state directory
#   without history gives a report without that section.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRCDIR/tests/e2e/tmux.inc"

demo_captures
ST=$WORK/state
export TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8
"$KYOCHO" summary --json $DEMO_ARGS --state "$ST" --history on >"$WORK/s.json" ||
    fail "summary --history on"
"$KYOCHO" history --json --state "$ST" >"$WORK/h.json" || fail "kyocho history"
[ -f "$ST/history.sqlite" ] || fail "no history.sqlite in the state directory"

# What history says of 01:01Z: peering-A's pps and the SYN/s of all links.
M=1795136460
pps=$(jq -r --argjson m $M '.links[] | select(.minute == $m and
    .link == "peering-A") | .packets / 60 | floor' "$WORK/h.json")
syn=$(jq -r --argjson m $M '[.links[] | select(.minute == $m) | .syn] |
    add / 60 | floor' "$WORK/h.json")
[ -n "$pps" ] && [ "$pps" -gt 1000 ] || fail "history has no attack at 01:01 ($pps pps)"
# as the screen prints them (fmt_si: three digits, 1.77k)
si() { awk -v v="$1" 'BEGIN { if (v < 1000) printf "%d", v;
    else printf "%.2fk", v / 1000 }'; }
PPS=$(si "$pps")
SYN=$(si "$syn")
echo "history_tui: 01:01Z peering-A $pps pps ($PPS), SYN $syn/s ($SYN)"

# The second kyocho: the state directory read, history not written (off).
RUN="env HOME=$WORK/home $KYOCHO $DEMO_ARGS --no-dns --state $ST --speed 0.2"
for geo in "big 200 50" "small 80 24"; do
	set -- $geo
	start "$1" "$2" "$3" "$RUN"
done
for s in big small; do
	wait_for $s '^ 1 Overview'
	wait_for $s 'capture time 2026-11-20T01:00:0'
	# live: the footer names the keys
	wait_for $s '^\[ \] history +PgUp/PgDn hour +End live'
	keys $s '['
	wait_for $s 'Links, looking back +minute 2026-11-20T01:00:00Z'
	keys $s ']'
	wait_for $s 'minute 2026-11-20T01:01:00Z'
	screen $s | grep '^ peering-A ' | grep -Eq " $PPS pps" ||
	    fail "$s: peering-A at 01:01 is not $PPS pps"
	wait_for $s "^ Rates +SYN $SYN/s "
	wait_for $s '^ Alerts in this minute \(2\)'
	wait_for $s '^ SYN flood +inbound +203\.0\.113\.10 +peak 1\.[0-9]+k pps'
	wait_for $s 'Stored +2026-11-20T01:00:00Z \.\. 2026-11-20T01:03:00Z'
	# PgDn: an hour on is past the newest minute: live again
	keys $s NPage
	wait_for $s '^ Links +capture time'
	# the last minute: no attack on the links any more
	keys $s '['
	wait_for $s 'minute 2026-11-20T01:0[0-3]:00Z'
	keys $s PPage
	wait_for $s 'minute 2026-11-20T01:00:00Z'
	keys $s End
	wait_for $s '^ Links +capture time'

	# the Alerts history
	keys $s 2
	wait_for $s '^ +Kind +Dir +Target'
	# the footer has room for H at 200 columns; ? lists it at any size
	[ $s = big ] && wait_for $s 'H history'
	keys $s '?'
	wait_for $s 'the Alerts history: past alerts kept on disk'
	keys $s Space
	keys $s H
	wait_for $s '^ Start \(UTC\) +Kind'
	wait_for $s 'Alerts history: 3 past alerts'
	wait_for $s '^ 2026-11-20T01:00:32Z SYN flood +(inbound +)?203\.0\.113\.10 '
	wait_for $s '^ 2026-11-20T01:00:50Z amplification +(inbound +)?203\.0\.113\.25 '
	wait_for $s '^ 2026-11-20T01:02:31Z UDP flood +(outbound +)?46\.4\.100\.200 '
	keys $s / amp Enter
	wait_for $s 'Alerts history: 1 past alerts'
	wait_gone $s 'SYN flood'
	keys $s Escape
	wait_for $s 'Alerts history: 3 past alerts'
	keys $s Escape
	wait_for $s '^ +Kind +Dir +Target +Now +Peak'
	check_clean $s "$(
	    [ $s = big ] && echo 200 || echo 80)" "$( [ $s = big ] && echo 50 || echo 24)"
	keys $s q
	wait_for $s 'KYOCHO-EXIT=0'
done

# ---- the report: the hour around the window -----------------------------
jq '.alerts[] | select(.kind == "syn_flood" and .target == "203.0.113.10")' \
    "$WORK/s.json" >"$WORK/alert.json"
K() { HOME=$WORK/home "$KYOCHO" "$@" --data "$SRCDIR/data" --operator tanaka; }
id=$(K incident --state "$ST" new --from-alert "$WORK/alert.json") ||
    fail "incident new --from-alert"
K report --state "$ST" "$id" >"$WORK/r.txt" || fail "report"
grep -q '^5\. Traffic around the window (history)' "$WORK/r.txt" ||
    fail "the report has no history section"
# each minute's packets are history's
for m in 1795136400 1795136460 1795136520 1795136580; do
	t=$(date -u -d @$m '+%Y-%m-%d %H:%M:%SZ')
	a=$(jq -r --argjson m $m '.links[] | select(.minute == $m and
	    .link == "peering-A") | .packets' "$WORK/h.json")
	b=$(jq -r --argjson m $m '.links[] | select(.minute == $m and
	    .link == "peering-B") | .packets' "$WORK/h.json")
	grep -Eq "^ *$t +$a +$b( |$)" "$WORK/r.txt" ||
	    fail "report row $t is not '$a $b': $(grep "$t" "$WORK/r.txt")"
done
grep -Eq '^ *2026-11-20 01:01:00Z +[0-9]+ +[0-9]+ +\*$' "$WORK/r.txt" ||
    fail "01:01 is not marked as in the window"
# the same journal without a history: no such section
mkdir -p "$WORK/nohist"
cp -r "$ST/incidents" "$WORK/nohist/"
K report --state "$WORK/nohist" "$id" >"$WORK/r0.txt" || fail "report without history"
grep -q 'Traffic around the window' "$WORK/r0.txt" &&
    fail "a report without history has the history section"
grep -q '^5\. Guideline checklist' "$WORK/r0.txt" ||
    fail "without history the sections are not numbered as before"
echo "history_tui: ok"
