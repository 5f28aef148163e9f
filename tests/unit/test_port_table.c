/* test_port_table.c - the Wireshark plugin's port table
 * (wireshark-plugin/port_table.c), without Wireshark: loading from a
 * registry and from an index, what each (protocol, port) resolves to, port
 * classes, and the one-line reasons a load fails. */
#include "port_table.h"
#include "index_reader.h"
#include "index_writer.h"
#include "unauthorized_ports.h"
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct port_table *open_ok(const char *path)
{
	struct port_table *table;
	char error[512] = "";
	ck_assert_msg(port_table_open(path, &table, error, sizeof(error)) == 0, "%s", error);
	return table;
}

/* The error port_table_open() gives for PATH (which must fail). */
static const char *open_error(const char *path)
{
	static char error[512];
	struct port_table *table = (struct port_table *)1;
	error[0] = '\0';
	ck_assert_int_eq(port_table_open(path, &table, error, sizeof(error)), -1);
	ck_assert_ptr_null(table);
	ck_assert_msg(error[0] != '\0', "no reason given");
	ck_assert_msg(strchr(error, '\n') == NULL, "one line: %s", error);
	return error;
}

/* Write the index of the fixture NAME to a temporary file; returns its
 * path (static). */
static const char *write_index(const char *name)
{
	static char path[] = "/tmp/test_port_table.XXXXXX";
	strcpy(path, "/tmp/test_port_table.XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	FILE *out = fdopen(fd, "w");
	ck_assert_ptr_nonnull(out);
	struct iana_registry *reg;
	ck_assert_int_eq(load_fixture(name, &reg, NULL), IANA_LOAD_OK);
	struct iana_service_table *services;
	struct iana_load_options options = {0};
	ck_assert_int_eq(iana_service_table_build(reg, &options, &services), IANA_LOAD_OK);
	ck_assert_int_eq(iana_index_write(out, reg, services, NULL), 0);
	ck_assert_int_eq(fclose(out), 0);
	iana_service_table_free(services);
	iana_registry_free(reg);
	return path;
}

static void check_fixture_ports(const struct port_table *t)
{
	struct port_info i;
	ck_assert(port_table_lookup(t, IANA_PROTO_TCP, 80, &i));
	ck_assert_str_eq(i.name, "http");
	ck_assert_str_eq(i.status, "assigned");
	ck_assert_uint_eq(i.n_aliases, 2);
	ck_assert_str_eq(port_table_alias(t, &i, 0), "www");
	ck_assert_str_eq(port_table_alias(t, &i, 1), "www-http");
	ck_assert_ptr_null(port_table_alias(t, &i, 2));
	ck_assert_str_eq(i.references, "RFC 9110");
	/* IANA's "iesg&ietf.org" shown as the address it stands for */
	ck_assert_str_eq(i.assignees, "IESG <iesg@ietf.org>");
	ck_assert(!i.reserved);

	/* A named range, inside and at both ends; just outside it nothing. */
	for (unsigned port = 6000; port <= 6063; port += 21) {
		ck_assert(port_table_lookup(t, IANA_PROTO_TCP, (uint16_t)port, &i));
		ck_assert_str_eq(i.name, "x11");
		ck_assert_uint_eq(i.range_first, 6000);
		ck_assert_uint_eq(i.range_last, 6063);
	}
	ck_assert(!port_table_lookup(t, IANA_PROTO_TCP, 6064, &i));
	ck_assert_ptr_null(i.name);
	ck_assert_str_eq(i.status, "unassigned");
	ck_assert(!i.has_record);
	ck_assert(!port_table_lookup(t, IANA_PROTO_UDP, 6005, &i)); /* x11 is tcp only here */

	ck_assert(port_table_lookup(t, IANA_PROTO_TCP, 79, &i));
	ck_assert_str_eq(i.name, "finger");
	ck_assert_str_eq(i.unauthorized, "Unauthorized use by some mail users (see [RFC4146] for details)");

	/* Records without a name: Reserved 0/tcp, Unassigned 13219-13222 on
	 * every protocol, Reserved 13823/udp only. */
	ck_assert(port_table_lookup(t, IANA_PROTO_TCP, 0, &i));
	ck_assert_ptr_null(i.name);
	ck_assert_str_eq(i.status, "reserved");
	ck_assert_str_eq(i.description, "Reserved");
	ck_assert(i.reserved && i.has_record);
	ck_assert(!port_table_lookup(t, IANA_PROTO_UDP, 0, &i));
	for (unsigned p = IANA_PROTO_TCP; p <= IANA_PROTO_DCCP; p++) {
		ck_assert(port_table_lookup(t, p, 13220, &i));
		ck_assert_str_eq(i.status, "unassigned");
		ck_assert_str_eq(i.description, "Unassigned");
		ck_assert_uint_eq(i.range_first, 13219);
		ck_assert_uint_eq(i.range_last, 13222);
		ck_assert(!i.reserved);
	}
	ck_assert(port_table_lookup(t, IANA_PROTO_UDP, 13823, &i));
	ck_assert(i.reserved);
	ck_assert(!port_table_lookup(t, IANA_PROTO_TCP, 13823, &i));

	ck_assert(port_table_lookup(t, IANA_PROTO_DCCP, 9, &i));
	ck_assert_str_eq(i.name, "discard");
	ck_assert(!port_table_lookup(t, IANA_PROTO_NONE, 80, &i));
	ck_assert(!port_table_lookup(t, 9, 80, &i));
	ck_assert_str_eq(port_table_updated(t), "2026-08-17");

	/* The x11 range reports "Known Unauthorized Use on port 6003": that
	 * port warns, the rest of the range does not. */
	ck_assert(port_table_lookup(t, IANA_PROTO_TCP, 6003, &i));
	ck_assert_str_eq(i.name, "x11");
	ck_assert_str_eq(i.unauthorized, "Known Unauthorized Use on port 6003");
	ck_assert(port_table_lookup(t, IANA_PROTO_TCP, 6005, &i));
	ck_assert_str_eq(i.name, "x11");
	ck_assert_ptr_null(i.unauthorized);
	ck_assert(port_table_is_notable(t, IANA_PROTO_TCP, 6003));
	ck_assert(!port_table_is_notable(t, IANA_PROTO_TCP, 6005));
	ck_assert(!port_table_is_notable(t, IANA_PROTO_TCP, 6000));
	ck_assert(!port_table_is_notable(t, IANA_PROTO_TCP, 6063));

	/* Notable: finger (unauthorized use), x11's 6003, Reserved 0/tcp and
	 * 13823/udp; nothing else. */
	unsigned notable = 0;
	for (unsigned p = IANA_PROTO_TCP; p <= IANA_PROTO_DCCP; p++)
		for (unsigned port = 0; port < 65536; port++)
			notable += port_table_is_notable(t, p, (uint16_t)port);
	ck_assert_uint_eq(notable, 1 + 1 + 1 + 1);
	ck_assert(port_table_is_notable(t, IANA_PROTO_TCP, 79));
	ck_assert(port_table_is_notable(t, IANA_PROTO_TCP, 0));
	ck_assert(port_table_is_notable(t, IANA_PROTO_UDP, 13823));
	ck_assert(!port_table_is_notable(t, IANA_PROTO_UDP, 79));
	ck_assert(!port_table_is_notable(t, 0, 79));
}

/* The ports an unauthorized-use text names: every grammar of the real
 * registries (2024-03-18 and 2026-08-17), and what names none. */
static const char *spans_of(const char *text)
{
	static char out[256];
	struct port_span spans[4];
	size_t n = unauthorized_ports(text, spans, 4);
	size_t len = 0;
	out[0] = '\0';
	for (size_t k = 0; k < n && k < 4 && len < sizeof(out); k++) {
		if (spans[k].first == spans[k].last)
			len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%u", k ? " " : "", spans[k].first);
		else
			len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%u-%u", k ? " " : "",
						spans[k].first, spans[k].last);
	}
	if (n > 4)
		snprintf(out + len, sizeof(out) - len, " (+%zu)", n - 4);
	return out;
}

START_TEST(test_unauthorized_ports)
{
	ck_assert_str_eq(spans_of("Known Unauthorized Use on port 6003"), "6003");
	ck_assert_str_eq(spans_of("Unauthorized Use Known on port 796"), "796");
	ck_assert_str_eq(spans_of("Unauthorized Use Known on Port 6659"), "6659");
	ck_assert_str_eq(spans_of("Known UNAUTHORIZED USE: port 4967"), "4967");
	ck_assert_str_eq(spans_of("Known UNAUTHORIZED USE: Port 8801"), "8801");
	ck_assert_str_eq(spans_of("Known UNAUTHORIZED USE on Port 5570"), "5570");
	ck_assert_str_eq(spans_of("Known UNAUTHORIZED USEs on port 5555"), "5555");
	ck_assert_str_eq(spans_of("Unauthorized Use Known on ports 5151 and 5152"), "5151 5152");
	ck_assert_str_eq(spans_of("Known UNAUTHORIZED USE: Ports 4490 and 4491"), "4490 4491");
	ck_assert_str_eq(spans_of("Known UNAUTHORIZED USE: Ports 44515 & 44516"), "44515 44516");
	ck_assert_str_eq(spans_of("Unauthorized Use Known on ports 28017, 28018 and 28019"), "28017 28018 28019");
	ck_assert_str_eq(spans_of("Unauthorized Use Known on ports 2194-2196"), "2194-2196");
	ck_assert_str_eq(spans_of("Known Unauthorized Use on ports 33436-33534"), "33436-33534");
	ck_assert_str_eq(spans_of("PORT 90 also being used unofficially by Pointcast"), "90");
	ck_assert_str_eq(spans_of("Unofficial use of port 6588 by AnalogX and Microsoft"), "6588");
	/* naming no port */
	ck_assert_str_eq(spans_of("krb524 assigned the port, nv used it without an assignment"), "");
	ck_assert_str_eq(spans_of("Unauthorized use by some mail users (see [RFC4146] for details)"), "");
	ck_assert_str_eq(spans_of("support 1234"), "");        /* "port" inside a word */
	ck_assert_str_eq(spans_of("on port 70000"), "");       /* not a port */
	ck_assert_str_eq(spans_of("on ports 20-10"), "");      /* backwards */
	ck_assert_str_eq(spans_of("on port 12ab"), "");
	ck_assert_str_eq(spans_of(""), "");
	ck_assert_uint_eq(unauthorized_ports(NULL, NULL, 0), 0);
	/* every phrase counts; more than MAX are counted, not stored */
	ck_assert_str_eq(spans_of("port 1, then port 2 and later ports 3, 4, 5 and 6"), "1 2 3 4 (+2)");
	ck_assert_str_eq(spans_of("on port 6003."), "6003");
}
END_TEST

START_TEST(test_from_registry)
{
	struct port_table *t = open_ok(fixture_path("xml-full.xml"));
	check_fixture_ports(t);
	port_table_free(t);
}
END_TEST

START_TEST(test_from_index)
{
	const char *path = write_index("xml-full.xml");
	struct port_table *t = open_ok(path);
	check_fixture_ports(t);
	port_table_free(t);
	unlink(path);
}
END_TEST

/* Both sources answer the same for every port of every protocol. */
START_TEST(test_index_equals_registry)
{
	const char *path = write_index("xml-full.xml");
	struct port_table *a = open_ok(path), *b = open_ok(fixture_path("xml-full.xml"));
	for (unsigned p = IANA_PROTO_TCP; p <= IANA_PROTO_DCCP; p++)
		for (unsigned port = 0; port < 65536; port++) {
			struct port_info x, y;
			ck_assert_int_eq(port_table_lookup(a, p, (uint16_t)port, &x),
					 port_table_lookup(b, p, (uint16_t)port, &y));
			ck_assert_str_eq(x.status, y.status);
			ck_assert_int_eq(x.name == NULL, y.name == NULL);
			if (x.name)
				ck_assert_str_eq(x.name, y.name);
			ck_assert_int_eq(x.description == NULL, y.description == NULL);
			ck_assert_uint_eq(x.range_first, y.range_first);
		}
	port_table_free(a);
	port_table_free(b);
	unlink(path);
}
END_TEST

START_TEST(test_port_class)
{
	ck_assert_int_eq(port_class_of(0), PORT_CLASS_SYSTEM);
	ck_assert_int_eq(port_class_of(1023), PORT_CLASS_SYSTEM);
	ck_assert_int_eq(port_class_of(1024), PORT_CLASS_USER);
	ck_assert_int_eq(port_class_of(49151), PORT_CLASS_USER);
	ck_assert_int_eq(port_class_of(49152), PORT_CLASS_DYNAMIC);
	ck_assert_int_eq(port_class_of(65535), PORT_CLASS_DYNAMIC);
	ck_assert_str_eq(port_class_name(PORT_CLASS_SYSTEM), "System");
	ck_assert_str_eq(port_class_name(PORT_CLASS_USER), "User");
	ck_assert_str_eq(port_class_name(PORT_CLASS_DYNAMIC), "Dynamic/Private");
}
END_TEST

START_TEST(test_errors)
{
	const char *e = open_error("/nonexistent/services.idx");
	ck_assert_str_eq(e, "cannot read /nonexistent/services.idx: No such file or directory");
	e = open_error("");
	ck_assert_str_eq(e, "no registry path is set");
	e = open_error(fixture_path("xml-not-well-formed.xml"));
	ck_assert_msg(strstr(e, "xml-not-well-formed.xml: malformed registry: line 5: ") != NULL, "%s", e);
	e = open_error(fixture_path("csv-unterminated.csv"));
	ck_assert_msg(strstr(e, "csv-unterminated.csv: ") != NULL && strstr(e, "line") != NULL, "%s", e);
	e = open_error("/");
	ck_assert_msg(strstr(e, "cannot read /: ") != NULL, "%s", e);

	/* An index with one byte flipped fails its checksum. */
	const char *path = write_index("xml-full.xml");
	FILE *f = fopen(path, "r+");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, 100, SEEK_SET), 0);
	int c = fgetc(f);
	ck_assert_int_eq(fseek(f, 100, SEEK_SET), 0);
	fputc(c ^ 0x55, f);
	ck_assert_int_eq(fclose(f), 0);
	e = open_error(path);
	ck_assert_msg(strstr(e, ": the services index is truncated or corrupt") != NULL, "%s", e);
	unlink(path);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("port_table");
	TCase *tc = tcase_create("lookup");
	tcase_add_test(tc, test_unauthorized_ports);
	/* 4 x 65536 lookups compared, slow under make check SANITIZE=1 on a busy host. */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_from_registry);
	tcase_add_test(tc, test_from_index);
	tcase_add_test(tc, test_index_equals_registry);
	tcase_add_test(tc, test_port_class);
	tcase_add_test(tc, test_errors);
	suite_add_tcase(s, tc);
	return s;
}

RUN_SUITE(make_suite)
