/* test_keys.c - item keys (models/keys.c): the uniform and Zipf samplers
 * against their closed forms, key flows of a producer's schedule, and
 * that keys move no arrival. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "models/keys.h"
#include "sim/rng.h"
#include "tests/helpers.h"

#define SEED 20261130

/* H(n, s) = sum over k = 1 .. n of k^-s, summed smallest first. */
static double harmonic(uint32_t n, double s)
{
	double h = 0;
	for (uint32_t k = n; k >= 1; k--)
		h += pow(k, -s);
	return h;
}

/* Draws n keys of k and counts those of each of the first nkeys keys. */
static void draw_counts(const struct mdl_keys *k, const char *purpose, unsigned n,
			unsigned *counts, uint32_t nkeys)
{
	gsl_rng *r = sim_rng_new(SEED, 0, "test", purpose);
	cr_assert_not_null(r);
	memset(counts, 0, nkeys * sizeof *counts);
	for (unsigned i = 0; i < n; i++) {
		uint32_t key = mdl_keys_draw(k, r);
		cr_assert_lt(key, k->count, "key %u out of range (seed %d)", key, SEED);
		if (key < nkeys)
			counts[key]++;
	}
	sim_rng_free(r);
}

/* |observed share - p| within 4 binomial standard deviations. */
static void expect_share(unsigned count, unsigned n, double p, const char *what)
{
	double share = (double)count / n, sd = sqrt(p * (1 - p) / n);
	cr_expect(fabs(share - p) < 4 * sd, "%s: share %.5f, theory %.5f (4 sd %.5f, seed %d)", what,
		  share, p, 4 * sd, SEED);
}

Test(mdl_keys, zipf_table_starts_at_one_over_h)
{
	static double cum[1000];
	mdl_keys_zipf_table(cum, 1000, 1.07);
	double h = harmonic(1000, 1.07);
	cr_expect_float_eq(cum[0], 1 / h, 1e-12, "top share %.12g, 1/H %.12g", cum[0], 1 / h);
	cr_expect_float_eq(cum[9] - cum[8], pow(10, -1.07) / h, 1e-12);
	cr_expect_eq(cum[999], 1.0);
	for (int i = 1; i < 1000; i++)
		cr_assert_gt(cum[i], cum[i - 1]);
}

Test(mdl_keys, zipf_top_key_share_is_one_over_h)
{
	enum { N = 400000, NKEYS = 5000 };
	static double cum[NKEYS];
	mdl_keys_zipf_table(cum, NKEYS, 0.93);
	struct mdl_keys k = { .count = NKEYS, .dist = MDL_KEYS_ZIPF, .exponent = 0.93, .cum = cum };
	unsigned counts[3];
	draw_counts(&k, "zipf", N, counts, 3);
	double h = harmonic(NKEYS, 0.93);
	expect_share(counts[0], N, 1 / h, "key 0");
	expect_share(counts[1], N, pow(2, -0.93) / h, "key 1");
	expect_share(counts[2], N, pow(3, -0.93) / h, "key 2");
}

Test(mdl_keys, uniform_shares_are_equal)
{
	enum { N = 300000, NKEYS = 7 };
	struct mdl_keys k = { .count = NKEYS, .dist = MDL_KEYS_UNIFORM };
	unsigned counts[NKEYS];
	draw_counts(&k, "uniform", N, counts, NKEYS);
	for (int i = 0; i < NKEYS; i++) {
		char what[32];
		snprintf(what, sizeof what, "key %d", i);
		expect_share(counts[i], N, 1.0 / NKEYS, what);
	}
}

Test(mdl_keys, named_keys_are_above_the_drawn_ones)
{
	uint32_t a = mdl_keys_named("hot"), b = mdl_keys_named("viral-post");
	cr_expect(a & MDL_KEYS_NAMED);
	cr_expect(b & MDL_KEYS_NAMED);
	cr_expect_neq(a, b);
	cr_expect_neq(a, SIM_NONE);
	cr_expect_eq(a, mdl_keys_named("hot"), "a name is always the same number");
}

/* A producer into a fast pool; keys and extra schedule entries spliced in. */
static char *scenario(const char *keys, const char *extra)
{
	static char buf[2048];
	snprintf(buf, sizeof buf,
		 "duration: 30s\nsample: 1s\n"
		 "classes: {a: {priority: 0}, b: {priority: 1}}\n"
		 "components:\n"
		 "  users:\n"
		 "    kind: producer\n"
		 "    rate: 400/s\n"
		 "    mix: {a: 0.3, b: 0.7}\n"
		 "    to: q\n"
		 "%s"
		 "    schedule:\n"
		 "      - {at: 10s, for: 5s, rate: 900/s}\n"
		 "%s"
		 "  q: {kind: queue}\n"
		 "  w: {kind: workers, from: q, count: 2, service: {dist: exponential, mean: 2ms}}\n",
		 keys, extra);
	return buf;
}

Test(mdl_keys, keys_move_no_arrival, .timeout = 60)
{
	struct th_runs plain, keyed;
	th_run(&plain, scenario("", ""), NULL, 2);
	th_run(&keyed, scenario("    keys: {count: 1000, dist: zipf, exponent: 1.2}\n", ""), NULL, 2);
	for (unsigned k = 0; k < 2; k++) {
		const struct sim_series *a = &plain.res[k].series, *b = &keyed.res[k].series;
		cr_assert_eq(a->ncols, b->ncols);
		cr_assert_eq(a->nrows, b->nrows);
		cr_assert_gt(a->nrows, 20);
		cr_expect(!memcmp(a->v, b->v, a->nrows * a->ncols * sizeof *a->v),
			  "every column of the time series is the same with keys");
		const char *same[] = { "components.users.created", "components.users.sojourn_s.mean",
				       "components.users.sojourn_s.max", "components.q.mean_wait_s" };
		for (size_t i = 0; i < sizeof same / sizeof *same; i++)
			cr_expect_eq(th_value(&plain.res[k], same[i]), th_value(&keyed.res[k], same[i]),
				     "%s moved", same[i]);
	}
	th_runs_free(&plain);
	th_runs_free(&keyed);
}

Test(mdl_keys, a_key_flow_adds_its_items_and_moves_nothing_else, .timeout = 120)
{
	const char *keys = "    keys: {count: 50, dist: uniform}\n";
	struct th_runs plain, hot;
	th_run(&plain, scenario(keys, ""), NULL, 10);
	th_run(&hot, scenario(keys, "      - {at: 12s, for: 4s, rate: 750/s, key: hot}\n"), NULL, 10);
	/* Poisson: 750/s over 4 s is 3000 items on average */
	th_check(&hot, "components.users.key_flows.hot", 3000, 0.02);
	for (unsigned k = 0; k < 10; k++)
		cr_expect_eq(th_value(&hot.res[k], "components.users.created"),
			     th_value(&plain.res[k], "components.users.created") +
				     th_value(&hot.res[k], "components.users.key_flows.hot"),
			     "the key flow adds to the producer's own arrivals, which do not move");
	th_runs_free(&plain);
	th_runs_free(&hot);
}

Test(mdl_keys, entries_of_one_key_add_up, .timeout = 60)
{
	struct th_runs r;
	th_run(&r,
	       "duration: 20s\nsample: 1s\n"
	       "components:\n"
	       "  users: {kind: producer, rate: 100/s, arrivals: constant, to: q,\n"
	       "          keys: {count: 10}, schedule: [{at: 2s, for: 3s, rate: 200/s, key: hot},\n"
	       "          {at: 8s, for: 1s, rate: 500/s, key: hot}, {at: 3s, for: 2s, rate: 50/s, key: 7}]}\n"
	       "  q: {kind: queue}\n"
	       "  w: {kind: workers, from: q, count: 4, service: 1ms}\n",
	       NULL, 1);
	/* constant gaps: 200 x 3 + 500 x 1 for hot, 50 x 2 for drawn key 7 */
	cr_expect_float_eq(th_value(&r.res[0], "components.users.key_flows.hot"), 1100, 1.5);
	cr_expect_float_eq(th_value(&r.res[0], "components.users.key_flows.7"), 100, 1.5);
	cr_expect_float_eq(th_value(&r.res[0], "components.users.created"), 2000 + 1200, 3);
	th_runs_free(&r);
}

static void expect_error(const char *yaml, const char *want)
{
	char err[4096];
	int n = th_errors(yaml, err, sizeof err);
	cr_expect_gt(n, 0, "accepted:\n%s", yaml);
	cr_expect(strstr(err, want) != NULL, "expected '%s' in:\n%s", want, err);
}

#define ONE_PRODUCER(KEYS, SCHEDULE)                                                       \
	"duration: 10s\ncomponents:\n  users: {kind: producer, rate: 10/s, to: q" KEYS SCHEDULE \
	"}\n  q: {kind: queue}\n  w: {kind: workers, from: q, count: 1, service: 1ms}\n"

Test(mdl_keys, bad_keys_are_refused)
{
	expect_error(ONE_PRODUCER("", ", schedule: [{at: 1s, for: 1s, rate: 5/s, key: hot}]"),
		     "test.yaml:3:91: error: a schedule entry of producer 'users' targets key 'hot', but the producer has no 'keys'");
	expect_error(ONE_PRODUCER(", keys: {count: 0}", ""), "'count' in producer 'users' must be between 1");
	expect_error(ONE_PRODUCER(", keys: {count: 5, dist: pareto}", ""), "unknown dist 'pareto'");
	expect_error(ONE_PRODUCER(", keys: {count: 5, exponent: 2}", ""),
		     "'exponent' of the keys of producer 'users' applies to 'dist: zipf' only");
	expect_error(ONE_PRODUCER(", keys: {count: 5, dist: zipf, exponent: -1}", ""), "exponent");
	expect_error(ONE_PRODUCER(", keys: {count: 2000000, dist: zipf}", ""),
		     "above the limit of 1048576");
	expect_error(ONE_PRODUCER(", keys: {count: 5, colour: red}", ""), "unknown key 'colour'");
	expect_error(ONE_PRODUCER(", keys: 5", ""), "expected {count, dist, exponent} for 'keys'");
	expect_error(ONE_PRODUCER(", keys: {count: 5}", ", schedule: [{at: 1s, rate: 5/s, key: 5}]"),
		     "key 5 in 'key' of a schedule entry of producer 'users' is not a drawn key (keys are numbered 0 to 4)");
	expect_error(ONE_PRODUCER(", keys: {count: 5}", ", schedule: [{at: 1s, rate: 5/s, key: [a]}]"),
		     "expected a key name or number");
	expect_error(ONE_PRODUCER(", keys: {count: 5}", ", schedule: [{at: 1s, rat: 5/s, key: a}]"),
		     "unknown key 'rat'");
}
