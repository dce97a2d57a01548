/* arena.c - a list of chunks, newest first; big requests get their own. */
#include "sim/arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

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
}

void *sim_arena_alloc(struct sim_arena *a, size_t size)
{
	const size_t align = alignof(max_align_t);
	size = (size + align - 1) & ~(align - 1);
	struct sim_arena_chunk *c = a->head;
	if (!c || c->size - c->used < size) {
		size_t cap = size > CHUNK / 4 ? size : CHUNK;
		c = malloc(sizeof *c + cap);
		if (!c)
			return NULL;
		c->used = 0;
		c->size = cap;
		if (size > CHUNK / 4 && a->head) {
			/* keep the current chunk on top for small requests */
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	void *p = c->data + c->used;
	c->used += size;
	memset(p, 0, size);
	return p;
}

char *sim_arena_strndup(struct sim_arena *a, const char *s, size_t n)
{
	char *p = sim_arena_alloc(a, n + 1);
	if (p)
		memcpy(p, s, n);
	return p;
}

char *sim_arena_strdup(struct sim_arena *a, const char *s)
{
	return sim_arena_strndup(a, s, strlen(s));
}
