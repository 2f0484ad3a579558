#!/bin/bash
# tz_zdump.sh -- kyocho's time zone code must agree with zdump (glibc) for
# every zone and link tzdata installs: offset, DST flag, abbreviation and
# local time, at the second before and the second of every transition from
# 1800 to 2037 (the TZif tables, local mean time included), and from 2038 to
# 2075 (the footer's POSIX TZ rule). zdump runs over all zones at once and
# one kyocho process answers for every instant.
set -u
: "${KYOCHO:?}" "${B:?}"
ZI=${TZDIR:-/usr/share/zoneinfo}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

[ -f "$ZI/tzdata.zi" ] || { echo "FAIL: $ZI/tzdata.zi missing (tzdata)"; exit 1; }
# Zones (Z) and links (L) from tzdata's own list; only those installed.
awk '$1=="Z"{print $2} $1=="L"{print $3}' "$ZI/tzdata.zi" | sort -u |
    while read -r z; do [ -f "$ZI/$z" ] && echo "$z"; done > "$T/zones"
nz=$(wc -l < "$T/zones")
[ "$nz" -gt 400 ] || { echo "FAIL: only $nz zones found in $ZI"; exit 1; }

# zdump -v lines: ZONE Dow Mon DD HH:MM:SS YYYY UT = Dow Mon DD HH:MM:SS YYYY ABBR isdst=N gmtoff=N
{ xargs zdump -v -c 1800,1970 < "$T/zones"; xargs zdump -v -c 1970,2038 < "$T/zones"
  xargs zdump -v -c 2038,2075 < "$T/zones"; } |
    awk '/ UT = / && / isdst=/ && NF == 16' > "$T/zd"
n=$(wc -l < "$T/zd")
[ "$n" -gt 80000 ] || { echo "FAIL: zdump gave only $n transition lines"; exit 1; }
awk '{print $2, $3, $4, $5, $6, "UTC"}' "$T/zd" | date -u -f - +%s > "$T/utc" ||
    { echo "FAIL: date could not read zdump's UT times"; exit 1; }
awk '{print $9, $10, $11, $12, $13, "UTC"}' "$T/zd" |
    date -u -f - +%Y-%m-%dT%H:%M:%S > "$T/loc" ||
    { echo "FAIL: date could not read zdump's local times"; exit 1; }
awk '{sub("isdst=", "", $15); sub("gmtoff=", "", $16); print $1, $16, $15, $14}' "$T/zd" > "$T/rest"
paste -d' ' "$T/utc" "$T/loc" "$T/rest" |
    awk '{print $3, $1, $2, $4, $5, $6}' > "$T/expect"
awk '{print $1, "@" $2}' "$T/expect" > "$T/input"
"$KYOCHO" tz --batch < "$T/input" > "$T/got" ||
    { echo "FAIL: kyocho tz --batch failed:"; grep ERROR "$T/got" | head; exit 1; }
if ! cmp -s "$T/expect" "$T/got"; then
    echo "FAIL: kyocho tz disagrees with zdump (zone seconds local offset isdst abbr):"
    diff "$T/expect" "$T/got" | head -20
    exit 1
fi
echo "ok: $nz zones, $n instants agree with zdump"
