/* test_workers.c - batching in worker pools (models/workers.c); plain pools
 * are validated against queueing theory in tests/validation. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

#include "tests/helpers.h"

static char *pool(double rate, const char *batch)
{
	static char buf[1024];
	snprintf(buf, sizeof buf,
		 "duration: 100s\nwarmup: 10s\nsample: 1s\n"
		 "components:\n"
		 "  src: {kind: producer, rate: %g/s, to: q}\n"
		 "  q: {kind: queue, capacity: 1000}\n"
		 "  w: {kind: workers, from: q, count: 2, batch: %s}\n",
		 rate, batch);
	return buf;
}

Test(workers, batching_throughput_at_saturation, .timeout = 60)
{
	/* count x max / (per_batch + max per_item) */
	const struct {
		int max;
		double theory;
	} cases[] = { { 1, 2 / 0.011 }, { 10, 2 * 10 / 0.020 }, { 50, 2 * 50 / 0.060 } };
	for (int i = 0; i < 3; i++) {
		char b[128];
		snprintf(b, sizeof b, "{max: %d, per_batch: 10ms, per_item: 1ms}", cases[i].max);
		struct th_runs r;
		th_run(&r, pool(5000, b), NULL, 1);
		double x = th_value(&r.res[0], "components.w.throughput_per_s");
		cr_expect(fabs(x - cases[i].theory) < 0.01 * cases[i].theory,
			  "max %d: %g/s, expected %g/s", cases[i].max, x, cases[i].theory);
		cr_expect_float_eq(th_value(&r.res[0], "components.w.mean_batch_size"), cases[i].max, 1e-9);
		th_runs_free(&r);
	}
}

Test(workers, linger_waits_for_a_fuller_batch, .timeout = 60)
{
	struct th_runs now, wait;
	th_run(&now, pool(100, "{max: 20, per_batch: 10ms, per_item: 1ms}"), NULL, 1);
	th_run(&wait, pool(100, "{max: 20, per_batch: 10ms, per_item: 1ms, linger: 50ms}"), NULL, 1);
	double b0 = th_value(&now.res[0], "components.w.mean_batch_size");
	double b1 = th_value(&wait.res[0], "components.w.mean_batch_size");
	cr_expect_gt(b1, 2 * b0, "linger should fill batches: %g vs %g", b1, b0);
	/* a batch waits at most linger, then takes per_batch + n per_item */
	cr_expect_lt(th_value(&wait.res[0], "components.src.sojourn_s.max"), 0.050 + 0.010 + 0.020 + 0.05);
	cr_expect_lt(th_value(&wait.res[0], "components.w.utilization"),
		     th_value(&now.res[0], "components.w.utilization"),
		     "fuller batches cost less work per item");
	th_runs_free(&now);
	th_runs_free(&wait);
}
