#!/bin/sh
# build-debs.sh - builds the Debian packages of this tree the way a build
# daemon does: a copy owned by nobody, `dpkg-buildpackage -us -uc -b` run
# as nobody (so dh_auto_test runs the suite unprivileged), then lintian on
# the result.  Meant to run as root inside a Debian root (tools/distro-check
# SUITE 'sh tests/packaging/build-debs.sh OUT'); installs the build
# dependencies first.  OUT receives the .deb files, the build log and
# lintian's report.  DEB_BUILD_OPTIONS passes through (nocheck skips the
# suite).
#
#   sh tests/packaging/build-debs.sh OUT
set -eu
out=${1:?usage: build-debs.sh OUT}
src=$(cd "$(dirname "$0")/../.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "build-debs.sh: needs root (apt-get, setpriv)" >&2; exit 2; }

export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends build-essential devscripts fakeroot lintian >/dev/null
apt-get build-dep -y -qq --no-install-recommends "$src" >/dev/null

work=$(mktemp -d /tmp/build-debs.XXXXXX)
mkdir "$work/iana-services" "$work/home"
tar -C "$src" --exclude=./build --exclude=./build-san --exclude=./.git -cf - . | tar -C "$work/iana-services" -xf -
chown -R nobody:nogroup "$work"
mkdir -p "$out"
rc=0
(cd "$work/iana-services" && setpriv --reuid=nobody --regid=nogroup --clear-groups \
	env HOME="$work/home" DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-}" dpkg-buildpackage -us -uc -b) \
	>"$out/build.log" 2>&1 || rc=$?
if [ $rc -ne 0 ]; then
	tail -n 40 "$out/build.log" >&2
	echo "build-debs.sh: dpkg-buildpackage failed ($rc); log in $out/build.log" >&2
	exit 1
fi
grep -E '^(PASS|FAIL|SKIP|skip|ok|not ok)|passed|failed|skipped' "$out/build.log" | tail -n 20 >"$out/tests.summary" || :
cp "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$out/"
setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME="$work/home" lintian --fail-on error,warning --info "$work"/*.changes >"$out/lintian.txt" 2>&1 || rc=$?
cat "$out/lintian.txt"
[ $rc -eq 0 ] || { echo "build-debs.sh: lintian reports errors or warnings" >&2; exit 1; }
echo "build-debs.sh: built $(cd "$out" && ls ./*.deb | tr '\n' ' ')in $out; lintian clean"
