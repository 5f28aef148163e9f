/* fnv1a.c - FNV-1a (see fnv1a.h). */
#include "fnv1a.h"

#define FNV_OFFSET 2166136261u
#define FNV_PRIME 16777619u

uint32_t iana_fnv1a(const void *data, size_t len)
{
	uint32_t h = FNV_OFFSET;
	for (const unsigned char *p = data, *end = p + len; p < end; p++)
		h = (h ^ *p) * FNV_PRIME;
	return h;
}

uint32_t iana_fnv1a_casefold(const char *s)
{
	uint32_t h = FNV_OFFSET;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		h = (h ^ c) * FNV_PRIME;
	}
	return h;
}
