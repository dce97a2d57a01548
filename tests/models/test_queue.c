/* test_queue.c - load shedding in queues (models/queue.c); the classic
 * queue behaviours are validated against theory in tests/validation. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

#include "tests/helpers.h"

/* 1.5x overload, 20% critical, one FIFO queue */
static char *overload(const char *queue)
{
	static char buf[1024];
	snprintf(buf, sizeof buf,
		 "duration: 300s\nwarmup: 30s\nsample: 1s\n"
		 "classes: {critical: {priority: 0}, optional: {priority: 1}}\n"
		 "components:\n"
		 "  src: {kind: producer, rate: 150/s, mix: {critical: 0.2, optional: 0.8}, to: q}\n"
		 "  q: {kind: queue%s}\n"
		 "  w: {kind: workers, from: q, count: 1, service: {dist: exponential, mean: 10ms}}\n",
		 queue);
	return buf;
}

Test(queue, shedding_by_depth_keeps_critical_work_fast, .timeout = 60)
{
	struct th_runs none, shed;
	th_run(&none, overload(""), NULL, 1);
	th_run(&shed, overload(", shed: {when_depth: 50, keep_priority: 0}"), NULL, 1);
	/* without shedding the backlog grows: minutes of waiting */
	cr_expect_gt(th_value(&none.res[0], "classes.critical.sojourn_s.p99"), 30);
	/* with it, at most ~50 items wait (10 ms each): p99 well under a second */
	cr_expect_lt(th_value(&shed.res[0], "classes.critical.sojourn_s.p99"), 1.0);
	cr_expect_float_eq(th_value(&shed.res[0], "classes.critical.dropped"), 0, 0,
			   "critical work is never shed");
	double opt = th_value(&shed.res[0], "classes.optional.dropped");
	cr_expect_gt(opt, 0.25 * 150 * 270, "optional work takes the cut: %g shed", opt);
	cr_expect_float_eq(th_value(&shed.res[0], "components.q.dropped.shed"), opt, 0);
	cr_expect_leq(th_value(&shed.res[0], "components.q.max_depth"), 60);
	th_runs_free(&none);
	th_runs_free(&shed);
}

Test(queue, shedding_by_age_bounds_the_wait, .timeout = 60)
{
	struct th_runs r;
	th_run(&r, overload(", shed: {when_age: 200ms, keep_priority: 0}"), NULL, 1);
	/* optional work is refused while the oldest item is over 200 ms old;
	 * critical work still joins, so the oldest stays near that */
	cr_expect_lt(th_value(&r.res[0], "components.q.max_oldest_age_s"), 1.0);
	cr_expect_float_eq(th_value(&r.res[0], "classes.critical.dropped"), 0, 0);
	th_runs_free(&r);
}

Test(queue, probabilistic_shedding_sheds_a_share, .timeout = 60)
{
	struct th_runs all, half;
	th_run(&all, overload(", shed: {when_depth: 50}"), NULL, 1);
	th_run(&half, overload(", shed: {when_depth: 50, probability: 0.5}"), NULL, 1);
	/* default keep_priority 0: optional only; with probability 0.5 fewer
	 * are shed per arrival, so the queue sits deeper */
	cr_expect_gt(th_value(&half.res[0], "components.q.max_depth"),
		     th_value(&all.res[0], "components.q.max_depth"));
	cr_expect_float_eq(th_value(&half.res[0], "classes.critical.dropped"), 0, 0);
	th_runs_free(&all);
	th_runs_free(&half);
}

/* 1.2x overload of a 1 ms server, FIFO, with queue options */
static char *fast_overload(const char *queue)
{
	static char buf[1024];
	snprintf(buf, sizeof buf,
		 "duration: 120s\nwarmup: 20s\nsample: 1s\n"
		 "components:\n"
		 "  src: {kind: producer, rate: 1200/s, to: q}\n"
		 "  q: {kind: queue%s}\n"
		 "  w: {kind: workers, from: q, count: 1, service: {dist: exponential, mean: 1ms}}\n",
		 queue);
	return buf;
}

Test(queue, codel_bounds_the_wait_and_drops_the_excess, .timeout = 60)
{
	struct th_runs none, codel;
	th_run(&none, fast_overload(""), NULL, 1);
	th_run(&codel, fast_overload(", codel: {target: 5ms, interval: 100ms}"), NULL, 1);
	double w0 = th_value(&none.res[0], "components.q.mean_wait_s");
	double w1 = th_value(&codel.res[0], "components.q.mean_wait_s");
	cr_expect_gt(w0, 5, "without CoDel the wait grows: %g s", w0);
	cr_expect_lt(w1, 0.3, "CoDel bounds it: %g s", w1);
	/* it drops about the excess (1/6 of arrivals) and keeps the server busy */
	double loss = th_value(&codel.res[0], "components.src.loss");
	cr_expect(loss > 0.12 && loss < 0.25, "loss %g, excess 1/6", loss);
	cr_expect_gt(th_value(&codel.res[0], "components.w.utilization"), 0.97);
	th_runs_free(&none);
	th_runs_free(&codel);
}

Test(queue, adaptive_lifo_with_controlled_delay_serves_fresh_work, .timeout = 60)
{
	struct th_runs lifo, both;
	th_run(&lifo, fast_overload(", discipline: adaptive-lifo"), NULL, 1);
	th_run(&both, fast_overload(", discipline: adaptive-lifo, codel: {target: 5ms, interval: 100ms}"), NULL, 1);
	/* LIFO alone: fresh work is fast, but old work starves */
	cr_expect_lt(th_value(&lifo.res[0], "components.q.mean_wait_s"), 0.02);
	cr_expect_gt(th_value(&lifo.res[0], "components.q.max_oldest_age_s"), 60);
	/* with controlled delay nothing waits long, and the excess is dropped */
	cr_expect_lt(th_value(&both.res[0], "components.q.max_oldest_age_s"), 0.2);
	cr_expect_lt(th_value(&both.res[0], "components.src.sojourn_s.p99"), 0.1);
	cr_expect_gt(th_value(&both.res[0], "components.q.dropped.codel"), 0);
	th_runs_free(&lifo);
	th_runs_free(&both);
}

Test(queue, deadlines_drop_work_nobody_waits_for, .timeout = 60)
{
	/* 1.2x overload behind a client with a 100 ms timeout: without
	 * deadlines the worker serves attempts long given up on, and almost
	 * nothing succeeds; dropping those turns the capacity into successes */
	const char *fmt = "duration: 60s\nsample: 1s\n"
			  "components:\n"
			  "  src: {kind: producer, rate: 40/s, to: app}\n"
			  "  app: {kind: client, timeout: 100ms, to: q}\n"
			  "  q: {kind: queue%s}\n"
			  "  w: {kind: workers, from: q, count: 1, service: 30ms}\n";
	char a[512], b[512];
	snprintf(a, sizeof a, fmt, "");
	snprintf(b, sizeof b, fmt, ", honor_deadlines: true");
	struct th_runs off, on;
	th_run(&off, a, NULL, 1);
	th_run(&on, b, NULL, 1);
	double late_off = th_value(&off.res[0], "components.app.late_completions");
	double late_on = th_value(&on.res[0], "components.app.late_completions");
	double ok_off = th_value(&off.res[0], "components.app.successes");
	double ok_on = th_value(&on.res[0], "components.app.successes");
	cr_expect_gt(th_value(&on.res[0], "components.q.dropped.deadline"), 0);
	cr_expect_lt(late_on, 0.6 * late_off, "wasted work %g with deadlines, %g without", late_on, late_off);
	cr_expect_gt(ok_on, 10 * (ok_off + 1), "successes %g with deadlines, %g without", ok_on, ok_off);
	th_runs_free(&off);
	th_runs_free(&on);
}

Test(queue, work_retried_during_a_pull_never_overfills_the_pool, .timeout = 60)
{
	/* Controlled delay drops stale attempts inside the pool's pull; the
	 * client retries each at once, into the same queue.  The retry must
	 * wait for the pull under way, not start a nested one that hands the
	 * pool more items than it has workers. */
	struct th_runs r;
	th_run(&r,
	       "duration: 120s\nsample: 1s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 560/s, schedule: [{at: 20s, for: 30s, rate: 1680/s}], to: app}\n"
	       "  app: {kind: client, timeout: 1s, retries: 3, to: q}\n"
	       "  q: {kind: queue, discipline: adaptive-lifo, codel: {target: 5ms, interval: 100ms}}\n"
	       "  w: {kind: workers, from: q, count: 8, service: {dist: exponential, mean: 10ms}}\n",
	       NULL, 1);
	cr_expect_gt(th_value(&r.res[0], "components.q.dropped.codel"), 1000);
	cr_expect_leq(th_value(&r.res[0], "components.w.max_busy"), 8);
	th_runs_free(&r);
}

/* The largest value of a time-series column over the run. */
static double series_max(const struct sim_result *res, const char *col)
{
	int c = sim_series_find(&res->series, col);
	cr_assert_geq(c, 0, "no column %s", col);
	double m = -INFINITY;
	for (size_t i = 0; i < res->series.nrows; i++)
		m = fmax(m, res->series.v[i * res->series.ncols + (size_t)c]);
	return m;
}

Test(queue, block_moves_the_backlog_to_the_producer_and_loses_nothing, .timeout = 60)
{
	/* 1200/s into a server of 1000/s for 120 s: unbounded, the queue's
	 * oldest item ages by 1/6 s every second; blocking at 100 waiting,
	 * the queue stays short and the excess waits at the producer */
	struct th_runs none, block;
	th_run(&none, fast_overload(""), NULL, 1);
	th_run(&block, fast_overload(", capacity: 100, overflow: block"), NULL, 1);
	const struct sim_result *b = &block.res[0];
	cr_expect_gt(th_value(&none.res[0], "components.q.max_oldest_age_s"), 15);
	cr_expect_leq(th_value(b, "components.q.max_depth"), 100);
	cr_expect_lt(th_value(b, "components.q.max_oldest_age_s"), 0.5);
	cr_expect_float_eq(th_value(b, "components.q.dropped.full"), 0, 0);
	cr_expect_float_eq(th_value(b, "components.src.lost"), 0, 0);
	cr_expect_float_eq(th_value(b, "components.src.dropped"), 0, 0);
	/* the producer sends at the server's pace: it is blocked most of the
	 * time, and what it holds grows by the excess, ~200/s */
	double held = th_value(b, "components.src.held_at_end");
	cr_expect(held > 0.8 * 200 * 120 && held < 1.2 * 200 * 120, "held %g", held);
	cr_expect_gt(th_value(b, "components.src.deferred"), 0.5 * 1000 * 100);
	cr_expect_gt(th_value(b, "components.src.blocked_share"), 0.9);
	cr_expect_gt(th_value(b, "components.w.utilization"), 0.97);
	cr_expect_gt(th_value(b, "components.q.blocked"), 0);
	cr_expect_float_eq(series_max(b, "q.blocked_waiting"), 1, 0, "one producer: one item at the door");
	cr_expect_gt(series_max(b, "src.held"), 0.8 * 200 * 100);
	cr_expect_float_eq(series_max(b, "src.blocked"), 1, 0.05);
	cr_expect(b->conserved);
	th_runs_free(&none);
	th_runs_free(&block);
}

Test(queue, block_with_on_block_drop_loses_the_excess, .timeout = 60)
{
	struct th_runs r;
	th_run(&r,
	       "duration: 120s\nwarmup: 20s\nsample: 1s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 1200/s, to: q, on_block: drop}\n"
	       "  q: {kind: queue, capacity: 100, overflow: block}\n"
	       "  w: {kind: workers, from: q, count: 1, service: {dist: exponential, mean: 1ms}}\n",
	       NULL, 1);
	const struct sim_result *res = &r.res[0];
	/* the excess over the server, 1/6 of arrivals, is lost at the source */
	double loss = th_value(res, "components.src.loss");
	cr_expect(loss > 0.15 && loss < 0.19, "loss %g, excess 1/6", loss);
	cr_expect_float_eq(th_value(res, "components.src.lost"),
			   th_value(res, "components.src.dropped"), 0);
	cr_expect_float_eq(th_value(res, "components.src.deferred"), 0, 0);
	cr_expect_float_eq(th_value(res, "components.q.dropped.full"), 0, 0);
	th_runs_free(&r);
}

Test(queue, block_reaches_the_producer_behind_a_split_and_a_client, .timeout = 60)
{
	/* the blocked items are a split's copies and a client's attempts:
	 * both are the producer's work, so the producer is the one slowed */
	struct th_runs r;
	th_run(&r,
	       "duration: 60s\nsample: 1s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 1500/s, to: fan}\n"
	       "  fan: {kind: split, to: [main, {to: side}]}\n"
	       "  main: {kind: queue}\n"
	       "  mw: {kind: workers, from: main, count: 4, service: 1ms}\n"
	       "  side: {kind: client, timeout: 10s, to: q}\n"
	       "  q: {kind: queue, capacity: 50, overflow: block}\n"
	       "  w: {kind: workers, from: q, count: 1, service: {dist: exponential, mean: 1ms}}\n",
	       NULL, 1);
	const struct sim_result *res = &r.res[0];
	cr_expect_gt(th_value(res, "components.src.deferred"), 0);
	cr_expect_gt(th_value(res, "components.src.blocked_share"), 0.9);
	cr_expect_leq(th_value(res, "components.q.max_depth"), 50);
	/* paced by the slower branch: the main queue gets ~1000/s, not 1500/s */
	double main = th_value(res, "components.main.accepted") / 60;
	cr_expect(main > 900 && main < 1100, "main branch %g/s", main);
	cr_expect(res->conserved);
	th_runs_free(&r);
}
