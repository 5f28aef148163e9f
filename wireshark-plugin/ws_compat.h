/* ws_compat.h - the differences between the Wireshark versions the plugin
 * builds against, 4.0 to 4.6, in one place.  Guards use ws_version.h, which
 * every version installs (4.0's headers have no config.h). */
#ifndef IANA_WS_COMPAT_H
#define IANA_WS_COMPAT_H

#include <ws_version.h>

#include <glib.h>
#include <stdbool.h>

/* True when building against Wireshark MAJOR.MINOR or later. */
#define IANA_WS_AT_LEAST(major, minor)                                                                     \
	(WIRESHARK_VERSION_MAJOR > (major) || (WIRESHARK_VERSION_MAJOR == (major) && WIRESHARK_VERSION_MINOR >= (minor)))

/* Boolean preferences are bool from 4.4 on, gboolean before. */
#if IANA_WS_AT_LEAST(4, 4)
typedef bool iana_pref_bool;
#else
typedef gboolean iana_pref_bool;
/* After an ICMP error, Wireshark 4.0 leaves the ports of the quoted packet
 * in packet_info; 4.4 and later put the error packet's own back.  4.2 is
 * counted with the later ones: where the quote cannot be read, no label
 * is safer than the ports of a tunnel around the error. */
#define IANA_WS_QUOTE_IN_PINFO (!IANA_WS_AT_LEAST(4, 2))

#endif

/* After an ICMP error, Wireshark 4.0 leaves the ports of the quoted packet
 * in packet_info; 4.4 and later put the error packet's own back.  4.2 is
 * counted with the later ones: where the quote cannot be read, no label
 * is safer than the ports of a tunnel around the error. */
#define IANA_WS_QUOTE_IN_PINFO (!IANA_WS_AT_LEAST(4, 2))

#endif
