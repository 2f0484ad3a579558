#!/usr/bin/env bash
# make install / uninstall honour PREFIX and DESTDIR: binary, man pages and
# data land where they should, the installed binary finds its data, and
# uninstall removes what install put there. Everything is built in a build
# folder of this test's own (B=$tmp/build) and installed under its
# temporary directory: the suite's $B, whose binary the other tests run,
# is never rebuilt with other paths compiled in.
set -euo pipefail
: "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bld=$tmp/build
mk() { make -s -j2 -C "$SRCDIR" B="$bld" "$@" >/dev/null; }
# The suite's binary (when make check runs this: $B/kyocho) must come out
# of this test as it went in.
suite=${B:+$B/kyocho}
before=$( [ -n "$suite" ] && [ -f "$suite" ] && sha256sum < "$suite" || true)

# 1. Staged: DESTDIR plus a PREFIX, as a package build does.
mk install DESTDIR="$tmp/root" PREFIX=/opt/kyocho
for f in bin/kyocho share/man/man1/kyocho.1 share/man/man5/kyocho.conf.5; do
	[ -e "$tmp/root/opt/kyocho/$f" ] || { echo "FAIL install: missing $f"; fail=1; }
done
[ -f "$tmp/root/opt/kyocho/share/kyocho/contacts.txt" ] ||
    { echo "FAIL install: no data in share/kyocho"; fail=1; }
"$tmp/root/opt/kyocho/bin/kyocho" --version | grep -q '^kyocho ' ||
    { echo "FAIL installed binary --version"; fail=1; }
mk uninstall DESTDIR="$tmp/root" PREFIX=/opt/kyocho
left=$(find "$tmp/root" -type f | wc -l)
[ "$left" = 0 ] || { echo "FAIL uninstall left $left files:"; find "$tmp/root" -type f; fail=1; }

# 2. Installed where it runs (PREFIX only): without --data, from a folder
# with no ./data, the binary finds the data installed with it.
mk install PREFIX="$tmp/usr"
mkdir "$tmp/elsewhere"
out=$(cd "$tmp/elsewhere" && "$tmp/usr/bin/kyocho" contacts --check 2>&1) ||
    { echo "FAIL installed binary: contacts --check: $out"; fail=1; }
case $out in
"$tmp/usr/share/kyocho/contacts.txt: "*" 0 invalid"*) ;;
*) echo "FAIL installed binary did not read its own data: $out"; fail=1 ;;
esac
mk uninstall PREFIX="$tmp/usr"
left=$(find "$tmp/usr" -type f | wc -l)
[ "$left" = 0 ] || { echo "FAIL uninstall left $left files:"; find "$tmp/usr" -type f; fail=1; }

after=$( [ -n "$suite" ] && [ -f "$suite" ] && sha256sum < "$suite" || true)
[ "$before" = "$after" ] || { echo "FAIL install rebuilt the suite's $suite"; fail=1; }

[ $fail = 0 ] && echo "ok   install and uninstall under DESTDIR/PREFIX, in their own build folder"
exit $fail
