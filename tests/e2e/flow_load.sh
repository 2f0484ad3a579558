#!/bin/bash
# flow_load.sh -- 50 exporters on loopback (127.0.0.2-51, NetFlow v5 and
# IPFIX) at a combined 100k records/s for 5 s (tools/flowflood, bounded,
# stops by itself); kyocho must receive every datagram and record, see 50
# exporters, and report no socket drops (if the kernel dropped any, the
# count is printed and the test fails, since loopback at this rate must
# not lose anything with the collector's receive buffer). Then 49 good
# exporters next to one sending 100k malformed datagrams/s: the good ones
# lose nothing, the junk is counted against its exporter.
set -u
KYOCHO=${KYOCHO:-$PWD/build/kyocho}
B=${B:-$PWD/build}
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
T=$(mktemp -d /tmp/kyocho-flowload.XXXXXX)
KPID=""
cleanup() {
	[ -n "$KPID" ] && kill "$KPID" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: flow_load.sh: $*"; exit 1; }

[ -x "$B/tools/flowflood" ] || fail "$B/tools/flowflood not built"
"$KYOCHO" flows --data "$SRCDIR/data" --json --netflow 127.0.0.1:0 --duration 120 --idle 3 \
    > "$T/out.json" 2> "$T/err" &
KPID=$!
for i in $(seq 50); do
	port=$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' "$T/err" | head -1)
	[ -n "$port" ] && break
	sleep 0.1
done
[ -n "$port" ] || fail "kyocho flows did not start: $(cat "$T/err")"
"$B/tools/flowflood" "$port" 50 100000 5 > "$T/sent" || fail "flowflood failed"
wait "$KPID" || fail "kyocho flows exited with an error: $(cat "$T/err")"
KPID=""
cat "$T/sent"
python3 - "$T/out.json" "$T/sent" <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
w = open(sys.argv[2]).read().split()
sent_d, sent_r = int(w[4]), int(w[6])
c = d['collectors'][0]
print('  received datagrams %d/%d records %d/%d exporters %d socket_drops %d shed %d malformed %d unknown %d'
      % (c['datagrams'], sent_d, c['records'], sent_r, c['exporters'], c['socket_drops'], c['shed'], c['malformed'], c['unknown_templates']))
errs = []
if c['socket_drops']:
    errs.append('kernel dropped %d datagrams' % c['socket_drops'])
if c['datagrams'] != sent_d or c['records'] != sent_r:
    errs.append('lost datagrams or records')
if c['exporters'] != 50 or len(d['exporters']) != 50:
    errs.append('%d exporters, want 50' % c['exporters'])
if c['malformed'] or c['unknown_templates'] or c['shed']:
    errs.append('malformed/unknown/shed not zero')
if c['lost_datagrams'] or c['lost_records']:
    errs.append('sequence gaps reported where nothing was lost')
if sent_r < 400000:
    errs.append('the generator sent only %d records' % sent_r)
if errs:
    print('FAIL: flow_load.sh: ' + '; '.join(errs))
    sys.exit(1)
PY

# ---- one hostile exporter floods junk; the 49 others lose nothing --------
"$KYOCHO" flows --data "$SRCDIR/data" --json --netflow 127.0.0.1:0 --duration 120 --idle 3 \
    > "$T/out2.json" 2> "$T/err2" &
KPID=$!
port=""
for i in $(seq 50); do
	port=$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' "$T/err2" | head -1)
	[ -n "$port" ] && break
	sleep 0.1
done
[ -n "$port" ] || fail "kyocho flows did not start: $(cat "$T/err2")"
"$B/tools/flowflood" "$port" 49 50000 3 127.0.0.1 100000 > "$T/sent2" ||
    fail "flowflood (junk) failed"
wait "$KPID" || fail "kyocho flows exited with an error: $(cat "$T/err2")"
KPID=""
cat "$T/sent2"
python3 - "$T/out2.json" "$T/sent2" <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
w = open(sys.argv[2]).read().split()
sent_d, sent_r, junk = int(w[4]), int(w[6]), int(w[10])
ex = d['exporters']
bad = [e for e in ex if e['peer'] == '127.0.0.254']
good = [e for e in ex if e['peer'] != '127.0.0.254']
c = d['collectors'][0]
gd = sum(e['datagrams'] for e in good)
gr = sum(e['records'] for e in good)
print('  good exporters %d: datagrams %d/%d records %d/%d shed %d; junk exporter: datagrams %d/%d malformed %d shed %d; socket drops %d'
      % (len(good), gd, sent_d, gr, sent_r, sum(e['shed'] for e in good),
         bad[0]['datagrams'] if bad else 0, junk, bad[0]['malformed'] if bad else 0,
         bad[0]['shed'] if bad else 0, c['socket_drops']))
errs = []
if len(good) != 49 or gd != sent_d or gr != sent_r or any(e['shed'] or e['malformed'] for e in good):
    errs.append('well-behaved exporters lost data next to a junk flood')
if not bad or bad[0]['malformed'] + bad[0]['shed'] != bad[0]['datagrams'] or bad[0]['records'] != 0:
    errs.append('the junk exporter was not counted as malformed/shed')
if c['socket_drops']:
    errs.append('kernel dropped %d datagrams' % c['socket_drops'])
if errs:
    print('FAIL: flow_load.sh: ' + '; '.join(errs))
    sys.exit(1)
PY
echo "flow_load.sh: 50 exporters nothing lost; a junk flood starved no one"
