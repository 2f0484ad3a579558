#!/bin/bash
# regen.sh [KYOCHO] [OUTDIR] -- write the golden reports of every fixed
# journal in tests/data/journals/ (text, md, html; en, ja) into OUTDIR
# (default: this directory). Run it when a change to the reports is
# intended, look at `git diff tests/golden`, and commit the result.
# tests/e2e/report_golden.sh runs it into a temporary directory and
# compares.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
K=${1:-$src/build/kyocho}
out=${2:-$here}
st=$(mktemp -d)
trap 'rm -rf "$st"' EXIT
mkdir -p "$st/incidents" "$st/config"
export XDG_CONFIG_HOME="$st/config" TZ=UTC
for j in "$src"/tests/data/journals/*.jsonl; do
	id=$(basename "$j" .jsonl)
	cp "$j" "$st/incidents/"
	for lang in en ja; do
		for fmt in text md html; do
			"$K" report --state "$st" --data "$src/data" \
			    --local-offset +09:00 --local-zone JST \
			    --format "$fmt" --lang "$lang" \
			    -o "$out/$id.$lang.$fmt" "$id" 2>/dev/null
		done
	done
done
