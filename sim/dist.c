/* dist.c - parameters checked at load, sampled with gsl_ran_*. */
#include "sim/dist.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/samples.h"
#include "sim/units.h"

double sim_dist_sample_gsl(const struct sim_dist *d, gsl_rng *r)
{
	switch (d->kind) {
	case SIM_DIST_CONSTANT:
		return d->a;
	case SIM_DIST_EXPONENTIAL:
		return sim_exponential(r, d->a);
	case SIM_DIST_UNIFORM:
		return gsl_ran_flat(r, d->a, d->b);
	case SIM_DIST_LOGNORMAL:
		return gsl_ran_lognormal(r, d->a, d->b);
	case SIM_DIST_GAMMA:
	case SIM_DIST_ERLANG:
		return gsl_ran_gamma(r, d->a, d->b);
	case SIM_DIST_WEIBULL:
		return gsl_ran_weibull(r, d->a, d->b);
	case SIM_DIST_PARETO:
		return gsl_ran_pareto(r, d->a, d->b);
	case SIM_DIST_EMPIRICAL:
		return d->samples[gsl_rng_uniform_int(r, d->n)];
	}
	return 0;
}

static const char *const kind_names[] = {
	"constant", "exponential", "uniform", "lognormal", "gamma",
	"erlang", "weibull", "pareto", "empirical", NULL,
};

static const char *const kind_keys[][4] = {
	[SIM_DIST_CONSTANT] = { "value" },
	[SIM_DIST_EXPONENTIAL] = { "mean" },
	[SIM_DIST_UNIFORM] = { "min", "max" },
	[SIM_DIST_LOGNORMAL] = { "mean", "cv" },
	[SIM_DIST_GAMMA] = { "mean", "cv" },
	[SIM_DIST_ERLANG] = { "k", "mean" },
	[SIM_DIST_WEIBULL] = { "shape", "scale" },
	[SIM_DIST_PARETO] = { "mean", "alpha" },
	[SIM_DIST_EMPIRICAL] = { "file" },
};

/* Reads a required parameter of a distribution. */
static int param(struct sim_cfg *c, const struct sim_node *map, const char *dist,
		 const char *p, bool is_time, double *out, double min_excl)
{
	const struct sim_node *v = sim_node_get(map, p);
	if (!v) {
		sim_cfg_error(c, map, "missing '%s' for the %s distribution in %s '%s'", p,
			      dist, c->kind, c->name);
		return -1;
	}
	int r = is_time ? sim_cfg_duration_of(c, v, p, out, 0)
			: sim_cfg_number_of(c, v, p, out, -1e300, 1e300);
	if (r < 0)
		return -1;
	if (!(*out > min_excl)) {
		sim_cfg_error(c, v, "'%s' of the %s distribution in %s '%s' must be greater than %g, got '%s'",
			      p, dist, c->kind, c->name, min_excl, v->str);
		return -1;
	}
	return 0;
}

/* Parameters of each kind: read, checked and turned into GSL's, with the
 * mean and variance the reports use.  d->kind is set; 1 or -1. */
typedef int dist_params_fn(struct sim_cfg *c, const struct sim_node *v, const char *dn,
			   struct sim_dist *d);

static int params_constant(struct sim_cfg *c, const struct sim_node *v, const char *dn,
			   struct sim_dist *d)
{
	double m;
	if (param(c, v, dn, "value", true, &m, -1) < 0)
		return -1;
	sim_dist_constant(d, m);
	return 1;
}

static int params_exponential(struct sim_cfg *c, const struct sim_node *v, const char *dn,
			      struct sim_dist *d)
{
	double m;
	if (param(c, v, dn, "mean", true, &m, 0) < 0)
		return -1;
	d->a = m;
	d->mean = m;
	d->var = m * m;
	return 1;
}

static int params_uniform(struct sim_cfg *c, const struct sim_node *v, const char *dn,
			  struct sim_dist *d)
{
	double p, q;
	if (param(c, v, dn, "min", true, &p, -1) < 0 ||
	    param(c, v, dn, "max", true, &q, -1) < 0)
		return -1;
	if (q < p) {
		sim_cfg_error(c, sim_node_get(v, "max"),
			      "'max' of the uniform distribution in %s '%s' is below 'min'",
			      c->kind, c->name);
		return -1;
	}
	d->a = p;
	d->b = q;
	d->mean = (p + q) / 2;
	d->var = (q - p) * (q - p) / 12;
	return 1;
}

/* Lognormal and gamma: both given by mean and coefficient of variation. */
static int params_mean_cv(struct sim_cfg *c, const struct sim_node *v, const char *dn,
			  struct sim_dist *d)
{
	double m, cv;
	if (param(c, v, dn, "mean", true, &m, 0) < 0 ||
	    param(c, v, dn, "cv", false, &cv, 0) < 0)
		return -1;
	if (d->kind == SIM_DIST_LOGNORMAL) {
		d->b = sqrt(log1p(cv * cv));		/* sigma */
		d->a = log(m) - d->b * d->b / 2;	/* zeta */
	} else {
		d->a = 1 / (cv * cv);			/* shape */
		d->b = m * cv * cv;			/* scale */
	}
	d->mean = m;
	d->var = (cv * m) * (cv * m);
	return 1;
}

static int params_erlang(struct sim_cfg *c, const struct sim_node *v, const char *dn,
			 struct sim_dist *d)
{
	const struct sim_node *kv = sim_node_get(v, "k");
	double p, m;
	if (param(c, v, dn, "k", false, &p, 0) < 0 ||
	    param(c, v, dn, "mean", true, &m, 0) < 0)
		return -1;
	if (p != floor(p) || p > 1e6) {
		sim_cfg_error(c, kv, "'k' of the erlang distribution in %s '%s' must be a whole number from 1 to 1000000, got '%s'",
			      c->kind, c->name, kv->str);
		return -1;
	}
	d->a = p;
	d->b = m / p;
	d->mean = m;
	d->var = m * m / p;
	return 1;
}

static int params_weibull(struct sim_cfg *c, const struct sim_node *v, const char *dn,
			  struct sim_dist *d)
{
	double p, q;
	if (param(c, v, dn, "shape", false, &p, 0) < 0 ||
	    param(c, v, dn, "scale", true, &q, 0) < 0)
		return -1;
	if (p < 0.05) {
		sim_cfg_error(c, sim_node_get(v, "shape"),
			      "'shape' of the weibull distribution in %s '%s' must be at least 0.05",
			      c->kind, c->name);
		return -1;
	}
	d->a = q;
	d->b = p;
	d->mean = q * gsl_sf_gamma(1 + 1 / p);
	d->var = q * q * gsl_sf_gamma(1 + 2 / p) - d->mean * d->mean;
	return 1;
}

static int params_pareto(struct sim_cfg *c, const struct sim_node *v, const char *dn,
			 struct sim_dist *d)
{
	double m, p;
	if (param(c, v, dn, "mean", true, &m, 0) < 0 ||
	    param(c, v, dn, "alpha", false, &p, 1) < 0)
		return -1;
	d->a = p;
	d->b = m * (p - 1) / p;			/* scale x_m */
	d->mean = m;
	d->var = p > 2 ? d->b * d->b * p / ((p - 1) * (p - 1) * (p - 2)) : INFINITY;
	return 1;
}

static int params_empirical(struct sim_cfg *c, const struct sim_node *v, const char *dn,
			    struct sim_dist *d)
{
	(void)dn;
	if (!sim_node_get(v, "file")) {
		sim_cfg_error(c, v, "missing 'file' for the empirical distribution in %s '%s'",
			      c->kind, c->name);
		return -1;
	}
	if (sim_samples_load(c, sim_node_get(v, "file"), d) < 0)
		return -1;
	return 1;
}

static dist_params_fn *const kind_params[] = {
	[SIM_DIST_CONSTANT] = params_constant,
	[SIM_DIST_EXPONENTIAL] = params_exponential,
	[SIM_DIST_UNIFORM] = params_uniform,
	[SIM_DIST_LOGNORMAL] = params_mean_cv,
	[SIM_DIST_GAMMA] = params_mean_cv,
	[SIM_DIST_ERLANG] = params_erlang,
	[SIM_DIST_WEIBULL] = params_weibull,
	[SIM_DIST_PARETO] = params_pareto,
	[SIM_DIST_EMPIRICAL] = params_empirical,
};

/* The kind named by the map's 'dist' key, its other keys checked against
 * that kind's; the kind's index, or -1 after a diagnostic. */
static int dist_kind(struct sim_cfg *c, const struct sim_node *v, const char *key)
{
	const struct sim_node *kn = sim_node_get(v, "dist");
	if (!kn) {
		sim_cfg_error(c, v, "missing 'dist' in '%s' of %s '%s' (expected one of: constant, exponential, uniform, lognormal, gamma, erlang, weibull, pareto, empirical)",
			      key, c->kind, c->name);
		return -1;
	}
	int kind = -1;
	if (kn->type == SIM_NODE_SCALAR)
		for (int i = 0; kind_names[i]; i++)
			if (!strcmp(kind_names[i], kn->str))
				kind = i;
	if (kind < 0) {
		char list[256];
		sim_join(list, sizeof list, kind_names);
		const char *hint = kn->type == SIM_NODE_SCALAR ? sim_suggest(kn->str, kind_names) : NULL;
		if (hint)
			sim_cfg_error(c, kn, "unknown distribution '%s' in %s '%s' (did you mean '%s'?)",
				      kn->str, c->kind, c->name, hint);
		else
			sim_cfg_error(c, kn, "unknown distribution '%s' in %s '%s' (expected one of: %s)",
				      kn->str, c->kind, c->name, list);
		return -1;
	}
	const char *allowed[6] = { "dist" };
	for (int i = 0; i < 4 && kind_keys[kind][i]; i++)
		allowed[i + 1] = kind_keys[kind][i];
	char what[160];
	snprintf(what, sizeof what, "the %s distribution of %s '%s'", kind_names[kind],
		 c->kind, c->name);
	if (sim_cfg_check_keys(c, v, allowed, what) < 0)
		return -1;
	return kind;
}

int sim_dist_parse(struct sim_cfg *c, const struct sim_node *v, const char *key,
		   struct sim_dist *d)
{
	if (v->type == SIM_NODE_SCALAR) {
		double x;
		if (sim_cfg_duration_of(c, v, key, &x, 0) < 0)
			return -1;
		sim_dist_constant(d, x);
		return 1;
	}
	if (v->type != SIM_NODE_MAP) {
		sim_cfg_error(c, v, "expected a duration or a distribution map for '%s' in %s '%s', got %s",
			      key, c->kind, c->name, sim_node_type_name(v->type));
		return -1;
	}
	int kind = dist_kind(c, v, key);
	if (kind < 0)
		return -1;
	*d = (struct sim_dist){ .kind = (enum sim_dist_kind)kind };
	return kind_params[kind](c, v, kind_names[kind], d);
}

int sim_dist_cfg(struct sim_cfg *c, const struct sim_node *map, const char *key,
		 struct sim_dist *d, unsigned flags)
{
	const struct sim_node *v = sim_cfg_value(c, map, key, flags);
	if (!v)
		return flags & SIM_CFG_REQUIRED ? -1 : 0;
	return sim_dist_parse(c, v, key, d);
}
