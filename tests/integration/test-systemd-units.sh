#!/bin/sh
# test-systemd-units.sh - the generated systemd units (build/systemd/, from
# systemd/*.in): the service runs `gen-services --update` after
# network-online.target with the sandboxing the README promises, the timer
# is weekly with a randomized delay and catches up missed runs, and
# `systemd-analyze verify` accepts both silently (with ExecStart pointed at the
# built gen-services, since the installed one need not exist yet).  Skips
# when the units were not generated or systemd-analyze is missing.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

: "${SYSTEMD_UNIT_DIR:=$(dirname "$GEN_SERVICES")/systemd}"
service="$SYSTEMD_UNIT_DIR/iana-services-update.service"
timer="$SYSTEMD_UNIT_DIR/iana-services-update.timer"
[ -r "$service" ] && [ -r "$timer" ] || skip "units not generated in $SYSTEMD_UNIT_DIR (make systemd-units)"

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
expect_eq "service: ExecStart runs gen-services --update" \
	"$(sed -n 's|^ExecStart=.*/gen-services ||p' "$service")" "--update"
expect_eq "service: the only writable path is the data directory" \
	"$(grep -c '^ReadWritePaths=/.*/iana-services$' "$service")" 1
expect_eq "service: no placeholder left" "$(grep -c '@[a-z]*@' "$service" "$timer" | awk -F: '{s += $2} END {print s}')" 0
has "$timer" "OnCalendar=weekly" "Persistent=true" "WantedBy=timers.target"
expect_eq "timer: randomized delay" "$(grep -c '^RandomizedDelaySec=[1-9]' "$timer")" 1

command -v systemd-analyze >/dev/null 2>&1 || { echo "note: systemd-analyze not installed: units not verified"; finish; }
mkdir "$TMP/units"
sed "s|^ExecStart=.*/gen-services |ExecStart=$GEN_SERVICES |" "$service" >"$TMP/units/iana-services-update.service"
cp "$timer" "$TMP/units/"
# verify exits 0 even for unknown keys and bad values: it must say nothing.
if systemd-analyze verify --man=no "$TMP/units/iana-services-update.service" "$TMP/units/iana-services-update.timer" \
	>"$TMP/verify.out" 2>&1 && [ ! -s "$TMP/verify.out" ]; then
	ok "systemd-analyze verify accepts the service and the timer without a word"
else
	fail "systemd-analyze verify: $(cat "$TMP/verify.out")"
fi
if systemd-analyze security --offline=yes "$TMP/units/iana-services-update.service" >"$TMP/security.out" 2>&1; then
	echo "note: $(grep 'Overall exposure' "$TMP/security.out")"
fi
finish
