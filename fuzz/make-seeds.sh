#!/bin/sh
# make-seeds.sh - the seed corpora of the fuzz targets, made from the test
# fixtures (never committed): OUT/xml, OUT/csv, OUT/text get copies of
# tests/fixtures/*.xml, *.csv, *.txt; OUT/index gets the index gen-services
# writes from each fixture that loads, and the indexes of an older format
# kept as fixtures (tests/fixtures/*.idx).  Needs GEN_SERVICES.  Run from the
# top of the tree (make fuzz, make check do).
set -eu
: "${GEN_SERVICES:?GEN_SERVICES must name the built gen-services}"
out=$1
rm -rf "$out.tmp"
mkdir -p "$out.tmp/xml" "$out.tmp/csv" "$out.tmp/text" "$out.tmp/index"
for f in tests/fixtures/*; do
	case $f in
	*.xml) cp "$f" "$out.tmp/xml/" ;;
	*.csv) cp "$f" "$out.tmp/csv/" ;;
	*.txt) cp "$f" "$out.tmp/text/" ;;
	*.idx) cp "$f" "$out.tmp/index/"; continue ;;
	*) continue ;;
	esac
	# fixtures that are meant to fail give no index: that is expected
	"$GEN_SERVICES" -q --format index -o "$out.tmp/index/$(basename "$f").idx" "$f" 2>/dev/null || true
done
rm -rf "$out"
mv "$out.tmp" "$out"
