#!/usr/bin/env bash
# live.sh -- `make bench-live`: live capture at rising rates. Not run by
# `make bench` (it needs root, takes a few minutes and loads every core).
#
# Two network namespaces joined by a veth pair (nothing leaves them);
# tools/synflood sends a SYN flood from random sources at 198.51.100.2 at
# each rate step (--pps), then at top speed, for STEP_S seconds, while one
# consumer captures on the other end:
#   kyocho    kyocho summary -i (the real analysis, JSON counters)
#   bare      tools/pcaplive, a libpcap live loop that only counts
#   tcpdump   tcpdump -w /dev/null -s 256 -B 32768
# For each: packets sent (the sender's own count and rate), received,
# dropped, and the highest offered rate with < 0.1 % loss; then kyocho's
# zero-loss rate as a ratio of the bare loop's. Nothing asserts a time:
# the machine's CPU count and load are printed beside the figures.
# Environment: RATES="50000 100000 ..." (steps), STEP_S (default 2),
# READERS (kyocho --readers, when given), BEST (repeats per step, best of).
set -u
B=${1:?build dir}
SRCDIR=$(cd "$(dirname "$0")/../../.." && pwd)
KYOCHO=$B/kyocho
RATES=${RATES:-"25000 50000 100000 150000 200000 250000 300000 400000 0"}
STEP_S=${STEP_S:-2}
BEST=${BEST:-1}
NTX=kyocho-bltx-$$
NRX=kyocho-blrx-$$
VTX=kbt$$
VRX=kbr$$
tmp=$(mktemp -d)
cleanup() {
	[ -n "${cpid:-}" ] && kill "$cpid" 2>/dev/null
	ip netns del "$NTX" 2>/dev/null
	ip netns del "$NRX" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
die() { echo "bench-live: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
for t in "$KYOCHO" "$B/tools/synflood" "$B/tools/pcaplive"; do
	[ -x "$t" ] || die "no $t (make all)"
done
command -v tcpdump >/dev/null || die "tcpdump is not installed (make deps-test)"
. "$SRCDIR/tests/e2e/netns.inc"
veth_pair || die "namespaces and veth pair"
mkdir -p "$tmp/home" "$tmp/cfg" "$tmp/share" "$tmp/state" "$tmp/cache"

# consumer NAME: start it in the receive namespace; its output in
# $tmp/NAME.out, its stderr in $tmp/NAME.err; waits until it captures.
consumer() {
	local name=$1 ready
	: > "$tmp/$name.err"
	case $name in
	kyocho)
		ip netns exec "$NRX" env -i PATH="$PATH" LANG=C.UTF-8 TZ=UTC \
		    HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/cfg" \
		    XDG_DATA_HOME="$tmp/share" XDG_STATE_HOME="$tmp/state" \
		    XDG_CACHE_HOME="$tmp/cache" "$KYOCHO" summary --json \
		    --no-dns --data "$SRCDIR/data" --home 198.51.100.0/24 \
		    ${READERS:+--readers $READERS} -i "$VRX" --idle 1 \
		    --duration $((STEP_S + 30)) > "$tmp/$name.out" 2> "$tmp/$name.err" &
		ready="capturing on" ;;
	bare)
		ip netns exec "$NRX" "$B/tools/pcaplive" "$VRX" $((STEP_S + 30)) 1 \
		    > "$tmp/$name.out" 2> "$tmp/$name.err" &
		ready="capturing on" ;;
	tcpdump)
		ip netns exec "$NRX" tcpdump -i "$VRX" -n -s 256 -B 32768 \
		    -w /dev/null > "$tmp/$name.out" 2> "$tmp/$name.err" &
		ready="listening on" ;;
	esac
	cpid=$!
	for _ in $(seq 200); do
		grep -q "$ready" "$tmp/$name.err" && return 0
		kill -0 "$cpid" 2>/dev/null || break
		sleep 0.05
	done
	die "$name did not start: $(cat "$tmp/$name.err")"
}

# counts NAME -> "received dropped" of the finished consumer
counts() {
	case $1 in
	kyocho) jq -r '"\(.packets) \(.capture.kernel_drops + .capture.interface_drops) \(.capture.ring_full_drops)"' "$tmp/kyocho.out" ;;
	bare) awk '{ print $8, $4 + $6, 0 }' "$tmp/bare.out" ;;
	tcpdump) awk '/packets captured/ { c = $1 } /dropped by kernel/ { d = $1 }
	    /dropped by interface/ { i = $1 } END { print c, d + i, 0 }' "$tmp/tcpdump.err" ;;
	esac
}

# step NAME RATE -> "sent achieved_pps received dropped ringdrops"
step() {
	local name=$1 rate=$2 sent
	consumer "$name"
	ip netns exec "$NTX" "$B/tools/synflood" -i "$VTX" -d 198.51.100.2 \
	    --pps "$rate" --duration "$STEP_S" --seed 21 > "$tmp/sent" 2>&1 ||
	    die "synflood: $(cat "$tmp/sent")"
	if [ "$name" = tcpdump ]; then
		sleep 1
		kill -INT "$cpid"
	fi
	wait "$cpid"
	cpid=
	echo "$(awk '{ print $2, $6 }' "$tmp/sent") $(counts "$name")"
}

ncpu=$(nproc)
echo "bench-live: $ncpu CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), sender: synflood (AF_PACKET, PACKET_QDISC_BYPASS, sendmmsg), $ncpu threads, ${STEP_S} s a step, best of $BEST${READERS:+, kyocho --readers $READERS}"
printf '%-8s %10s %10s %10s %10s %10s %8s %s\n' consumer "rate" sent "pps" received dropped "loss%" "(ring)"
declare -A zero
for name in kyocho bare tcpdump; do
	zero[$name]=0
	for rate in $RATES; do
		best=""
		for _ in $(seq "$BEST"); do
			r=$(step "$name" "$rate")
			read -r s a rc d rd <<<"$r"
			# lost: what the sender sent and the consumer did not count
			l=$(awk -v s="$s" -v c="$rc" 'BEGIN { printf "%.3f", (s > 0 ? (s - c) * 100 / s : 0) }')
			if [ -z "$best" ] || awk -v a="$l" -v b="$bl" 'BEGIN { exit !(a < b) }'; then
				best="$r"; bl=$l
			fi
		done
		read -r s a rc d rd <<<"$best"
		printf '%-8s %10s %10s %10s %10s %10s %8s %s\n' "$name" \
		    "$([ "$rate" = 0 ] && echo top || echo "$rate")" "$s" "$a" \
		    "$rc" "$d" "$bl" "$([ "$name" = kyocho ] && echo "($rd)")"
		if [ "$rate" = 0 ] && awk -v l="$bl" 'BEGIN { exit !(l >= 0.1) }'; then
			lost_top=1
		fi
		if awk -v l="$bl" 'BEGIN { exit !(l < 0.1) }' &&
		    [ "${a%.*}" -gt "${zero[$name]}" ]; then
			zero[$name]=${a%.*}
		fi
	done
done
echo "highest offered rate with < 0.1 % loss (pps, the sender's achieved rate):"
for name in kyocho bare tcpdump; do
	printf '  %-8s %10s\n' "$name" "${zero[$name]}"
done
awk -v k="${zero[kyocho]}" -v b="${zero[bare]}" 'BEGIN {
	if (b > 0) printf "kyocho / bare live loop: %.2f\n", k / b
	else print "kyocho / bare live loop: n/a (the bare loop lost at every rate)" }'
[ "${lost_top:-0}" = 0 ] && case " $RATES " in *" 0 "*)
	echo "note: no consumer lost 0.1 % even at the sender's top speed: the sender (and"
	echo "the veth receive path it runs on its own cores) was the limit, not the consumers;"
	echo "the ratio then only says that kyocho kept up wherever the bare loop did." ;;
esac
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
