#!/bin/bash
# tui_live.sh -- live capture: two network namespaces joined by a veth pair
# (198.51.100.0/24, documentation range, nothing leaves them); kyocho
# captures on one end with -Z nobody, hping3 sends a known number of SYNs
# from the other, and the screen's counts must equal what hping3 says it
# sent. Also: the drop counter is on screen, and after start-up the
# process runs with nobody's ids and cannot get root back.
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
ip netns add "$NTX" || fail "ip netns add"
ip netns add "$NRX" || fail "ip netns add"
ip link add "$VTX" type veth peer name "$VRX" || fail "ip link add veth"
ip link set "$VTX" netns "$NTX"
ip link set "$VRX" netns "$NRX"
# No IPv6 (no router or neighbour solicitations), no ARP (a permanent
# neighbour entry), no address on the capture side (no replies): the only
# frames on the wire are the ones hping3 sends.
for ns in "$NTX" "$NRX"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
done
ip netns exec "$NTX" sysctl -qw "net.ipv6.conf.$VTX.disable_ipv6=1"
ip netns exec "$NRX" sysctl -qw "net.ipv6.conf.$VRX.disable_ipv6=1"
ip -n "$NTX" addr add 198.51.100.1/24 dev "$VTX"
ip -n "$NTX" link set "$VTX" up
ip -n "$NRX" link set "$VRX" up
MAC=$(ip -n "$NRX" -o link show "$VRX" | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2)
ip -n "$NTX" neigh replace 198.51.100.2 lladdr "$MAC" dev "$VTX" nud permanent ||
    fail "static neighbour"

start cap 200 50 "ip netns exec $NRX env TZ=UTC $KYOCHO -i $VRX --data $SRCDIR/data \
    --link lab=$VRX:100M --home 198.51.100.0/24 --threshold syn=100 -Z nobody"
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
keys cap q
wait_for cap 'KYOCHO-EXIT=0'
echo "tui_live: ok ($sent packets sent and counted)"
