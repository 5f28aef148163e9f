/* registry_load.c - the public entry points of a load: open the input, tell
 * its format from the first bytes (never from the file name) and hand it to
 * the matching parser. */
#include "fd_read.h"
#include "registry_builder.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Enough to see past the plain-text preamble to its column header. */
#define DETECT_PREFIX_SIZE (64 * 1024)

static const char csv_header_start[] = "Service Name,Port Number,";
static const char text_column_header[] = "Service Name Port Number Transport Protocol";
static const char text_preamble[] = "Internet Assigned Numbers Authority";

static bool has_prefix(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	return len >= n && memcmp(s, prefix, n) == 0;
}

/* Read up to CAP bytes (fewer only at end of file).  -1 on error. */
static ssize_t read_fully(int fd, char *buf, size_t cap)
{
	size_t done = 0;
	while (done < cap) {
		ssize_t n = read(fd, buf + done, cap - done);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		done += (size_t)n;
	}
	return (ssize_t)done;
}

static int detect_format(const char *data, size_t len, enum iana_format *format)
{
	if (has_prefix(data, len, "\xEF\xBB\xBF")) {
		data += 3;
		len -= 3;
	}
	/* IANA's CSV starts with its header on line 1 */
	if (has_prefix(data, len, csv_header_start)) {
		*format = IANA_FORMAT_CSV;
		return 0;
	}
	while (len > 0 && (*data == ' ' || *data == '\t' || *data == '\r' || *data == '\n')) {
		data++;
		len--;
	}
	if (len == 0)
		return -1;
	if (*data == '<')
		*format = IANA_FORMAT_XML;
	else if (has_prefix(data, len, text_preamble) || has_prefix(data, len, text_column_header) ||
		 memmem(data, len, text_column_header, strlen(text_column_header)) != NULL)
		*format = IANA_FORMAT_TEXT;
	else
		return -1;
	return 0;
}

static void report(const struct iana_load_options *options, const char *message)
{
	if (options == NULL || options->on_diagnostic == NULL)
		return;
	struct iana_diagnostic d = {
		.severity = IANA_SEVERITY_ERROR,
		.file = options->display_name ? options->display_name : "<input>",
		.message = message,
	};
	options->on_diagnostic(&d, options->userdata);
}

int iana_registry_load_fd(int fd, const struct iana_load_options *options, struct iana_registry **out)
{
	*out = NULL;
	char *prefix = malloc(DETECT_PREFIX_SIZE);
	if (prefix == NULL)
		return IANA_LOAD_NO_MEMORY;
	ssize_t got = read_fully(fd, prefix, DETECT_PREFIX_SIZE);
	if (got < 0) {
		int saved = errno;
		free(prefix);
		report(options, strerror(saved));
		errno = saved;
		return IANA_LOAD_IO_ERROR;
	}
	enum iana_format format;
	if (detect_format(prefix, (size_t)got, &format) < 0) {
		free(prefix);
		report(options, got == 0 ? "empty input, not a registry"
					 : "not a registry in a known format (expected IANA's XML, CSV or plain text)");
		return IANA_LOAD_BAD_FORMAT;
	}
	struct registry_builder *builder = reg_builder_new(options, format);
	if (builder == NULL) {
		free(prefix);
		return IANA_LOAD_NO_MEMORY;
	}
	int rc;
	if (format == IANA_FORMAT_XML) {
		struct input_source in = {.fd = fd, .prefix = prefix, .prefix_len = (size_t)got};
		rc = reg_parse_xml(builder, &in);
		free(prefix);
		if (rc < 0 && in.read_errno != 0) {
			reg_builder_discard(builder);
			errno = in.read_errno;
			return IANA_LOAD_IO_ERROR;
		}
	} else {
		size_t len = (size_t)got;
		char *data = iana_fd_read_all(fd, prefix, (size_t)got, &len);
		if (data == NULL) {
			int saved = errno;
			reg_builder_discard(builder);
			report(options, strerror(saved));
			errno = saved;
			return saved == ENOMEM ? IANA_LOAD_NO_MEMORY : IANA_LOAD_IO_ERROR;
		}
		rc = format == IANA_FORMAT_CSV ? reg_parse_csv(builder, data, len) : reg_parse_text(builder, data, len);
		free(data);
	}
	if (rc < 0 && !reg_builder_failed(builder))
		reg_builder_error(builder, 0, 0, "the %s parser failed without saying why", iana_format_name(format));
	return reg_builder_finish(builder, out);
}

int iana_registry_load_path(const char *path, const struct iana_load_options *options,
			    struct iana_registry **out)
{
	struct iana_load_options named = options ? *options : (struct iana_load_options){0};
	if (named.display_name == NULL)
		named.display_name = path;
	*out = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		int saved = errno;
		report(&named, strerror(saved));
		errno = saved;
		return IANA_LOAD_IO_ERROR;
	}
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		report(&named, strerror(EISDIR));
		errno = EISDIR;
		return IANA_LOAD_IO_ERROR;
	}
	int rc = iana_registry_load_fd(fd, &named, out);
	int saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

const char *iana_load_result_str(int result)
{
	switch (result) {
	case IANA_LOAD_OK:
		return "success";
	case IANA_LOAD_IO_ERROR:
		return "read error";
	case IANA_LOAD_BAD_FORMAT:
		return "not a registry in a known format";
	case IANA_LOAD_PARSE_ERROR:
		return "malformed registry";
	case IANA_LOAD_NO_MEMORY:
		return "out of memory";
	}
	return "unknown error";
}
