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

bool sim_fifo_remove(struct sim_fifo *f, const struct sim_item *it)
{
	size_t mask = f->cap - 1;
	for (size_t i = 0; i < f->len; i++) {
		if (f->v[(f->head + i) & mask] != it)
			continue;
		/* close the gap from the nearer end */
		if (i < f->len / 2) {
			for (size_t k = i; k > 0; k--)
				f->v[(f->head + k) & mask] = f->v[(f->head + k - 1) & mask];
			f->head = (f->head + 1) & mask;
		} else {
			for (size_t k = i; k + 1 < f->len; k++)
				f->v[(f->head + k) & mask] = f->v[(f->head + k + 1) & mask];
		}
		f->len--;
		return true;
	}
	return false;
}
