/* nss_iana.c - the glibc NSS module libnss_iana.so.2: getservbyname,
 * getservbyport and getservent ("services: files iana") answered from the
 * compiled services index (index/index_reader.h).  What it answers, from
 * which file, which file it trusts and when it answers UNAVAIL is
 * nss-iana(8)'s to say; this comment says how the code keeps it.
 *
 * This file owns the five exported entry points (libnss_iana.map exports
 * nothing else), the (re)opening of the index, the enumeration cursor and
 * the copying of an answer into the caller's buffer.  Lookups are the
 * reader's; the trust rule is trusted_file.c's.  libc is the only library
 * it needs, and it loads nothing.
 *
 * Concurrency.  The open index is an immutable read-only mapping,
 * published through an _Atomic pointer; lookups read it without a lock.
 * At most once per second of the clock (time(), a few nanoseconds from
 * the vDSO where clock_gettime() took twice that: the second of the last
 * check, claimed with a compare-and-swap; a lookup in any other second
 * checks, so a clock set back costs one early check) one lookup stat()s
 * the path; when the
 * path or the file's identity (device, inode, size, mtime, as the reader
 * recorded them at open) differ, it opens, checks and validates the new
 * file under reopen_lock and swaps the pointer.  An old mapping is never
 * unmapped while the process runs (other threads may still read it): it
 * goes on a retired list, released by the destructor.  A file that fails
 * validation is remembered by its identity and not tried again until it
 * changes; an untrusted one is tried again at the next check (a chmod
 * changes no identity).  When the new file cannot be used, the last good
 * index keeps answering.
 *
 * The enumeration cursor is shared by the process, as glibc's own
 * modules' are, and guarded by enum_lock; an enumeration keeps the index
 * it started on.  Lock order: enum_lock, then reopen_lock.  fork: both
 * locks are taken before fork() and released after it in parent and child
 * (pthread_atfork).  Teardown: the destructor frees everything unless
 * another thread is still inside a lookup, and from then on every lookup
 * answers UNAVAIL.
 *
 * Inside a lookup.  A read-modify-write of a shared counter on the way in
 * and on the way out cost a lookup two locked instructions.  So each
 * thread has a slot of its own (claimed at its first lookup, released by
 * a thread-specific destructor when it exits) whose `inside` count only
 * it writes, with plain (relaxed) stores; the destructor sets
 * shutting_down, then runs membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED),
 * which puts a full barrier in every running thread of the process, then
 * reads every slot.  A lookup that read shutting_down false before that
 * barrier had stored its `inside` before it, so the destructor sees it and
 * frees nothing; one that reads it after sees true and answers UNAVAIL.
 * When membarrier cannot be registered (the constructor tries), when the
 * slots are all taken, or in a thread past its slot's release, a lookup
 * counts itself in the shared `inflight` counter instead, as before.  The
 * fork child keeps only the forking thread's slot (registration is
 * inherited).
 */
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
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "file_id.h"
#include "index_paths.h"
#include "index_reader.h"
#include "trusted_file.h"


/* membarrier(2) commands (linux/membarrier.h, Linux 4.14). */
#define MEMBARRIER_PRIVATE_EXPEDITED (1 << 3)
#define MEMBARRIER_REGISTER_PRIVATE_EXPEDITED (1 << 4)

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

/* An open index and the path it was opened from. */
struct snapshot {
	struct iana_index *index;
	struct snapshot *retired_next; /* retired list link */
	char *path;
};

static _Atomic(struct snapshot *) current;
static _Atomic int64_t checked_at;    /* time() of the last check; 0 = none yet */
static atomic_bool shutting_down;
static atomic_long inflight;          /* lookups without a slot using an index right now */

/* Per-thread "inside a lookup" counts (see the top comment), one cache
 * line each so that threads never share a line they write. */
#define LOOKUP_SLOTS 64
struct lookup_slot {
	alignas(64) atomic_long inside; /* written by the owner only */
	atomic_bool taken;
	_Atomic uintptr_t owner;        /* the owner's thread pointer, or 0 */
};
static struct lookup_slot lookup_slots[LOOKUP_SLOTS];
static bool asymmetric;               /* membarrier registered: slots in use (set at load) */
/* A thread's slot: the value of slot_key (no __thread variable: glibc
 * allocates a dlopen()ed object's TLS with malloc and never frees the main
 * thread's, a leak for valgrind), NULL before its first lookup, no_slot
 * when it has none to use (all taken, or given back at exit); slot_key's
 * destructor gives it back. */
static pthread_key_t slot_key;
static struct lookup_slot no_slot;

static pthread_mutex_t reopen_lock = PTHREAD_MUTEX_INITIALIZER;
static struct snapshot *retired;      /* under reopen_lock */
static struct iana_file_id bad_index; /* under reopen_lock: a file that failed validation */
static bool have_bad_index;           /* under reopen_lock */

static pthread_mutex_t enum_lock = PTHREAD_MUTEX_INITIALIZER;
static struct snapshot *enum_snap;    /* under enum_lock; NULL = not started */
static size_t enum_pos;               /* under enum_lock */

static const char *const protocol_names[] = {NULL, "tcp", "udp", "sctp", "dccp"};
/* The same, NUL-padded to 8 bytes: copied whole, a copy of known size. */
static const char protocol_text[][8] = {"", "tcp", "udp", "sctp", "dccp"};

/* ---- choosing and (re)opening the index ---- */

static int64_t now_second(void)
{
	return (int64_t)time(NULL);
}

static void snapshot_free(struct snapshot *s)
{
	if (s == NULL)
		return;
	iana_index_close(s->index);
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

/* With reopen_lock held: see whether the index file changed and, if it
 * did, open, check and publish it.  Keeps the current index when nothing
 * better can be had (the file is gone, untrusted or invalid). */
static void refresh_locked(int64_t now)
{
	atomic_store_explicit(&checked_at, now, memory_order_relaxed);

	struct snapshot *old = atomic_load_explicit(&current, memory_order_acquire);
	bool overridden;
	const char *path = iana_index_path(&overridden);
	struct stat st;
	if (stat(path, &st) != 0)
		return;
	struct iana_file_id id = iana_file_id_of(&st);
	if (old != NULL && strcmp(old->path, path) == 0 && iana_file_id_equal(iana_index_file_id(old->index), &id))
		return;
	if (have_bad_index && iana_file_id_equal(&bad_index, &id))
		return;

	/* The override may also name a file of the calling user's own. */
	int fd = nss_iana_open_trusted(path, overridden ? getuid() : TRUST_ROOT_ONLY);
	if (fd < 0)
		return;
	struct snapshot *s = calloc(1, sizeof *s);
	if (s == NULL || (s->path = strdup(path)) == NULL) {
		close(fd);
		snapshot_free(s);
		return;
	}
	int rc = iana_index_open_fd(fd, &s->index);
	close(fd);
	if (rc != IANA_INDEX_OK) {
		s->index = NULL;
		/* Not an index, or a damaged one: not again until it changes.
		 * (An I/O error or lack of memory may pass: tried again.) */
		if (rc == IANA_INDEX_ERR_FORMAT || rc == IANA_INDEX_ERR_CORRUPT) {
			bad_index = id;
			have_bad_index = true;
		}
		snapshot_free(s);
		return;
	}
	publish(s, old);
}

/* The calling thread's identity, and the slot it tries first: its thread
 * pointer (one instruction) where the compiler gives it, so that most
 * lookups find their slot without a call; 0 (pthread_getspecific() every
 * time) elsewhere. */
#if defined(__has_builtin)
#if __has_builtin(__builtin_thread_pointer)
#define HAVE_THREAD_POINTER 1
#endif
#endif
static uintptr_t thread_id(void)
{
#ifdef HAVE_THREAD_POINTER
	return (uintptr_t)__builtin_thread_pointer();
#else
	return 0;
#endif
}

static struct lookup_slot *home_slot(uintptr_t id)
{
	return &lookup_slots[(uint32_t)((id >> 6) * 0x9E3779B1u) >> 26]; /* 64 slots */
}

/* This thread's slot, claimed at its first lookup; NULL when it is to
 * count itself in inflight.  Only its owner ever stores its own
 * identity in a slot's owner, so finding it there is proof. */
__attribute__((noinline)) static struct lookup_slot *thread_slot_slow(uintptr_t id, struct lookup_slot *home)
{
	struct lookup_slot *slot = pthread_getspecific(slot_key);
	if (slot != NULL)
		return slot == &no_slot ? NULL : slot;
	bool free_slot = false;
	if (atomic_compare_exchange_strong(&home->taken, &free_slot, true))
		slot = home;
	for (size_t i = 0; slot == NULL && i < LOOKUP_SLOTS; i++) {
		free_slot = false;
		if (atomic_compare_exchange_strong(&lookup_slots[i].taken, &free_slot, true))
			slot = &lookup_slots[i];
	}
	if (pthread_setspecific(slot_key, slot != NULL ? slot : &no_slot) != 0) {
		if (slot != NULL)
			atomic_store(&slot->taken, false);
		return NULL;
	}
	if (slot != NULL)
		atomic_store_explicit(&slot->owner, id, memory_order_relaxed);
	return slot;
}

static inline struct lookup_slot *thread_slot(void)
{
	if (!asymmetric)
		return NULL;
	uintptr_t id = thread_id();
	struct lookup_slot *home = home_slot(id);
	if (id != 0 && atomic_load_explicit(&home->owner, memory_order_relaxed) == id)
		return home;
	return thread_slot_slow(id, home);
}

/* At thread exit (slot_key's destructor, which glibc calls with the
 * value it has just set to NULL): give the slot back.  A lookup the
 * thread makes after this (from another thread-specific destructor)
 * counts itself in inflight. */
static void slot_release(void *p)
{
	struct lookup_slot *slot = p;
	if (slot == &no_slot)
		return;
	(void)pthread_setspecific(slot_key, &no_slot);
	atomic_store_explicit(&slot->owner, 0, memory_order_relaxed);
	atomic_store_explicit(&slot->inside, 0, memory_order_relaxed);
	atomic_store_explicit(&slot->taken, false, memory_order_release);
}

/* Count the caller in (its slot, else inflight) before it reads anything
 * the destructor frees; returns the slot for leave(). */
static inline __attribute__((always_inline)) struct lookup_slot *enter(void)
{
	struct lookup_slot *slot = thread_slot();
	if (slot == NULL) {
		atomic_fetch_add(&inflight, 1);
		return NULL;
	}
	/* Only this thread writes it: a relaxed load and store, no lock; the
	 * destructor's membarrier orders it before the read of
	 * shutting_down.  A count, so that a lookup from a signal handler
	 * inside a lookup leaves it as it found it. */
	long n = atomic_load_explicit(&slot->inside, memory_order_relaxed);
	atomic_store_explicit(&slot->inside, n + 1, memory_order_relaxed);
	atomic_signal_fence(memory_order_seq_cst);
	return slot;
}

static inline __attribute__((always_inline)) void leave(struct lookup_slot *slot)
{
	if (slot == NULL) {
		atomic_fetch_sub(&inflight, 1);
		return;
	}
	long n = atomic_load_explicit(&slot->inside, memory_order_relaxed);
	atomic_store_explicit(&slot->inside, n - 1, memory_order_release);
}

/* acquire() when nothing is open yet (S NULL) or a check of the file
 * is due (out of line: the common path stays short). */
__attribute__((noinline)) static struct snapshot *acquire_slow(struct snapshot *s, int64_t now, int64_t last)
{
	if (s == NULL) {
		/* Nothing open yet: whoever gets the lock first opens, the
		 * others wait for it and use its result rather than answer
		 * UNAVAIL meanwhile.  While there is nothing to answer from, a lookup
		 * takes the lock for a moment and looks again only when the
		 * check is due. */
		pthread_mutex_lock(&reopen_lock);
		if (atomic_load_explicit(&current, memory_order_acquire) == NULL &&
		    now != atomic_load_explicit(&checked_at, memory_order_relaxed))
			refresh_locked(now);
		s = atomic_load_explicit(&current, memory_order_acquire);
		pthread_mutex_unlock(&reopen_lock);
		return s;
	}

	/* Time for a check: one thread claims it, the others go on with the
	 * index they have. */
	if (!atomic_compare_exchange_strong(&checked_at, &last, now))
		return s;
	if (pthread_mutex_trylock(&reopen_lock) != 0) {
		/* Another thread is (re)opening: the check is handed back, so
		 * that a later lookup of this second runs it.  Kept, the claim
		 * lost the check until the next second, and a file replaced
		 * while that thread finished went unseen for a second more (a
		 * test with its clock stopped waited for ever: nss_stress under
		 * ThreadSanitizer, where that window is wide). */
		int64_t claimed = now;
		(void)atomic_compare_exchange_strong(&checked_at, &claimed, last);
		return s;
	}
	refresh_locked(now);
	s = atomic_load_explicit(&current, memory_order_acquire);
	pthread_mutex_unlock(&reopen_lock);
	return s;
}

/* The index to answer from (NULL: none usable).  Every call is paired with
 * release(*SLOT) once the caller is done with the index. */
static inline __attribute__((always_inline)) struct snapshot *acquire(struct lookup_slot **slot)
{
	*slot = enter();
	/* seq_cst: without a slot, this load and the destructor's store
	 * and load of inflight are the two sides of the same handshake (a
	 * plain load on x86 all the same). */
	if (atomic_load(&shutting_down))
		return NULL;

	struct snapshot *s = atomic_load_explicit(&current, memory_order_acquire);
	int64_t now = now_second();
	int64_t last = atomic_load_explicit(&checked_at, memory_order_relaxed);
	if (__builtin_expect(s != NULL && now == last, 1))
		return s;
	return acquire_slow(s, now, last);
}

static void release(struct lookup_slot *slot)
{
	leave(slot);
}

/* ---- answers ---- */

/* Protocol number of PROTO (NULL = any), or -1 for an unknown name.
 * Read in place, never past PROTO's NUL, as one word: the first letter
 * picks the one protocol it can be (a table, not a branch: callers mix
 * tcp and udp, and any jump between them was mispredicted in every other
 * lookup, as gcc made one even of (w == tcp) * 2 + (w == udp) * 3), and
 * the word must then be that protocol's name. */
#define PROTO_WORD(a, b, c, d) ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)
static const uint8_t protocol_by_letter[32] = {['t' & 31] = 1, ['u' & 31] = 2, ['s' & 31] = 3, ['d' & 31] = 4};
static const uint32_t protocol_word[] = {
	0, /* never a word of three letters */
	PROTO_WORD('t', 'c', 'p', 0), PROTO_WORD('u', 'd', 'p', 0),
	PROTO_WORD('s', 'c', 't', 'p'), PROTO_WORD('d', 'c', 'c', 'p'),
};
static inline __attribute__((always_inline)) int protocol_of(const char *proto)
{
	if (proto == NULL)
		return 0; /* IANA_PROTO_NONE */
	const unsigned char *p = (const unsigned char *)proto;
	if (p[0] == '\0' || p[1] == '\0' || p[2] == '\0' || (p[3] != '\0' && p[4] != '\0'))
		return -1;
	/* Three letters and a NUL, or four letters (p[4] is their NUL). */
	unsigned candidate = protocol_by_letter[p[0] & 31];
	return protocol_word[candidate] == PROTO_WORD(p[0], p[1], p[2], p[3]) ? (int)candidate : -1;
}

/* Answer with the entry's first port (by name, enumeration). */
#define FIRST_PORT (-1L)

/* Copy entry I of INDEX, whose answer is E, into RESULT and BUFFER, with
 * s_port PORT (one the entry holds: the port asked for by port), or its
 * first port when PORT is FIRST_PORT: any entry (fill() below takes the
 * common case first). */
__attribute__((noinline)) static enum nss_status fill_any(const struct iana_index *index, size_t i,
							  const struct iana_index_answer *answer, long port,
							  struct servent *result, char *buffer, size_t buflen,
							  int *errnop)
{
	const struct iana_index_answer e = *answer;
	if (e.protocol >= sizeof protocol_names / sizeof protocol_names[0] || protocol_names[e.protocol] == NULL) {
		*errnop = ENOENT;
		return NSS_STATUS_NOTFOUND; /* a damaged entry */
	}
	const char *proto = protocol_names[e.protocol];
	size_t pad = (alignof(char *) - (uintptr_t)buffer % alignof(char *)) % alignof(char *);
	size_t name_len = e.name_len + 1, proto_len = proto[3] == '\0' ? 4 : 5; /* three or four letters */
	uint16_t answer_port = port >= e.port_first && port <= e.port_last ? (uint16_t)port : e.port_first;

	if (e.n_aliases == 0) {
		/* No alias to look up, measure or remember. */
		if (buflen < pad || buflen - pad < sizeof(char *) ||
		    buflen - pad - sizeof(char *) < name_len + proto_len) {
			*errnop = ERANGE;
			return NSS_STATUS_TRYAGAIN;
		}
		char **aliases = (char **)(void *)(buffer + pad);
		char *p = buffer + pad + sizeof(char *);
		aliases[0] = NULL;
		result->s_aliases = aliases;
		result->s_name = memcpy(p, e.name, name_len);
		p += name_len;
		result->s_proto = memcpy(p, proto, 4);
		if (proto_len > 4)
			p[4] = proto[4];
		result->s_port = (int)htons(answer_port);
		return NSS_STATUS_SUCCESS;
	}

	/* Layout: padding to pointer alignment, the alias array (NULL
	 * terminated), then the strings.  Each string is looked up and
	 * measured once: the first few aliases are remembered for the copy.
	 * Most entries have no alias: that case reads nothing more. */
	enum { REMEMBERED = 8 };
	const char *alias_text[REMEMBERED];
	size_t alias_len[REMEMBERED];
	size_t n_aliases = 0;
	size_t need = name_len + proto_len;
	for (size_t a = 0; a < e.n_aliases; a++) {
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
	result->s_name = memcpy(p, e.name, name_len);
	p += name_len;
	/* Four bytes, a fifth for sctp and dccp: copies of a known size. */
	result->s_proto = memcpy(p, proto, 4);
	if (proto_len > 4)
		p[4] = proto[4];
	p += proto_len;
	size_t k = 0;
	for (; k < n_aliases && k < REMEMBERED; k++) {
		aliases[k] = memcpy(p, alias_text[k], alias_len[k]);
		p += alias_len[k];
	}
	/* Rare: more aliases than remembered (none in the real registry). */
	for (size_t a = 0, seen = 0; k < n_aliases && a < e.n_aliases; a++) {
		const char *alias = iana_index_alias(index, i, a);
		if (alias == NULL || seen++ < REMEMBERED)
			continue;
		size_t len = strlen(alias) + 1;
		aliases[k++] = memcpy(p, alias, len);
		p += len;
	}
	aliases[k] = NULL;
	result->s_aliases = aliases;
	result->s_port = (int)htons(answer_port);
	return NSS_STATUS_SUCCESS;
}

/* fill_any(), with the case of most entries inline in the two lookups:
 * no alias, a name in the entry's 16 NUL-padded bytes (name_len <= 15),
 * a buffer with room to copy them whole and then the protocol's 8 bytes
 * after the name's NUL: three copies of a known size, no call.  (Out of
 * line, with the answer passed by value, the call and its copies were a
 * tenth of a lookup's instructions.) */
static inline __attribute__((always_inline)) enum nss_status fill(const struct iana_index *index, size_t i,
								  const struct iana_index_answer *e, long port,
								  struct servent *result, char *buffer,
								  size_t buflen, int *errnop)
{
	size_t pad = (alignof(char *) - (uintptr_t)buffer % alignof(char *)) % alignof(char *);
	if (e->n_aliases == 0 && e->name_padded && e->protocol - 1u < IANA_INDEX_PORT_PROTOCOLS && buflen >= pad &&
	    buflen - pad >= sizeof(char *) + 16 + 8) {
		uint16_t answer_port = port >= e->port_first && port <= e->port_last ? (uint16_t)port : e->port_first;
		char **aliases = (char **)(void *)(buffer + pad);
		char *p = buffer + pad + sizeof(char *);
		aliases[0] = NULL;
		result->s_aliases = aliases;
		result->s_name = memcpy(p, e->name, 16);
		result->s_proto = memcpy(p + e->name_len + 1, protocol_text[e->protocol], 8);
		result->s_port = (int)htons(answer_port);
		return NSS_STATUS_SUCCESS;
	}
	return fill_any(index, i, e, port, result, buffer, buflen, errnop);
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
	struct lookup_slot *slot;
	struct snapshot *s = acquire(&slot);
	int protocol = protocol_of(proto);
	if (s == NULL) {
		status = unavailable(errnop);
	} else if (name == NULL || protocol < 0) {
		status = not_found(errnop);
	} else {
		struct iana_index_answer e;
		long i = iana_index_find_name_answer(s->index, name, (unsigned)protocol, &e);
		status = i < 0 ? not_found(errnop)
			       : fill(s->index, (size_t)i, &e, FIRST_PORT, result, buffer, buflen, errnop);
	}
	release(slot);
	return status;
}

enum nss_status _nss_iana_getservbyport_r(int port, const char *proto,
					  struct servent *result, char *buffer,
					  size_t buflen, int *errnop)
{
	enum nss_status status;
	struct lookup_slot *slot;
	struct snapshot *s = acquire(&slot);
	int protocol = protocol_of(proto);
	if (s == NULL) {
		status = unavailable(errnop);
	} else if (protocol < 0) {
		status = not_found(errnop);
	} else {
		uint16_t wanted = ntohs((uint16_t)port);
		struct iana_index_answer e;
		long i = iana_index_find_port_answer(s->index, wanted, (unsigned)protocol, &e);
		status = i < 0 ? not_found(errnop)
			       : fill(s->index, (size_t)i, &e, wanted, result, buffer, buflen, errnop);
	}
	release(slot);
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
	struct lookup_slot *slot;
	struct snapshot *s = acquire(&slot);
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
			struct iana_index_answer e;
			if (!iana_index_answer(enum_snap->index, enum_pos, &e)) {
				enum_pos++; /* a damaged entry: skip it */
				status = not_found(errnop);
				continue;
			}
			status = fill_any(enum_snap->index, enum_pos, &e, FIRST_PORT, result, buffer, buflen,
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
	release(slot);
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
	/* Only the forking thread exists here, and it is in no lookup: the
	 * other threads' slots are free again. */
	atomic_store(&inflight, 0);
	const struct lookup_slot *mine = asymmetric ? pthread_getspecific(slot_key) : NULL;
	for (size_t i = 0; i < LOOKUP_SLOTS; i++) {
		if (&lookup_slots[i] == mine)
			continue;
		atomic_store(&lookup_slots[i].owner, 0);
		atomic_store(&lookup_slots[i].inside, 0);
		atomic_store(&lookup_slots[i].taken, false);
	}
	pthread_mutex_unlock(&reopen_lock);
	pthread_mutex_unlock(&enum_lock);
}

__attribute__((constructor)) static void nss_iana_init(void)
{
	/* Registered with this object's __dso_handle: glibc drops the
	 * handlers if the module is ever unloaded. */
	(void)pthread_atfork(atfork_prepare, atfork_parent, atfork_child);
	/* Slots only with membarrier (Linux 4.14) and a key to give them
	 * back; else every lookup counts itself in inflight. */
	if (syscall(SYS_membarrier, MEMBARRIER_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0 &&
	    pthread_key_create(&slot_key, slot_release) == 0)
		asymmetric = true;
}

/* For the destructor, after shutting_down is set: whether no lookup is
 * using an index, or will (top comment). */
static bool nobody_inside(void)
{
	if (asymmetric) {
		if (syscall(SYS_membarrier, MEMBARRIER_PRIVATE_EXPEDITED, 0, 0) != 0)
			return false;
		for (size_t i = 0; i < LOOKUP_SLOTS; i++)
			if (atomic_load_explicit(&lookup_slots[i].inside, memory_order_acquire) != 0)
				return false;
	}
	return atomic_load(&inflight) == 0;
}

__attribute__((destructor)) static void nss_iana_fini(void)
{
	/* From here on a lookup that counts itself in answers UNAVAIL
	 * without reading current. */
	atomic_store(&shutting_down, true);
	bool idle = nobody_inside();
	/* No thread exiting from now on calls into this object (the slots
	 * are static: nothing is lost). */
	if (asymmetric)
		(void)pthread_key_delete(slot_key);
	/* Another thread is still reading (or we cannot tell): leave
	 * everything be, reachable from current and retired as before (not a
	 * leak, for a checker). */
	if (!idle)
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
