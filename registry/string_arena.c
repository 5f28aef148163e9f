/* string_arena.c - the bump allocator behind every string of a registry. */
#include "string_arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK_SIZE (64 * 1024)

struct arena_chunk {
	struct arena_chunk *prev;
	alignas(max_align_t) char data[];
};

void *reg_arena_alloc(struct string_arena *arena, size_t size)
{
	const size_t align = alignof(max_align_t);
	size_t pad = (align - ((uintptr_t)arena->next & (align - 1))) & (align - 1);
	if (arena->head == NULL || size + pad > arena->room) {
		size_t capacity = size > ARENA_CHUNK_SIZE / 4 ? size : ARENA_CHUNK_SIZE;
		struct arena_chunk *chunk = malloc(sizeof(*chunk) + capacity);
		if (chunk == NULL)
			return NULL;
		if (capacity == ARENA_CHUNK_SIZE || arena->head == NULL) {
			chunk->prev = arena->head;
			arena->head = chunk;
			arena->next = chunk->data;
			arena->room = capacity;
		} else {
			/* A large block gets a chunk of its own behind the current
			 * one, so the current chunk's free room is not wasted. */
			chunk->prev = arena->head->prev;
			arena->head->prev = chunk;
			return chunk->data;
		}
		pad = 0;
	}
	char *p = arena->next + pad;
	arena->next = p + size;
	arena->room -= size + pad;
	return p;
}

char *reg_arena_strndup(struct string_arena *arena, const char *s, size_t len)
{
	/* Strings need no alignment: take bytes straight from the chunk. */
	if (arena->head != NULL && len + 1 <= arena->room) {
		char *p = arena->next;
		memcpy(p, s, len);
		p[len] = '\0';
		arena->next += len + 1;
		arena->room -= len + 1;
		return p;
	}
	char *p = reg_arena_alloc(arena, len + 1);
	if (p == NULL)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void reg_arena_free(struct string_arena *arena)
{
	struct arena_chunk *chunk = arena->head;
	while (chunk != NULL) {
		struct arena_chunk *prev = chunk->prev;
		free(chunk);
		chunk = prev;
	}
	arena->head = NULL;
	arena->next = NULL;
	arena->room = 0;
}
