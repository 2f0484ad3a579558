#!/bin/bash
# tui_fit.sh -- what must fit at 80x24 (issue 19): one clock when our zone
# is UTC (two when it is not, GMT included), the tab line whole with an
# incident open ("6 Incidents (1)"), the footer of an open incident with
# N (note) and r (report), the checklist's action state whole, and the
# alert detail's strongest spoofing sign whole (wrapped, not cut); the
# same screens at 200x50 keep the roomy forms.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRCDIR/tests/e2e/tmux.inc"

demo_captures
mkdir -p "$WORK/home" "$WORK/state"
cp "$SRCDIR/data/contacts.txt" "$WORK/contacts.txt"
run() {	# run TZ: the demo at full speed, nothing of the machine's
	echo "env -i PATH=$PATH HOME=$WORK/home XDG_CONFIG_HOME=$WORK/home/.config \
	    XDG_DATA_HOME=$WORK/home/.local/share XDG_STATE_HOME=$WORK/home/.local/state \
	    XDG_CACHE_HOME=$WORK/home/.cache TERM=screen TZ=$1 LANG=C.UTF-8 \
	    LC_ALL=C.UTF-8 $KYOCHO --data $SRCDIR/data --state $WORK/state$2 \
	    --contacts $WORK/contacts.txt --operator e2e-fit --no-dns $DEMO_ARGS \
	    --speed max"
}

start utc 80 24 "$(run UTC 1)"
start lon 80 24 "$(run Europe/London 2)"
start big 200 50 "$(run Asia/Tokyo 3)"

# ---- clocks ----------------------------------------------------------------
wait_for utc '^ kyocho '
wait_for utc ' UTC [0-9]{2}:[0-9]{2}:[0-9]{2} *$'
line utc 0 | grep -Eq 'UTC .*UTC' && fail "two UTC clocks when our zone is UTC"
wait_for lon ' UTC [0-9]{2}:[0-9]{2}:[0-9]{2}  (GMT|BST) [0-9]{2}:[0-9]{2}:[0-9]{2} *$'
wait_for big ' UTC [0-9]{2}:[0-9]{2}:[0-9]{2}  JST [0-9]{2}:[0-9]{2}:[0-9]{2} *$'

for s in utc big; do
	wait_for $s 'FINISHED' 900
done

# ---- alert detail: the special-purpose sign whole ---------------------------
for s in utc big; do
	keys $s 2
	wait_for $s '^ +Kind'
	keys $s / 'SYN' Enter
	wait_for $s 'filter: SYN'
	keys $s Enter
	wait_for $s 'Spoofing: high'
	# the sign may wrap, but the address block it names is on the screen
	wait_for $s 'most often( |$)'
	wait_for $s '240\.0\.0\.0/4 Reserved'
	check_clean $s "$(tmux -L "$TMUX_SOCK" display -p -t $s '#{window_width}')" \
	    "$(tmux -L "$TMUX_SOCK" display -p -t $s '#{window_height}')"
	keys $s e
	wait_for $s 'created with the alert'"'"'s evidence'
done

# ---- an open incident: footer and checklist ---------------------------------
wait_for utc 'Esc back  N note  r report  c close'
wait_for big 'Esc back  N note  r report  c close  t timeline  k checklist  s escalate'
keys utc k
keys big k
wait_for utc '^ Action 1/[0-9]+: .*  \[not proposed\] *$'
wait_for utc 'r report  N note'
wait_for big '^ Action 1/[0-9]+: .*  \[not proposed\]'
check_clean utc 80 24

# ---- the tab line whole on another screen -----------------------------------
keys utc 1
keys big 1
wait_for utc '^ 1 Overview  2 Alerts \([0-9]+\)  3 Targets  4 Sources  5 Contacts  6 Incidents \(1\) *$'
wait_for big '^ 1 Overview   2 Alerts \([0-9]+\)   3 Targets   4 Sources   5 Contacts   6 Incidents \(1\) *$'
check_clean utc 80 24
# narrower still: the numbers and counts stay, the titles give way
$T resize-window -t utc -x 60 -y 20
wait_for utc '^ 1 Overview  2 \([0-9]+\)  3  4  5  6 \(1\) *$'
check_clean utc 60 20

for s in utc lon big; do keys $s q; wait_for $s 'KYOCHO-EXIT=0'; done
echo "tui_fit: ok"
