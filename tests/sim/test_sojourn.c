/* test_sojourn.c - the sojourn views (sim/sojourn.c) against three plain
 * histograms per item: the class's, the interval's and the source's. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "sim/rng.h"
#include "sim/sojourn.h"
#include "sim/stats.h"

#define NSRC 3
#define NCLS 3

struct model {
	struct sim_hist cls[NCLS], iv[NCLS], src[NSRC];
};

static void expect_same(const struct sim_hist *got, const struct sim_hist *want, const char *what,
			size_t i)
{
	cr_expect_eq(got->n, want->n, "%s %zu: n %llu, want %llu", what, i,
		     (unsigned long long)got->n, (unsigned long long)want->n);
	cr_expect_eq(sim_hist_count(got, SIM_HIST_ZERO), sim_hist_count(want, SIM_HIST_ZERO),
		     "%s %zu: zero", what, i);
	cr_expect(got->sum == want->sum, "%s %zu: sum %.17g, want %.17g", what, i, got->sum,
		  want->sum);
	if (!want->n)
		return;
	cr_expect(got->min == want->min && got->max == want->max, "%s %zu: min/max", what, i);
	const double q[] = { 0.5, 0.95, 0.99, 0.999 };
	for (size_t k = 0; k < 4; k++)
		cr_expect(sim_hist_quantile(got, q[k]) == sim_hist_quantile(want, q[k]),
			  "%s %zu: quantile %g", what, i, q[k]);
}

/* The interval's count in every bucket, the class's histogram less its
 * snapshot (pending values included), against the interval's own. */
static void expect_interval_counts(const struct sim_sojourn_class *c, const struct sim_hist *iv,
				   int step, size_t k)
{
	for (uint32_t b = 0; b <= SIM_HIST_BUCKETS; b++) {
		uint64_t got = sim_hist_count(c->all, b) - c->snap->bucket[b];
		if (got != sim_hist_count(iv, b)) {
			cr_expect_eq(got, sim_hist_count(iv, b), "step %d class %zu bucket %u", step,
				     k, b);
			return;
		}
	}
}

/* (source, class): the second shares the first's source, the third the
 * second's class; the fourth is a twin pair of its own. */
static const size_t pair[][2] = { { 1, 2 }, { 1, 0 }, { 0, 0 }, { 2, 1 } };

/* Items of the first `pairs` combinations above, with a warm-up and
 * samples at irregular points; 1 keeps one twin pair all along, more
 * break it at the first item of the second.  The warm-up comes after
 * step warm. */
static void run(size_t pairs, uint64_t seed, int warm)
{
	static struct model m;
	static struct sim_hist src_h[NSRC];
	struct sim_hist *src_p[NSRC];
	for (size_t i = 0; i < NSRC; i++) {
		src_p[i] = &src_h[i];
		sim_hist_init(&m.src[i]);
	}
	for (size_t k = 0; k < NCLS; k++) {
		sim_hist_init(&m.cls[k]);
		sim_hist_init(&m.iv[k]);
	}
	struct sim_sojourn s;
	cr_assert_eq(sim_sojourn_init(&s, NCLS, NSRC, src_p), 0);
	uint64_t r[4] = { seed, 1, 2, 3 };
	for (int step = 0; step < 20000; step++) {
		size_t p = sim_xoshiro_next(r) % pairs;
		if (step < 3000)
			p = 0;	/* one pair first: twins until another comes */
		size_t src = pair[p][0], cls = pair[p][1];
		/* sojourns over many octaves, some below the smallest bucket */
		double mant = 1.0 + (double)(sim_xoshiro_next(r) % 1000) / 1000.0;
		double x = ldexp(mant, (int)(sim_xoshiro_next(r) % 40) - 36);
		if (sim_xoshiro_next(r) % 50 == 0)
			x = 0;
		sim_sojourn_add(&s, src, cls, x);
		sim_hist_add(&m.cls[cls], x);
		sim_hist_add(&m.iv[cls], x);
		sim_hist_add(&m.src[src], x);
		if (step == warm) {	/* the warm-up, mid-interval */
			sim_sojourn_warmup(&s);
			for (size_t k = 0; k < NCLS; k++)
				sim_hist_reset(&m.cls[k]);
			for (size_t i = 0; i < NSRC; i++)
				sim_hist_reset(&m.src[i]);
		}
		if (sim_xoshiro_next(r) % 300 == 0 || step == 19999) {
			for (size_t k = 0; k < NCLS; k++) {
				expect_interval_counts(&s.cls[k], &m.iv[k], step, k);
				double got = sim_sojourn_interval_p99(&s, k);
				double want = sim_hist_quantile(&m.iv[k], 0.99);
				cr_expect(got == want || (isnan(got) && isnan(want)),
					  "step %d class %zu: interval p99 %.17g, want %.17g", step, k,
					  got, want);
				sim_hist_reset(&m.iv[k]);
			}
		}
	}
	sim_sojourn_finish(&s);
	for (size_t k = 0; k < NCLS; k++)
		expect_same(s.cls[k].all, &m.cls[k], "class", k);
	for (size_t i = 0; i < NSRC; i++)
		expect_same(&src_h[i], &m.src[i], "source", i);
	sim_sojourn_fini(&s);
	for (size_t i = 0; i < NSRC; i++) {
		sim_hist_fini(&src_h[i]);
		sim_hist_fini(&m.src[i]);
	}
	for (size_t k = 0; k < NCLS; k++) {
		sim_hist_fini(&m.cls[k]);
		sim_hist_fini(&m.iv[k]);
	}
}

Test(sim_sojourn, one_pair_stays_twins)
{
	run(1, 42, 1777);
}

Test(sim_sojourn, a_second_pair_splits_the_twins)
{
	run(2, 7, 1777);
}

Test(sim_sojourn, a_shared_class_splits_its_twin)
{
	run(3, 2024, 1777);
}

Test(sim_sojourn, twins_and_others)
{
	run(4, 99, 1777);
}

/* Values wait to be counted eight at a time: a warm-up at each place in
 * a group of eight drops exactly what the histogram held, pending values
 * included, and the intervals around it count every value once. */
Test(sim_sojourn, warm_up_at_every_pending_count)
{
	for (int warm = 1777; warm < 1777 + 2 * SIM_HIST_PEND; warm++)
		run(1, 42, warm);
}

/* Sources 0 and 1 of class 0, with sums that depend on their order. */
static double class_sum(bool parts, bool interleaved)
{
	struct sim_hist h[2], *hp[2] = { &h[0], &h[1] };
	struct sim_sojourn s;
	cr_assert_eq(sim_sojourn_init(&s, 1, 2, hp), 0);
	if (parts) {
		const uint32_t part[2] = { 0, 1 };
		cr_assert_eq(sim_sojourn_parts(&s, 2, part), 0);
	}
	/* one after the other they add up to 2.8, interleaved to the next
	 * double above */
	const double a[] = { 0.1, 0.3, 0.7 }, b[] = { 0.2, 0.6, 0.9 };
	for (size_t i = 0; i < 3; i++) {
		if (interleaved) {
			sim_sojourn_add(&s, 0, 0, a[i]);
			sim_sojourn_add(&s, 1, 0, b[i]);
		} else {
			sim_sojourn_add(&s, 0, 0, a[i]);
		}
	}
	for (size_t i = 0; !interleaved && i < 3; i++)
		sim_sojourn_add(&s, 1, 0, b[i]);
	sim_sojourn_finish(&s);
	double sum = s.cls[0].all->sum;
	sim_sojourn_fini(&s);
	sim_hist_fini(&h[0]);
	sim_hist_fini(&h[1]);
	return sum;
}

Test(sim_sojourn, part_sums_do_not_depend_on_the_order)
{
	/* a model's parts interleave one way in one calendar, another run
	 * apart: summed part by part, a class's sum is the same bits */
	double one = class_sum(true, true), apart = class_sum(true, false);
	cr_assert(one == apart, "%.17g != %.17g", one, apart);
	cr_assert(class_sum(false, true) != class_sum(false, false),
		  "the values chosen do not show the order");
}
