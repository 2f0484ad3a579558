#!/bin/sh
# run-isolated.sh PROGRAM [ARG...] -- run one test the way a fresh machine
# would, as tmux's regress suite does: `env -i` with only
#
#   PATH                 Debian's default (the tests drive Debian's tools,
#                        not what a user's ~/.pyenv or ~/bin puts first)
#   LANG=C.UTF-8         a UTF-8 locale every Debian has (libc-bin). LC_ALL
#                        and the other LC_* stay unset, so a test that sets
#                        its own LANG (tests/e2e/tui_ja.sh) gets it.
#   TZ=UTC               a test that needs another zone sets its own TZ.
#   HOME, XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_STATE_HOME, XDG_CACHE_HOME
#                        empty directories under a fresh temporary directory
#                        of this test, removed when it ends: no test sees the
#                        user's ~/.config/kyocho/config, the full prefix data
#                        `make data` installs, or journals in ~/.local/state.
#
# and, when the caller set them, the variables the tests are driven by:
# KYOCHO B SRCDIR KYOCHO_SRCDIR (what to test), ASAN_OPTIONS UBSAN_OPTIONS
# LSAN_OPTIONS (make asan), CI, KYOCHO_REGEN_SCREENS (tests/e2e/tmux.inc),
# KYOCHO_TEST_SEED (the seed of the tests' random choices) and
# KYOCHO_LOOKUP_DATA (tests/e2e/lookup.sh). Exits with PROGRAM's status.
set -eu
[ $# -ge 1 ] || { echo "usage: run-isolated.sh PROGRAM [ARG...]" >&2; exit 2; }

LOCALE=C.UTF-8
if ! locale -a 2>/dev/null | grep -qix 'c\.utf-\?8'; then
	echo "run-isolated: the $LOCALE locale is missing (Debian's libc-bin has it)" >&2
	exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kyocho-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir "$tmp/home" "$tmp/config" "$tmp/data" "$tmp/state" "$tmp/cache"

set -- env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=$LOCALE TZ=UTC HOME="$tmp/home" \
    XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" \
    XDG_STATE_HOME="$tmp/state" XDG_CACHE_HOME="$tmp/cache" "$@"
# Insert the pass-through variables after `env -i`, before the program.
for v in KYOCHO B SRCDIR KYOCHO_SRCDIR ASAN_OPTIONS UBSAN_OPTIONS \
    LSAN_OPTIONS CI KYOCHO_REGEN_SCREENS KYOCHO_TEST_SEED KYOCHO_LOOKUP_DATA; do
	eval "isset=\${$v+x} val=\${$v-}"
	# shellcheck disable=SC2154
	[ -n "$isset" ] || continue
	first=$1 second=$2
	shift 2
	set -- "$first" "$second" "$v=$val" "$@"
done
rc=0
"$@" || rc=$?
exit $rc
