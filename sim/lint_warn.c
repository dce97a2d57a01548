/* lint_warn.c - the warnings made from the facts the models state
 * (sim/lint.h), once sim/lint.c has put them together: a pool offered more
 * than it can serve at baseline, a client that gives up before the
 * service it calls can answer, retries without backoff, and a recovery
 * criterion on a column that cannot move.
 */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/dist.h"
#include "sim/lint_private.h"
#include "sim/model.h"
#include "sim/sanity.h"
#include "sim/scenario.h"

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
	double cap = c->nconsumers ? sim_lint_pull_capacity(l, u, c) : sim_lint_capacity_of(l, u);
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
	if (!l.f || sim_lint_gather(&l) < 0 || sim_lint_propagate(&l) < 0)
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
