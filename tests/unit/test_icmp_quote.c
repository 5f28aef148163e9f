/* test_icmp_quote.c - the ports of the packet an ICMP or ICMPv6 error
 * quotes (wireshark-plugin/icmp_quote.c), on packets built byte by byte:
 * each transport over IPv4 and IPv6, IPv6 extension headers, errors that
 * are not errors, non-first fragments, and every truncation. */
#include "icmp_quote.h"
#include "test_support.h"

#include <stdlib.h>
#include <string.h>

/* An IPv4 header of protocol PROTO at P; returns its length. */
static size_t put_ipv4(uint8_t *p, uint8_t proto)
{
	memset(p, 0, 20);
	p[0] = 0x45;
	p[6] = 0x40; /* don't fragment */
	p[8] = 64;
	p[9] = proto;
	return 20;
}

static size_t put_ipv6(uint8_t *p, uint8_t next)
{
	memset(p, 0, 40);
	p[0] = 0x60;
	p[6] = next;
	p[7] = 64;
	return 40;
}

static size_t put_ports(uint8_t *p, uint16_t src, uint16_t dst)
{
	p[0] = (uint8_t)(src >> 8);
	p[1] = (uint8_t)src;
	p[2] = (uint8_t)(dst >> 8);
	p[3] = (uint8_t)dst;
	memset(p + 4, 0, 4);
	return 8;
}

static size_t put_icmp(uint8_t *p, uint8_t type, uint8_t code)
{
	memset(p, 0, 8);
	p[0] = type;
	p[1] = code;
	return 8;
}

/* An ICMP port unreachable quoting TRANSPORT from 40000 to 53. */
static size_t icmp4_error(uint8_t *buf, uint8_t type, uint8_t transport)
{
	size_t n = put_ipv4(buf, 1);
	n += put_icmp(buf + n, type, 3);
	n += put_ipv4(buf + n, transport);
	n += put_ports(buf + n, 40000, 53);
	return n;
}

static size_t icmp6_error(uint8_t *buf, uint8_t type, uint8_t transport)
{
	size_t n = put_ipv6(buf, 58);
	n += put_icmp(buf + n, type, 4);
	n += put_ipv6(buf + n, transport);
	n += put_ports(buf + n, 40000, 5353);
	return n;
}

START_TEST(test_each_transport)
{
	static const uint8_t transports[] = {ICMP_QUOTE_TCP, ICMP_QUOTE_UDP, ICMP_QUOTE_SCTP, ICMP_QUOTE_DCCP};
	for (size_t i = 0; i < sizeof(transports); i++) {
		uint8_t buf[256];
		struct icmp_quote q = {0};
		size_t n = icmp4_error(buf, 3, transports[i]);
		ck_assert_int_eq(icmp_quote_parse(buf, n, &q), 0);
		ck_assert_uint_eq(q.transport, transports[i]);
		ck_assert_uint_eq(q.src_port, 40000);
		ck_assert_uint_eq(q.dst_port, 53);
		n = icmp6_error(buf, 1, transports[i]);
		memset(&q, 0, sizeof(q));
		ck_assert_int_eq(icmp_quote_parse(buf, n, &q), 0);
		ck_assert_uint_eq(q.transport, transports[i]);
		ck_assert_uint_eq(q.src_port, 40000);
		ck_assert_uint_eq(q.dst_port, 5353);
	}
}
END_TEST

START_TEST(test_error_types)
{
	uint8_t buf[256];
	struct icmp_quote q;
	/* ICMP: unreachable, quench, redirect, time exceeded, parameter problem */
	static const uint8_t errors4[] = {3, 4, 5, 11, 12};
	for (size_t i = 0; i < sizeof(errors4); i++)
		ck_assert_int_eq(icmp_quote_parse(buf, icmp4_error(buf, errors4[i], 17), &q), 0);
	/* echo request and reply, timestamp: their payload is no quote */
	static const uint8_t others4[] = {0, 8, 13, 14};
	for (size_t i = 0; i < sizeof(others4); i++)
		ck_assert_int_eq(icmp_quote_parse(buf, icmp4_error(buf, others4[i], 17), &q), -1);
	for (uint8_t t = 1; t <= 4; t++)
		ck_assert_int_eq(icmp_quote_parse(buf, icmp6_error(buf, t, 17), &q), 0);
	static const uint8_t others6[] = {128, 129, 135, 136};
	for (size_t i = 0; i < sizeof(others6); i++)
		ck_assert_int_eq(icmp_quote_parse(buf, icmp6_error(buf, others6[i], 17), &q), -1);
}
END_TEST

START_TEST(test_not_a_quote)
{
	uint8_t buf[256];
	struct icmp_quote q;
	/* the carrying packet is UDP, not ICMP */
	size_t n = put_ipv4(buf, 17);
	n += put_ports(buf + n, 1, 2);
	ck_assert_int_eq(icmp_quote_parse(buf, n, &q), -1);
	/* ICMPv6 carried in IPv4 (protocol 58): not an ICMP error of IPv4 */
	n = put_ipv4(buf, 58);
	n += put_icmp(buf + n, 1, 4);
	n += put_ipv6(buf + n, 17);
	n += put_ports(buf + n, 1, 2);
	ck_assert_int_eq(icmp_quote_parse(buf, n, &q), -1);
	/* the quoted packet is ICMP itself */
	n = icmp4_error(buf, 3, 1);
	ck_assert_int_eq(icmp_quote_parse(buf, n, &q), -1);
	/* the quoted packet is a later fragment: its bytes are no header */
	n = icmp4_error(buf, 3, 17);
	buf[20 + 8 + 7] = 0x10;
	ck_assert_int_eq(icmp_quote_parse(buf, n, &q), -1);
	/* not IP at all */
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(icmp_quote_parse(buf, sizeof(buf), &q), -1);
	ck_assert_int_eq(icmp_quote_parse(NULL, 0, &q), -1);
}
END_TEST

START_TEST(test_ipv6_extension_headers)
{
	uint8_t buf[256];
	struct icmp_quote q = {0};
	/* outer: hop-by-hop options, then ICMPv6; quoted: destination
	 * options and a first fragment, then UDP */
	size_t n = put_ipv6(buf, 0);
	memset(buf + n, 0, 8);
	buf[n] = 58;
	n += 8;
	n += put_icmp(buf + n, 1, 4);
	n += put_ipv6(buf + n, 60);
	memset(buf + n, 0, 16);
	buf[n] = 44;
	buf[n + 1] = 1; /* 16 bytes */
	n += 16;
	memset(buf + n, 0, 8);
	buf[n] = 17;
	n += 8;
	n += put_ports(buf + n, 1234, 5678);
	ck_assert_int_eq(icmp_quote_parse(buf, n, &q), 0);
	ck_assert_uint_eq(q.transport, ICMP_QUOTE_UDP);
	ck_assert_uint_eq(q.src_port, 1234);
	ck_assert_uint_eq(q.dst_port, 5678);
	/* the fragment is not the first one */
	buf[40 + 8 + 8 + 40 + 16 + 3] = 0x08;
	ck_assert_int_eq(icmp_quote_parse(buf, n, &q), -1);
}
END_TEST

/* Every prefix of a good packet too short for the ports fails, and reads
 * only the bytes it was given (run under valgrind or ASan, a copy of
 * exactly that length catches a read past it). */
START_TEST(test_truncations)
{
	uint8_t good[256];
	size_t sizes[2];
	sizes[0] = icmp4_error(good, 3, 6);
	uint8_t good6[256];
	sizes[1] = icmp6_error(good6, 1, 6);
	const uint8_t *packets[2] = {good, good6};
	for (int v = 0; v < 2; v++) {
		for (size_t len = 0; len <= sizes[v]; len++) {
			uint8_t *copy = malloc(len ? len : 1);
			ck_assert_ptr_nonnull(copy);
			memcpy(copy, packets[v], len);
			struct icmp_quote q;
			int rc = icmp_quote_parse(copy, len, &q);
			/* the ports are the first four bytes of the transport header */
			size_t need = sizes[v] - 4;
			ck_assert_msg(rc == (len >= need ? 0 : -1), "v%d len %zu: %d", v ? 6 : 4, len, rc);
			free(copy);
		}
	}
}
END_TEST

/* The carrying header found in a frame by its addresses, behind a link
 * layer, a tunnel whose outer header has the same addresses, and with a
 * quoted header whose addresses are those of the carrier reversed. */
START_TEST(test_find_in_frame)
{
	uint8_t frame[512];
	memset(frame, 0xee, 14); /* an Ethernet header, say */
	size_t n = 14;
	/* a tunnel: IPv4 + UDP + 8 bytes, with the carrier's addresses */
	size_t outer = n;
	n += put_ipv4(frame + n, 17);
	n += put_ports(frame + n, 50000, 4789);
	memset(frame + n, 0, 8);
	n += 8;
	size_t carrier = n;
	n += icmp4_error(frame + n, 3, 17);
	static const uint8_t src[4] = {198, 51, 100, 2}, dst[4] = {192, 0, 2, 1};
	memcpy(frame + outer + 12, src, 4);
	memcpy(frame + outer + 16, dst, 4);
	memcpy(frame + carrier + 12, src, 4);
	memcpy(frame + carrier + 16, dst, 4);
	memcpy(frame + carrier + 28 + 12, dst, 4); /* the quote goes the other way */
	memcpy(frame + carrier + 28 + 16, src, 4);
	struct icmp_quote q = {0};
	ck_assert_int_eq(icmp_quote_find(frame, n, src, dst, 4, &q), 0);
	ck_assert_uint_eq(q.transport, ICMP_QUOTE_UDP);
	ck_assert_uint_eq(q.src_port, 40000);
	ck_assert_uint_eq(q.dst_port, 53);
	/* addresses the frame does not hold, or of the wrong length */
	static const uint8_t other[4] = {203, 0, 113, 9};
	ck_assert_int_eq(icmp_quote_find(frame, n, other, dst, 4, &q), -1);
	ck_assert_int_eq(icmp_quote_find(frame, n, src, dst, 5, &q), -1);
	/* the quote's own addresses find the quote's header: UDP, no error */
	ck_assert_int_eq(icmp_quote_find(frame, n, dst, src, 4, &q), -1);
	/* every frame length: a match is never read past the end */
	for (size_t len = 0; len < n; len++) {
		uint8_t *copy = malloc(len ? len : 1);
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, frame, len);
		ck_assert_int_eq(icmp_quote_find(copy, len, src, dst, 4, &q), len >= n - 4 ? 0 : -1);
		free(copy);
	}

	/* IPv6 */
	uint8_t frame6[512];
	n = 0;
	frame6[n++] = 0;
	carrier = n;
	n += icmp6_error(frame6 + n, 1, 6);
	uint8_t src6[16], dst6[16];
	memset(src6, 0x20, 16);
	memset(dst6, 0x30, 16);
	memcpy(frame6 + carrier + 8, src6, 16);
	memcpy(frame6 + carrier + 24, dst6, 16);
	ck_assert_int_eq(icmp_quote_find(frame6, n, src6, dst6, 16, &q), 0);
	ck_assert_uint_eq(q.transport, ICMP_QUOTE_TCP);
	ck_assert_uint_eq(q.dst_port, 5353);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("icmp_quote");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, test_each_transport);
	tcase_add_test(tc, test_error_types);
	tcase_add_test(tc, test_not_a_quote);
	tcase_add_test(tc, test_ipv6_extension_headers);
	tcase_add_test(tc, test_truncations);
	tcase_add_test(tc, test_find_in_frame);
	suite_add_tcase(s, tc);
	return s;
}

RUN_SUITE(make_suite)
