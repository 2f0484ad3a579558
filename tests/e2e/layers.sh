#!/bin/bash
# layers.sh -- tools/check-layers.sh passes on the tree as it is, and fails,
# naming the file and the rule, on each kind of wrong include added to a
# copy: a lower folder reaching up, an unqualified src/ include, a cycle
# between modules of one folder, a file left in src/ itself, a stale
# exception, a table whose allowed edges go upwards.
set -u
: "${SRCDIR:?}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0

fresh() {
	rm -rf "$T/r"
	mkdir -p "$T/r/tools"
	cp -R "$SRCDIR/src" "$SRCDIR/views" "$T/r/"
	cp "$SRCDIR/tools/layers.txt" "$SRCDIR/tools/check-layers.sh" "$T/r/tools/"
}
# expect_fail WHAT PATTERN: the check must exit 1 and print PATTERN (ERE).
expect_fail() {
	local out st
	out=$(bash "$T/r/tools/check-layers.sh" "$T/r" 2>&1); st=$?
	if [ "$st" != 1 ]; then
		echo "FAIL: $1: check exited $st, expected 1"; echo "$out"; fails=$((fails+1))
	elif ! grep -Eq -- "$2" <<<"$out"; then
		echo "FAIL: $1: output lacks /$2/:"; echo "$out"; fails=$((fails+1))
	else
		echo "ok: $1: $(grep -E -m1 -- "$2" <<<"$out")"
	fi
}

fresh
if out=$(bash "$T/r/tools/check-layers.sh" "$T/r" 2>&1); then
	echo "ok: the tree keeps to its layers: $out"
else
	echo "FAIL: the tree breaks its own layers:"; echo "$out"; fails=$((fails+1))
fi

fresh
printf '#include "engine/engine.h"\n' >>"$T/r/src/base/util.c"
n=$(wc -l <"$T/r/src/base/util.c")
expect_fail "base reaching up to engine" \
    "^src/base/util.c:$n: base/ may not include engine/engine.h"

fresh
printf '#include "snapshot.h"\n' >>"$T/r/src/capture/decode.c"
expect_fail "unqualified include" \
    'src/capture/decode.c:[0-9]+: include "detect/snapshot.h", not "snapshot.h"'

fresh
printf '#include "case/draft.h"\n' >>"$T/r/src/case/journal.h"
expect_fail "cycle inside a folder" 'include cycle between modules:.*src/case/journal'

fresh
printf '#include "views/ui.h"\n' >>"$T/r/src/report/report.c"
expect_fail "model including the screens" '"views/ui.h" is not a header in src/'

fresh
printf '#include "ui.h"\n' >>"$T/r/src/report/report.c"
expect_fail "model including a screen header by name" \
    'src/report/report.c:[0-9]+: report/ may not include views/ui.h'

fresh
printf 'int stray;\n' >"$T/r/src/stray.c"
expect_fail "a file in src/ itself" '^src/stray.c: sits directly in src/'

fresh
echo 'except src/base/util.c detect/alert.h TODO(test) nothing includes this' \
    >>"$T/r/tools/layers.txt"
expect_fail "stale exception" 'tools/layers.txt:[0-9]+: exception src/base/util.c -> detect/alert.h'

fresh
sed -i 's/^layer base .*/layer base      cli/' "$T/r/tools/layers.txt"
expect_fail "a table that allows an upward edge" 'base may include cli, which is not declared below it'

[ "$fails" = 0 ] || { echo "layers: $fails failed"; exit 1; }
echo "layers: all passed"
