#!/bin/bash
# prefix.sh -- load time and lookup cost of the prefix database, as ratios
# against floors measured in the same run (build/tools/prefixbench):
# loading against mapping the same files and counting their lines, a
# lookup against a loop hashing the same random addresses.
# $1 = absolute build directory.
set -u
B=${1:?usage: prefix.sh BUILD_DIR}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
full=${XDG_DATA_HOME:-$HOME/.local/share}/kyocho/prefix
if [ -f "$full/asn-ipv4.csv" ]; then
	echo "prefix: full ip-location-db data from $full"
	args=()
else
	echo "prefix: full data not installed (make data); using the shipped extract"
	args=(--data "$SRC/data")
fi
# With the full data, load_ms is mapping its image (kyocho-ranges.img,
# built by make data) unless the line below says why not.
echo "prefix: image: $("$B/kyocho" prefix "${args[@]}" | awk '/^image/ {$1=""; print substr($0,2)}')"
"$B/tools/prefixbench" "${args[@]}" | sed 's/^/prefix: /'
