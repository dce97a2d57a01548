/* backoff.c - sleeps before retries; see backoff.h for the rules. */
#include "sim/backoff.h"

#include <math.h>

double sim_backoff_sleep(const struct sim_backoff *b, unsigned n, double *prev, gsl_rng *r)
{
	if (b->base <= 0)
		return 0;
	double d = fmin(b->max, b->base * pow(b->multiplier, (double)n - 1));
	switch (b->jitter) {
	case SIM_JITTER_FULL:
		return gsl_rng_uniform(r) * d;
	case SIM_JITTER_EQUAL:
		return d / 2 + gsl_rng_uniform(r) * d / 2;
	case SIM_JITTER_DECORRELATED: {
		double p = *prev > 0 ? *prev : b->base;
		double s = fmin(b->max, b->base + gsl_rng_uniform(r) * (3 * p - b->base));
		*prev = s;
		return s;
	}
	case SIM_JITTER_NONE:
		break;
	}
	return d;
}
