#!/usr/bin/env bash
# The terminal fed by router telemetry: softflowd (a real IPFIX exporter)
# replays a generated SYN flood to kyocho --netflow on loopback; the
# Overview shows the exporter's link and the collectors' counters, and the
# flood becomes an alert. Traffic stays on 127.0.0.1.
set -euo pipefail
: "${KYOCHO:?} ${B:?} ${SRCDIR:?}"
tmp=$(mktemp -d)
sess=kyocho-tm-$$
cleanup() {
	tmux kill-session -t "$sess" 2>/dev/null || true
	[ -n "${sfd:-}" ] && kill "$sfd" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$B/tools/mkcap" scenario synflood "$tmp/flood.pcap"
tmux new-session -d -s "$sess" -x 132 -y 40 \
    "$KYOCHO --data $SRCDIR/data --state $tmp/state --home 203.0.113.0/24 --netflow 127.0.0.1:$port --flowlink peering-A=127.0.0.1:0:1G"
wait_for() {	# wait_for REGEX: up to ~15 s of polling the screen
	local i
	for i in $(seq 1 75); do
		tmux capture-pane -p -t "$sess" | grep -Eq "$1" && return 0
		sleep 0.2
	done
	echo "FAIL: screen never showed /$1/:"; tmux capture-pane -p -t "$sess"
	return 1
}
wait_for 'telemetry: 0 exporters'
(cd "$tmp" && exec softflowd -r flood.pcap -n 127.0.0.1:$port -v 10 -c sc -d >/dev/null 2>&1) &
sfd=$!
wait_for 'telemetry: 1 exporters, [0-9]+ datagrams, [1-9][0-9]* records; malformed 0'
wait_for 'peering-A'
wait_for 'telemetry \(estimated\)'
tmux send-keys -t "$sess" 2
wait_for 'SYN flood +inbound +203.0.113.80'
tmux send-keys -t "$sess" q
echo "ok   telemetry in the terminal: link, counters and the alert"
