#!/bin/bash
# contacts.sh -- 10,000 contacts: load, validate and match (with each
# match's local time and open/closed state), against the floor of reading
# the same file's bytes in the same run. Also the whole `kyocho contacts
# --check` process. $1 = absolute build directory.
set -u
B=${1:?build dir}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
[ -n "${KEEP:-}" ] && trap - EXIT && echo "kept $T"
N=${N:-10000}
zones=(Europe/Moscow America/Sao_Paulo America/New_York Europe/London
    Asia/Tokyo Australia/Sydney Asia/Kolkata Africa/Casablanca
    America/Los_Angeles Europe/Berlin Asia/Shanghai Pacific/Auckland)
ccs=(RU BR US GB JP AU IN MA US DE CN NZ)
kinds=(peering-isp transit-isp hosting csirt national-csirt registrar)
awk -v n="$N" -v zs="${zones[*]}" -v cs="${ccs[*]}" -v ks="${kinds[*]}" '
BEGIN {
    nz = split(zs, z, " "); split(cs, c, " "); nk = split(ks, k, " ")
    print "# generated for the benchmark; documentation addresses only"
    for (i = 0; i < n; i++) {
        j = i % nz + 1
        printf "\nid: bench-%d\norg: Example Org %d 例示組織\nkind: %s\n", i, i, k[i % nk + 1]
        printf "country: %s\ntimezone: %s\n", c[j], z[j]
        if (i % 3 == 0) print "hours: 24x7"
        else if (i % 3 == 1) print "hours: Mon-Fri 09:00-18:00"
        else print "hours: Mon-Fri 09:00-12:00,13:00-17:30; Sat 10:00-14:00"
        printf "languages: en, ja\nabuse-email: abuse%d@example.net\n", i
        printf "phone: +1 555 01%02d\nasn: AS%d\n", i % 100, 64496 + i % 16
        printf "prefixes: 192.0.2.%d/32, 198.51.100.0/%d,\n  2001:db8:%x::/48\n", i % 256, 24 + i % 9, i
        printf "notes: Benchmark record %d.\n  A second line of notes.\n", i
        printf "source: https://www.example.net/%d\nverified: 2026-11-26\n", i
    }
}' > "$T/contacts.txt"
bytes=$(wc -c < "$T/contacts.txt")
echo "contacts: generated $N records, $bytes bytes"
"$B/tools/contacts_bench" "$T/contacts.txt" 5 || { echo "FAIL: contacts_bench"; exit 1; }
# The whole process, against cat(1) of the same file.
t0=$(date +%s%N); cat "$T/contacts.txt" > /dev/null; t1=$(date +%s%N)
"$B/kyocho" contacts --check --contacts "$T/contacts.txt" > /dev/null 2>&1 ||
    { echo "FAIL: kyocho contacts --check"; exit 1; }
t2=$(date +%s%N)
"$B/kyocho" contacts --for 192.0.2.7 --json --contacts "$T/contacts.txt" > /dev/null 2>&1 ||
    { echo "FAIL: kyocho contacts --for"; exit 1; }
t3=$(date +%s%N)
awk -v c=$((t1 - t0)) -v k=$((t2 - t1)) -v f=$((t3 - t2)) 'BEGIN {
    printf "contacts: process: cat %.1f ms, kyocho contacts --check %.1f ms (%.1fx), --for --json %.1f ms (%.1fx)\n",
        c / 1e6, k / 1e6, k / c, f / 1e6, f / c }'
