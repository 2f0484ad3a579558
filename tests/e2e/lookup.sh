#!/bin/bash
# lookup.sh -- `kyocho lookup --json --no-dns` agrees with the published
# CSV data on addresses chosen at random: for random rows of
# asn-ipv{4,6}.csv and asn-country-ipv{4,6}.csv, an address inside the row
# (its first, its last, or for IPv4 a random one) must come back with that
# row's ASN and organisation, or its country. The choices are seeded by a
# fixed seed, printed; KYOCHO_TEST_SEED=N picks others (make check passes it
# through), N=ROWS the rows per file.
# Checks the shipped extract (--data $SRCDIR/data) unless
# KYOCHO_LOOKUP_DATA names another data directory, e.g. the one `make data`
# fills (KYOCHO_LOOKUP_DATA=~/.local/share/kyocho): never whatever happens
# to be installed. Perl (perl-base) does the independent reading.
# Env: KYOCHO, SRCDIR.
set -u
: "${KYOCHO:?}" "${SRCDIR:?}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
data=${KYOCHO_LOOKUP_DATA:-$SRCDIR/data}
dir=$data/prefix
[ -f "$dir/asn-ipv4.csv" ] || { echo "FAIL: no $dir/asn-ipv4.csv"; exit 1; }
SEED=${KYOCHO_TEST_SEED:-20261126}
N=${N:-300}
echo "lookup.sh: data $data, seed $SEED (KYOCHO_TEST_SEED), $N rows per file"

cat >"$T/pick.pl" <<'PL'
use strict; use warnings;
my ($seed, $n, $kind, @files) = @ARGV;
srand($seed);
for my $f (@files) {
	open my $fh, '<', $f or die "$f: $!";
	my @rows = <$fh>;
	close $fh;
	for (1 .. $n) {
		my $line = $rows[int(rand(@rows))];
		chomp $line;
		$line =~ s/\r$//;
		my @f;
		while ($line =~ /\G(?:"((?:[^"]|"")*)"|([^,]*))(,|$)/g) {
			my ($q, $u, $sep) = ($1, $2, $3);
			my $v = defined $q ? $q : $u;
			$v =~ s/""/"/g;
			push @f, $v;
			last if $sep eq '';
		}
		my ($lo, $hi) = @f[0, 1];
		my $addr = (rand() < 0.5) ? $lo : $hi;
		if ($lo =~ /^\d+\.\d+\.\d+\.\d+$/ && rand() < 0.5) {
			my ($a, $b) = map { unpack 'N', pack 'C4', split /\./ } ($lo, $hi);
			$addr = join '.', unpack 'C4', pack 'N', $a + int(rand($b - $a + 1));
		}
		print join("\t", $addr, $kind, @f[2 .. $#f]), "\n";
	}
}
PL
perl "$T/pick.pl" "$SEED" "$N" asn "$dir/asn-ipv4.csv" "$dir/asn-ipv6.csv" >"$T/want"
perl "$T/pick.pl" "$SEED" "$N" cc "$dir/asn-country-ipv4.csv" "$dir/asn-country-ipv6.csv" >>"$T/want"

# Ask about every address in one run; compare field by field.
cut -f1 "$T/want" | xargs "$KYOCHO" lookup --data "$data" --no-dns --no-rdap --json >"$T/got" ||
    { echo "FAIL: kyocho lookup exited non-zero"; exit 1; }
cat >"$T/cmp.pl" <<'PL'
use strict; use warnings;
my ($want, $got) = @ARGV;
my (@objs, %cur);
open my $g, '<', $got or die;
while (<$g>) {
	if (/^\s*"(addr|asn|as_org|country)": (.*?),?$/) {
		my ($k, $v) = ($1, $2);
		if ($v =~ /^"(.*)"$/) { $v = $1; $v =~ s/\\(["\\\/])/$1/g; }
		$cur{$k} = $v;
	} elsif (/^\s*}/ && exists $cur{addr}) { push @objs, {%cur}; %cur = (); }
}
open my $w, '<', $want or die;
my ($i, $bad, $n) = (0, 0, 0);
while (<$w>) {
	chomp;
	my ($addr, $kind, @v) = split /\t/, $_, -1;
	my $o = $objs[$i++] or do { print "FAIL: no answer for $addr\n"; $bad++; next; };
	$n++;
	my @err;
	if ($kind eq 'asn') {
		push @err, "asn $o->{asn} != $v[0]" if $o->{asn} ne $v[0];
		push @err, "org '$o->{as_org}' != '$v[1]'" if $v[1] ne '' && $o->{as_org} ne $v[1];
	} else {
		push @err, "country $o->{country} != $v[0]" if $o->{country} ne uc $v[0];
	}
	if (@err) { $bad++; print "FAIL: $addr ($kind): @err\n" if $bad <= 20; }
}
print "lookup.sh: $n addresses checked, $bad disagree\n";
exit($bad ? 1 : 0);
PL
perl "$T/cmp.pl" "$T/want" "$T/got" || exit 1
