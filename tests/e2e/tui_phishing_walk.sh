#!/bin/bash
# tui_phishing_walk.sh -- a phishing incident walked in the terminal from
# its creation to the takedown (issue 14): on the Incidents screen, u asks
# for the site's URL (given defanged) and the brand; the site is looked up
# on its own thread -- a real NSD on a loopback port serves the host's
# A/AAAA records and the Team-Cymru/abusix zones, the local RDAP server of
# rdap.sh (tests/e2e/rdap_server.py, named by the test's own bootstrap
# files) the registrar. The Escalation pane ranks the hosting abuse desks
# first; Enter drafts the takedown request to the first one (To: its abuse
# address, the URL defanged); l logs the report sent and the reply, D
# records the takedown, r writes the report, which gives the durations:
# first seen to takedown, first report to first answer and to takedown.
# Env: KYOCHO (binary), B (build dir), SRCDIR.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRCDIR/tests/e2e/tmux.inc"
command -v nsd >/dev/null || fail "nsd is not installed (make deps-test)"

NSD_PID= RS_PID=
stop_servers() {
	[ -n "$NSD_PID" ] && kill "$NSD_PID" 2>/dev/null && wait "$NSD_PID" 2>/dev/null
	[ -n "$RS_PID" ] && kill "$RS_PID" 2>/dev/null && wait "$RS_PID" 2>/dev/null
}
trap 'tmux_cleanup; stop_servers; rm -rf "$WORK"' EXIT

. "$SRCDIR/tests/e2e/port.inc"
. "$SRCDIR/tests/e2e/nsd.inc"
PORT=$(free_port) || fail "no free port"
RPORT=$(free_port) || fail "no free port"

# The zones of phishing.sh: the site on a BR and a RU network.
soa='@ SOA ns.test. hostmaster.test. 1 3600 600 86400 60
@ NS ns.test.'
printf '$ORIGIN phish-bank.test.\n$TTL 1\n%s\nlogin A 198.51.100.7\nlogin AAAA 2001:db8:400::10\n' \
    "$soa" >"$WORK/phish.zone"
cat >"$WORK/origin.zone" <<Z
\$ORIGIN origin.asn.cymru.com.
\$TTL 300
$soa
7.100.51.198 TXT "64500 | 198.51.100.0/24 | BR | lacnic | 2001-01-01"
Z
cat >"$WORK/origin6.zone" <<Z
\$ORIGIN origin6.asn.cymru.com.
\$TTL 300
$soa
0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.4.0.8.b.d.0.1.0.0.2 TXT "64505 | 2001:db8:400::/40 | RU | ripencc | 2001-01-01"
Z
cat >"$WORK/asn.zone" <<Z
\$ORIGIN asn.cymru.com.
\$TTL 300
$soa
AS64500 TXT "64500 | BR | lacnic | 2001-01-01 | EXEMPLO Exemplo Hospedagem, BR"
AS64505 TXT "64505 | RU | ripencc | 2001-01-01 | EXAMPLE-RU-HOST Example Hosting, RU"
Z
cat >"$WORK/abuse.zone" <<Z
\$ORIGIN abuse-contacts.abusix.zone.
\$TTL 300
$soa
7.100.51.198 TXT "abuse@br.example.net"
Z
nsd_conf "$WORK" "$PORT" phish-bank.test:phish origin.asn.cymru.com:origin origin6.asn.cymru.com:origin6 \
    asn.cymru.com:asn abuse-contacts.abusix.zone:abuse
nsd_start "$WORK"
python3 "$SRCDIR/tests/e2e/rdap_server.py" "$RPORT" "$WORK/rdap.log" 2>"$WORK/rdap.err" &
RS_PID=$!
R="http://127.0.0.1:$RPORT/"
printf '{"version":"1.0","services":[[["test"],["%s"]]]}\n' "$R" >"$WORK/dns.json"
printf '{"version":"1.0","services":[[["198.51.100.0/24"],["%s"]]]}\n' "$R" >"$WORK/ipv4.json"
printf '{"version":"1.0","services":[[["2001:db8:400::/40"],["%s"]]]}\n' "$R" >"$WORK/ipv6.json"
for i in $(seq 100); do
	printf 'origin 198.51.100.7\nwait\n' | "$B/tools/dnsprobe" --dns.server "127.0.0.1:$PORT" \
	    2>/dev/null | grep -q 64500 && curl -s "${R}domain/phish-bank.test" | grep -q registrar && break
	[ "$i" = 100 ] && fail "nsd or the RDAP server did not start: $(cat "$WORK/nsd.out" "$WORK/rdap.err")"
	sleep 0.1
done

demo_captures
mkdir "$WORK/state"
RUN="env TZ=Asia/Tokyo LANG=C.UTF-8 LC_ALL=C.UTF-8 $KYOCHO --state $WORK/state \
    --operator e2e $DEMO_ARGS --speed max --dns.server 127.0.0.1:$PORT --dns.timeout 1500 \
    --rdap-bootstrap $WORK/dns.json --rdap-bootstrap-ipv4 $WORK/ipv4.json \
    --rdap-bootstrap-ipv6 $WORK/ipv6.json --rdap-timeout 3000"
start pw 140 36 "$RUN"
wait_for pw '^ kyocho ' 100
keys pw 6
wait_for pw 'Kind / title'

# --- creation: the URL (defanged, as a report would give it) and the brand ---
keys pw u
wait_for pw "Phishing site's URL"
keys pw -l 'hxxps://login.phish-bank[.]test/jp/login.php'
keys pw Enter
wait_for pw 'Brand it imitates'
keys pw -l 'Example Bank'
keys pw Enter
wait_for pw 'done: [0-9-]+ login\[\.\]phish-bank\[\.\]test: ok, 2 address\(es\), registrar Example Registrar, Inc\. -- journaled' 200
ID=$(ls "$WORK/state/incidents" | sed -n 's/\.jsonl$//p' | head -1)
[ -n "$ID" ] || fail "no incident journal"
J=$WORK/state/incidents/$ID.jsonl
[ "$(jq -r 'select(.type == "site") | "\(.url)|\(.brand)"' "$J")" = \
    'https://login.phish-bank.test/jp/login.php|Example Bank' ] || fail "site event: $(grep '"site"' "$J")"
[ "$(jq -r 'select(.type == "lookup") | .registrar.abuse_email' "$J")" = abuse@registrar.example ] ||
    fail "the lookup has no registrar abuse desk: $(grep '"lookup"' "$J")"
screen pw | grep -q 'phish-bank\.test' && fail "a clickable host on the screen"

# --- the takedown request to the first hosting desk -----------------------------
keys pw s
wait_for pw '^ Contact +Role +Their time'
wait_for pw 'to: abuse@(br\.example\.net|hosting-ru\.example\.net)'
desk=$(screen pw | grep -Eo 'to: abuse@(br\.example\.net|hosting-ru\.example\.net)' | head -1)
desk=${desk#to: }
screen pw | grep -Eq '^ *(example-br-hosting|example-ru-hosting) +hosting ' ||
    fail "the first counterparts are not the hosting desks"
screen pw | grep -Eq 'example-registrar +registrar ' || fail "the registrar's desk is not ranked"
keys pw Enter
wait_for pw 'Which request\?'
keys pw Enter	# takedown-request, the kind's first template
wait_for pw 'done: draft takedown-request\.[a-z]+ saved and journaled'
D=$(ls "$WORK/state/drafts/$ID-takedown-request-"*.txt 2>/dev/null | head -1)
[ -f "$D" ] || fail "no draft saved"
grep -q "^To: $desk\$" "$D" || fail "draft not addressed to the hosting desk $desk: $(grep '^To:' "$D")"
grep -qF 'hxxps://login[.]phish-bank[.]test/jp/login.php' "$D" || fail "the draft has no defanged URL"
grep -q 'phish-bank\.test' "$D" && fail "a clickable host in the draft"

# --- the report sent, the reply, the takedown -----------------------------------
keys pw l
wait_for pw 'Log with this contact'
keys pw Enter	# attempt
wait_for pw 'Channel:'
keys pw Enter	# email
wait_for pw 'What was said'
keys pw -l 'takedown request sent'
keys pw Enter
wait_for pw 'done: attempt with [a-z-]+ logged'
keys pw l
wait_for pw 'Log with this contact'
keys pw Down Enter	# reply
wait_for pw 'Channel:'
keys pw Enter
wait_for pw 'What was said'
keys pw -l 'forwarded to the customer'
keys pw Enter
wait_for pw 'done: reply with [a-z-]+ logged'
keys pw D
wait_for pw 'Takedown: how it was confirmed'
keys pw -l 'the page answers 404'
keys pw Enter
wait_for pw "done: takedown of $ID recorded"
keys pw D
wait_for pw 'Takedown: how it was confirmed'
keys pw Enter
wait_for pw 'the takedown is already recorded'

# --- the report and its durations -------------------------------------------------
keys pw r
wait_for pw 'done: report written to '
REP=$WORK/state/reports/$ID.txt
[ -f "$REP" ] || fail "no report at $REP: $(ls "$WORK/state/reports")"
# The durations the report must give, from the journal's own times.
ts() { jq -r "select($1) | .ts" "$J" | head -1 | sed 's/\.[0-9]*Z$/Z/'; }
secs() { date -u -d "$1" +%s; }
fmt() { if [ "$1" -lt 3600 ]; then printf '%dm %02ds' $(($1 / 60)) $(($1 % 60));
	else printf '%dh %02dm' $(($1 / 3600)) $(($1 % 3600 / 60)); fi; }
seen=$(secs "$(ts '.type == "site"')")
rep=$(secs "$(ts '.type == "contact" and .what == "attempt"')")
ans=$(secs "$(ts '.type == "contact" and .what == "reply"')")
td=$(secs "$(ts '.type == "takedown"')")
grep -Eq "First seen to takedown +$(fmt $((td - seen)))\$" "$REP" ||
    fail "report: first seen to takedown is not $(fmt $((td - seen))): $(grep -A14 'takedown clock' "$REP")"
grep -Eq "First report to takedown +$(fmt $((td - rep)))\$" "$REP" ||
    fail "report: first report to takedown is not $(fmt $((td - rep)))"
grep -Eq "First report to first answer +$(fmt $((ans - rep)))\$" "$REP" ||
    fail "report: first report to first answer is not $(fmt $((ans - rep)))"
grep -Eq '^ *First report +[0-9]{4}-' "$REP" || fail "report: no first report time"
grep -Eq '^ *Takedown +[0-9]{4}-' "$REP" || fail "report: no takedown time"
grep -q 'Registrar abuse *abuse@registrar\.example' "$REP" || fail "report: no registrar abuse desk"
grep -q 'phish-bank\.test' "$REP" && fail "a clickable host in the report"
keys pw q
wait_for pw 'KYOCHO-EXIT=0'
echo "tui_phishing_walk: ok ($ID, to $desk)"
