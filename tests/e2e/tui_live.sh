#!/bin/bash
# tui_live.sh -- live capture: two network namespaces joined by a veth pair
# (198.51.100.0/24, documentation range, nothing leaves them); kyocho
# captures on one end with -Z nobody, hping3 sends a known number of SYNs
# from the other, and the screen's counts must equal what hping3 says it
# sent. Also: the drop counter is on screen, and after start-up the
# process runs with nobody's ids and cannot get root back.
#
# Incidents after the drop (the README's live command, end to end): the
# state directory is root's, under a 0700 directory as ~/.local/state is
# under /root, and already holds a journal root wrote; `e` on the alert
# creates an incident, N adds a note, r writes its report, all as nobody;
# the older journal is nobody's afterwards and the directories above the
# state directory are untouched.
#
# Hermetic: kyocho runs under env -i with HOME and XDG_* in $WORK and
# --data given, so nothing of the machine's user or data directory counts.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRCDIR/tests/e2e/tmux.inc"
NTX=kyocho-tx-$$
NRX=kyocho-rx-$$
VTX=kyt$$
VRX=kyr$$
cleanup() {
	tmux_cleanup
	ip netns del "$NTX" 2>/dev/null
	ip netns del "$NRX" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] || { echo "tui_live: skipped (needs root for namespaces)"; exit 0; }
command -v hping3 >/dev/null || fail "hping3 is not installed (make deps-test)"
. "$SRCDIR/tests/e2e/netns.inc"
veth_pair || fail "namespaces and veth pair"
# No ARP either (a permanent neighbour entry): the only frames on the wire
# are the ones hping3 sends.
ip -n "$NTX" addr add 198.51.100.1/24 dev "$VTX"
MAC=$(ip -n "$NRX" -o link show "$VRX" | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2)
ip -n "$NTX" neigh replace 198.51.100.2 lladdr "$MAC" dev "$VTX" nud permanent ||
    fail "static neighbour"

# $WORK is mktemp's, 0700 and root's: nobody cannot reach anything in it
# by its path, as it cannot reach /root/.local/state.
H=$WORK/home
mkdir -p "$H" "$WORK/config" "$WORK/share" "$WORK/state" "$WORK/cache"
STATE=$WORK/state/kyocho
ENV="env -i PATH=$PATH LANG=C.UTF-8 TZ=UTC HOME=$H XDG_CONFIG_HOME=$WORK/config \
    XDG_DATA_HOME=$WORK/share XDG_STATE_HOME=$WORK/state XDG_CACHE_HOME=$WORK/cache"
# An incident from before, written by root.
$ENV $KYOCHO incident new --kind ddos-customer --title "earlier one" \
    --data "$SRCDIR/data" > "$WORK/old.txt" 2>&1 || fail "incident new: $(cat "$WORK/old.txt")"
old=$(ls "$STATE/incidents" | sed -n 's/\.jsonl$//p' | head -1)
[ -n "$old" ] && [ "$(stat -c %U "$STATE/incidents/$old.jsonl")" = root ] ||
    fail "no root-owned journal to start from: $(ls -l "$STATE/incidents")"

start cap 200 50 "ip netns exec $NRX $ENV TERM=\$TERM $KYOCHO -i $VRX \
    --link lab=$VRX:100M --home 198.51.100.0/24 --threshold syn=100 \
    --data $SRCDIR/data --no-dns -Z nobody"
wait_for cap '^ kyocho +LIVE'
wait_for cap 'drops 0'

# -Z nobody: every id is nobody's once the handle is open
pane=$($T display -p -t cap '#{pane_pid}')
pid=$(ps -o pid= --ppid "$pane" | head -1 | tr -d ' ')
[ -n "$pid" ] || fail "cannot find the kyocho process"
nobody=$(id -u nobody)
grep -Eq "^Uid:\s+$nobody\s+$nobody\s+$nobody\s+$nobody$" /proc/$pid/status ||
    fail "kyocho still has other user ids: $(grep ^Uid /proc/$pid/status)"
grep -Eq "^Gid:\s+$(id -g nobody)\s" /proc/$pid/status ||
    fail "kyocho kept its group: $(grep ^Gid /proc/$pid/status)"
grep -Eq "^Groups:\s*($(id -g nobody))?\s*$" /proc/$pid/status ||
    fail "supplementary groups kept: $(grep ^Groups /proc/$pid/status)"

# Nothing has been sent yet: the screen is up, with zero traffic.
wait_for cap 'LIVE'

ip netns exec "$NTX" hping3 -q -S -p 80 -c 400 -i u2500 198.51.100.2 \
    > "$WORK/hping.txt" 2>&1
sent=$(grep -o '[0-9]* packets transmitted' "$WORK/hping.txt" | cut -d' ' -f1)
[ -n "$sent" ] && [ "$sent" -gt 0 ] || fail "hping3 sent nothing: $(cat "$WORK/hping.txt")"

wait_for cap '^ lab '
wait_for cap "^ Total +$sent packets"
wait_for cap "SYN flood +inbound +198\.51\.100\.2 "
keys cap 3
wait_for cap "^ 198\.51\.100\.2 +home .* $sent +0 +0 +$sent "
snap cap live-targets-200x50.txt
keys cap 1
wait_for cap 'drops 0'

# Incidents as nobody: e on the alert, then a note and the report.
keys cap 2
wait_for cap "SYN flood +inbound +198\.51\.100\.2 "
keys cap e
wait_for cap "done: incident [0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{4} created with the alert's evidence"
keys cap N
wait_for cap 'Note:'
keys cap -l "written by nobody"
keys cap Enter
wait_for cap 'done: note recorded'
keys cap r
wait_for cap "done: report written to $STATE/reports/"
keys cap q
wait_for cap 'KYOCHO-EXIT=0'

new=$(ls "$STATE/incidents" | sed -n 's/\.jsonl$//p' | grep -vx "$old" | head -1)
J=$STATE/incidents/$new.jsonl
[ -n "$new" ] && [ -f "$J" ] || fail "no new journal in $STATE/incidents: $(ls -l "$STATE/incidents")"
[ "$(stat -c %U "$J")" = nobody ] || fail "the new journal is not nobody's: $(ls -l "$J")"
jq -e -s 'map(.type) == ["created", "evidence", "note"]' "$J" >/dev/null ||
    fail "journal events: $(jq -c -s 'map(.type)' "$J")"
jq -e -s '.[1].target == "198.51.100.2" and .[2].text == "written by nobody"' \
    "$J" >/dev/null || fail "journal content: $(cat "$J")"
[ -s "$STATE/reports/$new.txt" ] || fail "no report $STATE/reports/$new.txt"
# The older journal was handed over too: nobody can append to it.
[ "$(stat -c %U "$STATE/incidents/$old.jsonl")" = nobody ] ||
    fail "the older journal stayed root's: $(ls -l "$STATE/incidents")"
# (from inside the state directory, as kyocho reaches it: nobody cannot
# pass through $WORK)
(cd "$STATE" && setpriv --reuid=nobody --regid=nogroup --clear-groups \
    sh -c "test -w incidents/$old.jsonl && ! test -r '$WORK/.'") ||
    fail "nobody cannot write the older journal"
# ... and the state directory's parents were not touched.
[ "$(stat -c %U:%a "$WORK")" = "root:700" ] || fail "$WORK changed: $(stat -c %U:%a "$WORK")"
[ "$(stat -c %U "$WORK/state")" = root ] || fail "$WORK/state changed owner"
echo "tui_live: ok ($sent packets sent and counted; incident $new journaled as nobody)"
