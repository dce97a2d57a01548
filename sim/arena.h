/* arena.h - bump allocation for data that lives as long as a scenario:
 * the parsed YAML tree, component configurations, empirical samples.
 * Everything is freed at once by sim_arena_fini.
 */
#ifndef SIM_ARENA_H
#define SIM_ARENA_H

#include <stddef.h>

struct sim_arena_chunk;

struct sim_arena {
	struct sim_arena_chunk *head;
};

static inline void sim_arena_init(struct sim_arena *a)
{
	a->head = NULL;
}

void sim_arena_fini(struct sim_arena *a);

/* Zeroed memory aligned for any type, or NULL when out of memory. */
void *sim_arena_alloc(struct sim_arena *a, size_t size);
char *sim_arena_strndup(struct sim_arena *a, const char *s, size_t n);
char *sim_arena_strdup(struct sim_arena *a, const char *s);

#endif
