/* nss_floor.c - benchmark helper built as build/bench/libnss_floor.so.2 (not
 * a bench program): an NSS module for the services database that does
 * only the memory reads a registry-wide lookup in index format 5 cannot
 * avoid (index_format.h), and none of the work, then fills the fixed
 * answer nss_const.c gives.  Timed beside libnss_iana.so.2 and the
 * constant module in the same run, it tells how much of the module's
 * ratio to the constant module is memory latency on this machine and
 * how much is the module's own work.
 *
 *   getservbyname_r  reads the caller's name (strlen, its first word),
 *                    then 8 random bytes of a table the size of the full
 *                    registry's tags, then, when NSS_FLOOR_NAME_LINES is
 *                    2 (the default: a hit), one random 32-byte row of a
 *                    table the size of its name rows, at a place the name
 *                    and the tags' value decide: the loads depend on each
 *                    other as a lookup's do.  With NSS_FLOOR_NAME_LINES=1
 *                    it stops at the tags: a miss.
 *   getservbyport_r  one random row of a table the size of the port
 *                    pages, then one of the entries, dependent likewise.
 *
 * The sizes are those of the 2026-08-17 registry's index (32,768 name
 * rows and their tags, 11,491 entries, 366 pages of 1 KiB); the tables
 * are anonymous memory
 * with transparent huge pages refused, as the index's file pages have
 * none.  A table that cannot be mapped makes every lookup UNAVAIL. */
#include "fixed_answer.h"

#include <stdlib.h>
#include <sys/mman.h>

enum nss_status _nss_floor_getservbyname_r(const char *name, const char *proto,
					   struct servent *result, char *buffer,
					   size_t buflen, int *errnop);
enum nss_status _nss_floor_getservbyport_r(int port, const char *proto,
					   struct servent *result, char *buffer,
					   size_t buflen, int *errnop);

#define ROWS 32768u   /* 32 bytes each, and a byte of tags */
#define ENTRIES 11491u /* 32 bytes each */
#define PAGE_WORDS (366u * 256u) /* 4 bytes each */

static unsigned char *tags;
static uint64_t (*rows)[4];
static uint64_t (*entries)[4];
static uint32_t *pages;
static int name_lines = 2;
static volatile uint64_t sink;

static void *table(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
#ifdef MADV_NOHUGEPAGE
	(void)madvise(p, size, MADV_NOHUGEPAGE);
#endif
	return p;
}

static uint64_t mix64(uint64_t x)
{
	x = (x ^ x >> 31) * 0xBF58476D1CE4E5B9ull;
	return x ^ x >> 29;
}

__attribute__((constructor)) static void floor_init(void)
{
	const char *lines = getenv("NSS_FLOOR_NAME_LINES");
	if (lines != NULL && lines[0] == '1' && lines[1] == '\0')
		name_lines = 1;
	tags = table(ROWS + 8);
	rows = table(ROWS * sizeof(*rows));
	entries = table(ENTRIES * sizeof(*entries));
	pages = table(PAGE_WORDS * sizeof(*pages));
	if (tags == NULL || rows == NULL || entries == NULL || pages == NULL)
		return;
	/* Every row written, so that every page is resident, as the index's
	 * are once read. */
	for (uint64_t i = 0; i < ROWS + 8; i++)
		tags[i] = (unsigned char)mix64(i + 1);
	for (uint64_t i = 0; i < ROWS; i++)
		for (int w = 0; w < 4; w++)
			rows[i][w] = mix64(i * 4 + (uint64_t)w + 7);
	for (uint64_t i = 0; i < ENTRIES; i++)
		for (int w = 0; w < 4; w++)
			entries[i][w] = mix64(i * 4 + (uint64_t)w);
	for (uint64_t i = 0; i < PAGE_WORDS; i++)
		pages[i] = (uint32_t)mix64(i);
}

static enum nss_status unavailable(int *errnop)
{
	*errnop = ENOENT;
	return NSS_STATUS_UNAVAIL;
}

enum nss_status _nss_floor_getservbyname_r(const char *name, const char *proto,
					   struct servent *result, char *buffer,
					   size_t buflen, int *errnop)
{
	(void)proto;
	if (tags == NULL || rows == NULL || name == NULL)
		return unavailable(errnop);
	size_t len = strlen(name);
	uint64_t w = 0;
	memcpy(&w, name, len < 8 ? len : 8);
	uint64_t home = mix64(w ^ len) % ROWS, eight;
	memcpy(&eight, tags + home, sizeof(eight));
	if (name_lines == 2)
		eight ^= rows[(home + (eight & 1)) % ROWS][0];
	sink = eight;
	return fixed_answer(result, buffer, buflen, errnop);
}

enum nss_status _nss_floor_getservbyport_r(int port, const char *proto,
					   struct servent *result, char *buffer,
					   size_t buflen, int *errnop)
{
	(void)proto;
	if (pages == NULL || entries == NULL)
		return unavailable(errnop);
	uint32_t answer = pages[mix64((uint64_t)(uint32_t)port) % PAGE_WORDS];
	sink = entries[answer % ENTRIES][3];
	return fixed_answer(result, buffer, buflen, errnop);
}
