# wireshark-lib.sh - sourced by the Wireshark tests after lib.sh: tshark
# with the plugin from the build tree ($WIRESHARK_PLUGIN).
#
# ws_setup lays the plugin out as $TMP/plugins/X.Y/epan/iana.so, X.Y being
# the running tshark's version (Wireshark looks for plugins in
# WIRESHARK_PLUGIN_DIR/X.Y/epan), with a HOME of its own in $TMP/home; it
# skips when the plugin or tshark is missing.  ts ARGS... runs tshark with
# them, its stderr in $TMP/tshark.err.  Wireshark ignores
# WIRESHARK_PLUGIN_DIR when run as root, so as root ts runs tshark as
# nobody (setpriv), and $TMP is opened up for nobody to read; as anybody
# else tshark runs directly, as the caller.

ws_setup() {
	: "${WIRESHARK_PLUGIN:=}"
	[ -n "$WIRESHARK_PLUGIN" ] && [ -r "$WIRESHARK_PLUGIN" ] ||
		skip "the Wireshark plugin is not built (WIRESHARK_PLUGIN='$WIRESHARK_PLUGIN'; needs wireshark-dev)"
	command -v tshark >/dev/null 2>&1 || skip "tshark not installed"
	if [ "$(id -u)" -eq 0 ]; then
		command -v setpriv >/dev/null 2>&1 ||
			skip "as root tshark ignores WIRESHARK_PLUGIN_DIR, and setpriv (to run it as nobody) is not installed"
		WS_AS_NOBODY=1
	else
		WS_AS_NOBODY=
	fi
	ws_version=$(tshark --version 2>/dev/null | sed -n '1s/.* \([0-9]*\)\.\([0-9]*\)\..*/\1.\2/p')
	[ -n "$ws_version" ] || skip "cannot tell tshark's version from 'tshark --version'"
	mkdir -p "$TMP/plugins/$ws_version/epan" "$TMP/home"
	cp "$WIRESHARK_PLUGIN" "$TMP/plugins/$ws_version/epan/iana.so"
	ws_share
}

# ws_share: after writing files under $TMP that tshark must read (or, for
# HOME, write), make them nobody's to read when tshark runs as nobody.
ws_share() {
	[ -n "$WS_AS_NOBODY" ] || return 0
	chmod 755 "$TMP"
	chmod -R a+rX "$TMP"
	chown -R 65534:65534 "$TMP/home"
}

# ts ARGS...: tshark with the plugin from the build tree.
ts() {
	if [ -n "$WS_AS_NOBODY" ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups \
			env HOME="$TMP/home" WIRESHARK_PLUGIN_DIR="$TMP/plugins" tshark "$@" 2>"$TMP/tshark.err"
	else
		env HOME="$TMP/home" WIRESHARK_PLUGIN_DIR="$TMP/plugins" tshark "$@" 2>"$TMP/tshark.err"
	fi
}

# ws_loaded: fails the test (and finishes it) unless tshark lists the
# plugin's protocol.
ws_loaded() {
	if ! ts -G protocols | grep -q "^IANA Service Registry	IANA	iana"; then
		cat "$TMP/tshark.err"
		fail "tshark does not list the iana protocol: the plugin did not load"
		finish
	fi
	ok "tshark $ws_version loads the plugin (protocol iana)"
}
