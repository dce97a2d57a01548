/* calls.c - synchronous calls between components, and cancellation.
 *
 * A caller (a worker pool) holds an item while a call made for it runs.
 * A callee that answers (a database) takes the item itself; any other
 * callee gets a call item, a new item of the caller's whose end (the
 * engine's complete or drop, or an `ack: enqueue` acceptance) answers the
 * caller.  Calls nest: a call item may itself be held by a pool that
 * calls on, so every hop of a chain has an item of its own and the caller
 * of each is never overwritten.
 *
 * Invariant: an item has SIM_ITEM_CALLING exactly while its call item
 * (->next) has SIM_ITEM_CALL and ->parent pointing back at it; the two
 * links are cut together (sim_call_detach), before either item can end.
 * A call item counts as created, completed or dropped by its caller, so
 * conservation stays exact.
 */
#include <assert.h>

#include "sim/engine_private.h"

void sim_call(struct sim_ctx *ctx, uint32_t callee, struct sim_item *it)
{
	struct sim_engine *e = ctx->eng;
	if ((e->ctx[callee].ops->flags & SIM_MODEL_ANSWERS) && it->caller == SIM_NONE) {
		it->caller = ctx->self;
		sim_send(ctx, callee, it);
		return;
	}
	struct sim_item *c = sim_item_new(ctx, it->cls);
	if (!c)
		return;		/* the run is stopping: the item stays held */
	c->parent = it;
	c->parent_id = it->id;
	c->root = it->root;
	c->key = it->key;
	c->deadline_s = it->deadline_s;
	c->caller = ctx->self;
	c->flags = SIM_ITEM_CALL;
	it->next = c;
	it->flags |= SIM_ITEM_CALLING;
	sim_send(ctx, callee, c);
}

uint32_t sim_call_detach(struct sim_item *c, struct sim_item **parent)
{
	struct sim_item *p = c->parent;
	uint32_t caller = c->caller;
	assert((c->flags & SIM_ITEM_CALL) && p->id == c->parent_id && p->next == c &&
	       (p->flags & SIM_ITEM_CALLING));
	c->flags &= (uint8_t)~SIM_ITEM_CALL;
	c->caller = SIM_NONE;
	c->reply = SIM_NONE;	/* an acceptance later is no news either */
	p->flags &= (uint8_t)~SIM_ITEM_CALLING;
	p->next = NULL;
	*parent = p;
	return caller;
}

void sim_call_answer(struct sim_engine *e, uint32_t caller, struct sim_item *item,
		     enum sim_call_result result)
{
	struct sim_ctx *k = &e->ctx[caller];
	k->ops->returned(k, k->state, item, result);
}

void sim_cancel_work(struct sim_ctx *ctx, struct sim_item *it)
{
	struct sim_engine *e = ctx->eng;
	if (it->flags & SIM_ITEM_CANCELLED)
		return;
	it->flags |= SIM_ITEM_CANCELLED;
	if (it->flags & SIM_ITEM_CALLING) {
		/* its call is cancelled too, and no longer answers it */
		struct sim_item *parent, *c = it->next;
		sim_call_detach(c, &parent);
		sim_cancel_work(ctx, c);
	}
	if (it->at == SIM_NONE)
		return;		/* in transit: dropped where it arrives */
	struct sim_ctx *h = &e->ctx[it->at];
	if (h->ops->cancel)
		h->ops->cancel(h, h->state, it);
}

bool sim_cancels(const struct sim_ctx *ctx)
{
	return ctx->eng->cancels;
}

double sim_created(const struct sim_ctx *ctx, uint32_t comp)
{
	const struct sim_engine *e = ctx->eng;
	return (double)(e->created[comp] - e->created_warm[comp]);
}
