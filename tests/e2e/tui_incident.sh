#!/bin/bash
# tui_incident.sh -- issue 7's scenario played by keys in tmux on the demo:
# Alerts -> e (incident with the alert's evidence) -> checklist question
# answered with a written reason -> a suggested contact chosen -> request
# drafted (and opened in $EDITOR) -> attempt and reply logged -> report ->
# closed; then the journal must hold every step, with operator and reason,
# and `kyocho incident show` must read it back.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRCDIR/tests/e2e/tmux.inc"

demo_captures
cp "$SRCDIR/data/contacts.txt" "$WORK/contacts.txt"
mkdir "$WORK/state"
# The "editor": appends a line, so we can see it ran on the draft.
cat > "$WORK/ed.sh" <<'EOF'
#!/bin/sh
echo "EDITED-BY-TEST" >> "$1"
EOF
chmod +x "$WORK/ed.sh"

COMMON="--state $WORK/state --contacts $WORK/contacts.txt --data $SRCDIR/data \
    --operator e2e-tanaka"
# our-zone differs from TZ: the incident must record the configured one.
ARGS="$COMMON $DEMO_ARGS --speed max --our-zone Europe/Berlin"
RUN="env TZ=Asia/Tokyo LANG=C.UTF-8 LC_ALL=C.UTF-8 EDITOR=$WORK/ed.sh \
    VISUAL= PRINTER= $KYOCHO $ARGS"

# umask 000: the saved report must still be private (0600, issue 19).
start inc 120 40 "umask 000; $RUN"
wait_for inc '^ kyocho +FINISHED' 600

# ---- the alert -> e -----------------------------------------------------
keys inc 2
wait_for inc '^ +Kind +Dir +Target'
keys inc /
wait_for inc 'Enter applies, Esc cancels'
keys inc '203.0.113.10' Enter
wait_for inc '^ [!-] SYN flood +inbound +203\.0\.113\.10 '
wait_for inc '(^| )e incident'
keys inc e
wait_for inc 'done: incident [0-9-]+ created with the alert'"'"'s evidence'
wait_for inc ' 6 Incidents( |$)'
wait_for inc 'evidence: 203\.0\.113\.10 SYN flood inbound, peak '
ID=$(screen inc | grep -oE 'incident [0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{4}' |
    head -1 | cut -d' ' -f2)
[ -n "$ID" ] || fail "no incident id on the screen"
head -1 "$WORK/state/incidents/$ID.jsonl" | grep -q '"zone":"Europe/Berlin"' ||
    fail "the incident does not record our-zone: $(head -1 "$WORK/state/incidents/$ID.jsonl")"

# ---- checklist: first question, yes, with a reason -----------------------
keys inc k
wait_for inc 'Action 1/[0-9]+: '
wait_for inc '^ \[ \] '
first_q=$(screen inc | grep -E '^ \[ \] ' | head -1)
keys inc Enter
wait_for inc 'Up/Down choose, Enter accepts'
keys inc Enter		# "yes" is first
wait_for inc 'Reason \(required\):'
keys inc 'ヘッダのみ参照 headers only' Enter
wait_for inc 'done: [a-z-]+ [a-z-]+ = yes \(recorded\)'
wait_for inc '^ \[v\] '

# an answer without a reason is refused and nothing is written
keys inc Down Enter
wait_for inc 'Up/Down choose'
keys inc Enter
wait_for inc 'Reason \(required\):'
keys inc Enter
wait_for inc 'a reason is required; the answer was not recorded'

# ---- escalation: choose a contact, draft, edit ---------------------------
keys inc s
wait_for inc '^ Contact +Role +Their time +Hours +Languages'
wait_for inc ' (open|closed|\?) '
CONTACT=$(screen inc | sed -n '/^ Contact  *Role  *Their time/{n;p;}' | awk '{print $1}')
[ -n "$CONTACT" ] || fail "no suggested contact"
keys inc Enter
wait_for inc 'Which request\?'
wait_for inc 'ddos-filter-request'
keys inc Enter		# the kind's first template
wait_for inc 'done: draft ddos-filter-request\.[a-z]+ saved and journaled'
keys inc E
wait_for inc 'edited .*drafts/'
DRAFT=$(ls "$WORK/state/drafts/"*.txt | head -1)
[ -f "$DRAFT" ] || fail "no draft file under the state directory"
grep -q EDITED-BY-TEST "$DRAFT" || fail "E did not run \$EDITOR on the draft"
grep -q '^To: ' "$DRAFT" || fail "the draft has no To: line"
grep -q 'UTC' "$DRAFT" || fail "the draft has no UTC time"

# sendmail only after y; n sends nothing
keys inc S
wait_for inc 'to sendmail -t now\? \(y/n\)'
keys inc n
wait_for inc 'cancelled'

# ---- contact attempt and reply ------------------------------------------
keys inc l
wait_for inc 'Log with this contact:'
keys inc Enter			# attempt
wait_for inc 'Channel: email'
keys inc Enter
wait_for inc 'What was said'
keys inc Enter
wait_for inc "done: attempt with $CONTACT logged"
keys inc l
wait_for inc 'Log with this contact:'
keys inc Down Enter		# reply
wait_for inc 'Channel: email'
keys inc C-u 'phone' Enter
wait_for inc 'What was said'
keys inc 'filtering within the hour' Enter
wait_for inc "done: reply with $CONTACT logged"
wait_for inc 'contacts: 1 attempts, 1 replies; time to first answer [0-9]'

# ---- report, close ------------------------------------------------------
keys inc r
wait_for inc 'done: report written to .*reports/'
[ -s "$WORK/state/reports/$ID.txt" ] || fail "no report file"
[ "$(stat -c %a "$WORK/state/reports/$ID.txt")" = 600 ] ||
    fail "saved report is mode $(stat -c %a "$WORK/state/reports/$ID.txt"), want 600"
[ "$(stat -c %a "$WORK/state/reports")" = 700 ] || fail "reports directory not 0700"
keys inc c
wait_for inc 'Close: reason:'
keys inc '相手側でフィルタ済み filtered upstream' Enter
wait_for inc "done: incident $ID closed"
wait_for inc "$ID +CLOSED"
keys inc Escape
wait_for inc "$ID +closed"
keys inc q
wait_for inc 'KYOCHO-EXIT=0'

# ---- the journal holds every step ----------------------------------------
J="$WORK/state/incidents/$ID.jsonl"
[ -f "$J" ] || fail "no journal $J"
python3 - "$J" "$CONTACT" <<'PY' || fail "the journal lacks a step (see above)"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
contact = sys.argv[2]
def need(cond, what):
    if not cond:
        print("journal: missing " + what, file=sys.stderr)
        sys.exit(1)
types = [e["type"] for e in ev]
need(types[0] == "created" and ev[0].get("source") == "alert", "created from alert")
need(any(e["type"] == "evidence" and e.get("target") == "203.0.113.10" for e in ev), "evidence")
ans = [e for e in ev if e["type"] == "answer"]
need(len(ans) == 1, "exactly one answer (the one without a reason must not be written)")
need(ans[0]["answer"] == "yes" and ans[0]["reason"] == "ヘッダのみ参照 headers only", "answer with reason")
need(all(e.get("operator") == "e2e-tanaka" for e in ev), "operator on every event")
need(all(e.get("ts") for e in ev), "time on every event")
need(any(e["type"] == "draft" and e.get("contact") == contact for e in ev), "draft for the contact")
c = [e for e in ev if e["type"] == "contact"]
need([x["what"] for x in c] == ["attempt", "reply"], "attempt then reply")
need(c[1].get("channel") == "phone" and c[1].get("text") == "filtering within the hour", "reply details")
need(ev[-1]["type"] == "status" and ev[-1]["status"] == "closed" and
     ev[-1]["reason"] == "相手側でフィルタ済み filtered upstream", "closed with reason")
PY
out=$("$KYOCHO" incident show "$ID" --state "$WORK/state" --data "$SRCDIR/data" 2>&1) ||
    fail "kyocho incident show failed: $out"
echo "$out" | grep -q 'closed' || fail "incident show does not say closed"

# ---- n: a manual incident ------------------------------------------------
start man 120 40 "$RUN"
wait_for man '^ kyocho '
keys man 6
wait_for man "$ID +closed"
keys man n
wait_for man 'Kind of the new incident:'
keys man Down Enter
wait_for man 'Title:'
keys man 'フィッシングサイト phishing site abroad' Enter
wait_for man 'done: incident [0-9-]+ created'
wait_for man 'フィッシングサイト phishing site abroad'
keys man Escape
wait_for man '[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{4} +open'
keys man q
wait_for man 'KYOCHO-EXIT=0'
n=$(ls "$WORK/state/incidents/"*.jsonl | wc -l)
[ "$n" -eq 2 ] || fail "expected 2 journals, found $n"

echo "tui_incident: ok ($ID, contact $CONTACT)"
