/* test_lint.c - the warnings made from the models' facts (sim/lint.c):
 * each is given where it applies, with its text and position, and not
 * where it does not; `allow` silences one; --strict makes them errors;
 * no example scenario, in any variant, gets one. */
#include <criterion/criterion.h>
#include <glob.h>
#include <stdio.h>
#include <string.h>

#include "tests/helpers.h"

/* The scenario's only warning is want; none when want is NULL. */
static void expect_warning(const char *yaml, const char *want)
{
	struct sim_scenario *sc = th_load(yaml, NULL);
	cr_assert_not_null(sc, "%s", yaml);
	for (size_t i = 0; i < sc->nwarnings; i++)
		cr_log_info("%s", sc->warnings[i]);
	cr_assert_eq(sc->nwarnings, want ? 1 : 0, "%zu warnings for:\n%s", sc->nwarnings, yaml);
	if (want)
		cr_expect_str_eq(sc->warnings[0], want);
	sim_scenario_free(sc);
}

/* ---- a pool offered more than it serves at baseline --------------------- */

#define PIPE(rate, sched, queue, pool)                                                   \
	"duration: 10m\n"                                                                \
	"components:\n"                                                                  \
	"  api: {kind: producer, rate: " rate ", to: events" sched "}\n"                 \
	"  events: {kind: queue" queue "}\n"                                             \
	"  analytics: {kind: workers, from: events, " pool "}\n"

Test(sim_lint, a_pool_overloaded_at_baseline)
{
	expect_warning(PIPE("1200/s", "", "", "count: 8, service: 10ms"),
		       "test.yaml:5:3: warning: workers 'analytics' is offered 1200/s at baseline but serves at most 800/s (rho 1.50): it can never drain [overload]");
}

Test(sim_lint, a_pool_overloaded_only_in_a_spike_or_that_can_cope_is_not)
{
	expect_warning(PIPE("700/s", ", schedule: [{at: 1m, for: 1m, rate: 5000/s}]", "",
			    "count: 8, service: 10ms"), NULL);
	expect_warning(PIPE("800/s", "", "", "count: 8, service: 10ms"), NULL);
	/* the base rate comes back only after the run */
	expect_warning(PIPE("5000/s", ", schedule: [{at: 0, for: 1h, rate: 700/s}]", "",
			    "count: 8, service: 10ms"), NULL);
	/* autoscaled: its largest size serves 1600/s */
	expect_warning(PIPE("1200/s", "", "",
			    "count: 8, service: 10ms, autoscale: {signal: events.depth, target: 100, max: 16}"),
		       NULL);
	/* batches of 10 items at 20ms + 1ms each: 8 x 10 / 30ms = 2667/s */
	expect_warning(PIPE("1200/s", "", "",
			    "count: 8, batch: {max: 10, per_batch: 20ms, per_item: 1ms}"), NULL);
	/* a queue that sheds what it cannot hold */
	expect_warning(PIPE("1200/s", "", ", capacity: 1000", "count: 8, service: 10ms"), NULL);
	expect_warning(PIPE("1200/s", "", ", ttl: 2s", "count: 8, service: 10ms"), NULL);
}

Test(sim_lint, a_full_batch_is_its_best)
{
	/* 8 x 10 / (200ms + 10 x 1ms) = 381/s */
	expect_warning(PIPE("1200/s", "", "",
			    "count: 8, batch: {max: 10, per_batch: 200ms, per_item: 1ms}"),
		       "test.yaml:5:3: warning: workers 'analytics' is offered 1200/s at baseline but serves at most 381/s (rho 3.15): it can never drain [overload]");
}

Test(sim_lint, a_database_overloaded_by_the_calls_of_a_pool)
{
	expect_warning("duration: 10m\n"
		       "components:\n"
		       "  api: {kind: producer, rate: 1000/s, to: q}\n"
		       "  q: {kind: queue}\n"
		       "  w: {kind: workers, from: q, count: 100, service: 1ms, calls: db}\n"
		       "  db: {kind: database, connections: 4, service: 5ms}\n",
		       "test.yaml:6:3: warning: database 'db' is offered 1000/s at baseline but serves at most 800/s (rho 1.25): it can never drain [overload]");
	/* its timeout sheds what waits too long */
	expect_warning("duration: 10m\n"
		       "components:\n"
		       "  api: {kind: producer, rate: 1000/s, to: q}\n"
		       "  q: {kind: queue}\n"
		       "  w: {kind: workers, from: q, count: 100, service: 1ms, calls: db}\n"
		       "  db: {kind: database, connections: 4, service: 5ms, timeout: 1s}\n",
		       NULL);
}

Test(sim_lint, the_time_a_pool_waits_on_its_calls_counts)
{
	/* 10 workers x 1 / (1ms + 9ms) = 1000/s: the pool, not the database */
	expect_warning("duration: 10m\n"
		       "components:\n"
		       "  api: {kind: producer, rate: 1500/s, to: q}\n"
		       "  q: {kind: queue}\n"
		       "  w: {kind: workers, from: q, count: 10, service: 1ms, calls: db}\n"
		       "  db: {kind: database, connections: 100, service: 9ms}\n",
		       "test.yaml:5:3: warning: workers 'w' is offered 1500/s at baseline but serves at most 1000/s (rho 1.50): it can never drain [overload]");
}

Test(sim_lint, rates_follow_splits_and_weights_and_stop_at_unknowns)
{
	const char *split =
		"duration: 10m\n"
		"components:\n"
		"  api: {kind: producer, rate: 1000/s, to: fan}\n"
		"  fan: {kind: split, to: [a, {to: b, share: 0.5}]}\n"
		"  a: {kind: queue}\n"
		"  wa: {kind: workers, from: a, count: 100, service: 1ms}\n"
		"  b: {kind: queue}\n"
		"  wb: {kind: workers, from: b, count: 4, service: 10ms}\n";
	expect_warning(split, "test.yaml:8:3: warning: workers 'wb' is offered 500/s at baseline but serves at most 400/s (rho 1.25): it can never drain [overload]");
	const char *weights =
		"duration: 10m\n"
		"components:\n"
		"  api: {kind: producer, rate: 1000/s, to: r}\n"
		"  r: {kind: router, routes: [{to: a, weight: 1}, {to: b, weight: 3}]}\n"
		"  a: {kind: queue}\n"
		"  wa: {kind: workers, from: a, count: 4, service: 10ms}\n"
		"  b: {kind: queue}\n"
		"  wb: {kind: workers, from: b, count: 4, service: 10ms}\n";
	expect_warning(weights, "test.yaml:8:3: warning: workers 'wb' is offered 750/s at baseline but serves at most 400/s (rho 1.88): it can never drain [overload]");
	/* a route by class: its share is not known in advance */
	expect_warning("duration: 10m\n"
		       "classes: {x: {priority: 0}, y: {priority: 1}}\n"
		       "components:\n"
		       "  api: {kind: producer, rate: 1000/s, mix: {x: 0.9, y: 0.1}, to: r}\n"
		       "  r: {kind: router, routes: [{to: a, classes: [x]}], default: b}\n"
		       "  a: {kind: queue}\n"
		       "  wa: {kind: workers, from: a, count: 100, service: 1ms}\n"
		       "  b: {kind: queue}\n"
		       "  wb: {kind: workers, from: b, count: 4, service: 10ms}\n",
		       NULL);
}

Test(sim_lint, a_rate_from_a_trace_is_not_known)
{
	char dir[4096], path[4200], trace[4200];
	th_tmpdir(dir, "lint");
	snprintf(trace, sizeof trace, "%s/t.txt", dir);
	FILE *f = fopen(trace, "w");
	cr_assert_not_null(f);
	for (int i = 0; i < 20000; i++)
		fprintf(f, "%g\n", i * 0.0005);
	fclose(f);
	snprintf(path, sizeof path, "%s/s.yaml", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("duration: 10s\n"
	      "components:\n"
	      "  api: {kind: producer, arrivals: {trace: t.txt}, to: q}\n"
	      "  q: {kind: queue}\n"
	      "  w: {kind: workers, from: q, count: 1, service: 10ms}\n", f);
	fclose(f);
	struct sim_diag d;
	sim_diag_init(&d, stderr);
	struct sim_scenario *sc = sim_scenario_load(path, NULL, &d);
	cr_assert_not_null(sc);
	cr_expect_eq(sc->nwarnings, 0);
	sim_scenario_free(sc);
	th_rmtree(dir);
}

/* ---- a client that gives up before the service can answer --------------- */

#define CLIENT(timeout, service)                                                         \
	"duration: 10m\n"                                                                \
	"components:\n"                                                                  \
	"  users: {kind: producer, rate: 10/s, to: app}\n"                               \
	"  app: {kind: client, timeout: " timeout ", to: q}\n"                           \
	"  q: {kind: queue}\n"                                                           \
	"  w: {kind: workers, from: q, count: 100, service: " service "}\n"

Test(sim_lint, a_timeout_below_the_service_time)
{
	expect_warning(CLIENT("50ms", "80ms"),
		       "test.yaml:4:23: warning: client 'app' times out after 50ms but 'w' takes 80ms on average: every attempt would time out [timeout-below-service]");
	/* exponential: e^(-50/80) = 53.5% take longer */
	expect_warning(CLIENT("50ms", "{dist: exponential, mean: 80ms}"),
		       "test.yaml:4:23: warning: client 'app' times out after 50ms but 'w' takes 80ms on average: at least 53% of attempts would time out [timeout-below-service]");
	expect_warning("duration: 10m\n"
		       "components:\n"
		       "  users: {kind: producer, rate: 10/s, to: app}\n"
		       "  app: {kind: client, timeout: 50ms, to: db}\n"
		       "  db: {kind: database, connections: 10, service: 80ms}\n",
		       "test.yaml:4:23: warning: client 'app' times out after 50ms but 'db' takes 80ms on average: every attempt would time out [timeout-below-service]");
}

Test(sim_lint, a_timeout_above_the_service_time_or_before_an_early_answer_is_not)
{
	expect_warning(CLIENT("100ms", "80ms"), NULL);
	/* a client below gives up first: its caller's attempts fail, not time
	 * out; only that client is warned about */
	expect_warning("duration: 10m\n"
		       "components:\n"
		       "  users: {kind: producer, rate: 10/s, to: app}\n"
		       "  app: {kind: client, timeout: 50ms, to: inner}\n"
		       "  inner: {kind: client, timeout: 20ms, to: q}\n"
		       "  q: {kind: queue}\n"
		       "  w: {kind: workers, from: q, count: 100, service: 80ms}\n",
		       "test.yaml:5:25: warning: client 'inner' times out after 20ms but 'w' takes 80ms on average: every attempt would time out [timeout-below-service]");
	/* the queue answers as soon as it takes the item in */
	expect_warning("duration: 10m\n"
		       "components:\n"
		       "  users: {kind: producer, rate: 10/s, to: app}\n"
		       "  app: {kind: client, timeout: 50ms, to: q}\n"
		       "  q: {kind: queue, ack: enqueue}\n"
		       "  w: {kind: workers, from: q, count: 100, service: 80ms}\n",
		       NULL);
}

/* ---- retries without backoff -------------------------------------------- */

Test(sim_lint, retries_without_backoff)
{
	const char *bare = "duration: 10m\n"
			   "components:\n"
			   "  users: {kind: producer, rate: 10/s, to: app}\n"
			   "  app: {kind: client, timeout: 1s, retries: 3, to: q}\n"
			   "  q: {kind: queue}\n"
			   "  w: {kind: workers, from: q, count: 100, service: 10ms}\n";
	expect_warning(bare, "test.yaml:4:36: warning: client 'app' retries up to 3 times without backoff: each retry goes out as soon as an attempt fails, which turns a slowdown into a retry storm (add 'backoff' and 'jitter') [retry-without-backoff]");
	expect_warning("duration: 10m\n"
		       "components:\n"
		       "  users: {kind: producer, rate: 10/s, to: app}\n"
		       "  app: {kind: client, timeout: 1s, retries: 3, backoff: {base: 50ms}, jitter: full, to: q}\n"
		       "  q: {kind: queue}\n"
		       "  w: {kind: workers, from: q, count: 100, service: 10ms}\n",
		       NULL);
}

Test(sim_lint, allow_silences_a_warning_and_knows_the_names)
{
	expect_warning("allow: [retry-without-backoff]\n"
		       "duration: 10m\n"
		       "components:\n"
		       "  users: {kind: producer, rate: 10/s, to: app}\n"
		       "  app: {kind: client, timeout: 1s, retries: 3, to: q}\n"
		       "  q: {kind: queue}\n"
		       "  w: {kind: workers, from: q, count: 100, service: 10ms}\n",
		       NULL);
	char buf[1024];
	cr_expect_eq(th_errors("allow: [retry-without-bakcoff]\n"
			       "duration: 10m\n"
			       "components:\n"
			       "  api: {kind: producer, rate: 10/s, to: q}\n"
			       "  q: {kind: queue}\n"
			       "  w: {kind: workers, from: q, count: 1, service: 10ms}\n",
			       buf, sizeof buf), 1);
	cr_expect(strstr(buf, "test.yaml:1:9: error: unknown warning 'retry-without-bakcoff' in 'allow' (did you mean 'retry-without-backoff'?)"),
		  "%s", buf);
}

/* ---- recovery criteria on columns that never move ----------------------- */

#define RECOVERY(pool, metric)                                                           \
	"duration: 10m\n"                                                                \
	"components:\n"                                                                  \
	"  api: {kind: producer, rate: 100/s, to: q, schedule: [{at: 1m, for: 1m, rate: 900/s}]}\n" \
	"  q: {kind: queue}\n"                                                           \
	"  w: {kind: workers, from: q, " pool "}\n"                                      \
	"report:\n"                                                                      \
	"  recovery:\n"                                                                  \
	"    - {metric: " metric "}\n"

Test(sim_lint, a_recovery_criterion_on_a_fixed_column)
{
	expect_warning(RECOVERY("count: 4, service: 10ms", "w.count"),
		       "test.yaml:8:16: warning: recovery criterion 'w.count' watches a column that never moves with this configuration of workers 'w': it cannot tell whether the system recovered [fixed-recovery-metric]");
	expect_warning(RECOVERY("count: 4, service: 10ms", "q.dropped"),
		       "test.yaml:8:16: warning: recovery criterion 'q.dropped' watches a column that never moves with this configuration of queue 'q': it cannot tell whether the system recovered [fixed-recovery-metric]");
}

Test(sim_lint, a_recovery_criterion_on_a_moving_column_is_not)
{
	expect_warning(RECOVERY("count: 4, service: 10ms", "q.depth"), NULL);
	expect_warning(RECOVERY("count: 4, service: 10ms, autoscale: {signal: q.depth, target: 100, max: 16}",
				"w.count"), NULL);
}

/* ---- the command line, and the examples --------------------------------- */

/* Runs `sim CMD FILE OPT` on yaml written to a file; expects the exit
 * status rc and stderr holding want (empty when want is NULL). */
static void sim_on(const char *yaml, const char *cmd, const char *opt, int rc, const char *want)
{
	char dir[4096], path[4200];
	th_tmpdir(dir, "lint");
	snprintf(path, sizeof path, "%s/s.yaml", dir);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(yaml, f);
	fclose(f);
	char *out, *err;
	const char *args[] = { cmd, path, "--out", dir, opt, NULL };
	if (strcmp(cmd, "run"))
		args[2] = opt, args[3] = NULL;
	cr_expect_eq(th_sim(args, &out, &err), rc, "%s", err);
	if (want)
		cr_expect(strstr(err, want), "%s", err);
	else
		cr_expect_str_eq(err, "");
	free(out);
	free(err);
	th_rmtree(dir);
}

Test(sim_lint, strict_refuses_quiet_silences, .timeout = 60)
{
	const char *yaml = PIPE("1200/s", "", "", "count: 8, service: 10ms");
	sim_on(yaml, "check", NULL, 0,
	       "s.yaml:5:3: warning: workers 'analytics' is offered 1200/s at baseline but serves at most 800/s (rho 1.50): it can never drain [overload]\n");
	sim_on(yaml, "check", "--quiet", 0, NULL);
	sim_on(yaml, "run", "--strict", 2, "sim: 1 warning, which --strict makes errors");
}

Test(sim_lint, a_variant_warns_of_its_own_mistakes, .timeout = 60)
{
	const char *yaml = PIPE("600/s", "", "", "count: 8, service: 10ms")
		"variants:\n"
		"  fewer:\n"
		"    analytics: {count: 4}\n";
	sim_on(yaml, "check", NULL, 0,
	       "s.yaml:5:3: warning: workers 'analytics' is offered 600/s at baseline but serves at most 400/s (rho 1.50): it can never drain [overload]\n");
	sim_on(yaml, "check", NULL, 0, "s.yaml: note: in variant 'fewer'\n");
	sim_on(yaml, "check", "--strict", 2, "sim: 1 warning, which --strict makes errors");
}

Test(sim_lint, no_example_scenario_warns, .timeout = 120)
{
	char pattern[4200];
	glob_t g;
	snprintf(pattern, sizeof pattern, "%s/scenarios/*.yaml", th_source_root());
	cr_assert_eq(glob(pattern, 0, NULL, &g), 0);
	cr_assert_gt(g.gl_pathc, 5);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		char *out, *err;
		const char *check[] = { "check", g.gl_pathv[i], "--strict", NULL };
		cr_expect_eq(th_sim(check, &out, &err), 0, "%s", err);
		cr_expect_str_eq(err, "");
		free(out);
		free(err);
	}
	globfree(&g);
}
