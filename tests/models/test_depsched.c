/* test_depsched.c - dependencies that change over time: the schedule of a
 * database or a worker pool (models/depsched.c), against the fluid model
 * of a backlog, exact counts and hand-computed times. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

#include "tests/helpers.h"

/* The value of column name in row i. */
static double cell(const struct sim_series *s, int col, size_t i)
{
	return s->v[i * s->ncols + (size_t)col];
}

/* The first sample time at or after t0 at which column name is <= level,
 * or INFINITY. */
static double first_at_or_below(const struct sim_series *s, const char *name, double t0,
				double level)
{
	int c = sim_series_find(s, name);
	cr_assert(c >= 0, "no column %s", name);
	for (size_t i = 0; i < s->nrows; i++)
		if (s->t[i] >= t0 && cell(s, c, i) <= level)
			return s->t[i];
	return INFINITY;
}

/* A slowdown F for D seconds on c connections of service S under load
 * lambda, c/(F S) < lambda < c/S: the backlog grows at lambda - c/(F S)
 * to (lambda - c/(F S)) D, then drains at c/S - lambda.  Deterministic
 * arrivals and service: the fluid model holds to one call. */
Test(depsched, database_slowdown_backlog_and_recovery_deterministic, .timeout = 60)
{
	const double lambda = 80, c = 4, s = 0.040, f = 2, d = 10, at = 10;
	struct th_runs r;
	th_run(&r,
	       "duration: 60s\nsample: 0.1s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 80/s, arrivals: constant, to: db}\n"
	       "  db: {kind: database, connections: 4, service: 40ms,\n"
	       "       schedule: [{at: 10s, for: 10s, slowdown: 2}]}\n",
	       NULL, 1);
	double peak = (lambda - c / (f * s)) * d, recovery = peak / (c / s - lambda);
	double got = th_value(&r.res[0], "components.db.max_waiting");
	cr_expect(fabs(got - peak) <= 0.05 * peak, "peak backlog %g, fluid model %g", got, peak);
	double back = first_at_or_below(&r.res[0].series, "db.waiting", at + d, 0) - (at + d);
	cr_expect(fabs(back - recovery) <= 0.05 * recovery, "recovery %g s, fluid model %g s", back,
		  recovery);
	/* the default report window is the schedule's */
	cr_expect(r.sc->report.has_window && r.sc->report.from == at && r.sc->report.to == at + d);
	th_runs_free(&r);
}

/* The same at a high rate with Poisson arrivals, over 8 replications:
 * the mean peak, and the mean time back under 2% of the peak, within 5%
 * of the fluid model, and the model within the 95% interval widened to
 * that 5% (one replication's backlog is off by a few hundred calls: the
 * arrivals of 10 s vary by sqrt(8000) ~ 90, and the queue at the start). */
Test(depsched, database_slowdown_backlog_and_recovery_poisson, .timeout = 120)
{
	const double lambda = 800, c = 40, s = 0.040, f = 2, d = 10, at = 20;
	struct th_runs r;
	th_run(&r,
	       "duration: 60s\nsample: 0.1s\nseed: 7\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 800/s, to: db}\n"
	       "  db: {kind: database, connections: 40, service: 40ms,\n"
	       "       schedule: [{at: 20s, for: 10s, slowdown: 2}]}\n",
	       NULL, 8);
	double peak = (lambda - c / (f * s)) * d, low = 0.02 * peak;
	double recovery = (peak - low) / (c / s - lambda);
	double p[8], b[8];
	for (unsigned i = 0; i < r.reps; i++) {
		p[i] = th_value(&r.res[i], "components.db.max_waiting");
		b[i] = first_at_or_below(&r.res[i].series, "db.waiting", at + d, low) - (at + d);
	}
	const double *v[2] = { p, b }, want[2] = { peak, recovery };
	for (int k = 0; k < 2; k++) {
		double m = 0, ss = 0;
		for (unsigned i = 0; i < r.reps; i++)
			m += v[k][i] / r.reps;
		for (unsigned i = 0; i < r.reps; i++)
			ss += (v[k][i] - m) * (v[k][i] - m);
		double ci = 2.365 * sqrt(ss / (r.reps - 1) / r.reps);	/* t(7) */
		cr_expect(fabs(m - want[k]) <= 0.05 * want[k], "%s: mean %g +- %g, fluid model %g",
			  k ? "recovery (s)" : "peak backlog", m, ci, want[k]);
		cr_expect(ci <= 0.05 * want[k], "%s: the 95%% interval %g is too wide",
			  k ? "recovery" : "peak", ci);
	}
	th_runs_free(&r);
}

/* Work running when a slowdown starts is stretched only for the part done
 * meanwhile, on a database (its USL clock) and on a worker pool alike:
 * a 1 s job from 1.0 s, half done at 1.5 s, a third of a second of work
 * done in [1.5, 2.5) at slowdown 3, the last sixth by 2.6667 s. */
Test(depsched, slowdown_stretches_running_work_like_the_usl, .timeout = 60)
{
	const char *fmt =
		"duration: 5s\nsample: 1s\n"
		"components:\n"
		"  src: {kind: producer, rate: 1/s, arrivals: constant, schedule: [{at: 1.5s, rate: 0}], to: %s}\n"
		"  q: {kind: queue}\n"
		"  w: {kind: workers, from: q, count: 1, service: 1s,\n"
		"      schedule: [{at: 1.5s, for: 1s, slowdown: 3}]}\n"
		"  db: {kind: database, connections: 1, service: 1s,\n"
		"       schedule: [{at: 1.5s, for: 1s, slowdown: 3}]}\n";
	const char *to[] = { "q", "db" };
	for (int k = 0; k < 2; k++) {
		char yaml[1024];
		snprintf(yaml, sizeof yaml, fmt, to[k]);
		struct th_runs r;
		th_run(&r, yaml, NULL, 1);
		double got = th_value(&r.res[0], "components.src.sojourn_s.max");
		cr_expect(fabs(got - (0.5 + 1.0 + 1.0 / 6)) < 1e-9, "to %s: %.9f s", to[k], got);
		th_runs_free(&r);
	}
}

/* down: fail fails every call at once: those running when it starts (10
 * calls of 100 ms at 100/s) and the 200 arriving in its 2 s. */
Test(depsched, database_down_fail_fails_every_call_at_once, .timeout = 60)
{
	struct th_runs r;
	th_run(&r,
	       "duration: 10s\nsample: 1s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 100/s, arrivals: constant, to: db}\n"
	       "  db: {kind: database, connections: 100, service: 100ms,\n"
	       "       schedule: [{at: 5.005s, for: 2s, down: fail}]}\n",
	       NULL, 1);
	cr_expect_float_eq(th_value(&r.res[0], "components.db.down_failures"), 210, 0);
	cr_expect_float_eq(th_value(&r.res[0], "components.src.dropped"), 210, 0);
	cr_expect_float_eq(th_value(&r.res[0], "components.db.calls"), 1000, 0);
	cr_expect_float_eq(th_value(&r.res[0], "components.db.completed"), 1000 - 210 - 10, 0);
	cr_expect(r.res[0].conserved);
	th_runs_free(&r);
}

/* A pool that is down drops what it holds and everything it is offered:
 * the queue in front never holds anything. */
Test(depsched, workers_down_fail_drops_everything_at_once, .timeout = 60)
{
	struct th_runs r;
	th_run(&r,
	       "duration: 10s\nsample: 1s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 100/s, arrivals: constant, to: q}\n"
	       "  q: {kind: queue}\n"
	       "  w: {kind: workers, from: q, count: 50, service: 100ms,\n"
	       "      schedule: [{at: 5.005s, for: 2s, down: fail}]}\n",
	       NULL, 1);
	cr_expect_float_eq(th_value(&r.res[0], "components.w.down_failures"), 210, 0);
	cr_expect_float_eq(th_value(&r.res[0], "components.src.dropped"), 210, 0);
	cr_expect_float_eq(th_value(&r.res[0], "components.q.mean_depth"), 0, 0);
	cr_expect(r.res[0].conserved);
	th_runs_free(&r);
}

/* down: hang answers nothing: a client with a 100 ms timeout and 2
 * retries sends every request 3 times, and every attempt stays in
 * flight (conservation still exact). */
Test(depsched, down_hang_makes_a_retry_storm, .timeout = 60)
{
	struct th_runs r;
	th_run(&r,
	       "duration: 40s\nsample: 1s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 0/s, arrivals: constant,\n"
	       "        schedule: [{at: 10.05s, for: 5s, rate: 10/s}], to: api}\n"
	       "  api: {kind: client, timeout: 100ms, retries: 2, to: db}\n"
	       "  db: {kind: database, connections: 10, service: 10ms,\n"
	       "       schedule: [{at: 10s, for: 10s, down: hang}]}\n",
	       NULL, 1);
	double req = th_value(&r.res[0], "components.api.requests");
	cr_expect_float_eq(req, 50, 0);
	cr_expect_float_eq(th_value(&r.res[0], "components.api.attempts"), 3 * req, 0);
	cr_expect_float_eq(th_value(&r.res[0], "components.db.hung"), 3 * req, 0);
	cr_expect_float_eq(th_value(&r.res[0], "components.db.completed"), 0, 0);
	cr_expect_float_eq(th_value(&r.res[0], "components.src.dropped"), req, 0);
	cr_expect(r.res[0].conserved);
	th_runs_free(&r);
}

/* A one-second pause: nothing completes during it, the backlog is then
 * lambda x 1 s (in the queue or just taken), and the default report
 * window is the pause. */
Test(depsched, workers_pause_builds_lambda_seconds_of_backlog, .timeout = 60)
{
	struct th_runs r;
	th_run(&r,
	       "duration: 20s\nsample: 0.25s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 100/s, arrivals: constant, to: q}\n"
	       "  q: {kind: queue}\n"
	       "  w: {kind: workers, from: q, count: 4, service: 20ms,\n"
	       "      schedule: [{at: 5s, for: 1s, pause: true}]}\n",
	       NULL, 1);
	const struct sim_series *s = &r.res[0].series;
	int done = sim_series_find(s, "w.completed"), depth = sim_series_find(s, "q.depth");
	int busy = sim_series_find(s, "w.busy"), paused = sim_series_find(s, "w.paused");
	cr_assert(done >= 0 && depth >= 0 && busy >= 0 && paused >= 0);
	for (size_t i = 0; i < s->nrows; i++) {
		if (s->t[i] > 5 && s->t[i] < 6)
			cr_expect_float_eq(cell(s, done, i), 0, 0, "%g completed at %g s",
					   cell(s, done, i), s->t[i]);
		if (s->t[i] == 6)
			cr_expect_float_eq(cell(s, depth, i) + cell(s, busy, i), 100, 0,
					   "backlog after the pause %g",
					   cell(s, depth, i) + cell(s, busy, i));
		cr_expect_float_eq(cell(s, paused, i), s->t[i] >= 5 && s->t[i] < 6, 0);
	}
	cr_expect(fabs(th_value(&r.res[0], "components.q.max_depth") - 100) <= 1);
	cr_expect(r.sc->report.has_window && r.sc->report.from == 5 && r.sc->report.to == 6);
	th_runs_free(&r);
}

/* A schedule of count resizes the pool for its span. */
Test(depsched, workers_count_follows_the_schedule, .timeout = 60)
{
	struct th_runs r;
	th_run(&r,
	       "duration: 10s\nsample: 1s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 300/s, arrivals: constant, to: q}\n"
	       "  q: {kind: queue}\n"
	       "  w: {kind: workers, from: q, count: 2, service: 10ms,\n"
	       "      schedule: [{at: 2s, for: 4s, count: 5}]}\n",
	       NULL, 1);
	const struct sim_series *s = &r.res[0].series;
	int n = sim_series_find(s, "w.count"), done = sim_series_find(s, "w.completed");
	for (size_t i = 0; i < s->nrows; i++) {
		bool in = s->t[i] >= 2 && s->t[i] < 6;
		cr_expect_float_eq(cell(s, n, i), in ? 5 : 2, 0, "count at %g s", s->t[i]);
		if (s->t[i] == 3)	/* 5 workers drain the backlog at 500/s */
			cr_expect_gt(cell(s, done, i), 450, "%g done by %g s", cell(s, done, i), s->t[i]);
	}
	th_runs_free(&r);
}

/* Without a schedule nothing new is written: no columns, no figures. */
Test(depsched, no_schedule_no_new_outputs, .timeout = 60)
{
	struct th_runs r;
	th_run(&r,
	       "duration: 5s\nsample: 1s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 10/s, to: q}\n"
	       "  q: {kind: queue}\n"
	       "  w: {kind: workers, from: q, count: 1, service: 10ms, calls: db}\n"
	       "  db: {kind: database, connections: 1, service: 1ms}\n",
	       NULL, 1);
	const struct sim_series *s = &r.res[0].series;
	cr_expect(sim_series_find(s, "db.slowdown") < 0 && sim_series_find(s, "w.paused") < 0);
	cr_expect_null(sim_json_get(r.res[0].body, "components", "db", "hung", NULL));
	cr_expect_null(sim_json_get(r.res[0].body, "components", "w", "down_failures", NULL));
	th_runs_free(&r);
}

/* A hung database answers nothing, but the caller's limit on a call (the
 * database's `timeout`) still ends each hung call and frees its worker:
 * every call hung is a timeout, and the pool serves again afterwards.
 * Hung: the 100 calls of [5.005, 7.005) and the one running at 5.005. */
Test(depsched, database_timeout_ends_hung_calls, .timeout = 60)
{
	struct th_runs r;
	th_run(&r,
	       "duration: 20s\nsample: 1s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 50/s, arrivals: constant, to: q}\n"
	       "  q: {kind: queue}\n"
	       "  w: {kind: workers, from: q, count: 100, service: 1ms, calls: db}\n"
	       "  db: {kind: database, connections: 10, service: 10ms, timeout: 500ms,\n"
	       "       schedule: [{at: 5.005s, for: 2s, down: hang}]}\n",
	       NULL, 1);
	double hung = th_value(&r.res[0], "components.db.hung");
	cr_expect_float_eq(hung, 101, 0);
	cr_expect_float_eq(th_value(&r.res[0], "components.db.timeouts"), hung, 0);
	cr_expect_float_eq(th_value(&r.res[0], "components.w.failed_calls"), hung, 0);
	cr_expect_float_eq(th_value(&r.res[0], "components.src.dropped"), hung, 0);
	cr_expect(r.res[0].conserved);
	th_runs_free(&r);
}

/* A pool paused while its call is out: the call is answered at 1.5 s, in
 * the pause, and its worker is held to the pause's end at 2.2 s; an
 * outage that starts within the pause fails it at once (1.8 s). */
static const char paused_call[] =
	"duration: 5s\nsample: 1s\n"
	"components:\n"
	"  src: {kind: producer, rate: 1/s, arrivals: constant, schedule: [{at: 1.5s, rate: 0}], to: q}\n"
	"  q: {kind: queue}\n"
	"  w: {kind: workers, from: q, count: 1, calls: db,\n"
	"      schedule: [{at: 1.2s, for: 1s, pause: true}%s]}\n"
	"  db: {kind: database, connections: 1, service: 500ms}\n";

/* Runs paused_call with `extra` entries added to the pool's schedule. */
static void run_paused_call(const char *extra, struct th_runs *r)
{
	char yaml[1024];
	snprintf(yaml, sizeof yaml, paused_call, extra);
	th_run(r, yaml, NULL, 1);
}

Test(depsched, workers_pause_holds_an_answered_call_to_its_end, .timeout = 60)
{
	struct th_runs r;
	run_paused_call("", &r);
	cr_expect_float_eq(th_value(&r.res[0], "components.w.completed"), 1, 0);
	cr_expect_float_eq(th_value(&r.res[0], "components.src.sojourn_s.max"), 1.2, 1e-9);
	cr_expect(r.res[0].conserved);
	th_runs_free(&r);
}

Test(depsched, workers_down_within_a_pause_fails_an_answered_call, .timeout = 60)
{
	struct th_runs r;
	run_paused_call(", {at: 1.8s, for: 0.2s, down: fail}", &r);
	cr_expect_float_eq(th_value(&r.res[0], "components.w.completed"), 0, 0);
	cr_expect_float_eq(th_value(&r.res[0], "components.w.down_failures"), 1, 0);
	cr_expect_float_eq(th_value(&r.res[0], "components.src.dropped"), 1, 0);
	cr_expect(r.res[0].conserved);
	th_runs_free(&r);
}
