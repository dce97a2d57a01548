/* summary.c - the end-of-run summary of one replication: each
 * component's own finish, the classes, and the conservation check.
 *
 * Invariant: the summary reads the run's statistics and changes none but
 * the sojourns' finish; what it writes depends only on the run, so equal
 * runs give equal trees.  Measures of the scenario's report (recovery)
 * are not the engine's: the caller adds them (sim/runner.c).
 */
#include <math.h>

#include "sim/engine_private.h"

void sim_json_hist(struct sim_json *parent, const char *key, const struct sim_hist *h)
{
	struct sim_json *o = sim_json_obj(parent, key);
	sim_json_num(o, "mean", sim_hist_mean(h));
	sim_json_num(o, "p50", sim_hist_quantile(h, 0.50));
	sim_json_num(o, "p95", sim_hist_quantile(h, 0.95));
	sim_json_num(o, "p99", sim_hist_quantile(h, 0.99));
	sim_json_num(o, "max", h->n ? h->max : NAN);
}

static void components(struct sim_engine *e, struct sim_json *body)
{
	struct sim_json *comps = sim_json_obj(body, "components");
	for (size_t i = 0; i < e->n; i++) {
		struct sim_ctx *c = &e->ctx[i];
		struct sim_json *o = sim_json_obj(comps, c->comp->name);
		sim_json_str(o, "kind", c->ops->name);
		c->ops->finish(c, c->state, o);
	}
}

/* The share of a class's finished items that were served (completed,
 * not dropped), and the p99 of its time in system counting each dropped
 * item as never served, slower than any: the p99 of the served at rank
 * 0.99 (served + dropped), null (infinite) when over 1% were dropped. */
static void served(struct sim_json *o, const struct sim_hist *h, uint64_t dropped)
{
	double all = (double)h->n + (double)dropped;
	sim_json_num(o, "served_share", all > 0 ? (double)h->n / all : NAN);
	double q = h->n ? 0.99 * all / (double)h->n : INFINITY;
	if (q <= 1)
		sim_json_num(o, "p99_with_failures_s", sim_hist_quantile(h, q));
	else
		sim_json_null(o, "p99_with_failures_s");
}

static void classes(const struct sim_engine *e, struct sim_json *body)
{
	const struct sim_scenario *sc = e->sc;
	struct sim_json *classes = sim_json_obj(body, "classes");
	for (size_t k = 0; k < sc->nclasses; k++) {
		struct sim_json *o = sim_json_obj(classes, sc->classes[k].name);
		sim_json_num(o, "priority", sc->classes[k].priority);
		sim_json_num(o, "completed", (double)sim_count_value(&e->cls[k].completed));
		sim_json_num(o, "dropped", (double)sim_count_value(&e->cls[k].dropped));
		sim_json_hist(o, "sojourn_s", e->soj.cls[k].all);
		served(o, e->soj.cls[k].all, sim_count_value(&e->cls[k].dropped));
	}
}

/* Conservation over the whole run, warm-up included: every item a
 * producer created is completed, dropped or still in the system.  What
 * each component's items still alive come to (never below 0: none ended
 * twice) must be what the pool has handed out and not had back. */
static void conservation(const struct sim_engine *e, struct sim_json *body)
{
	uint64_t created = 0, completed = 0, dropped = 0;
	int64_t inflight = 0, all_live = 0;
	bool ok = true;
	for (size_t i = 0; i < e->n; i++) {
		const struct sim_source_stats *src = e->ctx[i].src;
		uint64_t done = src ? src->completed.n : e->completed[i];
		uint64_t lost = src ? src->dropped.n : e->dropped[i];
		int64_t live = (int64_t)e->created[i] - (int64_t)(done + lost);
		all_live += live;
		ok = ok && live >= 0;
		if (!src)
			continue;
		created += e->created[i];
		completed += done;
		dropped += lost;
		inflight += live;
	}
	ok = ok && all_live == (int64_t)e->pool.live;
	struct sim_json *cons = sim_json_obj(body, "conservation");
	sim_json_num(cons, "created", (double)created);
	sim_json_num(cons, "completed", (double)completed);
	sim_json_num(cons, "dropped", (double)dropped);
	sim_json_num(cons, "in_flight", (double)inflight);
	sim_json_bool(cons, "ok", ok);
}

void sim_engine_summarise(struct sim_engine *e, struct sim_json *body)
{
	sim_sojourn_finish(&e->soj);
	/* the simulated time reached: duration_s, or less if stopped */
	sim_json_num(body, "simulated_s", e->now);
	components(e, body);
	classes(e, body);
	conservation(e, body);
}
