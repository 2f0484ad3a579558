#!/bin/bash
# export.sh -- issue 17: `kyocho incident export` and `import`.
#
# The fixture journal tests/data/journals/2026-11-26-0001.jsonl (share-peer
# overridden, share-csirt never answered) is exported with a fixed --at in
# each format; every document is validated against the format's own
# published definitions (tests/data/schemas/, see SOURCE there) by
# tests/e2e/validate_export.py with Debian's python3-jsonschema, and
# compared with its golden file (tests/golden/export/). Regenerate those
# after an intended change with
#   KYOCHO_REGEN_EXPORT=1 KYOCHO=build/kyocho SRCDIR=. bash tests/e2e/export.sh
# Refusals (checklist incomplete, TLP:RED, TLP:AMBER+STRICT to a recipient
# outside its scope) are checked for their message and journal entry;
# spoofed sources never become indicators; the X-ARF v4 sample report and a
# MISP event shaped as MISP's own test event open the expected incidents.
set -u
: "${KYOCHO:?} ${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "export: FAILED: $*"; exit 1; }
export XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/share" HOME="$tmp" TZ=UTC
G="$SRCDIR/tests/golden/export"
V() { python3 "$SRCDIR/tests/e2e/validate_export.py" "$@"; }
ID=2026-11-26-0001
mkstate() {	# mkstate DIR [sed expression for the journal]
	mkdir -p "$1/incidents"
	sed -e "${2:-}" "$SRCDIR/tests/data/journals/$ID.jsonl" >"$1/incidents/$ID.jsonl"
}
K() { local st=$1; shift; "$KYOCHO" incident "$1" --state "$st" --data "$SRCDIR/data" \
	--contacts "$SRCDIR/tests/data/export/contacts.txt" --org "ExampleNet NOC" \
	--noc-email noc@example.net --operator sato --at 2026-11-27T00:00:00Z "${@:2}"; }
last() { tail -n 1 "$1/incidents/$ID.jsonl"; }

# --- the exports, validated and compared with their goldens
mkstate "$tmp/a"
K "$tmp/a" override $ID share-csirt --reason "CSIRT coordination agreed by the duty manager" || fail "override"
for x in "xarf as64500-noc" "misp as64500-noc" "stix cert-xx" "misp cert-xx" "xarf as64501-abuse"; do
	set -- $x
	out="$tmp/$1-$2.json"
	K "$tmp/a" export $ID --format "$1" --for "$2" -o "$out" >"$tmp/path" || fail "export $1 for $2"
	[ "$(cat "$tmp/path")" = "$out" ] || fail "export $1 for $2 did not print its path"
	[ "$(stat -c %a "$out")" = 600 ] || fail "$out is not private (0600)"
	V "$1" "$out" || fail "$1 for $2 does not validate against the $1 definitions"
	sum=$(sha256sum "$out" | cut -d' ' -f1)
	last "$tmp/a" | jq -e --arg f "$1" --arg c "$2" --arg s "$sum" --arg p "$out" \
		'.type == "export" and .outcome == "exported" and .format == $f and .contact == $c and .sha256 == $s and .path == $p' \
		>/dev/null || fail "export $1 for $2 not journaled with its hash: $(last "$tmp/a")"
	if [ -n "${KYOCHO_REGEN_EXPORT:-}" ]; then
		mkdir -p "$G"; cp "$out" "$G/$1-$2.json"
	else
		cmp -s "$out" "$G/$1-$2.json" || { diff -u "$G/$1-$2.json" "$out" | head -40; fail "$1 for $2 differs from its golden file"; }
	fi
done

# Only the recipient's part: AS64500's two reflectors, none of the others.
jq -r '.evidence[0].payload' "$tmp/xarf-as64500-noc.json" | base64 -d >"$tmp/csv"
[ "$(grep -c '^198\.51\.100\.' "$tmp/csv")" = 2 ] || fail "X-ARF for AS64500 lacks its reflectors"
grep -q '192\.0\.2\.200\|2001:db8' "$tmp/csv" && fail "X-ARF for AS64500 carries others' sources"
[ "sha256:$(sha256sum <"$tmp/csv" | cut -d' ' -f1)" = "$(jq -r '.evidence[0].hash' "$tmp/xarf-as64500-noc.json")" ] ||
	fail "X-ARF evidence hash is not the sha256 of its payload"
jq -e '.source_identifier == "192.0.2.200" and .peak_pps == 2310000 and .peak_bps == 21900000000 and .source_port == 123' \
	"$tmp/xarf-as64501-abuse.json" >/dev/null || fail "X-ARF for AS64501: wrong source or rates"
jq -e '[.Event.Tag[].name] == ["tlp:amber", "PAP:AMBER"]' "$tmp/misp-cert-xx.json" >/dev/null ||
	fail "MISP event lacks its TLP and PAP tags"
jq -e '[.objects[] | select(.type == "marking-definition") | .name] == ["TLP:AMBER"]' "$tmp/stix-cert-xx.json" >/dev/null ||
	fail "STIX bundle lacks the TLP:AMBER marking definition"

# --- refusals: each with a clear message and a journal entry
mkstate "$tmp/b"
K "$tmp/b" export $ID --format stix --for cert-xx >"$tmp/out" 2>"$tmp/err" && fail "exported without the share-csirt checklist"
grep -q "export is a disclosure: share-csirt: the checklist is incomplete" "$tmp/err" || fail "checklist refusal message: $(cat "$tmp/err")"
[ -s "$tmp/out" ] && fail "a refused export printed a document"
last "$tmp/b" | jq -e '.type == "export" and .outcome == "refused" and .contact == "cert-xx" and (.reason | test("checklist"))' \
	>/dev/null || fail "checklist refusal not journaled: $(last "$tmp/b")"

mkstate "$tmp/r" 's/"tlp":"TLP:AMBER"/"tlp":"TLP:RED"/'
K "$tmp/r" export $ID --format xarf --for as64500-noc >/dev/null 2>"$tmp/err" && fail "TLP:RED exported"
grep -q "is TLP:RED: its evidence never leaves the NOC" "$tmp/err" || fail "TLP:RED message: $(cat "$tmp/err")"
last "$tmp/r" | jq -e '.outcome == "refused" and .tlp == "TLP:RED" and (.reason | test("TLP:RED"))' >/dev/null ||
	fail "TLP:RED refusal not journaled: $(last "$tmp/r")"

mkstate "$tmp/s" 's/"tlp":"TLP:AMBER"/"tlp":"TLP:AMBER+STRICT"/'
K "$tmp/s" override $ID share-csirt --reason test || fail "override (strict)"
K "$tmp/s" export $ID --format misp --for cert-xx >/dev/null 2>"$tmp/err" && fail "TLP:AMBER+STRICT went to a CSIRT"
grep -q "TLP:AMBER+STRICT: it goes only to the organisation it concerns, and no network of cert-xx" "$tmp/err" ||
	fail "AMBER+STRICT message: $(cat "$tmp/err")"
last "$tmp/s" | jq -e '.outcome == "refused" and .contact == "cert-xx"' >/dev/null || fail "AMBER+STRICT refusal not journaled"
K "$tmp/s" export $ID --format misp >/dev/null 2>"$tmp/err" && fail "TLP:AMBER+STRICT went to nobody named"
K "$tmp/s" export $ID --format xarf --for as64500-noc -o "$tmp/strict.json" >/dev/null ||
	fail "TLP:AMBER+STRICT refused to the organisation it concerns: $(cat "$tmp/err")"
jq -e '.tags[0] == "tlp:amber+strict"' "$tmp/strict.json" >/dev/null || fail "X-ARF lacks tlp:amber+strict"

# --- spoofed sources are not exported as indicators
mkstate "$tmp/p" 's/"spoofing":"low"/"spoofing":"high"/g'
K "$tmp/p" override $ID share-csirt --reason test || fail "override (spoofed)"
K "$tmp/p" export $ID --format misp --for cert-xx -o "$tmp/sp-misp.json" >/dev/null || fail "MISP of a spoofed attack"
V misp "$tmp/sp-misp.json" || fail "MISP of a spoofed attack does not validate"
jq -e '[.Event.Object[].Attribute[] | select(.object_relation == "ip-src")] | length == 0' "$tmp/sp-misp.json" >/dev/null ||
	fail "spoofed sources exported as ip-src"
K "$tmp/p" export $ID --format stix --for cert-xx -o "$tmp/sp-stix.json" >/dev/null || fail "STIX of a spoofed attack"
V stix "$tmp/sp-stix.json" || fail "STIX of a spoofed attack does not validate"
jq -e '[.objects[] | select(.type == "indicator")] | length == 0' "$tmp/sp-stix.json" >/dev/null ||
	fail "spoofed sources exported as STIX indicators"
K "$tmp/p" export $ID --format xarf --for as64500-noc >/dev/null 2>"$tmp/err" && fail "X-ARF accused spoofed sources"
grep -q "the sources are spoofed" "$tmp/err" || fail "spoofed X-ARF message: $(cat "$tmp/err")"

# --- a draft names the export that fits its recipient
mkstate "$tmp/d"
d=$(K "$tmp/d" draft $ID ddos-filter-request --contact as64500-noc --attach) || fail "draft --attach"
grep -q "^Attachment: $tmp/d/exports/$ID-xarf-as64500-noc.json (X-ARF v4, sha256 [0-9a-f]\{64\})$" "$d" ||
	fail "draft does not name its X-ARF attachment: $(tail -2 "$d")"
V xarf "$tmp/d/exports/$ID-xarf-as64500-noc.json" || fail "attached X-ARF does not validate"

# --- import: the X-ARF v4 sample and a MISP event open outbound-bots incidents
S="$SRCDIR/tests/data/schemas/samples"
i1=$(K "$tmp/i" import "$S/xarf-connection-ddos.json") || fail "import X-ARF sample"
i2=$(K "$tmp/i" import "$S/misp-event-bots.json") || fail "import MISP event"
j="$tmp/i/incidents"
jq -se '.[0].kind == "outbound-bots" and .[0].source == "import" and .[0].tlp == "TLP:AMBER" and
	.[1].direction == "outbound" and .[1].target == "203.0.113.100" and .[1].peak_pps == 250000 and
	.[1].top_sources[0].addr == "192.0.2.155" and .[1].start == "2025-01-11T08:45:00Z" and
	.[3].type == "contact" and .[3].whom == "DDoS Protection Service" and .[3].channel == "xarf"' \
	"$j/$i1.jsonl" >/dev/null || fail "X-ARF import: $(cat "$j/$i1.jsonl")"
grep -q "9ac39cd1-85f3-4c31-ae87-a0a95f3ebc83 from ddos@ddos-monitor.example" "$j/$i1.jsonl" || fail "X-ARF report id/sender not noted"
jq -se '.[0].kind == "outbound-bots" and .[0].tlp == "TLP:GREEN" and .[1].top_sources[0].addr == "203.0.113.45" and
	.[1].target == "198.51.100.9" and .[3].whom == "CIRCL" and .[3].channel == "misp"' \
	"$j/$i2.jsonl" >/dev/null || fail "MISP import: $(cat "$j/$i2.jsonl")"
echo '{"xarf_version":"3.0.0"}' >"$tmp/v3.json"
K "$tmp/i" import "$tmp/v3.json" >/dev/null 2>"$tmp/err" && fail "an X-ARF v3 report was imported"
grep -q "is not 4.x" "$tmp/err" || fail "X-ARF v3 message: $(cat "$tmp/err")"
echo "export: ok"
