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
