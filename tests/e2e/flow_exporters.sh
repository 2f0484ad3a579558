#!/bin/bash
# flow_exporters.sh -- 'kyocho flows' on captures from REAL exporters
# (tests/data/flow, see SOURCE there: a Cisco IPFIX template with IPv4 and
# IPv6 fields, ipfixprobe's RFC 5103 biflows, Juniper's sampled frames in
# dataLinkFrameSection), replayed to it on loopback. The truth is what
# tshark's cflow dissector reads in the same datagrams, and for sampled
# frames what tshark decodes in the frames themselves.
#
# env: KYOCHO (binary), SRCDIR.
set -u
KYOCHO=${KYOCHO:-$PWD/build/kyocho}
SRCDIR=${SRCDIR:-$PWD}
D=$SRCDIR/tests/data/flow
T=$(mktemp -d /tmp/kyocho-flowx.XXXXXX)
KPID=""
cleanup() {
	[ -n "$KPID" ] && kill "$KPID" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: flow_exporters.sh: $*"; exit 1; }

for t in tshark python3; do
	command -v $t >/dev/null || fail "$t is not installed (make deps-test)"
done
mkdir -p "$T/home" "$T/config" "$T/data" "$T/state" "$T/cache"
export HOME=$T/home XDG_CONFIG_HOME=$T/config XDG_DATA_HOME=$T/data \
    XDG_STATE_HOME=$T/state XDG_CACHE_HOME=$T/cache TZ=UTC LC_ALL=C

# replay NAME PCAP...: the UDP payloads of the captures, in order, to a new
# 'kyocho flows' on loopback; its JSON in $T/NAME.json, and the captures
# joined (for tshark) in $T/NAME.pcap.
replay() {
	local name=$1 out=$T/$1.json port="" i
	shift
	"$KYOCHO" flows --json --netflow 127.0.0.1:0 --duration 30 --idle 2 \
	    > "$out" 2> "$out.err" &
	KPID=$!
	for i in $(seq 50); do
		port=$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' "$out.err" | head -1)
		[ -n "$port" ] && break
		sleep 0.1
	done
	[ -n "$port" ] || fail "$name: kyocho flows did not start: $(cat "$out.err")"
	python3 - "$port" "$T/$name.pcap" "$@" <<'PY' || fail "$name: replay"
import socket, struct, sys, time
port, joined, files = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
out = open(joined, 'wb')
for n, fn in enumerate(files):
    b = open(fn, 'rb').read()
    e = '<' if struct.unpack('<I', b[:4])[0] == 0xa1b2c3d4 else '>'
    if n == 0:
        out.write(b[:24])
    off = 24
    while off + 16 <= len(b):
        incl = struct.unpack(e + 'I', b[off + 8:off + 12])[0]
        out.write(b[off:off + 16 + incl])
        f = b[off + 16:off + 16 + incl]
        off += 16 + incl
        p, et = 14, struct.unpack('>H', f[12:14])[0]
        while et == 0x8100:
            et, p = struct.unpack('>H', f[p + 2:p + 4])[0], p + 4
        q = p + (f[p] & 15) * 4
        ulen = struct.unpack('>H', f[q + 4:q + 6])[0]
        s.sendto(f[q + 8:q + ulen], ('127.0.0.1', port))
        time.sleep(0.05)
PY
	wait "$KPID" || fail "$name: kyocho flows exited $?: $(cat "$out.err")"
	KPID=""
}

# tshark's reading of a joined capture as PDML.
pdml() {
	tshark -r "$T/$1.pcap" -d udp.port==2055,cflow -d udp.port==4739,cflow \
	    -T pdml 2>/dev/null > "$T/$1.pdml" || fail "$1: tshark cannot read it"
}

# ---- flow records: counts per destination and family -------------------
# check_flows NAME: kyocho's totals and destinations against tshark's
# records: forward packets to the destination, RFC 5103 reverse packets
# to the source, times the sampling rate of the PSAMP options record.
check_flows() {
	pdml "$1"
	python3 - "$1" "$T/$1.json" "$T/$1.pdml" <<'PY' || exit 1
import ipaddress, json, sys
import xml.etree.ElementTree as ET
name, out, pdml = sys.argv[1:4]
d = json.load(open(out))
rate, recs = 1, []
for f in ET.parse(pdml).iter('field'):
    if not f.get('show', '').startswith('Flow '):
        continue
    kids = [(k.get('name'), k.get('show'), k.get('showname', '')) for k in f]
    get = lambda n: [v for k, v, _ in kids if k == n]
    if get('cflow.sampling_packet_interval'):
        i = int(get('cflow.sampling_packet_interval')[0])
        rate = (i + int(get('cflow.sampling_packet_space')[0])) // i
        continue
    fwd = sum(int(v) for k, v, sn in kids if k == 'cflow.packets' and 'Reverse' not in sn)
    rev = sum(int(v) for k, v, sn in kids if k == 'cflow.packets' and 'Reverse' in sn)
    ver = get('cflow.ip_version')
    v4 = (get('cflow.srcaddr') + ['0.0.0.0'])[0], (get('cflow.dstaddr') + ['0.0.0.0'])[0]
    v6 = (get('cflow.srcaddrv6') + ['::'])[0], (get('cflow.dstaddrv6') + ['::'])[0]
    src, dst = v4 if (ver and ver[0] == '4') else v6 if ver else v4
    recs.append((src, dst, fwd, rev))
truth, fam = {}, {4: 0, 6: 0}
for src, dst, fwd, rev in recs:
    truth[dst] = truth.get(dst, 0) + fwd * rate
    truth[src] = truth.get(src, 0) + rev * rate
    fam[ipaddress.ip_address(dst).version] += (fwd + rev) * rate
got = {x['addr']: x['packets'] for x in d['top_destinations']}
c = d['collectors'][0]
errs = []
print('  %-10s records %d (tshark %d, %d with reverse packets) rate 1:%d'
      % (name, c['records'], len(recs), sum(1 for r in recs if r[3]), rate))
print('  %-10s ipv4 %d (tshark %d) ipv6 %d (tshark %d)'
      % (name, d['totals']['ipv4']['packets'], fam[4], d['totals']['ipv6']['packets'], fam[6]))
if c['malformed'] or c['unknown_templates'] or c.get('skipped_records', 0):
    errs.append('malformed %d unknown %d skipped %d' % (c['malformed'], c['unknown_templates'], c.get('skipped_records', 0)))
if d['totals']['ipv4']['packets'] != fam[4] or d['totals']['ipv6']['packets'] != fam[6]:
    errs.append('family totals differ from tshark')
want = {a: n for a, n in truth.items() if n}
if len(got) < len(d['top_destinations']) or any(got.get(a) != n for a, n in want.items() if a in got) \
        or sum(got.values()) > sum(want.values()):
    errs.append('destinations %s, tshark %s' % (sorted(got.items()), sorted(want.items())))
top = max(want.values())
if d['top_destinations'][0]['packets'] != top or d['top_destinations'][0]['addr'] not in want:
    errs.append('top destination %s' % d['top_destinations'][0])
if errs:
    print('FAIL: flow_exporters.sh: %s: %s' % (name, '; '.join(errs)))
    sys.exit(1)
PY
}

replay cisco "$D/physicalinterfaces.pcap"
check_flows cisco
replay ipfixprobe "$D/ipfixprobe-templates.pcap" "$D/ipfixprobe-data.pcap"
check_flows ipfixprobe

# ---- sampled frames (dataLinkFrameSection) -----------------------------
# check_frames NAME MAXSKIP: every frame section is a record or a skipped
# record; what kyocho counts per destination matches tshark's decode of
# the frames (outermost IP header), by packets and bytes.
check_frames() {
	pdml "$1"
	python3 - "$1" "$T/$1.json" "$T/$1.pdml" "$T/$1.frames.pcap" "$2" <<'PY' || exit 1
import json, struct, subprocess, sys
import xml.etree.ElementTree as ET
name, out, pdml, fpcap, maxskip = sys.argv[1:6]
d = json.load(open(out))
frames = []
for f in ET.parse(pdml).iter('field'):
    if not f.get('show', '').startswith('Flow '):
        continue
    kids = {k.get('name'): k.get('value') for k in f}
    if 'cflow.data_link_frame_section' in kids:
        frames.append((int(kids['cflow.data_link_frame_size'], 16),
                       bytes.fromhex(kids['cflow.data_link_frame_section'])))
with open(fpcap, 'wb') as o:
    o.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for size, b in frames:
        o.write(struct.pack('<IIII', 0, 0, len(b), max(size, len(b))) + b)
tf = subprocess.run(['tshark', '-r', fpcap, '-T', 'fields', '-E', 'separator=|',
                     '-e', 'frame.len', '-e', 'frame.protocols', '-e', 'ip.dst', '-e', 'ipv6.dst'],
                    capture_output=True, text=True, check=True).stdout.splitlines()
truth = {}
for line in tf:
    flen, protos, ip4, ip6 = line.split('|')
    layers = protos.split(':')
    outer = next((l for l in layers if l in ('ip', 'ipv6')), None)
    if outer is None:
        continue
    dst = (ip4 if outer == 'ip' else ip6).split(',')[0]
    n, b = truth.get(dst, (0, 0))
    truth[dst] = (n + 1, b + int(flen))
c = d['collectors'][0]
errs = []
print('  %-10s frames %d: records %d skipped %d (tshark finds IP in %d)'
      % (name, len(frames), c['records'], c.get('skipped_records', 0), sum(n for n, _ in truth.values())))
if not frames:
    errs.append('tshark found no frame sections')
if c['malformed'] or c['unknown_templates']:
    errs.append('malformed %d unknown %d' % (c['malformed'], c['unknown_templates']))
if c['records'] + c.get('skipped_records', 0) != len(frames):
    errs.append('%d records + %d skipped for %d frames' % (c['records'], c.get('skipped_records', 0), len(frames)))
if c.get('skipped_records', 0) > int(maxskip):
    errs.append('skipped %d, at most %s expected' % (c.get('skipped_records', 0), maxskip))
for x in d['top_destinations']:
    n, b = truth.get(x['addr'], (0, 0))
    if x['packets'] > n or (x['packets'] == n and x['bytes'] != b):
        errs.append('%s: %d packets %d bytes, tshark %d packets %d bytes' % (x['addr'], x['packets'], x['bytes'], n, b))
if sum(x['packets'] for x in d['top_destinations']) != c['records']:
    errs.append('destinations do not add up to the records')
if errs:
    print('FAIL: flow_exporters.sh: %s: %s' % (name, '; '.join(errs)))
    sys.exit(1)
PY
}

replay juniper "$D/datalink-template.pcap" "$D/datalink-data.pcap"
check_frames juniper 0
replay srv6 "$D/ipfix-srv6-template.pcap" "$D/ipfix-srv6-data.pcap"
check_frames srv6 0
# two frames are Ethernet over MPLS with a control word: kyocho's decoder
# may not reach their IP, but they must show as skipped, not vanish
replay eompls "$D/ethernet-over-mpls-with-control-word-template.pcap" \
    "$D/ethernet-over-mpls-with-control-word-data.pcap"
check_frames eompls 2

echo "flow_exporters.sh: all checks passed"
