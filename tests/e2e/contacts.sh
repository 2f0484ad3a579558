#!/bin/bash
# contacts.sh -- `kyocho contacts` end to end:
#  - the shipped data/contacts.txt passes --check (exit 0);
#  - a damaged file gives exactly the expected FILE:LINE diagnostics, exit 1;
#  - --json --at: for contacts in many zones, at instants around each zone's
#    2026 DST transitions (from zdump) and a few others, local_time and
#    utc_offset_s equal what `TZ=zone date` says;
#  - --for orders the prefix match first.
set -u
: "${KYOCHO:?}" "${SRCDIR:?}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# 1. Shipped data.
( cd "$SRCDIR" && "$KYOCHO" contacts --check --data "$SRCDIR/data" ) > "$T/check.out" 2> "$T/check.err" ||
    { cat "$T/check.out"; fail "kyocho contacts --check on data/contacts.txt"; }
[ -s "$T/check.out" ] && { cat "$T/check.out"; fail "diagnostics on data/contacts.txt"; }
grep -q "0 invalid, 0 problems" "$T/check.err" || fail "check summary: $(cat "$T/check.err")"

# 2. A damaged file.
printf '%s\n' \
    '# damaged on purpose' \
    'id: one' \
    'org: One' \
    'timezone: Europe/Moskva' \
    'hours: Mon-Fri 9:00-18:00' \
    '' \
    'id: one' \
    'org: Two' \
    'abuse-email: abuse(at)example.net' \
    'url: example.net' \
    '' \
    'org: Three' \
    'country: RU' \
    'prefixes: 192.0.2.0/24' \
    '  198.51.100.7/24' \
    'asn: AS4294967296' \
    'languages: russian' \
    'verified: 26-11-2026' \
    '' \
    'id: four' \
    'org: Four' \
    '' > "$T/bad.txt"
printf 'id: five\norg: F\xe9e\n' >> "$T/bad.txt"
cat > "$T/bad.want" <<W
$T/bad.txt:4: timezone: 'Europe/Moskva' is not a known zone (an IANA name such as Asia/Tokyo)
$T/bad.txt:5: hours: 'Mon-Fri 9:00-18:00' is not a time range such as 09:00-18:00
$T/bad.txt:7: id: 'one' is already used by the record at line 2
$T/bad.txt:9: abuse-email: 'abuse(at)example.net' is not an e-mail address (user@example.net)
$T/bad.txt:10: url: 'example.net' is not an http or https URL
$T/bad.txt:12: id: missing (every record needs a unique id)
$T/bad.txt:15: prefixes: '198.51.100.7/24' has host bits set (did you mean 198.51.100.0/24?)
$T/bad.txt:16: asn: 'AS4294967296' is not an AS number (AS64496, 64496 or a range AS64496-AS64511; 1 to 4294967295)
$T/bad.txt:17: languages: 'russian' is not a BCP 47 language tag (ja, en, ru, pt-BR)
$T/bad.txt:18: verified: '26-11-2026' is not a date (YYYY-MM-DD)
$T/bad.txt:24: org: invalid UTF-8 at byte 7 of the line
W
"$KYOCHO" contacts --check --contacts "$T/bad.txt" > "$T/bad.got" 2> "$T/bad.err"
rc=$?
[ $rc = 1 ] || fail "--check on a damaged file exited $rc, want 1"
diff -u "$T/bad.want" "$T/bad.got" || fail "diagnostics differ"
grep -q "5 records, 4 invalid, 11 problems" "$T/bad.err" || fail "summary: $(cat "$T/bad.err")"
# Listing still works and leaves the bad records out.
"$KYOCHO" contacts --contacts "$T/bad.txt" --json > "$T/bad.json" 2> "$T/bad.json.err" ||
    fail "listing a damaged file"
grep -q '"id": "four"' "$T/bad.json" || fail "valid record missing from the listing"
grep -q '"id": "one"' "$T/bad.json" && fail "invalid record listed"
grep -q "4 invalid records left out" "$T/bad.json.err" || fail "no warning about invalid records"

# 3. Local times against date(1).
zones="America/New_York America/Chicago America/Denver America/Los_Angeles
America/Anchorage Pacific/Honolulu America/Sao_Paulo America/Santiago
America/Havana America/Asuncion America/St_Johns Atlantic/Azores
Europe/London Europe/Dublin Europe/Lisbon Europe/Paris Europe/Moscow
Europe/Kyiv Europe/Chisinau Africa/Casablanca Africa/Cairo Asia/Gaza
Asia/Beirut Asia/Tehran Asia/Kolkata Asia/Kathmandu Asia/Tokyo
Australia/Sydney Australia/Adelaide Australia/Lord_Howe Pacific/Auckland
Pacific/Chatham Pacific/Apia Antarctica/Troll America/Nuuk"
: > "$T/zones.txt"
i=0
for z in $zones; do
    i=$((i + 1))
    printf 'id: z%d\norg: Zone %s\ntimezone: %s\nhours: Mon-Fri 09:00-18:00\n\n' \
        "$i" "$z" "$z" >> "$T/zones.txt"
    echo "z$i $z" >> "$T/zonemap"
done
"$KYOCHO" contacts --check --contacts "$T/zones.txt" > /dev/null 2>&1 ||
    fail "generated zone contacts do not check"
# Instants: each 2026 transition and the second before it, plus others.
zdump -v -c 2026,2027 $zones | awk '/ UT = / && NF == 16 {print $2, $3, $4, $5, $6, "UTC"}' |
    date -u -f - +%s > "$T/instants"
printf '%s\n' 1764117000 2145916800 2147483647 2147483648 2224512000 \
    2500000000 >> "$T/instants"
sort -un "$T/instants" -o "$T/instants"
n=$(wc -l < "$T/instants")
[ "$n" -gt 60 ] || fail "only $n instants from zdump"
# kyocho: one run per instant, all zones at once.
: > "$T/got"
while read -r t; do
    at=$(date -u -d "@$t" +%Y-%m-%dT%H:%M:%SZ)
    "$KYOCHO" contacts --contacts "$T/zones.txt" --json --at "$at" > "$T/out.json" ||
        fail "kyocho contacts --json --at $at"
    awk -F'"' -v t="$t" '
        /^    "id":/ { id = $4 }
        /^    "local_time":/ { lt = $4 }
        /^    "utc_offset_s":/ { split($0, a, ": "); off = a[2]; sub(",", "", off) }
        /^    "dst":/ { print id, t, lt, off }' "$T/out.json" >> "$T/got"
done < "$T/instants"
# date(1): one run per zone, all instants at once.
: > "$T/want"
sed 's/^/@/' "$T/instants" > "$T/at"
while read -r id z; do
    # (date's own %s is unreliable in a repeated hour: take the input.)
    TZ=$z date -f "$T/at" "+%Y-%m-%dT%H:%M:%S%:z %z" | paste -d' ' "$T/instants" - |
        awk -v id="$id" '{ s = substr($3, 1, 1); h = substr($3, 2, 2) + 0;
               m = substr($3, 4, 2) + 0; o = h * 3600 + m * 60; if (s == "-") o = -o;
               print id, $1, $2, o }' >> "$T/want"
done < "$T/zonemap"
sort "$T/got" -o "$T/got"
sort "$T/want" -o "$T/want"
checked=$(wc -l < "$T/want")
[ "$checked" = $((i * n)) ] || fail "date gave $checked answers, want $((i * n))"
if ! cmp -s "$T/want" "$T/got"; then
    echo "id seconds local_time utc_offset_s: - date(1), + kyocho"
    diff "$T/want" "$T/got" | head -20
    fail "local times differ from date(1)"
fi

# 4. Required fields and ordering for --for.
"$KYOCHO" contacts --data "$SRCDIR/data" --for 192.0.2.200 --json \
    --at 2026-11-26T10:00:00+09:00 > "$T/for.json" || fail "--for 192.0.2.200"
first=$(awk -F'"' '/^    "id":/ {print $4; exit}' "$T/for.json")
[ "$first" = "example-ru-noc" ] || fail "--for 192.0.2.200: first is '$first', want example-ru-noc"
for k in id org kind timezone local_time utc_offset_s dst open; do
    grep -q "^    \"$k\":" "$T/for.json" || fail "--json lacks $k"
done
"$KYOCHO" contacts --data "$SRCDIR/data" --for XX > /dev/null 2>&1 && fail "--for XX accepted"
"$KYOCHO" contacts --data "$SRCDIR/data" --for AS64500 > "$T/for.txt" || fail "--for AS64500"
grep -q "example-br-hosting" "$T/for.txt" || fail "--for AS64500 misses example-br-hosting"
# A record with a country but no zone is offered tzdata's zones for it.
"$KYOCHO" contacts --data "$SRCDIR/data" --for US --json > "$T/us.json" || fail "--for US"
awk '/"id": "nanog"/ {n = 1} n && /"suggested_zones"/ {s = 1} s && /America\/Los_Angeles/ {print "yes"; exit}' \
    "$T/us.json" | grep -q yes || fail "nanog lacks suggested_zones with America/Los_Angeles"
# 5. --for-alert: the demo's outbound flood (a bot at 203.0.113.77, in the
# shipped example customer's 203.0.113.64/26) goes to our customer first,
# and the forums come after every counterpart that can act.
"$B/tools/mkdemo" "$T" > /dev/null || fail "mkdemo"
"$KYOCHO" summary --json --data "$SRCDIR/data" --home 203.0.113.0/24 \
    --link peering-A="$T/demo-peering-A.pcap":10M \
    --link peering-B="$T/demo-peering-B.pcap":10M --threshold syn=300 \
    --threshold udp=300 -r "$T/demo-peering-A.pcap" -r "$T/demo-peering-B.pcap" \
    > "$T/demo.json" || fail "summary of the demo"
jq -c '[.alerts[] | select(.direction == "outbound")][0]' "$T/demo.json" > "$T/out.alert"
grep -q 203.0.113.77 "$T/out.alert" || fail "no outbound alert from 203.0.113.77: $(cat "$T/out.alert")"
"$KYOCHO" contacts --data "$SRCDIR/data" --our-zone Asia/Tokyo --json \
    --for-alert "$T/out.alert" --at 2026-12-07T02:00:00Z > "$T/fa.json" ||
    fail "--for-alert"
[ "$(jq -r '.[0].id + " " + .[0].role' "$T/fa.json")" = "example-customer customer" ] ||
    fail "--for-alert: first is $(jq -c '.[0] | {id, role}' "$T/fa.json"), want our customer"
jq -e 'all(.[]; .reason != "" and .role != "")' "$T/fa.json" > /dev/null ||
    fail "--for-alert: a suggestion without role or reason"
jq -e '[.[].role] | (index("forum") // 99) > (index("national-csirt") // -1)' \
    "$T/fa.json" > /dev/null || fail "--for-alert: a forum before our national CSIRT"
"$KYOCHO" contacts --data "$SRCDIR/data" --for-alert "$T/nope" > /dev/null 2>&1
[ $? = 1 ] || fail "--for-alert with a missing file: not exit 1"
echo "ok: check, $(wc -l < "$T/bad.want") diagnostics, $checked local times agree with date(1), --for, --for-alert"
