/* icmp_quote.h - the transport ports of the packet an ICMP or ICMPv6 error
 * quotes, read from the bytes of the IP packet that carries the error.
 *
 * Wireshark 4.0 leaves the quoted packet's ports in packet_info after an
 * ICMP error; later versions put the error packet's own back, so the
 * postdissector reads them here instead, finding the IP header that
 * carries the error by its addresses.  Plain C, no Wireshark types: the
 * unit test drives it without Wireshark. */
#ifndef ICMP_QUOTE_H
#define ICMP_QUOTE_H

#include <stddef.h>
#include <stdint.h>

/* IP protocol numbers of the transports whose ports are looked up. */
enum {
	ICMP_QUOTE_TCP = 6,
	ICMP_QUOTE_UDP = 17,
	ICMP_QUOTE_DCCP = 33,
	ICMP_QUOTE_SCTP = 132,
};

struct icmp_quote {
	uint8_t transport; /* an ICMP_QUOTE_* number */
	uint16_t src_port, dst_port;
};

/* PACKET holds LEN bytes from the start of an IPv4 or IPv6 header.  When
 * that packet is an ICMP (IPv4) or ICMPv6 (IPv6) error (destination
 * unreachable, time exceeded, parameter problem, source quench, redirect;
 * packet too big) that quotes an IP packet of the same version whose
 * transport is TCP, UDP, SCTP or DCCP, and at least the first four bytes
 * of that transport header are there, fills *OUT and returns 0; returns -1
 * otherwise.  Never reads outside PACKET[0..LEN). */
int icmp_quote_parse(const uint8_t *packet, size_t len, struct icmp_quote *out);

/* FRAME holds LEN bytes of a captured frame, among them the IP packet
 * that carries an ICMP or ICMPv6 error, from SRC to DST (ADDR_LEN 4:
 * IPv4, 16: IPv6).  Finds the last header in FRAME with those addresses
 * that icmp_quote_parse() reads a quote from, and returns what it
 * returns.  Reads only FRAME[0..LEN). */
int icmp_quote_find(const uint8_t *frame, size_t len, const uint8_t *src, const uint8_t *dst, size_t addr_len,
		    struct icmp_quote *out);

#endif
