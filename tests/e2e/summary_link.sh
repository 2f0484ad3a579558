#!/usr/bin/env bash
# summary_link.sh -- `kyocho summary -r FILE` never captures live, even
# when the configuration file names a link on an interface (the form
# kyocho.conf(5) shows: `link = NAME=IFACE:CAPACITY`). The config lives in
# the test's own XDG_CONFIG_HOME and names lo, an interface every machine
# has; the capture is tcpdump's tests/dns_udp_2.pcap (two frames, see
# tests/data/summary-link/SOURCE). The old code opened lo live and never
# returned: `timeout` turns that into a failure instead of a hung suite.
set -u
: "${KYOCHO:?set KYOCHO to the kyocho binary}"
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

mkdir -p "$tmp/home" "$tmp/config/kyocho" "$tmp/data" "$tmp/state" "$tmp/cache"
cap=$SRCDIR/tests/data/summary-link/dns_udp_2.pcap
cat > "$tmp/config/kyocho/config" <<CONF
# the man page's example, on an interface that exists here
link = loopback-A=lo:10G
link = replay=$cap:1G
CONF
run() {	# run ARGS...: kyocho in an empty environment of its own
	env -i PATH="$PATH" LANG=C.UTF-8 TZ=UTC HOME="$tmp/home" \
	    XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" \
	    XDG_STATE_HOME="$tmp/state" XDG_CACHE_HOME="$tmp/cache" \
	    timeout 20 "$KYOCHO" "$@"
}

run summary --json --no-dns --data "$SRCDIR/data" -r "$cap" \
    > "$tmp/out.json" 2> "$tmp/err.txt"
rc=$?
[ $rc != 124 ] || fail "summary -r with a 'link = NAME=lo' line did not return (a live capture on lo?)"
[ $rc = 0 ] || fail "summary exited $rc: $(cat "$tmp/err.txt")"
[ "$(jq '.links | length' "$tmp/out.json")" = 1 ] ||
    fail "summary opened more than the file: $(jq -c .links "$tmp/out.json")"
[ "$(jq -r '.links[0].name' "$tmp/out.json")" = replay ] ||
    fail "the file's link is not named by the config: $(jq -c .links "$tmp/out.json")"
[ "$(jq .packets "$tmp/out.json")" = 2 ] ||
    fail "expected tcpdump's 2 frames, got $(jq .packets "$tmp/out.json")"

# The same with the link on the command line.
run summary --json --no-dns --data "$SRCDIR/data" --link wire=lo:1G \
    -r "$cap" > "$tmp/out2.json" 2> "$tmp/err2.txt"
rc=$?
[ $rc != 124 ] || fail "summary -r with --link NAME=lo did not return"
[ $rc = 0 ] || fail "summary --link exited $rc: $(cat "$tmp/err2.txt")"
[ "$(jq '.links | length' "$tmp/out2.json")" = 1 ] ||
    fail "--link opened lo: $(jq -c .links "$tmp/out2.json")"
echo "summary_link: ok (no live capture from a link setting)"
