#!/bin/bash
# fetch-data.sh -- `make data`: fetch the full prefix data kyocho attributes
# addresses with, at pinned versions, check it, install it.
#
# Source: the ip-location-db packages in the npm registry (CC BY 4.0;
# data by RouteViews, DB-IP and the NRO):
#   @ip-location-db/asn          asn-ipv4.csv, asn-ipv6.csv  (start,end,asn,org)
#   @ip-location-db/asn-country  asn-country-ipv4.csv, asn-country-ipv6.csv
#                                (start,end,country)
# Each tarball is fetched with `npm pack NAME@VERSION` and its sha512 is
# compared with the dist.integrity pinned below (from `npm view NAME@VERSION
# dist.integrity`), so a changed or substituted package is refused.
#
# Destination: $1, else $XDG_DATA_HOME/kyocho/prefix, else
# ~/.local/share/kyocho/prefix -- the user's data directory, which kyocho
# searches after --data and before the installed and ./data extracts (see
# config_data_path()). To update: change the versions and integrities here.
#
# Then the image: `$KYOCHO prefix build --data DIR` (KYOCHO: the kyocho
# binary, set by `make data`; else kyocho from PATH) parses the CSVs once
# and writes kyocho-ranges.img beside them, which kyocho maps at start
# instead of parsing 40 MB (man/kyocho-prefixes.5).
set -euo pipefail

ASN_PKG=@ip-location-db/asn
ASN_VER=2.3.2026061719
ASN_SRI=sha512-PpqYi7wyEyWwunXBtl+y3Vi403SvNywotWwvmiYCOUtE0SVol/Sf492Ee+eErEznmGapxEQB2SAfrpXuZ9a+vQ==
CC_PKG=@ip-location-db/asn-country
CC_VER=2.3.2026061719
CC_SRI=sha512-KN/mUGqf/nwkI0RDvv4knOc5xGXxbooU1MlTXThEJcJVyWxHoCx6oRed8p7NguGKZRpQPmZWdWw/zslHZsUC6Q==

if [ $# -ge 1 ]; then
	dest=$1
elif [ -n "${XDG_DATA_HOME:-}" ] && [ "${XDG_DATA_HOME#/}" != "$XDG_DATA_HOME" ]; then
	dest=$XDG_DATA_HOME/kyocho/prefix
else
	dest=${HOME:?HOME is not set}/.local/share/kyocho/prefix
fi

command -v npm >/dev/null || { echo "fetch-data: npm is needed (apt-get install npm)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# sha512 of a file in Subresource Integrity form (sha512-BASE64).
sri() {
	printf 'sha512-%s' "$(sha512sum "$1" | cut -d' ' -f1 | tr a-f A-F |
	    basenc --base16 -d | base64 -w0)"
}

fetch() {	# PKG VERSION SRI SUBDIR
	local pkg=$1 ver=$2 want=$3 sub=$4 tgz got
	echo "fetch-data: $pkg@$ver"
	(cd "$tmp" && npm pack --silent "$pkg@$ver" >"$tmp/$sub.name")
	tgz=$tmp/$(tail -n 1 "$tmp/$sub.name")
	[ -f "$tgz" ] || { echo "fetch-data: npm pack $pkg@$ver made no tarball" >&2; exit 1; }
	got=$(sri "$tgz")
	if [ "$got" != "$want" ]; then
		echo "fetch-data: $pkg@$ver: integrity mismatch" >&2
		echo "  pinned: $want" >&2
		echo "  got:    $got" >&2
		exit 1
	fi
	mkdir -p "$tmp/$sub"
	tar -xzf "$tgz" -C "$tmp/$sub" --no-same-owner --no-same-permissions
}

fetch "$ASN_PKG" "$ASN_VER" "$ASN_SRI" asn
fetch "$CC_PKG" "$CC_VER" "$CC_SRI" cc

mkdir -p "$dest"
# Copy beside, then rename: a running kyocho never sees half a file.
inst() {	# SRC NAME
	install -m 644 "$1" "$dest/.$2.new"
	mv -f "$dest/.$2.new" "$dest/$2"
}
for f in asn-ipv4.csv asn-ipv6.csv; do inst "$tmp/asn/package/$f" "$f"; done
for f in asn-country-ipv4.csv asn-country-ipv6.csv; do inst "$tmp/cc/package/$f" "$f"; done
for f in DBIP-LICENSE ROUTEVIEWS-LICENSE NRO_LICENSE MODIFICATIONS; do
	[ -f "$tmp/asn/package/$f" ] && inst "$tmp/asn/package/$f" "$f"
done
cat >"$dest/.SOURCE.new" <<EOF
$ASN_PKG@$ASN_VER $ASN_SRI
$CC_PKG@$CC_VER $CC_SRI
ip-location-db, CC BY 4.0: RouteViews (routeviews.org), DB-IP (db-ip.com),
NRO (nro.net). Installed by kyocho's tools/fetch-data.sh.
EOF
mv -f "$dest/.SOURCE.new" "$dest/SOURCE"
echo "fetch-data: installed in $dest:"
wc -l "$dest"/*.csv | sed 's/^/  /'

kyocho=${KYOCHO:-$(command -v kyocho || true)}
if [ "$(basename "$dest")" != prefix ]; then
	echo "fetch-data: $dest is not a kyocho data directory's prefix/: no image built" >&2
elif [ -z "$kyocho" ] || [ ! -x "$kyocho" ]; then
	echo "fetch-data: no kyocho binary (set KYOCHO=...): run 'kyocho prefix build --data $(dirname "$dest")' to build the image" >&2
else
	"$kyocho" prefix build --data "$(dirname "$dest")"
fi
