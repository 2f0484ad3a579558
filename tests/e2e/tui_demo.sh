#!/bin/bash
# tui_demo.sh -- the terminal on the demo incident, driven in tmux like a
# new user would: at 80x24 the numbers move, alerts appear, every key in
# the help does what it says, pause freezes the display, the filter
# filters, resizing leaves no garbage and q restores the terminal; at
# 200x50 and 80x24 the final screens of a full-speed replay are compared
# with tests/screens/ (header clocks masked).
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRCDIR/tests/e2e/tmux.inc"

demo_captures
ARGS="$DEMO_ARGS --no-dns"
RUN="env TZ=Asia/Tokyo LANG=C.UTF-8 LC_ALL=C.UTF-8 $KYOCHO $ARGS"

# Full-speed replays for the golden screens run alongside.
start big 200 50 "$RUN --speed max"
start small 80 24 "$RUN --speed max"
start live 80 24 "$RUN --speed 4"
# a slower replay, watched after the key tests, for the move between links
start shift 80 24 "$RUN --speed 1.5"

# ---- 80x24, paced replay ----------------------------------------------
wait_for live '^ kyocho +REPLAY x4'
wait_for live 'peering-A'
wait_for live 'peering-B'
wait_for live 'drops 0'
wait_for live 'UTC [0-9]{2}:[0-9]{2}:[0-9]{2} +JST'
wait_for live '^ 1 Overview +2 Alerts'
check_clean live 80 24

# numbers move: the capture clock advances
t1=$(screen live | grep -o 'capture time [^ ]*')
[ -n "$t1" ] || fail "no capture time on the overview"
wait_gone live "$t1"

# alerts appear (the SYN flood starts 30 s into the capture)
wait_for live '^ SYN flood +inbound +203\.0\.113\.10 ' 600
wait_for live 'Active alerts \([1-9]'
wait_for live '2 Alerts \([1-9]'

# peering-A goes past its contracted capacity: the bar shows over 100 %
wait_for live 'peering-A .* 1[0-9][0-9]% ' 600
$T capture-pane -e -p -t live > "$WORK/esc.txt"
python3 - "$WORK/esc.txt" <<'PY' || fail "no blinking/reversed bar over capacity"
import re, sys
t = open(sys.argv[1], encoding="utf-8", errors="replace").read()
line = [l for l in t.split("\n") if "peering-A" in l][0]
sgr = re.findall(r"\x1b\[([0-9;]*)m", line)
ok = any("5" in s.split(";") for s in sgr) and any("7" in s.split(";") or "41" in s.split(";") for s in sgr)
sys.exit(0 if ok else 1)
PY
snap live demo-attack-overview-80x24.txt

# 2: Alerts; Enter: detail; Esc: back
keys live 2
wait_for live '^ +Kind +Dir +Target +Now +Peak'
wait_for live '^ ! SYN flood +inbound +203\.0\.113\.10 '
keys live Enter
wait_for live 'Top sources'
wait_for live 'Spoofing: '
snap live demo-attack-detail-80x24.txt
wait_for live '^Esc back'
keys live Escape
wait_for live '^ +Kind +Dir +Target'

# /: filter the list; Esc removes it
wait_for live '203\.0\.113\.25' 600
keys live /
wait_for live 'Enter applies, Esc cancels'
keys live '203.0.113.25' Enter
wait_for live 'filter: 203\.0\.113\.25'
rows=$(screen live | grep -E '^ [!-] ')
[ -n "$rows" ] || fail "the filter left no alert"
echo "$rows" | grep -v '203\.0\.113\.25' && fail "the filter let another target through"
keys live Escape
wait_gone live 'filter: '
wait_for live '^ ! SYN flood'

# 3: Targets; s: sort order
keys live 3
wait_for live '^ Destination +Home +pps +b/s'
wait_for live '^ 203\.0\.113\.10 +home '
snap live demo-attack-targets-80x24.txt
wait_for live 'sorted by pps now'
keys live s
wait_for live 'sorted by b/s now'
keys live s
wait_for live 'sorted by packets'
keys live j
# 4: Sources with the seed's legend
keys live 4
wait_for live 'SYN/s legend: \. red < 100 +\+ green 100-1000 +# blue > 1000'
wait_for live '^ +Source group +SYN/s'
snap live demo-attack-sources-80x24.txt
# Tab and Shift-Tab
keys live Tab
wait_for live '^ ours [0-9]{2}:[0-9]{2} '
keys live BTab
wait_for live 'SYN/s legend'
keys live 1
wait_for live '^ Links'

# ?: help from the key tables; any key closes it
keys live '?'
wait_for live 'kyocho keys'
for k in '1-9' 'Tab' 'S-Tab' '/' 'p' '\^L' '\?' 'q'; do
	screen live | grep -Eq "│  $k +[a-z]" || fail "help does not list key $k"
done
keys live x
wait_gone live 'kyocho keys'

# p: the display freezes while capture goes on, p again catches up
keys live p
wait_for live 'PAUSED'
frozen=$(screen live | sed 1d)
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
	sleep 0.2
	[ "$(screen live | sed 1d)" = "$frozen" ] ||
	    fail "the display changed while paused"
done
ft=$(screen live | grep -o 'capture time [^ ]*')
keys live p
wait_gone live 'PAUSED'
wait_gone live "$ft"

# 7: no such screen in this build
keys live 7
wait_for live 'not part of this build'

# ^L repaints; resizing leaves no garbage
keys live C-l
check_clean live 80 24
$T resize-window -t live -x 200 -y 50
wait_for live 'UTC [0-9:]+  JST'
check_clean live 200 50
$T resize-window -t live -x 60 -y 15
wait_for live '^ kyocho '
check_clean live 60 15
$T resize-window -t live -x 20 -y 5
wait_for live 'terminal too small'
$T resize-window -t live -x 80 -y 24
wait_for live '^ 1 Overview +2 Alerts'
check_clean live 80 24
# (the status message of 5 above stays a few seconds, then the keys return)
wait_for live '\? help  q quit$'
[ "$(screen live | grep -c '? help  q quit')" = 1 ] || fail "two footers after resize"

# q quits and gives the terminal back
keys live q
wait_for live 'KYOCHO-EXIT=0'
screen live | grep -q 'peering-A' && fail "the screen was not restored after q"

# the attack moves to peering-B: B past its capacity while A carries a
# fraction of that (normal traffic, later the bot's outbound flood)
wait_for shift 'peering-B .* 1[0-9][0-9]% ' 1500
screen shift > "$WORK/shift.txt"
pa=$(grep '^ peering-A' "$WORK/shift.txt" | grep -Eo '[0-9]+% ' | tr -d '% ')
pb=$(grep '^ peering-B' "$WORK/shift.txt" | grep -Eo '[0-9]+% ' | tr -d '% ')
[ -n "$pa" ] && [ -n "$pb" ] && [ $((pa * 3)) -lt "$pb" ] ||
    fail "after the shift peering-A is at $pa%, peering-B at $pb%"
snap shift demo-shift-overview-80x24.txt
keys shift q

# ---- final screens of the full-speed replays ----------------------------
MASK='1s/UTC .*$/UTC (clocks)/'
for s in big small; do
	wait_for $s 'FINISHED' 900
	wait_for $s 'Active alerts \(0\)'
done
# Idle (replay finished, nobody typing): no busy loop. A busy loop burns
# about 100 ticks a second; the terminal should take well under 10.
pane=$($T display -p -t small '#{pane_pid}')
pid=$(ps -o pid= --ppid "$pane" | head -1 | tr -d ' ')
[ -n "$pid" ] || fail "cannot find the kyocho process"
cpu() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
c0=$(cpu)
for i in $(seq 20); do screen small > /dev/null; sleep 0.1; done
c1=$(cpu)
echo "idle CPU: $((c1 - c0)) ticks over 20 polls"
[ $((c1 - c0)) -le 20 ] || fail "kyocho used $((c1 - c0)) CPU ticks while idle"

golden big demo-overview-200x50.txt "$MASK"
golden small demo-overview-80x24.txt "$MASK"
keys big 2
keys small 2
wait_for big '^ +Kind'
wait_for small '^ +Kind'
golden big demo-alerts-200x50.txt "$MASK"
golden small demo-alerts-80x24.txt "$MASK"
keys big Enter
wait_for big 'Top sources'
golden big demo-alert-detail-200x50.txt "$MASK"

# list keys move the cursor (the status line says where it is)
n=$(screen small | grep -Eo '[0-9]+ alerts \(! active\)' | cut -d' ' -f1)
[ -n "$n" ] && [ "$n" -ge 3 ] || fail "expected at least 3 alerts at the end, got '$n'"
keys small Down
wait_for small "  2/$n\$"
keys small End
wait_for small "  $n/$n\$"
keys small Home
wait_for small "  1/$n\$"
keys small NPage
wait_for small "  $n/$n\$"
keys small PPage
wait_for small "  1/$n\$"
keys small j
wait_for small "  2/$n\$"
keys small k
wait_for small "  1/$n\$"
# in the detail, Up/Down step through the alerts
keys small Enter
wait_for small 'Top sources'
first=$(line small 2)
keys small Down
wait_line small 2 "$first" differs
keys small Up
wait_line small 2 "$first" same
keys small Escape
wait_for small '^ +Kind'
keys small 3
wait_for small '^ Destination'
golden small demo-targets-80x24.txt "$MASK"
keys small 4
wait_for small 'SYN/s legend'
golden small demo-sources-80x24.txt "$MASK"
keys small '?'
wait_for small 'kyocho keys'
golden small help-sources-80x24.txt "$MASK"
keys small x
wait_gone small 'kyocho keys'
# ^L: something else scribbles on the terminal; ^L repaints it all
tty=$($T display -p -t small '#{pane_tty}')
printf '\033[6;10HGARBAGE-GARBAGE' > "$tty"
wait_for small 'GARBAGE-GARBAGE'
keys small C-l
wait_gone small 'GARBAGE'
check_clean small 80 24
keys big q
keys small q
wait_for big 'KYOCHO-EXIT=0'
wait_for small 'KYOCHO-EXIT=0'
echo "tui_demo: ok"
