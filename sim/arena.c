/* arena.c - a list of chunks, newest first; big requests get their own.
 * The invariant: the head is the chunk small requests are cut from, and
 * used counts its bytes given out (aligned ones start at a multiple of
 * the alignment). */
#include "sim/arena.h"

#include <stdalign.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_MIN 1024
#define CHUNK 65536

struct sim_arena_chunk {
	struct sim_arena_chunk *next;
	size_t used, size;
	alignas(max_align_t) unsigned char data[];
};

void sim_arena_fini(struct sim_arena *a)
{
	while (a->head) {
		struct sim_arena_chunk *c = a->head;
		a->head = c->next;
		free(c);
	}
	a->next_size = 0;
}

/* A new chunk able to hold size bytes: the head for small requests,
 * else one of its own below the head. */
static struct sim_arena_chunk *new_chunk(struct sim_arena *a, size_t size)
{
	size_t cap = a->next_size ? a->next_size : CHUNK_MIN;
	bool own = size > CHUNK / 4;
	if (own)
		cap = size;
	while (cap < size)
		cap *= 2;
	struct sim_arena_chunk *c = malloc(sizeof *c + cap);
	if (!c)
		return NULL;
	c->used = 0;
	c->size = cap;
	if (own && a->head) {
		/* keep the current chunk on top for small requests */
		c->next = a->head->next;
		a->head->next = c;
	} else {
		c->next = a->head;
		a->head = c;
		if (!own)
			a->next_size = cap < CHUNK ? 2 * cap : CHUNK;
	}
	return c;
}

/* size bytes at a multiple of align (a power of two), not zeroed. */
static void *take(struct sim_arena *a, size_t size, size_t align)
{
	struct sim_arena_chunk *c = a->head;
	size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;
	if (!c || at > c->size || c->size - at < size) {
		if (!(c = new_chunk(a, size)))
			return NULL;
		if (c != a->head || c->size - c->used < size) {
			c->used = size;	/* its own chunk */
			return c->data;
		}
		at = 0;
	}
	c->used = at + size;
	return c->data + at;
}

void *sim_arena_alloc(struct sim_arena *a, size_t size)
{
	void *p = take(a, size ? size : 1, alignof(max_align_t));
	if (p)
		memset(p, 0, size);
	return p;
}

char *sim_arena_strndup(struct sim_arena *a, const char *s, size_t n)
{
	char *p = take(a, n + 1, 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

char *sim_arena_strdup(struct sim_arena *a, const char *s)
{
	return sim_arena_strndup(a, s, strlen(s));
}
