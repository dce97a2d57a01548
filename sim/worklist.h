/* worklist.h - the engine's same-instant work that waits its turn.
 *
 * A model's call into the engine (send an item, end it, return a call)
 * runs at once, nested on the C stack, unless the calls already nested
 * are too deep: then it is kept here, as a small record, and run after
 * the call that made it returns (sim/engine.c).  A FIFO ring, grown by
 * doubling (sim/ring.h) up to `max` operations; steady state allocates
 * nothing.  Each operation holds one item, which nothing else holds
 * while it waits, so the list is never longer than the items alive.
 */
#ifndef SIM_WORKLIST_H
#define SIM_WORKLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/item.h"

enum sim_op_kind {
	SIM_OP_SEND,		/* to's receive(item) */
	SIM_OP_COMPLETE,	/* item's path ends */
	SIM_OP_DROP,		/* item is dropped for `reason` */
	SIM_OP_RETURN,		/* item goes back to its caller `to` */
};

struct sim_op {
	struct sim_item *item;
	uint32_t to;		/* SEND: target; RETURN: caller; DROP: the dropper */
	uint8_t kind;		/* enum sim_op_kind */
	uint8_t reason;		/* DROP: the index in the dropper's reasons */
};

struct sim_worklist {
	struct sim_op *v;
	size_t head, len, cap;	/* ring; cap 0 or a power of two */
	size_t max;		/* most operations held at once */
};

void sim_worklist_init(struct sim_worklist *w, size_t max);
void sim_worklist_fini(struct sim_worklist *w);

/* Appends op: 0, -1 when out of memory, -2 when max are held already
 * (op is then not added). */
int sim_worklist_push(struct sim_worklist *w, const struct sim_op *op);

/* Takes the oldest operation into *op; false when there is none. */
static inline bool sim_worklist_pop(struct sim_worklist *w, struct sim_op *op)
{
	if (!w->len)
		return false;
	*op = w->v[w->head];
	w->head = (w->head + 1) & (w->cap - 1);
	w->len--;
	return true;
}

/* Forgets what waits (a stopped run: its items stay counted in flight). */
static inline void sim_worklist_clear(struct sim_worklist *w)
{
	w->head = w->len = 0;
}

#endif
