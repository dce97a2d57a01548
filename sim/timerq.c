/* timerq.c - timers that all run for the same duration, on one calendar event.
 *
 * Built on the models' interface alone (sim/model.h): one pending event
 * for the earliest timer while any are set.
 */
#include "sim/timerq.h"

#include <stdlib.h>

#include "sim/model.h"

static void timerq_arm(struct sim_ctx *ctx, struct sim_timerq *q)
{
	if (q->armed || !q->len)
		return;
	q->armed = true;
	sim_schedule_at(ctx, q->v[q->head].at, q->kind, NULL);
}

int sim_timerq_push(struct sim_ctx *ctx, struct sim_timerq *q, struct sim_item *it, double at)
{
	if (q->len == q->cap) {
		void *v = q->v;
		if (sim_ring_grow(&v, &q->head, q->len, &q->cap, sizeof *q->v, 256) < 0) {
			sim_stop(ctx, "out of memory for timers");
			return -1;
		}
		q->v = v;
	}
	q->v[(q->head + q->len++) & (q->cap - 1)] = (struct sim_timer){ it, it->id, at };
	if (!q->draining)
		timerq_arm(ctx, q);
	return 0;
}

/* Exactly one calendar event is pending while timers are: the drain that
 * its firing starts arms the next one when it ends, and pushes made
 * during the drain leave that to it. */
bool sim_timerq_next_due(struct sim_ctx *ctx, struct sim_timerq *q, struct sim_item **item)
{
	double now = sim_now(ctx);
	if (!q->draining) {
		q->draining = true;
		q->armed = false;
	}
	while (q->len && q->v[q->head].at <= now) {
		struct sim_timer t = q->v[q->head];
		q->head = (q->head + 1) & (q->cap - 1);
		q->len--;
		if (t.item->id != t.id)
			continue;	/* its item finished and was reused */
		*item = t.item;
		return true;
	}
	q->draining = false;
	timerq_arm(ctx, q);
	return false;
}

void sim_timerq_fini(struct sim_timerq *q)
{
	free(q->v);
	*q = (struct sim_timerq){ 0 };
}
