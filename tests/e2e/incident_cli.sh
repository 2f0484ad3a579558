#!/bin/bash
# incident_cli.sh -- the command line walks an incident from creation to
# closure (tests/data/journals/mkscenario.sh) and the journal it writes is
# the committed fixture, byte for byte; the rules hold at the command line
# (taking an action with an open checklist is refused, the override is
# journaled); a draft is written from a template with the evidence and
# both time zones; damaged journals are reported with FILE:LINE and do not
# hide the other incidents.
set -u
: "${KYOCHO:?} ${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "incident_cli: FAILED: $*"; exit 1; }
export XDG_CONFIG_HOME="$tmp/config"

id=$(SRCDIR="$SRCDIR" bash "$SRCDIR/tests/data/journals/mkscenario.sh" "$KYOCHO" "$tmp/st") ||
    fail "mkscenario.sh"
[ "$id" = 2026-11-26-0001 ] || fail "first id of the day is $id"
sed "s|$tmp/st/drafts/|/var/lib/kyocho/state/drafts/|" "$tmp/st/incidents/$id.jsonl" > "$tmp/j"
cmp -s "$tmp/j" "$SRCDIR/tests/data/journals/$id.jsonl" ||
    { diff "$SRCDIR/tests/data/journals/$id.jsonl" "$tmp/j" | head; fail "journal differs from the fixture"; }

K() { "$KYOCHO" incident "$1" --state "$tmp/st" --data "$SRCDIR/data" "${@:2}"; }
# The draft the scenario saved: evidence, UTC and Sao Paulo time, TLP.
d=$(ls "$tmp"/st/drafts/$id-ddos-filter-request-en-1.txt) || fail "no draft saved"
grep -q '^To: noc@as64500.example$' "$d" || fail "draft: To"
grep -q '^Subject: \[TLP:AMBER\] DDoS filtering request -- 203.0.113.80' "$d" || fail "draft: Subject"
grep -q '2026-11-26 00:38:05 UTC (UTC+00:00)' "$d" || fail "draft: start in UTC"
grep -q '2026-11-25 21:38:05 America/Sao_Paulo (UTC-03:00)' "$d" || fail "draft: start in the recipient's zone"
# A filtering request states the window and rates, not the source list
# (issue 13: spoofed sources do not help the peer).
grep -q '^Window (UTC):    2026-11-26 00:38:05 UTC (UTC+00:00) -- ' "$d" || fail "draft: window in UTC"
grep -q '^Rates:           peak ' "$d" || fail "draft: rates"
if grep -q '198.51.100.23' "$d"; then fail "draft: lists a source address"; fi
K draft "$id" ddos-filter-request --lang ja --operator 田中 --org "例示ISP" > /dev/null || fail "ja draft"
grep -q '例示ISP ネットワークオペレーションセンターの田中です' "$tmp"/st/drafts/$id-ddos-filter-request-ja-1.txt || fail "ja draft text"
K draft "$id" no-such-template 2>/dev/null && fail "unknown template accepted"

# Rules at the command line.
id2=$(K new --kind ddos-own --title "rules" --operator op) || fail "new"
K action "$id2" block taken 2> "$tmp/err" && fail "block taken with an empty checklist"
grep -q "checklist is incomplete" "$tmp/err" || fail "refusal does not say why"
K answer "$id2" block know maybe --reason x 2>/dev/null && fail "answer 'maybe' accepted"
K answer "$id2" block know yes 2>/dev/null && fail "answer without a reason accepted"
K override "$id2" block 2>/dev/null && fail "override without a reason accepted"
K override "$id2" block --reason "router melting, manager approved" || fail "override"
K action "$id2" block taken --detail "acl 101" || fail "taken under override"
K show "$id2" | grep -q "action block taken UNDER OVERRIDE: acl 101" || fail "show lacks the override mark"
K close "$id2" 2>/dev/null && fail "close without a reason accepted"
K close "$id2" --reason done || fail "close"
K list | grep -q "^$id2  closed" || fail "list does not show it closed"
K checklist "$id2" block --lang ja | grep -q "法務・コンプライアンス" || fail "ja checklist lacks the disclaimer"
K checklist "$id2" block | grep -q "business: .*confirm with your legal/compliance staff" ||
    fail "unverified ground not flagged"
K history as64500-noc | grep -q "^$id  2026-11-26T00:54:00Z  attempts 2  first answer 2026-11-26T01:31:00Z  resolved 2026-11-26T02:15:00Z" ||
    fail "contact history"

# Exit status (kyocho(1)): 2 for a usage error, 1 for a failure.
st() { "$@" > /dev/null 2>&1; echo $?; }
[ "$(st K show)" = 2 ] || fail "missing ID: not exit 2"
[ "$(st K note "$id2")" = 2 ] || fail "missing note text: not exit 2"
[ "$(st K new --title x)" = 2 ] || fail "new without --kind: not exit 2"
[ "$(st K action "$id2" block sideways)" = 2 ] || fail "bad action state: not exit 2"
[ "$(st K bogus "$id2")" = 2 ] || fail "unknown verb: not exit 2"
[ "$(st K note "$id2" x --repeat 0)" = 2 ] || fail "bad --repeat: not exit 2"
[ "$(st K show 2026-01-01-0099)" = 1 ] || fail "unknown incident: not exit 1"
[ "$(st "$KYOCHO" lookup --no-dns)" = 2 ] || fail "lookup without an address: not exit 2"
[ "$(st "$KYOCHO" lookup --no-dns --bogus 192.0.2.1)" = 2 ] || fail "lookup --bogus: not exit 2"
[ "$(st "$KYOCHO" contacts --contacts "$tmp/none.txt")" = 1 ] || fail "missing contacts file: not exit 1"
K --help | grep -q "^usage: kyocho incident list" || fail "incident --help"
# The TLP of a new incident: its kind's (spoofed is TLP:GREEN in
# data/incident-kinds.txt), as the terminal gives it, unless --tlp says.
# (A state directory of their own: the damage checks below count.)
K() { "$KYOCHO" incident "$1" --state "$tmp/st2" --data "$SRCDIR/data" "${@:2}"; }
id3=$(K new --kind spoofed --title "tlp default" --operator op) || fail "new spoofed"
head -1 "$tmp/st2/incidents/$id3.jsonl" | grep -q '"tlp":"TLP:GREEN"' ||
    fail "new --kind spoofed without --tlp is not TLP:GREEN: $(head -1 "$tmp/st2/incidents/$id3.jsonl")"
id4=$(K new --kind spoofed --title "tlp given" --tlp TLP:RED --operator op) || fail "new --tlp"
head -1 "$tmp/st2/incidents/$id4.jsonl" | grep -q '"tlp":"TLP:RED"' || fail "--tlp TLP:RED not kept"
id5=$(K new --kind ddos-own --title "tlp amber" --operator op) || fail "new ddos-own"
head -1 "$tmp/st2/incidents/$id5.jsonl" | grep -q '"tlp":"TLP:AMBER"' || fail "ddos-own is not TLP:AMBER"
K() { "$KYOCHO" incident "$1" --state "$tmp/st" --data "$SRCDIR/data" "${@:2}"; }

# Damage: one journal broken in the middle, one torn, one unreadable; the
# good incidents still load and every problem is named with FILE:LINE.
printf 'garbage\n' >> "$tmp/st/incidents/$id2.jsonl"
K note "$id2" "after garbage" > /dev/null || fail "append after damage"
printf '{"seq":99,"ts":"2026-' >> "$tmp/st/incidents/$id.jsonl"
cp "$SRCDIR/tests/data/journals/2026-11-26-0666.jsonl" "$tmp/st/incidents/"
K list > "$tmp/list" 2> "$tmp/diag" || fail "list with damaged journals"
[ "$(wc -l < "$tmp/list")" = 3 ] || fail "not every incident listed"
grep -q "incidents/$id2.jsonl:[0-9]*: unreadable event (damage)" "$tmp/diag" || { cat "$tmp/diag"; fail "mid-file damage not reported"; }
grep -q "incidents/$id.jsonl:37: torn last line" "$tmp/diag" || { cat "$tmp/diag"; fail "torn line not reported"; }
grep -q "2026-11-26-0666.jsonl:6: unreadable" "$tmp/diag" || fail "hostile journal damage not reported"
grep -q $'\x1b' "$tmp/list" "$tmp/diag" && fail "escape sequence reached the terminal"
# A draft from the hostile journal: its values cannot add header lines.
K draft 2026-11-26-0666 abuse-report --to "x@example.net" > "$tmp/dpath" 2>/dev/null || fail "draft from the hostile journal"
dp=$(cat "$tmp/dpath")
[ "$(sed -n 3p "$dp")" = "" ] || { head -4 "$dp"; fail "hostile values added header lines"; }
sed -n 2p "$dp" | grep -q '^Subject: ' || fail "hostile draft lost its Subject"
grep -q $'\x1b' "$dp" && fail "escape sequence in a draft"
echo "incident_cli: ok"
