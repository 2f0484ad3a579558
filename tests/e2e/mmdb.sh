#!/bin/bash
# mmdb.sh -- MaxMind DB files as a prefix source. Real .mmdb files are
# written with Debian's MaxMind::DB::Writer (libmaxmind-db-writer-perl) in
# the GeoLite2-ASN, GeoLite2-Country and IPinfo layouts, then kyocho lookup
# reads them through libmaxminddb beside the shipped CSV extract and the
# override file. Checks: the more specific source wins, ties go to the
# file the operator named, overrides beat everything, IPv6, a broken file
# is refused with its name.
# Env: KYOCHO, B, SRCDIR.
set -u
: "${KYOCHO:?}" "${SRCDIR:?}"
perl -MMaxMind::DB::Writer::Tree -e 1 2>/dev/null ||
    { echo "mmdb.sh: libmaxmind-db-writer-perl is not installed (make deps-test)"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
pass() { echo "ok: $*"; }

cat >"$T/mk.pl" <<'PL'
use strict; use warnings;
use MaxMind::DB::Writer::Tree;
my ($out, $type, @nets) = @ARGV;
my %types = (autonomous_system_number => 'uint32',
    autonomous_system_organization => 'utf8_string', country => 'map',
    iso_code => 'utf8_string', asn => 'utf8_string', as_name => 'utf8_string');
$types{country} = 'utf8_string' if $type eq 'ipinfo';
my $t = MaxMind::DB::Writer::Tree->new(ip_version => 6, record_size => 24,
    database_type => $type, languages => ['en'],
    description => { en => 'kyocho test' },
    map_key_type_callback => sub { $types{$_[0]} },
    remove_reserved_networks => 0);
for (@nets) {
	my ($net, @kv) = split /=/;
	my %d;
	if ($type eq 'asn') {
		%d = (autonomous_system_number => $kv[0] + 0,
		    autonomous_system_organization => $kv[1]);
	} elsif ($type eq 'country') {
		%d = (country => { iso_code => $kv[0] });
	} else {
		%d = (asn => $kv[0], as_name => $kv[1], country => $kv[2]);
	}
	$t->insert_network($net, \%d);
}
open my $fh, '>:raw', $out or die; $t->write_tree($fh); close $fh;
PL
perl "$T/mk.pl" "$T/asn.mmdb" asn \
    '8.8.8.8/32=64600=MMDB Narrow Org' '1.0.0.0/8=64601=MMDB Wide Org' \
    '1.0.0.0/24=64603=MMDB Same Size' \
    '203.0.113.0/25=64602=MMDB Under Override' \
    '2001:db8:ffff::/48=64604=MMDB Six' || { echo "mmdb.sh: writing asn.mmdb failed"; exit 1; }
perl "$T/mk.pl" "$T/country.mmdb" country '8.8.0.0/16=BR' '100.64.0.0/10=NZ' \
    '1.0.0.0/8=CN' ||
    { echo "mmdb.sh: writing country.mmdb failed"; exit 1; }
perl "$T/mk.pl" "$T/ipinfo.mmdb" ipinfo '100.100.0.0/16=AS64605=IPinfo Style Org=FJ' ||
    { echo "mmdb.sh: writing ipinfo.mmdb failed"; exit 1; }

lk() { XDG_DATA_HOME=/nonexistent "$KYOCHO" lookup --no-dns --data "$SRCDIR/data" \
    --mmdb "$T/asn.mmdb" --mmdb "$T/country.mmdb" --mmdb "$T/ipinfo.mmdb" --json "$@"; }
has() {
	if grep -qF -- "$3" <<<"$2"; then pass "$1"; else fail "$1: no '$3' in:"; echo "$2" | sed 's/^/    /'; fi
}

out=$(lk 8.8.8.8)
has "a /32 in the mmdb beats the CSV's /24" "$out" '"asn": 64600'
has "its organisation" "$out" '"as_org": "MMDB Narrow Org"'
has "country from the only source that has one" "$out" '"country": "BR"'
has "sources named" "$out" '"asn_source": "mmdb"'
out=$(lk 1.1.1.1)
has "the CSV's /24 beats the mmdb's /8" "$out" '"asn": 13335'
has "the CSV's /24 country beats the mmdb's /8" "$out" '"country": "AU"'
out=$(lk 1.0.0.1)
has "a tie goes to the file the operator named" "$out" '"asn": 64603'
out=$(lk 1.200.0.1)
has "the mmdb covers what the extract does not" "$out" '"asn": 64601'
has "so it is routed" "$out" '"routed": true'
has "and its country is the mmdb's" "$out" '"country": "CN"'
out=$(lk 203.0.113.7)
has "the override beats the mmdb" "$out" '"asn": 64500'
has "override source" "$out" '"asn_source": "override"'
out=$(lk 2001:db8:ffff::1)
has "IPv6 from the mmdb" "$out" '"asn": 64604'
out=$(lk 100.64.1.1)
has "GeoLite2-Country layout" "$out" '"country": "NZ"'
out=$(lk 100.100.1.1)
has "IPinfo layout: asn string" "$out" '"asn": 64605'
has "IPinfo layout: name" "$out" '"as_org": "IPinfo Style Org"'
has "IPinfo layout: country" "$out" '"country": "FJ"'

# Routedness: an ASN database covers the routing table, so an address no
# source covers is unrouted; with only a country database beside the
# extract, nothing says so.
out=$(lk 46.4.100.200)
has "outside every source, with an ASN mmdb: unrouted" "$out" '"routed": false'
out=$(XDG_DATA_HOME=/nonexistent "$KYOCHO" lookup --no-dns --data "$SRCDIR/data" \
    --mmdb "$T/country.mmdb" --json 46.4.100.200)
has "a country mmdb and the extract cannot tell" "$out" '"routed": null'
out=$(XDG_DATA_HOME=/nonexistent "$KYOCHO" lookup --no-dns --data "$SRCDIR/data" \
    --mmdb "$T/country.mmdb" 46.4.100.200)
has "and say why" "$out" 'which is an extract: make data'

printf 'not a maxmind db' >"$T/bad.mmdb"
err=$(XDG_DATA_HOME=/nonexistent "$KYOCHO" lookup --no-dns --data "$SRCDIR/data" --mmdb "$T/bad.mmdb" 1.1.1.1 2>&1)
rc=$?
[ $rc != 0 ] && grep -qF "$T/bad.mmdb" <<<"$err" && pass "a broken file is refused by name ($err)" ||
    fail "broken mmdb: rc=$rc, '$err'"

[ "$fails" = 0 ] || { echo "mmdb.sh: $fails checks failed"; exit 1; }
echo "mmdb.sh: all checks passed"
