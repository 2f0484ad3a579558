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
mkdir -p "$WORK/state"
cp "$SRCDIR/data/contacts.txt" "$WORK/contacts.txt"
ARGS="$DEMO_ARGS --speed max --no-dns --data $SRCDIR/data --state $WORK/state \
    --contacts $WORK/contacts.txt --operator e2e-ja"
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
# kinds in NOC Japanese
wait_for ja '^ - 反射型増幅攻撃 +流入 +203\.0\.113\.25 '
wait_for ja '^ - SYNフラッド +流入 +203\.0\.113\.10 '
keys ja End
keys ja Enter
wait_for ja '上位の送信元'
wait_for ja '送信元アドレス詐称'
# the spoofing evidence translated, its numbers kept
wait_for ja '送信元の [0-9.]+% が特殊用途・ボゴン空間（RFC 6890）、最多は'
wait_for ja 'ホップ数が不自然：パケットの [0-9.]+% が 30 ホップ超'
screen ja | grep -q 'of sources in special-purpose' &&
    fail "spoofing evidence still in English"
# an incident: its title, timeline and a contact step in Japanese
keys ja e
wait_for ja 'インシデント [0-9-]+ を作成しました'
wait_for ja '^ SYNフラッド 流入 203\.0\.113\.10'
wait_for ja '証跡: 203\.0\.113\.10 SYNフラッド 流入、最大 '
wait_for ja 'N メモ  r 報告書'
keys ja s
wait_for ja 'l 記録'
keys ja l
wait_for ja '連絡試行'
keys ja Enter
wait_for ja 'email'
keys ja Enter
keys ja Enter
wait_for ja '記録しました|logged'
keys ja t
wait_for ja '連絡記録: 連絡試行（メール）'
screen ja | grep -Eq 'syn_flood|inbound| attempt ' &&
    fail "the incident screen still shows the journal's English words"
check_clean ja 80 24
keys ja 2
keys ja Escape
wait_for ja '^ +種別 +方向'
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
