/* run_measured.c - benchmark helper: runs a command N times and prints the
 * fastest wall-clock time (microseconds), the largest peak resident set
 * (KiB) and the smallest CPU time (user + system, microseconds: steadier
 * than wall time on a busy machine) of those runs, as "min_us max_rss_kib
 * min_cpu_us".  Output of the command goes to /dev/null. */
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
	long best_us = -1, max_rss = 0, best_cpu_us = -1;
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
		long cpu_us = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000L + usage.ru_utime.tv_usec +
			      usage.ru_stime.tv_usec;
		if (best_cpu_us < 0 || cpu_us < best_cpu_us)
			best_cpu_us = cpu_us;
	}
	printf("%ld %ld %ld\n", best_us, max_rss, best_cpu_us);
	return 0;
}
