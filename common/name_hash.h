/* name_hash.h - the service-name hash of the index's name table (format 4,
 * index_format.h, Names) and the comparison that goes with it: ASCII
 * case-insensitive (RFC 6335 names compare so; strcasecmp() follows the
 * locale), eight bytes at a time.  libc only; inline, since the NSS module
 * calls both on every lookup by name and a call per byte was most of its
 * cost (FNV-1a, fnv1a.h, stays the hash of formats 2 and 3).
 *
 * Never reads outside the bytes it is given: words are loaded with memcpy
 * (one unaligned load on the machines we know), the last partial word by
 * overlapping loads inside the string, so that neither valgrind nor
 * AddressSanitizer sees a byte beyond the terminating NUL read. */
#ifndef IANA_NAME_HASH_H
#define IANA_NAME_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The LEN bytes at P (LEN <= 8) as the little-endian number they spell,
 * whatever the host's byte order: P[0] is the lowest byte. */
static inline uint64_t iana_name_load(const unsigned char *p, size_t len)
{
	uint64_t w;
	if (len == 8) {
		memcpy(&w, p, 8);
	} else if (len >= 4) {
		uint32_t lo, hi;
		memcpy(&lo, p, 4);
		memcpy(&hi, p + len - 4, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		lo = __builtin_bswap32(lo);
		hi = __builtin_bswap32(hi);
#endif
		/* The bytes both loads cover are the same: OR keeps them. */
		return (uint64_t)lo | (uint64_t)hi << (8 * (len - 4));
	} else if (len > 0) {
		return (uint64_t)p[0] | (uint64_t)p[len / 2] << (8 * (len / 2)) |
		       (uint64_t)p[len - 1] << (8 * (len - 1));
	} else {
		return 0;
	}
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

/* W with every ASCII capital letter byte made small; other bytes (digits,
 * '-', bytes of 0x80 and above) unchanged. */
static inline uint64_t iana_name_fold(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	uint64_t low7 = w & ~high;                    /* each byte below 0x80 */
	uint64_t ge_a = low7 + ones * (0x80 - 'A');   /* high bit: byte >= 'A' */
	uint64_t gt_z = low7 + ones * (0x7F - 'Z');   /* high bit: byte > 'Z' */
	uint64_t upper = ge_a & ~gt_z & ~w & high;    /* high bit: 'A'..'Z' */
	return w | upper >> 2;                        /* 0x80 >> 2 == 0x20 */
}

/* The 8 bytes at P as a little-endian number. */
static inline uint64_t iana_name_load8(const unsigned char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

/* Word K of the LEN bytes at P, where K covers bytes 8K .. 8K+N-1 and the
 * caller knows N = min(8, LEN - 8K) >= 1: the last, partial word of a
 * name of 8 bytes or more is loaded as the 8 bytes ending with it and
 * shifted, one load and no branch on N. */
static inline uint64_t iana_name_word(const unsigned char *p, size_t len, size_t at, size_t n)
{
	if (n == 8)
		return iana_name_load8(p + at);
	if (len >= 8)
		return iana_name_load8(p + at + n - 8) >> (8 * (8 - n));
	return iana_name_load(p + at, n);
}

/* One step of the hash below. */
static inline uint64_t iana_name_hash_step(uint64_t h, uint64_t w)
{
	h = (h ^ (w | 0x2020202020202020ull)) * 0xBF58476D1CE4E5B9ull;
	return h ^ h >> 31;
}

static inline uint32_t iana_name_hash_end(uint64_t h)
{
	h *= 0x94D049BB133111EBull;
	return (uint32_t)(h >> 32) ^ (uint32_t)h;
}

/* The two words of a name of LEN bytes at P, 1 <= LEN <= 16: bytes 0-7
 * and 8-15 as little-endian numbers, zero past the name. */
static inline void iana_name_words16(const char *name, size_t len, uint64_t *w0, uint64_t *w1)
{
	const unsigned char *p = (const unsigned char *)name;
	if (len >= 8) {
		*w0 = iana_name_load8(p);
		*w1 = len > 8 ? iana_name_load8(p + len - 8) >> (8 * (16 - len)) : 0;
	} else {
		*w0 = iana_name_load(p, len);
		*w1 = 0;
	}
}

/* The 4 bytes at P as a little-endian number. */
static inline uint32_t iana_name_load4(const unsigned char *p)
{
	uint32_t w;
	memcpy(&w, p, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap32(w);
#endif
	return w;
}

/* iana_name_words16() of NAME, a NUL-terminated string of LEN bytes, 1 <=
 * LEN <= 16, with no branch on LEN from 3 bytes on (lookups ask names of
 * every length, and the jumps of iana_name_words16() between its cases
 * were mispredicted in a third of them).  Reads only the name and its
 * NUL: a short name is two 4-byte loads inside it, NUL included (so from
 * 3 bytes on); a load the length may not allow reads 8 zero bytes
 * instead, and its word is then not used. */
static inline void iana_name_words16_cstr(const char *name, size_t len, uint64_t *w0, uint64_t *w1)
{
	static const unsigned char zeros[8];
	const unsigned char *p = (const unsigned char *)name;
	if (__builtin_expect(len < 3, 0)) {
		iana_name_words16(name, len, w0, w1);
		return;
	}
	/* Bytes 0-3 and len-3 .. len (the NUL): the name's first word,
	 * zero-filled, for a name of 3 to 7 bytes. */
	uint64_t part = (uint64_t)iana_name_load4(p) | (uint64_t)iana_name_load4(p + len - 3) << (8 * (len - 3) & 63);
	/* Masks and selected addresses, not ?: (which may become jumps). */
	uint64_t whole = (uint64_t)0 - (uint64_t)(len >= 8), second = (uint64_t)0 - (uint64_t)(len > 8);
	const unsigned char *first_at =
		(const unsigned char *)((uintptr_t)zeros ^ (((uintptr_t)p ^ (uintptr_t)zeros) & (uintptr_t)whole));
	const unsigned char *second_at = (const unsigned char *)((uintptr_t)zeros ^
		(((uintptr_t)(p + len - 8 * (len >= 8)) ^ (uintptr_t)zeros) & (uintptr_t)second));
	*w0 = (iana_name_load8(first_at) & whole) | (part & ~whole);
	*w1 = iana_name_load8(second_at) >> (8 * (16 - len) & 63);
}

/* The hash of a name of LEN <= 16 bytes from its two words. */
static inline uint32_t iana_name_hash16(uint64_t w0, uint64_t w1, size_t len)
{
	uint64_t h = 0x9E3779B97F4A7C15ull ^ len;
	return iana_name_hash_end(iana_name_hash_step(iana_name_hash_step(h, w0), w1));
}

/* The hash of the LEN bytes at NAME with bit 0x20 set in every byte (so
 * that names equal ignoring ASCII case hash alike; the few other names
 * this makes alike only cost a comparison), over the little-endian value
 * of each 8-byte word, the last one zero-filled before the bit is set,
 * and at least two words (a short name's second word is zero), so that a
 * name of up to 16 bytes hashes without a loop.  The same on every host. */
static inline uint32_t iana_name_hash(const char *name, size_t len)
{
	if (len <= 16) {
		uint64_t w0 = 0, w1 = 0;
		if (len > 0)
			iana_name_words16(name, len, &w0, &w1);
		return iana_name_hash16(w0, w1, len);
	}
	const unsigned char *p = (const unsigned char *)name;
	uint64_t h = 0x9E3779B97F4A7C15ull ^ len;
	for (size_t at = 0; at < len; at += 8) {
		size_t n = len - at < 8 ? len - at : 8;
		h = iana_name_hash_step(h, iana_name_word(p, len, at, n));
	}
	return iana_name_hash_end(h);
}

/* Whether the LEN bytes at A equal the LEN bytes at B ignoring ASCII
 * case (the caller checks the terminators). */
static inline bool iana_name_equal(const char *a, const char *b, size_t len)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
	for (size_t at = 0; at < len; at += 8) {
		size_t n = len - at < 8 ? len - at : 8;
		uint64_t x = iana_name_word(p, len, at, n), y = iana_name_word(q, len, at, n);
		/* Folded only when they differ: names are mostly asked for
		 * as the registry spells them. */
		if (x != y && iana_name_fold(x) != iana_name_fold(y))
			return false;
	}
	return true;
}

#endif /* IANA_NAME_HASH_H */
