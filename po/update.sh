#!/bin/sh
# Regenerate po/kyocho.pot from the sources and merge it into each
# translation (run from the repository root after changing UI strings;
# then translate the new or fuzzy entries in po/*.po).
set -e
cd "$(dirname "$0")/.."
xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ --add-comments=/ \
    --package-name=kyocho --package-version=0.1.0 \
    --msgid-bugs-address= --no-wrap --sort-by-file \
    -o po/kyocho.pot $(git ls-files 'views/*.c' 'src/*.c')
for po in po/*.po; do
	msgmerge --quiet --update --backup=none --no-wrap "$po" po/kyocho.pot
done
