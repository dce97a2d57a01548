/* fifo.h - a growable ring of item pointers: the waiting lines of buffers
 * (queue lanes, a limiter's held items).
 *
 * Both ends pop in O(1); push is O(1) amortised: the ring doubles when
 * full (the only allocation, never per item in steady state).  cap is 0
 * or a power of two.
 */
#ifndef SIM_FIFO_H
#define SIM_FIFO_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/item.h"

struct sim_fifo {
	struct sim_item **v;
	size_t head, len, cap;
};

/* Doubles the room (64 at first); -1 when out of memory, unchanged. */
int sim_fifo_grow(struct sim_fifo *f);
void sim_fifo_fini(struct sim_fifo *f);

/* Takes it out from wherever it is, keeping the others' order; false
 * when it is not there.  O(len): for rare removals (a cancellation). */
bool sim_fifo_remove(struct sim_fifo *f, const struct sim_item *it);

/* Appends it; -1 when out of memory (it is not added). */
static inline int sim_fifo_push(struct sim_fifo *f, struct sim_item *it)
{
	if (f->len == f->cap && sim_fifo_grow(f) < 0)
		return -1;
	f->v[(f->head + f->len++) & (f->cap - 1)] = it;
	return 0;
}

/* The oldest item; the fifo must not be empty. */
static inline struct sim_item *sim_fifo_front(const struct sim_fifo *f)
{
	return f->v[f->head];
}

static inline struct sim_item *sim_fifo_pop_front(struct sim_fifo *f)
{
	struct sim_item *it = f->v[f->head];
	f->head = (f->head + 1) & (f->cap - 1);
	f->len--;
	return it;
}

/* The newest item, removed. */
static inline struct sim_item *sim_fifo_pop_back(struct sim_fifo *f)
{
	f->len--;
	return f->v[(f->head + f->len) & (f->cap - 1)];
}

#endif
