/* run_measured.c - benchmark helper: runs a command N times and prints the
 * fastest wall-clock time (microseconds) and the largest peak resident set
 * (KiB) of those runs, as "min_us max_rss_kib".  Output of the command goes
 * to /dev/null. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s RUNS COMMAND [ARGS...]\n", argv[0]);
		return 2;
	}
	int runs = atoi(argv[1]);
	long best_us = -1, max_rss = 0;
	for (int i = 0; i < runs; i++) {
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 2;
		}
		if (pid == 0) {
			int null = open("/dev/null", O_WRONLY);
			if (null >= 0)
				dup2(null, STDOUT_FILENO);
			execvp(argv[2], argv + 2);
			perror(argv[2]);
			_exit(127);
		}
		int status;
		struct rusage usage;
		if (wait4(pid, &status, 0, &usage) < 0) {
			perror("wait4");
			return 2;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "%s failed (status %d)\n", argv[2], status);
			return 2;
		}
		long us = (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000;
		if (best_us < 0 || us < best_us)
			best_us = us;
		if (usage.ru_maxrss > max_rss)
			max_rss = usage.ru_maxrss;
	}
	printf("%ld %ld\n", best_us, max_rss);
	return 0;
}
