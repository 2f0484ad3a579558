#!/bin/bash
# tui_ja.sh -- the terminal in Japanese (LANG=ja_JP.UTF-8): translated
# screens, keys and help, columns aligned by display width (wide
# characters take two columns), and the final overview compared with
# tests/screens/. Generates the ja_JP.UTF-8 locale when it is missing.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRCDIR/tests/e2e/tmux.inc"

ensure_ja_locale
demo_captures
ARGS="$DEMO_ARGS --speed max"
unset LC_ALL LC_MESSAGES LANGUAGE
start ja 80 24 "env TZ=Asia/Tokyo LANG=ja_JP.UTF-8 $KYOCHO $ARGS"

wait_for ja '^ kyocho '
wait_for ja '^ 1 概況 +2 アラート'
wait_for ja 'ドロップ 0'
wait_for ja '^ 回線'
wait_for ja '再生完了' 900
wait_for ja '発生中のアラート'
wait_for ja 'q 終了'
check_clean ja 80 24
golden ja demo-overview-ja-80x24.txt '1s/UTC .*$/UTC (clocks)/'

keys ja 2
wait_for ja '^ +種別 +方向 +攻撃先 +現在 +ピーク'
# the wide-character header lines up with the rows: "攻撃先" starts at
# the same column as the addresses below it
python3 - "$(screen ja)" <<'PY' || fail "Japanese column headers are misaligned"
import sys, unicodedata
def cols(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = sys.argv[1].split("\n")
head = next(l for l in lines if "攻撃先" in l)
row = next(l for l in lines if "203.0.113." in l)
if cols(head[:head.index("攻撃先")]) != cols(row[:row.index("203.0.113.")]):
    print(head); print(row); sys.exit(1)
PY
keys ja Enter
wait_for ja '上位の送信元'
wait_for ja '送信元アドレス詐称'
keys ja Escape
keys ja '?'
wait_for ja 'kyocho のキー操作'
wait_for ja '全画面共通'
wait_for ja 'この画面: アラート'
snap ja help-alerts-ja-80x24.txt
keys ja x
wait_gone ja 'kyocho のキー操作'
keys ja 4
wait_for ja 'SYN/秒の凡例: \. 赤 100 未満'
keys ja q
wait_for ja 'KYOCHO-EXIT=0'
echo "tui_ja: ok"
