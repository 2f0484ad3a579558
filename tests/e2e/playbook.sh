#!/bin/bash
# playbook.sh -- issue 15 at the command line: with the shipped example
# playbooks approved in a test copy of data/, an incident made from a
# spoofed SYN flood alert reaches a complete rtbh checklist with `accept`
# plus at most 2 typed answers, then share-peer with `accept` plus at most
# 2 more; ingress-filter is not offered for an inbound flood; without
# approved playbooks accept is refused and answering by hand still works.
# The evidence line stands in for the alert the Alerts screen copies in
# (as tests/data/journals/mkscenario.sh does).
set -u
: "${KYOCHO:?} ${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "playbook: FAILED: $*"; exit 1; }
export XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/share" HOME="$tmp" TZ=UTC
cp -r "$SRCDIR/data" "$tmp/data"
P() { "$KYOCHO" playbook --data "$tmp/data" "$@"; }
K() { "$KYOCHO" incident "$1" --state "$tmp/st" --data "$tmp/data" --operator tanaka "${@:2}"; }

# The shipped playbooks are valid examples, none approved.
P --check | grep -q "^18 playbooks ok, 0 approved$" || fail "shipped playbooks: $(P --check 2>&1)"
P | grep -q "^rtbh .*NOT APPROVED (example" || fail "rtbh not shown as an unapproved example"

mkinc() {
	local id
	id=$(K new --kind spoofed --title "Spoofed SYN flood against 203.0.113.10" --source alert) || return 1
	cat >> "$tmp/st/incidents/$id.jsonl" <<'JSON'
{"seq":2,"ts":"2026-11-26T00:41:12Z","type":"evidence","operator":"tanaka","alert_id":5,"target":"203.0.113.10","attack":"syn_flood","direction":"inbound","start":"2026-11-26T00:38:05Z","last":"2026-11-26T00:41:09Z","peak_pps":900000,"peak_bps":460000000,"packets":54000000,"bytes":3240000000,"syn_pps":899000,"udp_pps":10,"icmp_pps":5,"frag_pps":0,"sources_est":65000,"spoofing":"high","spoof_score_pm":930,"spoof_evidence":["random sources across the whole address space"],"top_sources":[],"top_port":80,"link":"transit-A"}
JSON
	echo "$id"
}

# Without approved playbooks: nothing is proposed, accept is refused,
# answering by hand works as before.
id0=$(mkinc) || fail "new"
K accept "$id0" rtbh 2> "$tmp/err" && fail "accept without an approved playbook"
grep -q "no approved playbook" "$tmp/err" || fail "refusal does not say why: $(cat "$tmp/err")"
K checklist "$id0" rtbh --json | jq -e '[.questions[] | select(.source=="playbook")] | length == 0' > /dev/null ||
    fail "an unapproved playbook proposed something"
K answer "$id0" rtbh know yes --reason "by hand" || fail "answer by hand"
K checklist "$id0" rtbh --json | jq -e '.questions[] | select(.id=="know") | .source=="operator" and .answer=="yes"' > /dev/null ||
    fail "hand answer not shown as the operator's"

# Legal approves the examples (in the test copy).
P approve --all --by "Legal (test)" --on 2026-11-20 | grep -q "approved 18 playbooks" || fail "approve --all"
grep -q "^  approved-on = 2026-11-20$" "$tmp/data/playbooks/rtbh.txt" || fail "approval not written"
P --check | grep -q "18 approved" || fail "check after approval"
P approve rtbh --by "" 2>/dev/null && fail "empty approver accepted"
P approve nosuch --by x 2>/dev/null && fail "unknown playbook approved"

id=$(mkinc) || fail "new"
# Actions fit the kind: in order, no ingress-filter for an inbound flood.
acts=$(K actions "$id" --json | jq -r '[.actions[].action] | join(" ")')
[ "$acts" = "rtbh rate-limit block share-peer share-csirt notify-customer" ] || fail "actions: $acts"
K accept "$id" ingress-filter 2>/dev/null && fail "ingress-filter accepted for an inbound flood"

typed=0
T() { K answer "$id" "$@" || fail "answer $*"; typed=$((typed+1)); }
K accept "$id" rtbh > /dev/null || fail "accept rtbh"
K checklist "$id" rtbh --json > "$tmp/rtbh.json"
jq -e '.action=="rtbh" and (.questions[] | select(.id=="min-scope") | .source=="evidence" and (.answer|test("203.0.113.10")) and (.answer|test("TCP SYN")))' "$tmp/rtbh.json" > /dev/null ||
    fail "min-scope not proposed from the evidence: $(cat "$tmp/rtbh.json")"
jq -e '.questions[] | select(.id=="ground") | .source=="playbook" and .answer=="self-defence"' "$tmp/rtbh.json" > /dev/null || fail "ground not from the playbook"
for q in $(jq -r '.questions[] | select(.state=="open") | .id' "$tmp/rtbh.json"); do
	case $q in
	min-access) T rtbh min-access "NOC shift; the upstream sees the /32" --reason "who sees it" ;;
	rtbh-target-informed) T rtbh rtbh-target-informed yes --reason "customer called" ;;
	*) fail "rtbh: unexpected open question $q" ;;
	esac
done
K checklist "$id" rtbh --json | jq -e '.status=="complete"' > /dev/null || fail "rtbh not complete"
[ "$typed" -le 2 ] || fail "rtbh took $typed typed answers"
K action "$id" rtbh taken --detail "203.0.113.10/32 null-routed" || fail "rtbh not taken"
# The journal holds each answer with operator, time, reason and source.
grep '"type":"answer"' "$tmp/st/incidents/$id.jsonl" | grep '"question":"ground"' |
    grep '"operator":"tanaka"' | grep '"source":"playbook"' | grep '"playbook":"rtbh"' | grep -q '"reason":".*confirm with your legal' ||
    fail "journaled playbook answer lacks operator/source/playbook/unverified reason"

# Logging a request to a peer marks share-peer proposed.
K contact "$id" attempt --channel email --contact example-peer-a --whom "peer A NOC" || fail "contact"
K actions "$id" --json | jq -e '.actions[] | select(.action=="share-peer") | .state=="proposed"' > /dev/null ||
    fail "share-peer not proposed after the contact: $(K actions "$id")"

# A draft for share-peer while its checklist is incomplete says so before
# it is written (on stderr; the path alone on stdout) ...
K draft "$id" ddos-filter-request --contact example-peer-a > "$tmp/out" 2> "$tmp/err" ||
    fail "draft to the peer: $(cat "$tmp/err")"
grep -q "warning: .*(share-peer), whose guideline checklist is incomplete (.*know" "$tmp/err" ||
    fail "draft for an incomplete share-peer does not say so: $(cat "$tmp/err")"
[ "$(wc -l < "$tmp/out")" -eq 1 ] && [ -f "$(cat "$tmp/out")" ] || fail "draft path: $(cat "$tmp/out")"

typed=0
K accept "$id" share-peer > /dev/null || fail "accept share-peer"
for q in $(K checklist "$id" share-peer --json | jq -r '.questions[] | select(.state=="open") | .id'); do
	case $q in
	min-access) T share-peer min-access "peer A NOC" --reason "the peer" ;;
	share-recipient-bound) T share-peer share-recipient-bound yes --reason "TLP:GREEN label" ;;
	*) fail "share-peer: unexpected open question $q" ;;
	esac
done
K checklist "$id" share-peer --json | jq -e '.status=="complete"' > /dev/null || fail "share-peer not complete"
# ... and once it is complete, nothing is said.
K draft "$id" ddos-filter-request --contact example-peer-a > /dev/null 2> "$tmp/err" ||
    fail "draft to the peer: $(cat "$tmp/err")"
[ ! -s "$tmp/err" ] || fail "draft for a complete share-peer warns: $(cat "$tmp/err")"
[ "$typed" -le 2 ] || fail "share-peer took $typed typed answers"
# Disclosure never carries: "no" for rtbh, "yes" for share-peer.
K checklist "$id" share-peer --json | jq -e '.questions[] | select(.id=="disclose") | .answer=="yes" and .source=="playbook"' > /dev/null ||
    fail "disclose for share-peer"

# Answers carry where they mean the same: rate-limit (self-defence too)
# takes selfdef-imminent from rtbh once its ground is chosen.
K answer "$id" rate-limit know yes --reason r && K answer "$id" rate-limit consent no --reason r &&
K answer "$id" rate-limit ground self-defence --reason r || fail "rate-limit answers"
K checklist "$id" rate-limit --json | jq -e '.questions[] | select(.id=="selfdef-imminent") | .source=="carried" and .from=="rtbh"' > /dev/null ||
    fail "selfdef-imminent not carried from rtbh: $(K checklist "$id" rate-limit --json)"
K checklist "$id" rate-limit --json | jq -e '[.questions[] | select(.id=="selfdef-unavoidable")][0] | .state=="open"' > /dev/null ||
    fail "selfdef-unavoidable (differs by action) carried"
# The contract's keys, exactly.
K checklist "$id" rate-limit --json | jq -e '(keys == ["action","questions","status"]) and all(.questions[]; keys == ["answer","from","id","proposed","source","state","type"])' > /dev/null ||
    fail "JSON keys differ from the contract"

# A damaged playbook is named FILE:LINE.
printf 'propose know\n  answer = yes\n' >> "$tmp/data/playbooks/block.txt"
P --check 2> "$tmp/err" && fail "damaged playbook passed --check"
grep -q "playbooks/block.txt:[0-9]*: " "$tmp/err" || fail "no FILE:LINE: $(cat "$tmp/err")"
echo "playbook: ok"
