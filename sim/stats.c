/* stats.c - levels and histograms; see stats.h for the error bounds. */
#include "sim/stats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

double sim_level_mean(const struct sim_level *l, double now)
{
	double span = now - l->warm_t;
	if (span <= 0)
		return l->value;
	return (sim_level_area(l, now) - l->warm_area) / span;
}

void sim_level_warmup(struct sim_level *l, double now)
{
	l->warm_area = sim_level_area(l, now);
	l->warm_t = now;
	l->max = l->value;
}

void sim_hist_span(const struct sim_hist *h, uint32_t *lo, uint32_t *hi)
{
	*lo = *hi = 0;
	if (!h->n)
		return;
	uint32_t a = sim_hist_bucket(h->min), b = sim_hist_bucket(h->max);
	if (b == SIM_HIST_ZERO)
		return;		/* every value is below 2^-32 (or NaN) */
	*lo = a == SIM_HIST_ZERO ? 0 : a;
	*hi = b + 1;
}

void sim_hist_reset(struct sim_hist *h)
{
	uint32_t lo, hi;
	sim_hist_span(h, &lo, &hi);
	if (hi > lo)
		memset(&h->bucket[lo], 0, (hi - lo) * sizeof h->bucket[0]);
	h->bucket[SIM_HIST_ZERO] = 0;
	h->n = 0;
	h->sum = 0;
	h->min = INFINITY;
	h->max = -INFINITY;
}

void sim_hist_init(struct sim_hist *h)
{
	memset(h->bucket, 0, sizeof h->bucket);
	h->n = 0;
	sim_hist_reset(h);
}

static double bucket_mid(uint32_t i)
{
	int e = (int)(i >> SIM_HIST_SUB_BITS) + SIM_HIST_EXP_MIN;
	double sub = (double)(i & (SIM_HIST_SUB - 1));
	return ldexp(1.0 + (sub + 0.5) / SIM_HIST_SUB, e);
}

double sim_hist_quantile(const struct sim_hist *h, double q)
{
	if (h->n == 0)
		return NAN;
	if (q <= 0)
		return h->min;
	if (q >= 1)
		return h->max;
	uint64_t rank = (uint64_t)ceil(q * (double)h->n);
	if (rank < 1)
		rank = 1;
	uint64_t seen = h->bucket[SIM_HIST_ZERO];
	if (seen >= rank)
		return h->min > 0 ? h->min : 0.0;
	uint32_t lo, hi;
	sim_hist_span(h, &lo, &hi);
	for (uint32_t i = lo; i < hi; i++) {
		seen += h->bucket[i];
		if (seen >= rank) {
			double v = bucket_mid(i);
			if (v > h->max)
				v = h->max;
			if (v < h->min)
				v = h->min;
			return v;
		}
	}
	return h->max;
}

double sim_ci95(double sd, size_t n)
{
	if (n < 2)
		return NAN;
	return gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * sd / sqrt((double)n);
}
