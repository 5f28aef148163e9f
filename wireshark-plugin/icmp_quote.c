/* icmp_quote.c - finds the transport ports of the packet quoted in an ICMP
 * or ICMPv6 error (icmp_quote.h): IPv4 header, ICMP header, quoted IPv4
 * header and ports; or IPv6 header and extension headers, ICMPv6 header,
 * quoted IPv6 header, its extension headers and ports. */
#include "icmp_quote.h"

#include <stdbool.h>
#include <string.h>

#define ICMP_HEADER_LEN 8 /* type, code, checksum, 4 bytes; then the quote */
#define IPV6_HEADER_LEN 40

enum { PROTO_ICMP = 1, PROTO_ICMPV6 = 58 };

static bool is_quoting_transport(uint8_t p)
{
	return p == ICMP_QUOTE_TCP || p == ICMP_QUOTE_UDP || p == ICMP_QUOTE_DCCP || p == ICMP_QUOTE_SCTP;
}

/* Offset of the payload of the IPv4 header at P[0..LEN), and its protocol
 * in *PROTO; 0 when it is not a whole IPv4 header. */
static size_t ipv4_payload(const uint8_t *p, size_t len, uint8_t *proto)
{
	if (len < 20 || (p[0] >> 4) != 4)
		return 0;
	size_t ihl = (size_t)(p[0] & 0x0f) * 4;
	if (ihl < 20 || ihl > len)
		return 0;
	if (((p[6] & 0x1f) | p[7]) != 0)
		return 0; /* a fragment other than the first: no transport header */
	*proto = p[9];
	return ihl;
}

/* Offset of the upper-layer payload of the IPv6 header at P[0..LEN), past
 * its extension headers, and that payload's protocol in *PROTO; 0 when
 * there is none within LEN. */
static size_t ipv6_payload(const uint8_t *p, size_t len, uint8_t *proto)
{
	if (len < IPV6_HEADER_LEN || (p[0] >> 4) != 6)
		return 0;
	uint8_t next = p[6];
	size_t off = IPV6_HEADER_LEN;
	for (int n = 0; n < 8; n++) { /* a bound on extension headers */
		switch (next) {
		case 0:  /* hop-by-hop options */
		case 43: /* routing */
		case 60: /* destination options */
			if (len - off < 8)
				return 0;
			next = p[off];
			off += ((size_t)p[off + 1] + 1) * 8;
			if (off > len)
				return 0;
			break;
		case 44: /* fragment */
			if (len - off < 8)
				return 0;
			if ((((p[off + 2] << 8) | p[off + 3]) & 0xfff8) != 0)
				return 0; /* not the first fragment */
			next = p[off];
			off += 8;
			break;
		default:
			*proto = next;
			return off;
		}
	}
	return 0;
}

static bool is_icmp_error(uint8_t type)
{
	/* unreachable, source quench, redirect, time exceeded, parameter problem */
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

static bool is_icmpv6_error(uint8_t type)
{
	/* unreachable, packet too big, time exceeded, parameter problem */
	return type >= 1 && type <= 4;
}

int icmp_quote_parse(const uint8_t *packet, size_t len, struct icmp_quote *out)
{
	if (packet == NULL || len == 0)
		return -1;
	bool v6 = (packet[0] >> 4) == 6;
	uint8_t proto = 0;
	size_t off = v6 ? ipv6_payload(packet, len, &proto) : ipv4_payload(packet, len, &proto);
	if (off == 0 || proto != (v6 ? PROTO_ICMPV6 : PROTO_ICMP) || len - off < ICMP_HEADER_LEN)
		return -1;
	if (!(v6 ? is_icmpv6_error(packet[off]) : is_icmp_error(packet[off])))
		return -1;
	const uint8_t *quoted = packet + off + ICMP_HEADER_LEN;
	size_t quoted_len = len - off - ICMP_HEADER_LEN;
	size_t t = v6 ? ipv6_payload(quoted, quoted_len, &proto) : ipv4_payload(quoted, quoted_len, &proto);
	if (t == 0 || !is_quoting_transport(proto) || quoted_len - t < 4)
		return -1;
	out->transport = proto;
	out->src_port = (uint16_t)(quoted[t] << 8 | quoted[t + 1]);
	out->dst_port = (uint16_t)(quoted[t + 2] << 8 | quoted[t + 3]);
	return 0;
}

int icmp_quote_find(const uint8_t *frame, size_t len, const uint8_t *src, const uint8_t *dst, size_t addr_len,
		    struct icmp_quote *out)
{
	/* where the source address stands in the header */
	size_t src_offset = addr_len == 4 ? 12 : addr_len == 16 ? 8 : 0;
	if (frame == NULL || src == NULL || dst == NULL || src_offset == 0 || len < src_offset + 2 * addr_len)
		return -1;
	for (size_t at = len - 2 * addr_len + 1; at-- > src_offset;) {
		if (memcmp(frame + at, src, addr_len) != 0 || memcmp(frame + at + addr_len, dst, addr_len) != 0)
			continue;
		size_t header = at - src_offset;
		if (icmp_quote_parse(frame + header, len - header, out) == 0)
			return 0;
	}
	return -1;
}
