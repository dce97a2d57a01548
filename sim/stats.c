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

void sim_hist_reset(struct sim_hist *h)
{
	if (h->hi > h->lo)
		memset(&h->bucket[h->lo], 0, (h->hi - h->lo) * sizeof h->bucket[0]);
	h->bucket[SIM_HIST_ZERO] = 0;
	h->n = 0;
	h->sum = 0;
	h->min = INFINITY;
	h->max = -INFINITY;
	h->lo = SIM_HIST_BUCKETS;
	h->hi = 0;
}

void sim_hist_init(struct sim_hist *h)
{
	h->lo = 0;
	h->hi = SIM_HIST_BUCKETS;
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
	for (uint32_t i = h->lo; i < h->hi; i++) {
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
