#!/bin/bash
# dns.sh -- enrichment over real DNS: NSD (Debian's nsd) serves PTR,
# Team-Cymru-format and abusix-format zones on a loopback port; kyocho
# lookup and build/tools/dnsprobe ask it. Checks answers, the most specific
# origin, multi-string TXT, caching (answers survive the server's death
# within their TTL and not after), NXDOMAIN/NODATA/SERVFAIL, timeouts and
# refusals, hostile TXT/PTR (control characters, escape sequences, wrong
# field count, non-numeric or out-of-range AS, over-long records, answers
# over 512 bytes that need TCP), and a loop that keeps ticking while
# hundreds of questions wait on a resolver that never answers.
# Env: KYOCHO (binary), B (build dir), SRCDIR.
set -u
: "${KYOCHO:?}" "${B:?}" "${SRCDIR:?}"
PROBE=$B/tools/dnsprobe
command -v nsd >/dev/null || { echo "dns.sh: nsd is not installed (make deps-test)"; exit 1; }
[ -x "$PROBE" ] || { echo "dns.sh: $PROBE missing (make all)"; exit 1; }

T=$(mktemp -d)
NSD_PID= BH_PID= SP_PID=
cleanup() {
	[ -n "$SP_PID" ] && kill "$SP_PID" 2>/dev/null && wait "$SP_PID" 2>/dev/null
	[ -n "$NSD_PID" ] && kill "$NSD_PID" 2>/dev/null && wait "$NSD_PID" 2>/dev/null
	[ -n "$BH_PID" ] && kill "$BH_PID" 2>/dev/null && wait "$BH_PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
pass() { echo "ok: $*"; }

. "$SRCDIR/tests/e2e/port.inc"
. "$SRCDIR/tests/e2e/nsd.inc"
PORT=$(free_port) || { echo "dns.sh: no free port"; exit 1; }
BHPORT=$(free_port) || { echo "dns.sh: no free port"; exit 1; }

# 250 bytes of 'a', for over-long TXT strings.
A250=$(printf 'a%.0s' $(seq 250))
# A valid but long abuse list (answer over 512 bytes: c-ares retries on TCP).
# Several strings of 8 addresses each (a TXT string holds 255 bytes).
LONGLIST=$(for i in $(seq 1 24); do printf 'abuse-desk-%02d@example.net,' "$i"
	[ $((i % 8)) = 0 ] && printf '" "'; done)
LONGLIST=${LONGLIST%\" \"}

soa='@ SOA ns.test. hostmaster.test. 1 3600 600 86400 60
@ NS ns.test.'
cat >"$T/rev4.zone" <<Z
\$ORIGIN 2.0.192.in-addr.arpa.
\$TTL 300
$soa
5 PTR host5.example.net.
6 PTR evil\\027[31m.example.net.
12 2 PTR short-ttl.example.net.
Z
cat >"$T/rev6.zone" <<Z
\$ORIGIN 8.b.d.0.1.0.0.2.ip6.arpa.
\$TTL 300
$soa
5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0 PTR host6.example.net.
Z
cat >"$T/origin.zone" <<Z
\$ORIGIN origin.asn.cymru.com.
\$TTL 300
$soa
5.2.0.192 TXT "64501 | 192.0.2.0/24 | RU | ripencc | 2001-01-01"
5.2.0.192 TXT "64509 64510 | 192.0.2.0/26 | RU | ripencc | 2010-01-01"
6.2.0.192 TXT "64501\\027[31m | 192.0.2.0/24 | RU | ripencc | 2001-01-01"
7.2.0.192 TXT "64501 | 192.0.2.0/24"
8.2.0.192 TXT "AS-EVIL | 192.0.2.0/24 | RU | ripencc | 2001-01-01"
8.2.0.192 TXT "64501 | 10.0.0.0/8 | RU | ripencc | 2001-01-01"
10.2.0.192 A 127.0.0.1
11.2.0.192 TXT "64512 | 192.0.2.0/2" "4 | DE | ripencc | 2001-01-01"
12.2.0.192 2 TXT "64513 | 192.0.2.0/24 | US | arin | 2001-01-01"
13.2.0.192 TXT "4294967296 | 192.0.2.0/24 | US | arin | 2001-01-01"
14.2.0.192 TXT "64514 | 192.0.2.0/24 | USA | arin | 2001-01-01"
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
AS64509 TXT "64509 | RU | ripencc | 2010-01-01 | EXAMPLE-RU Example Telecom, RU"
AS64511 TXT "64511 | JP | apnic | 2000-01-01 | EXAMPLE-JP \\027]0;owned\\007 Example"
AS64512 TXT "64599 | DE | ripencc | 2001-01-01 | WRONG-AS"
Z
cat >"$T/abuse.zone" <<Z
\$ORIGIN abuse-contacts.abusix.zone.
\$TTL 300
$soa
5.2.0.192 TXT "abuse@example.net"
5.2.0.192 TXT "noc@example.net,abuse@example.net"
6.2.0.192 TXT "evil\\027]0;pwned\\007@example.net"
7.2.0.192 TXT "$A250" "$A250" "$A250" "$A250" "$A250"
11.2.0.192 TXT "not an address, abuse@example.org"
15.2.0.192 TXT "$LONGLIST"
15.2.0.192 TXT "$LONGLIST"
5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2 TXT "abuse6@example.net"
Z
# A zone NSD is told to serve but cannot load: it answers SERVFAIL.
printf 'this is ( not a zone\n' >"$T/broken.zone"
# The same origin data under a NOC's own mirror name.
sed 's/^\$ORIGIN origin.asn.cymru.com./$ORIGIN origin.mirror.example./' \
    "$T/origin.zone" >"$T/mirror.zone"

nsd_conf "$T" "$PORT" 2.0.192.in-addr.arpa:rev4 8.b.d.0.1.0.0.2.ip6.arpa:rev6 \
    origin.asn.cymru.com:origin origin6.asn.cymru.com:origin6 \
    asn.cymru.com:asn abuse-contacts.abusix.zone:abuse \
    broken.example:broken origin.mirror.example:mirror

start_nsd() {
	nsd_start "$T"
	local i
	for i in $(seq 100); do
		if printf 'ptr 192.0.2.5\nwait\n' | "$PROBE" --dns.server \
		    "127.0.0.1:$PORT" --dns.timeout 300 2>/dev/null | grep -q host5; then
			return 0
		fi
		sleep 0.1
	done
	echo "dns.sh: nsd did not start:"; cat "$T/nsd.out" "$T/nsd.log" 2>/dev/null
	exit 1
}
stop_nsd() {
	kill "$NSD_PID" 2>/dev/null; wait "$NSD_PID" 2>/dev/null; NSD_PID=
}
start_nsd

DNS=(--dns.server "127.0.0.1:$PORT" --dns.timeout 1500)
# One address per call, so a grep on the pretty JSON is unambiguous.
lk() { "$KYOCHO" lookup --no-rdap --data "$SRCDIR/data" "${DNS[@]}" --json "$@"; }
has() {	# DESCRIPTION OUTPUT FIXED-STRING
	if grep -qF -- "$3" <<<"$2"; then pass "$1"; else fail "$1: no '$3' in:"; echo "$2" | sed 's/^/    /'; fi
}
hasnt() {
	if grep -qF -- "$3" <<<"$2"; then fail "$1: '$3' in:"; echo "$2" | sed 's/^/    /'; else pass "$1"; fi
}
no_controls() {	# DESCRIPTION OUTPUT
	if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' <<<"$2"; then
		fail "$1: control characters reached the output"
	else pass "$1"; fi
}

# --- answers -----------------------------------------------------------
out=$(lk 192.0.2.5)
has "PTR answer" "$out" '"ptr": "host5.example.net"'
has "most specific origin wins, several origin ASes" "$out" '"prefix": "192.0.2.0/26"'
has "origin AS list" "$out" '64509,'
has "second origin AS" "$out" '64510'
has "AS name from ASnnn.asn.cymru.com" "$out" '"as_name": "EXAMPLE-RU Example Telecom, RU"'
has "abuse contacts merged from two TXT records, deduplicated" "$out" '"noc@example.net"'
n=$(grep -c '"abuse@example.net"' <<<"$out")
[ "$n" = 1 ] && pass "abuse address listed once" || fail "abuse@example.net listed $n times"
# Offline data still decides asn/country (override for the demo range).
has "offline attribution beside DNS" "$out" '"asn_source": "override"'

out=$(lk 2001:db8::5)
has "IPv6 PTR" "$out" '"ptr": "host6.example.net"'
has "IPv6 origin (origin6 zone, nibbles)" "$out" '"prefix": "2001:db8::/32"'
has "IPv6 abuse" "$out" '"abuse6@example.net"'

out=$(lk 192.0.2.11)
has "TXT strings of one record are joined" "$out" '"prefix": "192.0.2.0/24"'
has "joined record's country" "$out" '"country": "DE"'
has "abuse: invalid entry dropped, valid kept" "$out" '"abuse@example.org"'
hasnt "abuse: junk entry not shown" "$out" 'not an address"'

out=$(lk 192.0.2.15)
has "answer over 512 bytes (TCP retry) parsed" "$out" '"abuse-desk-01@example.net"'

# --- negative answers ----------------------------------------------------
out=$(lk 192.0.2.9)
has "NXDOMAIN for PTR" "$out" '"ptr": "nxdomain"'
has "NXDOMAIN for origin" "$out" '"origin": "nxdomain"'
out=$(lk 192.0.2.10)
has "NODATA (name has only an A record)" "$out" '"origin": "nodata"'
out=$("$KYOCHO" lookup --no-rdap --data "$SRCDIR/data" "${DNS[@]}" --dns.cymru-zone broken.example --json 192.0.2.5)
has "SERVFAIL from a zone the server cannot load" "$out" '"origin": "servfail"'
out=$("$KYOCHO" lookup --no-rdap --data "$SRCDIR/data" "${DNS[@]}" --dns.cymru-zone not-served.example --json 192.0.2.5)
has "REFUSED for a zone the server does not serve" "$out" '"origin": "refused"'
out=$("$KYOCHO" lookup --no-rdap --data "$SRCDIR/data" "${DNS[@]}" --dns.cymru-zone origin.mirror.example --json 192.0.2.5)
has "configurable zone (a NOC's mirror)" "$out" '"prefix": "192.0.2.0/26"'

# --- hostile answers -----------------------------------------------------
out=$(lk 192.0.2.6)
no_controls "escape sequences in PTR/TXT never reach the output" "$out"
has "PTR with an escape sequence rejected" "$out" '"ptr": "bad-answer"'
has "origin with control characters in the AS rejected" "$out" '"origin": "bad-answer"'
has "abuse address with an escape sequence rejected" "$out" '"abuse": "bad-answer"'
out=$(lk 192.0.2.7)
has "wrong field count rejected" "$out" '"origin": "bad-answer"'
has "reason for the field count" "$out" '2 fields'
has "over-long TXT record rejected" "$out" '"abuse": "bad-answer"'
has "reason for the length" "$out" 'over 1024 bytes'
out=$(lk 192.0.2.8)
has "non-numeric AS and a prefix not holding the address rejected" "$out" '"origin": "bad-answer"'
out=$(lk 192.0.2.13)
has "AS number out of range rejected" "$out" '"origin": "bad-answer"'
out=$(lk 192.0.2.14)
has "three-letter country rejected" "$out" '"origin": "bad-answer"'

# AS names: sanitized, and a record for another AS refused.
probe() { "$PROBE" "${DNS[@]}" "$@"; }
out=$(printf 'asname 64511\nasname 64512\nwait\n' | probe)
no_controls "AS name sanitized" "$out"
has "AS name with controls made safe" "$out" 'asname AS64511 ok'
has "AS name answer for another AS refused" "$out" 'asname AS64512 bad-answer'

# --- caching -------------------------------------------------------------
# One long-lived resolver: ask, stop the server, ask again.
coproc PR { "$PROBE" "${DNS[@]}" --dns.timeout 600 2>&1; }
PRPID=$PR_PID
say() { echo "$1" >&"${PR[1]}"; }
readline() { local l; IFS= read -r -t 10 l <&"${PR[0]}" || l="(no line)"; echo "$l"; }
say "origin 192.0.2.5"; say "origin 192.0.2.12"; say "ptr 192.0.2.12"; say "wait"
first=$(for i in 1 2 3 4; do readline; done)
has "first answer from the server" "$first" 'origin 192.0.2.5 ok cached=0'
has "short-TTL record answered" "$first" 'origin 192.0.2.12 ok cached=0 ttl=2'
stop_nsd
say "origin 192.0.2.5"; say "wait"
second=$(for i in 1 2; do readline; done)
has "second answer from the cache with the server down" "$second" 'origin 192.0.2.5 ok cached=1'
sleep 3	# beyond the 2 s TTL, not the 300 s one
say "origin 192.0.2.12"; say "origin 192.0.2.5"; say "wait"
third=$(for i in 1 2 3; do readline; done)
has "an expired entry is asked again (server down: not ok)" "$third" 'origin 192.0.2.12 error'
has "an unexpired entry still served" "$third" 'origin 192.0.2.5 ok cached=1'
say "stats"
st=$(readline)
has "cache hits counted" "$st" 'cache_hits=2'
exec {PR[1]}>&-
wait "$PRPID" 2>/dev/null

# --- server down and a server that never answers ----------------------
out=$("$KYOCHO" lookup --no-rdap --data "$SRCDIR/data" --dns.server "127.0.0.1:$PORT" --dns.timeout 300 --json 192.0.2.5)
hasnt "server down: nothing claims ok" "$out" '"ptr": "ok'
has "server down: offline attribution still answers" "$out" '"asn": 64501'
# The black hole: reads every question, answers none (one process, no
# children, nothing on our stdout, so nothing outlives the trap).
perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(LocalAddr =>
    "127.0.0.1", LocalPort => $ARGV[0], Proto => "udp") or die "bind: $!";
    1 while defined $s->recv($b, 65535);' "$BHPORT" </dev/null >/dev/null 2>&1 &
BH_PID=$!
sleep 0.3
out=$("$KYOCHO" lookup --no-rdap --data "$SRCDIR/data" --dns.server "127.0.0.1:$BHPORT" --dns.timeout 300 --json 192.0.2.5)
has "silent server: PTR times out" "$out" '"ptr": "timeout"'
has "silent server: origin times out" "$out" '"origin": "timeout"'

# A forger: answers every question with the right ID but for another name.
SPPORT=$(free_port) || { echo "dns.sh: no free port"; exit 1; }
cat >"$T/forger.pl" <<'PL'
use strict; use warnings; use IO::Socket::INET;
my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => $ARGV[0],
    Proto => 'udp') or die "bind: $!";
my $q = join '', map { chr(length) . $_ } qw(evil example);
my $txt = '64666 | 0.0.0.0/0 | ZZ | x | y';
while (1) {
	my $from = $s->recv(my $buf, 4096) or next;
	next if length $buf < 12;
	my $ans = substr($buf, 0, 2) . pack('nnnnn', 0x8180, 1, 1, 0, 0)
	    . $q . "\0" . pack('nn', 16, 1)
	    . pack('nnnNn', 0xc00c, 16, 1, 300, length($txt) + 1) . chr(length $txt) . $txt;
	$s->send($ans, 0, $from);
}
PL
perl "$T/forger.pl" "$SPPORT" </dev/null >/dev/null 2>&1 &
SP_PID=$!
sleep 0.3
out=$("$KYOCHO" lookup --no-rdap --data "$SRCDIR/data" --dns.server "127.0.0.1:$SPPORT" --dns.timeout 500 --json 192.0.2.5)
# c-ares drops it (the question differs) and the question times out; if a
# c-ares let it through, dns.c's own check makes it a bad-answer.
if grep -qE '"origin": "(timeout|bad-answer)"' <<<"$out"; then
	pass "an answer to another question is not taken"
else fail "forged answer: $out"; fi
hasnt "nothing from the forged answer is shown" "$out" '64666'
kill "$SP_PID" 2>/dev/null; wait "$SP_PID" 2>/dev/null; SP_PID=

# kyocho lookup itself with 200 addresses against the black hole: it
# gives up at its deadline and still answers every address offline.
addrs=$(for i in $(seq 1 200); do echo "192.0.2.$((i % 250))"; done)
out=$("$KYOCHO" lookup --no-rdap --data "$SRCDIR/data" --dns.server "127.0.0.1:$BHPORT" --dns.timeout 300 --dns.rate 200 --json $addrs)
rc=$?
n=$(grep -c '"addr":' <<<"$out")
[ $rc = 0 ] && [ "$n" = 200 ] && pass "lookup of 200 addresses against a silent server ends, all answered offline" \
    || fail "lookup of 200 addresses: rc=$rc, $n objects"
hasnt "nothing claims an answer from the silent server" "$out" '"ok'
has "its questions reported as timed out" "$out" '"origin": "timeout"'

# Hundreds outstanding against the black hole; the 10 ms loop keeps ticking.
out=$(printf 'stress 600 2000\n' | "$PROBE" --dns.server "127.0.0.1:$BHPORT" --dns.rate 1000 --dns.timeout 5000)
echo "   $out"
read -r ticks expect gap outst sent < <(sed -E 's/.*ticks=([0-9]+) expect=([0-9]+) maxgap_ms=([0-9]+) outstanding=([0-9]+) sent=([0-9]+).*/\1 \2 \3 \4 \5/' <<<"$out")
if [ -z "${outst:-}" ]; then
	fail "stress: no result line"
else
	[ "$outst" -ge 300 ] && pass "hundreds still outstanding ($outst)" || fail "only $outst outstanding"
	[ "$ticks" -ge $((expect / 2)) ] && pass "loop kept its 10 ms frames ($ticks of $expect)" \
	    || fail "loop starved: $ticks of $expect frames"
	[ "$gap" -le 100 ] && pass "longest gap between frames ${gap} ms" || fail "a frame waited ${gap} ms"
	[ "$sent" = 64 ] && pass "at most 64 questions in flight" || fail "$sent questions sent to a silent server"
fi
# The rate limit: 20 per second for one second is about 40 (a full bucket
# at the start, then the refill), never the 600 asked.
out=$(printf 'stress 600 1000\n' | "$PROBE" --dns.server "127.0.0.1:$BHPORT" --dns.rate 20 --dns.timeout 5000)
sent=$(sed -nE 's/.* sent=([0-9]+).*/\1/p' <<<"$out")
[ -n "$sent" ] && [ "$sent" -ge 20 ] && [ "$sent" -le 45 ] && pass "dns.rate 20/s: $sent sent in 1 s" ||
    fail "dns.rate 20/s: '$out'"

[ "$fails" = 0 ] || { echo "dns.sh: $fails checks failed"; exit 1; }
echo "dns.sh: all checks passed"
