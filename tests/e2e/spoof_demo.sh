#!/bin/bash
# spoof_demo.sh -- the "unrouted sources" spoofing sign on the demo
# (issue 19): the reflection attack's sources are real resolvers, routed,
# but outside the shipped prefix extract. With the extract the sign must
# say it was not assessed, not "82% of sampled sources unrouted"; declared
# complete (prefix-complete = yes in the config file), the same extract is
# taken at its word. Runs isolated: env -i, its own HOME and XDG dirs,
# --data given, TZ and locale fixed.
# Env: KYOCHO, B, SRCDIR.
set -u
: "${KYOCHO:?}" "${B:?}" "${SRCDIR:?}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
pass() { echo "ok: $*"; }

mkdir -p "$T/home" "$T/config/kyocho" "$T/data" "$T/state" "$T/cache"
"$B/tools/mkdemo" "$T" >/dev/null || { echo "spoof_demo.sh: mkdemo failed"; exit 1; }
summary() {
	env -i PATH="$PATH" LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC HOME="$T/home" \
	    XDG_CONFIG_HOME="$T/config" XDG_DATA_HOME="$T/data" \
	    XDG_STATE_HOME="$T/state" XDG_CACHE_HOME="$T/cache" \
	    "$KYOCHO" summary --json --data "$SRCDIR/data" \
	    --home 203.0.113.0/24 --home 2001:db8:100::/48 \
	    --link peering-A="$T/demo-peering-A.pcap":10M \
	    --link peering-B="$T/demo-peering-B.pcap":10M \
	    --threshold syn=300 --threshold udp=300 \
	    -r "$T/demo-peering-A.pcap" -r "$T/demo-peering-B.pcap"
}
# evidence KIND: the spoofing evidence of the first alert of that kind
evidence() {
	jq -r --arg k "$1" '[.alerts[] | select(.kind == $k)][0].spoofing_evidence[]'
}

j=$(summary) || { echo "spoof_demo.sh: summary failed"; exit 1; }
ev=$(evidence amplification <<<"$j")
[ -n "$ev" ] || fail "no amplification alert in the demo"
if grep -qF 'of sampled sources unrouted' <<<"$ev"; then
	fail "extract: routed resolvers called unrouted: $(grep -F unrouted <<<"$ev")"
else
	pass "extract: the reflection's sources are not called unrouted"
fi
grep -qxF 'unrouted sources not assessed: the prefix data is an extract (make data)' <<<"$ev" &&
    pass "extract: the sign says why it is not assessed" ||
    fail "extract: no 'not assessed' line in: $ev"
n=$(jq '[.alerts[].spoofing_evidence[] | select(test("of sampled sources unrouted"))] | length' <<<"$j")
[ "$n" = 0 ] && pass "extract: no alert judges routedness" ||
    fail "extract: $n alerts judge routedness"

# The operator declares the (same) table complete: now it is judged.
echo 'prefix-complete = yes' >"$T/config/kyocho/config"
j=$(summary) || { echo "spoof_demo.sh: summary with prefix-complete failed"; exit 1; }
ev=$(evidence amplification <<<"$j")
grep -qE '^[0-9.]+% of sampled sources unrouted \([0-9]+ of [0-9]+\)$' <<<"$ev" &&
    pass "declared complete: judged ($(grep -F unrouted <<<"$ev"))" ||
    fail "declared complete: not judged: $ev"

[ "$fails" = 0 ] || { echo "spoof_demo.sh: $fails checks failed"; exit 1; }
echo "spoof_demo.sh: all checks passed"
