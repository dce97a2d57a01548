/* test_queueing.c - the simulator against closed-form queueing theory.
 *
 * Each test runs independent replications (fixed seeds, so results are
 * reproducible), and asserts that the theoretical value lies within two
 * Student-t 95% half-widths of the simulated mean (about a 99.9%
 * interval) and that the half-width itself is tight, a few percent of
 * the value: a loose estimate would pass anything.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

#include "tests/helpers.h"

#define REPS 20

/* Erlang C: probability that an arrival waits in M/M/c, offered load a. */
static double erlang_c(int c, double a)
{
	double term = 1, sum = 1;
	for (int k = 1; k < c; k++) {
		term *= a / k;
		sum += term;
	}
	double last = term * a / c;
	double rho = a / c;
	double top = last / (1 - rho);
	return top / (sum + top);
}

/* Erlang B: blocking probability of M/M/c/c, by the stable recursion. */
static double erlang_b(int c, double a)
{
	double b = 1;
	for (int k = 1; k <= c; k++)
		b = a * b / (k + a * b);
	return b;
}

static const char mm1[] =
	"duration: 4000s\nwarmup: 200s\nsample: 100s\n"
	"components:\n"
	"  src: {kind: producer, rate: 80/s, to: q}\n"
	"  q: {kind: queue}\n"
	"  w: {kind: workers, from: q, count: 1, service: {dist: exponential, mean: 10ms}}\n";

Test(queueing, mm1, .timeout = 120)
{
	/* lambda 80/s, mu 100/s, rho 0.8 */
	struct th_runs r;
	th_run(&r, mm1, NULL, REPS);
	th_check(&r, "components.q.mean_wait_s", 0.8 / 20, 0.03);		/* Wq */
	th_check(&r, "components.q.mean_depth", 0.64 / 0.2, 0.03);		/* Lq */
	th_check(&r, "components.w.utilization", 0.8, 0.01);
	th_check(&r, "components.src.sojourn_s.mean", 1.0 / 20, 0.03);		/* W */
	/* time in system is exponential with rate mu - lambda */
	th_check(&r, "components.src.sojourn_s.p99", log(100) / 20, 0.03);
	th_check(&r, "components.src.sojourn_s.p50", log(2) / 20, 0.03);
	th_runs_free(&r);
}

Test(queueing, littles_law_every_run, .timeout = 60)
{
	/* L = lambda W holds on every sample path, up to the items present at
	 * the edges of the measured window. */
	struct th_runs r;
	th_run(&r, mm1, NULL, 4);
	for (unsigned k = 0; k < r.reps; k++) {
		double span = 3800;
		double lambda = th_value(&r.res[k], "components.q.accepted") / span;
		double wq = th_value(&r.res[k], "components.q.mean_wait_s");
		double lq = th_value(&r.res[k], "components.q.mean_depth");
		cr_expect(fabs(lq - lambda * wq) <= 0.01 * lq,
			  "replication %u: Lq %.5g but lambda Wq %.5g", k + 1, lq, lambda * wq);
	}
	th_runs_free(&r);
}

Test(queueing, mmc_erlang_c, .timeout = 120)
{
	/* lambda 160/s, c 4, mu 50/s: a = 3.2 erlangs, rho 0.8 */
	struct th_runs r;
	th_run(&r,
	       "duration: 3000s\nwarmup: 100s\nsample: 100s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 160/s, to: q}\n"
	       "  q: {kind: queue}\n"
	       "  w: {kind: workers, from: q, count: 4, service: {dist: exponential, mean: 20ms}}\n",
	       NULL, REPS);
	double pw = erlang_c(4, 3.2);
	th_check(&r, "components.q.mean_wait_s", pw / (4 * 50 - 160), 0.03);
	th_check(&r, "components.q.mean_depth", pw * 0.8 / 0.2, 0.03);
	th_check(&r, "components.w.utilization", 0.8, 0.01);
	th_runs_free(&r);
}

Test(queueing, mm1k_blocking, .timeout = 120)
{
	/* K = 5 in the system (4 waiting + 1 in service), rho = 0.9 */
	struct th_runs r;
	th_run(&r,
	       "duration: 2000s\nsample: 100s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 90/s, to: q}\n"
	       "  q: {kind: queue, capacity: 4}\n"
	       "  w: {kind: workers, from: q, count: 1, service: {dist: exponential, mean: 10ms}}\n",
	       NULL, REPS);
	double rho = 0.9;
	int K = 5;
	double pb = (1 - rho) * pow(rho, K) / (1 - pow(rho, K + 1));
	th_check(&r, "components.src.loss", pb, 0.03);
	/* mean number in system, minus the busy server, is Lq */
	double L = 0;
	double norm = (1 - rho) / (1 - pow(rho, K + 1));
	for (int n = 0; n <= K; n++)
		L += n * norm * pow(rho, n);
	th_check(&r, "components.q.mean_depth", L - (1 - norm), 0.03);
	th_runs_free(&r);
}

Test(queueing, mmcc_erlang_b, .timeout = 120)
{
	/* a loss system: capacity 0, c = 3, a = 2.5 erlangs */
	struct th_runs r;
	th_run(&r,
	       "duration: 2000s\nsample: 100s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 125/s, to: q}\n"
	       "  q: {kind: queue, capacity: 0}\n"
	       "  w: {kind: workers, from: q, count: 3, service: {dist: exponential, mean: 20ms}}\n",
	       NULL, REPS);
	th_check(&r, "components.src.loss", erlang_b(3, 2.5), 0.03);
	/* Erlang B is insensitive to the service distribution */
	th_runs_free(&r);
	th_run(&r,
	       "duration: 2000s\nsample: 100s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 125/s, to: q}\n"
	       "  q: {kind: queue, capacity: 0}\n"
	       "  w: {kind: workers, from: q, count: 3, service: {dist: lognormal, mean: 20ms, cv: 2}}\n",
	       NULL, REPS);
	th_check(&r, "components.src.loss", erlang_b(3, 2.5), 0.03);
	th_runs_free(&r);
}

/* M/M/c/N: the probability that the system holds n of at most N items
 * (c servers, offered load a erlangs). */
static double mmcn_p(int c, int N, double a, int n)
{
	double term = 1, sum = 1, pn = n == 0 ? 1 : 0;
	for (int k = 1; k <= N; k++) {
		term *= a / (k < c ? k : c);
		sum += term;
		if (k == n)
			pn = term;
	}
	return pn / sum;
}

Test(queueing, blocking_producer_is_a_finite_queue, .timeout = 120)
{
	/* A producer that loses its arrivals while blocked, into a queue of
	 * capacity 3 with overflow: block, one server, rho 0.9: the system
	 * holds at most 3 waiting + 1 in service + 1 at the door, so it is
	 * M/M/1/5.  By PASTA the producer is blocked for the share of time
	 * it loses arrivals. */
	static const char yaml[] =
		"duration: 2000s\nwarmup: 50s\nsample: 100s\n"
		"components:\n"
		"  src: {kind: producer, rate: 90/s, to: q, on_block: drop}\n"
		"  q: {kind: queue, capacity: 3, overflow: block}\n"
		"  w: {kind: workers, from: q, count: 1, service: {dist: exponential, mean: 10ms}}\n";
	struct th_runs r;
	th_run(&r, yaml, NULL, REPS);
	double pb = mmcn_p(1, 5, 0.9, 5);
	th_check(&r, "components.src.loss", pb, 0.03);
	th_check(&r, "components.src.blocked_share", pb, 0.03);
	cr_expect_float_eq(th_estimate(&r, "components.q.dropped.full").mean, 0, 0, "a blocking queue drops nothing");
	th_runs_free(&r);

	/* Waiting instead, with room for 2 at the producer: M/M/1/7; blocked
	 * whenever 5 or more are in the system. */
	th_run(&r,
	       "duration: 2000s\nwarmup: 50s\nsample: 100s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 90/s, to: q, max_held: 2}\n"
	       "  q: {kind: queue, capacity: 3, overflow: block}\n"
	       "  w: {kind: workers, from: q, count: 1, service: {dist: exponential, mean: 10ms}}\n",
	       NULL, REPS);
	th_check(&r, "components.src.loss", mmcn_p(1, 7, 0.9, 7), 0.03);
	double blocked = 0;
	for (int n = 5; n <= 7; n++)
		blocked += mmcn_p(1, 7, 0.9, n);
	th_check(&r, "components.src.blocked_share", blocked, 0.03);
	th_runs_free(&r);

	/* Capacity 0 is a rendezvous: with 3 servers and one item at the door,
	 * M/M/3/4 (a = 2.5 erlangs). */
	th_run(&r,
	       "duration: 2000s\nwarmup: 50s\nsample: 100s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 125/s, to: q, on_block: drop}\n"
	       "  q: {kind: queue, capacity: 0, overflow: block}\n"
	       "  w: {kind: workers, from: q, count: 3, service: {dist: exponential, mean: 20ms}}\n",
	       NULL, REPS);
	th_check(&r, "components.src.loss", mmcn_p(3, 4, 2.5, 4), 0.03);
	th_runs_free(&r);
}

Test(queueing, md1, .timeout = 120)
{
	/* deterministic service: Wq = rho S / (2 (1 - rho)) */
	struct th_runs r;
	th_run(&r,
	       "duration: 3000s\nwarmup: 100s\nsample: 100s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 80/s, to: q}\n"
	       "  q: {kind: queue}\n"
	       "  w: {kind: workers, from: q, count: 1, service: 10ms}\n",
	       NULL, REPS);
	th_check(&r, "components.q.mean_wait_s", 0.8 * 0.010 / (2 * 0.2), 0.03);
	th_runs_free(&r);
}

Test(queueing, mg1_pollaczek_khinchine, .timeout = 120)
{
	/* lognormal service, mean 10 ms, cv 1.5; rho = 0.7:
	 * Wq = lambda E[S^2] / (2 (1 - rho)), E[S^2] = (1 + cv^2) m^2 */
	struct th_runs r;
	th_run(&r,
	       "duration: 6000s\nwarmup: 100s\nsample: 100s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 70/s, to: q}\n"
	       "  q: {kind: queue}\n"
	       "  w: {kind: workers, from: q, count: 1, service: {dist: lognormal, mean: 10ms, cv: 1.5}}\n",
	       NULL, REPS);
	double es2 = (1 + 1.5 * 1.5) * 1e-4;
	th_check(&r, "components.q.mean_wait_s", 70 * es2 / (2 * 0.3), 0.04);
	th_runs_free(&r);
	/* Erlang-3 service, rho = 0.85 */
	th_run(&r,
	       "duration: 3000s\nwarmup: 100s\nsample: 100s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 85/s, to: q}\n"
	       "  q: {kind: queue}\n"
	       "  w: {kind: workers, from: q, count: 1, service: {dist: erlang, k: 3, mean: 10ms}}\n",
	       NULL, REPS);
	es2 = (1 + 1.0 / 3) * 1e-4;
	th_check(&r, "components.q.mean_wait_s", 85 * es2 / (2 * 0.15), 0.04);
	th_runs_free(&r);
}

Test(queueing, priority_cobham, .timeout = 120)
{
	/* two classes, non-preemptive priority; lambda 20/s critical and
	 * 60/s optional, exponential 10 ms: W0 = sum lambda E[S^2] / 2 */
	struct th_runs r;
	th_run(&r,
	       "duration: 3000s\nwarmup: 100s\nsample: 100s\n"
	       "classes: {critical: {priority: 0}, optional: {priority: 1}}\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 80/s, mix: {critical: 0.25, optional: 0.75}, to: q}\n"
	       "  q: {kind: queue, discipline: priority}\n"
	       "  w: {kind: workers, from: q, count: 1, service: {dist: exponential, mean: 10ms}}\n",
	       NULL, REPS);
	double w0 = 80 * 2e-4 / 2, s1 = 0.2, s2 = 0.8;
	double wq1 = w0 / (1 - s1), wq2 = w0 / ((1 - s1) * (1 - s2));
	th_check(&r, "classes.critical.sojourn_s.mean", wq1 + 0.010, 0.03);
	th_check(&r, "classes.optional.sojourn_s.mean", wq2 + 0.010, 0.03);
	/* the conservation law: the load-weighted mean wait equals FIFO's */
	th_check(&r, "components.q.mean_wait_s", 0.8 * 0.010 / 0.2, 0.03);
	th_runs_free(&r);
}

Test(queueing, time_varying_poisson_counts, .timeout = 60)
{
	/* a step and a ramp: arrivals in each window match the integral of
	 * the rate (Poisson: variance equals the mean) */
	struct th_runs r;
	th_run(&r,
	       "duration: 100s\nsample: 10s\n"
	       "components:\n"
	       "  src:\n"
	       "    kind: producer\n"
	       "    rate: 100/s\n"
	       "    schedule:\n"
	       "      - {at: 20s, for: 20s, rate: 500/s}\n"
	       "      - {at: 60s, for: 20s, ramp_to: 300/s}\n"
	       "    to: q\n"
	       "  q: {kind: queue}\n"
	       "  w: {kind: workers, from: q, count: 100, service: 1ms}\n",
	       NULL, 100);
	/* expected arrivals per 10 s row */
	const double expect[10] = { 1000, 1000, 5000, 5000, 1000, 1000, 1500, 2500, 3000, 3000 };
	double dispersion = 0;
	for (int row = 0; row < 10; row++) {
		double sum = 0, sum2 = 0;
		for (unsigned k = 0; k < r.reps; k++) {
			const struct sim_series *s = &r.res[k].series;
			int col = sim_series_find(s, "src.created");
			cr_assert(col >= 0);
			double v = s->v[row * s->ncols + col];
			sum += v;
			sum2 += v * v;
		}
		double n = r.reps, mean = sum / n, var = (sum2 - n * mean * mean) / (n - 1);
		/* mean within 4 standard errors of a Poisson count */
		cr_expect(fabs(mean - expect[row]) <= 4 * sqrt(expect[row] / n),
			  "row %d: %.1f arrivals on average, expected %.0f", row, mean, expect[row]);
		dispersion += var / expect[row] / 10;
	}
	/* Poisson counts: variance equals mean.  The pooled index has 990
	 * degrees of freedom, standard deviation 0.045: allow 3.3 of them. */
	cr_expect(fabs(dispersion - 1) < 0.15, "dispersion index %.3f, Poisson is 1", dispersion);
	th_runs_free(&r);
}

/* ---- worker pools held by their calls ----------------------------------- */

/* A pool with enough workers never queues, so the callee sees Poisson
 * arrivals (Burke); each worker is held for its own service S and the
 * callee's response R, so by Little's law busy = lambda (S + R) and the
 * utilisation lambda (S + R) / c. */
static void check_held(const char *callee, const char *r_path)
{
	char yaml[1024];
	snprintf(yaml, sizeof yaml,
		 "duration: 1000s\nwarmup: 50s\nsample: 50s\n"
		 "components:\n"
		 "  src: {kind: producer, rate: 40/s, to: q}\n"
		 "  q: {kind: queue}\n"
		 "  w: {kind: workers, from: q, count: 50, service: {dist: exponential, mean: 10ms}, calls: callee}\n"
		 "%s",
		 callee);
	struct th_runs r;
	th_run(&r, yaml, NULL, REPS);
	/* the callee: M/M/2, mu 50/s, a = 0.8 erlangs */
	double resp = 0.02 + erlang_c(2, 0.8) / (2 * 50 - 40);
	th_check(&r, r_path, resp, 0.03);
	th_check(&r, "components.w.mean_busy", 40 * (0.01 + resp), 0.03);
	th_check(&r, "components.w.utilization", 40 * (0.01 + resp) / 50, 0.03);
	th_check(&r, "components.w.call_wait_share", resp / (0.01 + resp), 0.03);
	/* and against the response measured in each run */
	for (unsigned i = 0; i < r.reps; i++) {
		double busy = th_value(&r.res[i], "components.w.mean_busy");
		double little = 40 * (0.01 + th_value(&r.res[i], r_path));
		cr_expect(fabs(busy - little) < 0.05 * little, "rep %u: busy %g, lambda (S + R) %g", i,
			  busy, little);
		cr_expect(r.res[i].conserved);
	}
	th_runs_free(&r);
}

Test(queueing, held_workers_little_law_database_callee, .timeout = 240)
{
	check_held("  callee: {kind: database, connections: 2, service: {dist: exponential, mean: 20ms}}\n",
		   "components.callee.mean_latency_s");
}

Test(queueing, held_workers_little_law_chain_callee, .timeout = 240)
{
	/* a call item through a client, a queue and a pool of two */
	check_held("  callee: {kind: client, to: qc}\n"
		   "  qc: {kind: queue}\n"
		   "  wc: {kind: workers, from: qc, count: 2, service: {dist: exponential, mean: 20ms}}\n",
		   "components.callee.latency_s.mean");
}

/* Failure probability p and r retries at a tier below the edge: attempts
 * per request that entered at the producer are 1 + p + ... + p^r. */
Test(queueing, attempts_per_request_geometric, .timeout = 240)
{
	struct th_runs r;
	th_run(&r,
	       "duration: 200s\nsample: 50s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 50/s, to: api}\n"
	       "  api: {kind: client, to: qa}\n"
	       "  qa: {kind: queue}\n"
	       "  wa: {kind: workers, from: qa, count: 100, service: 1ms, calls: c}\n"
	       "  c: {kind: client, retries: 3, to: db}\n"
	       "  db: {kind: database, connections: 100, service: 1ms, failure: 0.3}\n",
	       NULL, REPS);
	th_check(&r, "components.c.attempts_per_request", 1 + 0.3 + 0.09 + 0.027, 0.01);
	th_check(&r, "components.api.dropped.error", 0.3 * 0.3 * 0.3 * 0.3 * 50 * 200, 0.05);
	th_runs_free(&r);
}
