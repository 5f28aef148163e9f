#!/bin/sh
# test-diff.sh - gen-services --diff OLD NEW:
#  - exit status 0 for no change, 1 for changes, 2 for bad input or usage;
#  - the text summary and the --format json document on the hand-written
#    fixtures (JSON parsed by Python);
#  - on the real 2024-03-18 and 2026-08-17 registries (skipped without
#    ../shared): every change gen-services reports is what an independent
#    Python reading of the pairing rules (registry_diff.h) finds from
#    --format json of both files, and the counts agree.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

fixtures=$(cd "$here/../fixtures" && pwd)
old="$fixtures/diff-old.xml" new="$fixtures/diff-new.xml"

"$GEN_SERVICES" --diff "$old" "$old" >"$TMP/out" 2>"$TMP/err"
expect_eq "--diff of a file with itself exits 0" "$?" 0
expect_eq "--diff of a file with itself says so" "$(sed -n 3p "$TMP/out")" "no changes"
"$GEN_SERVICES" --diff "$fixtures/diff-old.csv" "$old" >"$TMP/out" 2>"$TMP/err"
expect_eq "--diff CSV against the same records in XML exits 0" "$?" 0

"$GEN_SERVICES" --diff "$old" "$new" >"$TMP/out" 2>"$TMP/err"
expect_eq "--diff with changes exits 1" "$?" 1
expect_eq "--diff header" "$(head -n 2 "$TMP/out")" "--- $old (Last Updated 2024-03-18, 11 records)
+++ $new (Last Updated 2026-08-17, 13 records)"
expect_eq "--diff summary" "$(sed -n 3p "$TMP/out")" "4 added, 2 removed, 5 changed"
expect_eq "--diff without -v: no lines" "$(wc -l <"$TMP/out" | tr -d ' ')" 3
"$GEN_SERVICES" --diff -v "$old" "$new" >"$TMP/out" 2>&1
expect_eq "--diff -v: one line per change" "$(grep -c '^[-+~] ' "$TMP/out")" 11
"$GEN_SERVICES" --diff "$old" - <"$new" >"$TMP/out" 2>&1
expect_eq "--diff reads NEW from standard input" "$(sed -n 2p "$TMP/out")" "+++ <stdin> (Last Updated 2026-08-17, 13 records)"

"$GEN_SERVICES" --diff --format json "$old" "$new" >"$TMP/diff.json" 2>"$TMP/err"
expect_eq "--diff --format json exits 1" "$?" 1
expect_eq "--diff --format json: one JSON document" "$("$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
kinds = [c["change"] for c in d["changes"]]
print(d["added"], d["removed"], d["changed"], kinds.count("added"), kinds.count("removed"), kinds.count("changed"),
      d["old"]["updated"], d["new"]["records"])
' "$TMP/diff.json" 2>&1)" "4 2 5 4 2 5 2024-03-18 13"

# Bad input and usage: exit 2, one message, nothing on stdout.
"$GEN_SERVICES" --diff "$old" "$fixtures/xml-truncated.xml" >"$TMP/out" 2>"$TMP/err"
expect_eq "--diff with a malformed registry exits 2" "$?" 2
expect_eq "--diff with a malformed registry: final message" "$(tail -n 1 "$TMP/err")" \
	"gen-services: $fixtures/xml-truncated.xml: malformed registry; nothing compared"
expect_eq "--diff with a malformed registry writes nothing" "$(wc -c <"$TMP/out" | tr -d ' ')" 0
for args in "--diff $old" "--diff $old $new $new" "--diff --format index $old $new" \
	"--diff -o $TMP/x $old $new" "--diff - -" "-v $old"; do
	# shellcheck disable=SC2086
	"$GEN_SERVICES" $args >"$TMP/out" 2>"$TMP/err"
	expect_eq "usage error: gen-services $args" "$?" 2
done

# ---- the real registries, against an independent reading of the rules
if [ -r "$REGISTRY_XML_2024" ] && [ -r "$REGISTRY_XML" ]; then
	"$GEN_SERVICES" -q --format json "$REGISTRY_XML_2024" >"$TMP/old.jsonl" &&
		"$GEN_SERVICES" -q --format json "$REGISTRY_XML" >"$TMP/new.jsonl" || fail "--format json of the real registries"
	"$GEN_SERVICES" -q --diff --format json "$REGISTRY_XML_2024" "$REGISTRY_XML" >"$TMP/real.json"
	expect_eq "--diff of the real registries exits 1" "$?" 1
	result=$("$PYTHON" - "$TMP/old.jsonl" "$TMP/new.jsonl" "$TMP/real.json" <<'EOF'
import json, re, sys
from collections import defaultdict

def load(path):
    return [json.loads(line) for line in open(path, encoding="utf-8")]

old, new = load(sys.argv[1]), load(sys.argv[2])
got = json.load(open(sys.argv[3], encoding="utf-8"))

def ports(r):
    return (r["port"], r["port_last"]) if r["port"] is not None else None

def name(r):
    return r["name"].lower() if r["name"] is not None else None

keys = [
    (False, lambda r: (name(r), r["protocol"], ports(r)) if r["name"] is not None else (None, r["protocol"], ports(r))),
    (True, lambda r: (name(r), r["protocol"])),
    (True, lambda r: (name(r), ports(r))),
]
partner_old, partner_new = {}, {}
for named_only, key in keys:
    waiting = defaultdict(list)
    for j, r in enumerate(new):
        if j not in partner_new and (r["name"] is not None or not named_only):
            waiting[key(r)].append(j)
    for i, r in enumerate(old):
        if i in partner_old or (named_only and r["name"] is None):
            continue
        queue = waiting.get(key(r))
        if queue:
            j = queue.pop(0)
            partner_old[i], partner_new[j] = j, i

def text(s):
    return re.sub(r"\s+", " ", s or "").strip()

def fields(a, b):
    f = []
    if a["name"] != b["name"]: f.append("name")
    if ports(a) != ports(b): f.append("port")
    if a["protocol"] != b["protocol"]: f.append("protocol")
    if text(a["description"]) != text(b["description"]): f.append("description")
    if a["status"] != b["status"]: f.append("status")
    return f

want = set()
for i, r in enumerate(old):
    if i not in partner_old:
        want.add(("removed", r["line"], None, ()))
    else:
        f = fields(r, new[partner_old[i]])
        if f:
            want.add(("changed", r["line"], new[partner_old[i]]["line"], tuple(f)))
for j, r in enumerate(new):
    if j not in partner_new:
        want.add(("added", None, r["line"], ()))

have = set()
for c in got["changes"]:
    have.add((c["change"], c["old"]["line"] if c["old"] else None,
              c["new"]["line"] if c["new"] else None, tuple(c["fields"])))
counts = {k: sum(1 for w in want if w[0] == k) for k in ("added", "removed", "changed")}
if have != want:
    print("differ: only gen-services", sorted(have - want, key=str)[:5], "only Python", sorted(want - have, key=str)[:5])
elif len(have) != len(got["changes"]) or any(got[k] != counts[k] for k in counts):
    print("counts differ", {k: got[k] for k in counts}, counts)
else:
    print("agree: %(added)d added, %(removed)d removed, %(changed)d changed" % counts)
EOF
)
	case $result in
	agree:*) ok "--diff 2024-03-18 -> 2026-08-17 agrees with Python: ${result#agree: }" ;;
	*) fail "--diff of the real registries: $result" ;;
	esac
	"$GEN_SERVICES" -q --diff "$REGISTRY_XML_2024" "$REGISTRY_XML" >"$TMP/real.txt"
	expect_eq "--diff text summary of the real registries" "$(sed -n 3p "$TMP/real.txt")" \
		"$(echo "$result" | sed 's/^agree: //')"
else
	echo "note: real registries not in $SHARED_DIR/registry; their comparison skipped"
fi
finish
