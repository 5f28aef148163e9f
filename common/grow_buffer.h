/* grow_buffer.h - internal: the byte buffer the parsers collect and
 * unescape text in; grows by doubling, reused from record to record. */
#ifndef GROW_BUFFER_H
#define GROW_BUFFER_H

#include <stddef.h>

struct grow_buffer {
	char *data;
	size_t len;  /* bytes in use */
	size_t size; /* bytes allocated */
};

/* Make room for NEED more bytes after LEN.  0, or -1 on overflow or
 * allocation failure (the buffer is unchanged). */
int iana_grow_buffer_reserve(struct grow_buffer *buffer, size_t need);
/* Append N bytes of S and keep a NUL after them (not counted in LEN).
 * 0, or -1 as iana_grow_buffer_reserve(). */
int iana_grow_buffer_append(struct grow_buffer *buffer, const char *s, size_t n);
void iana_grow_buffer_free(struct grow_buffer *buffer);

#endif /* GROW_BUFFER_H */
