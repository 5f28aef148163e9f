/* plugin_load.c - benchmark helper: how long the Wireshark plugin takes to
 * build its tables (wireshark-plugin/port_table.c) from PATH, a services
 * index or a registry file.  Opens and frees it RUNS times and prints the
 * median and the fastest time in microseconds, "median_us min_us". */
#include "port_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int compare_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	if (argc != 3 || atoi(argv[1]) < 1) {
		fprintf(stderr, "usage: %s RUNS PATH\n", argv[0]);
		return 2;
	}
	int runs = atoi(argv[1]);
	long *us = calloc((size_t)runs, sizeof(*us));
	if (us == NULL)
		return 2;
	for (int i = 0; i < runs; i++) {
		struct timespec t0, t1;
		struct port_table *table;
		char error[512];
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (port_table_open(argv[2], &table, error, sizeof(error)) != 0) {
			fprintf(stderr, "%s: %s\n", argv[0], error);
			free(us);
			return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		port_table_free(table);
		us[i] = (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000;
	}
	qsort(us, (size_t)runs, sizeof(*us), compare_long);
	printf("%ld %ld\n", us[runs / 2], us[0]);
	free(us);
	return 0;
}
