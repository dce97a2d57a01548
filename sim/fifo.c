/* fifo.c - growing a ring of item pointers; see fifo.h. */
#include "sim/fifo.h"

#include <stdlib.h>

#include "sim/ring.h"

int sim_fifo_grow(struct sim_fifo *f)
{
	void *v = f->v;
	if (sim_ring_grow(&v, &f->head, f->len, &f->cap, sizeof *f->v, 64) < 0)
		return -1;
	f->v = v;
	return 0;
}

void sim_fifo_fini(struct sim_fifo *f)
{
	free(f->v);
	*f = (struct sim_fifo){ 0 };
}
