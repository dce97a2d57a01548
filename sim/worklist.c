/* worklist.c - the engine's same-instant work; see worklist.h. */
#include "sim/worklist.h"

#include <stdlib.h>

#include "sim/ring.h"

void sim_worklist_init(struct sim_worklist *w, size_t max)
{
	*w = (struct sim_worklist){ .max = max };
}

void sim_worklist_fini(struct sim_worklist *w)
{
	free(w->v);
	sim_worklist_init(w, w->max);
}

int sim_worklist_push(struct sim_worklist *w, const struct sim_op *op)
{
	if (w->len >= w->max)
		return -2;
	if (w->len == w->cap) {
		void *v = w->v;
		if (sim_ring_grow(&v, &w->head, w->len, &w->cap, sizeof *w->v, 64) < 0)
			return -1;
		w->v = v;
	}
	w->v[(w->head + w->len++) & (w->cap - 1)] = *op;
	return 0;
}
