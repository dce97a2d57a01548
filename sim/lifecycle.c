/* lifecycle.c - an engine's life: it is made (every component's context,
 * state and statistics, then each model's init and start), checked for
 * its run's limits while it runs, stopped, summed up and freed.  The
 * event loop and the calls models make on it are in engine.c.
 *
 * Invariant: a half-made engine is freed by sim_engine_free like a whole
 * one (every pointer it holds is NULL or its own).
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sim/engine_private.h"

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

/* pv holds no room past its pointers (it doubles as it grows). */
static void fit_ptrs(struct ptrvec *pv)
{
	void **v = pv->n && pv->n < pv->cap ? realloc(pv->v, pv->n * sizeof *v) : NULL;
	if (v) {
		pv->v = v;
		pv->cap = pv->n;
	}
}

void sim_engine_stop(struct sim_engine *e, const char *why)
{
	if (e->stopping)
		return;
	e->stopping = true;
	snprintf(e->why, sizeof e->why, "%s", why);
}

/* ---- life cycle --------------------------------------------------------- */

/* Each component's context and zeroed state; -1 when out of memory. */
static int init_ctxs(struct sim_engine *e)
{
	for (size_t i = 0; i < e->n; i++) {
		struct sim_ctx *c = &e->ctx[i];
		c->eng = e;
		c->cal = &e->cal;
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

/* Of a model in parts, the classes' sojourns summed part by part, so that
 * the parts may run apart (sim/sojourn.h); too many parts and classes for
 * that, they run as one.  -1 when out of memory. */
static int init_part_sums(struct sim_engine *e)
{
	size_t np = e->sc->nparts, nsrc = e->soj.nsrc;
	if (np < 2 || !e->sc->part_of)
		return 0;
	if (np * e->sc->nclasses > SIM_SOJOURN_MAX_PART_SUMS) {
		e->one_part = true;
		return 0;
	}
	uint32_t *part = malloc((nsrc ? nsrc : 1) * sizeof *part);
	if (!part)
		return -1;
	for (size_t i = 0; i < e->n; i++)
		if (e->ctx[i].src)
			part[e->ctx[i].src_index] = e->sc->part_of[i];
	int rc = sim_sojourn_parts(&e->soj, np, part);
	free(part);
	return rc;
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
		c->src = calloc(1, sizeof *c->src);
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
	return rc < 0 ? -1 : init_part_sums(e);
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
	sim_probes_fit(e);
	fit_ptrs(&e->counts);
	fit_ptrs(&e->levels);
	fit_ptrs(&e->hists);
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
	if (sim_parts_split(e) < 0)
		goto fail;
	return e;
fail:
	sim_engine_free(e);
	return NULL;
}

void sim_engine_free(struct sim_engine *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->hists.n; i++)	/* in the states freed below */
		sim_hist_fini(e->hists.v[i]);
	sim_probes_fini_hists(e);
	for (size_t i = 0; e->ctx && i < e->n; i++) {
		struct sim_ctx *c = &e->ctx[i];
		if (c->state && c->ops->fini)
			c->ops->fini(c->state);
		free(c->state);
		free(c->drops);
		if (c->src)
			sim_hist_fini(&c->src->sojourn);
		free(c->src);
		for (size_t k = 0; k < c->nrngs; k++)
			sim_rng_free(c->rngs[k]);
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
	sim_parts_fini(e);
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

void sim_engine_check_limits(struct sim_engine *e)
{
	char why[256];
	if (e->limits.progress)
		atomic_store_explicit(e->limits.progress, e->now / e->end, memory_order_relaxed);
	if (e->limits.interrupt && *e->limits.interrupt) {
		snprintf(why, sizeof why, "interrupted at t = %.6g s", e->now);
		sim_engine_stop(e, why);
	} else if (e->limits.max_events && e->events + e->ops >= e->limits.max_events) {
		/* operations run from the work list count: without them one
		 * event could run for ever */
		snprintf(why, sizeof why,
			 "event limit reached: %llu events at t = %.6g s (raise it with limits: {max_events: N})",
			 (unsigned long long)(e->events + e->ops), e->now);
		sim_engine_stop(e, why);
	} else if (e->limits.max_wall_s > 0 && wall_now() - e->wall_start > e->limits.max_wall_s) {
		snprintf(why, sizeof why,
			 "wall-clock limit reached: %.6g s of real time at t = %.6g s (raise it with limits: {max_wall: D})",
			 e->limits.max_wall_s, e->now);
		sim_engine_stop(e, why);
	}
}

int sim_engine_run(struct sim_engine *e, struct sim_result *out)
{
	*out = (struct sim_result){ 0 };
	sim_engine_run_until(e, e->end);
	if (!e->stopping)
		e->now = e->end;
	sim_probes_release(e);
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
