#!/usr/bin/env bash
# summary_live.sh -- `kyocho summary -i IFACE` counts a live flood exactly.
# Two network namespaces joined by a veth pair (nothing leaves them);
# tools/synflood sends a known number of SYNs from random sources at
# 198.51.100.2 at a low rate; summary captures on the other end until 2 s
# pass without a packet. The JSON must count exactly what the sender says
# it sent, no kernel, interface or ring drops, and raise a SYN-flood alert
# for the target; the same with --readers 2 (a PACKET_FANOUT group: the
# two readers' shares add up to exactly N). A link setting in the config naming an interface that
# -i does not name is still not opened (summary_link.sh's rule).
set -u
: "${KYOCHO:?set KYOCHO to the kyocho binary}"
: "${B:?set B to the build directory}"
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
NTX=kyocho-sltx-$$
NRX=kyocho-slrx-$$
VTX=kst$$
VRX=ksr$$
tmp=$(mktemp -d)
cleanup() {
	[ -n "${spid:-}" ] && kill "$spid" 2>/dev/null
	ip netns del "$NTX" 2>/dev/null
	ip netns del "$NRX" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || { echo "summary_live: skipped (needs root for namespaces)"; exit 0; }
[ -x "$B/tools/synflood" ] || fail "no $B/tools/synflood (make all)"
. "$SRCDIR/tests/e2e/netns.inc"
veth_pair || fail "namespaces and veth pair"

mkdir -p "$tmp/home" "$tmp/config/kyocho" "$tmp/data" "$tmp/state" "$tmp/cache"
# a configured link on lo: not named by -i, so never captured
printf 'link = loopback-A=lo:10G\nlink = lab=%s:1G\n' "$VRX" \
    > "$tmp/config/kyocho/config"
run_case() {	# run_case R: the flood counted by summary -i --readers R
	local R=$1
	ip netns exec "$NRX" env -i PATH="$PATH" LANG=C.UTF-8 TZ=UTC \
	    HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" \
	    XDG_STATE_HOME="$tmp/state" XDG_CACHE_HOME="$tmp/cache" \
	    timeout -k 5 40 "$KYOCHO" summary --json --no-dns --data "$SRCDIR/data" \
	    --home 198.51.100.0/24 --threshold syn=100 -i "$VRX" \
	    --duration 30 --idle 2 --readers "$R" > "$tmp/out.json" 2> "$tmp/err.txt" &
	spid=$!
	for _ in $(seq 100); do
		grep -q "capturing on $VRX" "$tmp/err.txt" && break
		kill -0 "$spid" 2>/dev/null || break
		sleep 0.1
	done
	grep -q "capturing on $VRX" "$tmp/err.txt" ||
	    fail "summary -i did not start: $(cat "$tmp/err.txt")"

	ip netns exec "$NTX" "$B/tools/synflood" -i "$VTX" -d 198.51.100.2 \
	    --count $N --pps 1200 --threads 2 --seed 7 > "$tmp/sent.txt" ||
	    fail "synflood: $(cat "$tmp/sent.txt")"
	sent=$(awk '{print $2}' "$tmp/sent.txt")
	[ "$sent" = $N ] || fail "the sender sent $sent of $N"
	wait "$spid"
	rc=$?
	spid=
	[ $rc != 124 ] || fail "summary -i --idle 2 did not end"
	[ $rc = 0 ] || fail "summary -i exited $rc: $(cat "$tmp/err.txt")"

	j() { jq -r "$1" "$tmp/out.json"; }
	[ "$(j .packets)" = $N ] || fail "summary counted $(j .packets) packets, the sender sent $N"
	[ "$(j .tcp_syn)" = $N ] || fail "SYN count $(j .tcp_syn), expected $N"
	[ "$(j .capture.received)" = $N ] || fail "the kernel queued $(j .capture.received), expected $N"
	[ "$(j .capture.kernel_drops)" = 0 ] || fail "kernel drops $(j .capture.kernel_drops)"
	[ "$(j .capture.interface_drops)" = 0 ] || fail "interface drops $(j .capture.interface_drops)"
	[ "$(j .capture.ring_full_drops)" = 0 ] || fail "ring drops $(j .capture.ring_full_drops)"
	[ "$(j '.links | length')" = 1 ] || fail "summary opened more than -i: $(j -c .links)"
	[ "$(j '.links[0].name')" = lab ] || fail "the link is not named by the config: $(jq -c .links "$tmp/out.json")"
	[ "$(j '.links[0].received')" = $N ] || fail "link counters: $(jq -c .links "$tmp/out.json")"
	[ "$(j '.links[0].readers')" = "$R" ] || fail "readers: $(jq -c .links "$tmp/out.json")"
	# random sources hash to both readers: each has a real share
	[ "$(j "[.links[0].reader_received[] | select(. > $N / 4)] | length")" = "$R" ] ||
	    fail "the readers' shares: $(jq -c .links[0].reader_received "$tmp/out.json")"
	[ "$(j '.interfaces[0]')" = "$VRX" ] || fail "interfaces: $(jq -c .interfaces "$tmp/out.json")"
	[ "$(j '[.alerts[] | select(.target == "198.51.100.2" and (.kind | test("syn")))] | length')" -ge 1 ] ||
	    fail "no SYN-flood alert for 198.51.100.2: $(jq -c .alerts "$tmp/out.json")"
	listened=$(j .capture.listened_s)
	awk -v l="$listened" 'BEGIN { exit !(l >= 3 && l < 10) }' ||
	    fail "listened $listened s: --idle 2 after a 2 s flood should end it in 4-5 s"
}

N=2400
# one reader, then two in a PACKET_FANOUT group: together exactly N, no
# frame twice
run_case 1
run_case 2
echo "summary_live: ok ($N SYNs counted live with 1 and 2 readers, no drops, alert raised)"
