/* nss_client.c - a small glibc NSS client for test-nss.sh (which compiles
 * it into its temporary directory): asks the services database through
 * glibc, with the source chosen by __nss_configure_lookup(), so that the
 * module libnss_iana.so.2 is exercised exactly as any program uses it.
 *
 * Usage: nss_client SOURCE COMMAND ARGS...   (SOURCE: "iana", "files", ...)
 *   byname NAME PROTO|-       one answer as "name port/proto aliases...",
 *                             or "notfound"
 *   byport PORT PROTO|-       the same by port
 *   enum                      setservent/getservent/endservent, one line
 *                             per entry, as above
 *   enum-small                the same through getservent_r starting with
 *                             a 1-byte buffer grown on ERANGE (the cursor
 *                             must not move on ERANGE)
 *   erange NAME PROTO         getservbyname_r with every buffer size from 0
 *                             up: each too small one must give ERANGE, the
 *                             first large enough one the answer
 *   bench N NAME PROTO        N getservbyname_r calls; prints ns per call
 *   stress SECONDS THREADS    threads look up ssh/tcp, 22/tcp, 6005/tcp in
 *                             a loop; every answer must be right (6005/tcp:
 *                             x11 or x11-renamed, the two indexes test-nss.sh
 *                             swaps)
 *   watch SECONDS PORT PROTO  getservbyport_r every 50 ms; prints each
 *                             answer that differs from the one before
 *   fork PORT PROTO           looks up, forks while another thread looks up
 *                             in a loop, looks up in the child; prints both
 * Exit 0 when everything asked for went as expected, 1 otherwise. */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <nss.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void print_servent(const struct servent *s)
{
	printf("%s %d/%s", s->s_name, ntohs((uint16_t)s->s_port), s->s_proto);
	for (char **a = s->s_aliases; *a != NULL; a++)
		printf(" %s", *a);
	putchar('\n');
}

static const char *proto_arg(const char *p)
{
	return strcmp(p, "-") == 0 ? NULL : p;
}

static int lookup(const char *how, const char *key, const char *proto)
{
	struct servent se, *r = NULL;
	char buf[4096];
	int rc;
	if (strcmp(how, "byname") == 0)
		rc = getservbyname_r(key, proto_arg(proto), &se, buf, sizeof buf, &r);
	else
		rc = getservbyport_r((int)htons((uint16_t)atoi(key)), proto_arg(proto), &se, buf,
				     sizeof buf, &r);
	if (rc != 0) {
		printf("error %s\n", strerror(rc));
		return 1;
	}
	if (r == NULL)
		puts("notfound");
	else
		print_servent(r);
	return 0;
}

static int enumerate(int small)
{
	size_t size = small ? 1 : 4096;
	char *buf = malloc(size);
	struct servent se, *r;
	int n = 0;
	if (buf == NULL)
		return 1;
	setservent(1);
	for (;;) {
		int rc = getservent_r(&se, buf, size, &r);
		if (rc == ERANGE && small) {
			char *bigger = realloc(buf, size *= 2);
			if (bigger == NULL)
				return 1;
			buf = bigger;
			continue;
		}
		if (rc != 0 || r == NULL)
			break;
		print_servent(r);
		n++;
		if (small && size > 1) { /* start small again for the next one */
			size = 1;
		}
	}
	endservent();
	free(buf);
	fprintf(stderr, "%d entries\n", n);
	return 0;
}

static int erange(const char *name, const char *proto)
{
	char buf[4096];
	struct servent se, *r;
	for (size_t size = 0; size <= sizeof buf; size++) {
		int rc = getservbyname_r(name, proto_arg(proto), &se, buf, size, &r);
		if (rc == 0 && r != NULL) {
			printf("fits in %zu bytes: ", size);
			print_servent(r);
			return size > 0 ? 0 : 1;
		}
		if (rc != ERANGE) {
			printf("FAIL: buffer of %zu bytes: got %d (%s), want ERANGE\n", size, rc,
			       rc ? strerror(rc) : "no answer");
			return 1;
		}
	}
	puts("FAIL: never fits");
	return 1;
}

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int bench(long n, const char *name, const char *proto)
{
	char buf[1024];
	struct servent se, *r;
	double t0 = now_ns();
	for (long i = 0; i < n; i++)
		if (getservbyname_r(name, proto_arg(proto), &se, buf, sizeof buf, &r) != 0 || r == NULL) {
			puts("FAIL: lookup failed during bench");
			return 1;
		}
	printf("%.0f ns per getservbyname_r(%s, %s)\n", (now_ns() - t0) / (double)n, name, proto);
	return 0;
}

static atomic_long wrong, done;
static double stop_at;

static void *stress_thread(void *arg)
{
	char buf[1024];
	struct servent se, *r;
	long local = 0;
	(void)arg;
	while (now_ns() < stop_at) {
		for (int k = 0; k < 100; k++, local++) {
			int rc;
			switch (local % 3) {
			case 0:
				rc = getservbyname_r("ssh", "tcp", &se, buf, sizeof buf, &r);
				if (rc != 0 || r == NULL || strcmp(r->s_name, "ssh") != 0 ||
				    ntohs((uint16_t)r->s_port) != 22 || strcmp(r->s_proto, "tcp") != 0)
					atomic_fetch_add(&wrong, 1);
				break;
			case 1:
				rc = getservbyport_r((int)htons(22), "tcp", &se, buf, sizeof buf, &r);
				if (rc != 0 || r == NULL || strcmp(r->s_name, "ssh") != 0)
					atomic_fetch_add(&wrong, 1);
				break;
			default:
				rc = getservbyport_r((int)htons(6005), "tcp", &se, buf, sizeof buf, &r);
				if (rc != 0 || r == NULL ||
				    (strcmp(r->s_name, "x11") != 0 && strcmp(r->s_name, "x11-renamed") != 0) ||
				    ntohs((uint16_t)r->s_port) != 6000 || strcmp(r->s_proto, "tcp") != 0)
					atomic_fetch_add(&wrong, 1);
				break;
			}
		}
	}
	atomic_fetch_add(&done, local);
	return NULL;
}

static int stress(double seconds, int threads)
{
	pthread_t tid[64];
	if (threads < 1 || threads > 64)
		return 1;
	stop_at = now_ns() + seconds * 1e9;
	for (int i = 0; i < threads; i++)
		if (pthread_create(&tid[i], NULL, stress_thread, NULL) != 0)
			return 1;
	for (int i = 0; i < threads; i++)
		pthread_join(tid[i], NULL);
	printf("%ld lookups, %ld wrong\n", (long)done, (long)wrong);
	return wrong != 0 || done == 0;
}

static int watch(double seconds, const char *port, const char *proto)
{
	char buf[1024], last[1100] = "";
	struct servent se, *r;
	double end = now_ns() + seconds * 1e9;
	while (now_ns() < end) {
		char line[1100];
		int rc = getservbyport_r((int)htons((uint16_t)atoi(port)), proto_arg(proto), &se, buf,
					 sizeof buf, &r);
		if (rc != 0 || r == NULL)
			snprintf(line, sizeof line, "notfound");
		else
			snprintf(line, sizeof line, "%s %d/%s", r->s_name, ntohs((uint16_t)r->s_port),
				 r->s_proto);
		if (strcmp(line, last) != 0) {
			puts(line);
			fflush(stdout);
			strcpy(last, line);
		}
		nanosleep(&(struct timespec){0, 50000000}, NULL);
	}
	return 0;
}

static void *fork_busy(void *arg)
{
	(void)arg;
	stop_at = now_ns() + 1e9;
	stress_thread(NULL);
	return NULL;
}

static int fork_test(const char *port, const char *proto)
{
	pthread_t tid;
	if (lookup("byport", port, proto) != 0 || pthread_create(&tid, NULL, fork_busy, NULL) != 0)
		return 1;
	nanosleep(&(struct timespec){0, 100000000}, NULL);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		setservent(0); /* takes the enumeration lock */
		int rc = lookup("byport", port, proto);
		fflush(stdout);
		_exit(rc);
	}
	int status = 1;
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 1;
	pthread_join(tid, NULL);
	return !(WIFEXITED(status) && WEXITSTATUS(status) == 0) || wrong != 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: nss_client SOURCE COMMAND ARGS...\n", stderr);
		return 2;
	}
	if (__nss_configure_lookup("services", argv[1]) != 0) {
		fprintf(stderr, "nss_client: __nss_configure_lookup(services, %s) failed\n", argv[1]);
		return 2;
	}
	const char *cmd = argv[2];
	if ((strcmp(cmd, "byname") == 0 || strcmp(cmd, "byport") == 0) && argc == 5)
		return lookup(cmd, argv[3], argv[4]);
	if (strcmp(cmd, "enum") == 0)
		return enumerate(0);
	if (strcmp(cmd, "enum-small") == 0)
		return enumerate(1);
	if (strcmp(cmd, "erange") == 0 && argc == 5)
		return erange(argv[3], argv[4]);
	if (strcmp(cmd, "bench") == 0 && argc == 6)
		return bench(atol(argv[3]), argv[4], argv[5]);
	if (strcmp(cmd, "stress") == 0 && argc == 5)
		return stress(atof(argv[3]), atoi(argv[4]));
	if (strcmp(cmd, "watch") == 0 && argc == 6)
		return watch(atof(argv[3]), argv[4], argv[5]);
	if (strcmp(cmd, "fork") == 0 && argc == 5)
		return fork_test(argv[3], argv[4]);
	fprintf(stderr, "nss_client: bad command\n");
	return 2;
}
