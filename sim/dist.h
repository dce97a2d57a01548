/* dist.h - service-time and inter-arrival distributions.
 *
 * "5ms" is a constant; a map {dist: NAME, ...} names one of constant
 * {value}, exponential {mean}, uniform {min, max}, lognormal {mean, cv},
 * gamma {mean, cv}, erlang {k, mean}, weibull {shape, scale},
 * pareto {mean, alpha > 1}, empirical {file}.  Times are durations (bare
 * numbers are seconds).  Sampling uses GSL's gsl_ran_* on the caller's
 * stream; parameters are checked when the scenario loads, so sampling
 * never fails.
 */
#ifndef SIM_DIST_H
#define SIM_DIST_H

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stddef.h>

#include "sim/cfg.h"
#include "sim/rng.h"

enum sim_dist_kind {
	SIM_DIST_CONSTANT,
	SIM_DIST_EXPONENTIAL,
	SIM_DIST_UNIFORM,
	SIM_DIST_LOGNORMAL,
	SIM_DIST_GAMMA,
	SIM_DIST_ERLANG,
	SIM_DIST_WEIBULL,
	SIM_DIST_PARETO,
	SIM_DIST_EMPIRICAL,
};

struct sim_dist {
	enum sim_dist_kind kind;
	double a, b;		/* GSL parameters, kind-specific */
	double mean, var;	/* closed form; var may be INFINITY */
	const double *samples;	/* empirical: values in seconds */
	size_t n;
};

/* Exponential variate with the given mean: mean * -log(u), drawn ahead
 * in batches whose logarithms are taken four at a time
 * (sim_rng_exponential, sim/neglog.h).  The same law, by the same
 * inversion, as gsl_ran_exponential (which computes -mean log1p(-u)),
 * made cheap because this is the hottest draw of most models. */
static inline double sim_exponential(gsl_rng *r, double mean)
{
	return mean * sim_rng_exponential(r);
}

/* A draw from d; the common kinds inline, the rest through GSL. */
double sim_dist_sample_gsl(const struct sim_dist *d, gsl_rng *r);

static inline double sim_dist_sample(const struct sim_dist *d, gsl_rng *r)
{
	if (d->kind == SIM_DIST_EXPONENTIAL)
		return sim_exponential(r, d->a);
	if (d->kind == SIM_DIST_CONSTANT)
		return d->a;
	return sim_dist_sample_gsl(d, r);
}

/* Parses a distribution value (scalar or map). */
int sim_dist_parse(struct sim_cfg *c, const struct sim_node *v, const char *key,
		   struct sim_dist *d);

/* Reads map[key]; 0 when absent and not required. */
int sim_dist_cfg(struct sim_cfg *c, const struct sim_node *map, const char *key,
		 struct sim_dist *d, unsigned flags);

static inline void sim_dist_constant(struct sim_dist *d, double v)
{
	*d = (struct sim_dist){ .kind = SIM_DIST_CONSTANT, .a = v, .mean = v };
}

#endif
