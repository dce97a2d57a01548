/* fifo.c - growing a ring of item pointers; see fifo.h. */
#include "sim/fifo.h"

#include <stdlib.h>

int sim_fifo_grow(struct sim_fifo *f)
{
	size_t cap = f->cap ? 2 * f->cap : 64;
	struct sim_item **v = malloc(cap * sizeof *v);
	if (!v)
		return -1;
	for (size_t i = 0; i < f->len; i++)
		v[i] = f->v[(f->head + i) & (f->cap - 1)];
	free(f->v);
	f->v = v;
	f->head = 0;
	f->cap = cap;
	return 0;
}

void sim_fifo_fini(struct sim_fifo *f)
{
	free(f->v);
	*f = (struct sim_fifo){ 0 };
}
