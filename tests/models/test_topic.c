/* test_topic.c - partitioned topics and their consumer group
 * (models/topic.c, models/group.c), and coalescing batches
 * (models/workers.c, batch: {by: key}).  Every run here also checks, on
 * each completion, that a partition's items complete in the order they
 * arrived (an assertion in models/topic.c, on in test builds). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

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
