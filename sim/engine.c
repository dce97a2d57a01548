/* engine.c - the event loop, and the calls models make on its hot path
 * (scheduling, items); the other services are in services.c.
 *
 * Invariants: the clock never goes back; every item handed out is either
 * held by a component (or an event) or has been counted exactly once as
 * completed or dropped (checked at the end: the conservation block); the
 * event loop allocates nothing in steady state and does no I/O.
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
#include <stdlib.h>
#include <time.h>

#include "sim/engine_private.h"
#include "sim/rng.h"

/* Calls handing items on that nest on the C stack; no example comes
 * close (they nest a handful deep), so their order is as if all nested. */
#define ENGINE_NEST 32
/* Operations waiting at once; each holds a live item (see worklist.h). */
#define ENGINE_WORK_MAX ((size_t)1 << 24)

static double wall_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int sim_engine_push_ptr(struct ptrvec *pv, void *p)
{
	if (pv->n == pv->cap) {
		size_t cap = pv->cap ? 2 * pv->cap : 16;
		void **v = realloc(pv->v, cap * sizeof *v);
		if (!v)
			return -1;
		pv->v = v;
		pv->cap = cap;
	}
	pv->v[pv->n++] = p;
	return 0;
}

static void stop(struct sim_engine *e, const char *why)
{
	if (e->stopping)
		return;
	e->stopping = true;
	snprintf(e->why, sizeof e->why, "%s", why);
}

/* ---- calendar and items for models -------------------------------------- */

sim_handle sim_schedule_at(struct sim_ctx *ctx, double t, uint32_t kind,
			   struct sim_item *item)
{
	struct sim_engine *e = ctx->eng;
	if (t < e->now)
		t = e->now;
	sim_handle h = sim_calendar_push(&e->cal, t, ctx->self, kind, item);
	if (!h)
		stop(e, "out of memory for the event calendar");
	return h;
}

sim_handle sim_schedule(struct sim_ctx *ctx, double delay_s, uint32_t kind,
			struct sim_item *item)
{
	return sim_schedule_at(ctx, ctx->eng->now + delay_s, kind, item);
}

bool sim_cancel(struct sim_ctx *ctx, sim_handle h)
{
	return sim_calendar_cancel(&ctx->eng->cal, h);
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
	stop(e, why);
	return NULL;
}

struct sim_item *sim_item_new(struct sim_ctx *ctx, uint16_t cls)
{
	struct sim_item *it = sim_item_pool_take(&ctx->eng->pool);
	return it ? fill(ctx, it, cls) : item_new_slow(ctx, cls);
}

/* ---- calls that hand items on ------------------------------------------ */

static void check_limits(struct sim_engine *e);
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
	stop(e, why);
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
			check_limits(e);
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
	if (e->ctx[it->root].ops->blocked &&
	    !sim_calendar_push(&e->cal, e->now, ENGINE_COMP, EV_UNBLOCK + it->root, NULL))
		stop(e, "out of memory for the event calendar");
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
	stop(ctx->eng, why);
}

/* ---- engine events ------------------------------------------------------ */

/* A row of the time series (sim/probes.c), then the next sample. */
static void sample(struct sim_engine *e)
{
	double *row = sim_series_row(&e->series, e->now);
	if (!row) {
		stop(e, sim_series_why(&e->series));
		return;
	}
	sim_probes_row(e, row);
	e->nsamples++;
	double next = (double)(e->nsamples + 1) * e->sc->sample;
	if (e->now < e->end) {
		if (next > e->end || e->end - next < 1e-9 * e->sc->sample)
			next = e->end;
		if (!sim_calendar_push(&e->cal, next, ENGINE_COMP, EV_SAMPLE, NULL))
			stop(e, "out of memory for the event calendar");
	}
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

/* ---- life cycle --------------------------------------------------------- */

/* Each component's context and zeroed state; -1 when out of memory. */
static int init_ctxs(struct sim_engine *e)
{
	for (size_t i = 0; i < e->n; i++) {
		struct sim_ctx *c = &e->ctx[i];
		c->eng = e;
		c->self = (uint32_t)i;
		c->comp = &e->sc->comps[i];
		c->ops = c->comp->ops;
		for (const struct sim_reason_desc *r = c->ops->reasons; r && r->name; r++)
			c->nreasons++;
		assert(c->nreasons <= UINT8_MAX);	/* the work list keeps a byte */
		c->hungry = true;
		if (c->ops->cancels && c->ops->cancels(c->comp->conf))
			e->cancels = true;
		c->state = calloc(1, c->ops->state_size ? c->ops->state_size : 1);
		c->drops = calloc(c->nreasons + 1, sizeof *c->drops);
		if (!c->state || !c->drops)
			return -1;
	}
	return 0;
}

/* The statistics of the sources' work, and the sojourns that use them;
 * -1 when out of memory. */
static int init_sources(struct sim_engine *e)
{
	struct ptrvec src_hist = { 0 };
	for (size_t i = 0; i < e->n; i++) {
		struct sim_ctx *c = &e->ctx[i];
		if (!(c->ops->flags & SIM_MODEL_SOURCE))
			continue;
		c->src = malloc(sizeof *c->src);
		if (!c->src)
			goto fail;
		c->src_index = src_hist.n;
		c->src->completed = (struct sim_count){ 0 };
		c->src->dropped = (struct sim_count){ 0 };
		if (sim_engine_push_ptr(&src_hist, &c->src->sojourn) < 0 ||
		    sim_engine_push_ptr(&e->counts, &c->src->completed) < 0 ||
		    sim_engine_push_ptr(&e->counts, &c->src->dropped) < 0)
			goto fail;
	}
	int rc = sim_sojourn_init(&e->soj, e->sc->nclasses, src_hist.n,
				  (struct sim_hist *const *)src_hist.v);
	free(src_hist.v);
	return rc;
fail:
	free(src_hist.v);
	return -1;
}

struct sim_engine *sim_engine_new(const struct sim_scenario *sc, unsigned rep,
				  const struct sim_limits *limits)
{
	struct sim_engine *e = calloc(1, sizeof *e);
	if (!e)
		return NULL;
	e->sc = sc;
	e->rep = rep;
	e->end = e->until = sc->duration;
	if (limits)
		e->limits = *limits;
	e->wall_start = wall_now();
	sim_series_init(&e->series);
	e->series.sink = e->limits.sink;
	sim_item_pool_init(&e->pool, e->limits.max_items);
	sim_worklist_init(&e->later, ENGINE_WORK_MAX);
	e->n = sc->ncomps;
	if (sim_calendar_init(&e->cal) < 0)
		goto fail;
	e->ctx = calloc(e->n, sizeof *e->ctx);
	e->created = calloc(e->n, sizeof *e->created);
	e->created_warm = calloc(e->n, sizeof *e->created_warm);
	e->completed = calloc(e->n, sizeof *e->completed);
	e->dropped = calloc(e->n, sizeof *e->dropped);
	e->cls = calloc(sc->nclasses, sizeof *e->cls);
	if (!e->ctx || !e->created || !e->created_warm || !e->completed || !e->dropped || !e->cls)
		goto fail;
	if (init_ctxs(e) < 0 || init_sources(e) < 0)
		goto fail;
	for (size_t i = 0; i < e->n; i++) {
		struct sim_ctx *c = &e->ctx[i];
		if (c->ops->init(c, c->state, c->comp->conf) < 0)
			goto fail;
	}
	/* the class columns follow the components', then the drops by reason */
	if (sim_probes_classes(e) < 0 || sim_probes_drops(e) < 0)
		goto fail;
	if (sc->warmup > 0 && !sim_calendar_push(&e->cal, sc->warmup, ENGINE_COMP, EV_WARMUP, NULL))
		goto fail;
	double first = sc->sample < sc->duration ? sc->sample : sc->duration;
	if (!sim_calendar_push(&e->cal, first, ENGINE_COMP, EV_SAMPLE, NULL))
		goto fail;
	for (size_t i = 0; i < e->n; i++) {
		struct sim_ctx *c = &e->ctx[i];
		if (c->ops->start)
			c->ops->start(c, c->state);
	}
	return e;
fail:
	sim_engine_free(e);
	return NULL;
}

void sim_engine_free(struct sim_engine *e)
{
	if (!e)
		return;
	for (size_t i = 0; e->ctx && i < e->n; i++) {
		struct sim_ctx *c = &e->ctx[i];
		if (c->state && c->ops->fini)
			c->ops->fini(c->state);
		free(c->state);
		free(c->drops);
		free(c->src);
		for (size_t k = 0; k < c->nrngs; k++)
			gsl_rng_free(c->rngs[k]);
		free(c->rngs);
	}
	sim_sojourn_fini(&e->soj);
	free(e->cls);
	free(e->ctx);
	free(e->created);
	free(e->created_warm);
	free(e->completed);
	free(e->dropped);
	free(e->counts.v);
	free(e->levels.v);
	free(e->hists.v);
	free(e->probes);
	sim_series_fini(&e->series);
	sim_calendar_fini(&e->cal);
	sim_worklist_fini(&e->later);
	sim_item_pool_fini(&e->pool);
	free(e);
}

const struct sim_series *sim_engine_series(const struct sim_engine *e)
{
	return &e->series;
}

double sim_engine_now(const struct sim_engine *e)
{
	return e->now;
}

static void check_limits(struct sim_engine *e)
{
	char why[256];
	if (e->limits.progress)
		atomic_store_explicit(e->limits.progress, e->now / e->end, memory_order_relaxed);
	if (e->limits.interrupt && *e->limits.interrupt) {
		snprintf(why, sizeof why, "interrupted at t = %.6g s", e->now);
		stop(e, why);
	} else if (e->limits.max_events && e->events + e->ops >= e->limits.max_events) {
		/* operations run from the work list count: without them one
		 * event could run for ever */
		snprintf(why, sizeof why,
			 "event limit reached: %llu events at t = %.6g s (raise it with limits: {max_events: N})",
			 (unsigned long long)(e->events + e->ops), e->now);
		stop(e, why);
	} else if (e->limits.max_wall_s > 0 && wall_now() - e->wall_start > e->limits.max_wall_s) {
		snprintf(why, sizeof why,
			 "wall-clock limit reached: %.6g s of real time at t = %.6g s (raise it with limits: {max_wall: D})",
			 e->limits.max_wall_s, e->now);
		stop(e, why);
	}
}

bool sim_engine_step(struct sim_engine *e)
{
	const struct sim_event *ev;
	if (e->stopping || !(ev = sim_calendar_pop_until(&e->cal, e->until)))
		return false;
	/* ev is valid until the next push: what the handlers need of it is
	 * passed to them by value */
	e->now = ev->time;
	e->events++;
	uint32_t comp = ev->comp, kind = ev->kind;
	if (comp == ENGINE_COMP) {
		if (kind == EV_SAMPLE) {
			sample(e);
		} else if (kind == EV_WARMUP) {
			warmup(e);
		} else {
			struct sim_ctx *c = &e->ctx[kind - EV_UNBLOCK];
			c->ops->blocked(c, c->state, false);
		}
	} else {
		struct sim_ctx *c = &e->ctx[comp];
		c->ops->handle(c, c->state, kind, ev->item);
	}
	if ((e->events & 0x3fff) == 0)
		check_limits(e);
	return true;
}

void sim_engine_run_until(struct sim_engine *e, double t)
{
	e->until = t < e->end ? t : e->end;
	while (sim_engine_step(e))
		;
	e->until = e->end;
}

int sim_engine_run(struct sim_engine *e, struct sim_result *out)
{
	*out = (struct sim_result){ 0 };
	sim_engine_run_until(e, e->end);
	if (!e->stopping)
		e->now = e->end;
	out->body = sim_json_new_obj();
	if (!out->body)
		return -1;
	sim_engine_summarise(e, out->body);
	if (sim_json_failed(out->body)) {
		sim_json_free(out->body);
		out->body = NULL;
		return -1;
	}
	struct sim_json *ok = sim_json_get(out->body, "conservation", "ok", NULL);
	out->conserved = ok && ok->b;
	out->series = e->series;
	sim_series_init(&e->series);
	out->events = e->events;
	out->end_s = e->now;
	out->complete = !e->stopping;
	snprintf(out->why, sizeof out->why, "%s", e->why);
	out->wall_s = wall_now() - e->wall_start;
	return 0;
}

void sim_result_fini(struct sim_result *r)
{
	sim_json_free(r->body);
	sim_series_fini(&r->series);
	*r = (struct sim_result){ 0 };
}
