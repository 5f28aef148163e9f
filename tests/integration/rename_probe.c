/* rename_probe.c - LD_PRELOAD'ed by test-update.sh into
 * update-iana-services: after every rename() it looks at the installed
 * pair ($NSS_IANA_INDEX and $NSS_IANA_REGISTRY) and appends one line to
 * $RENAME_PROBE_LOG:
 *   DESTINATION index=DATE registry=DATE
 * where the dates are the Last Updated of the index (its header; "?" when
 * missing) and of the registry (its <updated> element).  So the test sees,
 * rename by rename, which pair a reader could have met in between. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int rename(const char *from, const char *to);

static void index_date(const char *path, char *out, size_t size)
{
	unsigned char header[36];
	snprintf(out, size, "?");
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (read(fd, header, sizeof(header)) == (ssize_t)sizeof(header)) {
		/* struct iana_index_header: updated_year (uint16_t, host order)
		 * at offset 32, then month and day. */
		uint16_t year;
		memcpy(&year, header + 32, sizeof(year));
		snprintf(out, size, "%04u-%02u-%02u", (unsigned)year, header[34], header[35]);
	}
	close(fd);
}

static void registry_date(const char *path, char *out, size_t size)
{
	char text[4096];
	snprintf(out, size, "?");
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	ssize_t n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return;
	text[n] = '\0';
	const char *p = strstr(text, "<updated>");
	if (p != NULL)
		snprintf(out, size, "%.10s", p + 9);
}

int rename(const char *from, const char *to)
{
	int (*real)(const char *, const char *) =
		(int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
	int rc = real(from, to);
	const char *log = getenv("RENAME_PROBE_LOG");
	const char *index = getenv("NSS_IANA_INDEX");
	const char *registry = getenv("NSS_IANA_REGISTRY");
	if (log == NULL || index == NULL || registry == NULL)
		return rc;
	char idate[16], rdate[16];
	index_date(index, idate, sizeof(idate));
	registry_date(registry, rdate, sizeof(rdate));
	FILE *f = fopen(log, "a");
	if (f != NULL) {
		fprintf(f, "%s index=%s registry=%s\n", to, idate, rdate);
		fclose(f);
	}
	return rc;
}
