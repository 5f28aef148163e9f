/* nss_bench.c - benchmark helper for run-nss-bench.sh: services lookups
 * through glibc (getservbyname_r, getservbyport_r) with the NSS source
 * chosen by __nss_configure_lookup(), so that a module is timed exactly as
 * programs use it.  One source per process: glibc caches the source list of
 * each function at its first call.
 *
 * Usage: nss_bench SOURCE lookups ITERS
 *   Times each key of a fixed set (early and late names, aliases, misses,
 *   early, late and in-range ports): ITERS calls in a row, five times,
 *   keeping the median.  Prints one line per key:
 *     KIND KEY NS_PER_CALL ANSWER      (ANSWER "name/port/proto" or "-")
 *   With SOURCE "iana" a key that does not give the expected hit or miss is
 *   an error (exit 1): the timing would not mean what it says.
 * Usage: nss_bench SOURCE mix SERVICES ROUNDS
 *   The registry-wide mix: every key of SERVICES (gen-services' output, one
 *   "name port/protocol" per line) in a fixed shuffled order, looked up
 *   by name and protocol, by port and protocol, and as a miss by name (the
 *   name with "-nx" appended, same protocol): each kind ROUNDS times over
 *   all keys, keeping the median round.  Prints one line per kind:
 *     mix KIND NS_PER_CALL KEYS
 *   With SOURCE "iana" a key that does not give the expected hit or miss
 *   is an error (exit 1).  The three kinds are each timed in a function
 *   of its own (mix_byname, mix_byport, mix_missname), so that callgrind
 *   can count a kind's instructions and cache misses alone.
 * Usage: nss_bench SOURCE memory
 *   Reads /proc/self/smaps_rollup before the first lookup and again after
 *   many lookups and an enumeration (setservent/getservent_r/endservent),
 *   and /proc/self/smaps for the mapping of $NSS_IANA_INDEX and of
 *   libnss_SOURCE.so.2.  Prints one line of KEY=VALUE (KiB):
 *     private_added=  growth of Private_Dirty (see rollup_private())
 *     index_size= index_rss= index_private=   the index's mapping
 *     lib_private=    libnss_SOURCE.so.2's mappings (text, data, bss)
 *     entries=        entries enumerated
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <nss.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

struct key {
	bool by_port;
	const char *key;    /* name, or port number */
	const char *proto;  /* NULL: any protocol */
	bool hit;           /* what libnss_iana must answer */
};

static const struct key keys[] = {
	{false, "tcpmux", "tcp", true},          /* first entry of the registry */
	{false, "inspider", "tcp", true},        /* last entry */
	{false, "3par-mgmt-ssl", NULL, true},    /* middle, any protocol */
	{false, "www-http", "tcp", true},        /* alias, early */
	{false, "iceedcp_rx", "udp", true},      /* alias, late */
	{false, "no-such-service", "tcp", false},
	{false, "no-such-service", NULL, false},
	{true, "1", "tcp", true},                /* first port */
	{true, "49150", "tcp", true},            /* last port */
	{true, "5783", "udp", true},             /* middle */
	{true, "6005", "tcp", true},             /* inside x11's range 6000-6063 */
	{true, "65000", "udp", false},
	{true, "65000", NULL, false},
};
#define N_KEYS (sizeof keys / sizeof keys[0])

static char buf[4096];

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* One lookup of K; the answer, or NULL for none. */
static struct servent *ask(const struct key *k, struct servent *se)
{
	struct servent *r = NULL;
	int rc;
	if (k->by_port)
		rc = getservbyport_r((int)htons((uint16_t)atoi(k->key)), k->proto, se, buf,
				     sizeof buf, &r);
	else
		rc = getservbyname_r(k->key, k->proto, se, buf, sizeof buf, &r);
	return rc == 0 ? r : NULL;
}

static int lookups(const char *source, long iters)
{
	int status = 0;
	for (size_t i = 0; i < N_KEYS; i++) {
		const struct key *k = &keys[i];
		struct servent se, *r = ask(k, &se); /* loads the module, warms up */
		char answer[256] = "-";
		if (r != NULL)
			snprintf(answer, sizeof answer, "%s/%d/%s", r->s_name,
				 ntohs((uint16_t)r->s_port), r->s_proto);
		if (strcmp(source, "iana") == 0 && (r != NULL) != k->hit) {
			fprintf(stderr, "nss_bench: iana: %s %s/%s: got %s, want a %s\n",
				k->by_port ? "byport" : "byname", k->key, k->proto ? k->proto : "-",
				answer, k->hit ? "hit" : "miss");
			status = 1;
		}
		double timing[5];
		for (int round = 0; round < 5; round++) {
			double t0 = now_ns();
			for (long n = 0; n < iters; n++)
				(void)ask(k, &se);
			timing[round] = (now_ns() - t0) / (double)iters;
		}
		qsort(timing, 5, sizeof(timing[0]), compare_double);
		printf("%s %s/%s %.1f %s\n", k->by_port ? "byport" : "byname", k->key,
		       k->proto ? k->proto : "-", timing[2], answer);
	}
	return status;
}

/* ---- the registry-wide mix ---- */

struct mix_key {
	char *name, *miss; /* miss: NAME-nx */
	char proto[8];
	int port;          /* network order */
};

static struct mix_key *mix_keys;
static size_t n_mix;

/* Read "name port/proto ..." lines of PATH (comments and blank lines
 * skipped), then shuffle them with a fixed seed: a program that resolves
 * many names does not ask them in port order. */
static int mix_load(const char *path)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		fprintf(stderr, "nss_bench: %s: %s\n", path, strerror(errno));
		return -1;
	}
	char line[1024];
	size_t cap = 0;
	while (fgets(line, sizeof line, f) != NULL) {
		char name[256], proto[8];
		unsigned port;
		if (line[0] == '#' || sscanf(line, "%255s %u/%7[a-z]", name, &port, proto) != 3 || port > 65535)
			continue;
		if (n_mix == cap) {
			cap = cap ? cap * 2 : 1024;
			struct mix_key *k = realloc(mix_keys, cap * sizeof(*k));
			if (k == NULL)
				return -1;
			mix_keys = k;
		}
		struct mix_key *k = &mix_keys[n_mix++];
		size_t len = strlen(name);
		k->name = strdup(name);
		k->miss = malloc(len + 4);
		if (k->name == NULL || k->miss == NULL)
			return -1;
		memcpy(k->miss, name, len);
		memcpy(k->miss + len, "-nx", 4);
		snprintf(k->proto, sizeof k->proto, "%s", proto);
		k->port = (int)htons((uint16_t)port);
	}
	fclose(f);
	uint32_t seed = 12345;
	for (size_t i = n_mix; i > 1; i--) {
		seed = seed * 1103515245u + 12345u;
		size_t j = (seed >> 8) % i;
		struct mix_key t = mix_keys[i - 1];
		mix_keys[i - 1] = mix_keys[j];
		mix_keys[j] = t;
	}
	return n_mix > 0 ? 0 : -1;
}

/* One round of a kind over every key: its time in ns, and the hits. */
__attribute__((noinline)) static double mix_byname(size_t *hits)
{
	struct servent se, *r;
	double t0 = now_ns();
	for (size_t i = 0; i < n_mix; i++)
		*hits += getservbyname_r(mix_keys[i].name, mix_keys[i].proto, &se, buf, sizeof buf, &r) == 0 && r != NULL;
	return now_ns() - t0;
}

__attribute__((noinline)) static double mix_byport(size_t *hits)
{
	struct servent se, *r;
	double t0 = now_ns();
	for (size_t i = 0; i < n_mix; i++)
		*hits += getservbyport_r(mix_keys[i].port, mix_keys[i].proto, &se, buf, sizeof buf, &r) == 0 && r != NULL;
	return now_ns() - t0;
}

__attribute__((noinline)) static double mix_missname(size_t *hits)
{
	struct servent se, *r;
	double t0 = now_ns();
	for (size_t i = 0; i < n_mix; i++)
		*hits += getservbyname_r(mix_keys[i].miss, mix_keys[i].proto, &se, buf, sizeof buf, &r) == 0 && r != NULL;
	return now_ns() - t0;
}

static int mix(const char *source, const char *path, long rounds)
{
	if (mix_load(path) < 0) {
		fprintf(stderr, "nss_bench: no keys read from %s\n", path);
		return 2;
	}
	static const struct {
		const char *kind;
		double (*run)(size_t *hits);
		bool hit;
	} kinds[] = {{"byname", mix_byname, true}, {"byport", mix_byport, true}, {"missname", mix_missname, false}};
	int status = 0;
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		double *timing = calloc((size_t)rounds, sizeof(*timing));
		if (timing == NULL)
			return 2;
		size_t hits = 0;
		(void)kinds[k].run(&hits); /* loads the module, checks the answers */
		if (strcmp(source, "iana") == 0 && hits != (kinds[k].hit ? n_mix : 0)) {
			fprintf(stderr, "nss_bench: iana: mix %s: %zu hits of %zu keys, want %s\n", kinds[k].kind, hits,
				n_mix, kinds[k].hit ? "all" : "none");
			status = 1;
		}
		for (long r = 0; r < rounds; r++)
			timing[r] = kinds[k].run(&hits) / (double)n_mix;
		qsort(timing, (size_t)rounds, sizeof(timing[0]), compare_double);
		printf("mix %s %.1f %zu\n", kinds[k].kind, timing[rounds / 2], n_mix);
		free(timing);
	}
	return status;
}

/* ---- memory ---- */

static char procbuf[1 << 18];

/* Read all of PATH into procbuf (no stdio, no malloc: the measurement must
 * not allocate); its length, or -1. */
static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t len = 0;
	for (;;) {
		ssize_t n = read(fd, procbuf + len, sizeof procbuf - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == sizeof procbuf - 1)
			break;
	}
	close(fd);
	procbuf[len] = '\0';
	return (long)len;
}

/* Value in kB of field NAME ("Private_Dirty:") on LINE, or -1 when LINE
 * is another field. */
static long field(const char *line, const char *name)
{
	size_t n = strlen(name);
	return strncmp(line, name, n) == 0 ? strtol(line + n, NULL, 10) : -1;
}

/* Memory only this process can use: its dirty private pages (heap, stack,
 * relocated data).  Clean file-backed pages (the library's code, the index)
 * are shared with every process mapping the same file and can be dropped
 * and re-read, so they are not the process's private cost. */
static long rollup_private(void)
{
	if (slurp("/proc/self/smaps_rollup") < 0)
		return -1;
	long total = 0, v;
	for (char *line = procbuf; line != NULL && *line != '\0';) {
		if ((v = field(line, "Private_Dirty:")) >= 0)
			total += v;
		char *nl = strchr(line, '\n');
		line = nl != NULL ? nl + 1 : NULL;
	}
	return total;
}

/* Sums Size, Rss and Private_* over the mappings of /proc/self/smaps whose
 * path is PATH (or ends with "/" PATH when SUFFIX). */
static void mapping(const char *path, bool suffix, long *size, long *rss, long *priv)
{
	*size = *rss = *priv = 0;
	if (slurp("/proc/self/smaps") < 0)
		return;
	bool in = false;
	for (char *line = procbuf; line != NULL && *line != '\0';) {
		char *nl = strchr(line, '\n');
		if (nl != NULL)
			*nl = '\0';
		if ((*line >= '0' && *line <= '9') || (*line >= 'a' && *line <= 'f')) {
			/* header: address perms offset dev inode [path] */
			const char *p = line;
			for (int f = 0; f < 5 && p != NULL; f++) {
				p = strchr(p, ' ');
				while (p != NULL && *p == ' ')
					p++;
			}
			in = false;
			if (p != NULL && *p != '\0') {
				size_t lp = strlen(p), l = strlen(path);
				in = suffix ? lp > l && p[lp - l - 1] == '/' && strcmp(p + lp - l, path) == 0
					    : strcmp(p, path) == 0;
			}
		} else if (in) {
			long v;
			if ((v = field(line, "Size:")) >= 0)
				*size += v;
			else if ((v = field(line, "Rss:")) >= 0)
				*rss += v;
			else if ((v = field(line, "Private_Clean:")) >= 0 ||
				 (v = field(line, "Private_Dirty:")) >= 0)
				*priv += v;
		}
		line = nl != NULL ? nl + 1 : NULL;
	}
}

static int memory(const char *source)
{
	struct servent se, *r;
	const char *index = getenv("NSS_IANA_INDEX");
	char index_real[PATH_MAX];
	if (index == NULL || realpath(index, index_real) == NULL) {
		fputs("nss_bench: memory: NSS_IANA_INDEX does not name a file\n", stderr);
		return 2;
	}
	(void)rollup_private(); /* touch what the measurement itself uses */
	long before = rollup_private();

	for (int n = 0; n < 1000; n++)
		for (size_t i = 0; i < N_KEYS; i++)
			(void)ask(&keys[i], &se);
	long entries = 0;
	setservent(1);
	while (getservent_r(&se, buf, sizeof buf, &r) == 0 && r != NULL)
		entries++;
	endservent();
	for (size_t i = 0; i < N_KEYS; i++)
		(void)ask(&keys[i], &se);

	long after = rollup_private();
	long isize, irss, ipriv, lsize, lrss, lpriv;
	mapping(index_real, false, &isize, &irss, &ipriv);
	char lib[64];
	snprintf(lib, sizeof lib, "libnss_%s.so.2", source);
	mapping(lib, true, &lsize, &lrss, &lpriv);
	if (before < 0 || after < 0) {
		fputs("nss_bench: memory: cannot read /proc/self/smaps_rollup\n", stderr);
		return 2;
	}
	printf("private_added=%ld index_size=%ld index_rss=%ld index_private=%ld "
	       "lib_size=%ld lib_private=%ld entries=%ld\n",
	       after - before, isize, irss, ipriv, lsize, lpriv, entries);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: nss_bench SOURCE lookups ITERS | nss_bench SOURCE mix SERVICES ROUNDS |"
		      " nss_bench SOURCE memory\n", stderr);
		return 2;
	}
	if (__nss_configure_lookup("services", argv[1]) != 0) {
		fprintf(stderr, "nss_bench: __nss_configure_lookup(services, %s) failed\n", argv[1]);
		return 2;
	}
	if (strcmp(argv[2], "lookups") == 0 && argc == 4 && atol(argv[3]) > 0)
		return lookups(argv[1], atol(argv[3]));
	if (strcmp(argv[2], "mix") == 0 && argc == 5 && atol(argv[4]) > 0)
		return mix(argv[1], argv[3], atol(argv[4]));
	if (strcmp(argv[2], "memory") == 0 && argc == 3)
		return memory(argv[1]);
	fputs("nss_bench: bad arguments\n", stderr);
	return 2;
}
