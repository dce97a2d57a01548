/* test_database.c - connections, the Universal Scalability Law, timeouts
 * (models/database.c) */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

#include "tests/helpers.h"

/* N workers keep exactly N calls running (the queue never empties) */
static double throughput(int n, double sigma, double kappa)
{
	char yaml[1024];
	snprintf(yaml, sizeof yaml,
		 "duration: 20s\nwarmup: 2s\nsample: 1s\n"
		 "components:\n"
		 "  src: {kind: producer, rate: 20000/s, to: q}\n"
		 "  q: {kind: queue, capacity: 1000}\n"
		 "  w: {kind: workers, from: q, count: %d, calls: db}\n"
		 "  db: {kind: database, connections: 200, service: 2ms, contention: %g, coherency: %g}\n",
		 n, sigma, kappa);
	struct th_runs r;
	th_run(&r, yaml, NULL, 1);
	double x = th_value(&r.res[0], "components.db.throughput_per_s");
	double running = th_value(&r.res[0], "components.db.mean_running");
	cr_expect(fabs(running - n) < 1e-6 * n, "N = %d: mean running %g", n, running);
	th_runs_free(&r);
	return x;
}

Test(database, usl_throughput_closed_loop, .timeout = 120)
{
	const double s = 0.002, sigma = 0.05, kappa = 0.002;
	const int ns[] = { 1, 4, 16, 22, 32, 64 };
	double x[6];
	for (int i = 0; i < 6; i++) {
		double n = ns[i];
		double theory = n / (s * (1 + sigma * (n - 1) + kappa * n * (n - 1)));
		x[i] = throughput(ns[i], sigma, kappa);
		cr_expect(fabs(x[i] - theory) <= 0.01 * theory, "N = %d: %.1f/s, USL says %.1f/s",
			  ns[i], x[i], theory);
	}
	/* peak near N* = sqrt((1 - sigma) / kappa) = 21.8, then down */
	cr_expect(x[3] > x[2] && x[3] > x[4] && x[4] > x[5],
		  "throughput must peak near 22 and fall: %g %g %g %g", x[2], x[3], x[4], x[5]);
}

Test(database, slowdown_applies_while_queries_run, .timeout = 60)
{
	/* two 100 ms queries, the second starting at 50 ms, contention 1:
	 * alone until 50 ms (half done), then both at half speed.  The first
	 * finishes at 150 ms; the second, then half done, alone again, at
	 * 200 ms.  Mean latency (150 + 150) / 2 = 150 ms. */
	struct th_runs r;
	th_run(&r,
	       "duration: 1s\nsample: 1s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 20/s, arrivals: constant, schedule: [{at: 0.1s, rate: 0}], to: q}\n"
	       "  q: {kind: queue}\n"
	       "  w: {kind: workers, from: q, count: 2, calls: db}\n"
	       "  db: {kind: database, connections: 2, service: 100ms, contention: 1}\n",
	       NULL, 1);
	cr_assert_float_eq(th_value(&r.res[0], "components.db.completed"), 2, 0);
	cr_assert_float_eq(th_value(&r.res[0], "components.db.latency_s.mean"), 0.150, 1e-9);
	cr_assert_float_eq(th_value(&r.res[0], "components.db.latency_s.max"), 0.150, 1e-9);
	th_runs_free(&r);
}

Test(database, timeouts_drop_calls_waiting_or_running, .timeout = 60)
{
	/* one connection, 300 ms queries, 500 ms timeout, a call every 100 ms.
	 * FIFO makes the head of the line start with under 200 ms left, so it
	 * times out while running and wastes the connection: almost nothing
	 * completes.  Every call ends exactly once. */
	struct th_runs r;
	th_run(&r,
	       "duration: 60s\nsample: 1s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 10/s, arrivals: constant, to: q}\n"
	       "  q: {kind: queue}\n"
	       "  w: {kind: workers, from: q, count: 50, calls: db}\n"
	       "  db: {kind: database, connections: 1, service: 300ms, timeout: 500ms}\n",
	       NULL, 1);
	const struct sim_result *res = &r.res[0];
	double calls = th_value(res, "components.db.calls");
	double done = th_value(res, "components.db.completed");
	double to = th_value(res, "components.db.timeouts");
	cr_expect_gt(to, 0.5 * calls);
	cr_expect_leq(th_value(res, "components.db.latency_s.max"), 0.5 + 1e-9);
	cr_expect_lt(done, 0.01 * calls, "head-of-line calls should time out while running");
	/* the rest are still waiting (about 5) or running (1) at the end */
	cr_expect(calls - done - to >= 0 && calls - done - to <= 7,
		  "calls %g = completed %g + timeouts %g (+ in flight)", calls, done, to);
	cr_expect_float_eq(th_value(res, "components.src.dropped"), to, 0);
	cr_expect_float_eq(th_value(res, "components.w.failed_calls"), to, 0);
	th_runs_free(&r);
}

/* A database sent items (a `to` target, not called) ends their path when
 * their query completes: with exponential queries and no contention it
 * is an M/M/c.  c = 2, 1/mu = 5 ms, lambda = 300/s: a = 1.5, Erlang C =
 * 4.5 / 7, Wq = C / (c mu - lambda) = 6.43 ms, W = 11.43 ms. */
Test(database, a_to_target_ends_the_path_as_an_mmc, .timeout = 120)
{
	struct th_runs r;
	th_run(&r,
	       "duration: 1000s\nwarmup: 50s\nsample: 10s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 300/s, to: db}\n"
	       "  db: {kind: database, connections: 2, service: {dist: exponential, mean: 5ms}}\n",
	       NULL, 10);
	double c = 4.5 / 7, w = c / (400.0 - 300.0) + 0.005;
	th_check(&r, "components.src.sojourn_s.mean", w, 0.05);
	th_check(&r, "components.db.latency_s.mean", w, 0.05);
	for (unsigned k = 0; k < r.reps; k++)
		cr_expect_float_eq(th_value(&r.res[k], "components.src.dropped"), 0, 0);
	th_runs_free(&r);
}
