#!/bin/bash
# rdap.sh -- `kyocho lookup` of URLs and host names: a real NSD on a
# loopback port serves the phishing host's A/AAAA records (and the
# Team-Cymru/abusix zones the address lookups ask); the registered domain
# comes from the system's Public Suffix List (libpsl).
# Env: KYOCHO (binary), B (build dir), SRCDIR.
set -u
: "${KYOCHO:?}" "${B:?}" "${SRCDIR:?}"
command -v nsd >/dev/null || { echo "rdap.sh: nsd is not installed (make deps-test)"; exit 1; }
command -v jq >/dev/null || { echo "rdap.sh: jq is not installed (make deps-test)"; exit 1; }

T=$(mktemp -d)
NSD_PID=
cleanup() {
	[ -n "$NSD_PID" ] && kill "$NSD_PID" 2>/dev/null && wait "$NSD_PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
pass() { echo "ok: $*"; }
eq() {	# DESCRIPTION GOT WANT
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$2', want '$3'"; fi
}

. "$SRCDIR/tests/e2e/port.inc"
PORT=$(free_port) || { echo "rdap.sh: no free port"; exit 1; }

soa='@ SOA ns.test. hostmaster.test. 1 3600 600 86400 60
@ NS ns.test.'
cat >"$T/phish.zone" <<Z
\$ORIGIN phish-bank.test.
\$TTL 300
$soa
login A 192.0.2.5
login A 192.0.2.7
login AAAA 2001:db8::5
mail CNAME login
v4only A 192.0.2.7
Z
# 1000 names of 20 registered domains, on 10 addresses.
{
	printf '$ORIGIN bulk.test.\n$TTL 300\n%s\n' "$soa"
	for i in $(seq 0 999); do
		printf 'h%d.d%d A 192.0.2.%d\n' "$i" $((i % 20)) $((100 + i % 10))
	done
} >"$T/bulk.zone"
cat >"$T/origin.zone" <<Z
\$ORIGIN origin.asn.cymru.com.
\$TTL 300
$soa
5.2.0.192 TXT "64501 | 192.0.2.0/24 | RU | ripencc | 2001-01-01"
7.2.0.192 TXT "64501 | 192.0.2.0/24 | RU | ripencc | 2001-01-01"
Z
cat >"$T/origin6.zone" <<Z
\$ORIGIN origin6.asn.cymru.com.
\$TTL 300
$soa
5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2 TXT "64511 | 2001:db8::/32 | JP | apnic | 2000-01-01"
Z
cat >"$T/asn.zone" <<Z
\$ORIGIN asn.cymru.com.
\$TTL 300
$soa
AS64501 TXT "64501 | RU | ripencc | 2001-01-01 | EXAMPLE-RU Example Hosting, RU"
Z
cat >"$T/abuse.zone" <<Z
\$ORIGIN abuse-contacts.abusix.zone.
\$TTL 300
$soa
5.2.0.192 TXT "abuse@hosting.example"
Z
cat >"$T/nsd.conf" <<C
server:
	ip-address: 127.0.0.1@$PORT
	port: $PORT
	username: ""
	chroot: ""
	zonesdir: "$T"
	database: ""
	pidfile: "$T/nsd.pid"
	xfrdfile: "$T/xfrd.state"
	zonelistfile: "$T/zone.list"
	logfile: "$T/nsd.log"
	server-count: 1
	verbosity: 1
	hide-version: yes
remote-control:
	control-enable: no
C
for z in phish-bank.test:phish bulk.test:bulk origin.asn.cymru.com:origin \
    origin6.asn.cymru.com:origin6 asn.cymru.com:asn \
    abuse-contacts.abusix.zone:abuse; do
	printf 'zone:\n\tname: "%s"\n\tzonefile: "%s.zone"\n' "${z%%:*}" "${z##*:}" >>"$T/nsd.conf"
done
nsd -d -c "$T/nsd.conf" >>"$T/nsd.out" 2>&1 &
NSD_PID=$!

DNS=(--dns.server "127.0.0.1:$PORT" --dns.timeout 1500)
lk() { "$KYOCHO" lookup --data "$SRCDIR/data" "${DNS[@]}" "$@"; }
for i in $(seq 100); do
	lk --json --no-rdap login.phish-bank.test 2>/dev/null | grep -q 192.0.2.5 && break
	lk --json login.phish-bank.test 2>/dev/null | grep -q 192.0.2.5 && break
	sleep 0.1
done

# --- a URL: host, addresses, registered domain -----------------------------
URL='https://www.bank.example@login.phish-bank.test:8443/jp/login.php?id=1'
out=$(lk --json "$URL") || fail "lookup of a URL exited non-zero"
eq "host of a URL (past the userinfo trick)" "$(jq -r '.[0].host' <<<"$out")" login.phish-bank.test
eq "registered domain from the PSL" "$(jq -r '.[0].registered_domain' <<<"$out")" phish-bank.test
eq "defanged URL" "$(jq -r '.[0].url_defanged' <<<"$out")" \
    'hxxps://www[.]bank[.]example@login[.]phish-bank[.]test:8443/jp/login.php?id=1'
eq "A and AAAA addresses" "$(jq -r '[.[0].addresses[].addr] | sort | join(" ")' <<<"$out")" \
    '192.0.2.5 192.0.2.7 2001:db8::5'
eq "AS of a resolved address" "$(jq -r '.[0].addresses[] | select(.addr == "192.0.2.5") | .asn' <<<"$out")" 64501
eq "country of a resolved address" "$(jq -r '.[0].addresses[] | select(.addr == "2001:db8::5") | .country' <<<"$out")" JP
eq "abuse of a resolved address (dns)" "$(jq -r '.[0].addresses[] | select(.addr == "192.0.2.5") | "\(.abuse[0]) \(.abuse_source)"' <<<"$out")" \
    'abuse@hosting.example dns'
eq "resolution source" "$(jq -r '.[0].resolved.source' <<<"$out")" dns
case $(jq -r '.[0].resolved.at' <<<"$out") in
20[0-9][0-9]-*Z) pass "resolution time";; *) fail "resolution time missing";; esac

# A CNAME is followed; AAAA NODATA is reported, not an error.
out=$(lk --json mail.phish-bank.test v4only.phish-bank.test)
eq "CNAME followed" "$(jq -r '[.[0].addresses[].addr] | sort | join(" ")' <<<"$out")" '192.0.2.5 192.0.2.7 2001:db8::5'
eq "AAAA nodata" "$(jq -r '.[1].resolved.aaaa' <<<"$out")" nodata
eq "shared address looked up once, shown for both" \
    "$(jq -r '[.[].addresses[] | select(.addr == "192.0.2.7")] | length' <<<"$out")" 2

# Multi-label public suffixes come from the real list, not a guess.
out=$(lk --json --no-dns login.phish-bank.co.uk www.city.chiyoda.tokyo.jp)
eq "co.uk from the PSL" "$(jq -r '.[0].registered_domain' <<<"$out")" phish-bank.co.uk
eq "tokyo.jp wildcard rules from the PSL" "$(jq -r '.[1].registered_domain' <<<"$out")" city.chiyoda.tokyo.jp
eq "--no-dns: nothing resolved" "$(jq -r '.[0].addresses | length' <<<"$out")" 0

# Defanged input is taken; text output is defanged; bad input refused.
out=$(lk --no-dns 'hxxps://login[.]phish-bank[.]test/x')
grep -qF 'hxxps://login[.]phish-bank[.]test/x' <<<"$out" && pass "defanged in, defanged out" ||
    fail "text output not defanged: $out"
grep -q 'phish-bank\.test' <<<"$out" && fail "a clickable name in text output: $out" || pass "no clickable name"
err=$(lk --no-dns 'https://ログイン.example/' 2>&1); rc=$?
eq "non-ASCII host refused (usage)" "$rc" 2
grep -q 'xn--' <<<"$err" && pass "IDN refusal says what to give" || fail "IDN message: $err"
err=$(lk --no-dns $'https://evil\e[31m.example/' 2>&1); rc=$?
eq "control character refused" "$rc" 2
LC_ALL=C grep -q $'\e' <<<"$err" && fail "escape echoed" || pass "escape not echoed"

# Plain address arguments keep their old JSON shape.
out=$(lk --json 192.0.2.5)
eq "address argument shape" "$(jq -r '.[0] | "\(.kind) \(.addr) \(.asn)"' <<<"$out")" 'addr 192.0.2.5 64501'

echo "rdap.sh: $fails failed"
[ "$fails" = 0 ]
