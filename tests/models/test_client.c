/* test_client.c - retries, timeouts and budgets (models/client.c) */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

#include "tests/helpers.h"

/* A client in front of a database that fails fast with probability p. */
static char *failing(double p, int retries, const char *extra)
{
	static char buf[2048];
	snprintf(buf, sizeof buf,
		 "duration: 300s\nsample: 10s\n"
		 "components:\n"
		 "  src: {kind: producer, rate: 200/s, to: app}\n"
		 "  app: {kind: client, retries: %d, to: q%s}\n"
		 "  q: {kind: queue}\n"
		 "  w: {kind: workers, from: q, count: 4, calls: db}\n"
		 "  db: {kind: database, connections: 4, service: 1ms, failure: %g}\n",
		 retries, extra, p);
	return buf;
}

Test(client, retry_amplification_matches_1_p_p2_p3, .timeout = 120)
{
	const double ps[] = { 0.1, 0.3, 0.6 };
	for (size_t i = 0; i < 3; i++) {
		double p = ps[i];
		struct th_runs r;
		th_run(&r, failing(p, 3, ""), NULL, 10);
		th_check(&r, "components.app.amplification", 1 + p + p * p + p * p * p, 0.01);
		/* a request fails only if all four attempts fail */
		struct th_est ok = th_estimate(&r, "components.app.successes");
		struct th_est n = th_estimate(&r, "components.app.requests");
		double fail = 1 - ok.mean / n.mean;
		cr_expect(fabs(fail - pow(p, 4)) < 0.1 * pow(p, 4) + 0.001,
			  "p %.1f: %.4f of requests failed, expected p^4 = %.4f", p, fail, pow(p, 4));
		th_runs_free(&r);
	}
}

Test(client, timed_out_attempts_stay_in_the_system, .timeout = 60)
{
	/* one slow worker: every attempt times out but is still served */
	struct th_runs r;
	th_run(&r,
	       "duration: 60s\nsample: 1s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 20/s, arrivals: constant, to: app}\n"
	       "  app: {kind: client, timeout: 100ms, retries: 2, to: q}\n"
	       "  q: {kind: queue}\n"
	       "  w: {kind: workers, from: q, count: 100, service: 250ms}\n",
	       NULL, 1);
	const struct sim_result *res = &r.res[0];
	double req = th_value(res, "components.app.requests");
	double att = th_value(res, "components.app.attempts");
	double open = th_value(res, "components.app.in_flight_at_end");
	cr_assert(att <= 3 * req && att >= 3 * req - 3 * open,
		  "every request makes three attempts: %g attempts for %g requests (%g open)", att,
		  req, open);
	cr_assert_float_eq(th_value(res, "components.app.successes"), 0, 0);
	cr_assert_float_eq(th_value(res, "components.app.dropped.timeout"),
			   th_value(res, "components.app.failures"), 0);
	/* the workers still did the work nobody waited for */
	cr_assert_gt(th_value(res, "components.w.completed"), 2.9 * req);
	cr_assert_gt(th_value(res, "components.app.late_completions"), 2.9 * req);
	th_runs_free(&r);
}

Test(client, backoff_delays_the_retry, .timeout = 60)
{
	/* fail fast twice, then succeed: latency of a success on the third
	 * attempt is exactly the two sleeps, 100 ms + 200 ms */
	struct th_runs r;
	th_run(&r, failing(0.5, 5, ", backoff: {base: 100ms, multiplier: 2}"), NULL, 1);
	const struct sim_result *res = &r.res[0];
	/* successes on attempt k have latency 0.1 (2^(k-1) - 1) plus the 1 ms
	 * query: a mixture with weights 2^-k; its mean over successes
	 * (p = 0.5, 6 attempts) */
	double num = 0, den = 0;
	for (int k = 1; k <= 6; k++) {
		double w = pow(0.5, k);
		num += w * 0.1 * (pow(2, k - 1) - 1);
		den += w;
	}
	double want = num / den + 0.001;
	cr_expect(fabs(th_value(res, "components.app.latency_s.mean") - want) < 0.01 * want,
		  "mean latency %g, expected %g", th_value(res, "components.app.latency_s.mean"), want);
	/* half succeed at once, a quarter after 100 ms: the median is 1 ms */
	cr_expect(fabs(th_value(res, "components.app.latency_s.p50") - 0.001) < 1e-5);
	th_runs_free(&r);
}

Test(client, budget_caps_retries, .timeout = 60)
{
	/* everything fails; without a budget each request makes 4 attempts,
	 * with a 10% budget (floor 1/s) about 1.1 */
	struct th_runs r;
	th_run(&r, failing(1.0, 3, ", budget: {ratio: 0.1, window: 10s, min_per_s: 1}"), NULL, 1);
	const struct sim_result *res = &r.res[0];
	double req = th_value(res, "components.app.requests");
	double retries = th_value(res, "components.app.retries");
	cr_expect(fabs(retries / req - 0.1) < 0.01, "retries per request %g, budget 0.1 (+1/s)",
		  retries / req);
	cr_expect_gt(th_value(res, "components.app.dropped.retry_budget"), 0.8 * req);
	th_runs_free(&r);
}

Test(client, adaptive_throttling_follows_the_sre_rule, .timeout = 120)
{
	/* backend success ratio above 1/k: hardly any local refusals */
	struct th_runs ok, bad;
	th_run(&ok, failing(0.3, 0, ", throttle: {k: 2}"), NULL, 1);
	double req = th_value(&ok.res[0], "components.app.requests");
	cr_expect_lt(th_value(&ok.res[0], "components.app.throttled"), 0.02 * req);
	/* below 1/k the backend is cut to a trickle: it gets about k times
	 * what it accepts, and the client refuses the rest at once */
	th_run(&bad, failing(0.8, 0, ", throttle: {k: 2}"), NULL, 1);
	double calls = th_value(&bad.res[0], "components.db.calls");
	double succ = th_value(&bad.res[0], "components.app.successes");
	double thr = th_value(&bad.res[0], "components.app.throttled");
	req = th_value(&bad.res[0], "components.app.requests");
	cr_expect_lt(calls, 0.01 * req, "the backend still got %g of %g requests", calls, req);
	cr_expect_leq(calls, 2 * succ + 50);
	cr_expect_float_eq(th_value(&bad.res[0], "components.app.dropped.throttled"), thr, 0);
	th_runs_free(&ok);
	th_runs_free(&bad);
}

Test(client, an_open_breaker_sends_nothing, .timeout = 60)
{
	/* every call fails: resilience4j's defaults open after 100 calls, for
	 * 60 s, then let 10 probes through, which fail: about 100 + 10 per
	 * minute reach the database */
	struct th_runs r;
	th_run(&r, failing(1.0, 0, ", breaker: {}"), NULL, 1);
	double calls = th_value(&r.res[0], "components.db.calls");
	double req = th_value(&r.res[0], "components.app.requests");
	cr_expect_leq(calls, 100 + 10 * 5 + 5, "the database got %g calls", calls);
	cr_expect_geq(calls, 100);
	cr_expect_gt(th_value(&r.res[0], "components.app.dropped.breaker_open"), 0.95 * req);
	cr_expect_geq(th_value(&r.res[0], "components.app.breaker_opened"), 4);
	th_runs_free(&r);
	/* a healthy backend never opens it */
	th_run(&r, failing(0.0, 0, ", breaker: {}"), NULL, 1);
	cr_expect_float_eq(th_value(&r.res[0], "components.app.breaker_opened"), 0, 0);
	th_runs_free(&r);
}

Test(client, aimd_limit_keeps_goodput_under_overload, .timeout = 60)
{
	/* 1.5x overload with a 200 ms timeout: without a limit the queue
	 * grows, every attempt times out and goodput collapses; the AIMD limit
	 * refuses the excess at once and keeps the service useful */
	const char *fmt = "duration: 120s\nwarmup: 20s\nsample: 5s\n"
			  "components:\n"
			  "  src: {kind: producer, rate: 1500/s, to: app}\n"
			  "  app: {kind: client, timeout: 200ms, to: q%s}\n"
			  "  q: {kind: queue}\n"
			  "  w: {kind: workers, from: q, count: 10, service: {dist: exponential, mean: 10ms}}\n";
	char a[512], b[512];
	snprintf(a, sizeof a, fmt, "");
	snprintf(b, sizeof b, fmt, ", limit: {}");
	struct th_runs none, aimd;
	th_run(&none, a, NULL, 1);
	th_run(&aimd, b, NULL, 1);
	double g0 = th_value(&none.res[0], "components.app.goodput_per_s");
	double g1 = th_value(&aimd.res[0], "components.app.goodput_per_s");
	cr_expect_lt(g0, 100, "without a limit goodput collapses: %g/s", g0);
	cr_expect_gt(g1, 800, "with the AIMD limit it stays near capacity: %g/s", g1);
	double lim = th_value(&aimd.res[0], "components.app.final_limit");
	cr_expect(lim >= 20 && lim <= 200, "the limit stays within [min, max]: %g", lim);
	cr_expect_gt(th_value(&aimd.res[0], "components.app.dropped.limited"), 0);
	/* the gradient limit keeps latency under the timeout altogether */
	char c[512];
	snprintf(c, sizeof c, fmt, ", limit: {kind: gradient}");
	struct th_runs grad;
	th_run(&grad, c, NULL, 1);
	double g2 = th_value(&grad.res[0], "components.app.goodput_per_s");
	cr_expect_gt(g2, 900, "gradient limit goodput %g/s", g2);
	cr_expect_lt(th_value(&grad.res[0], "components.app.timeouts"),
		     0.01 * th_value(&grad.res[0], "components.app.requests"));
	lim = th_value(&grad.res[0], "components.app.final_limit");
	cr_expect(lim >= 20 && lim <= 200, "the limit stays within [min, max]: %g", lim);
	th_runs_free(&grad);
	th_runs_free(&none);
	th_runs_free(&aimd);
}

/* A queue with `ack: enqueue` answers the client when it takes the
 * attempt in: with 100 slow workers behind it (5 s each) and a 1 s
 * timeout, every request succeeds at once and none times out. */
Test(client, an_enqueue_ack_is_a_success, .timeout = 60)
{
	struct th_runs r;
	th_run(&r,
	       "duration: 60s\nsample: 1s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 1/s, arrivals: constant, to: app}\n"
	       "  app: {kind: client, timeout: 1s, retries: 2, to: q}\n"
	       "  q: {kind: queue, ack: enqueue}\n"
	       "  w: {kind: workers, from: q, count: 100, service: 5s}\n",
	       NULL, 1);
	double req = th_value(&r.res[0], "components.app.requests");
	cr_expect_gt(req, 50);
	cr_expect_float_eq(th_value(&r.res[0], "components.app.successes"), req, 0);
	cr_expect_float_eq(th_value(&r.res[0], "components.app.timeouts"), 0, 0);
	cr_expect_float_eq(th_value(&r.res[0], "components.app.attempts"), req, 0);
	cr_expect_lt(th_value(&r.res[0], "components.app.latency_s.max"), 1e-9);
	th_runs_free(&r);
}

/* attempts_per_request counts the requests of every producer at the
 * roots of a client's work, however many there are: nine producers
 * behind a pool that calls a client that never retries make one attempt
 * per user request, no more. */
Test(client, attempts_per_request_counts_every_root, .timeout = 60)
{
	char yaml[2048];
	int n = snprintf(yaml, sizeof yaml, "duration: 20s\nsample: 1s\ncomponents:\n");
	for (int i = 1; i <= 9; i++)
		n += snprintf(yaml + n, sizeof yaml - (size_t)n,
			      "  p%d: {kind: producer, rate: 10/s, arrivals: constant, to: q}\n", i);
	snprintf(yaml + n, sizeof yaml - (size_t)n,
		 "  q: {kind: queue}\n"
		 "  w: {kind: workers, from: q, count: 100, service: 1ms, calls: c}\n"
		 "  c: {kind: client, to: q2}\n"
		 "  q2: {kind: queue}\n"
		 "  w2: {kind: workers, from: q2, count: 100, service: 1ms}\n");
	struct th_runs r;
	th_run(&r, yaml, NULL, 1);
	const struct sim_result *res = &r.res[0];
	double att = th_value(res, "components.c.attempts");
	double made = 0;
	for (int i = 1; i <= 9; i++) {
		char path[64];
		snprintf(path, sizeof path, "components.p%d.created", i);
		made += th_value(res, path);
	}
	cr_assert_gt(made, 1700);
	cr_assert(att <= made && att >= made - 9, "one attempt per request: %g attempts, %g created",
		  att, made);
	double apr = th_value(res, "components.c.attempts_per_request");
	cr_assert_float_eq(apr, att / made, 1e-12, "attempts_per_request %g, expected %g", apr,
			   att / made);
	th_runs_free(&r);
}
