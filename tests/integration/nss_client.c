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
 *   enum-cycles N             N rounds of setservent/getservent_r/
 *                             endservent: whole enumerations, ones
 *                             abandoned after 10 entries, empty ones, the
 *                             first without setservent, lookups in between;
 *                             every whole one must give the same entries
 *   erange NAME PROTO         getservbyname_r with every buffer size from 0
 *                             up, each buffer malloc()ed to exactly that
 *                             size (and once more starting 3 bytes into an
 *                             allocation), so that valgrind or a sanitizer
 *                             sees any write past its end: each too small
 *                             one must give ERANGE, the first large enough
 *                             one the answer
 *   erange-port PORT PROTO    the same through getservbyport_r
 *   bench N NAME PROTO        N getservbyname_r calls; prints ns per call
 *   watch SECONDS PORT PROTO  getservbyport_r every 50 ms; prints each
 *                             answer that differs from the one before
 * (Threads, forks and replacements under load: nss_stress.c.)
 * Exit 0 when everything asked for went as expected, 1 otherwise. */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <nss.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

static void format_servent(const struct servent *s, char *out, size_t outlen)
{
	int n = snprintf(out, outlen, "%s %d/%s", s->s_name, ntohs((uint16_t)s->s_port), s->s_proto);
	for (char **a = s->s_aliases; *a != NULL && n > 0 && (size_t)n < outlen; a++)
		n += snprintf(out + n, outlen - (size_t)n, " %s", *a);
}

static int enum_cycles(int cycles)
{
	char buf[1024], line[1100], first[1100] = "", last[1100] = "", first_name[1024] = "";
	struct servent se, *r;
	size_t whole = 0;
	int whole_runs = 0, bad = 0;
	for (int c = 0; c < cycles; c++) {
		int kind = c % 3; /* 0: whole, 1: the first 10 entries, 2: none */
		if (c > 0)
			setservent(c % 2);
		size_t n = 0;
		while (kind != 2 && !(kind == 1 && n == 10)) {
			int rc = getservent_r(&se, buf, sizeof buf, &r);
			if (rc != 0 || r == NULL)
				break;
			format_servent(r, line, sizeof line);
			if (n == 0) {
				if (first[0] == '\0') {
					strcpy(first, line);
					snprintf(first_name, sizeof first_name, "%s", r->s_name);
				} else if (strcmp(first, line) != 0) {
					printf("FAIL: cycle %d starts with '%s', not '%s'\n", c, line, first);
					bad++;
				}
			}
			n++;
			/* A lookup does not move the cursor. */
			struct servent se2, *r2;
			char buf2[1024];
			if (n % 1000 == 0 &&
			    (getservbyname_r(first_name, NULL, &se2, buf2, sizeof buf2, &r2) != 0 ||
			     r2 == NULL)) {
				printf("FAIL: cycle %d: no answer for %s during the enumeration\n", c,
				       first_name);
				bad++;
			}
		}
		if (kind == 0) {
			if (whole_runs++ == 0) {
				whole = n;
				strcpy(last, line);
			} else if (n != whole || strcmp(line, last) != 0) {
				printf("FAIL: cycle %d: %zu entries ending with '%s', want %zu ending with '%s'\n",
				       c, n, line, whole, last);
				bad++;
			}
		} else if (kind == 1 && n != 10 && (whole_runs == 0 || n != whole)) {
			printf("FAIL: cycle %d: %zu entries, want 10\n", c, n);
			bad++;
		}
		endservent();
	}
	if (whole == 0) {
		puts("FAIL: no entries");
		return 1;
	}
	printf("%d cycles, %d of them whole enumerations of %zu entries, alike\n", cycles, whole_runs,
	       whole);
	return bad != 0;
}

/* Ask KEY with every buffer size from 0 up, each buffer ending exactly
 * where its allocation does (starting OFFSET bytes into it), and then
 * with each of the next 64 sizes (the module copies in whole words when
 * there is room for them: the first sizes with room are as exact). */
static int erange_at(bool by_port, const char *key, const char *proto, size_t offset)
{
	struct servent se, *r;
	char first[1100] = "", line[1100];
	size_t fits = 0;
	for (size_t size = 0; size <= 4096; size++) {
		char *block = malloc(size + offset);
		if (block == NULL && size + offset > 0) {
			puts("FAIL: out of memory");
			return 1;
		}
		char *buf = block == NULL ? NULL : block + offset;
		int rc = by_port ? getservbyport_r((int)htons((uint16_t)atoi(key)), proto_arg(proto), &se,
						   buf, size, &r)
				 : getservbyname_r(key, proto_arg(proto), &se, buf, size, &r);
		if (rc == 0 && r != NULL && fits == 0) {
			printf("fits in %zu bytes%s: ", size, offset ? " (unaligned)" : "");
			print_servent(r);
			format_servent(r, first, sizeof first);
			free(block);
			if (size == 0)
				return 1;
			fits = size;
			continue;
		}
		if (fits != 0) {
			if (rc != 0 || r == NULL) {
				printf("FAIL: buffer of %zu bytes: got %d (%s) after %zu bytes fit\n", size, rc,
				       rc ? strerror(rc) : "no answer", fits);
				free(block);
				return 1;
			}
			format_servent(r, line, sizeof line);
			free(block);
			if (strcmp(line, first) != 0) {
				printf("FAIL: buffer of %zu bytes: '%s', with %zu bytes '%s'\n", size, line, fits, first);
				return 1;
			}
			if (size == fits + 64)
				return 0;
			continue;
		}
		free(block);
		if (rc != ERANGE) {
			printf("FAIL: buffer of %zu bytes: got %d (%s), want ERANGE\n", size, rc,
			       rc ? strerror(rc) : "no answer");
			return 1;
		}
	}
	puts("FAIL: never fits");
	return 1;
}

static int erange(bool by_port, const char *key, const char *proto)
{
	int rc = erange_at(by_port, key, proto, 0);
	return rc != 0 ? rc : erange_at(by_port, key, proto, 3);
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
	if (strcmp(cmd, "enum-cycles") == 0 && argc == 4)
		return enum_cycles(atoi(argv[3]));
	if (strcmp(cmd, "erange") == 0 && argc == 5)
		return erange(false, argv[3], argv[4]);
	if (strcmp(cmd, "erange-port") == 0 && argc == 5)
		return erange(true, argv[3], argv[4]);
	if (strcmp(cmd, "bench") == 0 && argc == 6)
		return bench(atol(argv[3]), argv[4], argv[5]);
	if (strcmp(cmd, "watch") == 0 && argc == 6)
		return watch(atof(argv[3]), argv[4], argv[5]);
	fprintf(stderr, "nss_client: bad command\n");
	return 2;
}
