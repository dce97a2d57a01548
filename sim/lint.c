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
 *     attempts reach.
 * Cost: linear in components and links, once per load.
 */
#include "sim/lint.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/dist.h"
#include "sim/model.h"
#include "sim/profile.h"
#include "sim/sanity.h"
#include "sim/scenario.h"

#define MAX_FIXED 16

enum { EDGE_SEND, EDGE_CALL, EDGE_PULL };

struct edge {
	uint32_t from, to;
	double share;		/* EDGE_SEND; NAN unknown */
	int kind;
};

/* A rate that reaches a component: at least lo per second; exact when no
 * unknown went into it. */
struct flow {
	double lo;
	bool exact;
};

struct facts {
	bool source;
	double rate;		/* source: NAN unknown */
	bool sheds, drops, blocks, acks;
	bool serves;
	double servers, item_s;
	double capacity;	/* INFINITY: none stated */
	double parallel;	/* INFINITY: no limit */
	const struct sim_dist *takes;
	double timeout;		/* INFINITY: none */
	const char *timeout_key;
	uint64_t retries;
	bool backs_off;
	const char *retries_key;
	const char *fixed[MAX_FIXED];
	unsigned fixed_flags[MAX_FIXED];
	size_t nfixed;
	/* derived */
	bool consumer;		/* pulls from a buffer */
	struct flow in;
	int fail_seen, block_seen, least_seen;	/* 0 unseen, 1 done */
	bool may_fail, blocked;
	double least_s;
};

struct sim_lint {
	const struct sim_scenario *sc;
	struct facts *f;
	uint32_t self;
	struct edge *e;
	size_t ne, cap;
	size_t *first;		/* edges of u: e[first[u] .. first[u + 1]) */
	bool nomem;
};

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
static int gather(struct sim_lint *l)
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
static double capacity(struct sim_lint *l, uint32_t u)
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
static double pull_capacity(struct sim_lint *l, uint32_t b, const struct sim_component *q)
{
	double sum = 0;
	for (size_t k = 0; k < q->nconsumers; k++) {
		uint32_t w = q->consumers[k];
		if (!l->f[w].serves && !isfinite(l->f[w].capacity))
			return NAN;
		double one = capacity(l, w);
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
	s.lo = fmin(s.lo, capacity(l, u));
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
static int propagate(struct sim_lint *l)
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

/* ---- the warnings ------------------------------------------------------ */

/* A rate for a message: "1200/s", "0.5/s". */
static const char *per_s(char *buf, size_t size, double r)
{
	snprintf(buf, size, "%.4g/s", r);
	return buf;
}

/* A duration for a message: "50ms", "2s", "250us". */
static const char *secs(char *buf, size_t size, double s)
{
	if (s >= 1)
		snprintf(buf, size, "%.4gs", s);
	else if (s >= 1e-3)
		snprintf(buf, size, "%.4gms", s * 1e3);
	else
		snprintf(buf, size, "%.4gus", s * 1e6);
	return buf;
}

/* A pool (or the consumers of buffer u) offered more than it can serve. */
static int check_overload(struct sim_lint *l, struct sim_sanity *s, uint32_t u)
{
	const struct sim_component *c = &l->sc->comps[u];
	const struct facts *f = &l->f[u];
	if (f->consumer || f->sheds || f->source)
		return 0;
	struct flow in = f->in;
	double cap = c->nconsumers ? pull_capacity(l, u, c) : capacity(l, u);
	const struct sim_component *who = c;
	for (size_t k = 0; k < c->nconsumers; k++)
		if (l->f[c->consumers[k]].sheds)
			return 0;
	if (c->nconsumers == 1)
		who = &l->sc->comps[c->consumers[0]];
	if (!(in.lo > cap * (1 + 1e-9)) || !isfinite(cap))
		return 0;
	char a[32], b[32], many[64] = "";
	if (c->nconsumers > 1)
		snprintf(many, sizeof many, "its %zu consumers ", c->nconsumers);
	return sim_sanity_warn(s, SIM_WARN_OVERLOAD, who->at,
			       "%s '%s' is offered %s%s at baseline but %s%s at most %s (rho %.2f): it can never drain",
			       who->ops->name, who->name, in.exact ? "" : "at least ",
			       per_s(a, sizeof a, in.lo), many, c->nconsumers > 1 ? "serve" : "serves",
			       per_s(b, sizeof b, cap), in.lo / cap);
}

/* The share of draws of d above t: at least so many attempts time out. */
static double tail(const struct sim_dist *d, double t)
{
	switch (d->kind) {
	case SIM_DIST_CONSTANT:
		return d->a > t;
	case SIM_DIST_EXPONENTIAL:
		return gsl_cdf_exponential_Q(t, d->a);
	case SIM_DIST_UNIFORM:
		return d->b > d->a ? gsl_cdf_flat_Q(fmin(fmax(t, d->a), d->b), d->a, d->b) : d->a > t;
	case SIM_DIST_LOGNORMAL:
		return gsl_cdf_lognormal_Q(t, d->a, d->b);
	case SIM_DIST_GAMMA:
	case SIM_DIST_ERLANG:
		return gsl_cdf_gamma_Q(t, d->a, d->b);
	case SIM_DIST_WEIBULL:
		return gsl_cdf_weibull_Q(t, d->a, d->b);
	case SIM_DIST_PARETO:
		return t < d->b ? 1 : gsl_cdf_pareto_Q(t, d->a, d->b);
	case SIM_DIST_EMPIRICAL: {
		size_t above = 0;
		for (size_t i = 0; i < d->n; i++)
			above += d->samples[i] > t;
		return d->n ? (double)above / (double)d->n : 0;
	}
	}
	return 0;
}

/* The component with the least mean service among the first that the
 * items sent to u reach, or -1 when some path reaches none first, or may
 * end early (a component that drops). */
static int first_service(struct sim_lint *l, uint32_t u, int depth)
{
	const struct facts *f = &l->f[u];
	if (f->sheds || f->drops || f->acks || isfinite(f->timeout) || depth > 64)
		return -1;
	if (f->takes)
		return (int)u;
	int best = -1;
	size_t nexts = 0;
	for (size_t k = l->first[u]; k < l->first[u + 1]; k++) {
		if (l->e[k].kind == EDGE_CALL)
			continue;
		int t = first_service(l, l->e[k].to, depth + 1);
		if (t < 0)
			return -1;
		if (best < 0 || l->f[t].takes->mean < l->f[best].takes->mean)
			best = t;
		nexts++;
	}
	return nexts ? best : -1;
}

/* A client that gives up before the service it calls can answer. */
static int check_timeout(struct sim_lint *l, struct sim_sanity *s, uint32_t u)
{
	const struct facts *f = &l->f[u];
	if (!isfinite(f->timeout))
		return 0;
	int best = -1;
	for (size_t k = l->first[u]; k < l->first[u + 1]; k++) {
		int t = l->e[k].kind == EDGE_SEND ? first_service(l, l->e[k].to, 0) : -1;
		if (t < 0)
			return 0;
		if (best < 0 || l->f[t].takes->mean < l->f[best].takes->mean)
			best = t;
	}
	if (best < 0 || !(l->f[best].takes->mean > f->timeout))
		return 0;
	const struct sim_component *c = &l->sc->comps[u];
	double share = tail(l->f[best].takes, f->timeout);
	char a[32], b[32], most[64];
	if (share >= 1)
		snprintf(most, sizeof most, "every attempt would time out");
	else
		snprintf(most, sizeof most, "at least %.0f%% of attempts would time out",
			 floor(100 * share));
	return sim_sanity_warn(s, SIM_WARN_TIMEOUT, sim_node_key(c->map, f->timeout_key),
			       "%s '%s' times out after %s but '%s' takes %s on average: %s",
			       c->ops->name, c->name, secs(a, sizeof a, f->timeout),
			       l->sc->comps[best].name, secs(b, sizeof b, l->f[best].takes->mean), most);
}

static int check_retries(struct sim_lint *l, struct sim_sanity *s, uint32_t u)
{
	const struct facts *f = &l->f[u];
	if (!f->retries || f->backs_off)
		return 0;
	const struct sim_component *c = &l->sc->comps[u];
	return sim_sanity_warn(s, SIM_WARN_RETRY, sim_node_key(c->map, f->retries_key),
			       "%s '%s' retries up to %llu time%s without backoff: each retry goes out as soon as an attempt fails, which turns a slowdown into a retry storm (add 'backoff' and 'jitter')",
			       c->ops->name, c->name, (unsigned long long)f->retries,
			       f->retries == 1 ? "" : "s");
}

/* Whether some component may cancel work (a client's cancel_on_timeout). */
static bool any_cancels(const struct sim_scenario *sc)
{
	for (size_t i = 0; i < sc->ncomps; i++)
		if (sc->comps[i].ops->cancels && sc->comps[i].ops->cancels(sc->comps[i].conf))
			return true;
	return false;
}

/* Recovery criteria written in the file on columns that cannot move. */
static int check_criteria(struct sim_lint *l, struct sim_sanity *s)
{
	const struct sim_scenario *sc = l->sc;
	bool cancels = any_cancels(sc);
	for (size_t i = 0; i < sc->report.ncrit; i++) {
		const struct sim_recovery *r = &sc->report.crit[i];
		const char *dot = strchr(r->metric, '.');
		if (!r->at || !dot)
			continue;
		for (size_t u = 0; u < sc->ncomps; u++) {
			const char *name = sc->comps[u].name;
			if (strlen(name) != (size_t)(dot - r->metric) || strncmp(name, r->metric, strlen(name)))
				continue;
			const struct facts *f = &l->f[u];
			for (size_t k = 0; k < f->nfixed; k++) {
				if (strcmp(f->fixed[k], dot + 1) ||
				    (cancels && (f->fixed_flags[k] & SIM_LINT_UNLESS_CANCELLED)))
					continue;
				if (sim_sanity_warn(s, SIM_WARN_FIXED_METRIC, r->at,
						    "recovery criterion '%s' watches a column that never moves with this configuration of %s '%s': it cannot tell whether the system recovered",
						    r->metric, sc->comps[u].ops->name, name) < 0)
					return -1;
			}
		}
	}
	return 0;
}

int sim_lint_run(struct sim_sanity *s)
{
	const struct sim_scenario *sc = s->sc;
	struct sim_lint l = { .sc = sc };
	l.f = calloc(sc->ncomps ? sc->ncomps : 1, sizeof *l.f);
	int rc = -1;
	if (!l.f || gather(&l) < 0 || propagate(&l) < 0)
		goto out;
	for (size_t u = 0; u < sc->ncomps; u++)
		if (check_overload(&l, s, (uint32_t)u) < 0 || check_timeout(&l, s, (uint32_t)u) < 0 ||
		    check_retries(&l, s, (uint32_t)u) < 0)
			goto out;
	rc = check_criteria(&l, s);
out:
	free(l.f);
	free(l.e);
	free(l.first);
	return rc;
}
