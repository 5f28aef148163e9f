/* nscd_cache.c - invalidates nscd's services cache after an update (see
 * nscd_cache.h). */
#include "nscd_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

extern char **environ;

bool nscd_invalidate_services(bool verbose, FILE *report)
{
	posix_spawn_file_actions_t actions;
	if (posix_spawn_file_actions_init(&actions) != 0)
		return false;
	bool ok = posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0) == 0 &&
		  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0) == 0 &&
		  posix_spawn_file_actions_adddup2(&actions, 1, 2) == 0;
	pid_t pid;
	static char name[] = "nscd", option[] = "-i", database[] = "services";
	char *argv[] = {name, option, database, NULL};
	if (ok && posix_spawnp(&pid, "nscd", &actions, NULL, argv, environ) != 0)
		ok = false; /* no nscd installed */
	posix_spawn_file_actions_destroy(&actions);
	if (!ok)
		return false;
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return false;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return false; /* installed, not running */
	if (verbose && report != NULL)
		fprintf(report, "invalidated: nscd's services cache (nscd -i services)\n");
	return true;
}
