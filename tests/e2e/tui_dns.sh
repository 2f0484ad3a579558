#!/bin/bash
# tui_dns.sh -- DNS never blocks the terminal. The demo incident is shown
# with --dns.server pointing at a loopback UDP socket that reads every
# question and never answers, so the reverse names of the alert's target,
# its top sources and the busiest destinations stay outstanding; while they
# are, every key still takes effect (bounded polling, no timing asserts),
# and the alert detail says the names are being resolved. With --no-dns
# the detail asks nothing. Then NSD (as in dns.sh) serves the PTR of the
# attacked server on loopback, and its name shows in the alert detail.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRCDIR/tests/e2e/tmux.inc"
. "$SRCDIR/tests/e2e/port.inc"
. "$SRCDIR/tests/e2e/nsd.inc"
HOLE_PID= NSD_PID=
trap 'tmux_cleanup; [ -n "$HOLE_PID" ] && kill "$HOLE_PID" 2>/dev/null
    [ -n "$NSD_PID" ] && kill "$NSD_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
command -v nsd >/dev/null || fail "nsd is not installed (make deps-test)"

demo_captures

# A UDP socket on a free loopback port that swallows every question and
# counts them in $WORK/asked.
python3 - "$WORK" <<'PY' &
import socket, sys, os
work = sys.argv[1]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
with open(os.path.join(work, "port.tmp"), "w") as f:
    f.write(str(s.getsockname()[1]))
os.rename(os.path.join(work, "port.tmp"), os.path.join(work, "port"))
n = 0
while True:
    s.recvfrom(4096)
    n += 1
    with open(os.path.join(work, "asked"), "w") as f:
        f.write(str(n))
PY
HOLE_PID=$!
i=0
while [ ! -s "$WORK/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ -s "$WORK/port" ] || fail "the silent DNS server did not start"
PORT=$(cat "$WORK/port")

RUN="env TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8 $KYOCHO $DEMO_ARGS"

start hole 120 40 "$RUN --speed 4 --dns.server 127.0.0.1:$PORT --dns.timeout 60000"
start off 120 40 "$RUN --speed max --no-dns"

wait_for hole '^ kyocho +REPLAY'
wait_for hole '2 Alerts \([1-9]' 600
keys hole 2
wait_for hole '^ +Kind'
keys hole Enter
wait_for hole 'Top sources'
# the names are asked and stay pending: the detail says so
wait_for hole '\(resolving\)'
wait_for hole '[0-9]+ names pending \(DNS\)'
i=0
while [ ! -s "$WORK/asked" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$WORK/asked" ] || fail "no DNS question reached the silent server"
echo "questions sent to the silent server so far: $(cat "$WORK/asked")"
keys hole Escape
wait_for hole '^ +Kind'

# while they are outstanding, every key does what it says, promptly
for round in 1 2 3; do
	keys hole 3
	wait_for hole '^ Destination' 20
	keys hole 4
	wait_for hole 'SYN/s legend' 20
	keys hole 1
	wait_for hole 'capture time' 20
	keys hole Tab
	wait_for hole '^ +Kind' 20
	keys hole '?'
	wait_for hole 'kyocho keys' 20
	keys hole x
	wait_gone hole 'kyocho keys' 20
	keys hole Enter
	wait_for hole 'Top sources' 20
	wait_for hole '\(resolving\)' 20
	keys hole Escape
	wait_for hole '^ +Kind' 20
done
check_clean hole 120 40
keys hole q
wait_for hole 'KYOCHO-EXIT=0' 50

# --no-dns: nothing is asked, nothing is pending
wait_for off '^ kyocho +FINISHED' 600
keys off 2
wait_for off '^ +Kind'
keys off Enter
wait_for off 'Top sources'
if screen off | grep -Eq 'resolving|names pending'; then
	fail "--no-dns still shows names being resolved"
fi
keys off q
wait_for off 'KYOCHO-EXIT=0' 50

# a resolver that cannot start: the status line says why, the screens go on
start bad 120 40 "$RUN --speed max --dns.server 999.1.1.1:53"
wait_for bad 'no host names \(DNS\): ' 50
wait_for bad '^ kyocho +(REPLAY|FINISHED)'
keys bad q
wait_for bad 'KYOCHO-EXIT=0' 50

# ---- a real answer from NSD --------------------------------------------
NPORT=$(free_port) || fail "no free port for nsd"
mkdir "$WORK/nsd"
cat > "$WORK/nsd/rev.zone" <<Z
\$ORIGIN 113.0.203.in-addr.arpa.
\$TTL 300
@ SOA ns.test. hostmaster.test. 1 3600 600 86400 60
@ NS ns.test.
10 PTR www.shop.example.jp.
Z
# Every IPv4 address originates from AS64496 (Team Cymru TXT format).
cat > "$WORK/nsd/origin.zone" <<Z
\$ORIGIN origin.asn.cymru.com.
\$TTL 300
@ SOA ns.test. hostmaster.test. 1 3600 600 86400 60
@ NS ns.test.
* TXT "64496 | 0.0.0.0/0 | ZZ | test | 2001-01-01"
Z
nsd_conf "$WORK/nsd" "$NPORT" 113.0.203.in-addr.arpa:rev \
    origin.asn.cymru.com:origin
nsd_start "$WORK/nsd"
i=0
until printf 'ptr 203.0.113.10\nwait\n' | "$B/tools/dnsprobe" --dns.server \
    "127.0.0.1:$NPORT" --dns.timeout 300 2>/dev/null | grep -q www.shop; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "nsd did not start: $(cat "$WORK/nsd/nsd.out" "$WORK/nsd/nsd.log" 2>/dev/null)"
	sleep 0.1
done
start named 120 40 "$RUN --speed max --dns.server 127.0.0.1:$NPORT --dns.timeout 1000"
wait_for named '^ kyocho +FINISHED' 600
keys named 2
wait_for named '^ +Kind'
keys named Enter
wait_for named 'Top sources'
# step through the alerts (Down, in the detail) to the SYN flood
i=0
until screen named | grep -Eq '^ SYN flood +inbound +203\.0\.113\.10 '; do
	i=$((i + 1))
	[ $i -lt 20 ] || fail "no SYN flood on 203.0.113.10 among the alerts"
	first=$(line named 2)
	keys named Down
	wait_line named 2 "$first" differs
done
wait_for named '^ SYN flood +inbound +203\.0\.113\.10 +www\.shop\.example\.jp ' 100
# the sources have no names in this zone: their answers come, none pends
wait_gone named '\(resolving\)' 100
keys named q
wait_for named 'KYOCHO-EXIT=0' 50

# without prefix data, the sources' origin AS comes from DNS
mkdir "$WORK/nodata"
start origin 120 40 "cd $WORK/nodata && env -u XDG_DATA_HOME HOME=$WORK/nodata $RUN --speed max --data $WORK/nodata --dns.server 127.0.0.1:$NPORT --dns.timeout 1000"
wait_for origin '^ kyocho +FINISHED' 600
keys origin 2
wait_for origin '^ +Kind'
keys origin Enter
wait_for origin 'Top sources'
wait_for origin '^ +[0-9]+ [0-9.]+ .* ZZ AS64496$' 100
keys origin q
wait_for origin 'KYOCHO-EXIT=0' 50

start named2 120 40 "$RUN --speed max --dns.server 127.0.0.1:$NPORT --dns.timeout 1000"
wait_for named2 '^ kyocho +FINISHED' 600
keys named2 Escape
keys named2 3
wait_for named2 '^ Destination'
wait_for named2 '203\.0\.113\.10 www\.shop' 100
keys named2 q
wait_for named2 'KYOCHO-EXIT=0' 50
echo "tui_dns: ok"
