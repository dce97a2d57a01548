/* test_workers.c - batching in worker pools (models/workers.c); plain pools
 * are validated against queueing theory in tests/validation. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

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

static const char autoscaled[] =
	"duration: 10m\nsample: 5s\n"
	"components:\n"
	"  src: {kind: producer, rate: 300/s, schedule: [{at: 2m, for: 2m, rate: 900/s}], to: q}\n"
	"  q: {kind: queue}\n"
	"  w:\n"
	"    kind: workers\n"
	"    from: q\n"
	"    count: 4\n"
	"    service: {dist: exponential, mean: 10ms}\n"
	"    autoscale: {signal: q.oldest_age_s, target: 1s, max: 16, step: 2, cooldown: 10s, startup: 20s}\n";

Test(workers, autoscaling_follows_lag_up_and_down, .timeout = 60)
{
	struct th_runs fixed, scaled;
	char nofix[1024];
	snprintf(nofix, sizeof nofix, "%.*s", (int)(strstr(autoscaled, "    autoscale:") - autoscaled), autoscaled);
	th_run(&fixed, nofix, NULL, 1);
	th_run(&scaled, autoscaled, NULL, 1);
	cr_expect_float_eq(th_value(&scaled.res[0], "components.w.max_count"), 16, 0, "scales up to max");
	cr_expect_gt(th_value(&scaled.res[0], "components.w.scale_downs"), 0, "and back down");
	cr_expect_lt(th_value(&scaled.res[0], "components.q.max_oldest_age_s"),
		     0.5 * th_value(&fixed.res[0], "components.q.max_oldest_age_s"));
	double mean = th_value(&scaled.res[0], "components.w.mean_count");
	cr_expect(mean > 4 && mean < 16, "mean count %g", mean);
	th_runs_free(&fixed);
	th_runs_free(&scaled);
}

/* The utilisation column of a pool whose size changes is its busy
 * workers over the workers it had in each interval: never above 100%,
 * and near it while the scaled-up pool is saturated. */
Test(workers, autoscaled_utilisation_is_over_the_current_pool, .timeout = 60)
{
	struct th_runs r;
	th_run(&r, autoscaled, NULL, 1);
	const struct sim_series *s = &r.res[0].series;
	int u = sim_series_find(s, "w.utilization"), c = sim_series_find(s, "w.count");
	cr_assert(u >= 0 && c >= 0);
	double max = 0, max_count = 0;
	for (size_t i = 0; i < s->nrows; i++) {
		double v = s->v[i * s->ncols + (size_t)u];
		cr_expect(isnan(v) || (v >= 0 && v <= 1 + 1e-9), "utilisation %g at %g s", v, s->t[i]);
		if (v > max)
			max = v;
		if (s->v[i * s->ncols + (size_t)c] > max_count)
			max_count = s->v[i * s->ncols + (size_t)c];
	}
	cr_expect_gt(max_count, 4, "the pool grew");
	cr_expect_gt(max, 0.9, "saturated while scaled up: %g", max);
	double summary = th_value(&r.res[0], "components.w.utilization");
	cr_expect(summary > 0 && summary <= 1, "summary utilisation %g", summary);
	th_runs_free(&r);
}

Test(workers, downstream_aware_autoscaling_holds_when_the_database_is_saturated, .timeout = 60)
{
	const char *fmt =
		"duration: 5m\nsample: 5s\n"
		"components:\n"
		"  src: {kind: producer, rate: 900/s, to: q}\n"
		"  q: {kind: queue}\n"
		"  w:\n"
		"    kind: workers\n"
		"    from: q\n"
		"    count: 4\n"
		"    calls: db\n"
		"    autoscale: {signal: q.oldest_age_s, target: 1s, max: 32, step: 4, cooldown: 10s%s}\n"
		"  db: {kind: database, connections: 4, service: 5ms}\n";
	char blind[1024], aware[1024];
	snprintf(blind, sizeof blind, fmt, "");
	snprintf(aware, sizeof aware, fmt, ", hold: {signal: db.waiting, above: 0}");
	struct th_runs b, a;
	th_run(&b, blind, NULL, 1);
	th_run(&a, aware, NULL, 1);
	/* blind: it scales to max, into a database that cannot take more */
	cr_expect_float_eq(th_value(&b.res[0], "components.w.max_count"), 32, 0);
	cr_expect_gt(th_value(&b.res[0], "components.db.max_waiting"), 10);
	/* aware: it stops once calls wait for a connection */
	cr_expect_gt(th_value(&a.res[0], "components.w.scale_ups_held"), 0);
	cr_expect_leq(th_value(&a.res[0], "components.w.max_count"), 12);
	th_runs_free(&b);
	th_runs_free(&a);
}
