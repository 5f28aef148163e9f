/* test_support.c - implementation of the unit-test helpers (test_support.h). */
#include "test_support.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef FIXTURES_DIR
#error "FIXTURES_DIR must be defined by the build"
#endif

static void capture(const struct iana_diagnostic *d, void *userdata)
{
	struct captured_diagnostics *c = userdata;
	if (d->severity == IANA_SEVERITY_ERROR)
		c->errors++;
	else
		c->warnings++;
	if (c->len < sizeof(c->text)) {
		int n = snprintf(c->text + c->len, sizeof(c->text) - c->len, "%u:%u: %s: %s\n",
				 (unsigned)d->line, (unsigned)d->column,
				 d->severity == IANA_SEVERITY_ERROR ? "error" : "warning", d->message);
		if (n > 0)
			c->len += (size_t)n;
		if (c->len >= sizeof(c->text))
			c->len = sizeof(c->text) - 1;
	}
}

struct iana_load_options capturing_options(struct captured_diagnostics *diags)
{
	memset(diags, 0, sizeof(*diags));
	return (struct iana_load_options){
		.display_name = "test-input",
		.on_diagnostic = capture,
		.userdata = diags,
	};
}

static int load_fd(int fd, const char *display, struct iana_registry **out,
		   struct captured_diagnostics *diags)
{
	static struct captured_diagnostics scratch;
	struct captured_diagnostics *c = diags ? diags : &scratch;
	memset(c, 0, sizeof(*c));
	struct iana_load_options options = {
		.display_name = display,
		.on_diagnostic = capture,
		.userdata = c,
	};
	*out = NULL;
	return iana_registry_load_fd(fd, &options, out);
}

int load_registry_string(const char *data, size_t len, struct iana_registry **out,
			 struct captured_diagnostics *diags)
{
	char path[] = "/tmp/iana-unit-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	unlink(path);
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);
		ck_assert_int_gt(n, 0);
		done += (size_t)n;
	}
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	int rc = load_fd(fd, "test-input", out, diags);
	close(fd);
	return rc;
}

const char *fixture_path(const char *name)
{
	static char path[4096];
	snprintf(path, sizeof(path), "%s/%s", FIXTURES_DIR, name);
	return path;
}

int load_path(const char *path, const char *display, struct iana_registry **out,
	      struct captured_diagnostics *diags)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_msg(fd >= 0, "cannot open %s", path);
	int rc = load_fd(fd, display, out, diags);
	close(fd);
	return rc;
}

int load_fixture(const char *name, struct iana_registry **out, struct captured_diagnostics *diags)
{
	return load_path(fixture_path(name), name, out, diags);
}

const struct iana_record *record_at(const struct iana_registry *reg, size_t i)
{
	size_t n;
	const struct iana_record *records = iana_registry_records(reg, &n);
	ck_assert_uint_lt(i, n);
	return &records[i];
}

const struct iana_record *find_record(const struct iana_registry *reg, const char *name,
				      enum iana_protocol protocol)
{
	size_t n;
	const struct iana_record *records = iana_registry_records(reg, &n);
	for (size_t i = 0; i < n; i++)
		if (records[i].name && strcmp(records[i].name, name) == 0 &&
		    records[i].protocol == protocol)
			return &records[i];
	return NULL;
}
