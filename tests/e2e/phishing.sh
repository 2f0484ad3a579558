#!/bin/bash
# phishing.sh -- a phishing incident from the URL to the takedown, on the
# command line (issue 14): a real NSD on a loopback port serves the site's
# A/AAAA records and the Team-Cymru/abusix zones, and the local RDAP
# server of rdap.sh (tests/e2e/rdap_server.py, named by the test's own
# bootstrap files) the registrar and the RIR's abuse desk; kyocho incident
# new --url resolves and journals them (defanged wherever shown), ranks the
# hosting abuse desks first and the registrar's after them, drafts the
# takedown request to the hosting
# desk, logs the report and the reply, notices the host no longer
# resolving (a takedown), and the report and list --json give the clock.
# Env: KYOCHO (binary), B (build dir), SRCDIR.
set -u
: "${KYOCHO:?}" "${B:?}" "${SRCDIR:?}"
command -v nsd >/dev/null || { echo "phishing.sh: nsd is not installed (make deps-test)"; exit 1; }
command -v jq >/dev/null || { echo "phishing.sh: jq is not installed (make deps-test)"; exit 1; }

T=$(mktemp -d)
NSD_PID= RS_PID=
stop_nsd() {
	[ -n "$NSD_PID" ] && kill "$NSD_PID" 2>/dev/null && wait "$NSD_PID" 2>/dev/null
	NSD_PID=
}
cleanup() {
	stop_nsd
	[ -n "$RS_PID" ] && kill "$RS_PID" 2>/dev/null && wait "$RS_PID" 2>/dev/null
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
PORT=$(free_port) || { echo "phishing.sh: no free port"; exit 1; }
RPORT=$(free_port) || { echo "phishing.sh: no free port"; exit 1; }

soa='@ SOA ns.test. hostmaster.test. 1 3600 600 86400 60
@ NS ns.test.'
phish_zone() {	# with the login host (1) or without it (0)
	{
		printf '$ORIGIN phish-bank.test.\n$TTL 1\n%s\n' "$soa"
		if [ "$1" = 1 ]; then
			echo 'login A 198.51.100.7'
			echo 'login AAAA 2001:db8:400::10'
		fi
		echo 'www A 198.51.100.8'
	} >"$T/phish.zone"
}
phish_zone 1
cat >"$T/origin.zone" <<Z
\$ORIGIN origin.asn.cymru.com.
\$TTL 300
$soa
7.100.51.198 TXT "64500 | 198.51.100.0/24 | BR | lacnic | 2001-01-01"
Z
cat >"$T/origin6.zone" <<Z
\$ORIGIN origin6.asn.cymru.com.
\$TTL 300
$soa
0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.4.0.8.b.d.0.1.0.0.2 TXT "64505 | 2001:db8:400::/40 | RU | ripencc | 2001-01-01"
Z
cat >"$T/asn.zone" <<Z
\$ORIGIN asn.cymru.com.
\$TTL 300
$soa
AS64500 TXT "64500 | BR | lacnic | 2001-01-01 | EXEMPLO Exemplo Hospedagem, BR"
AS64505 TXT "64505 | RU | ripencc | 2001-01-01 | EXAMPLE-RU-HOST\\027[31m Example Hosting, RU"
Z
cat >"$T/abuse.zone" <<Z
\$ORIGIN abuse-contacts.abusix.zone.
\$TTL 300
$soa
7.100.51.198 TXT "abuse@br.example.net"
Z
start_nsd() {
	nsd_conf "$T" "$PORT" phish-bank.test:phish origin.asn.cymru.com:origin \
	    origin6.asn.cymru.com:origin6 asn.cymru.com:asn \
	    abuse-contacts.abusix.zone:abuse
	nsd_start "$T"
	for i in $(seq 100); do
		# (kyocho lookup of host names comes with the RDAP work; ask
		# for the reverse name the zones do not have: any answer will do.)
		printf 'origin 198.51.100.7\nwait\n' | "$B/tools/dnsprobe" \
		    "${DNS[@]}" 2>/dev/null | grep -q 64500 && return 0
		sleep 0.1
	done
	echo "phishing.sh: nsd did not start"; cat "$T/nsd.out" "$T/nsd.log"; exit 1
}
DNS=(--dns.server "127.0.0.1:$PORT" --dns.timeout 1500)
start_nsd

# The RDAP server, and RFC 9224 bootstrap files naming only it.
python3 "$SRCDIR/tests/e2e/rdap_server.py" "$RPORT" "$T/rdap.log" 2>"$T/rdap.err" &
RS_PID=$!
R="http://127.0.0.1:$RPORT/"
printf '{"version":"1.0","services":[[["test"],["%s"]]]}\n' "$R" >"$T/dns.json"
printf '{"version":"1.0","services":[[["198.51.100.0/24"],["%s"]]]}\n' "$R" >"$T/ipv4.json"
printf '{"version":"1.0","services":[[["2001:db8:400::/40"],["%s"]]]}\n' "$R" >"$T/ipv6.json"
for i in $(seq 100); do
	curl -s "${R}domain/phish-bank.test" | grep -q registrar && break
	sleep 0.1
done
DNS+=(--rdap-bootstrap "$T/dns.json" --rdap-bootstrap-ipv4 "$T/ipv4.json"
    --rdap-bootstrap-ipv6 "$T/ipv6.json" --rdap-timeout 3000 --rdap-rate 6000)

ST=$T/st
K() { "$KYOCHO" incident "$1" --state "$ST" --data "$SRCDIR/data" "${DNS[@]}" "${@:2}"; }
J() { jq -c "select(.type == \"$1\")" "$ST/incidents/$ID.jsonl"; }

# --- creation: the URL, host, brand, first seen, and the first lookup -------
URL='hxxps://login.phish-bank[.]test/jp/login.php'
ID=$(K new --kind phishing --url "$URL" --brand 'Example Bank' \
    --first-seen 2026-12-01T00:00:00Z --at 2026-12-01T01:00:00Z | head -1)
[ -n "$ID" ] || { echo "FAIL: no incident"; exit 1; }
eq "kind phishing means phishing-abroad" "$(J created | jq -r .kind)" phishing-abroad
eq "site: url as given (undefanged), host" "$(J site | jq -r '"\(.url) \(.host)"')" \
    'https://login.phish-bank.test/jp/login.php login.phish-bank.test'
eq "site: brand and first seen" "$(J site | jq -r '"\(.brand)|\(.first_seen)"')" \
    'Example Bank|2026-12-01T00:00:00Z'
eq "lookup: both addresses" "$(J lookup | jq -r '[.addrs[].addr] | sort | join(" ")')" \
    '198.51.100.7 2001:db8:400::10'
eq "lookup: AS, country, abuse of the v4 address" \
    "$(J lookup | jq -r '.addrs[] | select(.addr == "198.51.100.7") | "\(.asn) \(.cc) \(.abuse) \(.source)"')" \
    '64500 BR abuse@br.example.net dns A'
eq "lookup: the v6 address's AS and country" \
    "$(J lookup | jq -r '.addrs[] | select(.addr == "2001:db8:400::10") | "\(.asn) \(.cc)"')" '64505 RU'
J lookup | jq -r '.addrs[].as_name' | grep -q $'\e' && fail "an escape sequence from DNS reached the journal"
eq "lookup: where it came from" "$(J lookup | jq -r '.sources[0]')" "dns 127.0.0.1:$PORT"

# RDAP: the registered domain's registrar and its abuse desk; the RIR's
# abuse desk for the address DNS gave none for (and no query for the other).
eq "lookup: registered domain" "$(J lookup | jq -r .domain)" phish-bank.test
eq "lookup: registrar and its abuse desk" \
    "$(J lookup | jq -r '.registrar | "\(.name)|\(.id)|\(.abuse_email)|\(.abuse_phone)"')" \
    'Example Registrar, Inc.|9999|abuse@registrar.example|+1.5555551212'
eq "lookup: registrar's source" "$(J lookup | jq -r .registrar.source)" "rdap:${R}domain/phish-bank.test"
case $(J lookup | jq -r .registrar.at) in
20[0-9][0-9]-*Z) pass "lookup: registrar's time";; *) fail "lookup: registrar's time missing";; esac
eq "lookup: the RIR's abuse desk for the v6 address, and where from" \
    "$(J lookup | jq -r '.addrs[] | select(.addr == "2001:db8:400::10") | "\(.abuse)|\(.source)"')" \
    "abuse@hosting-ru.example.net|dns AAAA; abuse rdap:${R}ip/2001:db8:400::10"
grep -q '/ip/198.51.100.7' "$T/rdap.log" && fail "an RDAP ip query where DNS gave the abuse address"
eq "lookup: the RDAP query among the sources" "$(J lookup | jq -r '.sources[1]')" "rdap ${R}domain/phish-bank.test"

# Defanged wherever shown: show, list, list --json.
out=$(K show "$ID"; K list --at 2026-12-01T01:00:00Z; K list --json --at 2026-12-01T01:00:00Z)
grep -q 'phish-bank\.test' <<<"$out" && fail "a clickable host in show/list: $(grep 'phish-bank\.test' <<<"$out" | head -1)"
grep -q 'hxxps://login\[.\]phish-bank\[.\]test/jp/login.php' <<<"$out" && pass "the URL shows defanged" \
    || fail "defanged URL not shown"

# --- refresh: the same answer is no new evidence -----------------------------
K lookup "$ID" --at 2026-12-01T01:30:00Z | grep -q unchanged && pass "same answer: unchanged" || fail "same answer not seen as unchanged"
eq "still one lookup event" "$(J lookup | wc -l)" 1

# --- counterparts: hosting desks, then the hosting countries' CSIRTs ... ------
cp=$(K counterparts "$ID" --json --our-country JP --at 2026-12-01T01:00:00Z)
eq "first two: the hosting abuse desks" "$(jq -r '[.[0:2][].role] | join(" ")' <<<"$cp")" 'hosting hosting'
eq "hosting desks: both records" "$(jq -r '[.[0:2][].id] | sort | join(" ")' <<<"$cp")" \
    'example-br-hosting example-ru-hosting'
eq "then the registrar's abuse desk (its record, by the RDAP name)" \
    "$(jq -r '.[2] | "\(.role) \(.id)"' <<<"$cp")" 'registrar example-registrar'
eq "anti-phishing groups before our national CSIRT" \
    "$(jq -r '[.[] | select(.role == "anti-phishing" or .role == "national-csirt") | .role] | unique | length' <<<"$cp")" 2
ap=$(jq '[.[].role] | index("anti-phishing")' <<<"$cp"); nc=$(jq '[.[].role] | index("national-csirt")' <<<"$cp")
[ "$ap" -lt "$nc" ] && pass "APWG before JPCERT/CC" || fail "anti-phishing at $ap, national at $nc"
jq -e '.[] | select(.id == "example-national-csirt")' <<<"$cp" >/dev/null &&
    fail "the Mexican CSIRT is ranked for a site hosted in BR/RU"

# --- the takedown request to the hosting desk ---------------------------------
d=$(K draft "$ID" takedown-request --contact example-br-hosting --to abuse@br.example.net \
    --at 2026-12-01T02:00:00Z) || fail "draft failed"
dt=$(cat "$d")
grep -q '^To: abuse@br.example.net' <<<"$dt" && pass "draft addressed to the hosting desk" || fail "draft To:"
grep -q 'URL:        hxxps://login\[.\]phish-bank\[.\]test/jp/login.php' <<<"$dt" && pass "draft: defanged URL" || fail "draft URL: $(grep URL <<<"$dt")"
grep -q '198\[.\]51\[.\]100\[.\]7  AS64500 BR' <<<"$dt" && pass "draft: address with AS and country" || fail "draft addresses"
grep -q 'First seen: 2026-12-01 00:00:00 UTC' <<<"$dt" && pass "draft: first seen in UTC" || fail "draft first seen UTC"
grep -q '2026-11-30 21:00:00 America/Sao_Paulo (UTC-03:00) (your time)' <<<"$dt" && pass "draft: first seen in their zone" \
    || fail "draft first seen local: $(grep 'your time' <<<"$dt" | head -1)"
grep -q 'phish-bank\.test' <<<"$dt" && fail "a clickable host in the draft"
grep -q 'not recorded' <<<"$dt" && fail "the draft has unfilled fields: $(grep 'not recorded' <<<"$dt")"

# --- report, follow-up, reply -------------------------------------------------
K contact "$ID" attempt --channel email --contact example-br-hosting --at 2026-12-01T02:00:00Z
lj=$(K list --json --at 2026-12-01T05:00:00Z | jq -c ".[] | select(.id == \"$ID\") | .phishing")
# 02:00Z is Mon 23:00 in Sao Paulo: their office opens Tue 08:00 (11:00Z).
eq "follow-up due when their office opens" "$(jq -r .follow_up_due <<<"$lj")" 2026-12-01T11:00:00Z
eq "not due yet at 05:00Z" "$(jq -r .follow_up_due_now <<<"$lj")" false
eq "since first report" "$(jq -r .since_first_report_s <<<"$lj")" 10800
lj=$(K list --json --at 2026-12-01T12:00:00Z | jq -c ".[] | select(.id == \"$ID\") | .phishing")
eq "due at 12:00Z" "$(jq -r '"\(.follow_up_due_now) \(.follow_up_contact)"' <<<"$lj")" 'true example-br-hosting'
K list --at 2026-12-01T12:00:00Z | grep "$ID" | grep -q 'FOLLOW-UP DUE' && pass "list shows the due follow-up" || fail "list: no FOLLOW-UP DUE"
K contact "$ID" reply --channel email --contact example-br-hosting --text 'forwarded to the customer' \
    --at 2026-12-01T13:00:00Z
lj=$(K list --json --at 2026-12-01T14:00:00Z | jq -c ".[] | select(.id == \"$ID\") | .phishing")
eq "to first answer" "$(jq -r .to_first_answer_s <<<"$lj")" 39600
eq "answered: no follow-up" "$(jq -r .follow_up_due <<<"$lj")" null

# --- the host stops resolving: a takedown --------------------------------------
stop_nsd; phish_zone 0; start_nsd
K lookup "$ID" --at 2026-12-02T03:00:00Z | grep -q 'takedown recorded' && pass "lookup notices the host gone" || fail "no takedown from lookup"
eq "takedown event" "$(J takedown | jq -r .how)" unresolved
K takedown "$ID" --at 2026-12-02T04:00:00Z 2>/dev/null && fail "a second takedown was accepted"
lj=$(K list --json --at 2026-12-05T00:00:00Z | jq -c ".[] | select(.id == \"$ID\") | .phishing")
eq "to takedown (first seen -> takedown)" "$(jq -r .to_takedown_s <<<"$lj")" 97200
eq "report to takedown" "$(jq -r .report_to_takedown_s <<<"$lj")" 90000
eq "since first seen stops at the takedown" "$(jq -r .since_first_seen_s <<<"$lj")" 97200

rep=$("$KYOCHO" report "$ID" --state "$ST" --data "$SRCDIR/data" 2>&1)
grep -q 'First seen to takedown.*27h 00m' <<<"$rep" && pass "report: first seen to takedown" || fail "report: no takedown duration"
grep -q 'First report to first answer.*11h 00m' <<<"$rep" && pass "report: to first answer" || fail "report: no answer duration"
grep -q 'First report to takedown.*25h 00m' <<<"$rep" && pass "report: report to takedown" || fail "report: report to takedown"
grep -q 'phish-bank\.test' <<<"$rep" && fail "a clickable host in the report"
grep -q '^ *Registrar  *Example Registrar, Inc\.' <<<"$rep" && pass "report: the registrar" || fail "report: no registrar"
grep -q '^ *Registrar abuse  *abuse@registrar\.example  +1\.5555551212' <<<"$rep" && pass "report: the registrar's abuse desk" ||
    fail "report: no registrar abuse desk: $(grep -i registrar <<<"$rep")"
grep -q 'abuse@hosting-ru\.example\.net' <<<"$rep" && pass "report: the RIR's abuse desk" || fail "report: no RIR abuse desk"

# --- a takedown by hand, on a second incident ----------------------------------
ID2=$(K new --kind phishing --url 'http://www.phish-bank.test/' --no-lookup --at 2026-12-03T00:00:00Z)
K takedown "$ID2" --detail 'hosting confirmed removal' --at 2026-12-03T06:00:00Z || fail "takedown by hand failed"
eq "takedown by hand" "$(K list --json --at 2026-12-04T00:00:00Z | jq -r ".[] | select(.id == \"$ID2\") | .phishing.to_takedown_s")" 21600
# --no-rdap: offline as far as RDAP goes.
: >"$T/rdap.log"
ID3=$(K new --kind phishing --url 'https://login.phish-bank.test/' --no-rdap --at 2026-12-04T00:00:00Z | head -1)
eq "--no-rdap: no registrar" "$(jq -c 'select(.type == "lookup") | .registrar' "$ST/incidents/$ID3.jsonl")" null
eq "--no-rdap: still the domain (PSL)" "$(jq -r 'select(.type == "lookup") | .domain' "$ST/incidents/$ID3.jsonl")" phish-bank.test
eq "--no-rdap: no RDAP query" "$(wc -l <"$T/rdap.log")" 0
K new --kind phishing --url 'not a url at all' >/dev/null 2>&1; [ $? = 2 ] && pass "a bad URL is a usage error" || fail "a bad URL was not refused"

[ "$fails" = 0 ] && echo "phishing.sh: all passed" || { echo "phishing.sh: $fails failed"; exit 1; }
