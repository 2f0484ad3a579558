#!/bin/bash
# tui_contacts.sh -- the Contacts screen driven by keys in tmux on a copy of
# data/contacts.txt: search with /, the detail pane and the clock strip,
# add a record with the form (a live validation message on the way, UTF-8
# typed in), save; then on disk `kyocho contacts --check` passes, the new
# record is there and every other byte is unchanged. Then a concurrent
# change: the file is changed behind kyocho's back, an edit is refused
# with a message, nothing is overwritten, and R reloads.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRCDIR/tests/e2e/tmux.inc"

demo_captures
C=$WORK/contacts.txt
cp "$SRCDIR/data/contacts.txt" "$C"
cp "$C" "$WORK/orig.txt"
mkdir "$WORK/state"
RUN="env TZ=Asia/Tokyo LANG=C.UTF-8 LC_ALL=C.UTF-8 $KYOCHO \
    --state $WORK/state --contacts $C --data $SRCDIR/data --operator e2e \
    --home 203.0.113.0/24 --link peering-A=$PA:10M -r $PA --speed max"

start con 120 40 "$RUN"
wait_for con '^ kyocho '
keys con 5
wait_for con '^ ours [0-9]{2}:[0-9]{2} '
wait_for con '^ Contact '

# search: / filters the list; the detail pane shows every field
keys con / 'jpcert' Enter
wait_for con 'filter: jpcert'
wait_for con '^ +jpcert-cc +id +jpcert-cc'
for f in org team kind country timezone languages url notes source verified; do
	wait_for con " $f +[^ ]"
done
wait_for con 'JPCERT/CC 一般社団法人'
wait_for con 'never contacted from an incident'
wait_for con 'their time [0-9]{2}:[0-9]{2} JST'
keys con Escape
wait_gone con 'filter: jpcert'

# add a record with the form
keys con a
wait_for con 'New record'
keys con 'example-e2e-poc' Enter 'テスト株式会社 Test KK' Enter Enter 'csirt' Enter 'XX'
wait_for con "country: 'XX' is not an ISO 3166 code"
keys con BSpace BSpace 'JP' Enter
wait_gone con "is not an ISO 3166 code"
keys con 'Asia/Tokyo' Enter 'Mon-Fri 09:00-18:00' Enter 'ja, en' Enter \
    'soc@test.example'
keys con C-x
wait_for con "done: example-e2e-poc saved to $C"

# on disk: valid, the new record present, all other bytes unchanged
out=$("$KYOCHO" contacts --check --contacts "$C" 2>&1) ||
    fail "kyocho contacts --check fails after the save: $out"
python3 - "$WORK/orig.txt" "$C" <<'PY' || fail "the saved file is not the original plus the new record"
import sys
orig = open(sys.argv[1], "rb").read()
new = open(sys.argv[2], "rb").read()
if not new.startswith(orig):
    print("the original bytes changed", file=sys.stderr); sys.exit(1)
rec = new[len(orig):].decode("utf-8")
want = ["id: example-e2e-poc", "org: テスト株式会社 Test KK", "kind: csirt",
        "country: JP", "timezone: Asia/Tokyo", "hours: Mon-Fri 09:00-18:00",
        "languages: ja, en", "email: soc@test.example"]
got = [l for l in rec.split("\n") if l.strip()]
if got != want:
    print("new record: %r" % got, file=sys.stderr); sys.exit(1)
PY
"$KYOCHO" contacts --for JP --contacts "$C" | grep -q 'example-e2e-poc' ||
    fail "the new record is not matched for JP"

# the new record is in the list; its detail shows its fields
keys con / 'e2e-poc' Enter
wait_for con '^ +example-e2e-poc +id +example-e2e-poc'
wait_for con ' hours +Mon-Fri 09:00-18:00'
wait_for con '(OPEN, closes|CLOSED, opens) at [0-9]{2}:[0-9]{2}'

# a concurrent change: someone else edits the file; our edit is refused
printf '\n# changed by someone else\n' >> "$C"
cp "$C" "$WORK/theirs.txt"
keys con e
wait_for con 'Edit record'
keys con Down C-u 'Other KK' C-x
wait_for con 'NOT SAVED: '
cmp -s "$C" "$WORK/theirs.txt" || fail "a refused save changed the file"
keys con R
wait_for con 'reloaded'

# after the reload the same edit goes through, and touches only that field
keys con e
wait_for con 'Edit record'
keys con Down C-u 'Edited KK' C-x
wait_for con "done: example-e2e-poc saved to $C"
"$KYOCHO" contacts --check --contacts "$C" >/dev/null 2>&1 ||
    fail "kyocho contacts --check fails after the edit"
python3 - "$WORK/orig.txt" "$C" <<'PY' || fail "the edit changed more than its field"
import sys
orig = open(sys.argv[1], "rb").read()
new = open(sys.argv[2], "rb").read()
if not new.startswith(orig):
    print("other records changed", file=sys.stderr); sys.exit(1)
rest = new[len(orig):].decode("utf-8")
for want in ("org: Edited KK", "# changed by someone else", "email: soc@test.example"):
    if want not in rest:
        print("missing %r" % want, file=sys.stderr); sys.exit(1)
if "テスト株式会社" in rest:
    print("the old org is still there", file=sys.stderr); sys.exit(1)
PY

keys con q
wait_for con 'KYOCHO-EXIT=0'
echo "tui_contacts: ok"
