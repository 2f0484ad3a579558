#!/usr/bin/env bash
# Detection on generated scenarios (30 s of benign web traffic; an attack
# from second 10 to 20): the right target, kind and direction, a start
# within 2 s of the attack's first packet, no alert on benign traffic,
# thresholds from the command line and from prefix groups, --alerts JSON
# Lines.
set -euo pipefail
: "${KYOCHO:?} ${B:?} ${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
attack_start=$(date -u -d @1764115210 +%s)	# second 10 of the scenario

expect() {	# expect SCENARIO KIND DIRECTION TARGET
	local s=$1 kind=$2 dir=$3 target=$4 j n start
	"$B/tools/mkcap" scenario "$s" "$tmp/$s.pcap"
	j=$("$KYOCHO" summary --data "$SRCDIR/data" --json --home 203.0.113.0/24 -r "$tmp/$s.pcap")
	n=$(jq '.alerts | length' <<<"$j")
	if [ "$n" != 1 ]; then
		echo "FAIL $s: $n alerts, want 1: $(jq -c .alerts <<<"$j")"; fail=1; return
	fi
	for f in kind:$kind direction:$dir target:$target; do
		got=$(jq -r ".alerts[0].${f%%:*}" <<<"$j")
		if [ "$got" != "${f#*:}" ]; then
			echo "FAIL $s: ${f%%:*} is $got, want ${f#*:}"; fail=1
		fi
	done
	start=$(date -u -d "$(jq -r '.alerts[0].start' <<<"$j")" +%s)
	if [ $((start - attack_start)) -gt 2 ] || [ $((start - attack_start)) -lt -1 ]; then
		echo "FAIL $s: start $start not within 2 s of $attack_start"; fail=1
	fi
	echo "ok   $s: $(jq -c '.alerts[0] | [.kind, .direction, .target, .start, .sources_est, .spoofing_level]' <<<"$j")"
}

expect synflood syn_flood inbound 203.0.113.80
expect amplification amplification inbound 203.0.113.80
expect icmpflood icmp_flood inbound 203.0.113.80
expect fragflood fragment_flood inbound 203.0.113.80
expect outbound udp_flood outbound 198.51.100.200
# A ping flood: one alert on our victim; its echo replies to the flooder
# are not an attack from our network.
expect pingflood icmp_flood inbound 203.0.113.80
# The same when the flooder is one of ours too: our victim's replies to it
# are the flood's echo, not a second attack on the flooder.
t=$("$KYOCHO" summary --data "$SRCDIR/data" --json --home 203.0.113.0/24 --home 198.51.100.0/24 \
	-r "$tmp/pingflood.pcap" | jq -c '[.alerts[] | .target]')
[ "$t" = '["203.0.113.80"]' ] && echo "ok   pingflood between home hosts: $t" ||
	{ echo "FAIL pingflood between home hosts: alerts on $t"; fail=1; }

# Spoofing signs: random sources from one host are judged high.
lvl=$("$KYOCHO" summary --data "$SRCDIR/data" --json --home 203.0.113.0/24 -r "$tmp/synflood.pcap" | jq -r '.alerts[0].spoofing_level')
[ "$lvl" = high ] && echo "ok   synflood spoofing high" || { echo "FAIL synflood spoofing $lvl"; fail=1; }

# Benign traffic raises nothing.
"$B/tools/mkcap" scenario benign "$tmp/benign.pcap"
n=$("$KYOCHO" summary --data "$SRCDIR/data" --json --home 203.0.113.0/24 -r "$tmp/benign.pcap" | jq '.alerts | length')
[ "$n" = 0 ] && echo "ok   benign: no alert" || { echo "FAIL benign: $n alerts"; fail=1; }

# The spoofed SYN flood's sources are counted within 2%.
est=$("$KYOCHO" summary --data "$SRCDIR/data" --json --home 203.0.113.0/24 -r "$tmp/synflood.pcap" | jq '.alerts[0].sources_est')
# 5000 random sources a second for 10 seconds (a handful repeat by chance)
if [ "$est" -lt 49000 ] || [ "$est" -gt 51000 ]; then
	echo "FAIL synflood sources_est $est not within 2% of 50000"; fail=1
else
	echo "ok   synflood sources_est $est"
fi

# UDP mostly from reflector ports is amplification at a fifth of the udp
# threshold: 5000/s of it is caught under udp=20000 (bar 4000/s), the same
# rate of plain UDP (the outbound flood) is not.
k=$("$KYOCHO" summary --data "$SRCDIR/data" --json --home 203.0.113.0/24 --threshold udp=20000 \
    -r "$tmp/amplification.pcap" | jq -c '[.alerts[] | .kind]')
[ "$k" = '["amplification"]' ] && echo "ok   reflected UDP under udp/5: $k" ||
	{ echo "FAIL reflected UDP under udp/5: $k"; fail=1; }
n=$("$KYOCHO" summary --data "$SRCDIR/data" --json --home 203.0.113.0/24 --threshold udp=20000 \
    -r "$tmp/outbound.pcap" | jq '.alerts | length')
[ "$n" = 0 ] && echo "ok   plain UDP under udp: no alert" ||
	{ echo "FAIL plain UDP under udp: $n alerts"; fail=1; }
# Answers that were asked for are not reflected at their receiver: our
# resolver's 2500 answers/s from port 53 (with its 2500 queries/s) raise
# nothing.
"$B/tools/mkcap" scenario resolver "$tmp/resolver.pcap"
k=$("$KYOCHO" summary --data "$SRCDIR/data" --json --home 203.0.113.0/24 -r "$tmp/resolver.pcap" |
    jq -c '[.alerts[] | .kind]')
[ "$k" = '[]' ] && echo "ok   resolver's answers: no alert" ||
	{ echo "FAIL resolver's answers: $k"; fail=1; }

# A raised threshold suppresses the alert; a lowered one catches benign.
n=$("$KYOCHO" summary --data "$SRCDIR/data" --json --home 203.0.113.0/24 --threshold syn=10k \
    -r "$tmp/synflood.pcap" | jq '.alerts | length')
[ "$n" = 0 ] && echo "ok   --threshold syn=10k: no alert" || { echo "FAIL --threshold syn=10k: $n"; fail=1; }
n=$("$KYOCHO" summary --data "$SRCDIR/data" --json --home 203.0.113.0/24 --threshold syn=20 \
    -r "$tmp/benign.pcap" | jq '[.alerts[] | select(.target == "203.0.113.10")] | length')
[ "$n" = 1 ] && echo "ok   --threshold syn=20 on benign: alert" || { echo "FAIL --threshold syn=20: $n"; fail=1; }

# A prefix group in the configuration file raises the victim's threshold.
cat >"$tmp/conf" <<CONF
# test configuration
home = 203.0.113.0/24
[group big-web]
prefix = 203.0.113.80/32
threshold.syn = 50k
threshold.pps = 1M
CONF
n=$("$KYOCHO" summary --data "$SRCDIR/data" --json --config "$tmp/conf" -r "$tmp/synflood.pcap" | jq '.alerts | length')
[ "$n" = 0 ] && echo "ok   group threshold" || { echo "FAIL group threshold: $n alerts"; fail=1; }
# ... and a bad configuration line is named.
printf 'home = 203.0.113.0/24\nthreshold.synn = 5\n' >"$tmp/bad.conf"
set +e
out=$("$KYOCHO" summary --data "$SRCDIR/data" --config "$tmp/bad.conf" -r "$tmp/benign.pcap" 2>&1); rc=$?
set -e
if [ "$rc" = 2 ] && grep -q "bad.conf:2:" <<<"$out" && grep -q synn <<<"$out"; then
	echo "ok   bad config: $out"
else
	echo "FAIL bad config: rc=$rc $out"; fail=1
fi

# A capture whose clock starts at the epoch (second 0 is a second, not "no
# second yet"): a 3000/s SYN flood of one second raises its alert, five
# seconds of it peak at 3000 (not 6000: seconds 0 and 1 stay apart), and
# the link counts every packet.
for secs in 1 5; do
	"$B/tools/mkcap" flood 3000 "$secs" "$tmp/epoch$secs.pcap" 0
	got=$("$KYOCHO" summary --json --home 203.0.113.0/24 \
	    -r "$tmp/epoch$secs.pcap" | jq -c '[(.alerts | length),
	    .alerts[0].start, .alerts[0].peak_pps, .top_destinations[0].peak_pps,
	    ([.links[].packets] | add)]')
	want="[1,\"1970-01-01T00:00:00Z\",3000,3000,$((3000 * secs))]"
	[ "$got" = "$want" ] && echo "ok   flood from the epoch, $secs s: $got" ||
		{ echo "FAIL flood from the epoch, $secs s: $got, want $want"; fail=1; }
done

# --alerts writes a start and an end line per alert, each valid JSON.
"$KYOCHO" summary --data "$SRCDIR/data" --home 203.0.113.0/24 --alerts "$tmp/alerts.jsonl" \
    -r "$tmp/synflood.pcap" >/dev/null
events=$(jq -r '.event' "$tmp/alerts.jsonl" | tr '\n' ' ')
if [ "$events" = "start end " ]; then
	echo "ok   --alerts: $events"
else
	echo "FAIL --alerts events: $events"; fail=1
fi
exit $fail
