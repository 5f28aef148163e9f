/* leftovers.c - finds and removes an update's own leftover temporary files
 * (see leftovers.h). */
#include "leftovers.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SUFFIX_LEN 6 /* mkstemp()'s XXXXXX */

static bool is_suffix_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* True when ENTRY is ".BASE." followed by six mkstemp() characters. */
static bool is_temporary_of(const char *entry, const char *base, size_t base_len)
{
	if (entry[0] != '.' || strncmp(entry + 1, base, base_len) != 0 || entry[1 + base_len] != '.')
		return false;
	const char *suffix = entry + 2 + base_len;
	for (size_t i = 0; i < SUFFIX_LEN; i++)
		if (!is_suffix_char(suffix[i]))
			return false;
	return suffix[SUFFIX_LEN] == '\0';
}

unsigned leftovers_remove(const char *destination, time_t locked_at, bool verbose, FILE *report)
{
	const char *slash = strrchr(destination, '/');
	const char *base = slash ? slash + 1 : destination;
	size_t base_len = strlen(base);
	char dir[PATH_MAX];
	if (slash == destination)
		strcpy(dir, "/");
	else if (slash != NULL && (size_t)(slash - destination) < sizeof(dir))
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - destination), destination);
	else if (slash == NULL)
		strcpy(dir, ".");
	else
		return 0;
	if (base_len == 0)
		return 0;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return 0;
	DIR *d = fdopendir(dfd);
	if (d == NULL) {
		close(dfd);
		return 0;
	}
	unsigned removed = 0;
	uid_t me = geteuid();
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (!is_temporary_of(e->d_name, base, base_len))
			continue;
		struct stat st;
		if (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode) ||
		    st.st_uid != me || st.st_mtime >= locked_at - LEFTOVER_MIN_AGE)
			continue;
		if (unlinkat(dfd, e->d_name, 0) == 0) {
			removed++;
			if (verbose && report != NULL)
				fprintf(report, "removed: %s/%s (left by an update that was killed)\n",
					strcmp(dir, "/") == 0 ? "" : dir, e->d_name);
		}
	}
	closedir(d);
	return removed;
}
