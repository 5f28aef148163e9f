/* string_arena.h - internal: a bump allocator for the registry's strings and
 * small arrays.  Everything is released at once by reg_arena_free(). */
#ifndef STRING_ARENA_H
#define STRING_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct string_arena {
	struct arena_chunk *head;
	char *next;     /* first free byte of head */
	size_t room;    /* bytes left in head */
};

/* SIZE bytes aligned for any object; NULL on allocation failure. */
void *reg_arena_alloc(struct string_arena *arena, size_t size);
/* Copy LEN bytes of S plus a NUL; NULL on allocation failure. */
char *reg_arena_strndup(struct string_arena *arena, const char *s, size_t len);
void reg_arena_free(struct string_arena *arena);

#endif /* STRING_ARENA_H */
