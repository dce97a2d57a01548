/* lint.c - the sanity checks on the facts the models state (sim/lint.h).
 *
 * Each component's facts are gathered through its model's `lint` hook,
 * then put together over the graph of links, which the loader has shown
 * to be free of cycles:
 *   - the baseline flow: each source's rate (outside any schedule entry)
 *     carried along the links by their shares, through buffers to the
 *     pools that pull from them, capped by what each pool or limiter can
 *     pass on.  A flow is a lower bound: a share or rate not known in
 *     advance adds nothing, and a component that may drop or refuse work
 *     passes on nothing known.  So a pool warned about is overloaded
 *     whatever the unknowns are;
 *   - the least time an item spends from a component to the end of its
 *     path (the mean service of what it passes through, 0 past anything
 *     that may end the path early), for the time a pool waits on its calls;
 *   - for each client, the first components with a service time that its
 *     attempts reach (sim/lint_warn.c, with the warnings).
 * Cost: linear in components and links, once per load.
 */
#include "sim/lint.h"

#include <math.h>
#include <stdlib.h>

#include "sim/dist.h"
#include "sim/lint_private.h"
#include "sim/model.h"
#include "sim/profile.h"
#include "sim/scenario.h"

static struct facts *me(struct sim_lint *l)
{
	return &l->f[l->self];
}

static void add_edge(struct sim_lint *l, uint32_t from, uint32_t to, double share, int kind)
{
	if (to >= l->sc->ncomps)
		return;		/* an optional link left unset */
	if (l->ne == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		struct edge *e = realloc(l->e, cap * sizeof *e);
		if (!e) {
			l->nomem = true;
			return;
		}
		l->e = e;
		l->cap = cap;
	}
	l->e[l->ne++] = (struct edge){ from, to, share, kind };
}

/* ---- the facts, as the models state them ------------------------------ */

void sim_lint_source(struct sim_lint *l, double rate)
{
	me(l)->source = true;
	me(l)->rate = rate;
}

void sim_lint_sends(struct sim_lint *l, uint32_t to, double share)
{
	add_edge(l, l->self, to, share, EDGE_SEND);
}

void sim_lint_calls(struct sim_lint *l, uint32_t callee)
{
	add_edge(l, l->self, callee, 1, EDGE_CALL);
}

void sim_lint_sheds(struct sim_lint *l)
{
	me(l)->sheds = true;
}

void sim_lint_drops(struct sim_lint *l)
{
	me(l)->drops = true;
}

void sim_lint_blocks(struct sim_lint *l)
{
	me(l)->blocks = true;
}

void sim_lint_acks(struct sim_lint *l)
{
	me(l)->acks = true;
}

double sim_lint_baseline(const struct sim_lint *l, const struct sim_profile *p)
{
	double lo = NAN;
	for (size_t k = 0; k <= p->nspans; k++) {
		double t = k ? p->spans[k - 1].to : 0;
		bool inside = t < 0 || t >= l->sc->duration;
		for (size_t j = 0; j < p->nspans && !inside; j++)
			inside = p->spans[j].from <= t && t < p->spans[j].to;
		if (!inside)
			lo = fmin(lo, sim_profile_rate(p, fmax(t, 0)));
	}
	return lo;
}

void sim_lint_serves(struct sim_lint *l, double servers, double item_s)
{
	me(l)->serves = true;
	me(l)->servers = servers;
	me(l)->item_s = item_s;
}

void sim_lint_capacity(struct sim_lint *l, double rate)
{
	me(l)->capacity = rate;
}

void sim_lint_parallel(struct sim_lint *l, double n)
{
	me(l)->parallel = n;
}

void sim_lint_takes(struct sim_lint *l, const struct sim_dist *d)
{
	me(l)->takes = d;
}

void sim_lint_timeout(struct sim_lint *l, double timeout_s, const char *key)
{
	me(l)->timeout = timeout_s;
	me(l)->timeout_key = key;
}

void sim_lint_retries(struct sim_lint *l, uint64_t n, bool backs_off, const char *key)
{
	me(l)->retries = n;
	me(l)->backs_off = backs_off;
	me(l)->retries_key = key;
}

void sim_lint_fixed(struct sim_lint *l, const char *column, unsigned flags)
{
	struct facts *f = me(l);
	if (f->nfixed < MAX_FIXED) {
		f->fixed_flags[f->nfixed] = flags;
		f->fixed[f->nfixed++] = column;
	}
}

/* ---- putting them together -------------------------------------------- */

static int by_from(const void *a, const void *b)
{
	const struct edge *x = a, *y = b;
	return x->from < y->from ? -1 : x->from > y->from;
}

/* Every component's facts, then the pull edges and the edges by source. */
int sim_lint_gather(struct sim_lint *l)
{
	const struct sim_scenario *sc = l->sc;
	for (size_t i = 0; i < sc->ncomps; i++) {
		struct facts *f = &l->f[i];
		f->capacity = f->parallel = f->timeout = INFINITY;
		l->self = (uint32_t)i;
		if (sc->comps[i].ops->lint)
			sc->comps[i].ops->lint(l, sc->comps[i].conf);
	}
	for (size_t i = 0; i < sc->ncomps; i++)
		for (size_t k = 0; k < sc->comps[i].nconsumers; k++) {
			add_edge(l, (uint32_t)i, sc->comps[i].consumers[k], 1, EDGE_PULL);
			l->f[sc->comps[i].consumers[k]].consumer = true;
		}
	if (l->nomem)
		return -1;
	if (l->ne)
		qsort(l->e, l->ne, sizeof *l->e, by_from);
	l->first = calloc(sc->ncomps + 1, sizeof *l->first);
	if (!l->first)
		return -1;
	for (size_t k = 0; k < l->ne; k++)
		l->first[l->e[k].from + 1]++;
	for (size_t i = 0; i < sc->ncomps; i++)
		l->first[i + 1] += l->first[i];
	return 0;
}

/* Whether work passing through u may be dropped there or further on. */
static bool may_fail(struct sim_lint *l, uint32_t u)
{
	struct facts *f = &l->f[u];
	if (!f->fail_seen) {
		f->fail_seen = 1;
		f->may_fail = f->sheds || f->drops;
		for (size_t k = l->first[u]; k < l->first[u + 1] && !f->may_fail; k++)
			f->may_fail = may_fail(l, l->e[k].to);
	}
	return f->may_fail;
}

/* Whether a full buffer at u or further on may hold back the sources of
 * the work passing through u. */
static bool blocked(struct sim_lint *l, uint32_t u)
{
	struct facts *f = &l->f[u];
	if (!f->block_seen) {
		f->block_seen = 1;
		f->blocked = f->blocks;
		for (size_t k = l->first[u]; k < l->first[u + 1] && !f->blocked; k++)
			f->blocked = blocked(l, l->e[k].to);
	}
	return f->blocked;
}

/* The least mean time an item spends from u to the end of its path. */
static double least(struct sim_lint *l, uint32_t u)
{
	struct facts *f = &l->f[u];
	if (f->least_seen)
		return f->least_s;
	f->least_seen = 1;
	double here = 0, next = INFINITY;
	if (!f->sheds && !f->drops && !f->acks) {
		here = f->takes ? f->takes->mean : 0;
		for (size_t k = l->first[u]; k < l->first[u + 1]; k++) {
			const struct edge *e = &l->e[k];
			if (e->kind == EDGE_CALL)
				here += least(l, e->to);
			else
				next = fmin(next, least(l, e->to));
		}
	}
	/* a caller that gives up ends the wait (then retries, later) */
	f->least_s = fmin(here + (isfinite(next) ? next : 0), f->timeout);
	return f->least_s;
}

/* What u can pass on per second (INFINITY: no limit stated). */
double sim_lint_capacity_of(struct sim_lint *l, uint32_t u)
{
	const struct facts *f = &l->f[u];
	double cap = f->capacity;
	if (f->serves) {
		double hold = f->item_s;
		for (size_t k = l->first[u]; k < l->first[u + 1]; k++)
			if (l->e[k].kind == EDGE_CALL)
				hold += least(l, l->e[k].to);
		cap = fmin(cap, hold > 0 ? f->servers / hold : INFINITY);
	}
	return cap;
}

/* What buffer b's consumers can serve together; NAN when one of them
 * says nothing of it. */
double sim_lint_pull_capacity(struct sim_lint *l, uint32_t b, const struct sim_component *q)
{
	double sum = 0;
	for (size_t k = 0; k < q->nconsumers; k++) {
		uint32_t w = q->consumers[k];
		if (!l->f[w].serves && !isfinite(l->f[w].capacity))
			return NAN;
		double one = sim_lint_capacity_of(l, w);
		const struct facts *f = &l->f[w];
		if (f->serves && f->servers > l->f[b].parallel)
			one = one * l->f[b].parallel / f->servers;
		sum += one;
	}
	return sum;
}

/* The flow u has served (its input, and its own rate, within its capacity). */
static struct flow served(struct sim_lint *l, uint32_t u)
{
	const struct facts *f = &l->f[u];
	struct flow s = f->in;
	if (f->source) {
		if (isnan(f->rate) || blocked(l, u))
			s.exact = false;
		else
			s.lo += f->rate;
	}
	s.lo = fmin(s.lo, sim_lint_capacity_of(l, u));
	return s;
}

static void add_flow(struct flow *to, struct flow by, double share)
{
	if (isnan(share) || !by.exact)
		to->exact = false;
	if (!isnan(share))
		to->lo += by.lo * share;
}

/* The baseline flows, in an order where each component comes after all
 * that send to it (Kahn's). */
int sim_lint_propagate(struct sim_lint *l)
{
	size_t n = l->sc->ncomps, head = 0, tail = 0;
	size_t *indeg = calloc(n, sizeof *indeg);
	uint32_t *order = calloc(n, sizeof *order);
	if (!indeg || !order) {
		free(indeg);
		free(order);
		return -1;
	}
	for (size_t k = 0; k < l->ne; k++)
		indeg[l->e[k].to]++;
	for (size_t i = 0; i < n; i++) {
		l->f[i].in = (struct flow){ 0, true };
		if (!indeg[i])
			order[tail++] = (uint32_t)i;
	}
	while (head < tail) {
		uint32_t u = order[head++];
		struct flow s = served(l, u), pass = s;
		bool cut = l->f[u].sheds || l->f[u].drops;
		for (size_t k = l->first[u]; k < l->first[u + 1]; k++)
			if (l->e[k].kind == EDGE_CALL && may_fail(l, l->e[k].to))
				cut = true;
		if (cut)
			pass = (struct flow){ 0, false };
		for (size_t k = l->first[u]; k < l->first[u + 1]; k++) {
			const struct edge *e = &l->e[k];
			if (e->kind == EDGE_CALL)
				add_flow(&l->f[e->to].in, s, 1);
			else if (e->kind == EDGE_PULL)
				add_flow(&l->f[e->to].in, pass,
					 l->sc->comps[u].nconsumers == 1 ? 1 : NAN);
			else
				add_flow(&l->f[e->to].in, pass, e->share);
			if (--indeg[e->to] == 0)
				order[tail++] = e->to;
		}
	}
	free(indeg);
	free(order);
	return 0;
}
