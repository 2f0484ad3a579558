#!/bin/bash
# mitigation_exabgp.sh -- issue 16 with ExaBGP as the speaker: Debian's
# exabgp (its CLI pipes NAME.in/NAME.out in the temp dir, the text API)
# peered on loopback with a gobgpd standing for the router. An rtbh taken
# reaches the router with 65535:666 and is gone when lifted; with --ttl 3
# it is gone after `mitigation reconcile --yes`; a FlowSpec block for UDP
# from source port 123 reaches the router and is withdrawn; an incomplete
# checklist and a target outside home are refused with nothing announced;
# ExaBGP restarted (its API routes lost) shows them missing to reconcile,
# which announces them again; a stopped ExaBGP is a clear failure.
set -u
: "${KYOCHO:?} ${SRCDIR:?}"
. "$SRCDIR/tests/e2e/port.inc"
tmp=$(mktemp -d)
pids=
exa=
trap 'for p in $pids $exa; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "mitigation_exabgp: FAILED: $*"; for f in "$tmp"/*.log; do echo "== $f"; tail -8 "$f"; done; exit 1; }
export XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/share" HOME="$tmp" TZ=UTC
command -v exabgp > /dev/null || fail "exabgp is not installed"
command -v gobgpd > /dev/null || fail "gobgpd is not installed"

bgpe=$(free_port) && bgpr=$(free_port) && apir=$(free_port) || fail "no free ports"
# The pipe's name is unique: ExaBGP looks in /run/exabgp/ and the like
# before its --root, and must not find a system ExaBGP's pipes there.
pn="kyocho-test-$$"
mkdir -p "$tmp/root/run/exabgp" "$tmp/root/etc/exabgp"
mkfifo -m 600 "$tmp/root/run/exabgp/$pn.in" "$tmp/root/run/exabgp/$pn.out" || fail "mkfifo"
pipe="$tmp/root/run/exabgp/$pn.in"
cat > "$tmp/exabgp.conf" <<CONF
neighbor 127.0.0.2 {
	router-id 10.255.0.1;
	local-address 127.0.0.1;
	local-as 64512;
	peer-as 64513;
	connect $bgpr;
	family { ipv4 unicast; ipv6 unicast; ipv4 flow; ipv6 flow; }
}
CONF
cat > "$tmp/r.toml" <<TOML
[global.config]
  as = 64513
  router-id = "10.255.0.2"
  port = $bgpr
  local-address-list = ["127.0.0.2"]
[[neighbors]]
  [neighbors.config]
    neighbor-address = "127.0.0.1"
    peer-as = 64512
  [neighbors.transport.config]
    remote-port = $bgpe
    local-address = "127.0.0.2"
  [neighbors.timers.config]
    connect-retry = 1
TOML
for f in ipv4-unicast ipv6-unicast ipv4-flowspec ipv6-flowspec; do
	printf '  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n      afi-safi-name = "%s"\n' "$f" >> "$tmp/r.toml"
done
start_exabgp() {
	env exabgp.daemon.user="$(id -un)" exabgp.daemon.daemonize=false \
	    exabgp.tcp.bind=127.0.0.1 exabgp.tcp.port="$bgpe" \
	    exabgp.api.cli=true exabgp.api.ack=true exabgp.api.pipename="$pn" \
	    exabgp.log.destination=stdout \
	    exabgp --root "$tmp/root" "$tmp/exabgp.conf" >> "$tmp/exabgp.log" 2>&1 &
	exa=$!
}
established() {
	local i
	for i in $(seq 100); do
		gobgp -p "$apir" neighbor 2>/dev/null | grep -q Establ && return 0
		sleep 0.2
	done
	return 1
}
gobgpd -f "$tmp/r.toml" --api-hosts "127.0.0.1:$apir" --pprof-disable -l info > "$tmp/router.log" 2>&1 & pids="$pids $!"
start_exabgp
established || fail "exabgp and the router did not peer"
grep -q "to send commands  $pipe" "$tmp/exabgp.log" || fail "exabgp does not use the pipes in $tmp"

cp -r "$SRCDIR/data" "$tmp/data"
C=(--state "$tmp/st" --data "$tmp/data" --operator t --mitigation exabgp
   --exabgp-pipe "$pipe" --home 203.0.113.0/24 --home 2001:db8:100::/48)
K() { "$KYOCHO" incident "$1" "${C[@]}" "${@:2}"; }
M() { "$KYOCHO" mitigation "$1" "${C[@]}" "${@:2}"; }
rib() { gobgp -p "$apir" global rib -a "$1" -j; }
ribr() { gobgp -p "$apir" global rib -a ipv4; gobgp -p "$apir" global rib -a ipv4-flowspec; }
# until COND: poll the router for at most 2 s.
until_r() { local i; for i in $(seq 20); do eval "$1" && return 0; sleep 0.1; done; return 1; }
mkinc() {	# TARGET ATTACK PORT
	local id
	id=$("$KYOCHO" incident new "${C[@]}" --kind ddos-customer --title "flood against $1" --source alert) || return 1
	printf '{"seq":2,"ts":"2026-11-26T00:41:12Z","type":"evidence","operator":"t","alert_id":5,"target":"%s","attack":"%s","direction":"inbound","start":"2026-11-26T00:38:05Z","last":"2026-11-26T00:41:09Z","top_sources":[],"top_port":%s}\n' \
	    "$1" "$2" "$3" >> "$tmp/st/incidents/$id.jsonl"
	echo "$id"
}
bh='.["203.0.113.10/32"][0].attrs[] | select(.type==8) | .communities | index(4294902426)'

# Refused: an incomplete checklist, a target outside home.
id=$(mkinc 203.0.113.10 amplification 123) || fail "new incident"
K action "$id" rtbh taken --yes > /dev/null 2> "$tmp/err" && fail "rtbh taken with an incomplete checklist"
grep -q "not announced: rtbh: the checklist is incomplete" "$tmp/err" || fail "refusal unclear: $(cat "$tmp/err")"
out=$(mkinc 198.51.100.7 syn_flood 0) || fail "new incident"
K override "$out" rtbh --reason "test" || fail "override"
K action "$out" rtbh taken --yes > /dev/null 2> "$tmp/err" && fail "rtbh outside home announced"
grep -q "198.51.100.7/32 is not inside our own prefixes (home)" "$tmp/err" || fail "home refusal unclear: $(cat "$tmp/err")"
sleep 0.5
[ -z "$(rib ipv4 | jq -r 'keys[]')" ] || fail "something reached the router after refusals: $(ribr)"
M reconcile > "$tmp/rec" || fail "reconcile: $(cat "$tmp/rec")"
grep -q "^0 confirmed, 0 expired, 0 lifted, 0 gone, 0 missing (0 announced again), 0 left over$" "$tmp/rec" ||
    fail "ExaBGP's adj-rib-out not empty after refusals: $(cat "$tmp/rec")"

# rtbh taken: on the router with 65535:666 within 2 s; lifted: gone.
K override "$id" rtbh --reason "flood over the customer's capacity" || fail "override"
K action "$id" rtbh taken --yes > "$tmp/out" 2>&1 || fail "rtbh taken: $(cat "$tmp/out")"
grep -q "announced rtbh 203.0.113.10/32 next-hop 192.0.2.1 community 65535:666" "$tmp/out" || fail "announcement not shown: $(cat "$tmp/out")"
until_r 'rib ipv4 | jq -e "$bh" > /dev/null' || fail "rtbh not on the router with 65535:666: $(ribr)"
M list --json | jq -e '.backend == "exabgp" and (.announcements | length == 1 and .[0].state == "active")' > /dev/null || fail "list: $(M list --json)"
M reconcile > "$tmp/rec" || fail "reconcile: $(cat "$tmp/rec")"
grep -q "0 missing .* 0 left over$" "$tmp/rec" || fail "reconcile does not see the rtbh in ExaBGP: $(cat "$tmp/rec")"
K action "$id" rtbh lifted > /dev/null || fail "rtbh lifted"
until_r '! rib ipv4 | jq -e ".[\"203.0.113.10/32\"]" > /dev/null' || fail "rtbh still on the router after lifted: $(ribr)"
grep -q '"ev":"withdrawn"' "$tmp/st/mitigations.jsonl" || fail "withdrawal not journaled"

# A TTL of 3 s: gone after reconcile --yes once it expired.
K action "$id" rtbh taken --yes --ttl 3 > /dev/null || fail "rtbh taken --ttl 3"
until_r 'rib ipv4 | jq -e "$bh" > /dev/null' || fail "rtbh --ttl 3 not on the router"
M reconcile --yes | grep -q "0 expired" || fail "withdrawn before its TTL"
sleep 3.2
M reconcile > "$tmp/rec" || fail "reconcile (report)"
grep -q "^expired .*203.0.113.10/32.*to withdraw (--yes)" "$tmp/rec" || fail "expiry not reported: $(cat "$tmp/rec")"
M reconcile --yes > "$tmp/rec" || fail "reconcile --yes: $(cat "$tmp/rec")"
until_r '! rib ipv4 | jq -e ".[\"203.0.113.10/32\"]" > /dev/null' || fail "expired rtbh still on the router: $(ribr)"

# FlowSpec: a reflection from UDP source port 123 to the target.
K override "$id" block --reason "NTP reflection" || fail "override block"
K action "$id" block taken --yes > "$tmp/out" 2>&1 || fail "block taken: $(cat "$tmp/out")"
grep -q "flowspec to 203.0.113.10/32 udp source-port 123: discard" "$tmp/out" || fail "rule not shown: $(cat "$tmp/out")"
until_r 'gobgp -p "$apir" global rib -a ipv4-flowspec | grep -F "[destination: 203.0.113.10/32][protocol: ==udp][source-port: ==123]" | grep -q discard' ||
    fail "FlowSpec rule not on the router: $(ribr)"
M reconcile > "$tmp/rec" || fail "reconcile: $(cat "$tmp/rec")"
grep -q "0 missing .* 0 left over$" "$tmp/rec" || fail "reconcile does not see the FlowSpec rule in ExaBGP: $(cat "$tmp/rec")"

# ExaBGP restarted: the routes given through its API are gone with it;
# reconcile reports them missing and, with --yes, announces them again.
kill "$exa"; wait "$exa" 2>/dev/null; exa=
until_r '[ -z "$(rib ipv4-flowspec | jq -r "keys[]")" ]' || fail "the router kept the rule of a stopped ExaBGP"
K action "$id" block lifted > /dev/null 2> "$tmp/err" && fail "lifted with no ExaBGP"
grep -q "nothing reads $pipe" "$tmp/err" || fail "no-ExaBGP failure unclear: $(cat "$tmp/err")"
M reconcile > "$tmp/rec" 2> "$tmp/err" && fail "reconcile with no ExaBGP succeeded"
grep -q "nothing reads $pipe" "$tmp/err" || fail "reconcile's failure unclear: $(cat "$tmp/err")"
grep -q "^0 confirmed, 0 expired, 0 lifted, 0 gone, 0 missing (0 announced again), 0 left over$" "$tmp/rec" ||
    fail "a failed reconcile printed counts it never made: $(cat "$tmp/rec")"
M list --json | jq -e '.announcements | length == 1 and .[0].state == "withdrawing"' > /dev/null || fail "failed withdrawal not journaled: $(M list --json)"
start_exabgp
established || fail "exabgp restarted did not peer"
M reconcile --yes > "$tmp/rec" || fail "reconcile after restart: $(cat "$tmp/rec")"
grep -q "1 gone" "$tmp/rec" || fail "the half-withdrawn rule not settled: $(cat "$tmp/rec")"
K action "$id" rtbh taken --yes > /dev/null || fail "rtbh taken again"
until_r 'rib ipv4 | jq -e "$bh" > /dev/null' || fail "rtbh not on the router"
kill "$exa"; wait "$exa" 2>/dev/null; exa=
start_exabgp
established || fail "exabgp restarted twice did not peer"
M reconcile > "$tmp/rec" || fail "reconcile (report) after restart"
grep -q "^missing .*rtbh 203.0.113.10/32" "$tmp/rec" || fail "the lost route not reported missing: $(cat "$tmp/rec")"
M reconcile --yes > "$tmp/rec" || fail "reconcile --yes after restart: $(cat "$tmp/rec")"
grep -q "1 missing (1 announced again)" "$tmp/rec" || fail "not announced again: $(cat "$tmp/rec")"
until_r 'rib ipv4 | jq -e "$bh" > /dev/null' || fail "the route announced again is not on the router: $(ribr)"
K action "$id" rtbh lifted > /dev/null || fail "rtbh lifted"
until_r '[ -z "$(rib ipv4 | jq -r "keys[]")" ]' || fail "routes left on the router: $(ribr)"
M reconcile > "$tmp/rec" || fail "final reconcile"
grep -q "^0 confirmed, 0 expired, 0 lifted, 0 gone, 0 missing (0 announced again), 0 left over$" "$tmp/rec" ||
    fail "reconcile did not settle: $(cat "$tmp/rec")"
echo "mitigation_exabgp: ok"
