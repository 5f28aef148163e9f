#!/bin/sh
# test-systemd-units.sh - the generated systemd units (build/systemd/, from
# systemd/*.in): the update service runs `update-iana-services` after
# network-online.target with the sandboxing the README promises, the timer
# is weekly with a randomized delay and catches up missed runs, the path
# unit starts the reindex service (`update-iana-services --reindex`, no
# network) when the registry file changes, and `systemd-analyze verify`
# accepts them all silently (with ExecStart pointed at the built
# update-iana-services, since the installed one need not exist yet).
# Skips when the units were not generated; systemd-analyze is optional.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

: "${SYSTEMD_UNIT_DIR:=$(dirname "$GEN_SERVICES")/systemd}"
service="$SYSTEMD_UNIT_DIR/iana-services-update.service"
timer="$SYSTEMD_UNIT_DIR/iana-services-update.timer"
reindex="$SYSTEMD_UNIT_DIR/iana-services-reindex.service"
path="$SYSTEMD_UNIT_DIR/iana-services-reindex.path"
: "${UPDATER:=$(dirname "$GEN_SERVICES")/update-iana-services}"
[ -r "$service" ] && [ -r "$timer" ] && [ -r "$reindex" ] && [ -r "$path" ] ||
	skip "units not generated in $SYSTEMD_UNIT_DIR (make systemd-units)"

# has FILE LINE...: FILE holds each LINE exactly
has() {
	file=$1
	shift
	for line in "$@"; do
		if grep -qxF -- "$line" "$file"; then ok "$(basename "$file"): $line"
		else fail "$(basename "$file") lacks '$line'"; fi
	done
}
has "$service" "Type=oneshot" "Wants=network-online.target" "After=network-online.target" \
	"ProtectSystem=strict" "NoNewPrivileges=yes" "PrivateTmp=yes" "ProtectHome=yes" \
	"RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX" "CapabilityBoundingSet="
expect_eq "service: ExecStart runs update-iana-services" \
	"$(sed -n 's|^ExecStart=.*/\(update-iana-services\)$|\1|p' "$service")" "update-iana-services"
expect_eq "service: the only writable path is the data directory" \
	"$(grep -c '^ReadWritePaths=/.*/iana-services$' "$service")" 1
expect_eq "no placeholder left" \
	"$(grep -c '@[a-z]*@' "$service" "$timer" "$reindex" "$path" | awk -F: '{s += $2} END {print s}')" 0
has "$reindex" "Type=oneshot" "PrivateNetwork=yes" "RestrictAddressFamilies=AF_UNIX" "ProtectSystem=strict" \
	"NoNewPrivileges=yes" "CapabilityBoundingSet="
expect_eq "reindex service: ExecStart runs update-iana-services --reindex" \
	"$(sed -n 's|^ExecStart=.*/update-iana-services ||p' "$reindex")" "--reindex"
expect_eq "reindex service: the only writable path is the data directory" \
	"$(grep -c '^ReadWritePaths=/.*/iana-services$' "$reindex")" 1
has "$path" "Unit=iana-services-reindex.service" "WantedBy=paths.target"
expect_eq "path unit: watches the installed registry" \
	"$(grep -c '^PathChanged=/.*/iana-services/service-names-port-numbers.xml$' "$path")" 1
has "$timer" "OnCalendar=weekly" "Persistent=true" "WantedBy=timers.target"
expect_eq "timer: randomized delay" "$(grep -c '^RandomizedDelaySec=[1-9]' "$timer")" 1

command -v systemd-analyze >/dev/null 2>&1 || { echo "note: systemd-analyze not installed: units not verified"; finish; }
mkdir "$TMP/units"
for unit in "$service" "$reindex"; do
	sed "s|^ExecStart=[^ ]*/update-iana-services|ExecStart=$UPDATER|" "$unit" >"$TMP/units/$(basename "$unit")"
done
cp "$timer" "$path" "$TMP/units/"
# verify exits 0 even for unknown keys and bad values: it must say nothing.
if (cd "$TMP/units" && systemd-analyze verify --man=no iana-services-update.service iana-services-update.timer \
	iana-services-reindex.service iana-services-reindex.path) >"$TMP/verify.out" 2>&1 && [ ! -s "$TMP/verify.out" ]; then
	ok "systemd-analyze verify accepts the four units without a word"
else
	fail "systemd-analyze verify: $(cat "$TMP/verify.out")"
fi
if systemd-analyze security --offline=yes "$TMP/units/iana-services-update.service" >"$TMP/security.out" 2>&1; then
	echo "note: $(grep 'Overall exposure' "$TMP/security.out")"
fi
finish
