/* engine.c - the event loop, and the calls models make on its hot path
 * (scheduling, items); the other services are in services.c, the
 * engine's making, limits and freeing in lifecycle.c.
 *
 * Invariants: the clock never goes back (within a part: sim/parts.c runs
 * a model's independent parts window by window); every item handed out
 * is either held by a component (or an event) or has been counted
 * exactly once as completed or dropped (checked at the end: the
 * conservation block); the event loop allocates nothing in steady state
 * and does no I/O.
 *
 * Same-instant cascades (a drop notifies a client, which retries, which
 * is dropped again, ...) are as long as the scenario makes them, so they
 * must not each take a C stack frame: the calls that hand an item on
 * (sim_send, sim_complete, sim_drop, sim_return) nest at most ENGINE_NEST
 * deep.  One made deeper waits in the work list and runs as soon as the
 * call that made it returns, still inside the call ENGINE_NEST - 1 deep:
 * to everything shallower the engine behaves exactly as if it had nested.
 * Every cycle of calls between models goes through one of these four, so
 * the stack stays bounded whatever the scenario.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>

#include "sim/engine_private.h"

/* Calls handing items on that nest on the C stack; no example comes
 * close (they nest a handful deep), so their order is as if all nested. */
#define ENGINE_NEST 32

/* ---- calendar and items for models -------------------------------------- */

sim_handle sim_schedule_at(struct sim_ctx *ctx, double t, uint32_t kind,
			   struct sim_item *item)
{
	struct sim_engine *e = ctx->eng;
	if (t < e->now)
		t = e->now;
	sim_handle h = sim_calendar_push(ctx->cal, t, ctx->self, kind, item);
	if (!h)
		sim_engine_stop(e, "out of memory for the event calendar");
	return h;
}

sim_handle sim_schedule(struct sim_ctx *ctx, double delay_s, uint32_t kind,
			struct sim_item *item)
{
	return sim_schedule_at(ctx, ctx->eng->now + delay_s, kind, item);
}

bool sim_cancel(struct sim_ctx *ctx, sim_handle h)
{
	return sim_calendar_cancel(ctx->cal, h);
}

/* Sets up item it, new from the pool, as ctx's, of class cls. */
static inline struct sim_item *fill(struct sim_ctx *ctx, struct sim_item *it, uint16_t cls)
{
	struct sim_engine *e = ctx->eng;
	it->id = ++e->next_id;
	it->created_s = e->now;
	it->enqueued_s = e->now;
	it->deadline_s = INFINITY;
	it->next = NULL;
	it->tag = 0;
	it->hold_s = 0;
	it->parent = NULL;
	it->parent_id = 0;
	it->origin = ctx->self;
	it->root = ctx->self;
	it->reply = ctx->self;	/* the creator hears of an ack: enqueue */
	it->caller = SIM_NONE;
	it->cls = cls;
	it->prio = (uint16_t)e->sc->classes[cls].priority;
	it->attempt = 1;
	it->key = SIM_NONE;
	it->at = SIM_NONE;
	it->flags = 0;
	it->step = 0;
	e->created[ctx->self]++;
	return it;
}

/* No free item at hand: the pool grows, or the run stops, saying why.
 * Out of line and cold, so that the common path of sim_item_new makes
 * no call and saves no registers. */
static __attribute__((noinline, cold)) struct sim_item *item_new_slow(struct sim_ctx *ctx,
								      uint16_t cls)
{
	struct sim_engine *e = ctx->eng;
	struct sim_item *it = sim_item_pool_get_slow(&e->pool);
	if (it)
		return fill(ctx, it, cls);
	char why[256];
	if (e->pool.limit && e->pool.live >= e->pool.limit)
		snprintf(why, sizeof why,
			 "item limit reached: %llu items in the system at t = %.6g s (raise it with limits: {max_items: N} in the scenario)",
			 (unsigned long long)e->pool.live, e->now);
	else
		snprintf(why, sizeof why, "out of memory with %llu items in the system at t = %.6g s",
			 (unsigned long long)e->pool.live, e->now);
	sim_engine_stop(e, why);
	return NULL;
}

struct sim_item *sim_item_new(struct sim_ctx *ctx, uint16_t cls)
{
	struct sim_item *it = sim_item_pool_take(&ctx->eng->pool);
	return it ? fill(ctx, it, cls) : item_new_slow(ctx, cls);
}

/* ---- calls that hand items on ------------------------------------------ */

static void run_op(struct sim_engine *e, const struct sim_op *op);

/* The work list is full or memory is out: the item stays where it is,
 * counted in flight, and the run stops. */
static __attribute__((noinline, cold)) void defer(struct sim_engine *e, enum sim_op_kind kind,
						   uint32_t to, struct sim_item *it, unsigned reason)
{
	struct sim_op op = { .item = it, .to = to, .kind = (uint8_t)kind, .reason = (uint8_t)reason };
	int rc = sim_worklist_push(&e->later, &op);
	if (rc == 0)
		return;
	char why[256];
	if (rc == -2)
		snprintf(why, sizeof why,
			 "same-instant work limit reached: %zu operations waiting at t = %.6g s (zero-delay retries or copies multiplying without end?)",
			 e->later.len, e->now);
	else
		snprintf(why, sizeof why, "out of memory for same-instant work at t = %.6g s", e->now);
	sim_engine_stop(e, why);
}

/* Runs what waits, each operation as if called ENGINE_NEST deep, so what
 * it calls waits in turn; from the call that brought depth back below
 * ENGINE_NEST.  Work can multiply without end at one instant, so the run's
 * limits are checked here too; a stopped run leaves the rest undone. */
static __attribute__((noinline, cold)) void drain(struct sim_engine *e)
{
	unsigned depth = e->depth;
	struct sim_op op;
	e->depth = ENGINE_NEST;
	while (!e->stopping && sim_worklist_pop(&e->later, &op)) {
		run_op(e, &op);
		if ((++e->ops & 0x3fff) == 0)
			sim_engine_check_limits(e);
	}
	sim_worklist_clear(&e->later);
	e->depth = depth;
}

/* true: run the call now, then leave(); false: it waits its turn. */
static inline bool enter(struct sim_engine *e, enum sim_op_kind kind, uint32_t to,
			 struct sim_item *it, unsigned reason)
{
	if (__builtin_expect(e->depth < ENGINE_NEST, 1)) {
		e->depth++;
		return true;
	}
	defer(e, kind, to, it, reason);
	return false;
}

static inline void leave(struct sim_engine *e)
{
	e->depth--;
	if (__builtin_expect(e->later.len != 0, 0))
		drain(e);
}

static inline void send_now(struct sim_engine *e, uint32_t to, struct sim_item *it)
{
	struct sim_ctx *t = &e->ctx[to];
	it->at = to;
	t->ops->receive(t, t->state, it);
}

void sim_send(struct sim_ctx *ctx, uint32_t to, struct sim_item *item)
{
	struct sim_engine *e = ctx->eng;
	if (enter(e, SIM_OP_SEND, to, item, 0)) {
		send_now(e, to, item);
		leave(e);
	}
}

struct sim_item *sim_pull(struct sim_ctx *ctx, uint32_t from)
{
	struct sim_ctx *s = &ctx->eng->ctx[from];
	ctx->hungry = false;	/* work that arrives during the pull is found by it */
	struct sim_item *it = s->ops->pull(s, s->state);
	ctx->hungry = !it;
	if (it)
		it->at = ctx->self;
	return it;
}

struct sim_item *sim_pull_more(struct sim_ctx *ctx, uint32_t from, const struct sim_item *head,
			       bool same_key)
{
	struct sim_ctx *s = &ctx->eng->ctx[from];
	if (!s->ops->pull_more)
		return sim_pull(ctx, from);
	ctx->hungry = false;
	struct sim_item *it = s->ops->pull_more(s, s->state, head, same_key);
	ctx->hungry = !it;
	return it;
}

void sim_release(struct sim_ctx *ctx, uint32_t from, struct sim_item *item)
{
	struct sim_ctx *s = &ctx->eng->ctx[from];
	if (s->ops->release)
		s->ops->release(s, s->state, item);
}

void sim_consumers(struct sim_ctx *ctx, uint32_t from, uint64_t n)
{
	struct sim_ctx *s = &ctx->eng->ctx[from];
	if (s->ops->consumers)
		s->ops->consumers(s, s->state, n);
}

/* Only consumers that found the buffer empty wait for work: the others
 * are full, and pull again themselves when they have room. */
void sim_wake(struct sim_ctx *ctx)
{
	const struct sim_component *c = ctx->comp;
	for (size_t i = 0; i < c->nconsumers; i++) {
		struct sim_ctx *t = &ctx->eng->ctx[c->consumers[i]];
		if (t->hungry)
			t->ops->ready(t, t->state);
	}
}

static void tell(struct sim_engine *e, uint32_t who, struct sim_item *it,
		 enum sim_outcome out, const struct sim_reason_desc *why)
{
	struct sim_ctx *t = &e->ctx[who];
	if (t->ops->notify)
		t->ops->notify(t, t->state, it, out, why);
}

static inline void settle(struct sim_engine *e, struct sim_item *it, enum sim_outcome out,
			  const struct sim_reason_desc *why)
{
	tell(e, it->origin, it, out, why);
	if (it->reply != SIM_NONE && it->reply != it->origin)
		tell(e, it->reply, it, out, why);
	sim_item_pool_put(&e->pool, it);
}

/* A call item's path ended: it is settled as an item of its caller's,
 * and the caller hears of it with its own item (sim/calls.c). */
static __attribute__((noinline, cold)) void call_ended(struct sim_engine *e, struct sim_item *c,
							enum sim_outcome out,
							const struct sim_reason_desc *why)
{
	struct sim_item *parent;
	uint32_t caller = sim_call_detach(c, &parent);
	settle(e, c, out, why);
	sim_call_answer(e, caller, parent, out == SIM_OUT_COMPLETED ? SIM_CALL_OK : SIM_CALL_FAILED);
}

/* Class and source statistics count the work sources create (requests,
 * events), not the attempts a client makes for them. */
static inline __attribute__((always_inline)) void complete_now(struct sim_engine *e, struct sim_item *it)
{
	const struct sim_ctx *o = &e->ctx[it->origin];
	if (o->src) {
		sim_count_add(&e->cls[it->cls].completed, 1);
		sim_count_add(&o->src->completed, 1);
		sim_sojourn_add(&e->soj, o->src_index, it->cls, e->now - it->created_s);
	} else {
		e->completed[it->origin]++;
	}
	if (__builtin_expect(it->flags & SIM_ITEM_CALL, 0))
		call_ended(e, it, SIM_OUT_COMPLETED, NULL);
	else
		settle(e, it, SIM_OUT_COMPLETED, NULL);
}

/* by drops it for its reason number reason (sim/describe.h) */
static void drop_now(struct sim_engine *e, struct sim_item *it, struct sim_ctx *by, unsigned reason)
{
	const struct sim_reason_desc *why = &by->ops->reasons[reason];
	sim_count_add(&by->drops[reason], 1);
	if (it->caller != SIM_NONE && !(it->flags & SIM_ITEM_CALL)) {
		struct sim_ctx *c = &e->ctx[it->caller];
		it->caller = SIM_NONE;
		c->ops->returned(c, c->state, it, SIM_CALL_DROPPED);
	}
	struct sim_source_stats *src = e->ctx[it->origin].src;
	if (src) {
		sim_count_add(&e->cls[it->cls].dropped, 1);
		sim_count_add(&src->dropped, 1);
	} else {
		e->dropped[it->origin]++;
	}
	if (it->flags & SIM_ITEM_CALL)
		call_ended(e, it, SIM_OUT_DROPPED, why);
	else
		settle(e, it, SIM_OUT_DROPPED, why);
}

static void return_now(struct sim_engine *e, uint32_t caller, struct sim_item *it)
{
	struct sim_ctx *c = &e->ctx[caller];
	it->at = caller;
	c->ops->returned(c, c->state, it, SIM_CALL_OK);
}

static void run_op(struct sim_engine *e, const struct sim_op *op)
{
	switch ((enum sim_op_kind)op->kind) {
	case SIM_OP_SEND:
		send_now(e, op->to, op->item);
		break;
	case SIM_OP_COMPLETE:
		complete_now(e, op->item);
		break;
	case SIM_OP_DROP:
		drop_now(e, op->item, &e->ctx[op->to], op->reason);
		break;
	case SIM_OP_RETURN:
		return_now(e, op->to, op->item);
		break;
	}
}

void sim_complete(struct sim_ctx *ctx, struct sim_item *it)
{
	struct sim_engine *e = ctx->eng;
	if (enter(e, SIM_OP_COMPLETE, 0, it, 0)) {
		complete_now(e, it);
		leave(e);
	}
}

void sim_drop(struct sim_ctx *ctx, struct sim_item *it, unsigned reason)
{
	struct sim_engine *e = ctx->eng;
	assert(ctx->ops->reasons && reason < ctx->nreasons);
	if (enter(e, SIM_OP_DROP, ctx->self, it, reason)) {
		drop_now(e, it, ctx, reason);
		leave(e);
	}
}

void sim_accepted(struct sim_ctx *ctx, struct sim_item *it)
{
	if (it->reply == SIM_NONE)
		return;
	uint32_t who = it->reply;
	it->reply = SIM_NONE;
	if (it->flags & SIM_ITEM_CALL) {	/* the call succeeds now */
		struct sim_item *parent;
		uint32_t caller = sim_call_detach(it, &parent);
		sim_call_answer(ctx->eng, caller, parent, SIM_CALL_OK);
		return;
	}
	tell(ctx->eng, who, it, SIM_OUT_ACCEPTED, NULL);
}

void sim_block(struct sim_ctx *ctx, struct sim_item *it)
{
	struct sim_ctx *s = &ctx->eng->ctx[it->root];
	if (s->ops->blocked)
		s->ops->blocked(s, s->state, true);
}

void sim_unblock(struct sim_ctx *ctx, struct sim_item *it)
{
	struct sim_engine *e = ctx->eng;
	struct sim_ctx *root = &e->ctx[it->root];
	if (root->ops->blocked &&
	    !sim_calendar_push(root->cal, e->now, ENGINE_COMP, EV_UNBLOCK + it->root, NULL))
		sim_engine_stop(e, "out of memory for the event calendar");
}

/* The caller is forgotten at once: a call on its way back is over for
 * the callee (a database's timeout no longer finds it). */
void sim_return(struct sim_ctx *ctx, struct sim_item *it)
{
	struct sim_engine *e = ctx->eng;
	uint32_t caller = it->caller;
	if (caller == SIM_NONE || (it->flags & SIM_ITEM_CALL)) {
		/* sent, not called, or a call item: its path ends here */
		sim_complete(ctx, it);
		return;
	}
	it->caller = SIM_NONE;
	if (enter(e, SIM_OP_RETURN, caller, it, 0)) {
		return_now(e, caller, it);
		leave(e);
	}
}

void sim_stop(struct sim_ctx *ctx, const char *why)
{
	sim_engine_stop(ctx->eng, why);
}

/* ---- engine events ------------------------------------------------------ */

/* A row of the time series (sim/probes.c), then the next sample. */
static void sample(struct sim_engine *e)
{
	double *row = sim_series_row(&e->series, e->now);
	if (!row) {
		sim_engine_stop(e, sim_series_why(&e->series));
		return;
	}
	sim_probes_row(e, row);
	e->nsamples++;
	double next = (double)(e->nsamples + 1) * e->sc->sample;
	if (e->now < e->end) {
		if (next > e->end || e->end - next < 1e-9 * e->sc->sample)
			next = e->end;
		if (!sim_calendar_push(&e->cal, next, ENGINE_COMP, EV_SAMPLE, NULL))
			sim_engine_stop(e, "out of memory for the event calendar");
	}
	sim_parts_sampled(e);
}

static void warmup(struct sim_engine *e)
{
	for (size_t i = 0; i < e->counts.n; i++) {
		struct sim_count *c = e->counts.v[i];
		c->at_warmup = c->n;
	}
	for (size_t i = 0; i < e->levels.n; i++)
		sim_level_warmup(e->levels.v[i], e->now);
	for (size_t i = 0; i < e->hists.n; i++)
		sim_hist_reset(e->hists.v[i]);
	sim_sojourn_warmup(&e->soj);
	for (size_t i = 0; i < e->n; i++)
		e->created_warm[i] = e->created[i];
}

void sim_engine_own_event(struct sim_engine *e, uint32_t kind)
{
	if (kind == EV_SAMPLE) {
		sample(e);
	} else if (kind == EV_WARMUP) {
		warmup(e);
	} else {
		struct sim_ctx *c = &e->ctx[kind - EV_UNBLOCK];
		c->ops->blocked(c, c->state, false);
	}
}

/* One event of the one calendar; false when none is left before until,
 * or the parts have just gone apart (at a sample). */
static inline bool step(struct sim_engine *e)
{
	const struct sim_event *ev;
	if (e->stopping || e->parts || !(ev = sim_calendar_pop_until(&e->cal, e->until)))
		return false;
	sim_engine_dispatch(e, ev);
	return true;
}

bool sim_engine_step(struct sim_engine *e)
{
	return e->parts ? sim_parts_step(e) : step(e);
}

void sim_engine_run_until(struct sim_engine *e, double t)
{
	e->until = t < e->end ? t : e->end;
	for (;;) {
		if (e->parts && !sim_parts_run(e))
			break;	/* done, the parts apart */
		while (step(e))
			;
		if (!e->parts)
			break;	/* done in one calendar; else a sample parted them */
	}
	e->until = e->end;
}
