#!/usr/bin/env bash
# kyocho summary --json agrees exactly with tshark on the same frames:
# a capture with every decoder path (VLAN, QinQ, IPv4 options and fragments,
# IPv6 extension headers and fragments, ARP, ICMP errors, damaged frames),
# the same as pcapng, as Linux cooked (SLL) and raw IP, a flood, and
# tcpdump's own captures of PPP, Cisco HDLC, Juniper Ethernet and NFLOG.
# Also: a BPF filter, several files at once, and the error paths.
set -euo pipefail
: "${KYOCHO:?} ${B:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

tsh() {	# tsh FILE FILTER -> frame count
	tshark -n -r "$1" -o ip.defragment:FALSE -o ipv6.defragment:FALSE \
	    ${2:+-Y "$2"} 2>/dev/null | wc -l
}
check() {	# check NAME GOT WANT
	if [ "$2" != "$3" ]; then
		echo "FAIL $1: kyocho $2, tshark $3"
		fail=1
	else
		echo "ok   $1 = $2"
	fi
}
compare() {	# compare FILE
	local f=$1 j
	j=$("$KYOCHO" summary --data "$SRCDIR/data" --json -r "$f")
	echo "-- $(basename "$f")"
	check packets "$(jq .packets <<<"$j")" "$(tsh "$f" "")"
	check bytes "$(jq .bytes <<<"$j")" \
	    "$(tshark -n -r "$f" -T fields -e frame.len 2>/dev/null | awk '{s+=$1} END {print s+0}')"
	# IP of a family is a header with that version nibble: tshark puts a
	# frame whose nibble contradicts its link layer under "ipv6" (or
	# "ip") too, but gives it no addresses (and ip.version is set by the
	# IPv6 dissector as well).
	check ipv4 "$(jq .ipv4 <<<"$j")" "$(tsh "$f" 'ip && ip.version == 4')"
	check ipv6 "$(jq .ipv6 <<<"$j")" "$(tsh "$f" 'ipv6 && ipv6.version == 6')"
	check tcp "$(jq .tcp <<<"$j")" "$(tsh "$f" 'tcp && !icmp && !icmpv6')"
	check udp "$(jq .udp <<<"$j")" "$(tsh "$f" 'udp && !icmp && !icmpv6')"
	check icmp "$(jq .icmp <<<"$j")" "$(tsh "$f" 'icmp || icmpv6')"
	check tcp_syn "$(jq .tcp_syn <<<"$j")" \
	    "$(tsh "$f" 'tcp.flags.syn==1 && tcp.flags.ack==0 && !icmp && !icmpv6')"
	check fragments "$(jq .fragments <<<"$j")" \
	    "$(tsh "$f" 'ip.flags.mf==1 || ip.frag_offset>0 || ipv6.fraghdr')"
	check malformed "$(jq .malformed <<<"$j")" \
	    "$(tsh "$f" '_ws.malformed || _ws.short || _ws.expert.severity == error')"
	# the busiest destination and its packet count
	local top want
	top=$(jq -r '.top_destinations[0].addr // ""' <<<"$j")
	# largest first by packets, then bytes (kyocho's order)
	want=$(tshark -n -r "$f" -o ip.defragment:FALSE -o ipv6.defragment:FALSE \
	    -T fields -e frame.len -e ip.dst -e ipv6.dst 2>/dev/null |
	    awk -F'\t' '{a=$2; if (a=="") a=$3; sub(/,.*/, "", a);
	        if (a!="") {c[a]++; b[a]+=$1}}
	        END {for (k in c) print c[k], b[k], k}' |
	    sort -k1,1nr -k2,2nr | head -1 | cut -d' ' -f3)
	check top_destination "$top" "$want"
}

"$B/tools/mkcap" mix "$tmp/mix.pcap"
compare "$tmp/mix.pcap"
editcap -F pcapng "$tmp/mix.pcap" "$tmp/mix.pcapng"
compare "$tmp/mix.pcapng"
# Linux cooked v1 and raw IP through tshark's own re-encapsulation is not
# available, so build them with editcap's encapsulation change on IP frames:
# strip the Ethernet header (14 bytes) of the IP-only frames and mark RAW.
# (Not the frames whose version nibble contradicts the EtherType: as raw IP
# the nibble is all there is, and tshark shows version 5 as plain data.)
tshark -r "$tmp/mix.pcap" -Y '(eth.type == 0x0800 && ip.version == 4) ||
    (eth.type == 0x86dd && ipv6.version == 6)' \
    -w "$tmp/iponly.pcap" 2>/dev/null
editcap -C 14 -T rawip "$tmp/iponly.pcap" "$tmp/raw.pcap"
compare "$tmp/raw.pcap"
"$B/tools/mkcap" scenario synflood "$tmp/flood.pcap"
compare "$tmp/flood.pcap"
# Captures nobody here wrote (tcpdump's tests; see tests/data/captures/
# SOURCE): PPP, Cisco HDLC, Juniper Ethernet and NFLOG links, and captures
# whose clock starts at the epoch.
for f in "${SRCDIR:-.}"/tests/data/captures/*.pcap; do
	compare "$f"
	check "links[].packets" "$("$KYOCHO" summary --json -r "$f" |
	    jq '[.links[].packets] | add')" "$(tsh "$f" "")"
done

# A BPF filter counts only what matches.
got=$("$KYOCHO" summary --data "$SRCDIR/data" --json -r "$tmp/mix.pcap" udp | jq .packets)
want=$(tshark -n -r "$tmp/mix.pcap" -f udp 2>/dev/null | wc -l || true)
want=$(tcpdump -nr "$tmp/mix.pcap" udp 2>/dev/null | wc -l)
check "filter udp" "$got" "$want"

# Several files: counts add up, one link each.
j=$("$KYOCHO" summary --data "$SRCDIR/data" --json -r "$tmp/mix.pcap" -r "$tmp/mix.pcapng")
check "two files" "$(jq .packets <<<"$j")" "$(( $(tsh "$tmp/mix.pcap" "") * 2 ))"
check "two links" "$(jq '.links | length' <<<"$j")" 2

# Errors: one line naming the file, non-zero exit.
err() {	# err NAME ARGS... : must fail with one line that names the file
	local name=$1 out rc; shift
	set +e
	out=$("$KYOCHO" summary --data "$SRCDIR/data" --json "$@" 2>&1 >/dev/null); rc=$?
	set -e
	if [ "$rc" = 0 ] || [ "$(printf '%s\n' "$out" | wc -l)" != 1 ]; then
		echo "FAIL $name: rc=$rc out=$out"; fail=1
	elif ! grep -q "$(basename "$2")" <<<"$out"; then
		echo "FAIL $name: the error does not name the file: $out"; fail=1
	else
		echo "ok   $name: $out"
	fi
}
err missing -r "$tmp/nonexistent.pcap"
head -c 100 /dev/urandom >"$tmp/junk.pcap"
err corrupt -r "$tmp/junk.pcap"
head -c 1000 "$tmp/mix.pcap" >"$tmp/cut.pcap"
err truncated -r "$tmp/cut.pcap"
set +e
out=$("$KYOCHO" summary --data "$SRCDIR/data" --bogus -r "$tmp/mix.pcap" 2>&1); rc=$?
set -e
if [ "$rc" != 2 ] || ! grep -q -- "--bogus" <<<"$out"; then
	echo "FAIL bad option: rc=$rc $out"; fail=1
else
	echo "ok   bad option: $out"
fi
exit $fail
