#!/bin/bash
# prefix_image.sh -- `kyocho prefix build` and the mapped image it writes
# (kyocho-prefixes(5)) give the same `kyocho lookup --json --no-dns` answers
# (AS, organisation, country, routed) as parsing the CSVs, for every range's
# first and last address and their neighbours and for random addresses; a
# changed CSV makes the image stale (not used, same answers); `prefix verify`
# finds a damaged body.
# With the shipped extract always; with the full data too when `make data`
# installed it in the user's data directory (or KYOCHO_FULL_DATA names a
# data directory holding prefix/): not needed in CI.
# Env: KYOCHO, SRCDIR. Seed: SEED (printed).
set -u
: "${KYOCHO:?}" "${SRCDIR:?}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
SEED=${SEED:-$(( $(date +%s) % 100000 ))}
fail=0
full=${KYOCHO_FULL_DATA:-${XDG_DATA_HOME:-$HOME/.local/share}/kyocho}
# Hermetic from here: the data directories are the ones given.
export HOME=$T/home XDG_DATA_HOME=$T/xdg XDG_CONFIG_HOME=$T/config TZ=UTC
mkdir -p "$HOME"

# Addresses from the CSVs: each row's ends and their neighbours (all rows
# if there are at most ROWS, else ROWS random rows per file), then RANDOM
# random IPv4 and IPv6 addresses.
cat >"$T/addrs.pl" <<'PL'
use strict; use warnings;
my ($seed, $rows, $random, @files) = @ARGV;
srand($seed);
sub v4 { my $n = shift; $n = ($n + 2**32) % 2**32; join '.', unpack 'C4', pack 'N', $n }
sub v6 {	# neighbours of an IPv6 address through its last 16 bits
	my ($a, $d) = @_;
	my @p = split /:/, $a, -1;
	return undef unless @p == 8 && !grep { $_ eq '' } @p;	# full form only
	$p[7] = sprintf '%x', (hex($p[7]) + $d) % 65536;
	join ':', @p;
}
for my $f (@files) {
	open my $fh, '<', $f or next;
	my @all = grep { /^[0-9a-fA-F:.]+,/ } <$fh>;
	my @pick = @all <= $rows ? @all : map { $all[int(rand(@all))] } 1 .. $rows;
	for (@pick) {
		my ($lo, $hi) = split /,/;
		for my $a ($lo, $hi) {
			if ($a =~ /^\d+\.\d+\.\d+\.\d+$/) {
				my $n = unpack 'N', pack 'C4', split /\./, $a;
				print v4($n + $_), "\n" for -1 .. 1;
			} else {
				print "$a\n";
				for my $d (-1, 1) { my $b = v6($a, $d); print "$b\n" if defined $b }
			}
		}
	}
}
for (1 .. $random) {
	print v4(int(rand(2**32))), "\n";
	printf "%x:%x:%x::%x\n", 0x2000 + int(rand(0x2000)), int(rand(65536)), int(rand(65536)), int(rand(65536));
}
PL

# check NAME DIR ROWS RANDOM: DIR/prefix holds the CSVs (and overrides).
check() {
	local name=$1 src=$2 rows=$3 random=$4 a=$T/$1-img b=$T/$1-csv
	mkdir -p "$a/prefix" "$b/prefix"
	cp "$src"/prefix/*.csv "$a/prefix/"
	cp "$src"/prefix/*.csv "$b/prefix/"
	for d in "$a" "$b"; do	# the same overrides in both, none if none
		[ -f "$src/prefix/overrides.txt" ] && cp "$src/prefix/overrides.txt" "$d/prefix/"
		[ -f "$d/prefix/overrides.txt" ] || : >"$d/prefix/overrides.txt"
	done
	"$KYOCHO" prefix build --data "$a" >"$T/build.out" 2>&1 ||
	    { echo "FAIL: $name: prefix build: $(cat "$T/build.out")"; fail=1; return; }
	[ -s "$a/prefix/kyocho-ranges.img" ] || { echo "FAIL: $name: no image"; fail=1; return; }
	"$KYOCHO" prefix --data "$a" | grep -q '^image  *mapped$' ||
	    { echo "FAIL: $name: the image is not used"; "$KYOCHO" prefix --data "$a"; fail=1; }
	"$KYOCHO" prefix --data "$b" | grep -q 'not built' ||
	    { echo "FAIL: $name: the CSV copy should have no image"; fail=1; }
	perl "$T/addrs.pl" "$SEED" "$rows" "$random" "$src"/prefix/asn-ipv4.csv \
	    "$src"/prefix/asn-ipv6.csv "$src"/prefix/asn-country-ipv4.csv \
	    "$src"/prefix/asn-country-ipv6.csv >"$T/addrs"
	# One process each (the CSV parse costs half a second with the full data).
	xargs -a "$T/addrs" -n 100000 "$KYOCHO" lookup --json --no-dns --data "$a" >"$T/img.json" &&
	xargs -a "$T/addrs" -n 100000 "$KYOCHO" lookup --json --no-dns --data "$b" >"$T/csv.json" ||
	    { echo "FAIL: $name: lookup exited non-zero"; fail=1; return; }
	n=$(grep -c '"addr"' "$T/img.json")
	if ! cmp -s "$T/img.json" "$T/csv.json"; then
		echo "FAIL: $name: image and CSV answers differ:"
		diff "$T/img.json" "$T/csv.json" | head -20
		fail=1
	elif [ "$n" -lt "$(wc -l <"$T/addrs")" ]; then
		echo "FAIL: $name: $n answers for $(wc -l <"$T/addrs") addresses"; fail=1
	else
		echo "prefix_image.sh: $name: $n addresses, image and CSVs agree"
	fi
	"$KYOCHO" prefix verify --data "$a" >/dev/null ||
	    { echo "FAIL: $name: verify refuses a fresh image"; fail=1; }

	# A CSV touched after the build: stale, not used, same answers.
	touch -d '2001-01-01 00:00:00' "$a/prefix/asn-ipv4.csv"
	"$KYOCHO" prefix --data "$a" | grep -q 'stale: asn-ipv4.csv changed' ||
	    { echo "FAIL: $name: a touched CSV does not make the image stale"; fail=1; }
	"$KYOCHO" prefix verify --data "$a" >/dev/null 2>&1 &&
	    { echo "FAIL: $name: verify accepts a stale image"; fail=1; }
	head -n 2000 "$T/addrs" | xargs "$KYOCHO" lookup --json --no-dns --data "$a" >"$T/stale.json"
	head -n 2000 "$T/addrs" | xargs "$KYOCHO" lookup --json --no-dns --data "$b" >"$T/csv2.json"
	cmp -s "$T/stale.json" "$T/csv2.json" ||
	    { echo "FAIL: $name: answers with a stale image differ"; fail=1; }

	# Rebuilt, then a byte of the body changed: verify says so.
	"$KYOCHO" prefix build --data "$a" >/dev/null || fail=1
	printf '\x5a' | dd of="$a/prefix/kyocho-ranges.img" bs=1 seek=1000 conv=notrunc 2>/dev/null
	"$KYOCHO" prefix verify --data "$a" 2>"$T/verify.err" >/dev/null &&
	    { echo "FAIL: $name: verify accepts a damaged image"; fail=1; }
	grep -q 'checksum' "$T/verify.err" ||
	    { echo "FAIL: $name: verify's message: $(cat "$T/verify.err")"; fail=1; }
}

echo "prefix_image.sh: seed $SEED"
# --data names where to build: a directory without CSVs is an error, even
# when others (./data here) hold some, and nothing is written anywhere.
mkdir -p "$T/empty"
(cd "$SRCDIR" && "$KYOCHO" prefix build --data "$T/empty" >/dev/null 2>"$T/empty.err") &&
    { echo "FAIL: prefix build succeeded without CSVs in --data"; fail=1; }
grep -q "no prefix CSVs in $T/empty/prefix" "$T/empty.err" ||
    { echo "FAIL: prefix build's message: $(cat "$T/empty.err")"; fail=1; }
[ -e "$SRCDIR/data/prefix/kyocho-ranges.img" ] &&
    { echo "FAIL: prefix build wrote into the source tree"; fail=1; }
check extract "$SRCDIR/data" 100000 2000
if [ -f "$full/prefix/asn-ipv4.csv" ]; then
	check full "$full" 3000 5000
else
	echo "prefix_image.sh: full prefix data: not installed (make data): extract only"
fi
exit $fail
