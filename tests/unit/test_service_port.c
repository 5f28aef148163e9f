/* test_service_port.c - the IANA statistics' attribution
 * (wireshark-plugin/service_port.c), without Wireshark, on
 * tests/fixtures/stats-registry.xml: which port of a packet is its
 * service port, its status and class buckets, the ports worth a look,
 * and the item names the stats tree shows. */
#include "iana_registry.h"
#include "port_table.h"
#include "service_port.h"
#include "test_support.h"

#include <string.h>

static struct port_table *table;

static void setup(void)
{
	char error[512] = "";
	ck_assert_msg(port_table_open(fixture_path("stats-registry.xml"), &table, error, sizeof(error)) == 0, "%s",
		      error);
}

static void teardown(void)
{
	port_table_free(table);
	table = NULL;
}

static struct service_port choose(unsigned protocol, uint16_t sport, uint16_t dport)
{
	struct service_port sp;
	memset(&sp, 0xA5, sizeof(sp)); /* everything must be written */
	service_port_choose(table, protocol, sport, dport, &sp);
	ck_assert_uint_eq(sp.protocol, protocol);
	return sp;
}

static const char *service(const struct service_port *sp)
{
	static char buf[128];
	return service_port_service_label(sp, buf, sizeof(buf));
}

START_TEST(test_destination_first)
{
	/* A request: the destination is assigned. */
	struct service_port sp = choose(IANA_PROTO_TCP, 50000, 443);
	ck_assert_uint_eq(sp.port, 443);
	ck_assert(!sp.is_source);
	ck_assert(service_port_is_assigned(&sp));
	ck_assert_str_eq(sp.info.name, "https");
	ck_assert_str_eq(sp.info.status, "assigned");
	ck_assert_int_eq(sp.port_class, PORT_CLASS_SYSTEM);
	ck_assert_str_eq(service(&sp), "https (tcp): 443");

	/* Both assigned: still the destination. */
	sp = choose(IANA_PROTO_TCP, 443, 80);
	ck_assert_uint_eq(sp.port, 80);
	ck_assert_str_eq(service(&sp), "http (tcp): 80");
}
END_TEST

START_TEST(test_source_when_destination_unassigned)
{
	/* A response: server port to client port counts for the server. */
	struct service_port sp = choose(IANA_PROTO_TCP, 443, 50000);
	ck_assert_uint_eq(sp.port, 443);
	ck_assert(sp.is_source);
	ck_assert_str_eq(service(&sp), "https (tcp): 443");
	ck_assert_int_eq(sp.port_class, PORT_CLASS_SYSTEM);

	/* Reserved and De-registered destinations are not assigned either. */
	sp = choose(IANA_PROTO_TCP, 53, 0);
	ck_assert_uint_eq(sp.port, 53);
	ck_assert_str_eq(service(&sp), "domain (tcp): 53");
	sp = choose(IANA_PROTO_UDP, 53, 1027);
	ck_assert_str_eq(service(&sp), "domain (udp): 53");
}
END_TEST

START_TEST(test_neither_assigned)
{
	/* Neither side: the destination, whatever it is. */
	struct service_port sp = choose(IANA_PROTO_TCP, 50000, 0);
	ck_assert_uint_eq(sp.port, 0);
	ck_assert(!sp.is_source);
	ck_assert(!service_port_is_assigned(&sp));
	ck_assert_str_eq(sp.info.status, "reserved");
	ck_assert(!service_port_is_unexpected(&sp));
	ck_assert_str_eq(service(&sp), "");

	sp = choose(IANA_PROTO_UDP, 50000, 1027);
	ck_assert_str_eq(sp.info.status, "unnamed");
	ck_assert_int_eq(sp.port_class, PORT_CLASS_USER);
	ck_assert(!service_port_is_unexpected(&sp));

	sp = choose(IANA_PROTO_TCP, 40000, 60000);
	ck_assert_uint_eq(sp.port, 60000);
	ck_assert_str_eq(sp.info.status, "unassigned");
	ck_assert_int_eq(sp.port_class, PORT_CLASS_DYNAMIC);
	ck_assert(!service_port_is_unexpected(&sp)); /* Dynamic/Private: expected */
}
END_TEST

START_TEST(test_unexpected_ports)
{
	char buf[64];
	/* An Unassigned record, and no record at all, in User and System. */
	struct service_port sp = choose(IANA_PROTO_TCP, 50000, 8001);
	ck_assert(sp.info.has_record);
	ck_assert_str_eq(sp.info.status, "unassigned");
	ck_assert(service_port_is_unexpected(&sp));
	ck_assert_str_eq(service_port_port_label(&sp, buf, sizeof(buf)), "8001/tcp");

	sp = choose(IANA_PROTO_UDP, 50000, 1234);
	ck_assert(!sp.info.has_record);
	ck_assert(service_port_is_unexpected(&sp));
	ck_assert_int_eq(sp.port_class, PORT_CLASS_USER);
	ck_assert_str_eq(service_port_port_label(&sp, buf, sizeof(buf)), "1234/udp");

	sp = choose(IANA_PROTO_DCCP, 49152, 7);
	ck_assert(service_port_is_unexpected(&sp));
	ck_assert_int_eq(sp.port_class, PORT_CLASS_SYSTEM);
	ck_assert_str_eq(service_port_port_label(&sp, buf, sizeof(buf)), "7/dccp");

	/* The edges of the Dynamic/Private range. */
	ck_assert(service_port_is_unexpected((sp = choose(IANA_PROTO_TCP, 50000, 49151), &sp)));
	ck_assert(!service_port_is_unexpected((sp = choose(IANA_PROTO_TCP, 50000, 49152), &sp)));
	ck_assert(!service_port_is_unexpected((sp = choose(IANA_PROTO_TCP, 50000, 65535), &sp)));
}
END_TEST

START_TEST(test_per_transport)
{
	/* A record on one transport says nothing about another. */
	struct service_port sp = choose(IANA_PROTO_SCTP, 2905, 2905);
	ck_assert_str_eq(service(&sp), "m3ua (sctp): 2905");
	ck_assert_int_eq(sp.port_class, PORT_CLASS_USER);
	sp = choose(IANA_PROTO_DCCP, 50000, 5004);
	ck_assert_str_eq(service(&sp), "avt-profile-1 (dccp): 5004");
	sp = choose(IANA_PROTO_UDP, 50000, 443);
	ck_assert(!service_port_is_assigned(&sp));
	ck_assert(service_port_is_unexpected(&sp));
	sp = choose(IANA_PROTO_TCP, 50000, 2905);
	ck_assert(!service_port_is_assigned(&sp));
}
END_TEST

START_TEST(test_range_and_unauthorized)
{
	char buf[256];
	/* x11's text names 6003: reported there, not on the rest of its range */
	struct service_port sp = choose(IANA_PROTO_TCP, 50000, 6003);
	ck_assert_str_eq(service(&sp), "x11 (tcp): 6000-6063");
	ck_assert_str_eq(service_port_unauthorized_label(&sp, buf, sizeof(buf)),
			 "6003/tcp x11: Known Unauthorized Use on port 6003");
	sp = choose(IANA_PROTO_TCP, 50000, 6005);
	ck_assert_str_eq(service(&sp), "x11 (tcp): 6000-6063");
	ck_assert_str_eq(service_port_unauthorized_label(&sp, buf, sizeof(buf)), "");
	sp = choose(IANA_PROTO_TCP, 79, 50000);
	ck_assert_str_eq(service_port_unauthorized_label(&sp, buf, sizeof(buf)),
			 "79/tcp finger: Unauthorized use by some mail users (see [RFC4146] for details)");
	sp = choose(IANA_PROTO_TCP, 50000, 443);
	ck_assert_str_eq(service_port_unauthorized_label(&sp, buf, sizeof(buf)), "");

	/* Truncated to the buffer, always terminated. */
	char small[8];
	sp = choose(IANA_PROTO_TCP, 79, 50000);
	ck_assert_str_eq(service_port_unauthorized_label(&sp, small, sizeof(small)), "79/tcp ");
	ck_assert_str_eq(service_port_service_label(&sp, small, sizeof(small)), "finger ");
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("service_port");
	TCase *tc = tcase_create("attribution");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_destination_first);
	tcase_add_test(tc, test_source_when_destination_unassigned);
	tcase_add_test(tc, test_neither_assigned);
	tcase_add_test(tc, test_unexpected_ports);
	tcase_add_test(tc, test_per_transport);
	tcase_add_test(tc, test_range_and_unauthorized);
	suite_add_tcase(s, tc);
	return s;
}

RUN_SUITE(make_suite)
