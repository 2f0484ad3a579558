#!/bin/bash
# regen.sh [KYOCHO] [OUTDIR] -- write the golden reports of every fixed
# journal in tests/data/journals/ (text, md, html; en, ja) into OUTDIR
# (default: this directory). Run it when a change to the reports is
# intended, look at `git diff tests/golden`, and commit the result.
# tests/e2e/report_golden.sh runs it into a temporary directory and
# compares. Nothing of the machine reaches the reports: no config, the
# shipped data, and time zones compiled here with zic(8) from
# tests/data/tz/golden.zi (TZDIR), not the machine's tzdata.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
K=${1:-$src/build/kyocho}
out=${2:-$here}
st=$(mktemp -d)
trap 'rm -rf "$st"' EXIT
mkdir -p "$st/incidents" "$st/config" "$st/data" "$st/zoneinfo"
zic=$(command -v zic || echo /usr/sbin/zic)	# (libc-bin; not in every PATH)
"$zic" -d "$st/zoneinfo" "$src/tests/data/tz/golden.zi"
export XDG_CONFIG_HOME="$st/config" XDG_DATA_HOME="$st/data" \
    TZDIR="$st/zoneinfo" TZ=UTC
for j in "$src"/tests/data/journals/*.jsonl; do
	id=$(basename "$j" .jsonl)
	cp "$j" "$st/incidents/"
	for lang in en ja; do
		for fmt in text md html; do
			"$K" report --state "$st" --data "$src/data" \
			    --our-zone Asia/Tokyo \
			    --format "$fmt" --lang "$lang" \
			    -o "$out/$id.$lang.$fmt" "$id" 2>/dev/null
		done
	done
done
