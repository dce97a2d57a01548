/* item.h - the unit of work that flows between components, and its pool.
 *
 * Items come from a pool of fixed-size blocks: pointers stay valid for the
 * item's whole life and a free item is reused before any new memory is
 * taken, so steady-state runs allocate nothing per item.
 */
#ifndef SIM_ITEM_H
#define SIM_ITEM_H

#include <stddef.h>
#include <stdint.h>

#define SIM_NONE UINT32_MAX	/* no component */

struct sim_item {
	uint64_t id;		/* creation order within a run, from 1 */
	double created_s;	/* absolute */
	double enqueued_s;	/* absolute: entered its current buffer */
	double deadline_s;	/* absolute; INFINITY when none */
	struct sim_item *next;	/* free list, or a model's intrusive link */
	uint64_t tag;		/* scratch for the model holding the item */
	double hold_s;		/* scratch time for the model holding the item */
	struct sim_item *parent;	/* the request an attempt belongs to */
	uint64_t parent_id;	/* parent->id when this was made (the parent
				 * may have finished and its memory reused) */
	uint32_t origin;	/* component that created it */
	uint32_t root;		/* whose work it is: its origin, or the root
				 * of the item it was made for (a split's
				 * copy, a client's attempt) */
	uint32_t reply;		/* component awaiting an ack (its creator), or
				 * SIM_NONE once acknowledged */
	uint32_t caller;	/* component that sim_call()ed it, or SIM_NONE */
	uint16_t cls;		/* class index */
	uint16_t prio;		/* class priority, 0 most important */
	uint32_t attempt;	/* 1 for a first try */
	uint32_t key;		/* the item's key (a post, a user): an index
				 * in its producer's key space, or SIM_NONE.
				 * Copies, attempts and calls keep it. */
	uint32_t part;		/* scratch of the buffer that handed it out
				 * (a topic's partition), until released */
	uint32_t at;		/* the component holding it (the engine's: set
				 * when it arrives, is pulled or returns) or
				 * SIM_NONE before it first arrives */
	uint8_t flags;		/* SIM_ITEM_* (the engine's) */
	uint8_t step;		/* scratch of the holder that a call leaves
				 * alone (a worker's progress through its calls) */
};

/* Item flags, kept by the engine (sim/model.h: sim_call, sim_cancel_work). */
enum {
	SIM_ITEM_CALL = 1 << 0,		/* made by sim_call for item->parent: its
					 * end answers the caller */
	SIM_ITEM_CALLING = 1 << 1,	/* waits on its call item, in ->next */
	SIM_ITEM_CANCELLED = 1 << 2,	/* the work is no longer wanted */
};

struct sim_item_pool {
	struct sim_item **blocks;
	size_t nblocks, cap_blocks;
	struct sim_item *free;
	uint64_t live;		/* items handed out and not yet returned */
	uint64_t limit;		/* most items alive at once; 0 none */
};

void sim_item_pool_init(struct sim_item_pool *pool, uint64_t limit);
void sim_item_pool_fini(struct sim_item_pool *pool);

/* A free item at hand, or NULL when there is none or the pool is at its
 * limit: then sim_item_pool_get_slow decides. */
static inline struct sim_item *sim_item_pool_take(struct sim_item_pool *pool)
{
	struct sim_item *it = pool->free;
	if (!it || (pool->limit && pool->live >= pool->limit))
		return NULL;
	pool->free = it->next;
	pool->live++;
	return it;
}

/* An item, taking a new block if need be; NULL when memory or the
 * pool's limit runs out.  Callers on the hot path try
 * sim_item_pool_take first. */
struct sim_item *sim_item_pool_get_slow(struct sim_item_pool *pool);

/* A returned item's id becomes 0, so a stale reference (a timer, an
 * attempt's parent) can tell it is no longer the item it knew. */
static inline void sim_item_pool_put(struct sim_item_pool *pool, struct sim_item *it)
{
	it->id = 0;
	it->next = pool->free;
	pool->free = it;
	pool->live--;
}

#endif
