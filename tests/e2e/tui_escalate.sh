#!/bin/bash
# tui_escalate.sh -- issue 13's "Done when" in the terminal: the demo (its
# peering neighbours named by MAC, our zone Asia/Tokyo) from the spoofed SYN
# flood's alert to a filtering request addressed to the ingress peer
# (example-peer-a, AS64497 on peering-A), with UTC and the peer's zone and
# the TLP label, in at most 6 keys; the incident follows the alert, so the
# report made after the attack ends shows its real window and peak and both
# links (peering-B carries part of the flood, more after the route change).
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRCDIR/tests/e2e/tmux.inc"

demo_captures
mkdir "$WORK/state"
COMMON="--state $WORK/state --data $SRCDIR/data --operator e2e-sato"
RUN="env TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8 VISUAL= EDITOR=true PRINTER= \
    $KYOCHO $COMMON $DEMO_ARGS --our-zone Asia/Tokyo --speed 4"
NKEYS=0
fmt_peak() {	# the report's "1.23 kpps" of a count, as a regex
	if [ "$1" -ge 1000 ]; then echo "[0-9.]+ kpps"; else echo "$1 pps"; fi
}
press() {	# press KEY: one key, counted
	keys esc "$1"
	NKEYS=$((NKEYS + 1))
}

start esc 120 40 "$RUN"
# The SYN flood is the first alert (the reflection starts 20 s later).
wait_for esc '^ kyocho ' 100
press 2
wait_for esc '^ ! SYN flood +inbound +203\.0\.113\.10 ' 600
press e
wait_for esc 'done: incident [0-9-]+ created with the alert'"'"'s evidence'
ID=$(screen esc | grep -oE 'incident [0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{4}' |
    head -1 | cut -d' ' -f2)
[ -n "$ID" ] || fail "no incident id on the screen"
press s
wait_for esc '^ Contact +Role +Their time'
first=$(screen esc | sed -n '/^ Contact  *Role/{n;p;}')
echo "$first" | grep -Eq '^ example-peer-a +ingress-peer ' ||
    fail "the first counterpart is not the ingress peer: $first"
wait_for esc 'why: Hands us [0-9]+% of the SYN flood \(link peering-A'
wait_for esc 'to: noc@peer-a\.example\.net'
press Enter
wait_for esc 'Which request\?'
press Enter		# ddos-filter-request, the kind's first
wait_for esc 'done: draft ddos-filter-request\.[a-z]+ saved and journaled'
[ "$NKEYS" -le 6 ] || fail "$NKEYS keys from the alert to the draft (at most 6)"
D=$(ls "$WORK/state/drafts/$ID-ddos-filter-request-"*.txt | head -1)
[ -f "$D" ] || fail "no draft saved"
grep -q '^To: noc@peer-a\.example\.net$' "$D" || fail "To: is not the peer: $(head -1 "$D")"
grep -q '^Subject: \[TLP:GREEN\]' "$D" || fail "no TLP in the subject"
grep -q 'TLP:GREEN' "$D" || fail "no TLP label"
grep -Eq '[0-9]{2}:[0-9]{2}:[0-9]{2} UTC \(UTC\+00:00\)' "$D" || fail "no UTC time"
grep -Eq '[0-9]{2}:[0-9]{2}:[0-9]{2} Asia/Tokyo \(UTC\+09:00\)' "$D" || fail "no time in the peer's zone"
grep -q 'peering-A' "$D" || fail "the draft does not name the link"
grep -q 'TCP SYN' "$D" || fail "no protocol"
grep -q '203\.0\.113\.10' "$D" || fail "no target"

# The replay ends; the incident followed the alert to its end.
wait_for esc '^ kyocho +FINISHED' 1200
J=$WORK/state/incidents/$ID.jsonl
n=$(grep -c '"type":"evidence"' "$J")
[ "$n" -ge 2 ] || fail "the incident got no evidence after e ($n events)"
last=$(grep '"type":"evidence"' "$J" | tail -1)
echo "$last" | jq -e '.end != null and ([.ingress[].link] | index("peering-A") != null and
    index("peering-B") != null)' >/dev/null || fail "the last evidence lacks the end or a link: $last"
start_t=$(echo "$last" | jq -r .start | cut -c1-19 | tr T ' ')
end_t=$(echo "$last" | jq -r .end | cut -c1-19 | tr T ' ')
peak=$(echo "$last" | jq -r .peak_pps)
env TZ=UTC "$KYOCHO" report --data "$SRCDIR/data" --state "$WORK/state" "$ID" > "$WORK/r.txt" ||
    fail "report"
R=$(tr -s ' \n' '  ' < "$WORK/r.txt")
grep -q "Attack window $start_t.* -- $end_t" <<<"$R" || fail "the report's window is not $start_t -- $end_t"
[ "$peak" -gt 0 ] || fail "no peak in the last evidence"
grep -Eq "Peak $(fmt_peak "$peak")" <<<"$R" || fail "the report's peak is not $peak pps"
grep -Eq 'Entered through peering-A AS64497 example-peer-a [0-9]+ % \([0-9:]+-[0-9:]+ UTC\)(;| ->) peering-B AS64498 example-peer-b [0-9]+ %' <<<"$R" ||
    fail "the report does not show both links: $(grep -A3 'Entered' "$WORK/r.txt")"
echo "tui_escalate: ok ($ID, $NKEYS keys, $n evidence events, peak $peak pps)"
