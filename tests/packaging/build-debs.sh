#!/bin/sh
# build-debs.sh - builds the Debian packages of this tree the way a build
# daemon does: a copy owned by nobody, `dpkg-buildpackage -us -uc -b` run
# as nobody (so dh_auto_test runs the suite unprivileged), then lintian on
# the result.  Meant to run as root inside a Debian root (tools/deb-check,
# or tools/distro-check SUITE 'sh tests/packaging/build-debs.sh OUT');
# installs the build dependencies first.  OUT receives the .deb files, the
# build log and lintian's report.  DEB_BUILD_OPTIONS passes through
# (nocheck skips the suite).
#  - REPRO=1: a second build, in another path and without the suite, must
#    give .deb files with the same members (modes, owners, times, names)
#    and the same file contents;
#  - NEXT=1: also the same tree as the next version (VERSION+upgrade1, a
#    changelog entry added to the copy), without the suite, into OUT/next:
#    what test-debs.sh upgrades to.
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
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"

# build DIR OPTIONS [CHANGELOG_ENTRY]: the tree copied to DIR/iana-services
# (with CHANGELOG_ENTRY put on top of debian/changelog), built there as
# nobody with DEB_BUILD_OPTIONS=OPTIONS; log in DIR/build.log.
build() {
	dir=$1
	mkdir -p "$dir/iana-services" "$dir/home"
	tar -C "$src" --exclude=./build --exclude=./build-san --exclude=./.git -cf - . | tar -C "$dir/iana-services" -xf -
	if [ -n "${3:-}" ]; then
		{ printf '%s\n\n' "$3"; cat "$dir/iana-services/debian/changelog"; } >"$dir/changelog"
		mv "$dir/changelog" "$dir/iana-services/debian/changelog"
	fi
	chown -R nobody:nogroup "$dir"
	(cd "$dir/iana-services" && setpriv --reuid=nobody --regid=nogroup --clear-groups \
		env HOME="$dir/home" DEB_BUILD_OPTIONS="$2" dpkg-buildpackage -us -uc -b) \
		>"$dir/build.log" 2>&1 && return 0
	tail -n 40 "$dir/build.log" >&2
	return 1
}

mkdir -p "$out"
rm -f "$out"/*.deb "$out"/*.changes "$out"/*.buildinfo
rc=0
build "$work/first" "${DEB_BUILD_OPTIONS:-}" || rc=$?
cp "$work/first/build.log" "$out/build.log"
[ $rc -eq 0 ] || { echo "build-debs.sh: dpkg-buildpackage failed; log in $out/build.log" >&2; exit 1; }
grep -E '^(PASS|FAIL|SKIP|skip|ok|not ok)|passed|failed|skipped' "$out/build.log" | tail -n 20 >"$out/tests.summary" || :
cp "$work/first"/*.deb "$work/first"/*.changes "$work/first"/*.buildinfo "$out/"
setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME="$work/first/home" \
	lintian --fail-on error,warning --info "$work/first"/*.changes >"$out/lintian.txt" 2>&1 || rc=$?
cat "$out/lintian.txt"
[ $rc -eq 0 ] || { echo "build-debs.sh: lintian reports errors or warnings" >&2; exit 1; }
echo "build-debs.sh: built $(cd "$out" && ls ./*.deb | tr '\n' ' ')in $out; lintian clean"

if [ "${REPRO:-0}" = 1 ]; then
	build "$work/second" nocheck || { echo "build-debs.sh: the second build failed" >&2; exit 1; }
	# contents DEB: every member's mode, owner, size, time and name, and
	# each file's hash
	contents() {
		dpkg-deb --fsys-tarfile "$1" | tar -tvf - | LC_ALL=C sort -k6
		mkdir "$work/x" && dpkg-deb -x "$1" "$work/x" &&
			(cd "$work/x" && find . -type f -exec sha256sum {} + | LC_ALL=C sort -k2)
		rm -rf "$work/x"
	}
	differ=0
	for deb in "$out"/*.deb; do
		name=$(basename "$deb")
		if [ ! -e "$work/second/$name" ]; then
			echo "build-debs.sh: not reproducible: the second build has no $name" >&2
			differ=1
			continue
		fi
		contents "$deb" >"$work/a"
		contents "$work/second/$name" >"$work/b"
		if ! cmp -s "$work/a" "$work/b"; then
			echo "build-debs.sh: not reproducible: $name differs:" >&2
			diff "$work/a" "$work/b" | head -n 10 >&2
			differ=1
		else
			echo "build-debs.sh: reproducible: $name has the same contents in a second build ($(dpkg-deb -c "$deb" | wc -l) members)"
		fi
	done
	[ $differ -eq 0 ] || exit 1
fi

if [ "${NEXT:-0}" = 1 ]; then
	version=$(cd "$src" && dpkg-parsechangelog -S Version)
	maintainer=$(cd "$src" && dpkg-parsechangelog -S Maintainer)
	date=$(cd "$src" && dpkg-parsechangelog -S Date)
	entry=$(printf 'iana-services (%s+upgrade1) unstable; urgency=medium\n\n  * The next version, built by tests/packaging/build-debs.sh for the\n    upgrade test.\n\n -- %s  %s' \
		"$version" "$maintainer" "$date")
	build "$work/next" nocheck "$entry" || { echo "build-debs.sh: the next version's build failed" >&2; exit 1; }
	mkdir -p "$out/next"
	rm -f "$out/next"/*.deb
	cp "$work/next"/*.deb "$out/next/"
	echo "build-debs.sh: built the next version $version+upgrade1 in $out/next"
fi
