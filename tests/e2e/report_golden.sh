#!/bin/bash
# report_golden.sh -- reports from the fixed journals in tests/data/journals
# must equal tests/golden byte for byte (tests/golden/regen.sh makes them),
# twice in a row (built from the journal alone). The hostile journal's
# reports must carry no control characters, no bidi overrides, no raw HTML
# from the journal and no live Markdown; text pages must be 80 columns and
# 66 lines.
set -u
: "${KYOCHO:?} ${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "report_golden: FAILED: $*"; exit 1; }

mkdir -p "$tmp/a" "$tmp/b"
bash "$SRCDIR/tests/golden/regen.sh" "$KYOCHO" "$tmp/a" || fail "regen.sh failed"
bash "$SRCDIR/tests/golden/regen.sh" "$KYOCHO" "$tmp/b" || fail "regen.sh failed"
diff -r "$tmp/a" "$tmp/b" >/dev/null || fail "two runs over the same journals differ"
for f in "$tmp"/a/*; do
	g="$SRCDIR/tests/golden/$(basename "$f")"
	[ -f "$g" ] || fail "no golden file $g (run tests/golden/regen.sh)"
	cmp -s "$f" "$g" || { diff -u "$g" "$f" | head -20; fail "$(basename "$f") differs from its golden file"; }
done

# The machine's tzdata does not reach the reports: on a machine whose
# Asia/Tokyo is UTC+10 since 2020 (a file bound over the real one in a
# mount namespace of this test's own; needs root, like tui_live.sh) the
# reports are still the goldens.
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
	zic=$(command -v zic || echo /usr/sbin/zic)
	printf 'Z Asia/Tokyo 9:18:59 - LMT 1887 D 31 15u\n9 - JST 2020\n10 - J10T\n' >"$tmp/fake.zi"
	"$zic" -d "$tmp/fakezi" "$tmp/fake.zi" || fail "zic"
	mkdir -p "$tmp/c"
	unshare -m --propagation private sh -c '
	    mount --bind "$1" /usr/share/zoneinfo/Asia/Tokyo &&
	    [ "$(TZ=Asia/Tokyo date -d @1800000000 +%z)" = +1000 ] &&
	    bash "$2/tests/golden/regen.sh" "$3" "$4"' sh \
	    "$tmp/fakezi/Asia/Tokyo" "$SRCDIR" "$KYOCHO" "$tmp/c" ||
	    fail "regen.sh under a changed /usr/share/zoneinfo"
	diff -r "$tmp/a" "$tmp/c" >/dev/null ||
	    fail "the reports changed with the machine's tzdata"
else
	echo "report_golden: not root, the changed-tzdata check is skipped"
fi

python3 - "$tmp/a" <<'PY' || fail "hostile journal reports (see above)"
import sys, os, re, unicodedata, html.parser
d = sys.argv[1]
bad = 0
def err(m):
    global bad
    print("report_golden:", m); bad += 1
def width(s):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
for name in sorted(os.listdir(d)):
    data = open(os.path.join(d, name), "rb").read()
    text = data.decode("utf-8")            # must be valid UTF-8
    for c in text:
        o = ord(c)
        if (o < 0x20 and c not in "\n\f") or o == 0x7f or 0x80 <= o < 0xa0 \
           or 0x202a <= o <= 0x202e or 0x2066 <= o <= 0x2069 or o in (0x2028, 0x2029):
            err("%s: control or bidi character U+%04X" % (name, o)); break
    if name.endswith(".text"):
        pages = text.split("\f")
        for i, p in enumerate(pages):
            lines = p.split("\n")
            if lines[-1] == "": lines = lines[:-1]
            if len(lines) != 66: err("%s: page %d has %d lines" % (name, i + 1, len(lines)))
            for l in lines:
                if width(l) > 80: err("%s: line wider than 80 columns: %r" % (name, l[:60])); break
            if "TLP:" not in lines[0] or "TLP:" not in lines[-1]:
                err("%s: page %d lacks the TLP label in header or footer" % (name, i + 1))
            if not re.search(r"(page %d of %d|%d / %d )" % (i + 1, len(pages), i + 1, len(pages)), lines[-1]):
                err("%s: page %d footer lacks page n of m" % (name, i + 1))
    if name.endswith(".html"):
        allowed = {"html","head","meta","title","style","body","header","p","h1","h2","span",
                   "section","table","thead","tbody","tr","th","td","div","figure","figcaption",
                   "svg","text","rect","polyline"}
        class P(html.parser.HTMLParser):
            def handle_starttag(self, tag, attrs):
                if tag not in allowed: err("%s: unexpected tag <%s>" % (name, tag))
                for k, v in attrs:
                    if k.startswith("on") or (v and "javascript" in v.lower()):
                        err("%s: attribute %s=%r" % (name, k, v))
        P().feed(text)
        if text.count("<style>") != 1 or text.count("</style>") != 1:
            err("%s: style element broken out of" % name)
    if name.endswith(".md"):
        for l in text.split("\n"):
            if re.search(r"(?<!\\)\[[^\]]*(?<!\\)\]\(", l): err("%s: live Markdown link: %s" % (name, l[:80])); break
            if re.search(r"(?<!\\)<[a-zA-Z/]", l): err("%s: raw HTML in Markdown: %s" % (name, l[:80])); break
            if re.search(r"https?://|www\.", l): err("%s: a URL that GFM would autolink" % name); break
            if l.startswith("|"):
                cells = re.split(r"(?<!\\)\|", l)
                if not hasattr(sys, "_cols") or l.startswith("| ---"):
                    pass
        # every table row has as many cells as its header
        rows = [l for l in text.split("\n") if l.startswith("|")]
        for l in rows:
            n = len(re.split(r"(?<!\\)\|", l))
            if n < 3: err("%s: broken table row" % name)
    if "0666" in name and name.endswith(".text") and "unreadable event" not in text:
        err("%s: the damaged line is not reported" % name)
sys.exit(1 if bad else 0)
PY
echo "report_golden: ok"
