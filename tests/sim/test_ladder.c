/* test_ladder.c - the ladder queue alone (sim/ladder.c): what a batch
 * holds, its bound, and the rough order of a small batch.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "sim/ladder.h"
#include "sim/rng.h"

#define N 20000

/* Events of out[0, n) later than the first of a later slice: the
 * counting sort leaves none apart by more than width. */
static size_t out_of_slice(const struct sim_event *out, size_t n, double width)
{
	size_t bad = 0;
	double latest = -INFINITY;
	for (size_t i = 0; i < n; i++) {
		if (out[i].time < latest - width)
			bad++;
		latest = out[i].time > latest ? out[i].time : latest;
	}
	return bad;
}

/* Takes every batch of l, checking each against the bound of the one
 * before (prev, first) and its own, and that a batch of at most 512
 * events comes in order of time but within a slice (its span over its
 * size); returns the events taken, and the batches so checked in *small. */
static size_t take_all(struct sim_ladder *l, double prev, struct sim_event *out, bool *seen,
		       size_t *small)
{
	size_t total = 0;
	double bound;
	size_t n;
	*small = 0;
	while ((n = sim_ladder_take(l, out, &bound))) {
		double min = INFINITY, max = -INFINITY;
		for (size_t i = 0; i < n; i++) {
			cr_assert(out[i].time >= prev && out[i].time < bound,
				  "%g outside [%g, %g)", out[i].time, prev, bound);
			cr_assert(!seen[out[i].seq], "seq %llu taken twice",
				  (unsigned long long)out[i].seq);
			seen[out[i].seq] = true;
			min = out[i].time < min ? out[i].time : min;
			max = out[i].time > max ? out[i].time : max;
		}
		if (n >= 3 && n <= 512 && min < max) {
			(*small)++;
			cr_assert_eq(out_of_slice(out, n, (max - min) / (double)n), 0,
				     "a batch of %zu out of order by more than a slice", n);
		}
		prev = bound;
		total += n;
	}
	return total;
}

/* Inserts N events at times from time_of (drawing from a stream seeded
 * with seed) and takes them all back through take_all: each exactly once,
 * none left.  Returns the small batches checked for order. */
static size_t insert_and_take_all(uint64_t seed, double (*time_of)(uint64_t seq, uint64_t *s))
{
	struct sim_ladder *l = sim_ladder_new();
	cr_assert_not_null(l);
	cr_assert_eq(sim_ladder_reserve(l, N), 0);
	struct sim_event *out = malloc(N * sizeof *out);
	bool *seen = calloc(N + 1, sizeof *seen);
	cr_assert(out && seen);
	uint64_t s[4] = { seed, 1, 2, 3 };
	for (uint64_t seq = 1; seq <= N; seq++)
		sim_ladder_insert(l, time_of(seq, s), seq, NULL, 0, 0);
	size_t small;
	cr_assert_eq(take_all(l, -INFINITY, out, seen, &small), N);
	for (uint64_t seq = 1; seq <= N; seq++)
		cr_assert(seen[seq], "seq %llu lost", (unsigned long long)seq);
	cr_assert_eq(sim_ladder_count(l), 0);
	free(seen);
	free(out);
	sim_ladder_free(l);
	return small;
}

static double spread(uint64_t seq, uint64_t *s)
{
	(void)seq;
	return 1000 * sim_xoshiro_double(s);
}

/* nine events in ten within [0, 1), the rest over [0, 1000) */
static double dense(uint64_t seq, uint64_t *s)
{
	return (seq % 10 ? 1 : 1000) * sim_xoshiro_double(s);
}

Test(sim_ladder, small_batches_come_in_order_of_time)
{
	/* rung 0 splits N events into hundreds of small batches, each
	 * checked (in random order, events a slice apart would be inverted) */
	size_t small = insert_and_take_all(7, spread);
	cr_assert_gt(small, 100, "%zu small batches", small);
}

Test(sim_ladder, dense_buckets_split_into_finer_rungs)
{
	/* rung 0's first bucket holds thousands, split into finer rungs
	 * whose buckets leave through the counting sort */
	size_t small = insert_and_take_all(5, dense);
	cr_assert_gt(small, 50, "%zu small batches", small);
}

Test(sim_ladder, rung_zero_takes_events_pushed_past_the_last)
{
	/* after the first take, rung 0 reaches past Top's last event: events
	 * pushed there come back in order with the rest, none lost */
	struct sim_ladder *l = sim_ladder_new();
	cr_assert_not_null(l);
	cr_assert_eq(sim_ladder_reserve(l, 2 * N), 0);
	struct sim_event *out = malloc(2 * N * sizeof *out);
	bool *seen = calloc(2 * N + 1, sizeof *seen);
	cr_assert(out && seen);
	uint64_t s[4] = { 11, 1, 2, 3 };
	for (uint64_t seq = 1; seq <= N; seq++)
		sim_ladder_insert(l, sim_xoshiro_double(s), seq, NULL, 0, 0);
	double bound;
	size_t n = sim_ladder_take(l, out, &bound);
	cr_assert_gt(n, 0);
	for (size_t i = 0; i < n; i++)
		seen[out[i].seq] = true;
	for (uint64_t seq = N + 1; seq <= 2 * N; seq++)	/* over [bound, bound + 5) */
		sim_ladder_insert(l, bound + 5 * sim_xoshiro_double(s), seq, NULL, 0, 0);
	size_t small;
	cr_assert_eq(n + take_all(l, bound, out, seen, &small), 2 * N);
	cr_assert_gt(small, 100, "%zu small batches", small);
	for (uint64_t seq = 1; seq <= 2 * N; seq++)
		cr_assert(seen[seq], "seq %llu lost", (unsigned long long)seq);
	free(seen);
	free(out);
	sim_ladder_free(l);
}
