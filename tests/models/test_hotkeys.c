/* test_hotkeys.c - the Space-Saving sketch and the sliding-window hot-key
 * detector (models/hotkeys.c), without an engine. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/hotkeys.h"
#include "models/keys.h"
#include "sim/rng.h"

#define SEED 4417

Test(mdl_spacesaving, error_bound_holds_over_a_zipf_stream)
{
	enum { NKEYS = 5000, N = 200000, M = 64 };
	static double cum[NKEYS];
	static uint64_t truth[NKEYS];
	mdl_keys_zipf_table(cum, NKEYS, 1.1);
	struct mdl_keys k = { .count = NKEYS, .dist = MDL_KEYS_ZIPF, .exponent = 1.1, .cum = cum };
	gsl_rng *r = sim_rng_new(SEED, 0, "test", "zipf");
	struct mdl_spacesaving *s = mdl_spacesaving_new(M);
	cr_assert_not_null(s);
	for (unsigned i = 0; i < N; i++) {
		uint32_t key = mdl_keys_draw(&k, r);
		truth[key]++;
		mdl_spacesaving_add(s, key);
	}
	double bound = (double)N / M;
	uint64_t floor = mdl_spacesaving_floor(s), sum = 0;
	unsigned monitored = 0;
	cr_expect_leq(floor, bound);
	for (uint32_t key = 0; key < NKEYS; key++) {
		uint64_t est, err;
		if (!mdl_spacesaving_get(s, key, &est, &err)) {
			cr_expect_leq(truth[key], floor, "key %u: %lu items, no counter, floor %lu (seed %d)",
				      key, (unsigned long)truth[key], (unsigned long)floor, SEED);
			continue;
		}
		monitored++;
		sum += est;
		cr_expect_geq(est, truth[key], "key %u underestimated", key);
		cr_expect_leq((double)(est - truth[key]), bound, "key %u: error above N/m", key);
		cr_expect_leq(est - err, truth[key], "key %u: guaranteed count above the truth", key);
	}
	cr_expect_eq(monitored, M);
	cr_expect_eq(sum, N, "the counters add up to the stream");
	cr_expect_eq(mdl_spacesaving_total(s), N);
	mdl_spacesaving_free(s);
	sim_rng_free(r);
}

/* Many evictions through a tiny table: every key stays findable. */
Test(mdl_spacesaving, evictions_keep_the_table_consistent)
{
	enum { M = 5, N = 50000 };
	static unsigned seen[1 << 16];
	gsl_rng *r = sim_rng_new(SEED, 0, "test", "churn");
	struct mdl_spacesaving *s = mdl_spacesaving_new(M);
	for (unsigned i = 0; i < N; i++) {
		uint32_t key = (uint32_t)(gsl_rng_uniform(r) * 300) * 977 % (1 << 16);
		seen[key] = 1;
		mdl_spacesaving_add(s, key);
	}
	uint64_t sum = 0;
	unsigned found = 0;
	for (uint32_t key = 0; key < (1 << 16); key++) {
		uint64_t est, err;
		if (seen[key] && mdl_spacesaving_get(s, key, &est, &err)) {
			found++;
			sum += est;
		}
	}
	cr_expect_eq(found, M);
	cr_expect_eq(sum, N);
	mdl_spacesaving_clear(s);
	uint64_t est, err;
	cr_expect_not(mdl_spacesaving_get(s, 977, &est, &err));
	cr_expect_eq(mdl_spacesaving_floor(s), 0);
	mdl_spacesaving_free(s);
	sim_rng_free(r);
}

/* Feeds h from t0 to t1 at rate items/s of uniform keys among nkeys,
 * plus hot_rate/s of key `hot`; calls see(t) after each item. */
struct feed {
	double rate, hot_rate;
	uint32_t nkeys, hot;
	gsl_rng *r;
};

static double feed(struct mdl_hotkeys *h, struct feed *f, double t0, double t1,
		   double *first_hot)
{
	double total = f->rate + f->hot_rate;
	double t = t0;
	for (; t < t1; t += 1 / total) {
		uint32_t key = gsl_rng_uniform(f->r) * total < f->hot_rate
				       ? f->hot
				       : (uint32_t)(gsl_rng_uniform(f->r) * f->nkeys);
		mdl_hotkeys_add(h, t, key);
		cr_assert_leq(mdl_hotkeys_list(h, (uint32_t[MDL_HOTKEYS_MAX_TOP]){ 0 }, MDL_HOTKEYS_MAX_TOP),
			      2, "more than top keys hot at %g s", t);
		if (first_hot && isnan(*first_hot) && mdl_hotkeys_is_hot(h, f->hot))
			*first_hot = t;
	}
	return t;
}

Test(mdl_hotkeys, finds_an_injected_hot_key_within_one_window)
{
	struct mdl_hotkeys *h = mdl_hotkeys_new(2, 10, 0);
	cr_assert_not_null(h);
	struct feed f = { .rate = 2000, .nkeys = 100000, .hot = mdl_keys_named("hot"),
			  .r = sim_rng_new(SEED, 0, "test", "feed") };
	double first = NAN;
	feed(h, &f, 0, 33, &first);
	cr_expect(isnan(first));
	cr_expect_eq(mdl_hotkeys_stats(h)->isolations, 0, "uniform noise is never hot");
	f.hot_rate = 300;	/* 13% of the items */
	feed(h, &f, 33, 60, &first);
	cr_expect(first > 33 && first <= 43, "the hot key was first hot at %g s", first);
	cr_expect_float_eq(mdl_hotkeys_stats(h)->first_s, floor(first / 2.5) * 2.5, 1e-9);
	cr_expect(mdl_hotkeys_is_hot(h, f.hot));
	uint32_t list[4];
	cr_expect_eq(mdl_hotkeys_list(h, list, 4), 1);
	cr_expect_eq(list[0], f.hot);
	/* it stops: gone once the window no longer holds it */
	f.hot_rate = 0;
	feed(h, &f, 60, 72.6, NULL);
	cr_expect_not(mdl_hotkeys_is_hot(h, f.hot));
	const struct mdl_hotkeys_stats *st = mdl_hotkeys_stats(h);
	cr_expect_eq(st->keys, 1);
	cr_expect_eq(st->isolations, 1);
	cr_expect_eq(st->counters, 16);
	cr_expect(st->bound_held);
	cr_expect_gt(st->checks, 1000);
	mdl_hotkeys_free(h);
	sim_rng_free(f.r);
}

Test(mdl_hotkeys, never_more_than_top_keys_heaviest_first)
{
	/* ten heavy keys of falling weight: only the top 2 are hot */
	struct mdl_hotkeys *h = mdl_hotkeys_new(2, 4, 0);
	gsl_rng *r = sim_rng_new(SEED, 0, "test", "heavy");
	size_t most = 0;
	for (double t = 0; t < 30; t += 1e-3) {
		double u = gsl_rng_uniform(r);
		uint32_t key = u < 0.6 ? (uint32_t)(u * 100 / 6) : 100 + (uint32_t)(u * 10000);
		mdl_hotkeys_add(h, t, key);	/* key j (< 10) has share (0.06) */
		uint32_t list[MDL_HOTKEYS_MAX_TOP];
		size_t n = mdl_hotkeys_list(h, list, MDL_HOTKEYS_MAX_TOP);
		most = n > most ? n : most;
	}
	cr_expect_eq(most, 2);
	const struct mdl_hotkeys_stats *st = mdl_hotkeys_stats(h);
	cr_expect(st->bound_held, "max error %g, %g of the bound", st->max_error,
		  st->max_error_ratio);
	cr_expect_leq(st->max_error_ratio, 1);
	cr_expect_leq(st->keys, 10, "only heavy keys are ever hot");
	mdl_hotkeys_free(h);
	sim_rng_free(r);
}

Test(mdl_hotkeys, min_share_holds_back_the_lighter_keys)
{
	struct mdl_hotkeys *h = mdl_hotkeys_new(3, 4, 0.2);
	/* key 1: 50%, key 2: 25%, key 3: 10% (heavy, but below 20%), the
	 * rest spread thin */
	for (unsigned i = 0; i < 40000; i++) {
		unsigned j = i % 20;
		mdl_hotkeys_add(h, i * 1e-3, j < 10 ? 1 : j < 15 ? 2 : j < 17 ? 3 : 4 + i % 97);
	}
	cr_expect(mdl_hotkeys_is_hot(h, 1));
	cr_expect(mdl_hotkeys_is_hot(h, 2));
	uint32_t list[3];
	cr_expect_eq(mdl_hotkeys_list(h, list, 3), 2);
	cr_expect_eq(list[0], 1);
	mdl_hotkeys_free(h);
}

Test(mdl_hotkeys, a_long_silence_empties_the_hot_set)
{
	struct mdl_hotkeys *h = mdl_hotkeys_new(1, 1, 0);
	for (unsigned i = 0; i < 5000; i++)
		mdl_hotkeys_add(h, i * 1e-3, 7);
	cr_expect(mdl_hotkeys_is_hot(h, 7));
	mdl_hotkeys_advance(h, 1000);
	cr_expect_not(mdl_hotkeys_is_hot(h, 7));
	mdl_hotkeys_free(h);
}
