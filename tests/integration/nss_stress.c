/* nss_stress.c - the concurrency client of test-nss-stress.sh and
 * test-nss-valgrind.sh (compiled by nss-setup.sh into their temporary
 * directory; make builds a -fsanitize=thread copy into build/tsan):
 * threads ask the services database through glibc, with the source set to
 * "iana" by __nss_configure_lookup(), while the file the module answers
 * from is replaced, while the process forks, and while it exits.
 *
 * The data comes in two versions, A and B (two index files), that differ
 * in a few names.  LIVE is the path the module reads (the caller points
 * NSS_IANA_INDEX at it); this program replaces it itself, as the updater
 * does: a fresh copy of A or B is written beside it
 * and renamed over it.  The expected answers are the module's own, asked
 * from one thread with A in place and then with B: under load, every
 * answer must equal A's or B's answer to the same question, whole, and
 * every complete enumeration must equal A's or B's enumeration, entry for
 * entry (an enumeration keeps the index it started on).
 *
 * Time.  The module looks at its file at most once per second of
 * time().  This program defines time() and is linked with
 * -Wl,--export-dynamic-symbol=time, so that the module's calls resolve
 * here: time() reads a virtual clock, which this program moves two
 * seconds on after each replacement; every other clock is the kernel's.  So a run never waits for real
 * seconds and never depends on timing: after each replacement the
 * replacing thread waits until every lookup thread has answered from the
 * new version (a hang is caught by the caller's `timeout`, not by a timed
 * assertion here).
 *
 * Usage: nss_stress COMMAND THREADS N LIVE A B
 *   replace  THREADS threads look up a fixed set of keys (by name, by
 *            port, hits and misses) in a loop and one more thread
 *            enumerates, while LIVE is replaced N times, alternately by A
 *            and B; after each replacement the main thread waits until
 *            every lookup thread has seen the new version.  Each lookup
 *            thread must see exactly N changes of version: one more would
 *            mean it went back to an older index.
 *   fork     THREADS threads look up and one more enumerates while the
 *            main thread forks N children, replacing LIVE before every
 *            other fork; each child looks up every key, enumerates through
 *            glibc, and exits (through exit(), so the module's destructor
 *            runs) with 0 when all its answers were right.
 *   exit     N times, a child starts THREADS threads looking up (0 is
 *            allowed) and one enumerating, and calls exit() once each has
 *            answered, while they still run: the module's destructor must
 *            not pull an index from under them.  A child killed by a
 *            signal, or an error under valgrind or a sanitizer, is the
 *            failure.
 * Prints one summary line on stdout; exits 0 when everything went right,
 * 1 otherwise (what went wrong on stderr), 2 on bad usage or setup.
 *
 * Why the enumerating thread of `fork` calls the module's
 * _nss_iana_getservent_r itself rather than glibc's getservent_r: glibc
 * holds a lock of its own across getservent_r and does not reset it in a
 * child, so a child forked while another thread is inside glibc's
 * getservent_r hangs in setservent whatever the module does (POSIX allows
 * such a child async-signal-safe calls only).  Called directly, the thread
 * is inside the module's own enumeration lock, which the module must
 * handle at fork. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <nss.h>
#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS 64
#define ANSWER_MAX 512
#define MAX_REPORTS 10

/* ---- the virtual clock ---- */

static _Atomic long long virtual_seconds = 1000000000LL;
static atomic_long virtual_reads;

time_t time(time_t *t)
{
	time_t now = (time_t)atomic_load(&virtual_seconds);
	atomic_fetch_add(&virtual_reads, 1);
	if (t != NULL)
		*t = now;
	return now;
}

/* Past the module's once-a-second check. */
static void advance_clock(void)
{
	atomic_fetch_add(&virtual_seconds, 2);
}

static void pause_briefly(void)
{
	nanosleep(&(struct timespec){0, 1000000}, NULL);
}

/* ---- questions and answers ---- */

struct key {
	const char *name; /* NULL: by port */
	int port;
	const char *proto; /* NULL: any */
};

/* test-nss-stress.sh makes B from A by renaming x11 to x11-renamed and
 * www to www-renamed. */
static const struct key keys[] = {
	{"ssh", 0, "tcp"},
	{"x11", 0, "tcp"},
	{"x11-renamed", 0, "tcp"},
	{"http", 0, NULL},
	{"WWW", 0, "tcp"},
	{"www-renamed", 0, NULL},
	{"www-http", 0, "tcp"},
	{"no-such-service-xyz", 0, NULL},
	{"ssh", 0, "ddp"},
	{NULL, 22, "udp"},
	{NULL, 6005, "tcp"},
	{NULL, 6000, NULL},
	{NULL, 80, "tcp"},
	{NULL, 0, "tcp"},
};
#define N_KEYS (sizeof keys / sizeof keys[0])

static char expected[2][N_KEYS][ANSWER_MAX];

static void format_servent(const struct servent *s, char *out, size_t outlen)
{
	int n = snprintf(out, outlen, "%s %d/%s", s->s_name, ntohs((uint16_t)s->s_port), s->s_proto);
	for (char **a = s->s_aliases; *a != NULL && n > 0 && (size_t)n < outlen; a++)
		n += snprintf(out + n, outlen - (size_t)n, " %s", *a);
}

static void ask(const struct key *k, char *out, size_t outlen)
{
	char buf[1024];
	struct servent se, *r = NULL;
	int rc = k->name != NULL
			 ? getservbyname_r(k->name, k->proto, &se, buf, sizeof buf, &r)
			 : getservbyport_r((int)htons((uint16_t)k->port), k->proto, &se, buf, sizeof buf, &r);
	if (rc != 0)
		snprintf(out, outlen, "error %s", strerror(rc));
	else if (r == NULL)
		snprintf(out, outlen, "notfound");
	else
		format_servent(r, out, outlen);
}

static void describe(const struct key *k, char *out, size_t outlen)
{
	if (k->name != NULL)
		snprintf(out, outlen, "%s/%s", k->name, k->proto ? k->proto : "-");
	else
		snprintf(out, outlen, "%d/%s", k->port, k->proto ? k->proto : "-");
}

/* Which version ANSWER to key K comes from: 0 (A), 1 (B), 2 (both answer
 * it so), -1 (neither: wrong). */
static int version_of(size_t k, const char *answer)
{
	bool a = strcmp(answer, expected[0][k]) == 0;
	bool b = strcmp(answer, expected[1][k]) == 0;
	return a && b ? 2 : a ? 0 : b ? 1 : -1;
}

static atomic_long wrong;
static atomic_bool exiting; /* exit(): the module may answer UNAVAIL now */

/* Count a wrong result; print the first few as "nss_stress: WHAT: DETAIL". */
static void report(const char *what, const char *detail)
{
	if (atomic_load(&exiting))
		return;
	if (atomic_fetch_add(&wrong, 1) < MAX_REPORTS)
		fprintf(stderr, "nss_stress: %s: %s\n", what, detail);
}

static void report_answer(size_t k, const char *got)
{
	char what[160], detail[3 * ANSWER_MAX + 64];
	int n = snprintf(what, sizeof what, "wrong answer to ");
	describe(&keys[k], what + n, sizeof what - (size_t)n);
	snprintf(detail, sizeof detail, "'%s', want '%s' (A) or '%s' (B)", got, expected[0][k],
		 expected[1][k]);
	report(what, detail);
}

/* ---- enumeration ---- */

struct listing {
	char **lines;
	size_t n, cap;
};

static struct listing listed[2]; /* A's and B's enumeration */

static int listing_add(struct listing *l, const char *line)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 1024;
		char **lines = realloc(l->lines, cap * sizeof *lines);
		if (lines == NULL)
			return -1;
		l->lines = lines;
		l->cap = cap;
	}
	if ((l->lines[l->n] = strdup(line)) == NULL)
		return -1;
	l->n++;
	return 0;
}

static void listing_free(struct listing *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->lines[i]);
	free(l->lines);
	*l = (struct listing){0};
}

/* A running comparison of an enumeration with A's and B's. */
struct enum_check {
	size_t pos;
	bool may_a, may_b;
};

static void check_start(struct enum_check *c)
{
	*c = (struct enum_check){.may_a = true, .may_b = true};
}

static void check_line(struct enum_check *c, const char *line)
{
	for (int v = 0; v < 2; v++) {
		bool *may = v == 0 ? &c->may_a : &c->may_b;
		if (*may && (c->pos >= listed[v].n || strcmp(listed[v].lines[c->pos], line) != 0))
			*may = false;
	}
	c->pos++;
}

/* 0 (A), 1 (B) or -1 (a mix, or incomplete) for a finished enumeration. */
static int check_end(const struct enum_check *c)
{
	if (c->may_a && c->pos == listed[0].n)
		return 0;
	if (c->may_b && c->pos == listed[1].n)
		return 1;
	return -1;
}

/* One whole enumeration through glibc.  With LISTING, the entries are
 * collected; otherwise compared with A's and B's.  Returns the version
 * (0 or 1), -1 when it matches neither, -2 on an error. */
static int enumerate_glibc(struct listing *listing)
{
	char buf[1024], line[ANSWER_MAX];
	struct servent se, *r;
	struct enum_check c;
	int status = 0;
	check_start(&c);
	setservent(1);
	for (;;) {
		int rc = getservent_r(&se, buf, sizeof buf, &r);
		if (rc == ENOENT || (rc == 0 && r == NULL))
			break;
		if (rc != 0) {
			report("getservent_r", strerror(rc));
			status = -2;
			break;
		}
		format_servent(r, line, sizeof line);
		if (listing != NULL) {
			if (listing_add(listing, line) != 0) {
				status = -2;
				break;
			}
		} else {
			check_line(&c, line);
		}
	}
	endservent();
	if (status != 0 || listing != NULL)
		return status;
	return check_end(&c);
}

/* The module's own enumeration entry points (fork: see the top). */
typedef enum nss_status setent_fn(int);
typedef enum nss_status getent_fn(struct servent *, char *, size_t, int *);
typedef enum nss_status endent_fn(void);
static setent_fn *module_setent;
static getent_fn *module_getent;
static endent_fn *module_endent;

static int find_module_functions(void)
{
	/* Loaded by glibc already: RTLD_NOLOAD gives that very object. */
	void *handle = dlopen("libnss_iana.so.2", RTLD_NOW | RTLD_NOLOAD);
	void *set = NULL, *get = NULL, *end = NULL;
	if (handle != NULL) {
		set = dlsym(handle, "_nss_iana_setservent");
		get = dlsym(handle, "_nss_iana_getservent_r");
		end = dlsym(handle, "_nss_iana_endservent");
	}
	/* glibc keeps the module loaded until exit: drop this reference, so
	 * that glibc's own unloading at exit (under valgrind) unloads it. */
	if (handle != NULL)
		dlclose(handle);
	if (set == NULL || get == NULL || end == NULL) {
		fprintf(stderr, "nss_stress: libnss_iana.so.2 is not loaded or lacks its entry points\n");
		return -1;
	}
	/* POSIX: a data pointer from dlsym() converts to a function pointer. */
	memcpy(&module_setent, &set, sizeof set);
	memcpy(&module_getent, &get, sizeof get);
	memcpy(&module_endent, &end, sizeof end);
	return 0;
}

/* One whole enumeration through the module's entry points, compared with
 * A's and B's: the version, -1 for neither, -2 on an error. */
static int enumerate_module(void)
{
	char buf[1024], line[ANSWER_MAX];
	struct servent se;
	struct enum_check c;
	int status = 0, err = 0;
	check_start(&c);
	module_setent(1);
	for (;;) {
		enum nss_status s = module_getent(&se, buf, sizeof buf, &err);
		if (s == NSS_STATUS_NOTFOUND)
			break;
		if (s != NSS_STATUS_SUCCESS) {
			report("_nss_iana_getservent_r", "neither SUCCESS nor NOTFOUND");
			status = -2;
			break;
		}
		format_servent(&se, line, sizeof line);
		check_line(&c, line);
	}
	module_endent();
	return status != 0 ? status : check_end(&c);
}

/* ---- replacing LIVE ---- */

struct blob {
	char *data;
	size_t len;
};

static struct blob versions[2];
static const char *live_path;

static int read_file(const char *path, struct blob *b)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "nss_stress: %s: %s\n", path, strerror(errno));
		return -1;
	}
	size_t cap = 1 << 16;
	b->data = malloc(cap);
	b->len = 0;
	for (;;) {
		if (b->data == NULL)
			break;
		b->len += fread(b->data + b->len, 1, cap - b->len, f);
		if (b->len < cap)
			break;
		char *bigger = realloc(b->data, cap *= 2);
		if (bigger == NULL)
			free(b->data);
		b->data = bigger;
	}
	bool bad = b->data == NULL || ferror(f);
	fclose(f);
	if (bad)
		fprintf(stderr, "nss_stress: cannot read %s\n", path);
	return bad ? -1 : 0;
}

/* Put a fresh copy of version V in place at LIVE by rename(). */
static int replace_live(int v)
{
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof tmp, "%s.new", live_path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "nss_stress: %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	size_t done = 0;
	while (done < versions[v].len) {
		ssize_t n = write(fd, versions[v].data + done, versions[v].len - done);
		if (n <= 0) {
			fprintf(stderr, "nss_stress: writing %s: %s\n", tmp, strerror(errno));
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	if (close(fd) != 0 || rename(tmp, live_path) != 0) {
		fprintf(stderr, "nss_stress: replacing %s: %s\n", live_path, strerror(errno));
		return -1;
	}
	return 0;
}

/* ---- threads ---- */

struct worker {
	alignas(64) pthread_t tid;
	atomic_long flips;  /* changes of version seen */
	atomic_int version; /* last version seen: 0, 1, or -1 */
	atomic_long rounds; /* passes over every key */
	atomic_int busy;    /* inside a lookup right now */
};

static struct worker workers[MAX_THREADS];
static int n_workers;
static atomic_bool stop;
/* Signalled by a lookup thread each time it sees a new version. */
static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t seen_cond = PTHREAD_COND_INITIALIZER;

static void *lookup_thread(void *arg)
{
	struct worker *w = arg;
	char got[ANSWER_MAX];
	int last = -1;
	long flips = 0;
	while (!atomic_load(&stop)) {
		for (size_t k = 0; k < N_KEYS; k++) {
			atomic_store(&w->busy, 1);
			ask(&keys[k], got, sizeof got);
			atomic_store(&w->busy, 0);
			int v = version_of(k, got);
			if (v < 0) {
				report_answer(k, got);
			} else if (v < 2 && v != last) {
				if (last >= 0)
					atomic_store(&w->flips, ++flips);
				atomic_store(&w->version, v);
				last = v;
				pthread_mutex_lock(&seen_lock);
				pthread_cond_signal(&seen_cond);
				pthread_mutex_unlock(&seen_lock);
			}
		}
		atomic_fetch_add(&w->rounds, 1);
	}
	return NULL;
}

static pthread_t enum_tid;
static atomic_long enum_done[2]; /* complete enumerations of A, of B */
static bool enum_direct;         /* through the module's entry points */

static void *enum_thread(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		int v = enum_direct ? enumerate_module() : enumerate_glibc(NULL);
		if (v == -1)
			report("an enumeration is neither A's nor B's",
			       enum_direct ? "through the module's entry points" : "through glibc");
		else if (v >= 0)
			atomic_fetch_add(&enum_done[v], 1);
	}
	return NULL;
}

static int start_threads(int threads)
{
	n_workers = threads;
	for (int i = 0; i < threads; i++) {
		atomic_init(&workers[i].version, -1);
		if (pthread_create(&workers[i].tid, NULL, lookup_thread, &workers[i]) != 0) {
			fprintf(stderr, "nss_stress: cannot create thread %d\n", i);
			return -1;
		}
	}
	if (pthread_create(&enum_tid, NULL, enum_thread, NULL) != 0) {
		fprintf(stderr, "nss_stress: cannot create the enumerating thread\n");
		return -1;
	}
	/* Every thread answers at least once before anything else happens. */
	for (int i = 0; i < threads; i++)
		while (atomic_load(&workers[i].rounds) == 0)
			pause_briefly();
	while (atomic_load(&enum_done[0]) + atomic_load(&enum_done[1]) == 0 &&
	       atomic_load(&wrong) == 0)
		pause_briefly();
	return 0;
}

static long stop_threads(void)
{
	long rounds = 0;
	atomic_store(&stop, true);
	for (int i = 0; i < n_workers; i++) {
		pthread_join(workers[i].tid, NULL);
		rounds += atomic_load(&workers[i].rounds);
	}
	pthread_join(enum_tid, NULL);
	return rounds * (long)N_KEYS;
}

/* ---- the commands ---- */

/* LIVE holds A, then B: the expected answers and enumerations of each.
 * Leaves B in place. */
static int setup(const char *live, const char *a, const char *b)
{
	live_path = live;
	if (strlen(live) + 5 > PATH_MAX || read_file(a, &versions[0]) != 0 ||
	    read_file(b, &versions[1]) != 0)
		return -1;
	for (int v = 0; v < 2; v++) {
		if (replace_live(v) != 0)
			return -1;
		advance_clock();
		for (size_t k = 0; k < N_KEYS; k++)
			ask(&keys[k], expected[v][k], ANSWER_MAX);
		if (enumerate_glibc(&listed[v]) != 0)
			return -1;
	}
	if (strncmp(expected[0][0], "ssh ", 4) != 0) {
		fprintf(stderr, "nss_stress: with A in place ssh/tcp gives '%s' (is the module in use?)\n",
			expected[0][0]);
		return -1;
	}
	bool differ = false;
	for (size_t k = 0; k < N_KEYS; k++)
		differ |= strcmp(expected[0][k], expected[1][k]) != 0;
	if (!differ || atomic_load(&virtual_reads) == 0) {
		fprintf(stderr, "nss_stress: the module answers alike with A and with B in place%s\n",
			atomic_load(&virtual_reads) == 0
				? ": it never read this program's time() (not exported?)"
				: ": are A and B different?");
		return -1;
	}
	return 0;
}

static void release_all(void)
{
	for (int v = 0; v < 2; v++) {
		listing_free(&listed[v]);
		free(versions[v].data);
		versions[v] = (struct blob){0};
	}
}

static int replace_command(int threads, long n)
{
	if (start_threads(threads) != 0)
		return 2;
	/* B is in place and every thread has answered from it. */
	bool went_back = false;
	for (long k = 1; k <= n && !went_back; k++) {
		int target = k % 2 == 1 ? 0 : 1;
		if (replace_live(target) != 0) {
			stop_threads();
			return 2;
		}
		advance_clock();
		pthread_mutex_lock(&seen_lock);
		for (int i = 0; i < threads && !went_back; i++) {
			while (atomic_load(&workers[i].flips) < k)
				pthread_cond_wait(&seen_cond, &seen_lock);
			went_back = atomic_load(&workers[i].flips) > k;
		}
		pthread_mutex_unlock(&seen_lock);
	}
	/* One more complete enumeration from here on. */
	long before = atomic_load(&enum_done[0]) + atomic_load(&enum_done[1]);
	while (atomic_load(&enum_done[0]) + atomic_load(&enum_done[1]) < before + 2 &&
	       atomic_load(&wrong) == 0)
		pause_briefly();
	long lookups = stop_threads();
	long bad_threads = 0;
	for (int i = 0; i < threads; i++)
		if (atomic_load(&workers[i].flips) != n) {
			bad_threads++;
			fprintf(stderr, "nss_stress: thread %d saw %ld changes of version, want %ld%s\n", i,
				(long)atomic_load(&workers[i].flips), n,
				atomic_load(&workers[i].flips) > n ? " (it went back to an older index)" : "");
		}
	printf("%d threads, %ld replacements each seen by every thread, %ld lookups, %ld wrong; "
	       "%ld enumerations (%ld of A, %ld of B)\n",
	       threads, n, lookups, (long)atomic_load(&wrong),
	       (long)(atomic_load(&enum_done[0]) + atomic_load(&enum_done[1])),
	       (long)atomic_load(&enum_done[0]), (long)atomic_load(&enum_done[1]));
	return atomic_load(&wrong) != 0 || bad_threads != 0 ? 1 : 0;
}

static atomic_long forks_while_busy;

static void count_busy(void)
{
	for (int i = 0; i < n_workers; i++)
		if (atomic_load(&workers[i].busy)) {
			atomic_fetch_add(&forks_while_busy, 1);
			return;
		}
}

/* In the child: every key, then a whole enumeration through glibc. */
static int child_check(void)
{
	char got[ANSWER_MAX];
	atomic_store(&wrong, 0); /* the parent's count came along */
	for (size_t k = 0; k < N_KEYS; k++) {
		ask(&keys[k], got, sizeof got);
		if (version_of(k, got) < 0)
			report_answer(k, got);
	}
	if (enumerate_glibc(NULL) < 0)
		report("a child's enumeration", "neither A's nor B's");
	return atomic_load(&wrong) == 0 ? 0 : 1;
}

static int fork_command(int threads, long n)
{
	if (find_module_functions() != 0)
		return 2;
	enum_direct = true;
	if (start_threads(threads) != 0)
		return 2;
	/* Registered after the module's handlers, so run before them. */
	pthread_atfork(count_busy, NULL, NULL);
	long failed = 0;
	for (long i = 0; i < n; i++) {
		if (i % 2 == 0) {
			if (replace_live((int)(i / 2 % 2)) != 0)
				break;
			advance_clock();
		}
		fflush(stdout);
		fflush(stderr);
		pid_t pid = fork();
		if (pid < 0) {
			fprintf(stderr, "nss_stress: fork: %s\n", strerror(errno));
			failed++;
			break;
		}
		if (pid == 0) {
			int rc = child_check();
			release_all();
			exit(rc);
		}
		int status;
		if (waitpid(pid, &status, 0) != pid) {
			failed++;
		} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			failed++;
			if (WIFSIGNALED(status))
				fprintf(stderr, "nss_stress: child %ld killed by signal %d\n", i, WTERMSIG(status));
			else
				fprintf(stderr, "nss_stress: child %ld exited with %d\n", i, WEXITSTATUS(status));
		}
	}
	long lookups = stop_threads();
	printf("%ld children forked by a process with %d threads looking up and one enumerating "
	       "(another thread inside a lookup at %ld of the forks), %ld failed; "
	       "the parent's threads: %ld lookups, %ld wrong, %ld enumerations\n",
	       n, threads, (long)atomic_load(&forks_while_busy), failed, lookups,
	       (long)atomic_load(&wrong),
	       (long)(atomic_load(&enum_done[0]) + atomic_load(&enum_done[1])));
	return failed != 0 || atomic_load(&wrong) != 0 ? 1 : 0;
}

/* N times: a child starts the threads and calls exit() once each has
 * answered, while they still run. */
static int exit_command(int threads, long n)
{
	long failed = 0;
	for (long i = 0; i < n; i++) {
		fflush(stdout);
		fflush(stderr);
		pid_t pid = fork();
		if (pid < 0) {
			fprintf(stderr, "nss_stress: fork: %s\n", strerror(errno));
			return 2;
		}
		if (pid == 0) {
			if (start_threads(threads) != 0)
				_exit(2);
			int rc = atomic_load(&wrong) == 0 ? 0 : 1;
			atomic_store(&exiting, true);
			exit(rc);
		}
		int status;
		if (waitpid(pid, &status, 0) != pid) {
			failed++;
		} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			failed++;
			if (WIFSIGNALED(status))
				fprintf(stderr, "nss_stress: process %ld killed by signal %d in exit()\n", i,
					WTERMSIG(status));
			else
				fprintf(stderr, "nss_stress: process %ld exited with %d\n", i, WEXITSTATUS(status));
		}
	}
	printf("%ld processes called exit() while %d threads looked up and one enumerated: "
	       "%ld failed\n", n, threads, failed);
	return failed != 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc != 7) {
		fputs("usage: nss_stress replace|fork|exit THREADS N LIVE A B\n", stderr);
		return 2;
	}
	const char *cmd = argv[1];
	int threads = atoi(argv[2]);
	long n = atol(argv[3]);
	/* exit may run with the enumerating thread alone. */
	if (threads < (strcmp(cmd, "exit") == 0 ? 0 : 1) || threads > MAX_THREADS || n < 0) {
		fprintf(stderr, "nss_stress: THREADS must be 1-%d (exit: 0-%d) and N at least 0\n",
			MAX_THREADS, MAX_THREADS);
		return 2;
	}
	if (__nss_configure_lookup("services", "iana") != 0) {
		fprintf(stderr, "nss_stress: __nss_configure_lookup(services, iana) failed\n");
		return 2;
	}
	if (setup(argv[4], argv[5], argv[6]) != 0)
		return 2;
	int rc;
	if (strcmp(cmd, "replace") == 0) {
		rc = replace_command(threads, n);
	} else if (strcmp(cmd, "fork") == 0) {
		rc = fork_command(threads, n);
	} else if (strcmp(cmd, "exit") == 0) {
		rc = exit_command(threads, n);
	} else {
		fprintf(stderr, "nss_stress: unknown command %s\n", cmd);
		rc = 2;
	}
	release_all();
	return rc;
}
