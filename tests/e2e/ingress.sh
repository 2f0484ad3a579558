#!/usr/bin/env bash
# Where an attack enters (issue 13): a capture with two peering routers told
# apart by source MAC (tools/mkcap ingress). Each alert's ingress in
# `summary --json` and in the --alerts lines: the spoofed SYN flood that
# moves from peering-A to peering-B half-way has both at about half, A seen
# before B; the reflection from three networks entered via B; the outbound
# flood from our customer's host left via A (its destination MAC). Named
# neighbours carry their AS and contact, unknown ones null; a private
# interconnect's `peer` names the link's neighbour.
set -euo pipefail
: "${KYOCHO:?} ${B:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data \
	XDG_STATE_HOME=$tmp/state TZ=UTC LC_ALL=C.UTF-8
mkdir -p "$HOME"
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
fail=0
A=02:00:5e:0a:00:01 Bm=02:00:5e:0b:00:01
cap=$tmp/ingress.pcap
"$B/tools/mkcap" ingress "$cap"

check() {	# check NAME JQ-EXPR (must print true) JSON
	if [ "$(jq -r "$2" <<<"$3")" = true ]; then
		echo "ok   $1"
	else
		echo "FAIL $1: $(jq -c '[.alerts[] | {kind, target, ingress}]' <<<"$3" 2>/dev/null || echo "$3")"
		fail=1
	fi
}

j=$("$KYOCHO" summary --json --data "$SRCDIR/data" --home 203.0.113.0/24 \
	-r "$cap" --link "border=$cap" \
	--neighbour "$A=AS64500:example-peering-a" --neighbour "$Bm=64501" \
	--alerts "$tmp/alerts.jsonl")
check "three alerts" '.alerts | length == 3' "$j"
syn='(.alerts[] | select(.kind == "syn_flood" and .target == "203.0.113.80"))'
check "moving flood: two neighbours, about half each" \
	"$syn | .ingress | length == 2 and all(.[]; .share > 0.45 and .share < 0.55)" "$j"
check "moving flood: peering-A named, seen first" \
	"$syn | (.ingress[] | select(.mac == \"$A\")) as \$a |
	 (.ingress[] | select(.mac == \"$Bm\")) as \$b |
	 \$a.asn == 64500 and \$a.contact == \"example-peering-a\" and
	 \$b.asn == 64501 and \$b.contact == null and \$a.link == \"border\" and
	 \$a.last_seen < \$b.first_seen and \$a.first_seen < \$b.first_seen" "$j"
check "reflection: entered via B only" \
	'(.alerts[] | select(.kind == "amplification")) | .target == "203.0.113.90" and
	 (.ingress | length == 1) and .ingress[0].mac == "'"$Bm"'" and .ingress[0].share == 1' "$j"
check "reflection: reflectors from three networks" \
	'(.alerts[] | select(.kind == "amplification")) | [.top_sources[].addr |
	 split(".")[0:2] | join(".")] | unique | length == 3' "$j"
check "outbound: the router we hand it to (destination MAC)" \
	'(.alerts[] | select(.direction == "outbound")) | .target == "198.51.100.200" and
	 .ingress[0].mac == "'"$A"'" and .ingress[0].asn == 64500 and .ingress[0].share == 1' "$j"
check "every ingress entry has the contract's keys" \
	'[.alerts[].ingress[] | has("link") and has("mac") and has("asn") and
	 has("contact") and has("packets") and has("share")] | all' "$j"

# --alerts: the start and end lines carry the ingress too; the end line's
# is the whole attack's (both neighbours for the moving flood).
l=$(jq -s '{alerts: [.[] | select(.event == "end") | .alert]}' "$tmp/alerts.jsonl")
check "--alerts end lines: moving flood via both" \
	"$syn | .ingress | length == 2" "$l"
l=$(jq -s '{alerts: [.[] | select(.event == "start") | .alert]}' "$tmp/alerts.jsonl")
check "--alerts start lines: moving flood via A at first" \
	"$syn | .ingress | length == 1 and .[0].mac == \"$A\"" "$l"

# Unknown neighbours still appear, by MAC, with asn and contact null; a
# peer setting names the single neighbour of the link.
j=$("$KYOCHO" summary --json --data "$SRCDIR/data" --home 203.0.113.0/24 -r "$cap")
check "unknown neighbours: by MAC, asn/contact null" \
	"$syn | [.ingress[] | .mac != null and .asn == null and .contact == null] | all" "$j"
j=$("$KYOCHO" summary --json --data "$SRCDIR/data" --home 203.0.113.0/24 -r "$cap" \
	--link "pni-C=$cap" --peer "pni-C=AS64502:example-pni" --neighbour "$Bm=64501")
check "peer names the link's neighbour unless a MAC is named" \
	"$syn | (.ingress[] | select(.mac == \"$A\") | .asn == 64502 and .contact == \"example-pni\" and .link == \"pni-C\") and
	 (.ingress[] | select(.mac == \"$Bm\") | .asn == 64501)" "$j"
exit $fail
