#!/bin/bash
# isolated.sh -- make e2e runs each script through tests/run-isolated.sh,
# so the machine stays out: HOME and the XDG directories are fresh, empty
# and the test's own; TZ=UTC, LANG=C.UTF-8 and no LC_*; nothing but the
# harness's variables came through; and a kyocho started here reads no
# user configuration (an unknown key there would be an error).
set -u
fail() { echo "FAIL: isolated.sh: $*"; exit 1; }
: "${KYOCHO:?}" "${SRCDIR:?}"
case $HOME in
*/kyocho-test.*/home) ;;
*) fail "HOME is $HOME, not a directory of this test's own" ;;
esac
root=${HOME%/home}
for v in XDG_CONFIG_HOME:config XDG_DATA_HOME:data XDG_STATE_HOME:state XDG_CACHE_HOME:cache; do
	eval "d=\${${v%%:*}:-}"
	[ "$d" = "$root/${v#*:}" ] || fail "${v%%:*} is '$d', want $root/${v#*:}"
done
for d in "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_STATE_HOME" "$XDG_CACHE_HOME"; do
	[ -d "$d" ] && [ -z "$(ls -A "$d")" ] || fail "$d is not an empty directory"
done
[ "${TZ:-}" = UTC ] || fail "TZ is '${TZ:-}'"
[ "${LANG:-}" = C.UTF-8 ] || fail "LANG is '${LANG:-}'"
bad=$(env | cut -d= -f1 | grep -Ev '^(PATH|LANG|TZ|HOME|XDG_(CONFIG|DATA|STATE|CACHE)_HOME|KYOCHO|B|SRCDIR|KYOCHO_SRCDIR|ASAN_OPTIONS|UBSAN_OPTIONS|LSAN_OPTIONS|CI|KYOCHO_REGEN_SCREENS|KYOCHO_TEST_SEED|KYOCHO_LOOKUP_DATA|PWD|SHLVL|OLDPWD|_)$' | tr '\n' ' ')
[ -z "$bad" ] || fail "variables from outside the harness: $bad"
# The user's configuration is where kyocho looks: here, an empty directory.
mkdir -p "$XDG_CONFIG_HOME/kyocho"
echo "no-such-setting-isolated = 1" > "$XDG_CONFIG_HOME/kyocho/config"
"$KYOCHO" lookup --no-dns --json 203.0.113.1 >/dev/null 2>&1 &&
    fail "kyocho did not read \$XDG_CONFIG_HOME/kyocho/config (the test is blind)"
rm -r "$XDG_CONFIG_HOME/kyocho"
"$KYOCHO" lookup --no-dns --data "$SRCDIR/data" --json 203.0.113.1 >/dev/null ||
    fail "kyocho lookup with the shipped data"
echo "isolated: ok"
