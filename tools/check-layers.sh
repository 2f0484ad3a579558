#!/bin/bash
# check-layers.sh -- enforce the include layers of tools/layers.txt.
#
# Usage: tools/check-layers.sh [ROOT]   (ROOT defaults to the checkout
# holding this script). Reads every #include "..." in ROOT/src/*/*.[ch]
# and ROOT/views/*.[ch] and fails (exit 1, one "file:line: why" per
# problem) when
#   - a file sits directly in src/ or in a folder the table does not know;
#   - a src/ header is included without its folder ("util.h" for
#     "base/util.h"), or an included header does not exist;
#   - a folder includes a header from a folder it may not include, and no
#     "except" line of the table allows that one file -> header;
#   - an "except" line is no longer needed (delete it: the debt is paid);
#   - the table's allowed edges, or the modules' own includes (a module
#     is NAME.c + NAME.h, and NAME_impl.h for a private header), go
#     round a loop.
# Needs only bash, awk, sort and tsort.
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || exit 2
table=tools/layers.txt
[ -f "$table" ] || { echo "check-layers: $root/$table is missing" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

shopt -s nullglob
files=(src/*.[ch] src/*/*.[ch] views/*.[ch])
printf '%s\n' "${files[@]}" src/*/*/*.[ch] >"$tmp/files"
# One line per include: FILE:LINE:#include "x.h"
[ ${#files[@]} -gt 0 ] && grep -Hn -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' \
    "${files[@]}" >"$tmp/incs"
touch "$tmp/incs"

awk -v table="$table" -v modedges="$tmp/modedges" -v layeredges="$tmp/layeredges" '
function fail(msg) { print msg; bad = 1 }
function folder_of(path,   n, p) {
	n = split(path, p, "/")
	if (p[1] == "views" && n == 2) return "views"
	if (p[1] == "src" && n == 3) return p[2]
	return ""
}
# A private header NAME_impl.h belongs to module NAME (its .c files share
# the struct layout through it; it may include the public NAME.h).
function module_of(path) { sub(/\.[ch]$/, "", path); sub(/_impl$/, "", path); return path }
BEGIN {
	while ((getline line < table) > 0) {
		tl++
		sub(/#.*/, "", line)
		gsub(/^[ \t]+|[ \t]+$/, "", line)
		if (line == "") continue
		n = split(line, f, /[ \t]+/)
		if (f[1] == "layer") {
			known[f[2]] = 1
			order = order " " f[2]
			print f[2], f[2] > layeredges
			for (i = 3; i <= n; i++) {
				if (f[i] == "-") continue
				allow[f[2], f[i]] = 1
				allowlist[f[2]] = allowlist[f[2]] " " f[i]
				print f[i], f[2] > layeredges
				if (!(f[i] in known))
					fail(table ":" tl ": " f[2] " may include " f[i] \
					    ", which is not declared below it")
			}
		} else if (f[1] == "except" && n >= 3) {
			exc[f[2] SUBSEP f[3]] = table ":" tl
			excused[f[2] SUBSEP f[3]] = 0
		} else
			fail(table ":" tl ": expected \"layer FOLDER ALLOWED...\" or \"except FILE HEADER TODO...\"")
	}
}
FNR == NR {		# the list of files
	if ($0 == "") next
	exists[$0] = 1
	n = split($0, p, "/")
	if (p[1] == "src" && n == 2)
		fail($0 ": sits directly in src/; put it in a folder (tools/layers.txt)")
	else if (p[1] == "src" && n > 3)
		fail($0 ": src/ folders are one level deep")
	else if (!(folder_of($0) in known))
		fail($0 ": folder " folder_of($0) " is not declared in " table)
	else if ($0 ~ /\.h$/)
		byname[p[n]] = byname[p[n]] " " $0
	next
}
{
	file = $0; sub(/:.*/, "", file)
	rest = substr($0, length(file) + 2)
	lineno = rest; sub(/:.*/, "", lineno)
	inc = rest; sub(/^[^"]*"/, "", inc); sub(/".*/, "", inc)
	where = file ":" lineno
	ff = folder_of(file)
	if (ff == "") next
	dir = file; sub(/\/[^\/]*$/, "", dir)
	if (inc ~ /\//) {
		target = "src/" inc
		if (!(target in exists)) { fail(where ": \"" inc "\" is not a header in src/"); next }
	} else if (ff == "views" && (("views/" inc) in exists)) {
		target = "views/" inc
	} else if (("views/" inc) in exists && file ~ /^src\//) {
		target = "views/" inc
	} else if (inc in byname) {
		q = byname[inc]; sub(/^ /, "", q); sub(/^src\//, "", q)
		fail(where ": include \"" q "\", not \"" inc "\" (src/ headers are folder-qualified)")
		next
	} else { fail(where ": \"" inc "\" is not a header in src/ or views/"); next }
	tf = folder_of(target)
	key = (tf == "views") ? target : substr(target, 5)
	if ((file SUBSEP key) in exc) {
		# Allowed by hand: left out of the module graph too, so an
		# exception also names the include that closes a known cycle.
		excused[file SUBSEP key] = 1
		next
	}
	if (tf != ff && !((ff, tf) in allow)) {
		al = allowlist[ff]; if (al == "") al = " nothing"
		fail(where ": " ff "/ may not include " key \
		    " (" ff "/ may include:" al "; see tools/layers.txt)")
	}
	m = module_of(file); t = module_of(target)
	print m, m > modedges
	if (m != t) print t, m > modedges
}
END {
	for (k in excused)
		if (!excused[k]) {
			split(k, e, SUBSEP)
			fail(exc[k] ": exception " e[1] " -> " e[2] ": that include is gone; delete the line")
		}
	exit bad
}' "$tmp/files" "$tmp/incs" >"$tmp/errors"
st=$?
touch "$tmp/modedges" "$tmp/layeredges"

if ! tsort "$tmp/layeredges" >/dev/null 2>"$tmp/loop"; then
	echo "$table: the allowed includes go round a loop:" \
	    $(grep -v 'input contains a loop' "$tmp/loop" | sed 's/^tsort: //') >>"$tmp/errors"
	st=1
fi
if ! tsort "$tmp/modedges" >/dev/null 2>"$tmp/loop"; then
	echo "include cycle between modules:" \
	    $(grep -v 'input contains a loop' "$tmp/loop" | sed 's/^tsort: //') >>"$tmp/errors"
	st=1
fi
if [ "$st" != 0 ]; then
	cat "$tmp/errors"
	echo "check-layers: FAILED (see tools/layers.txt)"
	exit 1
fi
echo "check-layers: $(wc -l <"$tmp/incs") includes in $(wc -l <"$tmp/files") files keep to tools/layers.txt"
