/* nss_iana.c - the glibc NSS module libnss_iana.so.2: answers
 * getservbyname, getservbyport and getservent ("services: iana files" in
 * nsswitch.conf) from the compiled services index (registry/service_index.h)
 * instead of parsing /etc/services.
 *
 * This file owns the five exported entry points (libnss_iana.map exports
 * nothing else), the choice of the index file, its replacement while
 * processes run, the enumeration cursor, and the copying of an answer into
 * the caller's buffer.  Lookups themselves are the index reader's
 * (iana_index_find_name / iana_index_find_port).
 *
 * Semantics:
 *  - by name: the first entry in registry order whose canonical name or an
 *    alias equals NAME ignoring ASCII case, on PROTO (NULL = any protocol);
 *  - by port: a single-port entry on that port and protocol, else the first
 *    named range holding the port (6005/tcp answers x11);
 *  - enumeration: every entry once, in registry order;
 *  - s_name is the canonical name as registered, s_aliases the other names,
 *    s_port (network byte order) the port asked for when answering by port
 *    (6005 for 6005/tcp, inside x11's 6000-6063), else the first port of
 *    the entry (by name, enumeration: x11 is 6000), s_proto
 *    "tcp", "udp", "sctp" or "dccp".  PROTO is compared case-sensitively,
 *    as glibc's `files` does; anything else ("ddp", "TCP") is NOTFOUND.
 *  - results: SUCCESS; NOTFOUND (*errnop = ENOENT); TRYAGAIN with
 *    *errnop = ERANGE when BUFFER is too small (getservent_r then does not
 *    advance, so the retry with a larger buffer returns the same entry);
 *    UNAVAIL (*errnop = ENOENT) when no usable index exists, so that
 *    "services: iana files" falls through to the next source.
 *
 * Which file: $NSS_IANA_INDEX when set and non-empty (read with
 * secure_getenv, so ignored in set-user-ID and set-group-ID programs), else
 * DEFAULT_INDEX_PATH (build/install_paths.h).
 *
 * Registry fallback: the answers always come from the current registry,
 * $NSS_IANA_REGISTRY (secure_getenv) or DEFAULT_REGISTRY_PATH.  When the
 * index is missing, fails validation, or its mtime is older than the
 * registry file's, the module builds an index from the registry in memory
 * and answers from that.  The parser and libxml2 are not linked in (libc is
 * the only NEEDED library): the builder lives in the helper object
 * libnss_iana_fallback.so (nss_iana_fallback.c), dlopen()ed (RTLD_NOW |
 * RTLD_LOCAL | RTLD_NODELETE) only on that path, from $NSS_IANA_FALLBACK
 * (secure_getenv) or DEFAULT_FALLBACK_PATH.  It is loaded at most once and
 * never dlclose()d: unloading libxml2 (or an object using it) from a process
 * that may use libxml2 itself is not safe, and the one copy is reused by
 * every later rebuild.  The built index is published like an opened one,
 * with the registry file's identity (device, inode, size, mtime), so the
 * once-a-second check rebuilds it when the registry changes and switches
 * back to the index file once a current one appears.  When the registry is
 * missing or cannot be read, an index older than it is still used; when
 * neither gives an index, the module answers UNAVAIL.  A registry that
 * fails to build, or an index that fails validation, is remembered by its
 * identity and not tried again until its file changes, so a broken file
 * costs one attempt, not one per second.
 *
 * Rules for code that runs inside other people's processes: no output, no
 * exit or abort, no signal handlers or other global side effects, bounded
 * work per call (two stat()s at most once per second, an open and
 * validation of the index only when its file changed, a parse of the
 * registry only when the fallback needs it and the registry changed).
 * The helper prints nothing (no diagnostic callback), installs no libxml2
 * error handler and never calls xmlCleanupParser().
 *
 * Concurrency.  The open index is an immutable read-only mapping, published
 * through an _Atomic pointer; lookups read it without a lock.  At most once
 * per second (CLOCK_MONOTONIC_COARSE, an atomic deadline claimed with a
 * compare-and-swap) one lookup stat()s the path; when path, device, inode,
 * size or mtime differ from the open index's, it opens and validates the
 * new file under reopen_lock and swaps the pointer.  The old mapping is not
 * unmapped, since other threads may still be reading it: it goes on a
 * retired list, released only by the destructor.  So memory (address
 * space, and page cache shared with the file) grows by one mapping per
 * replacement of the index during the life of a process; replacements are
 * rare (registry updates), so this is the price of lock-free lookups that
 * can never crash or see a torn answer.  Replace the index by rename() (as
 * gen-services does); rewriting the file in place under a running process
 * is not supported.  When the new file cannot be opened or fails
 * validation, the module keeps answering from the last good index and tries
 * again a second later.
 *
 * The enumeration cursor (setservent/getservent_r/endservent) is shared by
 * the process, as glibc's own modules' are, and guarded by enum_lock; an
 * enumeration keeps the index it started on to its end, even if the file is
 * replaced meanwhile.  Lock order: enum_lock, then reopen_lock.
 *
 * fork: a pthread_atfork handler takes both locks before fork() and
 * releases them after it, in the parent and in the child alike (the child's
 * one thread is the one that took them; re-initialising a locked mutex
 * instead is undefined), so a child never inherits a lock held by a
 * thread that does not exist there.  (So a fork() that comes during a
 * build from the registry waits for the build to finish.)  The helper, once
 * loaded, stays loaded in the child too.
 *
 * Teardown: the destructor closes every index (current and retired) and
 * frees all memory, the buffers of indexes built from the registry
 * included, so valgrind reports no leak (the helper and libxml2 stay
 * loaded; what libxml2 keeps is its own).  A lookup counts itself in
 * `inflight` while it uses an index; the destructor first makes new lookups
 * answer UNAVAIL and, if some other thread is still inside a lookup while
 * the process exits, leaves the mappings alone rather than pull them from
 * under it.  getservent_r counts itself the same way and, once the
 * destructor has run, answers UNAVAIL without touching its cursor's index
 * (which the destructor may have freed).
 */
#include <dlfcn.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <nss.h>
#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "iana_registry.h" /* enum iana_load_result only */
#include "install_paths.h"
#include "nss_iana_fallback.h"
#include "service_index.h"

#define INDEX_ENV "NSS_IANA_INDEX"
#define REGISTRY_ENV "NSS_IANA_REGISTRY"
#define FALLBACK_ENV "NSS_IANA_FALLBACK"
#define CHECK_INTERVAL_NS 1000000000ull

/* The exported entry points (declared here: glibc installs no header). */
enum nss_status _nss_iana_getservbyname_r(const char *name, const char *proto,
					  struct servent *result, char *buffer,
					  size_t buflen, int *errnop);
enum nss_status _nss_iana_getservbyport_r(int port, const char *proto,
					  struct servent *result, char *buffer,
					  size_t buflen, int *errnop);
enum nss_status _nss_iana_setservent(int stayopen);
enum nss_status _nss_iana_getservent_r(struct servent *result, char *buffer,
				       size_t buflen, int *errnop);
enum nss_status _nss_iana_endservent(void);

enum source {
	SOURCE_INDEX = 0, /* an index file, mapped */
	SOURCE_REGISTRY,  /* built from the registry file, in memory */
};

/* An open index and the identity of the file it came from. */
struct snapshot {
	struct iana_index *index;
	struct snapshot *retired_next; /* retired list link */
	char *path;
	void *buffer; /* SOURCE_REGISTRY: the index bytes (malloc()ed) */
	enum source source;
	uint64_t dev, ino;
	int64_t size, mtime_sec, mtime_nsec;
};

/* Identity of a file that failed (index) or failed to build (registry). */
struct file_id {
	bool valid;
	uint64_t dev, ino;
	int64_t size, mtime_sec, mtime_nsec;
};

static _Atomic(struct snapshot *) current;
static _Atomic uint64_t next_check;   /* CLOCK_MONOTONIC_COARSE ns */
static atomic_bool shutting_down;
static atomic_long inflight;          /* lookups using an index right now */

static pthread_mutex_t reopen_lock = PTHREAD_MUTEX_INITIALIZER;
static struct snapshot *retired;      /* under reopen_lock */
static struct file_id bad_index;      /* under reopen_lock */
static struct file_id bad_registry;   /* under reopen_lock */
/* The helper, under reopen_lock: loaded once, never unloaded. */
static void *helper_handle;
static nss_iana_fallback_build_fn *helper_build;
static bool helper_unusable;          /* loaded, but without the symbol */

static pthread_mutex_t enum_lock = PTHREAD_MUTEX_INITIALIZER;
static struct snapshot *enum_snap;    /* under enum_lock; NULL = not started */
static size_t enum_pos;               /* under enum_lock */

static const char *const protocol_names[] = {NULL, "tcp", "udp", "sctp", "dccp"};

/* ---- choosing and (re)opening the index ---- */

static uint64_t coarse_now(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC_COARSE, &ts) != 0 &&
	    clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static const char *index_path(void)
{
	const char *path = secure_getenv(INDEX_ENV);
	return path != NULL && path[0] != '\0' ? path : DEFAULT_INDEX_PATH;
}

static const char *registry_path(void)
{
	const char *path = secure_getenv(REGISTRY_ENV);
	return path != NULL && path[0] != '\0' ? path : DEFAULT_REGISTRY_PATH;
}

static bool same_identity(uint64_t dev, uint64_t ino, int64_t size, int64_t sec, int64_t nsec,
			  const struct stat *st)
{
	return dev == (uint64_t)st->st_dev && ino == (uint64_t)st->st_ino &&
	       size == (int64_t)st->st_size && sec == (int64_t)st->st_mtim.tv_sec &&
	       nsec == (int64_t)st->st_mtim.tv_nsec;
}

static bool same_file(const struct snapshot *s, enum source source, const char *path,
		      const struct stat *st)
{
	return s->source == source && strcmp(s->path, path) == 0 &&
	       same_identity(s->dev, s->ino, s->size, s->mtime_sec, s->mtime_nsec, st);
}

static bool is_known_bad(const struct file_id *id, const struct stat *st)
{
	return id->valid && same_identity(id->dev, id->ino, id->size, id->mtime_sec,
					  id->mtime_nsec, st);
}

static void remember_bad(struct file_id *id, const struct stat *st)
{
	*id = (struct file_id){
		.valid = true,
		.dev = (uint64_t)st->st_dev,
		.ino = (uint64_t)st->st_ino,
		.size = (int64_t)st->st_size,
		.mtime_sec = (int64_t)st->st_mtim.tv_sec,
		.mtime_nsec = (int64_t)st->st_mtim.tv_nsec,
	};
}

/* True when A's mtime is before B's. */
static bool older(const struct stat *a, const struct stat *b)
{
	if (a->st_mtim.tv_sec != b->st_mtim.tv_sec)
		return a->st_mtim.tv_sec < b->st_mtim.tv_sec;
	return a->st_mtim.tv_nsec < b->st_mtim.tv_nsec;
}

static void snapshot_free(struct snapshot *s)
{
	if (s == NULL)
		return;
	iana_index_close(s->index);
	free(s->buffer); /* after the close: the index points into it */
	free(s->path);
	free(s);
}

/* With reopen_lock held: make S current; OLD goes on the retired list. */
static void publish(struct snapshot *s, struct snapshot *old)
{
	atomic_store_explicit(&current, s, memory_order_release);
	if (old != NULL) {
		old->retired_next = retired;
		retired = old;
	}
}

/* With reopen_lock held: answer from the index file at PATH (stat()ed as
 * ST).  True when it is (or already was) current; false when it cannot be
 * opened or fails validation. */
static bool use_index(const char *path, const struct stat *st, struct snapshot *old)
{
	if (old != NULL && same_file(old, SOURCE_INDEX, path, st))
		return true;
	if (is_known_bad(&bad_index, st))
		return false;

	struct snapshot *s = calloc(1, sizeof *s);
	if (s == NULL)
		return false;
	s->source = SOURCE_INDEX;
	s->path = strdup(path);
	if (s->path == NULL)
		goto fail;
	int rc = iana_index_open(path, &s->index);
	if (rc != IANA_INDEX_OK) {
		s->index = NULL;
		/* Not an index, or a damaged one: not again until it changes.
		 * (An I/O error or lack of memory may pass: tried again.) */
		if (rc == IANA_INDEX_ERR_FORMAT || rc == IANA_INDEX_ERR_CORRUPT)
			remember_bad(&bad_index, st);
		goto fail;
	}
	s->dev = iana_index_device(s->index);
	s->ino = iana_index_inode(s->index);
	/* The reader does not tell size and mtime: take them from a stat()
	 * made after the open, if it still names the file that was opened.
	 * Otherwise the file was replaced again meanwhile; leaving size -1
	 * makes the next check reopen. */
	s->size = -1;
	struct stat now;
	if (stat(path, &now) == 0 && (uint64_t)now.st_dev == s->dev &&
	    (uint64_t)now.st_ino == s->ino) {
		s->size = now.st_size;
		s->mtime_sec = now.st_mtim.tv_sec;
		s->mtime_nsec = now.st_mtim.tv_nsec;
	}
	publish(s, old);
	return true;
fail:
	snapshot_free(s);
	return false;
}

/* With reopen_lock held: the helper's build function, loading the helper
 * the first time.  NULL when it cannot be loaded (tried again on the next
 * check: a failed dlopen() costs little). */
static nss_iana_fallback_build_fn *helper(void)
{
	if (helper_build != NULL || helper_unusable)
		return helper_build;
	const char *path = secure_getenv(FALLBACK_ENV);
	if (path == NULL || path[0] == '\0')
		path = DEFAULT_FALLBACK_PATH;
	/* Never dlclose()d: RTLD_NODELETE says so to the loader too. */
	void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
	if (handle == NULL) {
		(void)dlerror(); /* drop the message; print nothing */
		return NULL;
	}
	helper_handle = handle;
	void *sym = dlsym(handle, NSS_IANA_FALLBACK_SYMBOL);
	if (sym == NULL) {
		(void)dlerror();
		helper_unusable = true; /* some other object: not again */
		return NULL;
	}
	/* POSIX: a data pointer from dlsym() converts to a function pointer. */
	memcpy(&helper_build, &sym, sizeof helper_build);
	return helper_build;
}

/* With reopen_lock held: answer from an index built from the registry at
 * PATH (stat()ed as ST).  True when it is (or already was) current. */
static bool use_registry(const char *path, const struct stat *st, struct snapshot *old)
{
	if (old != NULL && same_file(old, SOURCE_REGISTRY, path, st))
		return true;
	if (is_known_bad(&bad_registry, st))
		return false;
	nss_iana_fallback_build_fn *build = helper();
	if (build == NULL)
		return false;

	void *data = NULL;
	size_t len = 0;
	int rc = build(path, &data, &len);
	/* The identity is that of the file as stat()ed before the build, if
	 * it is still the same afterwards; otherwise the registry changed
	 * meanwhile and size -1 makes the next check rebuild. */
	struct stat after;
	bool unchanged = stat(path, &after) == 0 &&
			 same_identity((uint64_t)st->st_dev, (uint64_t)st->st_ino, st->st_size,
				       st->st_mtim.tv_sec, st->st_mtim.tv_nsec, &after);
	struct snapshot *s = NULL;
	if (rc != 0 || data == NULL)
		goto fail;
	s = calloc(1, sizeof *s);
	if (s == NULL)
		goto fail;
	s->source = SOURCE_REGISTRY;
	s->buffer = data;
	data = NULL;
	s->path = strdup(path);
	if (s->path == NULL)
		goto fail;
	if (iana_index_from_memory(s->buffer, len, &s->index) != IANA_INDEX_OK) {
		s->index = NULL;
		rc = IANA_LOAD_BAD_FORMAT;
		goto fail;
	}
	s->dev = (uint64_t)st->st_dev;
	s->ino = (uint64_t)st->st_ino;
	s->size = unchanged ? (int64_t)st->st_size : -1;
	s->mtime_sec = (int64_t)st->st_mtim.tv_sec;
	s->mtime_nsec = (int64_t)st->st_mtim.tv_nsec;
	publish(s, old);
	return true;
fail:
	/* A registry that does not build is not tried again until it
	 * changes; lack of memory may pass, so that is tried again. */
	if (unchanged && rc != 0 && rc != IANA_LOAD_NO_MEMORY)
		remember_bad(&bad_registry, st);
	free(data);
	snapshot_free(s);
	return false;
}

/* With reopen_lock held: see whether the index or the registry changed
 * and, if so, open or build the index to answer from and publish it.
 * Keeps the current index when nothing better can be had. */
static void refresh_locked(uint64_t now)
{
	atomic_store_explicit(&next_check, now + CHECK_INTERVAL_NS, memory_order_relaxed);

	struct snapshot *old = atomic_load_explicit(&current, memory_order_acquire);
	const char *ipath = index_path();
	const char *rpath = registry_path();
	struct stat ist, rst;
	bool have_index = stat(ipath, &ist) == 0;
	bool have_registry = stat(rpath, &rst) == 0 && S_ISREG(rst.st_mode);
	bool stale = have_index && have_registry && older(&ist, &rst);

	if (have_index && !stale && use_index(ipath, &ist, old))
		return;
	/* No index, an invalid one, or one older than the registry. */
	if (have_registry && use_registry(rpath, &rst, old))
		return;
	/* The registry cannot be built: an old index beats none, but not an
	 * index already built from an earlier registry. */
	if (stale && (old == NULL || old->source == SOURCE_INDEX))
		(void)use_index(ipath, &ist, old);
	/* Otherwise keep what we have, if anything. */
}

/* The index to answer from (NULL: none usable).  Every call is paired with
 * release() once the caller is done with the index. */
static struct snapshot *acquire(void)
{
	atomic_fetch_add(&inflight, 1);
	if (atomic_load(&shutting_down))
		return NULL;

	struct snapshot *s = atomic_load_explicit(&current, memory_order_acquire);
	uint64_t now = coarse_now();
	uint64_t due = atomic_load_explicit(&next_check, memory_order_relaxed);
	if (s != NULL && now < due)
		return s;

	if (s == NULL) {
		/* Nothing open yet: whoever gets the lock first opens (or
		 * builds from the registry, which takes a while), the others
		 * wait for it and use its result rather than answer UNAVAIL
		 * meanwhile.  While there is nothing to answer from, a lookup
		 * takes the lock for a moment and looks again only when the
		 * check is due. */
		pthread_mutex_lock(&reopen_lock);
		if (atomic_load_explicit(&current, memory_order_acquire) == NULL &&
		    now >= atomic_load_explicit(&next_check, memory_order_relaxed))
			refresh_locked(now);
		s = atomic_load_explicit(&current, memory_order_acquire);
		pthread_mutex_unlock(&reopen_lock);
		return s;
	}

	/* Time for a check: one thread claims it, the others go on with the
	 * index they have. */
	if (!atomic_compare_exchange_strong(&next_check, &due, now + CHECK_INTERVAL_NS))
		return s;
	if (pthread_mutex_trylock(&reopen_lock) != 0)
		return s;
	refresh_locked(now);
	s = atomic_load_explicit(&current, memory_order_acquire);
	pthread_mutex_unlock(&reopen_lock);
	return s;
}

static void release(void)
{
	atomic_fetch_sub(&inflight, 1);
}

/* ---- answers ---- */

/* Protocol number of PROTO (NULL = any), or -1 for an unknown name. */
static int protocol_of(const char *proto)
{
	if (proto == NULL)
		return 0; /* IANA_PROTO_NONE */
	for (int p = 1; p < (int)(sizeof protocol_names / sizeof protocol_names[0]); p++)
		if (strcmp(proto, protocol_names[p]) == 0)
			return p;
	return -1;
}

/* Answer with the entry's first port (by name, enumeration). */
#define FIRST_PORT (-1L)

/* Copy entry I of INDEX into RESULT and BUFFER, with s_port PORT (one the
 * entry holds: the port asked for by port), or its first port when PORT is
 * FIRST_PORT. */
static enum nss_status fill(const struct iana_index *index, size_t i, long port,
			    struct servent *result, char *buffer, size_t buflen, int *errnop)
{
	struct iana_index_service svc;
	if (!iana_index_entry(index, i, &svc) ||
	    svc.protocol >= sizeof protocol_names / sizeof protocol_names[0] ||
	    protocol_names[svc.protocol] == NULL || svc.name == NULL) {
		*errnop = ENOENT;
		return NSS_STATUS_NOTFOUND; /* a damaged entry */
	}
	const char *proto = protocol_names[svc.protocol];

	/* Layout: padding to pointer alignment, the alias array (NULL
	 * terminated), then the strings.  Each string is looked up and
	 * measured once: the first few aliases are remembered for the copy. */
	enum { REMEMBERED = 8 };
	const char *alias_text[REMEMBERED];
	size_t alias_len[REMEMBERED];
	size_t pad = (alignof(char *) - (uintptr_t)buffer % alignof(char *)) % alignof(char *);
	size_t name_len = strlen(svc.name) + 1, proto_len = strlen(proto) + 1;
	size_t n_aliases = 0;
	size_t need = name_len + proto_len;
	for (size_t a = 0; a < svc.n_aliases; a++) {
		const char *alias = iana_index_alias(index, i, a);
		if (alias == NULL)
			continue;
		size_t len = strlen(alias) + 1;
		if (n_aliases < REMEMBERED) {
			alias_text[n_aliases] = alias;
			alias_len[n_aliases] = len;
		}
		n_aliases++;
		need += len;
	}
	size_t array = (n_aliases + 1) * sizeof(char *);
	if (buflen < pad || buflen - pad < array || buflen - pad - array < need) {
		*errnop = ERANGE;
		return NSS_STATUS_TRYAGAIN;
	}

	char **aliases = (char **)(void *)(buffer + pad);
	char *p = buffer + pad + array;
	result->s_name = memcpy(p, svc.name, name_len);
	p += name_len;
	result->s_proto = memcpy(p, proto, proto_len);
	p += proto_len;
	size_t k = 0;
	for (; k < n_aliases && k < REMEMBERED; k++) {
		aliases[k] = memcpy(p, alias_text[k], alias_len[k]);
		p += alias_len[k];
	}
	/* Rare: more aliases than remembered (none in the real registry). */
	for (size_t a = 0, seen = 0; k < n_aliases && a < svc.n_aliases; a++) {
		const char *alias = iana_index_alias(index, i, a);
		if (alias == NULL || seen++ < REMEMBERED)
			continue;
		size_t len = strlen(alias) + 1;
		aliases[k++] = memcpy(p, alias, len);
		p += len;
	}
	aliases[k] = NULL;
	result->s_aliases = aliases;
	uint16_t answer = port >= svc.port_first && port <= svc.port_last ? (uint16_t)port
									     : svc.port_first;
	result->s_port = (int)htons(answer);
	return NSS_STATUS_SUCCESS;
}

static enum nss_status unavailable(int *errnop)
{
	*errnop = ENOENT;
	return NSS_STATUS_UNAVAIL;
}

static enum nss_status not_found(int *errnop)
{
	*errnop = ENOENT;
	return NSS_STATUS_NOTFOUND;
}

enum nss_status _nss_iana_getservbyname_r(const char *name, const char *proto,
					  struct servent *result, char *buffer,
					  size_t buflen, int *errnop)
{
	enum nss_status status;
	struct snapshot *s = acquire();
	int protocol = protocol_of(proto);
	if (s == NULL) {
		status = unavailable(errnop);
	} else if (name == NULL || protocol < 0) {
		status = not_found(errnop);
	} else {
		long i = iana_index_find_name(s->index, name, (unsigned)protocol);
		status = i < 0 ? not_found(errnop)
			       : fill(s->index, (size_t)i, FIRST_PORT, result, buffer, buflen,
				      errnop);
	}
	release();
	return status;
}

enum nss_status _nss_iana_getservbyport_r(int port, const char *proto,
					  struct servent *result, char *buffer,
					  size_t buflen, int *errnop)
{
	enum nss_status status;
	struct snapshot *s = acquire();
	int protocol = protocol_of(proto);
	if (s == NULL) {
		status = unavailable(errnop);
	} else if (protocol < 0) {
		status = not_found(errnop);
	} else {
		uint16_t wanted = ntohs((uint16_t)port);
		long i = iana_index_find_port(s->index, wanted, (unsigned)protocol);
		status = i < 0 ? not_found(errnop)
			       : fill(s->index, (size_t)i, wanted, result, buffer, buflen, errnop);
	}
	release();
	return status;
}

/* ---- enumeration ---- */

enum nss_status _nss_iana_setservent(int stayopen)
{
	(void)stayopen; /* the mapping stays open anyway */
	pthread_mutex_lock(&enum_lock);
	enum_snap = NULL;
	enum_pos = 0;
	pthread_mutex_unlock(&enum_lock);
	return NSS_STATUS_SUCCESS;
}

enum nss_status _nss_iana_getservent_r(struct servent *result, char *buffer,
				       size_t buflen, int *errnop)
{
	enum nss_status status;
	pthread_mutex_lock(&enum_lock);
	struct snapshot *s = acquire();
	/* S is NULL when no index is usable, or once the destructor has run
	 * (the process is exiting while this thread enumerates): then
	 * enum_snap, which the destructor may have freed, is not touched. */
	if (s == NULL) {
		status = unavailable(errnop);
	} else {
		if (enum_snap == NULL)
			enum_snap = s; /* stays mapped: retired, never unmapped */
		size_t count = iana_index_count(enum_snap->index);
		status = not_found(errnop);
		while (enum_pos < count) {
			status = fill(enum_snap->index, enum_pos, FIRST_PORT, result, buffer, buflen,
				      errnop);
			if (status == NSS_STATUS_TRYAGAIN)
				break; /* same entry again with a larger buffer */
			enum_pos++;
			if (status == NSS_STATUS_SUCCESS)
				break;
			/* a damaged entry: skip it */
		}
		if (status == NSS_STATUS_NOTFOUND)
			*errnop = ENOENT;
	}
	release();
	pthread_mutex_unlock(&enum_lock);
	return status;
}

enum nss_status _nss_iana_endservent(void)
{
	pthread_mutex_lock(&enum_lock);
	enum_snap = NULL;
	enum_pos = 0;
	pthread_mutex_unlock(&enum_lock);
	return NSS_STATUS_SUCCESS;
}

/* ---- fork and teardown ---- */

static void atfork_prepare(void)
{
	pthread_mutex_lock(&enum_lock);
	pthread_mutex_lock(&reopen_lock);
}

static void atfork_parent(void)
{
	pthread_mutex_unlock(&reopen_lock);
	pthread_mutex_unlock(&enum_lock);
}

static void atfork_child(void)
{
	/* Only the forking thread exists here, and it is in no lookup. */
	atomic_store(&inflight, 0);
	pthread_mutex_unlock(&reopen_lock);
	pthread_mutex_unlock(&enum_lock);
}

__attribute__((constructor)) static void nss_iana_init(void)
{
	/* Registered with this object's __dso_handle: glibc drops the
	 * handlers if the module is ever unloaded. */
	(void)pthread_atfork(atfork_prepare, atfork_parent, atfork_child);
}

__attribute__((destructor)) static void nss_iana_fini(void)
{
	/* From here on a lookup that counts itself in answers UNAVAIL
	 * without reading current. */
	atomic_store(&shutting_down, true);
	/* Another thread is still reading: leave everything be, reachable
	 * from current and retired as before (not a leak, for a checker). */
	if (atomic_load(&inflight) != 0)
		return;
	struct snapshot *s = atomic_exchange(&current, NULL);
	pthread_mutex_lock(&reopen_lock);
	struct snapshot *list = retired;
	retired = NULL;
	pthread_mutex_unlock(&reopen_lock);
	snapshot_free(s);
	while (list != NULL) {
		struct snapshot *next = list->retired_next;
		snapshot_free(list);
		list = next;
	}
	pthread_mutex_lock(&enum_lock);
	enum_snap = NULL;
	enum_pos = 0;
	pthread_mutex_unlock(&enum_lock);
}
