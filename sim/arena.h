/* arena.h - bump allocation for data that lives as long as a scenario:
 * the parsed YAML tree, component configurations, empirical samples, and
 * the nodes and strings of a summary's JSON tree.
 * Everything is freed at once by sim_arena_fini.
 *
 * Chunks start small and double up to 64 KB, so that a small tree does
 * not cost a whole chunk; strings are packed byte by byte, not rounded
 * up to the alignment of other allocations.
 */
#ifndef SIM_ARENA_H
#define SIM_ARENA_H

#include <stddef.h>

struct sim_arena_chunk;

/* A zeroed struct is an empty arena (sim_arena_init does that). */
struct sim_arena {
	struct sim_arena_chunk *head;
	size_t next_size;	/* of the next regular chunk; 0: the first */
};

static inline void sim_arena_init(struct sim_arena *a)
{
	a->head = NULL;
	a->next_size = 0;
}

void sim_arena_fini(struct sim_arena *a);

/* Zeroed memory aligned for any type, or NULL when out of memory. */
void *sim_arena_alloc(struct sim_arena *a, size_t size);
/* Copies of strings (not aligned), or NULL when out of memory. */
char *sim_arena_strndup(struct sim_arena *a, const char *s, size_t n);
char *sim_arena_strdup(struct sim_arena *a, const char *s);

#endif
