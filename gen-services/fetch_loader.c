/* fetch_loader.c - the registry_fetch.h functions as gen-services sees
 * them: the first call to registry_fetch_global_init() dlopen()s
 * gen-services-fetch.so (registry_fetch.c with libcurl) and every call is
 * forwarded to it.  So only `gen-services --update` pays for libcurl and
 * the libraries it pulls in (about 5 MiB of mappings and 30 libraries to
 * relocate): a plain run stays as small and fast as before it existed.
 *
 * Where the module is looked for: beside the running executable first (the
 * build tree: build/gen-services and build/gen-services-fetch.so), then at
 * the installed DEFAULT_FETCH_PATH.  It is never unloaded (libcurl and its
 * TLS library keep process-wide state). */
#include "install_paths.h"
#include "registry_fetch.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const struct registry_fetch_ops *ops;

/* DIR/REGISTRY_FETCH_MODULE for the directory of the running executable,
 * in BUF; false when it cannot be told or the file is not there. */
static bool module_beside_executable(char *buf, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return false;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash == NULL)
		return false;
	*slash = '\0';
	int len = snprintf(buf, size, "%s/%s", exe, REGISTRY_FETCH_MODULE);
	return len > 0 && (size_t)len < size && access(buf, R_OK) == 0;
}

int registry_fetch_global_init(char *error, size_t error_size)
{
	if (ops == NULL) {
		char path[PATH_MAX + sizeof(REGISTRY_FETCH_MODULE)];
		const char *module = module_beside_executable(path, sizeof(path)) ? path : DEFAULT_FETCH_PATH;
		void *handle = dlopen(module, RTLD_NOW | RTLD_LOCAL);
		if (handle == NULL) {
			const char *why = dlerror();
			snprintf(error, error_size, "cannot load %s, which --update needs for libcurl: %s", module,
				 why != NULL ? why : "unknown error");
			return -1;
		}
		const struct registry_fetch_ops *found = dlsym(handle, REGISTRY_FETCH_OPS_SYMBOL);
		if (found == NULL || found->global_init == NULL || found->global_cleanup == NULL ||
		    found->fetch == NULL || found->result_free == NULL) {
			snprintf(error, error_size, "%s: not a gen-services fetch module (no %s)", module,
				 REGISTRY_FETCH_OPS_SYMBOL);
			dlclose(handle);
			return -1;
		}
		ops = found;
	}
	return ops->global_init(error, error_size);
}

void registry_fetch_global_cleanup(void)
{
	if (ops != NULL)
		ops->global_cleanup();
}

int registry_fetch(const struct fetch_request *request, struct fetch_result *result)
{
	if (ops == NULL) {
		memset(result, 0, sizeof(*result));
		snprintf(result->error, sizeof(result->error), "libcurl is not loaded");
		errno = EINVAL;
		return FETCH_ERROR;
	}
	return ops->fetch(request, result);
}

void fetch_result_free(struct fetch_result *result)
{
	if (ops != NULL)
		ops->result_free(result);
}
