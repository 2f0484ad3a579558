#!/usr/bin/env bash
# `kyocho incident new --from-alert FILE` (issue 13): one alert object of
# `summary --json` opens the incident the terminal's `e` would (its kind
# from the rules, the alert's evidence with its ingress); the report shows
# the alert's window, peak and both neighbours of a flood that moved; the
# filtering request to the second peer names its link, our target, the
# protocol and both zones' windows, and no spoofed source. Bad input
# (not an object, no target) fails with exit 1 and says why.
set -euo pipefail
: "${KYOCHO:?} ${B:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data \
	XDG_STATE_HOME=$tmp/state TZ=UTC LC_ALL=C.UTF-8
mkdir -p "$HOME"
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
fail() { echo "FAIL: $*" >&2; exit 1; }
A=02:00:5e:0a:00:01 Bm=02:00:5e:0b:00:01
cap=$tmp/ingress.pcap
"$B/tools/mkcap" ingress "$cap"
"$KYOCHO" summary --json --data "$SRCDIR/data" --home 203.0.113.0/24 \
	-r "$cap" --link "border=$cap" \
	--neighbour "$A=64497:example-peer-a" --neighbour "$Bm=64498:example-peer-b" \
	> "$tmp/s.json"
jq '.alerts[] | select(.kind == "syn_flood" and .target == "203.0.113.80")' \
	"$tmp/s.json" > "$tmp/alert.json"
[ -s "$tmp/alert.json" ] || fail "no moving SYN flood in the summary"
K() { "$KYOCHO" incident --data "$SRCDIR/data" --state "$tmp/st" --operator tanaka "$@"; }
id=$(K new --from-alert "$tmp/alert.json") || fail "new --from-alert"
[[ $id =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{4}$ ]] || fail "id '$id'"
j=$tmp/st/incidents/$id.jsonl
jq -se 'map(select(.type == "created"))[0] | .kind == "spoofed" and .source == "alert" and
	.tlp == "TLP:GREEN" and (.title | test("^syn_flood inbound 203.0.113.80$"))' "$j" >/dev/null ||
	fail "created event: $(head -1 "$j")"
jq -se 'map(select(.type == "evidence"))[-1] | (.end | length > 0) and
	([.ingress[].contact] == ["example-peer-a", "example-peer-b"] or
	 [.ingress[].contact] == ["example-peer-b", "example-peer-a"])' "$j" >/dev/null ||
	fail "evidence event: $(grep evidence "$j")"
start=$(jq -r .start "$tmp/alert.json" | cut -c1-19 | tr T ' ')
end=$(jq -r .end "$tmp/alert.json" | cut -c1-19 | tr T ' ')
"$KYOCHO" report --data "$SRCDIR/data" --state "$tmp/st" "$id" > "$tmp/r.txt" ||
	fail "report"
grep -q "$start" "$tmp/r.txt" || fail "report lacks the start $start"
grep -q "$end" "$tmp/r.txt" || fail "report lacks the end $end"
tr -s ' \n' '  ' < "$tmp/r.txt" | grep -Eq 'Entered through border AS64497 example-peer-a [0-9]+ % \([0-9:]+-[0-9:]+ UTC\) -> border AS64498 example-peer-b' ||
	fail "report lacks the route: $(grep -A2 'Entered' "$tmp/r.txt")"
d=$(K draft "$id" ddos-filter-request --contact example-peer-b \
	--to noc@peer-b.example.net --tz-offset -08:00 --tz-name PST) || fail "draft"
grep -q '^Our link:        border ' "$d" || fail "draft lacks our link"
grep -q '^Target:          203.0.113.80$' "$d" || fail "draft lacks the target"
grep -q '^Protocol/port:   TCP SYN$' "$d" || fail "draft lacks the protocol"
grep -q '^Window (yours):  .* PST (UTC-08:00) -- .* PST' "$d" || fail "draft lacks the window in PST"
top=$(jq -r '.top_sources[0].addr' "$tmp/alert.json")
if grep -qF "$top" "$d"; then fail "draft lists a spoofed source $top"; fi
# Bad input.
echo '[1]' > "$tmp/bad.json"
if K new --from-alert "$tmp/bad.json" 2> "$tmp/err"; then fail "an array was taken"; fi
grep -q 'bad.json: not an alert object' "$tmp/err" || fail "message: $(cat "$tmp/err")"
echo '{"kind":"syn_flood"}' > "$tmp/bad.json"
set +e; K new --from-alert "$tmp/bad.json" 2> "$tmp/err"; rc=$?; set -e
[ $rc = 1 ] || fail "exit $rc for an alert without a target"
grep -q 'no valid "target"' "$tmp/err" || fail "message: $(cat "$tmp/err")"
set +e; K new --from-alert "$tmp/alert.json" --kind spoofed 2>/dev/null; rc=$?; set -e
[ $rc = 2 ] || fail "exit $rc for --kind with --from-alert"
echo "incident_from_alert: ok"
