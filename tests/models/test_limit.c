/* test_limit.c - the client's adaptive concurrency limit (models/limit.c),
 * its updates alone; tests/models/test_client.c runs it in a client. */
#include <criterion/criterion.h>
#include <math.h>

#include "models/limit.h"

/* A limit as mdl_limit_init leaves it, without an engine to register with. */
static void setup(struct mdl_limit *l, const struct mdl_limit_conf *cf)
{
	*l = (struct mdl_limit){ .conf = cf, .limit = cf->initial };
}

Test(mdl_limit, aimd_refuses_at_the_limit_and_backs_off)
{
	const struct mdl_limit_conf cf = { .initial = 8, .min = 3, .max = 10, .backoff = 0.45 };
	struct mdl_limit l;
	setup(&l, &cf);
	for (int i = 0; i < 8; i++) {
		cr_assert(mdl_limit_allows(&l), "attempt %d refused", i);
		mdl_limit_sent(&l);
	}
	cr_assert_not(mdl_limit_allows(&l));
	cr_assert_eq(sim_count_value(&l.limited), 1);
	/* a failure: 8 x 0.45 = 3.6 */
	mdl_limit_ended(&l, true, 1.5);
	cr_assert_float_eq(l.limit, 3.6, 1e-12, "limit %g", l.limit);
	cr_assert_eq(l.outstanding, 7);
	/* a success while 6 x 2 >= 3.6: one more */
	mdl_limit_ended(&l, false, 0.01);
	cr_assert_float_eq(l.limit, 4.6, 1e-12, "limit %g", l.limit);
	/* failures stop at min */
	mdl_limit_ended(&l, true, 1.5);
	mdl_limit_ended(&l, true, 1.5);
	cr_assert_float_eq(l.limit, 3, 1e-12, "limit %g", l.limit);
	/* 4 outstanding: successes grow it while outstanding x 2 >= limit,
	 * 3 -> 4 (3 left), 4 -> 5 (2 left), then no more; and the count of
	 * outstanding attempts stops at 0 */
	for (int i = 0; i < 6; i++)
		mdl_limit_ended(&l, false, 0.01);
	cr_assert_eq(l.outstanding, 0);
	cr_assert_float_eq(l.limit, 5, 1e-12, "limit %g", l.limit);
}

Test(mdl_limit, gradient_shrinks_when_latency_rises)
{
	const struct mdl_limit_conf cf = { .gradient = true, .initial = 16, .min = 1, .max = 100,
					   .smoothing = 0.2, .long_window = 10 };
	struct mdl_limit l;
	setup(&l, &cf);
	mdl_limit_sent(&l);
	mdl_limit_sent(&l);
	mdl_limit_sent(&l);
	/* the first sample sets the long-term level: g = 1, the limit grows by
	 * sqrt(16) x 0.2 to 16.8 */
	mdl_limit_ended(&l, false, 0.1);
	cr_assert_float_eq(l.limit, 16.8, 1e-12, "limit %g", l.limit);
	/* twice the latency: long 0.11, g = 0.55, target 0.55 x 16.8 + sqrt(16.8) */
	mdl_limit_ended(&l, false, 0.2);
	double want = 16.8 * 0.8 + 0.2 * (0.55 * 16.8 + sqrt(16.8));
	cr_assert_float_eq(l.limit, want, 1e-9, "limit %g, want %g", l.limit, want);
	cr_assert_lt(l.limit, 16.8);
	/* a failure without a timeout has no latency to learn from */
	mdl_limit_ended(&l, true, INFINITY);
	cr_assert_float_eq(l.limit, want, 1e-9, "limit %g", l.limit);
	cr_assert_eq(l.outstanding, 0);
}
