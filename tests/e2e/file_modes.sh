#!/usr/bin/env bash
# file_modes.sh -- what kyocho writes about incidents is private whatever
# the umask (issue 19): under umask 000, `report -o FILE` and
# `summary --alerts FILE` create their files 0600, as the journals are
# (the TUI's saved reports: tests/e2e/tui_incident.sh). A file that exists
# keeps its mode.
set -euo pipefail
: "${KYOCHO:?} ${B:?} ${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" \
    XDG_DATA_HOME="$tmp/home/.local/share" XDG_STATE_HOME="$tmp/home/.local/state" \
    XDG_CACHE_HOME="$tmp/home/.cache" TZ=UTC LC_ALL=C.UTF-8
mkdir -p "$HOME"
fail=0
mode() { stat -c %a "$1"; }
want() {	# want WHAT FILE MODE
	local m
	m=$(mode "$2")
	if [ "$m" = "$3" ]; then echo "ok   $1: $m"; else echo "FAIL $1: mode $m, want $3"; fail=1; fi
}

umask 000
id=$("$KYOCHO" incident new --state "$tmp/st" --data "$SRCDIR/data" \
    --kind ddos-own --title "modes" --operator op)
want "journal" "$tmp/st/incidents/$id.jsonl" 600
"$KYOCHO" report --state "$tmp/st" --data "$SRCDIR/data" -o "$tmp/r.txt" "$id"
want "report -o" "$tmp/r.txt" 600
"$KYOCHO" report --state "$tmp/st" --data "$SRCDIR/data" --format html \
    -o "$tmp/r.html" "$id"
want "report -o (html)" "$tmp/r.html" 600
touch "$tmp/shared.txt"; chmod 644 "$tmp/shared.txt"
"$KYOCHO" report --state "$tmp/st" --data "$SRCDIR/data" -o "$tmp/shared.txt" "$id"
want "report -o over an existing 0644 file" "$tmp/shared.txt" 644
[ -s "$tmp/shared.txt" ] || { echo "FAIL report not written over the file"; fail=1; }

"$B/tools/mkcap" scenario synflood "$tmp/syn.pcap"
"$KYOCHO" summary --home 203.0.113.0/24 --alerts "$tmp/alerts.jsonl" \
    -r "$tmp/syn.pcap" >/dev/null
[ -s "$tmp/alerts.jsonl" ] || { echo "FAIL no alerts written"; fail=1; }
want "summary --alerts" "$tmp/alerts.jsonl" 600
exit $fail
