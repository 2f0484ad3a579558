#!/bin/bash
# rdap.sh -- `kyocho lookup` of URLs and host names: a real NSD on a
# loopback port serves the phishing host's A/AAAA records (and the
# Team-Cymru/abusix zones the address lookups ask); the registered domain
# comes from the system's Public Suffix List (libpsl); a local RDAP server
# (tests/e2e/rdap_server.py, python3's http.server, named as http:// by
# the test's own bootstrap files) answers domain and ip queries shaped like
# registrars' and RIRs', and hostile ones: escape sequences, a 10 MB body,
# a redirect to another host, a redirect loop, a slow answer, not JSON,
# deep nesting. 1,000 names are looked up within rdap-rate (counted in the
# server's log). No query leaves the machine: the bootstrap files name
# only the local server.
# Env: KYOCHO (binary), B (build dir), SRCDIR.
set -u
: "${KYOCHO:?}" "${B:?}" "${SRCDIR:?}"
command -v nsd >/dev/null || { echo "rdap.sh: nsd is not installed (make deps-test)"; exit 1; }
command -v jq >/dev/null || { echo "rdap.sh: jq is not installed (make deps-test)"; exit 1; }

T=$(mktemp -d)
NSD_PID= RS_PID=
cleanup() {
	[ -n "$RS_PID" ] && kill "$RS_PID" 2>/dev/null && wait "$RS_PID" 2>/dev/null
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
. "$SRCDIR/tests/e2e/nsd.inc"
PORT=$(free_port) || { echo "rdap.sh: no free port"; exit 1; }
RPORT=$(free_port) || { echo "rdap.sh: no free port"; exit 1; }

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
# 1000 names of 20 registered domains (bulkN.test), on 10 addresses.
for d in $(seq 0 19); do
	printf '$ORIGIN bulk%d.test.\n$TTL 300\n%s\n' "$d" "$soa" >"$T/bulk$d.zone"
done
for i in $(seq 0 999); do
	printf 'h%d A 192.0.2.%d\n' "$i" $((100 + i % 10)) >>"$T/bulk$((i % 20)).zone"
done
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
nsd_conf "$T" "$PORT" phish-bank.test:phish $(for d in $(seq 0 19); do printf 'bulk%d.test:bulk%d ' $d $d; done) \
    origin.asn.cymru.com:origin \
    origin6.asn.cymru.com:origin6 asn.cymru.com:asn \
    abuse-contacts.abusix.zone:abuse
nsd_start "$T"

python3 "$SRCDIR/tests/e2e/rdap_server.py" "$RPORT" "$T/rdap.log" 2>"$T/rdap.err" &
RS_PID=$!
# RFC 9224 bootstrap files naming only the local server.
R="http://127.0.0.1:$RPORT/"
printf '{"version":"1.0","publication":"2025-01-01T00:00:00Z","services":[[["test"],["%s"]]]}\n' "$R" >"$T/dns.json"
printf '{"version":"1.0","services":[[["192.0.2.0/24"],["%s"]]]}\n' "$R" >"$T/ipv4.json"
printf '{"version":"1.0","services":[[["2001:db8::/32"],["%s"]]]}\n' "$R" >"$T/ipv6.json"

DNS=(--dns.server "127.0.0.1:$PORT" --dns.timeout 1500)
RDAP=(--rdap-bootstrap "$T/dns.json" --rdap-bootstrap-ipv4 "$T/ipv4.json"
    --rdap-bootstrap-ipv6 "$T/ipv6.json" --rdap-timeout 1500 --rdap-rate 6000)
lk() { "$KYOCHO" lookup --data "$SRCDIR/data" "${DNS[@]}" "${RDAP[@]}" "$@"; }
for i in $(seq 100); do
	lk --json --no-rdap login.phish-bank.test 2>/dev/null | grep -q 192.0.2.5 &&
	    curl -s "${R}domain/phish-bank.test" | grep -q registrar && break
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

# --- RDAP: registrar, its abuse desk, the RIR's abuse desk ----------------
out=$(lk --json "$URL")
eq "registrar name" "$(jq -r '.[0].registration.registrar' <<<"$out")" 'Example Registrar, Inc.'
eq "registrar abuse e-mail (abuse entity inside the registrar)" \
    "$(jq -r '.[0].registration.abuse_email' <<<"$out")" abuse@registrar.example
eq "registrar abuse phone (not the fax)" "$(jq -r '.[0].registration.abuse_phone' <<<"$out")" +1.5555551212
eq "IANA registrar ID" "$(jq -r '.[0].registration.registrar_iana_id' <<<"$out")" 9999
eq "creation date" "$(jq -r '.[0].registration.created' <<<"$out")" 2024-11-02T09:15:00Z
eq "name servers (lower case)" "$(jq -r '.[0].registration.nameservers | join(" ")' <<<"$out")" \
    'ns1.hosting.example ns2.hosting.example'
eq "registration source" "$(jq -r '.[0].registration.source' <<<"$out")" "${R}domain/phish-bank.test"
case $(jq -r '.[0].registration.at' <<<"$out") in
20[0-9][0-9]-*Z) pass "registration time";; *) fail "registration time missing";; esac
eq "RIR abuse when DNS gave none (nested in the org entity)" \
    "$(jq -r '.[0].addresses[] | select(.addr == "192.0.2.7") | "\(.abuse[0]) \(.abuse_source)"' <<<"$out")" \
    "abuse@rir-hosting.example rdap:${R}ip/192.0.2.7"
eq "no RDAP ip query where DNS gave abuse" \
    "$(jq -r '.[0].addresses[] | select(.addr == "192.0.2.5") | .rdap' <<<"$out")" null
eq "RIR 404 reported" "$(jq -r '.[0].addresses[] | select(.addr == "2001:db8::5") | .rdap.status' <<<"$out")" not-found
txt=$(lk "$URL")
grep -q 'registrar   Example Registrar, Inc. (IANA 9999)' <<<"$txt" && pass "registrar in text" ||
    fail "registrar not in text: $txt"
grep -q 'abuse       abuse@rir-hosting.example \[rdap:' <<<"$txt" && pass "RIR abuse in text" ||
    fail "RIR abuse not in text: $txt"
out=$(lk --json --no-rdap "$URL")
eq "--no-rdap: no registration" "$(jq -r '.[0].registration' <<<"$out")" null
out=$(lk --json --no-rdap --no-dns "$URL")
eq "--no-dns --no-rdap: offline, still the domain" "$(jq -r '.[0].registered_domain' <<<"$out")" phish-bank.test
out=$(lk --json --no-dns login.example.com)
eq "no bootstrap entry: reported" "$(jq -r '.[0].registration.status' <<<"$out")" no-server

# --- hostile answers ---------------------------------------------------------
no_controls() {
	if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' <<<"$2"; then
		fail "$1: control characters reached the output"
	else pass "$1"; fi
}
out=$(lk --json --no-dns www.evil-esc.test); rc=$?
eq "escape sequences: exit 0" "$rc" 0
no_controls "escape sequences (json)" "$out"
eq "escape sequences: name sanitized" "$(jq -r '.[0].registration.registrar' <<<"$out")" \
    'Evil?[31m Registrar?]0;pwned?'
eq "bad e-mail dropped" "$(jq -r '.[0].registration.abuse_email' <<<"$out")" null
eq "bad date dropped" "$(jq -r '.[0].registration.created' <<<"$out")" null
eq "name servers bounded" "$(jq -r '.[0].registration.nameservers | length' <<<"$out")" 13
[ "$(jq -r '.[0].registration.cut' <<<"$out")" -ge 4 ] && pass "cut items counted" || fail "cut not counted: $out"
out=$(lk --no-dns www.evil-esc.test)
no_controls "escape sequences (text)" "$out"

out=$(lk --json --no-dns huge.test)
eq "10 MB body cut" "$(jq -r '.[0].registration.status' <<<"$out")" too-big
out=$(lk --json --no-dns redirect-away.test)
eq "redirect to another host refused" "$(jq -r '.[0].registration.status' <<<"$out")" redirect-refused
grep -q '127.0.0.2' <<<"$(jq -r '.[0].registration.error' <<<"$out")" && pass "refused redirect named" ||
    fail "redirect target not named: $out"
out=$(lk --json --no-dns redirect-same.test)
eq "redirect on the same server followed" "$(jq -r '.[0].registration.registrar' <<<"$out")" 'Example Registrar, Inc.'
out=$(lk --json --no-dns loop.test)
eq "redirect loop stopped" "$(jq -r '.[0].registration.status' <<<"$out")" redirect-refused
out=$(lk --json --no-dns notjson.test)
eq "not JSON" "$(jq -r '.[0].registration.status' <<<"$out")" bad-answer
out=$(lk --json --no-dns deep.test)
eq "deep nesting" "$(jq -r '.[0].registration.status' <<<"$out")" bad-answer
s0=$(date +%s)
out=$(timeout 30 "$KYOCHO" lookup --data "$SRCDIR/data" "${RDAP[@]}" --rdap-timeout 1000 --json --no-dns slow.test)
rc=$?
eq "slow answer: no hang" "$rc" 0
eq "slow answer: timeout" "$(jq -r '.[0].registration.status' <<<"$out")" timeout

# --- 1,000 names within rdap-rate ----------------------------------------------
: >"$T/rdap.log"
names=$(for i in $(seq 0 999); do printf 'h%d.bulk%d.test ' "$i" $((i % 20)); done)
RATE=300	# per minute: one query every 200 ms
out=$("$KYOCHO" lookup --data "$SRCDIR/data" "${DNS[@]}" "${RDAP[@]}" --rdap-rate $RATE \
    --dns.rate 500 --json $names) || fail "bulk lookup exited non-zero"
eq "bulk: every name answered" "$(jq '[.[] | select((.addresses | length) == 1)] | length' <<<"$out")" 1000
eq "bulk: every registrar" "$(jq '[.[] | select(.registration.registrar != null)] | length' <<<"$out")" 1000
n=$(wc -l <"$T/rdap.log")
# 20 domains and one RIR range (10 addresses in 192.0.2.0/24): 21 queries.
eq "bulk: one query per domain and per RIR range" "$n" 21
# No two queries closer than 60000/RATE ms (less 10 ms of clock slack).
awk -v gap=$((60000 / RATE - 10)) 'NR > 1 && ($1 - p) * 1000 < gap { bad++ } { p = $1 }
    END { exit bad > 0 }' "$T/rdap.log" && pass "bulk: within rdap-rate" ||
    fail "bulk: queries closer than rdap-rate allows: $(head -5 "$T/rdap.log")"

# Plain address arguments keep their old JSON shape.
out=$(lk --json 192.0.2.5)
eq "address argument shape" "$(jq -r '.[0] | "\(.kind) \(.addr) \(.asn)"' <<<"$out")" 'addr 192.0.2.5 64501'

echo "rdap.sh: $fails failed"
[ "$fails" = 0 ]
