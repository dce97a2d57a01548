/* test_dist.c - every distribution's parameters, sample mean and variance
 * against its closed form (sim/dist.c), and the rng streams (sim/rng.c). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/dist.h"
#include "sim/rng.h"
#include "tests/helpers.h"

static struct sim_arena arena;
static struct sim_diag diag;

static struct sim_dist parse(const char *yaml)
{
	static char buf[4096];
	FILE *f = fmemopen(buf, sizeof buf, "w");
	sim_diag_init(&diag, f);
	struct sim_node *n = sim_node_parse(&arena, "d.yaml", yaml, strlen(yaml), &diag);
	cr_assert_not_null(n);
	struct sim_cfg c = { .arena = &arena, .diag = &diag, .kind = "workers", .name = "w",
			     .at = n, .base_dir = th_source_root() };
	struct sim_dist d;
	int r = sim_dist_parse(&c, n, "service", &d);
	fclose(f);
	cr_assert_eq(r, 1, "'%s' rejected: %s", yaml, buf);
	return d;
}

static void check_moments(const char *yaml, double mean, double var)
{
	struct sim_dist d = parse(yaml);
	cr_assert_float_eq(d.mean, mean, 1e-12 * fabs(mean) + 1e-15, "%s: closed-form mean", yaml);
	if (isfinite(var))
		cr_assert_float_eq(d.var, var, 1e-9 * var + 1e-18, "%s: closed-form variance", yaml);
	gsl_rng *r = sim_rng_new(2385, 1, "w", yaml);
	enum { N = 400000 };
	double sum = 0, sum2 = 0;
	for (int i = 0; i < N; i++) {
		double x = sim_dist_sample(&d, r);
		cr_assert(x >= 0, "%s: negative sample %g", yaml, x);
		sum += x;
		sum2 += x * x;
	}
	double m = sum / N, v = (sum2 - N * m * m) / (N - 1);
	double se = sqrt((isfinite(var) ? var : v) / N);
	cr_expect(fabs(m - mean) <= 5 * se + 1e-9 * mean, "%s: sample mean %.6g, expected %.6g", yaml, m,
		  mean);
	if (isfinite(var) && var > 0)
		cr_expect(fabs(v - var) <= 0.05 * var, "%s: sample variance %.6g, expected %.6g",
			  yaml, v, var);
	sim_rng_free(r);
}

Test(sim_dist, moments_of_every_kind)
{
	sim_arena_init(&arena);
	check_moments("5ms", 0.005, 0);
	check_moments("{dist: constant, value: 2.385}", 2.385, 0);
	check_moments("{dist: exponential, mean: 10ms}", 0.01, 1e-4);
	check_moments("{dist: uniform, min: 1ms, max: 3ms}", 0.002, 4e-6 / 12);
	check_moments("{dist: lognormal, mean: 20ms, cv: 0.5}", 0.02, 1e-4);
	check_moments("{dist: gamma, mean: 4, cv: 0.25}", 4, 1);
	check_moments("{dist: erlang, k: 3, mean: 30ms}", 0.03, 9e-4 / 3);
	double g1 = tgamma(1 + 1 / 1.5), g2 = tgamma(1 + 2 / 1.5);
	check_moments("{dist: weibull, shape: 1.5, scale: 2s}", 2 * g1, 4 * (g2 - g1 * g1));
	/* alpha 5: variance b^2 a / ((a-1)^2 (a-2)), b = m (a-1)/a */
	double b = 0.01 * 4 / 5;
	check_moments("{dist: pareto, mean: 10ms, alpha: 5}", 0.01, b * b * 5 / (16 * 3));
	struct sim_dist p = parse("{dist: pareto, mean: 10ms, alpha: 1.5}");
	cr_assert(isinf(p.var), "pareto with alpha <= 2 has infinite variance");
	check_moments("{dist: empirical, file: tests/scenarios/samples.csv}", 0.0155, 5.325e-5);
	sim_arena_fini(&arena);
}

static int errors_of(const char *yaml, char *buf, size_t size)
{
	FILE *f = fmemopen(buf, size, "w");
	sim_diag_init(&diag, f);
	struct sim_node *n = sim_node_parse(&arena, "d.yaml", yaml, strlen(yaml), &diag);
	struct sim_cfg c = { .arena = &arena, .diag = &diag, .kind = "workers", .name = "w",
			     .at = n, .base_dir = th_source_root() };
	struct sim_dist d;
	if (n)
		sim_dist_parse(&c, n, "service", &d);
	fclose(f);
	return diag.errors;
}

Test(sim_dist, bad_parameters)
{
	sim_arena_init(&arena);
	static const struct {
		const char *yaml, *msg;
	} cases[] = {
		{ "{dist: exponental, mean: 1}", "did you mean 'exponential'" },
		{ "{mean: 1}", "missing 'dist'" },
		{ "{dist: exponential}", "missing 'mean'" },
		{ "{dist: exponential, mean: -1}", "cannot be negative" },
		{ "{dist: exponential, mean: 0}", "must be greater than 0" },
		{ "{dist: uniform, min: 3, max: 1}", "below 'min'" },
		{ "{dist: pareto, mean: 1, alpha: 1}", "must be greater than 1" },
		{ "{dist: erlang, k: 2.5, mean: 1}", "whole number" },
		{ "{dist: lognormal, mean: 1, cv: nan}", "bad number 'nan'" },
		{ "{dist: gamma, mean: 1, cv: 1, k: 2}", "unknown key 'k'" },
		{ "{dist: empirical, file: no-such.csv}", "cannot open samples file" },
		{ "[1, 2]", "expected a duration or a distribution map" },
		{ "5 parsecs", "bad duration '5 parsecs'" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[2048] = "";
		cr_expect_gt(errors_of(cases[i].yaml, buf, sizeof buf), 0, "%s accepted", cases[i].yaml);
		cr_expect(strstr(buf, cases[i].msg), "%s: expected '%s' in: %s", cases[i].yaml,
			  cases[i].msg, buf);
		cr_expect(strstr(buf, "d.yaml:1:"), "%s: no position in: %s", cases[i].yaml, buf);
	}
	sim_arena_fini(&arena);
}

Test(sim_rng, streams_differ_and_reproduce)
{
	gsl_rng *a = sim_rng_new(1, 1, "api", "arrivals");
	gsl_rng *b = sim_rng_new(1, 1, "api", "arrivals");
	gsl_rng *c = sim_rng_new(1, 1, "api", "mix");
	gsl_rng *d = sim_rng_new(1, 2, "api", "arrivals");
	gsl_rng *e = sim_rng_new(2, 1, "api", "arrivals");
	for (int i = 0; i < 100; i++) {
		double x = gsl_rng_uniform(a);
		cr_assert(x == gsl_rng_uniform(b), "same stream must reproduce");
		cr_assert(x >= 0 && x < 1);
	}
	int same_c = 0, same_d = 0, same_e = 0;
	for (int i = 0; i < 100; i++) {
		double x = gsl_rng_uniform(b);
		same_c += x == gsl_rng_uniform(c);
		same_d += x == gsl_rng_uniform(d);
		same_e += x == gsl_rng_uniform(e);
	}
	cr_assert_eq(same_c + same_d + same_e, 0);
	cr_assert_neq(sim_rng_seed(1, 1, "ab", "c"), sim_rng_seed(1, 1, "a", "bc"));
	/* uniformity of the generator: mean and variance of U(0,1) */
	double s = 0, s2 = 0;
	for (int i = 0; i < 1000000; i++) {
		double u = gsl_rng_uniform(a);
		s += u;
		s2 += u * u;
	}
	cr_assert(fabs(s / 1e6 - 0.5) < 5 * sqrt(1.0 / 12 / 1e6));
	cr_assert(fabs(s2 / 1e6 - 1.0 / 3) < 0.002);
	sim_rng_free(a);
	sim_rng_free(b);
	sim_rng_free(c);
	sim_rng_free(d);
	sim_rng_free(e);
}

/* The next n uniforms of r in (0, 1), as the batched draws take them. */
static void uniforms(gsl_rng *r, double *u, int n)
{
	for (int i = 0; i < n; i++) {
		do
			u[i] = gsl_rng_uniform(r);
		while (u[i] == 0);
	}
}

/* Exponentials drawn ahead in batches are -log(u) of the stream's own
 * uniforms, in order, across batch boundaries and a re-seeding, with the
 * logarithm of sim/neglog.h (here on the baseline instruction set: the
 * same bits as the wider one the draws may use); on a generator of
 * another type they are drawn one by one, with libm's. */
Test(sim_rng, batched_exponentials_are_the_streams_own)
{
	gsl_rng *a = sim_rng_new(7, 3, "db", "service");
	gsl_rng *b = sim_rng_new(7, 3, "db", "service");
	double u[SIM_RNG_EXPO_BATCH];
	for (int i = 0; i < 5 * SIM_RNG_EXPO_BATCH; i++) {
		if (i % SIM_RNG_EXPO_BATCH == 0) {
			uniforms(b, u, SIM_RNG_EXPO_BATCH);
			cr_assert(sim_neglog_batch(u, SIM_NEGLOG_BASE));
		}
		double want = 0.0123 * u[i % SIM_RNG_EXPO_BATCH], got = sim_exponential(a, 0.0123);
		cr_assert(got == want, "draw %d: %.17g, want %.17g", i, got, want);
	}
	gsl_rng_set(a, 99);
	gsl_rng_set(b, 99);
	uniforms(b, u, SIM_RNG_EXPO_BATCH);
	sim_neglog_batch(u, SIM_NEGLOG_BASE);
	for (int i = 0; i < SIM_RNG_EXPO_BATCH; i++)
		cr_assert(sim_rng_exponential(a) == u[i], "after set, draw %d", i);
	gsl_rng *m = gsl_rng_alloc(gsl_rng_mt19937), *n = gsl_rng_alloc(gsl_rng_mt19937);
	for (int i = 0; i < 40; i++) {
		double x = sim_rng_exponential(m), v = gsl_rng_uniform_pos(n);
		cr_assert(x == -log(v), "mt19937 draw %d", i);
	}
	sim_rng_free(a);
	sim_rng_free(b);
	gsl_rng_free(m);
	gsl_rng_free(n);
}
