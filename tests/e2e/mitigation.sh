#!/bin/bash
# mitigation.sh -- issue 16 with real speakers: two gobgpd on loopback
# (A, which kyocho drives through `gobgp`, and B standing for the router
# it feeds, peered over BGP on 127.0.0.1/127.0.0.2). An rtbh taken on an
# incident whose checklist is overridden reaches B with 65535:666 and is
# gone when lifted; with --ttl 3 it is gone after `mitigation reconcile
# --yes`; a FlowSpec block for UDP from source port 123 reaches B and is
# withdrawn; an incomplete checklist, a target outside home and a missing
# terminal are refused with nothing announced; kill -9 at random moments
# leaves no route the journal does not account for after reconcile.
set -u
: "${KYOCHO:?} ${SRCDIR:?}"
. "$SRCDIR/tests/e2e/port.inc"
tmp=$(mktemp -d)
pids=
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "mitigation: FAILED: $*"; for f in "$tmp"/*.log; do echo "== $f"; tail -5 "$f"; done; exit 1; }
export XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/share" HOME="$tmp" TZ=UTC
command -v gobgpd > /dev/null || fail "gobgpd is not installed"

bgpa=$(free_port) && bgpb=$(free_port) && apia=$(free_port) && apib=$(free_port) || fail "no free ports"
speaker() {	# NAME AS ID LOCAL PORT PEER PEERAS PEERPORT
	cat > "$tmp/$1.toml" <<TOML
[global.config]
  as = $2
  router-id = "$3"
  port = $5
  local-address-list = ["$4"]
[[neighbors]]
  [neighbors.config]
    neighbor-address = "$6"
    peer-as = $7
  [neighbors.transport.config]
    remote-port = $8
    local-address = "$4"
  [neighbors.timers.config]
    connect-retry = 1
TOML
	for f in ipv4-unicast ipv6-unicast ipv4-flowspec ipv6-flowspec; do
		printf '  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n      afi-safi-name = "%s"\n' "$f" >> "$tmp/$1.toml"
	done
}
speaker a 64512 10.255.0.1 127.0.0.1 "$bgpa" 127.0.0.2 64513 "$bgpb"
speaker b 64513 10.255.0.2 127.0.0.2 "$bgpb" 127.0.0.1 64512 "$bgpa"
gobgpd -f "$tmp/a.toml" --api-hosts "127.0.0.1:$apia" --pprof-disable -l info > "$tmp/a.log" 2>&1 & pids="$pids $!"
gobgpd -f "$tmp/b.toml" --api-hosts "127.0.0.1:$apib" --pprof-disable -l info > "$tmp/b.log" 2>&1 & pids="$pids $!"
for i in $(seq 100); do
	gobgp -p "$apia" neighbor 2>/dev/null | grep -q Establ && break
	sleep 0.2
done
gobgp -p "$apia" neighbor | grep -q Establ || fail "the speakers did not peer"

cp -r "$SRCDIR/data" "$tmp/data"
C=(--state "$tmp/st" --data "$tmp/data" --operator t --mitigation gobgp
   --gobgp-api "127.0.0.1:$apia" --home 203.0.113.0/24 --home 2001:db8:100::/48)
K() { "$KYOCHO" incident "$1" "${C[@]}" "${@:2}"; }
M() { "$KYOCHO" mitigation "$1" "${C[@]}" "${@:2}"; }
# B's RIB, both tables, one route a line with its attributes.
ribb() { gobgp -p "$apib" global rib -a ipv4; gobgp -p "$apib" global rib -a ipv4-flowspec; }
# until COND: poll B for at most 2 s.
until_b() { local i; for i in $(seq 20); do eval "$1" && return 0; sleep 0.1; done; return 1; }
mkinc() {	# TARGET ATTACK PORT
	local id
	id=$("$KYOCHO" incident new "${C[@]}" --kind ddos-customer --title "flood against $1" --source alert) || return 1
	printf '{"seq":2,"ts":"2026-11-26T00:41:12Z","type":"evidence","operator":"t","alert_id":5,"target":"%s","attack":"%s","direction":"inbound","start":"2026-11-26T00:38:05Z","last":"2026-11-26T00:41:09Z","top_sources":[],"top_port":%s}\n' \
	    "$1" "$2" "$3" >> "$tmp/st/incidents/$id.jsonl"
	echo "$id"
}

# Refused: incomplete checklist, no terminal without --yes, outside home.
id=$(mkinc 203.0.113.10 amplification 123) || fail "new incident"
K action "$id" rtbh taken --yes > /dev/null 2> "$tmp/err" && fail "rtbh taken with an incomplete checklist"
grep -q "not announced: rtbh: the checklist is incomplete" "$tmp/err" || fail "refusal unclear: $(cat "$tmp/err")"
K override "$id" rtbh --reason "flood over the customer's capacity" || fail "override"
K action "$id" rtbh taken < /dev/null > /dev/null 2> "$tmp/err" && fail "announced without a terminal and without --yes"
grep -q "pass --yes to announce rtbh 203.0.113.10/32" "$tmp/err" || fail "no-terminal refusal unclear: $(cat "$tmp/err")"
out=$(mkinc 198.51.100.7 syn_flood 0) || fail "new incident"
K override "$out" rtbh --reason "test" || fail "override"
K action "$out" rtbh taken --yes > /dev/null 2> "$tmp/err" && fail "rtbh outside home announced"
grep -q "198.51.100.7/32 is not inside our own prefixes (home)" "$tmp/err" || fail "home refusal unclear: $(cat "$tmp/err")"
sleep 0.5
[ -z "$(gobgp -p "$apib" global rib -a ipv4 -j | jq -r 'keys[]')" ] || fail "something reached B after refusals: $(ribb)"
[ -z "$(gobgp -p "$apia" global rib -a ipv4 -j | jq -r 'keys[]')" ] || fail "something is in A after refusals"
K actions "$id" --json | jq -e '.actions[] | select(.action=="rtbh") | .state != "taken"' > /dev/null || fail "refused rtbh marked taken"

# rtbh taken: on B with 65535:666 within 2 s; lifted: gone.
K action "$id" rtbh taken --yes > "$tmp/out" || fail "rtbh taken: $(cat "$tmp/out")"
grep -q "announced rtbh 203.0.113.10/32 next-hop 192.0.2.1 community 65535:666" "$tmp/out" || fail "announcement not shown: $(cat "$tmp/out")"
until_b 'gobgp -p "$apib" global rib -a ipv4 -j | jq -e ".[\"203.0.113.10/32\"][0].attrs[] | select(.type==8) | .communities | index(4294902426)" > /dev/null' ||
    fail "rtbh not on B with 65535:666: $(ribb)"
K actions "$id" --json | jq -e '.actions[] | select(.action=="rtbh") | .state == "taken"' > /dev/null || fail "rtbh not journaled taken"
M list --json | jq -e '.announcements | length == 1 and .[0].state == "active" and .[0].ttl_left > 3500' > /dev/null || fail "list: $(M list --json)"
K action "$id" rtbh taken --yes > /dev/null 2> "$tmp/err" && fail "the same route announced twice"
K action "$id" rtbh lifted > /dev/null || fail "rtbh lifted"
until_b '! gobgp -p "$apib" global rib -a ipv4 | grep -q 203.0.113.10' || fail "rtbh still on B after lifted: $(ribb)"
grep -q '"ev":"withdrawn"' "$tmp/st/mitigations.jsonl" || fail "withdrawal not journaled"

# A TTL of 3 s: gone after reconcile --yes once it expired.
K action "$id" rtbh taken --yes --ttl 3 > /dev/null || fail "rtbh taken --ttl 3"
until_b 'gobgp -p "$apib" global rib -a ipv4 | grep -q 203.0.113.10' || fail "rtbh --ttl 3 not on B"
M reconcile --yes | grep -q "0 expired" || fail "withdrawn before its TTL"
sleep 3.2
M reconcile > "$tmp/rec" || fail "reconcile (report)"
grep -q "^expired .*203.0.113.10/32.*to withdraw (--yes)" "$tmp/rec" || fail "expiry not reported: $(cat "$tmp/rec")"
gobgp -p "$apib" global rib -a ipv4 | grep -q 203.0.113.10 || fail "reconcile without --yes withdrew"
M reconcile --yes > "$tmp/rec" || fail "reconcile --yes: $(cat "$tmp/rec")"
until_b '! gobgp -p "$apib" global rib -a ipv4 | grep -q 203.0.113.10' || fail "expired rtbh still on B: $(ribb)"

# FlowSpec: a reflection from UDP source port 123 to the target.
K override "$id" block --reason "NTP reflection" || fail "override block"
K action "$id" block taken --yes > "$tmp/out" || fail "block taken: $(cat "$tmp/out")"
grep -q "flowspec to 203.0.113.10/32 udp source-port 123: discard" "$tmp/out" || fail "rule not shown: $(cat "$tmp/out")"
until_b 'gobgp -p "$apib" global rib -a ipv4-flowspec | grep -F "[destination: 203.0.113.10/32][protocol: ==udp][source-port: ==123]" | grep -q discard' ||
    fail "FlowSpec rule not on B: $(ribb)"
K action "$id" block lifted > /dev/null || fail "block lifted"
until_b '[ -z "$(gobgp -p "$apib" global rib -a ipv4-flowspec -j | jq -r "keys[]")" ]' || fail "FlowSpec rule still on B: $(ribb)"

# 20 kill -9 at random moments: afterwards reconcile leaves exactly the
# routes the journal says are active, and every route on A is named.
RANDOM=16
for i in $(seq 20); do
	t=$(mkinc "203.0.113.$((100 + i))" amplification 123) || fail "new incident $i"
	K override "$t" rtbh --reason "kill test" > /dev/null || fail "override $i"
	K action "$t" rtbh taken --yes > /dev/null 2>&1 &
	p=$!
	sleep "0.0$((RANDOM % 10))"
	kill -9 "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	if [ $((i % 3)) = 0 ]; then
		K action "$t" rtbh lifted > /dev/null 2>&1 & p=$!
		sleep "0.0$((RANDOM % 6))"; kill -9 "$p" 2>/dev/null; wait "$p" 2>/dev/null
	fi
done
M reconcile --yes > "$tmp/rec" || fail "reconcile after kills: $(cat "$tmp/rec")"
grep -q "0 left over" "$tmp/rec" || fail "a route the journal does not name: $(cat "$tmp/rec")"
M reconcile > "$tmp/rec2" || fail "second reconcile"
grep -q "^0 confirmed, 0 expired, 0 lifted, 0 gone, 0 missing (0 announced again), 0 left over$" "$tmp/rec2" ||
    fail "reconcile did not settle: $(cat "$tmp/rec2")"
sleep 0.5
want=$(M list --json | jq -r '[.announcements[] | select(.state=="active") | .dst] | sort | join(" ")')
have=$(gobgp -p "$apia" global rib -a ipv4 -j | jq -r 'keys | sort | join(" ")')
[ "$want" = "$have" ] || fail "journal says active [$want], A holds [$have]"
until_b '[ "$(gobgp -p "$apib" global rib -a ipv4 -j | jq -r "keys | sort | join(\" \")")" = "$have" ]' || fail "B differs from A: $(ribb)"
M list --json | jq -e '[.announcements[] | select(.state=="pending")] | length == 0' > /dev/null || fail "pending left after reconcile"
echo "mitigation: ok"
