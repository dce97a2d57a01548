/* test_topic.c - partitioned topics and their consumer group
 * (models/topic.c, models/group.c), and coalescing batches
 * (models/workers.c, batch: {by: key}).  Every run here also checks, on
 * each completion, that a partition's items complete in the order they
 * arrived (an assertion in models/topic.c, on in test builds). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "models/topic.h"
#include "sim/stats.h"
#include "tests/helpers.h"

/* A producer into topic t read by pool w. */
static char *scenario(const char *producer, const char *topic, const char *pool)
{
	static char buf[2048];
	snprintf(buf, sizeof buf,
		 "duration: 2m\nwarmup: 10s\nsample: 1s\n"
		 "components:\n"
		 "  src: {kind: producer, %s, to: t}\n"
		 "  t: {kind: topic, %s}\n"
		 "  w: {kind: workers, from: t, %s}\n",
		 producer, topic, pool);
	return buf;
}

/* The list of the partitions' figures of topic t. */
static const struct sim_json *partitions(const struct sim_result *res)
{
	const struct sim_json *ps = sim_json_get(res->body, "components", "t", "partitions", NULL);
	cr_assert(ps && ps->type == SIM_JSON_ARR);
	return ps;
}

Test(topic, consumers_beyond_the_partitions_never_work, .timeout = 60)
{
	/* 3 partitions, 7 workers, saturated: only 3 ever hold an item */
	struct th_runs r;
	th_run(&r, scenario("rate: 500/s", "partitions: 3", "count: 7, service: 10ms"), NULL, 2);
	for (unsigned k = 0; k < r.reps; k++) {
		cr_expect_eq(th_value(&r.res[k], "components.w.max_busy"), 3);
		cr_expect_eq(th_value(&r.res[k], "components.t.consumers"), 3);
		cr_expect_gt(th_value(&r.res[k], "components.t.max_partition_lag"), 1000,
			     "the partitions are saturated");
	}
	th_runs_free(&r);
}

Test(topic, a_consumer_owns_several_partitions, .timeout = 60)
{
	/* 5 partitions, 2 consumers: 2 items in service at most, and the
	 * throughput of 2 workers (2 x 100/s), not 5 */
	struct th_runs r;
	th_run(&r, scenario("rate: 400/s", "partitions: 5", "count: 2, service: 10ms"), NULL, 2);
	for (unsigned k = 0; k < r.reps; k++) {
		cr_expect_eq(th_value(&r.res[k], "components.w.max_busy"), 2);
		double x = th_value(&r.res[k], "components.w.throughput_per_s");
		cr_expect(fabs(x - 200) < 2, "throughput %g, expected 200/s", x);
	}
	th_runs_free(&r);
}

Test(topic, order_kept_with_batches_and_shared_consumers, .timeout = 60)
{
	/* partitions shared by consumers, batches with linger, exponential
	 * times: completions in any other order would trip the assertion */
	struct th_runs r;
	th_run(&r,
	       scenario("rate: 300/s", "partitions: 7",
			"count: 3, batch: {max: 5, linger: 20ms, per_batch: 5ms,"
			" per_item: {dist: exponential, mean: 2ms}}"),
	       NULL, 2);
	for (unsigned k = 0; k < r.reps; k++)
		cr_expect_gt(th_value(&r.res[k], "components.w.batches"), 1000);
	th_runs_free(&r);
}

Test(topic, retention_expires_old_items, .timeout = 60)
{
	/* 100/s into one consumer of 50/s: half the items expire after 2 s */
	struct th_runs r;
	th_run(&r, scenario("rate: 100/s", "partitions: 2, retention: 2s", "count: 1, service: 20ms"),
	       NULL, 2);
	for (unsigned k = 0; k < r.reps; k++) {
		const struct sim_result *res = &r.res[k];
		double arrived = th_value(res, "components.t.arrived");
		double expired = th_value(res, "components.t.dropped.expired");
		cr_expect(expired > 0.4 * arrived && expired < 0.6 * arrived,
			  "%g of %g items expired", expired, arrived);
		/* nothing older than the retention is handed out, and the sweep
		 * (every retention / 8) keeps the oldest within 2.25 s */
		cr_expect_leq(th_value(res, "components.t.wait_p99_s"), 2.0 * 1.01);
		cr_expect_leq(th_value(res, "components.t.max_oldest_age_s"), 2.25 + 1e-9);
	}
	th_runs_free(&r);
}

Test(topic, capacity_and_overflow_per_partition, .timeout = 60)
{
	struct th_runs r;
	th_run(&r, scenario("rate: 200/s", "partitions: 4, capacity: 10", "count: 4, service: 40ms"),
	       NULL, 1);
	const struct sim_result *res = &r.res[0];
	cr_expect_gt(th_value(res, "components.t.dropped.full"), 0);
	cr_expect_leq(th_value(res, "components.t.max_partition_lag"), 11, "10 waiting, 1 in service");
	th_runs_free(&r);
	th_run(&r,
	       scenario("rate: 200/s", "partitions: 4, capacity: 10, overflow: drop-oldest",
			"count: 4, service: 40ms"),
	       NULL, 1);
	res = &r.res[0];
	cr_expect_gt(th_value(res, "components.t.dropped.evicted"), 0);
	cr_expect_eq(th_value(res, "components.t.dropped.full"), 0);
	th_runs_free(&r);
}

Test(topic, lag_is_waiting_plus_in_service, .timeout = 60)
{
	struct th_runs r;
	th_run(&r, scenario("rate: 150/s", "partitions: 3", "count: 3, service: 30ms"), NULL, 1);
	const struct sim_result *res = &r.res[0];
	double lag = 0;
	for (const struct sim_json *p = partitions(res)->first; p; p = p->next)
		lag += sim_json_getnum(p, "lag_at_end", NULL);
	double depth = th_value(res, "components.t.depth_at_end");
	double busy = th_value(res, "conservation.in_flight") - depth;
	cr_expect_eq(lag, depth + busy, "lag %g = waiting %g + in service %g", lag, depth, busy);
	/* 3 consumers of 33/s each against 50/s: the lag grows */
	cr_expect_gt(th_value(res, "components.t.mean_lag"), 100);
	th_runs_free(&r);
}

/* ---- with keys ---------------------------------------------------------- */

/* Mean and 95% half-width of figure `what` of partition i over the
 * replications. */
static struct th_est part_estimate(const struct th_runs *r, size_t i, const char *what)
{
	double v[64], sum = 0, sum2 = 0;
	cr_assert_leq(r->reps, 64);
	for (unsigned k = 0; k < r->reps; k++) {
		const struct sim_json *p = partitions(&r->res[k])->first;
		for (size_t j = 0; j < i; j++)
			p = p->next;
		v[k] = sim_json_getnum(p, what, NULL);
		sum += v[k];
	}
	struct th_est e = { .mean = sum / r->reps, .n = r->reps };
	for (unsigned k = 0; k < r->reps; k++)
		sum2 += (v[k] - e.mean) * (v[k] - e.mean);
	e.ci95 = sim_ci95(sqrt(sum2 / (r->reps - 1)), r->reps);
	return e;
}

static void expect_theory(const struct th_runs *r, size_t i, const char *what, double theory)
{
	struct th_est e = part_estimate(r, i, what);
	cr_log_info("partition %zu %s: simulated %.5g +- %.3g, theory %.5g", i, what, e.mean, e.ci95,
		    theory);
	cr_expect(fabs(e.mean - theory) <= 2 * e.ci95,
		  "partition %zu %s: simulated %.5g +- %.3g (95%%, n=%zu), theory %.5g", i, what,
		  e.mean, e.ci95, e.n, theory);
	cr_expect(e.ci95 <= 0.1 * theory, "partition %zu %s: +- %.3g is too loose", i, what, e.ci95);
}

Test(topic, uniform_keys_make_independent_mm1_queues, .timeout = 300)
{
	/* Poisson arrivals with keys drawn independently split into Poisson
	 * flows, one per partition, of rate lambda x (its keys / all keys);
	 * one exponential consumer each: N independent M/M/1 queues */
	enum { N = 4, KEYS = 2000 };
	const double lambda = 120, mu = 50;
	struct th_runs r;
	th_run(&r,
	       "duration: 10m\nwarmup: 30s\nsample: 1s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 120/s, keys: {count: 2000}, to: t}\n"
	       "  t: {kind: topic, partitions: 4}\n"
	       "  w: {kind: workers, from: t, count: 4, service: {dist: exponential, mean: 20ms}}\n",
	       NULL, 12);
	unsigned owned[N] = { 0 };
	for (uint32_t k = 0; k < KEYS; k++)
		owned[mdl_topic_partition(k, N)]++;
	for (size_t i = 0; i < N; i++) {
		double lp = lambda * owned[i] / KEYS, rho = lp / mu;
		cr_assert_lt(rho, 0.75, "partition %zu is too loaded for the test: rho %g", i, rho);
		expect_theory(&r, i, "mean_wait_s", rho / (mu - lp));	/* Wq */
		expect_theory(&r, i, "mean_depth", rho * rho / (1 - rho));	/* Lq */
		expect_theory(&r, i, "mean_lag", rho / (1 - rho));	/* L */
	}
	th_runs_free(&r);
}

/* H(n, s) = sum over k = 1 .. n of k^-s. */
static double harmonic(unsigned n, double s)
{
	double h = 0;
	for (unsigned k = n; k >= 1; k--)
		h += pow(k, -s);
	return h;
}

Test(topic, partition_loads_are_their_keys_shares, .timeout = 120)
{
	/* Zipf(1.1) over 50 keys into 6 partitions: partition p takes the
	 * sum of the shares of the keys that hash to it */
	enum { N = 6, KEYS = 50 };
	struct th_runs r;
	th_run(&r,
	       "duration: 2m\nsample: 1s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 2000/s, keys: {count: 50, dist: zipf, exponent: 1.1},"
	       " to: t}\n"
	       "  t: {kind: topic, partitions: 6}\n"
	       "  w: {kind: workers, from: t, count: 6, service: 0.1ms}\n",
	       NULL, 1);
	double share[N] = { 0 }, h = harmonic(KEYS, 1.1);
	for (unsigned k = 0; k < KEYS; k++)
		share[mdl_topic_partition(k, N)] += pow(k + 1, -1.1) / h;
	double total = th_value(&r.res[0], "components.t.arrived");
	const struct sim_json *p = partitions(&r.res[0])->first;
	for (size_t i = 0; i < N; i++, p = p->next) {
		double got = sim_json_getnum(p, "arrived", NULL) / total;
		double sd = sqrt(share[i] * (1 - share[i]) / total);
		cr_expect(fabs(got - share[i]) < 4 * sd, "partition %zu: share %.4f, theory %.4f", i, got,
			  share[i]);
	}
	th_runs_free(&r);
}

Test(topic, ordering_by_key_shares_a_partition_among_threads, .timeout = 60)
{
	/* one partition, 4 workers, 10 ms each, 300/s of 1000 keys: by
	 * partition one worker serves 100/s; by key all four serve 300/s */
	const char *src = "rate: 300/s, keys: {count: 1000}";
	const char *pool = "count: 4, service: 10ms";
	struct th_runs r;
	th_run(&r, scenario(src, "partitions: 1", pool), NULL, 1);
	cr_expect_eq(th_value(&r.res[0], "components.w.max_busy"), 1);
	th_runs_free(&r);
	th_run(&r, scenario(src, "partitions: 1, ordering: key", pool), NULL, 1);
	double x = th_value(&r.res[0], "components.w.throughput_per_s");
	cr_expect_eq(th_value(&r.res[0], "components.w.max_busy"), 4);
	cr_expect(fabs(x - 300) < 10, "throughput %g, expected 300/s", x);
	th_runs_free(&r);
}

Test(topic, ordering_by_key_never_serves_one_key_twice_at_once, .timeout = 60)
{
	/* one key: even by key, one item at a time */
	struct th_runs r;
	th_run(&r,
	       scenario("rate: 300/s, keys: {count: 1}", "partitions: 2, ordering: key",
			"count: 4, service: 10ms"),
	       NULL, 1);
	cr_expect_eq(th_value(&r.res[0], "components.w.max_busy"), 1);
	th_runs_free(&r);
}

/* ---- coalescing --------------------------------------------------------- */

Test(coalescing, a_batch_of_one_key_costs_one_write, .timeout = 60)
{
	/* one key, 1000/s, batches of up to 10 at 5 ms per write: by key a
	 * batch costs 5 ms whatever its size; without, 5 ms per item */
	struct th_runs r;
	th_run(&r,
	       "duration: 1m\nsample: 1s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 1000/s, keys: {count: 1}, to: q}\n"
	       "  q: {kind: queue}\n"
	       "  w: {kind: workers, from: q, count: 1,"
	       " batch: {max: 10, per_batch: 1ms, per_item: 4ms, by: key}}\n",
	       NULL, 2);
	for (unsigned k = 0; k < r.reps; k++) {
		const struct sim_result *res = &r.res[k];
		double done = th_value(res, "components.w.completed");
		double batches = th_value(res, "components.w.batches");
		cr_expect_float_eq(th_value(res, "components.w.mean_batch_s"), 0.005, 1e-9);
		/* merged = items started - batches; the batch in service at
		 * the end has started, not completed: up to 9 more */
		double extra = th_value(res, "components.w.merged") - (done - batches);
		cr_expect(extra >= 0 && extra <= 9, "merged - (completed - batches) = %g", extra);
		cr_expect_gt(th_value(res, "components.w.mean_batch_size"), 4);
		/* every merged item still completes */
		cr_expect_eq(th_value(res, "components.src.completed"), done);
	}
	th_runs_free(&r);
}

Test(coalescing, a_batch_holds_one_key_only, .timeout = 60)
{
	/* keys 0 and 1 in turn would give batches of one; with many keys,
	 * batches are short runs: never longer than the same-key runs */
	struct th_runs r;
	th_run(&r,
	       "duration: 1m\nsample: 1s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 1000/s, keys: {count: 500}, to: q}\n"
	       "  q: {kind: queue}\n"
	       "  w: {kind: workers, from: q, count: 1,"
	       " batch: {max: 10, per_batch: 0.2ms, per_item: 0.5ms, by: key}}\n",
	       NULL, 1);
	const struct sim_result *res = &r.res[0];
	/* 500 keys: two items in a row share a key 1 time in 500 */
	double merged = th_value(res, "components.w.merged");
	double done = th_value(res, "components.w.completed");
	cr_expect_lt(merged, done * 0.01, "%g of %g merged", merged, done);
	cr_expect_float_eq(th_value(res, "components.w.mean_batch_s"), 0.0007, 1e-9);
	th_runs_free(&r);
}

Test(coalescing, from_a_topic_one_consumer_merges_its_hot_key, .timeout = 60)
{
	/* every item of one key lands on one partition: one consumer works,
	 * and by-key batches of up to 50 keep up with 2000/s at 1 ms a write */
	struct th_runs r;
	th_run(&r,
	       scenario("rate: 2000/s, keys: {count: 1}", "partitions: 4",
			"count: 4, batch: {max: 50, per_item: 1ms, by: key}"),
	       NULL, 1);
	const struct sim_result *res = &r.res[0];
	cr_expect_eq(th_value(res, "components.w.max_busy"), 1);
	cr_expect_gt(th_value(res, "components.w.merged"), 0);
	double x = th_value(res, "components.w.throughput_per_s");
	cr_expect(fabs(x - 2000) < 40, "throughput %g", x);
	th_runs_free(&r);
}

Test(topic, the_group_rebalances_as_the_pool_scales, .timeout = 60)
{
	/* 8 partitions, a pool of 2 scaling up to 8 on the worst partition's
	 * lag: the consumers follow the pool, order still kept */
	struct th_runs r;
	th_run(&r,
	       scenario("rate: 600/s",
			"partitions: 8",
			"count: 2, service: {dist: exponential, mean: 10ms},"
			" autoscale: {signal: t.max_partition_lag, target: 20, min: 2, max: 8, step: 2,"
			" cooldown: 5s, check: 1s}"),
	       NULL, 2);
	for (unsigned k = 0; k < r.reps; k++) {
		const struct sim_result *res = &r.res[k];
		cr_expect_gt(th_value(res, "components.w.scale_ups"), 0);
		cr_expect_leq(th_value(res, "components.w.max_busy"), 8);
		double x = th_value(res, "components.w.throughput_per_s");
		cr_expect(fabs(x - 600) < 30, "throughput %g: the grown group keeps up", x);
	}
	th_runs_free(&r);
}
