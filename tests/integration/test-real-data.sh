#!/bin/sh
# test-real-data.sh - gen-services --format json on the real IANA registry
# files in ../shared/registry, checked by real_data.py, which reads the same
# files with Python's standard library (xml.etree.ElementTree, expat, csv):
#  - the 2026-08-17 XML: the counts README.md states, spot checks (3par-mgmt-ssl,
#    x11 6000-6063, https/sctp, port-less activeraid-ssl, finger's
#    unauthorized-use text, Reserved and Unassigned rows), and every record
#    field for field, its line included;
#  - the 2024-03-18 XML the same way, field for field;
#  - the 2024-06 CSV row for row against Python's csv module;
#  - the text excerpts in ../shared/seeds against the 2026-08-17 XML: the
#    same description and notes strings (free text flowed: a line break of
#    the source is one space, a blank line a paragraph break);
#  - the 2024-06 CSV against the 2024-03-18 XML record for record: whatever
#    differs, or is in one only, must be explained by a registry change after
#    2024-03-18 (a later registration or modification date, an added or
#    removed row), else the two parsers disagree.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

"$PYTHON" -c 'import xml.etree.ElementTree, xml.parsers.expat, csv, json' 2>/dev/null ||
	skip "$PYTHON with xml.etree, expat, csv and json not available"
[ -r "$REGISTRY_XML" ] || [ -r "$REGISTRY_XML_2024" ] || [ -r "$REGISTRY_CSV_2024" ] ||
	skip "no registry data in $SHARED_DIR/registry (real registry data lives in ../shared beside the checkout)"

# json NAME FILE: gen-services --format json FILE > $TMP/NAME.jsonl.
json() {
	if "$GEN_SERVICES" --format json "$2" >"$TMP/$1.jsonl" 2>"$TMP/$1.err"; then
		ok "gen-services --format json $(basename "$2") ($(wc -l <"$TMP/$1.jsonl") lines)"
		return 0
	fi
	fail "gen-services --format json $2 failed: $(head -c 600 "$TMP/$1.err")"
	return 1
}

# oracle LABEL ARGS...: run real_data.py, show its report, fail on exit != 0.
oracle() {
	label=$1
	shift
	"$PYTHON" "$here/real_data.py" "$@" >"$TMP/oracle.out" 2>&1
	rc=$?
	cat "$TMP/oracle.out"
	case $rc in
	0) ok "$label" ;;
	1) fail "$label (see the MISMATCH lines above)" ;;
	*) fail "$label: real_data.py could not run (exit $rc)" ;;
	esac
}

start=$(date +%s)
if [ -r "$REGISTRY_XML" ]; then
	json full "$REGISTRY_XML" &&
		oracle "2026-08-17 XML: README counts, spot checks, every record against ElementTree" \
			full "$REGISTRY_XML" "$TMP/full.jsonl"
else
	echo "skip: $REGISTRY_XML not found: no checks of the 2026-08-17 registry"
fi

if [ -r "$REGISTRY_XML_2024" ] && [ -r "$REGISTRY_CSV_2024" ]; then
	json xml2024 "$REGISTRY_XML_2024" &&
		oracle "2024-03-18 XML: every record against ElementTree" records "$REGISTRY_XML_2024" "$TMP/xml2024.jsonl"
	json csv2024 "$REGISTRY_CSV_2024" &&
		oracle "2024-06 CSV: every row against Python's csv module" csv "$REGISTRY_CSV_2024" "$TMP/csv2024.jsonl"
	if [ -s "$TMP/xml2024.jsonl" ] && [ -s "$TMP/csv2024.jsonl" ]; then
		oracle "2024-06 CSV vs 2024-03-18 XML: every difference explained by a registry change" \
			compare "$TMP/xml2024.jsonl" "$TMP/csv2024.jsonl" 2024-03-18
	fi
else
	echo "skip: $REGISTRY_XML_2024 or $REGISTRY_CSV_2024 not found: no CSV-against-XML comparison"
fi
# musl reads /etc/services through a 128-byte buffer: every line of the
# full registry's services file within 127 bytes, descriptions shortened
# (and only those: -D output has the same entries, each line a prefix).
if [ -r "$REGISTRY_XML" ]; then
	"$GEN_SERVICES" -q -o "$TMP/services" "$REGISTRY_XML" &&
		"$GEN_SERVICES" -q --full-descriptions -o "$TMP/services.full" "$REGISTRY_XML" &&
		"$GEN_SERVICES" -q -D -o "$TMP/services.nodesc" "$REGISTRY_XML" || fail "gen-services on $REGISTRY_XML failed"
	long=$(awk 'length($0) > 127' "$TMP/services" | wc -l)
	long_full=$(awk 'length($0) > 127' "$TMP/services.full" | wc -l)
	expect_eq "services file of the full registry: no line over 127 bytes (musl; $long_full with --full-descriptions)" "$long" 0
	if [ "$long_full" -gt 0 ]; then ok "--full-descriptions keeps $long_full longer lines whole"; else fail "--full-descriptions: no line over 127 bytes (nothing to shorten?)"; fi
	cut_bad=$(paste -d '\n' "$TMP/services" "$TMP/services.full" | awk 'NR % 2 == 1 { short = $0; next }
		short != $0 { s = short; sub(/\.\.\.$/, "", s); if (substr($0, 1, length(s)) != s || s == short) bad++ }
		END { print bad + 0 }')
	expect_eq "every shortened line is the full line cut in its description, with '...'" "$cut_bad" 0
	expect_eq "the entries (up to '#') are the same with and without shortening" \
		"$(sed 's/[[:space:]]*#.*//' "$TMP/services" | cksum)" "$(sed 's/[[:space:]]*#.*//' "$TMP/services.nodesc" | cksum)"
fi

# The plain-text excerpts (../shared/seeds) against the 2026-08-17 XML:
# the same free-text strings, flowed, in both formats.
seeds_dir="$SHARED_DIR/seeds"
if [ -r "$REGISTRY_XML" ] && [ -s "$TMP/full.jsonl" ] && [ -d "$seeds_dir" ]; then
	for seed in "$seeds_dir"/*.txt; do
		[ -r "$seed" ] || continue
		name=$(basename "$seed" .txt)
		updated=$(sed -n '/^Last Updated/{n;p;q}' "$seed")
		json "seed-$name" "$seed" &&
			oracle "text excerpt $name (Last Updated $updated) vs the XML: description and notes the same strings" \
				seeds "$TMP/seed-$name.jsonl" "$TMP/full.jsonl" "$updated"
	done
else
	echo "skip: $seeds_dir or $REGISTRY_XML not found: no text-against-XML comparison"
fi
echo "real-data checks took $(($(date +%s) - start))s"
finish
