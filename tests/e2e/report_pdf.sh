#!/bin/bash
# report_pdf.sh -- the HTML report printed by a real browser: headless
# Chromium prints the ja and en report of a fixed journal to PDF, and
# poppler-utils read it back: pages (pdfinfo), the TLP label on every page
# (the running header/footer of the report's CSS), the Japanese text
# extracted (pdftotext), and a CJK font embedded (pdffonts) -- so a
# Japanese report prints with Japanese glyphs, not boxes.
set -u
: "${KYOCHO:?} ${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "report_pdf: FAILED: $*"; exit 1; }
for t in chromium pdfinfo pdftotext pdffonts; do
	command -v $t >/dev/null || fail "$t is missing (make deps-test)"
done

ID=2026-11-26-0001
mkdir -p "$tmp/state/incidents" "$tmp/home" "$tmp/profile"
cp "$SRCDIR/tests/data/journals/$ID.jsonl" "$tmp/state/incidents/"
E="env -i PATH=$PATH HOME=$tmp/home XDG_CONFIG_HOME=$tmp/home/.config \
    XDG_DATA_HOME=$tmp/home/.local/share XDG_STATE_HOME=$tmp/home/.local/state \
    XDG_CACHE_HOME=$tmp/home/.cache TZ=UTC LANG=C.UTF-8"
for lang in ja en; do
	$E "$KYOCHO" report --state "$tmp/state" --data "$SRCDIR/data" \
	    --our-zone Asia/Tokyo --format html --lang $lang \
	    -o "$tmp/$lang.html" $ID || fail "kyocho report --lang $lang"
	$E timeout 180 chromium --headless --no-sandbox --disable-gpu \
	    --user-data-dir="$tmp/profile" --no-pdf-header-footer \
	    --print-to-pdf="$tmp/$lang.pdf" "file://$tmp/$lang.html" \
	    >"$tmp/chromium.log" 2>&1
	[ -s "$tmp/$lang.pdf" ] || { cat "$tmp/chromium.log"; fail "no PDF for $lang"; }
	pages=$(pdfinfo "$tmp/$lang.pdf" | awk '/^Pages:/ { print $2 }')
	echo "report_pdf: $lang: $pages pages"
	# the fixture has a timeline, checklists and contacts: several A4 pages
	[ -n "$pages" ] && [ "$pages" -ge 3 ] && [ "$pages" -le 40 ] ||
	    fail "$lang: $pages pages"
	tlp=$(grep -o 'TLP:[A-Z+]*' "$tmp/$lang.html" | head -1)
	for i in $(seq "$pages"); do
		pdftotext -f "$i" -l "$i" "$tmp/$lang.pdf" - | grep -qF "$tlp" ||
		    fail "$lang: page $i of $pages has no $tlp"
	done
	pdftotext "$tmp/$lang.pdf" "$tmp/$lang.txt"
	pdffonts "$tmp/$lang.pdf" > "$tmp/$lang.fonts"
done
# Japanese text comes out of the PDF as text (not boxes or nothing)
for w in インシデント報告書 時系列 顧客に対するDDoS攻撃; do
	grep -qF "$w" "$tmp/ja.txt" || fail "ja: '$w' not in the PDF's text"
done
grep -qF 'Incident report' "$tmp/en.txt" || fail "en: no 'Incident report'"
# a CJK font named in the report's CSS is embedded (by name)
grep -Eq '\+(IPAexGothic|IPAPGothic|IPAGothic|NotoSansCJK|NotoSerifCJK)' \
    "$tmp/ja.fonts" || { cat "$tmp/ja.fonts"; fail "ja: no CJK font embedded"; }
echo "report_pdf: ok"
