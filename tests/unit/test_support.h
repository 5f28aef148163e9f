/* test_support.h - helpers shared by the Check unit tests: load a registry
 * from a string or a fixture file while capturing its diagnostics, and a
 * main() for one suite. */
#ifndef TEST_SUPPORT_H
#define TEST_SUPPORT_H

#include "iana_registry.h"

#include <check.h>
#include <stddef.h>

/* Diagnostics captured during a load, formatted "line:col: warning|error: msg". */
struct captured_diagnostics {
	char text[8192];
	size_t len;
	unsigned warnings;
	unsigned errors;
};

/* Options whose callback appends to DIAGS (cleared here); for APIs other
 * than the loaders that report diagnostics. */
struct iana_load_options capturing_options(struct captured_diagnostics *diags);

/* Load a registry held in a string.  Returns the load result; *out is set
 * on success.  diags may be NULL. */
int load_registry_string(const char *data, size_t len, struct iana_registry **out,
			 struct captured_diagnostics *diags);
/* Load the file at PATH (diagnostics name it DISPLAY). */
int load_path(const char *path, const char *display, struct iana_registry **out,
	      struct captured_diagnostics *diags);
/* Load tests/fixtures/NAME. */
int load_fixture(const char *name, struct iana_registry **out, struct captured_diagnostics *diags);
/* Full path of tests/fixtures/NAME in a static buffer. */
const char *fixture_path(const char *name);

/* Record number I of REG (asserts I is in range). */
const struct iana_record *record_at(const struct iana_registry *reg, size_t i);
/* First record with NAME and PROTOCOL (IANA_PROTO_NONE matches port-less
 * rows), or NULL. */
const struct iana_record *find_record(const struct iana_registry *reg, const char *name,
				      enum iana_protocol protocol);

/* Each test_*.c ends with RUN_SUITE(make_suite). */
#define RUN_SUITE(make_suite)                                                   \
	int main(void)                                                          \
	{                                                                       \
		SRunner *runner = srunner_create(make_suite());                 \
		srunner_run_all(runner, CK_NORMAL);                             \
		int failed = srunner_ntests_failed(runner);                     \
		srunner_free(runner);                                           \
		return failed == 0 ? 0 : 1;                                     \
	}

#endif /* TEST_SUPPORT_H */
