/* probes.c - the time series of a run: the probes models and classes
 * register, the signals models read back, and the values of a sample.
 *
 * Invariant: probe i makes column i of the engine's series; columns are
 * all named before the run begins, so every row has them all.  Sampling
 * runs once per sample interval, never per event (the sample event
 * itself is the engine's).
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "sim/columns.h"
#include "sim/engine_private.h"
#include "sim/ring.h"

enum probe_kind { P_COUNT, P_LEVEL, P_LEVEL_MEAN, P_LEVEL_RATIO, P_FN, P_P99, P_CLASS_P99 };

/* 48 bytes: a wide model has a probe for every one of its columns. */
struct sim_probe {
	enum probe_kind kind;
	uint32_t owner;		/* its component; SIM_NONE: a class's */
	const void *ptr;
	union {
		const void *den;	/* P_LEVEL_RATIO: the level dividing ptr's */
		sim_gauge_fn *fn;	/* P_FN */
		size_t cls;		/* P_CLASS_P99 */
	};
	double last;
	union {
		struct {
			double scale, last_t;	/* P_LEVEL_MEAN */
		};
		double last_den;	/* P_LEVEL_RATIO */
	};
};

static int add_probe(struct sim_engine *e, uint32_t comp, const char *owner, const char *metric,
		     struct sim_probe p)
{
	p.owner = comp;
	char name[256];
	snprintf(name, sizeof name, "%s.%s", owner, metric);
	void *v = e->probes;
	if (e->nprobes == e->cap_probes &&
	    sim_array_grow(&v, e->nprobes, &e->cap_probes, sizeof *e->probes, 16) < 0)
		return -1;
	e->probes = v;
	if (sim_series_add_col(&e->series, name) < 0)
		return -1;
	e->probes[e->nprobes++] = p;
	return 0;
}

int sim_probe_count(struct sim_ctx *ctx, const char *metric, const struct sim_count *c)
{
	assert(sim_describe_column(ctx->ops, metric));
	return add_probe(ctx->eng, ctx->self, ctx->comp->name, metric,
			 (struct sim_probe){ .kind = P_COUNT, .ptr = c });
}

int sim_probe_level(struct sim_ctx *ctx, const char *metric, const struct sim_level *l)
{
	assert(sim_describe_column(ctx->ops, metric));
	return add_probe(ctx->eng, ctx->self, ctx->comp->name, metric,
			 (struct sim_probe){ .kind = P_LEVEL, .ptr = l });
}

int sim_probe_level_mean(struct sim_ctx *ctx, const char *metric, const struct sim_level *l,
			 double scale)
{
	assert(sim_describe_column(ctx->ops, metric));
	return add_probe(ctx->eng, ctx->self, ctx->comp->name, metric,
			 (struct sim_probe){ .kind = P_LEVEL_MEAN, .ptr = l, .scale = scale });
}

int sim_probe_level_ratio(struct sim_ctx *ctx, const char *metric, const struct sim_level *num,
			  const struct sim_level *den)
{
	assert(sim_describe_column(ctx->ops, metric));
	return add_probe(ctx->eng, ctx->self, ctx->comp->name, metric,
			 (struct sim_probe){ .kind = P_LEVEL_RATIO, .ptr = num, .den = den });
}

int sim_probe_fn(struct sim_ctx *ctx, const char *metric, sim_gauge_fn *fn,
		 const void *state)
{
	assert(sim_describe_column(ctx->ops, metric));
	return add_probe(ctx->eng, ctx->self, ctx->comp->name, metric,
			 (struct sim_probe){ .kind = P_FN, .fn = fn, .ptr = state });
}

int sim_probe_p99(struct sim_ctx *ctx, const char *metric, struct sim_hist *h)
{
	assert(sim_describe_column(ctx->ops, metric));
	if (sim_hist_init(h) < 0)
		return -1;
	if (add_probe(ctx->eng, ctx->self, ctx->comp->name, metric,
		      (struct sim_probe){ .kind = P_P99, .ptr = h }) < 0) {
		sim_hist_fini(h);
		return -1;
	}
	return 0;
}

void sim_probes_fini_hists(struct sim_engine *e)
{
	for (size_t i = 0; i < e->nprobes; i++)
		if (e->probes[i].kind == P_P99)
			sim_hist_fini((struct sim_hist *)e->probes[i].ptr);
}

int sim_probes_classes(struct sim_engine *e)
{
	const struct sim_scenario *sc = e->sc;
	for (size_t k = 0; k < sc->nclasses; k++) {
		struct class_stats *cs = &e->cls[k];
		char owner[128];
		snprintf(owner, sizeof owner, "class:%s", sc->classes[k].name);
		if (sim_engine_push_ptr(&e->counts, &cs->completed) < 0 ||
		    sim_engine_push_ptr(&e->counts, &cs->dropped) < 0 ||
		    add_probe(e, SIM_NONE, owner, sim_class_columns[0], (struct sim_probe){ .kind = P_COUNT, .ptr = &cs->completed }) < 0 ||
		    add_probe(e, SIM_NONE, owner, sim_class_columns[1], (struct sim_probe){ .kind = P_COUNT, .ptr = &cs->dropped }) < 0 ||
		    add_probe(e, SIM_NONE, owner, sim_class_columns[2], (struct sim_probe){ .kind = P_CLASS_P99, .cls = k }) < 0)
			return -1;
	}
	return 0;
}

int sim_probes_drops(struct sim_engine *e)
{
	for (size_t i = 0; i < e->n; i++) {
		const struct sim_ctx *c = &e->ctx[i];
		for (unsigned r = 0; r < c->nreasons; r++) {
			char metric[128];
			sim_columns_drop_metric(metric, sizeof metric, c->ops->reasons[r].name);
			if (add_probe(e, c->self, c->comp->name, metric, (struct sim_probe){ .kind = P_COUNT, .ptr = &c->drops[r] }) < 0)
				return -1;
		}
	}
	return 0;
}

void sim_probes_fit(struct sim_engine *e)
{
	if (e->nprobes && e->nprobes < e->cap_probes) {
		struct sim_probe *p = realloc(e->probes, e->nprobes * sizeof *p);
		if (p) {
			e->probes = p;
			e->cap_probes = e->nprobes;
		}
	}
	sim_series_fit(&e->series);
}

void sim_probes_release(struct sim_engine *e)
{
	sim_probes_fini_hists(e);
	free(e->probes);
	e->probes = NULL;
	e->nprobes = e->cap_probes = 0;
}

int sim_signal_find(struct sim_ctx *ctx, const char *column)
{
	struct sim_engine *e = ctx->eng;
	int c = sim_series_find(&e->series, column);
	if (c < 0)
		return -1;
	enum probe_kind k = e->probes[c].kind;
	if (k != P_LEVEL && k != P_FN)
		return -2;
	/* read across parts, the parts act on each other: they run as one */
	uint32_t owner = e->probes[c].owner;
	const uint32_t *part = e->sc->part_of;
	if (part && (owner == SIM_NONE || part[owner] != part[ctx->self]))
		e->one_part = true;
	return c;
}

double sim_signal(struct sim_ctx *ctx, int signal)
{
	struct sim_engine *e = ctx->eng;
	const struct sim_probe *p = &e->probes[signal];
	if (p->kind == P_LEVEL)
		return ((const struct sim_level *)p->ptr)->value;
	return p->fn(p->ptr, e->now);
}

/* The value of probe p over the interval that ends now. */
static double probe_value(struct sim_engine *e, struct sim_probe *p)
{
	double v;
	switch (p->kind) {
	case P_COUNT: {
		double n = (double)((const struct sim_count *)p->ptr)->n;
		v = n - p->last;
		p->last = n;
		return v;
	}
	case P_LEVEL:
		return ((const struct sim_level *)p->ptr)->value;
	case P_LEVEL_MEAN: {
		double a = sim_level_area(p->ptr, e->now);
		double span = e->now - p->last_t;
		v = span > 0 ? (a - p->last) / span * p->scale : NAN;
		p->last = a;
		p->last_t = e->now;
		return v;
	}
	case P_LEVEL_RATIO: {
		double a = sim_level_area(p->ptr, e->now);
		double b = sim_level_area(p->den, e->now);
		v = b > p->last_den ? (a - p->last) / (b - p->last_den) : NAN;
		p->last = a;
		p->last_den = b;
		return v;
	}
	case P_FN:
		return p->fn(p->ptr, e->now);
	case P_P99: {
		struct sim_hist *h = (struct sim_hist *)p->ptr;
		v = sim_hist_quantile(h, 0.99);
		sim_hist_reset(h);
		return v;
	}
	case P_CLASS_P99:
		return sim_sojourn_interval_p99(&e->soj, p->cls);
	}
	return NAN;
}

void sim_probes_row(struct sim_engine *e, double *row)
{
	for (size_t i = 0; i < e->nprobes; i++)
		row[i] = probe_value(e, &e->probes[i]);
}
