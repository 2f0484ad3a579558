#!/usr/bin/env bash
# make install / uninstall honour PREFIX and DESTDIR: binary, man pages and
# data land where they should, the installed binary finds its data, and
# uninstall removes what install put there.
set -euo pipefail
: "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
make -s -C "$SRCDIR" install DESTDIR="$tmp/root" PREFIX=/opt/kyocho >/dev/null
for f in bin/kyocho share/man/man1/kyocho.1 share/man/man5/kyocho.conf.5; do
	[ -e "$tmp/root/opt/kyocho/$f" ] || { echo "FAIL install: missing $f"; fail=1; }
done
[ -d "$tmp/root/opt/kyocho/share/kyocho" ] || { echo "FAIL install: no data dir"; fail=1; }
"$tmp/root/opt/kyocho/bin/kyocho" --version | grep -q '^kyocho ' ||
    { echo "FAIL installed binary --version"; fail=1; }
make -s -C "$SRCDIR" uninstall DESTDIR="$tmp/root" PREFIX=/opt/kyocho >/dev/null
left=$(find "$tmp/root" -type f | wc -l)
[ "$left" = 0 ] || { echo "FAIL uninstall left $left files:"; find "$tmp/root" -type f; fail=1; }
[ $fail = 0 ] && echo "ok   install and uninstall under DESTDIR/PREFIX"
exit $fail
