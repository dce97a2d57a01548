/* queue_door.c - the door of a full queue with `overflow: block`: an item
 * that finds the queue full waits there, outside the queue, and its root
 * is blocked (sim_block); as places free up the oldest comes in and its
 * root may go on (sim_unblock).  A part of the `queue` model
 * (models/queue.c); its state is struct queue (models/queue_private.h).
 *
 * Invariant: door_level follows door.len; each item at the door has
 * blocked its root once, and unblocks it once, when it comes in or is
 * dropped.
 */
#include "models/queue_private.h"

/* overflow: block: the item waits at the door and its root is blocked. */
void mdl_queue_park(struct sim_ctx *ctx, struct queue *q, struct sim_item *it)
{
	if (sim_fifo_push(&q->door, it) < 0) {
		sim_stop(ctx, "out of memory growing a queue");
		mdl_queue_drop(ctx, q, it, R_FULL);
		return;
	}
	it->enqueued_s = sim_now(ctx);
	sim_count_add(&q->blocked, 1);
	sim_level_set(&q->door_level, sim_now(ctx), (double)q->door.len);
	sim_block(ctx, it);
}

/* Lets items in from the door while there is room; a worker pulling
 * from a queue with nothing waiting makes room for one (capacity 0). */
void mdl_queue_admit(struct sim_ctx *ctx, struct queue *q, bool pulling)
{
	while (q->door.len && (q->depth < q->conf->capacity || (pulling && q->depth == 0))) {
		struct sim_item *it = sim_fifo_pop_front(&q->door);
		sim_level_set(&q->door_level, sim_now(ctx), (double)q->door.len);
		if (mdl_queue_push(ctx, q, it) < 0) {
			sim_stop(ctx, "out of memory growing a queue");
			sim_unblock(ctx, it);
			mdl_queue_drop(ctx, q, it, R_FULL);
			continue;
		}
		mdl_queue_accept(ctx, q, it);
		sim_unblock(ctx, it);
	}
}

/* An item the queue has no room for: it waits at the door (block), or
 * is dropped. */
void mdl_queue_refuse(struct sim_ctx *ctx, struct queue *q, struct sim_item *it)
{
	if (q->conf->overflow == OVF_BLOCK)
		mdl_queue_park(ctx, q, it);
	else
		mdl_queue_drop(ctx, q, it, R_FULL);
}
