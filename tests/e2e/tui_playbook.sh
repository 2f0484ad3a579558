#!/bin/bash
# tui_playbook.sh -- issue 15 in the terminal: on the demo at 80x24, with
# the shipped example playbooks approved in a test copy of data/ (the legal
# staff's step, `kyocho playbook approve --all`), the spoofed SYN flood
# alert becomes an incident whose rtbh checklist is complete in at most 8
# keys plus the typed facts and reasons: e (incident), a (accept the
# playbook's proposals), then the two facts only the operator knows. Every
# key is sent through key() and counted; typed text through type(). The
# journal must hold each answer with operator, time, reason and source;
# the pane must show where answers came from (playbook, evidence, operator,
# carried from rtbh), the proposals not yet accepted, and the open
# questions by title, in English and in Japanese. (Without approved
# playbooks the pane works by hand: tui_incident.sh.)
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRCDIR/tests/e2e/tmux.inc"

ensure_ja_locale
demo_captures
cp -r "$SRCDIR/data" "$WORK/data"
"$KYOCHO" playbook approve --all --by legal --on 2026-11-20 \
    --data "$WORK/data" | grep -q '^approved 18 playbooks' ||
    fail "kyocho playbook approve --all did not approve the examples"
mkdir "$WORK/state"
DEMO_ARGS=${DEMO_ARGS//--data $SRCDIR\/data/--data $WORK/data}
ARGS="$DEMO_ARGS --speed max --no-dns --state $WORK/state \
    --contacts $WORK/data/contacts.txt --operator e2e-sato"
unset LC_ALL LC_MESSAGES LANGUAGE
start pb 80 24 "env TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8 $KYOCHO $ARGS"
wait_for pb '^ kyocho +FINISHED' 900

KEYS=0
# key NAME KEY...: keys that count (each one a press).
key() {
	local name=$1
	shift
	KEYS=$((KEYS + $#))
	keys "$name" "$@"
}
# type NAME TEXT: typed text (a fact or a reason), not counted as keys.
type() {
	keys "$1" -l "$2"
}

# ---- to the alert (navigation, not counted) ------------------------------
keys pb 2
wait_for pb '^ +Kind +Dir +Target'
keys pb / '203.0.113.10' Enter
wait_for pb '^ [!-] SYN flood +inbound +203\.0\.113\.10 .* high *$'
wait_for pb '(^| )e incident'

# ---- from the alert: counted ----------------------------------------------
key pb e
wait_for pb 'done: incident [0-9-]+ created with the alert'"'"'s evidence'
wait_for pb 'Spoofed-source DDoS'
ID=$(screen pb | grep -oE '^ [0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{4} ' | tr -d ' ')
[ -n "$ID" ] || fail "no incident id on the screen"
key pb a
wait_for pb 'done: [0-9]+ proposal\(s\) for rtbh accepted'
wait_for pb '^ Action 1/6: .*RTBH'
wait_for pb '^Esc back  Enter answer  a accept '
# the kind's actions in order, with each checklist's state
wait_for pb '^ \[2\] rtbh \[[0-9]+\] rate-limit \[[0-9]+\] block \[[0-9]+\] share-peer'
# the status line names the open questions by title, not by id
wait_for pb '^ Test: incomplete \(Who sees it, Owner informed\)'
screen pb | grep -q 'min-access\|rtbh-target-informed' &&
    fail "the checklist pane shows question ids"
# where each answer came from
wait_for pb '^ \[v\] .* \[playbook\] *$'
wait_for pb '^ \[v\] Scope = TCP SYN traffic to 203\.0\.113\.10.*\[evidence\] *$'
# the cursor is on the first open fact, shown in full
wait_for pb '^   Who sees it: which people or roles see the data, and who outside'
wait_for pb 'receives it\?'
check_clean pb 80 24

key pb Enter
wait_for pb '^Who sees it: *$'
type pb 'NOC shift only; the upstream sees the /32'
key pb Enter
wait_for pb 'Reason \(required\):'
type pb 'rota of the night shift'
key pb Enter
wait_for pb 'done: rtbh min-access = NOC shift only.*\(recorded\)'
wait_for pb '^ Test: incomplete \(Owner informed\)'
wait_for pb '^ \[v\] Who sees it = NOC shift only.*\[operator\] *$'
# the cursor moved on to the next open question
wait_for pb 'null-routed address'
key pb Enter
wait_for pb 'Up/Down choose, Enter accepts'
key pb Enter		# yes
wait_for pb 'Reason \(required\):'
type pb 'customer called at 01:05'
key pb Enter
wait_for pb 'done: rtbh rtbh-target-informed = yes \(recorded\)'
wait_for pb '^ Test: complete *$'
wait_for pb '^ \[v\] rtbh '
[ "$KEYS" -le 8 ] || fail "rtbh took $KEYS keys (at most 8 plus the typed facts)"
echo "tui_playbook: alert to a complete rtbh checklist in $KEYS keys"

# ---- the next action: carried answers, proposals not yet accepted ---------
keys pb Right
wait_for pb '^ Action 2/6: '
wait_for pb 'Playbook rate-limit \(approved by legal on 2026-11-20\): a accepts'
wait_for pb '^ \[ \] Scope \? TCP SYN traffic to 203\.0\.113\.10.*\[proposed: evidence\] *$'
wait_for pb '\[proposed: playbook\] *$'
wait_for pb '^   proposed \(playbook\): yes -- '
check_clean pb 80 24
# Answered by hand (from another kyocho: the screen reloads the journal)
# up to the same ground as rtbh's: the attack's facts carry from rtbh.
for qa in "know yes" "consent no" "ground self-defence"; do
	"$KYOCHO" incident answer "$ID" rate-limit $qa --reason "by hand" \
	    --state "$WORK/state" --data "$WORK/data" --operator e2e-sato ||
	    fail "incident answer rate-limit $qa"
done
wait_for pb '^ \[v\] Consent = no +\[operator\] *$'
keys pb Down Down Down Down
wait_for pb '^ \[v\] Ground = self-defence +\[operator\] *$'
keys pb Down
wait_for pb '^ \[v\] Imminent unjust infringement .* = yes +\[carried from rtbh\] *$'
wait_for pb '^   = yes \(carried from rtbh, e2e-sato\): '
keys pb a
wait_for pb 'done: [0-9]+ proposal\(s\) for rate-limit accepted'
wait_for pb '^ Test: incomplete \(Who sees it\)'
keys pb q
wait_for pb 'KYOCHO-EXIT=0'

# ---- the journal holds each answer with operator, time, reason, source ----
J="$WORK/state/incidents/$ID.jsonl"
python3 - "$J" <<'PY' || fail "the journal lacks what an answer needs (see above)"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
ans = [e for e in ev if e["type"] == "answer" and e["action"] == "rtbh"]
def need(cond, what):
    if not cond:
        print("journal: " + what, file=sys.stderr)
        sys.exit(1)
need(len(ans) >= 10, "fewer than 10 rtbh answers: %d" % len(ans))
for a in ans:
    need(a.get("operator") == "e2e-sato", "answer without the operator: %r" % a)
    need(a.get("ts"), "answer without a time: %r" % a)
    need(a.get("reason"), "answer without a reason: %r" % a)
src = {a["question"]: a.get("source", "operator") for a in ans}
need(src.get("ground") == "playbook", "ground not from the playbook: %r" % src)
need(src.get("min-scope") == "evidence", "min-scope not from the evidence")
need(src.get("min-access", "operator") == "operator", "min-access not the operator's")
pb = [a for a in ans if a.get("source") == "playbook"]
need(all(a.get("playbook") == "rtbh" for a in pb), "playbook answers without the playbook's name")
ma = [a for a in ans if a["question"] == "min-access"][0]
need(ma["answer"] == "NOC shift only; the upstream sees the /32" and
     ma["reason"] == "rota of the night shift", "the typed fact or its reason")
PY
out=$("$KYOCHO" incident checklist "$ID" rtbh --json --state "$WORK/state" \
    --data "$WORK/data") || fail "incident checklist --json: $out"
echo "$out" | grep -q '"status":"complete"' ||
    fail "kyocho incident checklist does not say complete: $out"

# ---- in Japanese: titles and sources in the UI's language -----------------
start ja 80 24 "env TZ=UTC LANG=ja_JP.UTF-8 $KYOCHO $ARGS"
wait_for ja '再生完了' 900
keys ja 6
wait_for ja "$ID"
keys ja Enter
wait_for ja "^ $ID "
keys ja k
wait_for ja '^ 措置 1/6: '
wait_for ja '\[プレイブック\] *$'
wait_for ja '^ 判定: 完了 *$'
wait_for ja '^   = はい（プレイブック、e2e-sato）：'
for i in 1 2 3 4 5 6 7 8 9 10 11; do keys ja Down; done
wait_for ja '^ \[v\] 閲覧者 = NOC shift only.*\[担当者\] *$'
keys ja Right
wait_for ja '^ 措置 2/6: '
# the open fact by its title, in Japanese
wait_for ja '^ 判定: 未完了 \(閲覧者\) *$'
wait_for ja '^ \[v\] 違法性阻却事由 = self-defence +\[担当者\] *$'
check_clean ja 80 24
keys ja q
wait_for ja 'KYOCHO-EXIT=0'
echo "tui_playbook: ok ($ID, $KEYS keys)"
