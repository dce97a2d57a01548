/* test_backoff.c - retry sleeps against the AWS blog's formulas (sim/backoff.c) */
#include <criterion/criterion.h>
#include <math.h>

#include "sim/backoff.h"
#include "sim/rng.h"

enum { N = 200000 };

/* mean, min and max of the sleep before retry n */
static void draw(const struct sim_backoff *b, unsigned n, double *mean, double *lo, double *hi)
{
	gsl_rng *r = sim_rng_new(2385, 1, "client", "jitter");
	double sum = 0;
	*lo = INFINITY;
	*hi = -INFINITY;
	for (int i = 0; i < N; i++) {
		double prev = 0, s = 0;
		for (unsigned k = 1; k <= n; k++)
			s = sim_backoff_sleep(b, k, &prev, r);
		sum += s;
		*lo = fmin(*lo, s);
		*hi = fmax(*hi, s);
	}
	*mean = sum / N;
	sim_rng_free(r);
}

Test(sim_backoff, exponential_without_jitter)
{
	struct sim_backoff b = { 0.1, 2, 10, SIM_JITTER_NONE };
	double prev = 0;
	cr_assert_float_eq(sim_backoff_sleep(&b, 1, &prev, NULL), 0.1, 1e-12);
	cr_assert_float_eq(sim_backoff_sleep(&b, 2, &prev, NULL), 0.2, 1e-12);
	cr_assert_float_eq(sim_backoff_sleep(&b, 4, &prev, NULL), 0.8, 1e-12);
	cr_assert_float_eq(sim_backoff_sleep(&b, 9, &prev, NULL), 10, 0, "capped at max");
	struct sim_backoff none = { 0, 2, 10, SIM_JITTER_NONE };
	cr_assert_float_eq(sim_backoff_sleep(&none, 3, &prev, NULL), 0, 0);
}

Test(sim_backoff, full_jitter_is_uniform_on_0_d)
{
	struct sim_backoff b = { 0.1, 2, 10, SIM_JITTER_FULL };
	double m, lo, hi;
	draw(&b, 3, &m, &lo, &hi);	/* d = 0.4 */
	double se = 0.4 / sqrt(12.0 * N);
	cr_expect(fabs(m - 0.2) < 5 * se, "mean %g, expected 0.2", m);
	cr_expect(lo >= 0 && lo < 0.001 && hi <= 0.4 && hi > 0.399, "range [%g, %g]", lo, hi);
}

Test(sim_backoff, equal_jitter_is_half_plus_uniform_half)
{
	struct sim_backoff b = { 0.1, 2, 10, SIM_JITTER_EQUAL };
	double m, lo, hi;
	draw(&b, 3, &m, &lo, &hi);	/* d = 0.4: U(0.2, 0.4) */
	double se = 0.2 / sqrt(12.0 * N);
	cr_expect(fabs(m - 0.3) < 5 * se, "mean %g, expected 0.3", m);
	cr_expect(lo >= 0.2 && lo < 0.201 && hi <= 0.4 && hi > 0.399, "range [%g, %g]", lo, hi);
}

Test(sim_backoff, decorrelated_jitter)
{
	/* first retry: U(base, 3 base); always within [base, max] */
	struct sim_backoff b = { 0.1, 2, 1, SIM_JITTER_DECORRELATED };
	double m, lo, hi;
	draw(&b, 1, &m, &lo, &hi);
	cr_expect(fabs(m - 0.2) < 5 * 0.2 / sqrt(12.0 * N), "mean %g, expected 0.2", m);
	cr_expect(lo >= 0.1 && hi <= 0.3, "range [%g, %g]", lo, hi);
	/* second retry: U(base, 3 s1) with s1 ~ U(base, 3 base): mean
	 * (base + 3 E[s1]) / 2 = (0.1 + 0.6) / 2 = 0.35 */
	draw(&b, 2, &m, &lo, &hi);
	cr_expect(fabs(m - 0.35) < 0.005, "mean %g, expected 0.35", m);
	cr_expect(lo >= 0.1 && hi <= 0.9, "range [%g, %g]", lo, hi);
	draw(&b, 8, &m, &lo, &hi);
	cr_expect(lo >= 0.1 && hi <= 1.0, "capped at max: range [%g, %g]", lo, hi);
}
