/* services_base.c - finds, saves and parses the distribution's services
 * file kept beside a generated one (see services_base.h). */
#include "services_base.h"
#include "output_file.h"
#include "output_format.h"

#include <stdio.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void services_base_target(struct output_selection *selection, const char *file, bool check_only, bool no_base,
			  const char **merge, char *path, size_t size)
{
	if (file == NULL || strcmp(file, "-") == 0 || strncmp(file, "/dev/", 5) == 0 ||
	    strncmp(file, "/proc/", 6) == 0)
		return;
	if (!no_base) {
		selection->target = file;
		selection->check_only = check_only;
	}
	struct stat st;
	if (*merge == NULL && (size_t)snprintf(path, size, "%s.local", file) < size &&
	    (stat(path, &st) == 0 || errno != ENOENT))
		*merge = path; /* there, or unreadable: loading it says why */
}

void services_base_close(struct services_base *base)
{
	local_services_free(base->entries);
	free(base->path);
	memset(base, 0, sizeof(*base));
}

static bool ours(const char *data, size_t len)
{
	size_t n = strlen(GENERATED_MARK);
	return len >= n && memcmp(data, GENERATED_MARK, n) == 0;
}

/* Parse DATA, read from PATH, leniently into BASE. */
static int parse_into(struct services_base *base, const char *path, const char *data, size_t len,
		      char *error, size_t size)
{
	base->entries = local_services_parse_lenient(path, data, len, error, size);
	if (base->entries == NULL) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/* Save DATA as the base file, unless it already holds exactly that. */
static int save_base(const char *target, const char *path, const char *data, size_t len, char *error,
		     size_t size)
{
	size_t old_len;
	char *old = read_whole_file(path, &old_len);
	bool same = old != NULL && old_len == len && memcmp(old, data, len) == 0;
	free(old);
	if (same)
		return 0;
	char message[1024];
	if (output_file_write(path, data, len, message, sizeof(message)) < 0) {
		int saved = errno;
		snprintf(error, size, "cannot keep %s (not written by gen-services) as the base %s: %s", target,
			 path, message);
		errno = saved;
		return -1;
	}
	return 0;
}

int services_base_open(const char *target, bool save, struct services_base *base, char *error, size_t size)
{
	memset(base, 0, sizeof(*base));
	size_t n = strlen(target);
	base->path = malloc(n + sizeof(SERVICES_BASE_SUFFIX));
	if (base->path == NULL) {
		snprintf(error, size, "%s: out of memory", target);
		errno = ENOMEM;
		return -1;
	}
	memcpy(base->path, target, n);
	memcpy(base->path + n, SERVICES_BASE_SUFFIX, sizeof(SERVICES_BASE_SUFFIX));

	/* Only a regular file can be a distribution's services file; a
	 * device or a FIFO is never read here. */
	struct stat st;
	if (stat(target, &st) == 0 && S_ISREG(st.st_mode)) {
		size_t len;
		char *data = read_whole_file(target, &len);
		if (data == NULL) {
			int saved = errno;
			snprintf(error, size, "cannot read %s to keep its entries: %s", target, strerror(saved));
			services_base_close(base);
			errno = saved;
			return -1;
		}
		if (!ours(data, len)) {
			if (parse_into(base, target, data, len, error, size) < 0) {
				free(data);
				services_base_close(base);
				errno = ENOMEM;
				return -1;
			}
			if (local_services_n_names(base->entries) > 0) {
				/* The distribution's file: it becomes the base. */
				int rc = save ? save_base(target, base->path, data, len, error, size) : 0;
				int saved = errno;
				free(data);
				if (rc < 0) {
					services_base_close(base);
					errno = saved;
					return -1;
				}
				base->saved = save;
				return 0;
			}
			/* No entry: not a services file; replaced as any output. */
			local_services_free(base->entries);
			base->entries = NULL;
		}
		free(data);
	}

	size_t len;
	char *data = read_whole_file(base->path, &len);
	if (data == NULL) {
		if (errno == ENOENT)
			return 0; /* no base */
		int saved = errno;
		snprintf(error, size, "cannot read the base %s: %s", base->path, strerror(saved));
		services_base_close(base);
		errno = saved;
		return -1;
	}
	int rc = parse_into(base, base->path, data, len, error, size);
	free(data);
	if (rc < 0) {
		services_base_close(base);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

int services_base_write_block(FILE *out, const struct services_base *base)
{
	const char *slash = strrchr(base->path, '/');
	char begin[1024];
	snprintf(begin, sizeof(begin), "%s%s)", BASE_BLOCK_BEGIN, slash ? slash + 1 : base->path);
	return local_services_write_between(out, base->entries, begin, BASE_BLOCK_END);
}
