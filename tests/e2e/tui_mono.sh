#!/bin/bash
# tui_mono.sh -- colour and its fallback: with colours the alarming parts
# are coloured; NO_COLOR=1 and a terminal without colours give no colour
# escape at all (meaning carried by bold/reverse), and the screen still
# reads the same. Also: the start-up errors a new user can hit.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRCDIR/tests/e2e/tmux.inc"

demo_captures -d 60
ARGS="--data $SRCDIR/data --home 203.0.113.0/24 --link peering-A=$PA:10M --link peering-B=$PB:10M \
    --threshold syn=300 -r $PA -r $PB --speed max"

colours() {	# count colour SGR attributes (not 39/49, the default colours)
	$T capture-pane -e -p -t "$1" | python3 -c '
import re, sys
n = 0
for m in re.findall(r"\x1b\[([0-9;]*)m", sys.stdin.read()):
    ps = [int(p) for p in m.split(";") if p]
    i = 0
    while i < len(ps):
        p = ps[i]
        if p in (38, 48):
            n += 1
            i += 3 if i + 1 < len(ps) and ps[i + 1] == 5 else 5
            continue
        if 30 <= p <= 37 or 40 <= p <= 47 or 90 <= p <= 97 or 100 <= p <= 107:
            n += 1
        i += 1
print(n)'
}

start col 80 24 "env TERM=screen-256color $KYOCHO $ARGS"
start mono 80 24 "env TERM=screen-256color NO_COLOR=1 $KYOCHO $ARGS"
start vt 80 24 "env TERM=vt100 $KYOCHO $ARGS"
for s in col mono vt; do
	wait_for $s 'FINISHED' 900
done
[ "$(colours col)" -gt 0 ] || fail "no colours on a colour terminal"
[ "$(colours mono)" = 0 ] || fail "colours despite NO_COLOR=1"
[ "$(colours vt)" = 0 ] || fail "colours on a vt100"
[ "$(screen col | sed 1d)" = "$(screen mono | sed 1d)" ] ||
    fail "the monochrome screen does not read the same as the colour one"
for s in col mono vt; do
	keys $s q
	wait_for $s 'KYOCHO-EXIT=0'
done

# Errors a new user can hit, each one line naming the problem.
out=$("$KYOCHO" 2>&1 </dev/null); rc=$?
[ $rc = 2 ] && echo "$out" | grep -q 'nothing to watch' ||
    fail "no sources: rc=$rc '$out'"
out=$("$KYOCHO" -r "$PA" 2>&1 </dev/null); rc=$?
[ $rc != 0 ] && echo "$out" | grep -q 'need a terminal' ||
    fail "not a terminal: rc=$rc '$out'"
start err 80 24 "$KYOCHO -r $WORK/missing.pcap"
wait_for err 'KYOCHO-EXIT=[1-9]'
screen err | grep -q 'missing.pcap' || fail "a missing file is not named"
start badz 80 24 "$KYOCHO -Z no-such-user-kyocho -r $PA"
wait_for badz 'KYOCHO-EXIT=1'
screen badz | grep -q 'no such user' || fail "-Z with an unknown user"
echo "tui_mono: ok"
