/* index_source.c - the source identity of a registry file (see
 * index_source.h). */
#include "index_source.h"
#include "crc32.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

bool iana_index_source_of_bytes(const void *data, size_t len, struct iana_index_source *out)
{
	*out = (struct iana_index_source){0};
	if (len == 0 || len > UINT32_MAX) {
		errno = len ? EFBIG : EINVAL;
		return false;
	}
	out->size = (uint32_t)len;
	out->crc32 = iana_crc32(0, data, len);
	return true;
}

bool iana_index_source_of_path(const char *path, struct iana_index_source *out)
{
	*out = (struct iana_index_source){0};
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return false;
	struct stat st;
	bool ok = fstat(fd, &st) == 0;
	if (ok && !S_ISREG(st.st_mode)) {
		errno = EINVAL;
		ok = false;
	}
	uint32_t crc = 0;
	uint64_t size = 0;
	unsigned char buf[64 * 1024];
	while (ok) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ok = n == 0;
			break;
		}
		crc = iana_crc32(crc, buf, (size_t)n);
		size += (uint64_t)n;
	}
	int saved = errno;
	close(fd);
	errno = saved;
	if (!ok)
		return false;
	if (size == 0 || size > UINT32_MAX) {
		errno = size ? EFBIG : EINVAL;
		return false;
	}
	out->size = (uint32_t)size;
	out->crc32 = crc;
	return true;
}

bool iana_index_source_equal(const struct iana_index_source *a, const struct iana_index_source *b)
{
	return a->size != 0 && a->size == b->size && a->crc32 == b->crc32;
}
