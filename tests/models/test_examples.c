/* test_examples.c - every example scenario and variant runs, conserves its
 * items (timed-out attempts still in flight included) and tells its story. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sim/json.h"
#include "tests/helpers.h"

Test(examples, every_variant_conserves, .timeout = 300)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/scenarios", th_source_root());
	DIR *d = opendir(dir);
	cr_assert_not_null(d);
	cr_assert_eq(chdir(dir), 0);	/* data files are named from there */
	struct dirent *e;
	int runs = 0;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".yaml"))
			continue;
		char *yaml = th_example(e->d_name);
		struct sim_scenario *sc = th_load(yaml, NULL);
		cr_assert_not_null(sc, "%s does not load", e->d_name);
		for (size_t v = 0; v <= sc->nvariants; v++) {
			struct th_runs r;
			th_run(&r, yaml, v ? sc->variants[v - 1] : NULL, 1);	/* asserts conservation */
			runs++;
			th_runs_free(&r);
		}
		sim_scenario_free(sc);
		free(yaml);
	}
	closedir(d);
	cr_assert_geq(runs, 20);
}

Test(examples, likes_spike_tells_its_story, .timeout = 120)
{
	char *yaml = th_example("likes-spike.yaml");
	struct th_runs base, more;
	th_run(&base, yaml, NULL, 1);
	th_run(&more, yaml, "more-workers", 1);
	const struct sim_result *b = &base.res[0], *m = &more.res[0];
	/* the debt pile: analytics lag grows to minutes, counters stay fast */
	cr_expect_gt(th_value(b, "components.analytics-q.max_oldest_age_s"), 60);
	cr_expect_lt(th_value(b, "classes.critical.sojourn_s.p99"), 0.02);
	/* scaling analytics into the shared database: the backlog clears
	 * sooner, and the critical path pays for it */
	cr_expect_lt(th_value(m, "components.analytics-q.max_oldest_age_s"),
		     th_value(b, "components.analytics-q.max_oldest_age_s") / 2);
	cr_expect_gt(th_value(m, "classes.critical.sojourn_s.p99"),
		     10 * th_value(b, "classes.critical.sojourn_s.p99"));
	/* a bulkhead on the database gives the critical path its speed back */
	struct th_runs bulk;
	th_run(&bulk, yaml, "bulkhead", 1);
	cr_expect_lt(th_value(&bulk.res[0], "classes.critical.sojourn_s.p99"), 0.02);
	cr_expect_lt(th_value(&bulk.res[0], "components.analytics-q.max_oldest_age_s"),
		     th_value(&base.res[0], "components.analytics-q.max_oldest_age_s"));
	th_runs_free(&bulk);
	th_runs_free(&base);
	th_runs_free(&more);
	free(yaml);
}

Test(examples, backpressure_moves_the_backlog_to_whoever_can_wait, .timeout = 120)
{
	char *yaml = th_example("backpressure.yaml");
	struct th_runs base, reject, block, buffer;
	th_run(&base, yaml, NULL, 1);
	th_run(&reject, yaml, "reject", 1);
	th_run(&block, yaml, "block", 1);
	th_run(&buffer, yaml, "buffer", 1);
	const struct sim_result *b = &block.res[0];
	/* unbounded, the queue swallows the excess: ~2000/s for 3 minutes */
	cr_expect_gt(th_value(&base.res[0], "components.records.max_depth"), 300000);
	/* rejecting keeps it short and loses about a third of the spike */
	cr_expect_gt(th_value(&reject.res[0], "components.records.dropped.full"), 300000);
	/* blocking keeps it short and loses nothing: the producer holds the
	 * excess, and every record still gets through */
	cr_expect_leq(th_value(b, "components.records.max_depth"), 20000);
	cr_expect_float_eq(th_value(b, "components.exporter.dropped"), 0, 0);
	cr_expect_gt(th_value(b, "components.exporter.max_held"), 300000);
	cr_expect_gt(th_value(b, "components.exporter.deferred"), 300000);
	cr_expect_float_eq(th_value(b, "components.exporter.completed"),
			   th_value(&base.res[0], "components.exporter.completed"), 100);
	/* a bounded send buffer loses what does not fit in it */
	double lost = th_value(&buffer.res[0], "components.exporter.lost");
	cr_expect_gt(lost, 100000);
	cr_expect_leq(th_value(&buffer.res[0], "components.exporter.max_held"), 100000);
	cr_expect_float_eq(th_value(&buffer.res[0], "components.exporter.dropped"), lost, 0);
	th_runs_free(&base);
	th_runs_free(&reject);
	th_runs_free(&block);
	th_runs_free(&buffer);
	free(yaml);

	/* when the producer is the user, blocking on optional work stalls the
	 * critical path: the likes spike's Like API waits on analytics */
	yaml = th_example("likes-spike.yaml");
	th_run(&block, yaml, "block", 1);
	b = &block.res[0];
	cr_expect_gt(th_value(b, "components.like-api.deferred"), 100000);
	cr_expect_gt(th_value(b, "classes.critical.sojourn_s.p99"), 10);
	cr_expect_leq(th_value(b, "components.analytics-q.max_depth"), 20000);
	th_runs_free(&block);
	free(yaml);
}

Test(examples, split_samples_its_share, .timeout = 60)
{
	struct th_runs r;
	th_run(&r,
	       "duration: 100s\nsample: 10s\n"
	       "classes: {critical: {priority: 0}, optional: {priority: 1}}\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 1000/s, class: critical, to: fan}\n"
	       "  fan: {kind: split, to: [a, {to: b, class: optional, share: 0.1}]}\n"
	       "  a: {kind: queue}\n  wa: {kind: workers, from: a, count: 10, service: 1ms}\n"
	       "  b: {kind: queue}\n  wb: {kind: workers, from: b, count: 10, service: 1ms}\n",
	       NULL, 1);
	double n = th_value(&r.res[0], "components.fan.received");
	double copies = th_value(&r.res[0], "classes.optional.completed");
	cr_expect(fabs(copies - 0.1 * n) < 5 * sqrt(0.09 * n), "%g copies of %g, share 0.1", copies, n);
	cr_expect_float_eq(th_value(&r.res[0], "components.b.arrived"), copies, 10);
	th_runs_free(&r);
}
