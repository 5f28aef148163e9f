/* test_alloc_failure.c - allocation failures injected into the loader (each
 * format) and the index builder: on a small fixture, count the allocations
 * a run makes, then fail the 1st, the 2nd, ... the Nth in turn (once, and
 * from there on for good) and check each run ends cleanly: the
 * out-of-memory result, no registry, nothing leaked.
 *
 * No hook in the library: this program is linked with
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free,--wrap=strdup,
 * --wrap=strndup (Makefile), which sends the calls of the objects linked
 * into it (the registry and gen-services libraries, this test) through the
 * __wrap_ functions below; shared libraries (libc, libxml2) keep their own.
 * One test also routes libxml2's allocations through them with
 * xmlMemSetup().  Blocks allocated while a run is armed are tracked, so a
 * leak is seen at once and named by its allocation number. */
#include "index_reader.h"
#include "index_writer.h"
#include "test_support.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlmemory.h>

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void __real_free(void *p);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
void __wrap_free(void *p);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

/* ---- the injector ---- */

static struct {
	bool armed;
	unsigned long seen;    /* allocations while armed */
	unsigned long fail_at; /* fail allocation number FAIL_AT (1-based); 0: none */
	bool persistent;       /* and every one after it */
	unsigned long failed;  /* failures injected */
} inj;

/* Blocks allocated while armed and not yet freed: open addressing on the
 * address, with the allocation number for the report. */
#define LIVE_SLOTS (1u << 16)
#define TOMBSTONE ((void *)1)
static struct {
	void *p;
	unsigned long seq;
	bool libxml; /* allocated by libxml2 (through xmlMemSetup) */
} live[LIVE_SLOTS];
static size_t n_live, n_live_libxml;
static bool in_libxml; /* the allocation being made is libxml2's */

static size_t slot_of(const void *p)
{
	uintptr_t h = (uintptr_t)p;
	h ^= h >> 17;
	h *= 0x9E3779B97F4A7C15ull;
	return (size_t)(h >> 40) & (LIVE_SLOTS - 1);
}

static void live_add(void *p)
{
	if (p == NULL || !inj.armed)
		return;
	if (n_live >= LIVE_SLOTS / 2)
		abort(); /* the fixture is small: cannot happen */
	size_t s = slot_of(p);
	while (live[s].p != NULL && live[s].p != TOMBSTONE)
		s = (s + 1) & (LIVE_SLOTS - 1);
	live[s].p = p;
	live[s].seq = inj.seen;
	live[s].libxml = in_libxml;
	n_live++;
	n_live_libxml += in_libxml;
}

static void live_remove(void *p)
{
	if (p == NULL || n_live == 0)
		return;
	for (size_t s = slot_of(p); live[s].p != NULL; s = (s + 1) & (LIVE_SLOTS - 1)) {
		if (live[s].p == p) {
			live[s].p = TOMBSTONE;
			n_live--;
			n_live_libxml -= live[s].libxml;
			return;
		}
	}
}

/* The allocation number of the first block still live that is ours (or
 * libxml2's), for a report (0: none). */
static unsigned long first_live(bool libxml)
{
	unsigned long first = 0;
	for (size_t s = 0; s < LIVE_SLOTS; s++)
		if (live[s].p != NULL && live[s].p != TOMBSTONE && live[s].libxml == libxml &&
		    (first == 0 || live[s].seq < first))
			first = live[s].seq;
	return first;
}

static bool inject(void)
{
	if (!inj.armed)
		return false;
	inj.seen++;
	if (inj.fail_at != 0 && (inj.seen == inj.fail_at || (inj.persistent && inj.seen > inj.fail_at))) {
		inj.failed++;
		errno = ENOMEM;
		return true;
	}
	return false;
}

void *__wrap_malloc(size_t size)
{
	if (inject())
		return NULL;
	void *p = __real_malloc(size);
	live_add(p);
	return p;
}

void *__wrap_calloc(size_t n, size_t size)
{
	if (inject())
		return NULL;
	void *p = __real_calloc(n, size);
	live_add(p);
	return p;
}

void *__wrap_realloc(void *p, size_t size)
{
	if (inject())
		return NULL;
	void *q = __real_realloc(p, size);
	if (q != NULL) {
		live_remove(p);
		live_add(q);
	}
	return q;
}

void __wrap_free(void *p)
{
	live_remove(p);
	__real_free(p);
}

char *__wrap_strdup(const char *s)
{
	if (inject())
		return NULL;
	char *p = __real_strdup(s);
	live_add(p);
	return p;
}

char *__wrap_strndup(const char *s, size_t n)
{
	if (inject())
		return NULL;
	char *p = __real_strndup(s, n);
	live_add(p);
	return p;
}

/* libxml2's allocator, when the test routes it here: the same wrappers,
 * with the blocks marked as libxml2's. */
static void *xml_malloc(size_t size)
{
	in_libxml = true;
	void *p = __wrap_malloc(size);
	in_libxml = false;
	return p;
}

static void *xml_realloc(void *p, size_t size)
{
	in_libxml = true;
	void *q = __wrap_realloc(p, size);
	in_libxml = false;
	return q;
}

static char *xml_strdup(const char *s)
{
	in_libxml = true;
	char *p = __wrap_strdup(s);
	in_libxml = false;
	return p;
}

static void arm(unsigned long fail_at, bool persistent)
{
	memset(live, 0, sizeof(live));
	n_live = n_live_libxml = 0;
	inj.seen = 0;
	inj.failed = 0;
	inj.fail_at = fail_at;
	inj.persistent = persistent;
	inj.armed = true;
}

static void disarm(void)
{
	inj.armed = false;
}

/* ---- loads ---- */

enum libxml_mode {
	OURS_ONLY,    /* libxml2 allocates with the real malloc */
	WITH_LIBXML2, /* libxml2's allocations are counted and failed too */
};

/* What libxml2 would have printed to stderr: the messages of errors raised
 * before the loader's reader, and its error handler, exist. */
static unsigned long libxml_printed;

static void count_generic_error(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
	libxml_printed++;
}

/* Route libxml2's allocator through the wrappers (before it allocates). */
static void route_libxml2(void)
{
	ck_assert_int_eq(xmlMemSetup(__wrap_free, xml_malloc, xml_realloc, xml_strdup), 0);
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, count_generic_error);
}

/* Load FIXTURE.  Nothing of Check's may run while a run is armed: it
 * allocates (statically linked, its calls are wrapped too). */
static int load(const char *fixture, struct iana_registry **out, struct captured_diagnostics *diags)
{
	struct iana_load_options options = capturing_options(diags);
	int fd = open(fixture_path(fixture), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return IANA_LOAD_IO_ERROR;
	int rc = iana_registry_load_fd(fd, &options, out);
	close(fd);
	return rc;
}

/* A digest of everything a registry holds, to tell a complete load from
 * one that silently lost something. */
static uint64_t digest_str(uint64_t h, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : "\x01"); *p; p++)
		h = (h ^ *p) * 0x100000001b3ull;
	return (h ^ 0xff) * 0x100000001b3ull;
}

static uint64_t digest_num(uint64_t h, uint64_t v)
{
	return (h ^ v) * 0x100000001b3ull;
}

static uint64_t registry_digest(const struct iana_registry *reg)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t n, np;
	const struct iana_record *r = iana_registry_records(reg, &n);
	const struct iana_person *p = iana_registry_people(reg, &np);
	h = digest_str(h, iana_registry_title(reg));
	h = digest_num(h, n);
	h = digest_num(h, np);
	for (size_t i = 0; i < n; i++) {
		h = digest_str(h, r[i].name);
		h = digest_str(h, r[i].description);
		h = digest_str(h, r[i].notes);
		h = digest_str(h, r[i].unauthorized);
		h = digest_num(h, (uint64_t)r[i].port_first << 32 | (uint64_t)r[i].port_last << 16 | r[i].protocol);
		h = digest_num(h, (uint64_t)r[i].line << 32 | (uint64_t)r[i].n_refs << 16 | r[i].n_assignees);
		h = digest_num(h, r[i].n_contacts);
		for (size_t k = 0; k < r[i].n_refs; k++) {
			h = digest_str(h, r[i].refs[k].data);
			h = digest_str(h, r[i].refs[k].text);
		}
		for (size_t k = 0; k < r[i].n_assignees; k++)
			h = digest_num(digest_str(h, r[i].assignees[k].id), r[i].assignees[k].person != NULL);
	}
	for (size_t i = 0; i < np; i++) {
		h = digest_str(h, p[i].id);
		h = digest_str(h, p[i].name);
		h = digest_str(h, p[i].org);
		h = digest_str(h, p[i].uri);
	}
	return h;
}

static uint64_t clean_digest;

/* Allocations a clean load of FIXTURE makes (its registry freed). */
static unsigned long count_load(const char *fixture)
{
	struct iana_registry *reg;
	struct captured_diagnostics diags;
	arm(0, false);
	int rc = load(fixture, &reg, &diags);
	clean_digest = rc == IANA_LOAD_OK ? registry_digest(reg) : 0;
	iana_registry_free(reg);
	disarm();
	ck_assert_msg(rc == IANA_LOAD_OK, "%s does not load: %s", fixture, diags.text);
	ck_assert_msg(n_live == 0, "%s: a clean load leaks %zu block(s)", fixture, n_live);
	return inj.seen;
}

/* Fail each allocation of a load of FIXTURE in turn. */
static void fail_each_load(const char *fixture, bool persistent, enum libxml_mode mode)
{
	count_load(fixture); /* warms up libc's and libxml2's one-time state */
	unsigned long n = count_load(fixture);
	ck_assert_uint_gt(n, 0);
	unsigned long injected_runs = 0, recovered_runs = 0, misreported_runs = 0;
	libxml_printed = 0;
	for (unsigned long k = 1; k <= n; k++) {
		struct iana_registry *reg;
		struct captured_diagnostics diags;
		arm(k, persistent);
		int rc = load(fixture, &reg, &diags);
		uint64_t digest = 0;
		if (rc == IANA_LOAD_OK) {
			digest = registry_digest(reg);
			iana_registry_free(reg);
		}
		disarm();
		/* libxml2 keeps a copy of the last error in its global state
		 * (reachable, replaced by the next error): not a leak */
		xmlResetLastError();
		ck_assert_msg(n_live == n_live_libxml,
			      "%s, allocation %lu of %lu failed%s: %zu block(s) of ours leaked, the first "
			      "allocated as number %lu", fixture, k, n, persistent ? " (and all after)" : "",
			      n_live - n_live_libxml, first_live(false));
		ck_assert_msg(n_live_libxml == 0,
			      "%s, allocation %lu of %lu failed%s: libxml2 leaked %zu block(s) of its own, the "
			      "first allocated as number %lu", fixture, k, n, persistent ? " (and all after)" : "",
			      n_live_libxml, first_live(true));
		ck_assert_msg(libxml_printed == 0, "%s, allocation %lu of %lu failed: libxml2 printed to stderr",
			      fixture, k, n);
		if (inj.failed == 0) {
			/* libxml2's count varies a little from run to run */
			ck_assert_msg(mode == WITH_LIBXML2 && rc == IANA_LOAD_OK,
				      "%s: allocation %lu of %lu never happened", fixture, k, n);
			continue;
		}
		injected_runs++;
		if (rc == IANA_LOAD_OK && mode == WITH_LIBXML2) {
			/* libxml2 may get by without an allocation (a hash
			 * table that does not grow): fine if nothing is lost */
			ck_assert_msg(digest == clean_digest, "%s, libxml2's allocation %lu of %lu failed: the load "
				      "succeeded with a different registry", fixture, k, n);
			recovered_runs++;
			continue;
		}
		ck_assert_msg(reg == NULL, "%s, allocation %lu failed: a registry came back", fixture, k);
		if (rc == IANA_LOAD_PARSE_ERROR && mode == WITH_LIBXML2 && diags.errors > 0) {
			/* libxml2 2.9 turns some of its allocation failures
			 * into XML errors ("xmlns: ... is not a valid URI") */
			if (misreported_runs++ == 0)
				printf("%s, libxml2's allocation %lu failed: reported as %s", fixture, k, diags.text);
			continue;
		}
		ck_assert_msg(rc == IANA_LOAD_NO_MEMORY,
			      "%s, allocation %lu of %lu failed%s: load gave %d (%s), not out of memory: %s",
			      fixture, k, n, persistent ? " (and all after)" : "", rc, iana_load_result_str(rc),
			      diags.text);
	}
	ck_assert_uint_gt(injected_runs, 0);
	char recovered[128] = "";
	if (mode == WITH_LIBXML2)
		snprintf(recovered, sizeof(recovered),
			 " (libxml2 got by without it %lu times, called it an XML error %lu times)", recovered_runs,
			 misreported_runs);
	printf("%s: %lu allocations%s, each failed in turn%s: out of memory%s, nothing leaked\n", fixture, n,
	       mode == WITH_LIBXML2 ? " (libxml2 " LIBXML_DOTTED_VERSION "'s included)" : " of ours",
	       persistent ? " with all after it" : "", recovered);
}

START_TEST(test_xml_each_allocation)
{
	fail_each_load("xml-full.xml", false, OURS_ONLY);
}
END_TEST

START_TEST(test_xml_from_each_allocation)
{
	fail_each_load("xml-full.xml", true, OURS_ONLY);
}
END_TEST

START_TEST(test_csv_each_allocation)
{
	fail_each_load("csv-basic.csv", false, OURS_ONLY);
	fail_each_load("csv-basic.csv", true, OURS_ONLY);
}
END_TEST

START_TEST(test_text_each_allocation)
{
	fail_each_load("text-basic.txt", false, OURS_ONLY);
	fail_each_load("text-basic.txt", true, OURS_ONLY);
}
END_TEST

START_TEST(test_xml_libxml2_each_allocation)
{
	route_libxml2();
	fail_each_load("xml-full.xml", false, WITH_LIBXML2);
}
END_TEST

START_TEST(test_xml_libxml2_from_each_allocation)
{
	route_libxml2();
	fail_each_load("xml-full.xml", true, WITH_LIBXML2);
}
END_TEST

/* ---- the index builder: services view and index writer ---- */

/* Build the view of REG and write its index to OUT.  Returns 0, or the
 * failing step's result with *err its errno. */
static int build_and_write(const struct iana_registry *reg, FILE *out, int *err)
{
	struct iana_service_table *table = (struct iana_service_table *)out; /* must be reset */
	int rc = iana_service_table_build(reg, NULL, &table);
	*err = 0;
	if (rc != IANA_LOAD_OK)
		return table == NULL ? rc : -2; /* -2: a table came back */
	errno = 0;
	rc = iana_index_write(out, reg, table, NULL);
	*err = errno;
	iana_service_table_free(table);
	return rc;
}

static void fail_each_index_allocation(const char *fixture, bool persistent)
{
	struct iana_registry *reg;
	ck_assert_int_eq(load_fixture(fixture, &reg, NULL), IANA_LOAD_OK);
	FILE *out = fopen("/dev/null", "w");
	ck_assert_ptr_nonnull(out);
	int err;
	arm(0, false);
	int rc = build_and_write(reg, out, &err);
	disarm();
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(n_live, 0);
	unsigned long n = inj.seen;
	ck_assert_uint_gt(n, 0);
	for (unsigned long k = 1; k <= n; k++) {
		arm(k, persistent);
		rc = build_and_write(reg, out, &err);
		disarm();
		ck_assert_msg(inj.failed > 0, "%s: allocation %lu of %lu never happened", fixture, k, n);
		ck_assert_msg(n_live == 0, "%s, index allocation %lu of %lu failed: %zu block(s) leaked, "
			      "the first allocated as number %lu", fixture, k, n, n_live, first_live(false));
		ck_assert_msg(rc == IANA_LOAD_NO_MEMORY || (rc == -1 && err == ENOMEM),
			      "%s, index allocation %lu of %lu failed: result %d, errno %d", fixture, k, n, rc,
			      err);
	}
	fclose(out);
	iana_registry_free(reg);
	printf("index of %s: %lu allocations, each failed in turn%s: out of memory, nothing leaked\n", fixture, n,
	       persistent ? " with all after it" : "");
}

START_TEST(test_index_each_allocation)
{
	fail_each_index_allocation("xml-full.xml", false);
	fail_each_index_allocation("xml-full.xml", true);
	fail_each_index_allocation("text-basic.txt", false);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("alloc_failure");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 0); /* no time limit: a sanitized build is slow */
	tcase_add_test(tc, test_xml_each_allocation);
	tcase_add_test(tc, test_xml_from_each_allocation);
	tcase_add_test(tc, test_csv_each_allocation);
	tcase_add_test(tc, test_text_each_allocation);
	tcase_add_test(tc, test_index_each_allocation);
	tcase_add_test(tc, test_xml_libxml2_each_allocation);
	tcase_add_test(tc, test_xml_libxml2_from_each_allocation);
	suite_add_tcase(s, tc);
	return s;
}

RUN_SUITE(make_suite)
