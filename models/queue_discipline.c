/* queue_discipline.c - what a pull takes from a queue that is not plain
 * fifo, and what it drops on the way: LIFO, priority lanes (most
 * important first), adaptive LIFO and its controlled delay, the `ttl`
 * (drop-expired), callers' deadlines (`honor_deadlines`) and CoDel.  A
 * part of the `queue` model (models/queue.c); its state is struct queue
 * (models/queue_private.h).
 *
 * Invariant: the item returned is one no discipline drops; every item
 * taken out of a lane is either returned or dropped, and counted in the
 * wait or the drops.
 */
#include "models/queue_private.h"

/* What pull does for a queue that is not plain.  Out of line, so that
 * the plain pull, which calls nothing, saves no registers for it. */
__attribute__((noinline)) struct sim_item *mdl_queue_pull_general(struct sim_ctx *ctx,
								   struct queue *q)
{
	double age;
	const struct queue_conf *qc = q->conf;
	double now = sim_now(ctx);
	bool standing = qc->discipline == DISC_ADAPTIVE_LIFO && q->depth &&
			now - q->last_empty > qc->cd.interval;
	if (qc->discipline == DISC_ADAPTIVE_LIFO && qc->codel) {
		/* controlled delay: a short timeout while a queue stands */
		double limit = standing ? qc->cd.target : qc->cd.interval;
		struct sim_fifo *l = &q->lanes[0];
		while (q->depth && now - sim_fifo_front(l)->enqueued_s > limit) {
			struct sim_item *old = sim_fifo_pop_front(l);
			mdl_queue_set_depth(ctx, q, q->depth - 1);
			mdl_queue_note_age(ctx, q, now - old->enqueued_s);
			mdl_queue_drop(ctx, q, old, R_CODEL);
		}
	}
	if (q->door.len)
		mdl_queue_admit(ctx, q, true);
	while (q->depth) {
		size_t i = 0;
		while (!q->lanes[i].len)
			i++;
		struct sim_item *it = mdl_queue_take(ctx, q, &q->lanes[i],
						     qc->discipline == DISC_LIFO || standing, &age);
		if (q->door.len)
			mdl_queue_admit(ctx, q, false);
		if (age > qc->ttl) {
			mdl_queue_drop(ctx, q, it, R_EXPIRED);
			continue;
		}
		if (qc->deadlines && now >= it->deadline_s) {
			mdl_queue_drop(ctx, q, it, R_DEADLINE);
			continue;
		}
		if (qc->codel && qc->discipline != DISC_ADAPTIVE_LIFO &&
		    mdl_codel_drop(&q->codel, &qc->cd, now, age, q->depth)) {
			mdl_queue_drop(ctx, q, it, R_CODEL);
			continue;
		}
		sim_hist_add(&q->bl.wait, age);
		return it;
	}
	return NULL;
}
