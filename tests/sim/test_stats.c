/* test_stats.c - histograms, levels and confidence intervals (sim/stats.c) */
#include <criterion/criterion.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

#include "sim/stats.h"

static struct sim_hist *hist_new(void)
{
	struct sim_hist *h = malloc(sizeof *h);
	cr_assert_not_null(h);
	sim_hist_init(h);
	return h;
}

Test(sim_stats, quantiles_within_one_percent)
{
	/* lognormal values over six decades, against exact sorted quantiles */
	enum { N = 200000 };
	double *x = malloc(N * sizeof *x);
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, 2385);
	struct sim_hist *h = hist_new();
	for (int i = 0; i < N; i++) {
		x[i] = gsl_ran_lognormal(r, log(0.01), 2.0);
		sim_hist_add(h, x[i]);
	}
	gsl_sort(x, 1, N);
	const double qs[] = { 0.001, 0.1, 0.5, 0.9, 0.95, 0.99, 0.999 };
	for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
		double exact = x[(size_t)ceil(qs[i] * N) - 1];	/* nearest rank */
		double got = sim_hist_quantile(h, qs[i]);
		cr_expect(fabs(got - exact) <= 0.01 * exact, "q%.3f: %.6g, exact %.6g", qs[i], got,
			  exact);
	}
	cr_assert_float_eq(sim_hist_mean(h), gsl_stats_mean(x, 1, N), 1e-9);
	cr_assert_float_eq(sim_hist_quantile(h, 1), x[N - 1], 0);
	cr_assert_float_eq(sim_hist_quantile(h, 0), x[0], 0);
	cr_assert_eq(h->n, N);
	free(x);
	sim_hist_fini(h);
	free(h);
	gsl_rng_free(r);
}

Test(sim_stats, zeros_and_empty)
{
	struct sim_hist *h = hist_new();
	cr_assert(isnan(sim_hist_quantile(h, 0.5)), "empty histogram has no quantile");
	cr_assert(isnan(sim_hist_mean(h)));
	for (int i = 0; i < 90; i++)
		sim_hist_add(h, 0.0);
	for (int i = 0; i < 10; i++)
		sim_hist_add(h, 2.385);
	cr_assert_float_eq(sim_hist_quantile(h, 0.5), 0, 0);
	cr_assert_float_eq(sim_hist_quantile(h, 0.9), 0, 0);
	cr_assert(fabs(sim_hist_quantile(h, 0.95) - 2.385) < 0.01 * 2.385);
	sim_hist_reset(h);
	cr_assert_eq(h->n, 0);
	cr_assert(isnan(sim_hist_quantile(h, 0.5)));
	sim_hist_add(h, 1e12);		/* above the top bucket: clamped to max */
	cr_assert_float_eq(sim_hist_quantile(h, 0.5), 1e12, 0);
	sim_hist_fini(h);
	free(h);
}

Test(sim_stats, level_time_average_and_warmup)
{
	struct sim_level l = { 0 };
	sim_level_set(&l, 1.0, 4);	/* 0 on [0,1), 4 on [1,3), 1 on [3,4] */
	sim_level_set(&l, 3.0, 1);
	cr_assert_float_eq(sim_level_mean(&l, 4.0), (0 + 8 + 1) / 4.0, 1e-12);
	cr_assert_float_eq(l.max, 4, 0);
	sim_level_warmup(&l, 4.0);
	cr_assert_float_eq(l.max, 1, 0);
	sim_level_add(&l, 6.0, 2);	/* 1 on [4,6), 3 on [6,8] */
	cr_assert_float_eq(sim_level_mean(&l, 8.0), (2 + 6) / 4.0, 1e-12);
	cr_assert_float_eq(l.max, 3, 0);
}

Test(sim_stats, counts_since_warmup)
{
	struct sim_count c = { 0 };
	sim_count_add(&c, 7);
	c.at_warmup = c.n;
	sim_count_add(&c, 5);
	cr_assert_eq(sim_count_value(&c), 5);
	cr_assert_eq(c.n, 12);
}

Test(sim_stats, student_t_half_width)
{
	/* t(0.975, 9) = 2.262157 */
	cr_assert_float_eq(sim_ci95(1.0, 10), 2.262157 / sqrt(10), 1e-6);
	cr_assert(isnan(sim_ci95(1.0, 1)));
}

/* A reset clears every bucket in use, which it finds from min and max:
 * zeros, values below and above the bucketed range, NaN and infinity
 * included. */
Test(sim_stats, reset_clears_every_bucket)
{
	struct sim_hist *h = hist_new();
	const double v[] = { 0, -1, 1e-12, 3.7e-5, 0.25, 42, 6e9, 1e300, INFINITY, NAN, 5e-324 };
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
			sim_hist_add(h, v[i] * (round + 1));
		cr_assert_eq(h->n, sizeof v / sizeof v[0]);
		sim_hist_reset(h);
		cr_assert_eq(h->n, 0);
		for (size_t b = 0; b <= SIM_HIST_ZERO; b++)
			cr_assert_eq(h->bucket[b], 0, "round %d: bucket %zu left at %llu", round, b,
				     (unsigned long long)h->bucket[b]);
	}
	cr_assert(isnan(sim_hist_quantile(h, 0.5)));
	sim_hist_fini(h);
	free(h);
}

/* Every quantile is read from the bucket of the exact nearest-rank value,
 * whether it is found from the bottom (q <= 0.5) or from the top: small
 * samples with ties and zeros make the rank fall on every kind of bucket
 * boundary. */
Test(sim_stats, quantile_is_in_the_nearest_rank_bucket)
{
	enum { MAXN = 60 };
	double x[MAXN];
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, 11);
	struct sim_hist *h = hist_new();
	const double qs[] = { 0.01, 0.3, 0.5, 0.5001, 0.51, 0.75, 0.9, 0.95, 0.99, 0.999 };
	for (int round = 0; round < 2000; round++) {
		size_t n = 1 + gsl_rng_uniform_int(r, MAXN);
		sim_hist_reset(h);
		for (size_t i = 0; i < n; i++) {
			double u = gsl_rng_uniform(r);
			/* a quarter zeros, the rest over four decades, some repeated */
			x[i] = u < 0.25 ? 0 : u < 0.4 && i > 0 ? x[i - 1] : pow(10, 4 * u - 3);
			sim_hist_add(h, x[i]);
		}
		gsl_sort(x, 1, n);
		for (size_t k = 0; k < sizeof qs / sizeof qs[0]; k++) {
			double exact = x[(size_t)ceil(qs[k] * (double)n) - 1];
			double got = sim_hist_quantile(h, qs[k]);
			cr_assert_eq(sim_hist_bucket(got), sim_hist_bucket(exact),
				     "n %zu, q %g: %.9g, exact %.9g", n, qs[k], got, exact);
		}
	}
	sim_hist_fini(h);
	free(h);
	gsl_rng_free(r);
}

/* The bucket of a value, at the edges of the bucketed range and for the
 * values that have no bucket of their own; buckets rise with the value. */
Test(sim_stats, bucket_edges)
{
	const uint32_t one = (uint32_t)-SIM_HIST_EXP_MIN * SIM_HIST_SUB;	/* 1.0's */
	cr_assert_eq(sim_hist_bucket(1.0), one);
	cr_assert_eq(sim_hist_bucket(1.5), one + SIM_HIST_SUB / 2);
	cr_assert_eq(sim_hist_bucket(0x1p-32), 0);
	cr_assert_eq(sim_hist_bucket(0x1.fffffffffffffp31), SIM_HIST_BUCKETS - 1);
	cr_assert_eq(sim_hist_bucket(0x1p32), SIM_HIST_BUCKETS - 1);
	cr_assert_eq(sim_hist_bucket(1e300), SIM_HIST_BUCKETS - 1);
	cr_assert_eq(sim_hist_bucket(INFINITY), SIM_HIST_BUCKETS - 1);
	const double zero[] = { 0.0, -0.0, 0x1.fffffffffffffp-33, 5e-324, -1.0, -INFINITY, NAN, -NAN };
	for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++)
		cr_assert_eq(sim_hist_bucket(zero[i]), SIM_HIST_ZERO, "value %zu", i);
	uint32_t last = 0;
	for (double x = 0x1p-32; x < 0x1p33; x *= 1.001) {
		uint32_t b = sim_hist_bucket(x);
		cr_assert(b >= last && b < SIM_HIST_BUCKETS, "%g: bucket %u after %u", x, b, last);
		last = b;
	}
}

/* The last values' buckets wait to be counted (up to SIM_HIST_PEND - 1
 * of them): every reader counts them, as if each had been counted when
 * added; a copy carries them; a reset drops them. */
static uint64_t ref[SIM_HIST_BUCKETS + 1];	/* counted at once */

static void expect_counts(const struct sim_hist *h, uint64_t n, const char *what)
{
	cr_assert_eq(h->n, n);
	for (double v = 1; v <= 5; v++) {
		uint32_t b = sim_hist_bucket(v);
		cr_assert_eq(sim_hist_count(h, b), ref[b], "%s, n %llu: bucket of %g", what,
			     (unsigned long long)n, v);
	}
	/* the nearest-rank value, from the counts of 1 to 5 */
	for (double q = 0.1; q < 1; q += 0.2) {
		uint64_t rank = (uint64_t)ceil(q * (double)n), seen = 0;
		double exact = 1;
		while ((seen += ref[sim_hist_bucket(exact)]) < rank)
			exact++;
		double got = sim_hist_quantile(h, q);
		cr_assert_eq(sim_hist_bucket(got), sim_hist_bucket(exact),
			     "%s, n %llu: quantile %g is %g, want %g", what,
			     (unsigned long long)n, q, got, exact);
	}
}

Test(sim_stats, pending_values_count_everywhere)
{
	struct sim_hist *h = hist_new(), *copy = hist_new();
	memset(ref, 0, sizeof ref);
	uint64_t n = 0;
	for (; n < 3 * SIM_HIST_PEND + 3; n++) {
		double x = (double)((n * 7) % 5 + 1);	/* 1 to 5: five buckets */
		sim_hist_add(h, x);
		ref[sim_hist_bucket(x)]++;
		expect_counts(h, n + 1, "added");
		sim_hist_reset(copy);
		sim_hist_copy(copy, h);
		expect_counts(copy, n + 1, "copied");
	}
	cr_assert_gt(sim_hist_pending(h), 0);
	/* the copy goes on as the original would */
	for (uint64_t k = 0; k < SIM_HIST_PEND; k++, n++) {
		sim_hist_add(copy, 2);
		ref[sim_hist_bucket(2)]++;
		expect_counts(copy, n + 1, "copy added to");
	}
	/* a reset drops the pending with the rest: none counted twice */
	sim_hist_reset(h);
	memset(ref, 0, sizeof ref);
	for (n = 0; n < 2 * SIM_HIST_PEND; n++) {
		sim_hist_add(h, 3);
		ref[sim_hist_bucket(3)]++;
		expect_counts(h, n + 1, "after the reset");
	}
	sim_hist_fini(h);
	sim_hist_fini(copy);
	free(h);
	free(copy);
}
