/* grow_buffer.c - the parsers' growable text buffer (see grow_buffer.h). */
#include "grow_buffer.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int iana_grow_buffer_reserve(struct grow_buffer *b, size_t need)
{
	if (need <= b->size - b->len)
		return 0;
	if (need > SIZE_MAX / 2 - b->len)
		return -1;
	size_t size = b->size ? b->size : 256;
	while (size - b->len < need)
		size *= 2;
	char *grown = realloc(b->data, size);
	if (grown == NULL)
		return -1;
	b->data = grown;
	b->size = size;
	return 0;
}

int iana_grow_buffer_append(struct grow_buffer *b, const char *s, size_t n)
{
	if (n == SIZE_MAX || iana_grow_buffer_reserve(b, n + 1) < 0)
		return -1;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

void iana_grow_buffer_free(struct grow_buffer *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->size = 0;
}
