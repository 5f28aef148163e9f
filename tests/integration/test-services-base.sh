#!/bin/sh
# test-services-base.sh - regenerating a services file never loses a name
# the distribution's file resolved (gen-services/services_base.h):
#  - a hand-written distribution file (tests/fixtures/services-dist) and
#    the small registry tests/fixtures/xml-full.xml: the first -o over it
#    saves it as FILE.dist; each of its keys answers the same port and
#    canonical name in the output (services_keys.py, a services(5) parser
#    of its own); the registry adds its other names; a second run is
#    byte-identical; a line added to FILE.dist appears; a stock file put
#    back by a package upgrade becomes the new base; --check saves
#    nothing; --no-base keeps nothing; FILE.local is the default --merge
#    file; an explicit --merge file that is missing is an error; a base
#    that cannot be saved fails with its name, the output untouched;
#  - this machine's /etc/services and the real registry, the same
#    file-level checks (as any user);
#  - as root, in a private mount namespace where a copy of /etc is
#    bind-mounted over /etc: the documented commands (gen-services -o
#    /etc/services, update-iana-services --services /etc/services) run
#    for real, twice, then once more after a line is added to
#    /etc/services.dist; after each, glibc's `files` source (getent)
#    answers every key of the original /etc/services with the same port
#    and canonical name.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

fixtures="$here/../fixtures"
keys="$here/services_keys.py"
"$PYTHON" -c 'import sys' 2>/dev/null || skip "$PYTHON not available for services_keys.py"
cd "$TMP" || exit 1

# kept LABEL OLD NEW: every key of OLD answers in NEW as in OLD.
kept() {
	if out=$("$PYTHON" "$keys" compare "$2" "$3" 2>&1); then ok "$1: $out"; else fail "$1: $out"; fi
}
# resolves LABEL FILE NAME/PROTO PORT CANONICAL: the key's answer in FILE.
resolves() {
	expect_eq "$1" "$("$PYTHON" "$keys" keys "$2" | awk -v k="$3" '$1 == k { print $2, $3 }')" "$4 $5"
}
gen() { "$GEN_SERVICES" -q "$@" >gen.out 2>gen.err; }

# ---- the hand-written distribution file, the small registry
reg="$fixtures/xml-full.xml"
dist="$fixtures/services-dist"
mkdir etc
cp "$dist" etc/services
if gen -o etc/services "$reg"; then ok "-o over a distribution file: exit 0"; else fail "-o over a distribution file: $(cat gen.err)"; fi
if cmp -s etc/services.dist "$dist"; then ok "the distribution file is kept as services.dist, byte for byte"
else fail "services.dist is not the distribution file"; fi
kept "hand-written distribution file, first regeneration" "$dist" etc/services
resolves "the registry adds its names on top (wsmans/tcp)" etc/services wsmans/tcp 5986 wsmans
resolves "the registry's other names on a port the base holds (www-http/tcp)" etc/services www-http/tcp 80 http
resolves "the distribution's port wins its key (snif/tcp 7124, the registry says 7123)" etc/services snif/tcp 7124 snif
resolves "the registry's second msp port stays reachable by port" etc/services msp/tcp 18 msp
expect_eq "the registry's entries are all kept: msp 2438/tcp answers by port" \
	"$(grep -c '^msp[[:space:]]*2438/tcp' etc/services)" 1
expect_eq "the registry's entries are all kept: snif 7123/tcp answers by port" \
	"$(grep -c '^snif[[:space:]]*7123/tcp' etc/services)" 1
grep -n 'distribution entries' etc/services >markers
expect_eq "the base block is marked" "$(cut -d: -f2- markers | tr '\n' '|')" \
	"# BEGIN distribution entries (kept by gen-services from services.dist)|# END distribution entries|"
first_registry=$(grep -n '^wsmans' etc/services | cut -d: -f1)
end_base=$(grep -n '^# END distribution entries' etc/services | cut -d: -f1)
if [ -n "$first_registry" ] && [ -n "$end_base" ] && [ "$end_base" -lt "$first_registry" ]; then
	ok "the base comes before the registry's entries (glibc takes the first match)"
else
	fail "base block ends at line ${end_base:-?}, registry entries begin at ${first_registry:-?}"
fi
cp etc/services first
cp -p etc/services.dist dist.first
gen -o etc/services "$reg" && {
	if cmp -s etc/services first; then ok "second regeneration: byte-identical"; else fail "second regeneration changed the file"; fi
	expect_eq "second regeneration: services.dist untouched (mtime)" "$(stat -c %Y.%y etc/services.dist)" "$(stat -c %Y.%y dist.first)"
}
printf 'myproto\t\t7777/tcp\t\t# added to the base by the admin\n' >>etc/services.dist
gen -o etc/services "$reg" && {
	resolves "a line added to services.dist answers after regeneration" etc/services myproto/tcp 7777 myproto
	kept "after adding a line to the base" "$dist" etc/services
}
# A package upgrade puts a newer stock file in place of the generated one.
{ cat "$dist"; printf 'newdist\t\t7778/udp\n'; } >etc/services
cp etc/services upgraded
gen -o etc/services "$reg" && {
	if cmp -s etc/services.dist upgraded; then ok "a stock file put back by an upgrade becomes the new base"
	else fail "services.dist is not the upgraded stock file"; fi
	kept "after a distribution upgrade" upgraded etc/services
}
kept "regenerating the generated file keeps the keys too" etc/services.dist etc/services

# --check compares with what would be written, and saves nothing.
mkdir chk
cp "$dist" chk/services
"$GEN_SERVICES" -q --check chk/services "$reg" >chk.out 2>chk.err
expect_eq "--check of a stock file: exit 1 (it differs)" "$?" 1
if [ -e chk/services.dist ]; then fail "--check saved a base"; else ok "--check saves no base"; fi
if cmp -s chk/services "$dist"; then ok "--check leaves the stock file untouched"; else fail "--check changed the file"; fi
if grep -q '^-whois' chk.out; then fail "--check would drop whois: $(grep '^-whois' chk.out)"; else ok "--check's diff keeps the distribution's lines"; fi

# --no-base: the old behaviour, the distribution's names lost.
mkdir nobase
cp "$dist" nobase/services
gen --no-base -o nobase/services "$reg"
if [ -e nobase/services.dist ]; then fail "--no-base saved a base"; else ok "--no-base saves no base"; fi
expect_eq "--no-base: the distribution's whois is gone (what the base prevents)" \
	"$("$PYTHON" "$keys" keys nobase/services | awk '$1 == "whois/tcp"')" ""

# services.local beside the output is the default --merge file.
mkdir loc
cp "$dist" loc/services
printf 'myapp\t\t7779/tcp\t\t# ours\nwhois\t\t4343/tcp\n' >loc/services.local
gen -o loc/services "$reg" && {
	resolves "services.local is merged by default" loc/services myapp/tcp 7779 myapp
	resolves "services.local wins over the distribution's base (whois/tcp)" loc/services whois/tcp 4343 whois
	resolves "the base still answers the rest (nicname/tcp)" loc/services nicname/tcp 43 whois
}
"$GEN_SERVICES" -q --merge loc/no-such.local -o loc/services "$reg" >merge.out 2>merge.err
expect_eq "an explicit --merge file that is missing: exit 2" "$?" 2
if grep -q 'cannot read loc/no-such.local' merge.err; then ok "it names the file"; else fail "message: $(cat merge.err)"; fi

# A file without any services(5) entry is no distribution's: replaced.
mkdir junk
printf 'old contents\n' >junk/services
gen -o junk/services "$reg"
if [ -e junk/services.dist ]; then fail "a file without entries was kept as a base"; else ok "a file without entries is replaced, no base"; fi

# gen-services says it kept the file (a warning, -q quiets it).
mkdir said
cp "$dist" said/services
"$GEN_SERVICES" -o said/services "$reg" >said.out 2>said.err
if grep -q "^said/services: warning: not written by gen-services: kept as said/services.dist" said.err; then ok "it says it kept the distribution file as services.dist"
else fail "no word of services.dist: $(cat said.err)"; fi
"$GEN_SERVICES" -o said/services "$reg" >said.out 2>said.err
if grep -q "services.dist" said.err; then fail "said it again on regenerating its own file: $(cat said.err)"; else ok "it says nothing of it when it regenerates its own file"; fi

# The base cannot be saved (services.dist is a directory): exit 2, the
# message names it, the output untouched.
mkdir bad bad/services.dist
cp "$dist" bad/services
"$GEN_SERVICES" -q -o bad/services "$reg" >bad.out 2>bad.err
expect_eq "base cannot be saved: exit 2" "$?" 2
if grep -q 'bad/services.dist' bad.err; then ok "base cannot be saved: the message names services.dist: $(head -n 1 bad.err)"
else fail "base cannot be saved: message: $(cat bad.err)"; fi
if cmp -s bad/services "$dist"; then ok "base cannot be saved: the services file untouched"; else fail "base cannot be saved: services file changed"; fi

# ---- this machine's /etc/services and the real registry
if [ ! -r "$REGISTRY_XML" ]; then
	echo "skip: $REGISTRY_XML not found: the real-data checks need ../shared"
	finish
fi
if [ ! -f /etc/services ]; then
	echo "skip: this machine has no /etc/services"
	finish
fi
if head -n 1 /etc/services | grep -q '^# Generated by gen-services'; then
	echo "skip: /etc/services was written by gen-services: no distribution file to test with"
	finish
fi
n_keys=$("$PYTHON" "$keys" keys /etc/services | wc -l)
echo "info: /etc/services has $n_keys name/protocol keys"
mkdir real
cp /etc/services real/services
gen -o real/services "$REGISTRY_XML" && kept "real /etc/services, first regeneration" /etc/services real/services
gen -o real/services "$REGISTRY_XML" && kept "real /etc/services, second regeneration" /etc/services real/services
printf 'myproto\t\t7777/tcp\n' >>real/services.dist
gen -o real/services "$REGISTRY_XML" && {
	kept "real /etc/services, after adding a line to the base" /etc/services real/services
	resolves "real: the added line answers" real/services myproto/tcp 7777 myproto
}
gen --no-base -o real/plain "$REGISTRY_XML"
if "$PYTHON" "$keys" compare /etc/services real/plain >plain.out; then
	echo "info: the registry alone keeps all of them: $(cat plain.out)"
else
	echo "info: without the base the registry's output would keep $(head -n 1 plain.out | cut -d' ' -f2)"
fi

# ---- as root: the documented commands on /etc/services, read by glibc
if [ "$(id -u)" != 0 ]; then
	echo "skip: the glibc checks on /etc/services itself need root (unshare -m, bind mounts)"
	finish
fi
command -v unshare >/dev/null 2>&1 || { echo "skip: unshare not installed: glibc checks on /etc/services skipped"; finish; }
: "${UPDATER:=$(dirname "$GEN_SERVICES")/update-iana-services}"
[ -x "$UPDATER" ] || { fail "update-iana-services not built ($UPDATER)"; finish; }
command -v getent >/dev/null 2>&1 || { echo "skip: getent not installed: glibc checks skipped"; finish; }
# A copy of /etc is bind-mounted over /etc, since gen-services renames a
# new file over /etc/services; its nsswitch.conf says "services: files".
cp -a /etc etccopy 2>cp.err || { echo "skip: cannot copy /etc: $(head -n 1 cp.err)"; finish; }
if [ -f etccopy/nsswitch.conf ]; then
	grep -v '^[[:space:]]*services[[:space:]]*:' /etc/nsswitch.conf >etccopy/nsswitch.conf
fi
echo 'services: files' >>etccopy/nsswitch.conf
"$PYTHON" "$keys" keys /etc/services >want.all
# getent cannot carry a name holding '/' or made of digits only.
awk '{ split($1, k, "/"); if (k[1] !~ /^[0-9]+$/ && $1 ~ /^[^\/]+\/[^\/]+$/) print }' want.all >want
cut -d' ' -f1 want >want.keys
mkdir data
cat >in-etc.sh <<'SCRIPT'
# Runs inside the namespace: $1 gen-services, $2 the registry, $3 the
# result directory, $4 update-iana-services.  Each step's glibc answers go
# to $3/answers.STEP.
gen=$1 reg=$2 out=$3 upd=$4
ask() { xargs -n 1500 getent -s services:files services <"$out/want.keys" | tr -s ' \t' ' ' >"$out/answers.$1"; }
"$gen" -q -o /etc/services "$reg" >"$out/gen.1" 2>&1 || exit 3
ask 1
"$gen" -q -o /etc/services "$reg" >"$out/gen.2" 2>&1 || exit 3
ask 2
printf 'myproto\t\t7777/tcp\n' >>/etc/services.dist
"$gen" -q -o /etc/services "$reg" >"$out/gen.3" 2>&1 || exit 3
ask 3
getent -s services:files services myproto/tcp | tr -s ' \t' ' ' >"$out/answers.added"
# update-iana-services --services on a fresh copy of the stock file (the registry
# from a file:// URL, installed under $out/data).
cp /etc/services.dist /etc/services && rm /etc/services.dist
NSS_IANA_REGISTRY="$out/data/service-names-port-numbers.xml" NSS_IANA_INDEX="$out/data/services.idx" \
	"$upd" --url "file://$reg" --services /etc/services >"$out/gen.4" 2>&1 || exit 4
ask 4
NSS_IANA_REGISTRY="$out/data/service-names-port-numbers.xml" NSS_IANA_INDEX="$out/data/services.idx" \
	"$upd" --force --url "file://$reg" --services /etc/services >"$out/gen.5" 2>&1 || exit 4
ask 5
exit 0
SCRIPT
unshare -m sh -c '
	mount --bind "$1" /etc || exit 125
	for d in /run/nscd /var/run/nscd; do
		if [ -S "$d/socket" ]; then mount -t tmpfs none "$d" || exit 125; fi
	done
	shift
	exec sh "$@"' sh "$TMP/etccopy" "$TMP/in-etc.sh" "$GEN_SERVICES" "$(cd "$(dirname "$REGISTRY_XML")" && pwd)/$(basename "$REGISTRY_XML")" "$TMP" "$UPDATER"
rc=$?
case $rc in
125) echo "skip: cannot bind-mount over /etc in a private mount namespace"; finish ;;
0) ok "the documented commands ran on /etc/services (a copy, in a mount namespace)" ;;
*) fail "a documented command failed (step exit $rc): $(cat gen.* 2>/dev/null | head -n 5)" ;;
esac
# want: "NAME/PROTO PORT CANONICAL"; getent prints "CANONICAL PORT/PROTO ALIASES".
awk '{ split($1, k, "/"); print $3, $2 "/" k[2] }' want >want.answers
for step in 1 2 3 4 5; do
	label=$(case $step in 1) echo "gen-services -o /etc/services";; 2) echo "the same again";;
		3) echo "after a line added to /etc/services.dist";; 4) echo "update-iana-services --services /etc/services";;
		5) echo "update-iana-services --force --services again";; esac)
	[ -f "answers.$step" ] || { fail "$label: no answers"; continue; }
	cut -d' ' -f1-2 "answers.$step" >got.$step
	if cmp -s got.$step want.answers; then
		ok "$label: glibc files answers all $(wc -l <want) keys of /etc/services as before ($n_keys keys in all)"
	else
		fail "$label: glibc answers differ:"
		paste -d'|' want.keys want.answers got.$step | awk -F'|' '$2 != $3' | head -n 10
	fi
done
[ -f answers.added ] && expect_eq "glibc answers the line added to /etc/services.dist" "$(cat answers.added)" "myproto 7777/tcp"
finish
