#!/bin/bash
# tui_sources.sh -- the Sources screen's grouping key on the demo incident:
# g regroups the source groups by country (two-letter codes from the
# prefix data), then by AS, then by prefix again; the legend stays, the
# footer and the ? help list the key.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRCDIR/tests/e2e/tmux.inc"

demo_captures
start src 100 40 "env TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8 $KYOCHO $DEMO_ARGS --no-dns \
    --speed 4"

wait_for src '^ kyocho +REPLAY'
keys src 4
wait_for src 'SYN/s legend'
wait_for src ' g group '
# wait for the flood, so many countries send
wait_for src '[0-9]+ source groups by SYN rate' 600
wait_for src '^ *[.+#] +[0-9a-f:.]+/(16|48) ' 600
keys src g
wait_for src '^ +Country '
wait_for src '^ *[.+#] +(US|CN|JP|DE|BR|KR|GB|FR|NL|RU) ' 100
wait_for src '[0-9]+ countries by SYN rate'
wait_for src 'SYN/s legend'
# each country at most once
screen src | grep -Eo '^ *[.+#] +[A-Z]{2} ' | awk '{ print $2 }' | sort |
    uniq -d > "$WORK/dup"
[ -s "$WORK/dup" ] && fail "a country is listed twice: $(cat "$WORK/dup")"
keys src g
wait_for src '^ +AS '
wait_for src '^ *[.+#] +AS[0-9]+ '
wait_for src '[0-9]+ ASes by SYN rate'
keys src '?'
wait_for src 'group the sources by prefix, by country, by AS'
keys src x
wait_gone src 'kyocho keys'
keys src g
wait_for src '^ +Source group'
wait_for src 'source groups by SYN rate'
check_clean src 100 40
keys src q
wait_for src 'KYOCHO-EXIT=0' 50
echo "tui_sources: ok"
