/* test_limiter.c - the token bucket (models/limiter.c) */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

#include "tests/helpers.h"

static char *scenario(double offered, const char *limiter)
{
	static char buf[1024];
	snprintf(buf, sizeof buf,
		 "duration: 200s\nwarmup: 10s\nsample: 1s\n"
		 "components:\n"
		 "  src: {kind: producer, rate: %g/s, to: lim}\n"
		 "  lim: {kind: limiter, %s, to: q}\n"
		 "  q: {kind: queue}\n"
		 "  w: {kind: workers, from: q, count: 100, service: 1ms}\n",
		 offered, limiter);
	return buf;
}

Test(limiter, overload_admits_exactly_the_rate, .timeout = 60)
{
	const char *modes[] = { "rate: 2000/s, burst: 100",
				"rate: 2000/s, burst: 100, mode: delay, max_delay: 1s" };
	for (int m = 0; m < 2; m++) {
		struct th_runs r;
		th_run(&r, scenario(5000, modes[m]), NULL, 1);
		double x = th_value(&r.res[0], "components.lim.admitted_per_s");
		cr_expect(fabs(x - 2000) < 0.005 * 2000, "%s: admitted %g/s, its rate is 2000/s", modes[m], x);
		cr_expect_gt(th_value(&r.res[0], "components.lim.limited"), 0.5 * 190 * 3000);
		cr_expect_float_eq(th_value(&r.res[0], "components.q.arrived"),
				   th_value(&r.res[0], "components.lim.admitted") +
					   th_value(&r.res[0], "components.lim.held_at_end") * 0, 200);
		if (m == 1)
			cr_expect_leq(th_value(&r.res[0], "components.lim.delay_s.max"), 1.0 + 1e-9,
				      "delay mode waits at most max_delay");
		th_runs_free(&r);
	}
}

Test(limiter, under_the_rate_nothing_is_limited, .timeout = 60)
{
	struct th_runs r;
	th_run(&r, scenario(1000, "rate: 2000/s, burst: 200"), NULL, 1);
	cr_expect_float_eq(th_value(&r.res[0], "components.lim.limited"), 0, 0);
	th_runs_free(&r);
}

Test(limiter, a_full_bucket_passes_a_burst, .timeout = 60)
{
	/* constant arrivals 1000/s against 10/s with a bucket of 50: the first
	 * 50 pass at once, then one every 100 ms */
	struct th_runs r;
	th_run(&r,
	       "duration: 10.0001s\nsample: 1s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 1000/s, arrivals: constant, to: lim}\n"
	       "  lim: {kind: limiter, rate: 10/s, burst: 50, to: q}\n"
	       "  q: {kind: queue}\n"
	       "  w: {kind: workers, from: q, count: 100, service: 1ms}\n",
	       NULL, 1);
	double admitted = th_value(&r.res[0], "components.lim.admitted");
	cr_expect(fabs(admitted - (50 + 10 * 10)) <= 1, "admitted %g, expected 150", admitted);
	th_runs_free(&r);
}
