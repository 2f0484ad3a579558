#!/usr/bin/env bash
# make bench: every benchmark prints rates and ratios against a floor that is
# measured in the same run on the same machine. Nothing here asserts a time.
# $1 = absolute build directory.
set -euo pipefail
B=${1:?build dir}
here=$(cd "$(dirname "$0")" && pwd)
status=0
for s in "$here"/*.sh; do
	[ "$(basename "$s")" = run.sh ] && continue
	echo "== $(basename "$s" .sh)"
	bash "$s" "$B" || { echo "bench $(basename "$s") failed"; status=1; }
done
exit $status
