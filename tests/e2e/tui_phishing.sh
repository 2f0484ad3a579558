#!/bin/bash
# tui_phishing.sh -- the Incidents list shows which takedown follow-ups are
# due now (issue 14): a phishing incident whose request to the hosting desk
# went unanswered past that desk's next opening is marked "follow-up due:"
# with the contact; one that was answered, and one whose site is down, are
# not. The incidents are made with the CLI (--no-lookup: no DNS needed).
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRCDIR/tests/e2e/tmux.inc"

demo_captures
mkdir "$WORK/state"
K() { "$KYOCHO" incident "$1" --state "$WORK/state" --data "$SRCDIR/data" "${@:2}"; }
# Written to at a time long past: the desk has opened since.
A=$(K new --kind phishing --url 'https://due.phish.example/' --no-lookup --at 2020-01-07T02:00:00Z) ||
    fail "new A"
K contact "$A" attempt --channel email --contact example-br-hosting --at 2020-01-07T02:00:00Z || fail "attempt A"
B2=$(K new --kind phishing --url 'https://answered.phish.example/' --no-lookup --at 2020-01-07T02:00:00Z) ||
    fail "new B"
K contact "$B2" attempt --channel email --contact example-ru-hosting --at 2020-01-07T02:00:00Z
K contact "$B2" reply --channel email --contact example-ru-hosting --at 2020-01-07T09:00:00Z
C=$(K new --kind phishing --url 'https://down.phish.example/' --no-lookup --at 2020-01-07T02:00:00Z) ||
    fail "new C"
K contact "$C" attempt --channel email --contact example-br-hosting --at 2020-01-07T02:00:00Z
K takedown "$C" --at 2020-01-07T05:00:00Z || fail "takedown C"

RUN="env TZ=Asia/Tokyo LANG=C.UTF-8 LC_ALL=C.UTF-8 $KYOCHO --state $WORK/state \
    --data $SRCDIR/data --operator e2e $DEMO_ARGS --speed max"
start ph 140 30 "$RUN"
wait_for ph '^ kyocho +FINISHED' 600
keys ph 6
wait_for ph 'Kind / title'
wait_for ph "^ *$A +open .*follow-up due: example-br-hosting"
screen ph | grep "$B2" | grep -q 'follow-up due' && fail "an answered request is marked due"
screen ph | grep "$C" | grep -q 'follow-up due' && fail "a site already down is marked due"
screen ph | grep -q 'phish\.example' && fail "a clickable host on the Incidents list"
keys ph q
wait_for ph 'KYOCHO-EXIT=0'
echo "tui_phishing: ok"
