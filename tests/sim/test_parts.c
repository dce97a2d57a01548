/* test_parts.c - a model's independent parts run window by window
 * (sim/parts.c) give the outputs of one calendar, byte for byte: the
 * summary, every row of the series and the events run; parts that read
 * each other's signals, or whose windows hold few events, run as one;
 * a run stopped by a limit stops cleanly and the same way every time. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "sim/json.h"
#include "sim/runner.h"

/* Four parts sharing two classes (numbered in the order of their first
 * components): arrivals every 1/16 s served in 1.5 s, so that arrivals
 * and ends fall exactly on samples' times, some pushed after the sample
 * (they run after it), some before (before it); a call chain with retries,
 * cancellation and a database that slows down; a producer of constant
 * gaps blocked by a full queue (its unblocking is an engine event in its
 * part); a priority queue with a ttl.  A warm-up, a spike, samples
 * every second. */
static const char *const four = "duration: 30s\nwarmup: 5s\nsample: 1s\n"
	"allow: [retry-without-backoff]\n"
	"classes: {critical: {priority: 0}, optional: {priority: 1}}\n"
	"components:\n"
	"  t4: {kind: producer, rate: 16/s, class: optional, arrivals: constant, to: q4}\n"
	"  q4: {kind: queue}\n"
	"  w4: {kind: workers, from: q4, count: 40, service: 1500ms}\n"
	"  u1: {kind: producer, rate: 300/s, class: critical, to: api1}\n"
	"  api1: {kind: client, timeout: 1s, retries: 2, cancel_on_timeout: true, to: api1q}\n"
	"  api1q: {kind: queue}\n"
	"  api1w: {kind: workers, from: api1q, count: 50, service: 1ms, calls: b1}\n"
	"  b1: {kind: client, timeout: 100ms, retries: 2, cancel_on_timeout: true, to: b1q}\n"
	"  b1q: {kind: queue}\n"
	"  b1w: {kind: workers, from: b1q, count: 20, calls: db1}\n"
	"  db1: {kind: database, connections: 4, service: {dist: exponential, mean: 10ms},\n"
	"        schedule: [{at: 10s, for: 10s, slowdown: 5}]}\n"
	"  e2: {kind: producer, rate: 200/s, class: optional, arrivals: constant, to: q2,\n"
	"       schedule: [{at: 10s, for: 10s, rate: 400/s}]}\n"
	"  q2: {kind: queue, capacity: 50, overflow: block}\n"
	"  w2: {kind: workers, from: q2, count: 1, service: {dist: exponential, mean: 4ms}}\n"
	"  r3: {kind: producer, rate: 100/s, mix: {critical: 0.2, optional: 0.8}, to: q3}\n"
	"  q3: {kind: queue, discipline: priority, ttl: 200ms}\n"
	"  w3: {kind: workers, from: q3, count: 1, service: {dist: exponential, mean: 9ms}}\n";

/* One replication, its parts apart or as one. */
static void run(const struct sim_scenario *sc, bool one, const struct sim_limits *lim,
		struct sim_result *r)
{
	struct sim_limits l = lim ? *lim : (struct sim_limits){ 0 };
	l.one_calendar = one;
	cr_assert_eq(sim_run_one(sc, 1, &l, r), 0);
	cr_assert_not_null(r->body);
}

/* The same summary, series rows and events, bit for bit. */
static void expect_results(const struct sim_result *a, const struct sim_result *b)
{
	char *ta = th_json_text(a->body), *tb = th_json_text(b->body);
	cr_assert_str_eq(ta, tb);
	free(ta);
	free(tb);
	cr_assert_eq(a->events, b->events);
	cr_assert_eq(a->complete, b->complete);
	cr_assert(a->conserved && b->conserved);
	cr_assert_eq(a->series.ncols, b->series.ncols);
	cr_assert_eq(a->series.nrows, b->series.nrows);
	cr_assert_gt(a->series.nrows, 0);
	cr_assert_eq(memcmp(a->series.t, b->series.t, a->series.nrows * sizeof(double)), 0);
	for (size_t i = 0; i < a->series.nrows; i++)
		cr_assert_eq(memcmp(&a->series.v[i * a->series.ncols], &b->series.v[i * b->series.ncols],
				    a->series.ncols * sizeof(double)), 0, "row %zu differs", i);
}

/* Runs yaml both ways and asserts the same outputs, bit for bit. */
static void expect_same(const char *yaml, size_t nparts, const struct sim_limits *lim)
{
	struct sim_scenario *sc = th_load(yaml, NULL);
	cr_assert_not_null(sc);
	cr_assert_eq(sc->nparts, nparts);
	struct sim_result a, b;
	run(sc, false, lim, &a);
	run(sc, true, lim, &b);
	expect_results(&a, &b);
	sim_result_fini(&a);
	sim_result_fini(&b);
	sim_scenario_free(sc);
}

/* How many calendars the parts of yaml run in at time t (0: once
 * started), sim_engine_parts. */
static size_t parts_at(const char *yaml, double t)
{
	struct sim_scenario *sc = th_load(yaml, NULL);
	cr_assert_not_null(sc);
	struct sim_engine *e = sim_engine_new(sc, 1, NULL);
	cr_assert_not_null(e);
	if (t > 0)
		sim_engine_run_until(e, t);
	size_t n = sim_engine_parts(e);
	sim_engine_free(e);
	sim_scenario_free(sc);
	return n;
}

static size_t parts_apart(const char *yaml)
{
	return parts_at(yaml, 0);
}

Test(sim_parts, links_make_the_parts)
{
	struct sim_scenario *sc = th_load(four, NULL);
	cr_assert_not_null(sc);
	cr_assert_eq(sc->nparts, 4);
	const char *first[] = { "u1", "api1", "api1q", "api1w", "b1", "b1q", "b1w", "db1" };
	for (size_t i = 0; i < sizeof first / sizeof *first; i++)
		cr_assert_eq(sc->part_of[sim_scenario_find(sc, first[i])], 1, "%s", first[i]);
	cr_assert_eq(sc->part_of[sim_scenario_find(sc, "w4")], 0);
	cr_assert_eq(sc->part_of[sim_scenario_find(sc, "q2")], 2);
	cr_assert_eq(sc->part_of[sim_scenario_find(sc, "w3")], 3);
	sim_scenario_free(sc);
	cr_assert_eq(parts_apart(four), 4);
}

Test(sim_parts, apart_as_one_calendar, .timeout = 120)
{
	expect_same(four, 4, NULL);
}

Test(sim_parts, many_pipelines_as_one_calendar, .timeout = 120)
{
	char yaml[8192], *p = yaml;
	p += sprintf(p, "duration: 20s\nsample: 500ms\nwarmup: 2s\ncomponents:\n");
	for (int i = 0; i < 40; i++)
		p += sprintf(p, "  p%d: {kind: producer, rate: %d/s, to: q%d}\n"
				"  q%d: {kind: queue, capacity: 20}\n"
				"  w%d: {kind: workers, from: q%d, count: 2, service: {dist: exponential, mean: %dms}}\n",
			     i, 50 + 10 * i, i, i, i, i, 4 + i % 7);
	expect_same(yaml, 40, NULL);
}

Test(sim_parts, few_events_run_as_one)
{
	/* a few events a window: the parts go back to one calendar */
	static const char *const idle = "duration: 20s\nsample: 1s\ncomponents:\n"
		"  a: {kind: producer, rate: 1/s, to: aq}\n"
		"  aq: {kind: queue}\n"
		"  aw: {kind: workers, from: aq, count: 1, service: 10ms}\n"
		"  b: {kind: producer, rate: 2/s, to: bq}\n"
		"  bq: {kind: queue}\n"
		"  bw: {kind: workers, from: bq, count: 1, service: 10ms}\n";
	cr_assert_eq(parts_apart(idle), 2);
	cr_assert_eq(parts_at(idle, 5), 0);
	expect_same(idle, 2, NULL);
}

Test(sim_parts, a_signal_across_parts_joins_them)
{
	/* a's pool scales on b's queue: the parts act on each other */
	static const char *const joined = "duration: 30s\nsample: 1s\ncomponents:\n"
		"  a: {kind: producer, rate: 200/s, to: aq}\n"
		"  aq: {kind: queue}\n"
		"  aw: {kind: workers, from: aq, count: 2, service: 5ms,\n"
		"       autoscale: {signal: bq.depth, target: 5, max: 8, check: 1s}}\n"
		"  b: {kind: producer, rate: 300/s, to: bq}\n"
		"  bq: {kind: queue}\n"
		"  bw: {kind: workers, from: bq, count: 2, service: 5ms}\n";
	struct sim_scenario *sc = th_load(joined, NULL);
	cr_assert_not_null(sc);
	cr_assert_eq(sc->nparts, 2);
	sim_scenario_free(sc);
	cr_assert_eq(parts_apart(joined), 0);
	/* on its own pool's queue, it does not */
	char own[1024];
	snprintf(own, sizeof own, "%s", joined);
	memcpy(strstr(own, "bq.depth"), "aq", 2);
	cr_assert_eq(parts_apart(own), 2);
}

Test(sim_parts, a_limit_stops_every_part, .timeout = 60)
{
	/* the event limit stops the run in some part's turn: marked
	 * incomplete, conserved, and the same every time */
	struct sim_scenario *sc = th_load(four, NULL);
	cr_assert_not_null(sc);
	struct sim_limits lim = { .max_events = 20000 };
	struct sim_result a, b;
	run(sc, false, &lim, &a);
	run(sc, false, &lim, &b);
	cr_assert_not(a.complete);
	cr_assert(a.conserved);
	cr_assert_gt(a.end_s, 0);
	cr_assert_lt(a.end_s, 30);
	char *ta = th_json_text(a.body), *tb = th_json_text(b.body);
	cr_assert_str_eq(ta, tb);
	free(ta);
	free(tb);
	sim_result_fini(&a);
	sim_result_fini(&b);
	sim_scenario_free(sc);
}

/* The engine's own result of sc (no recovery: that is the runner's), its
 * parts as one or apart, run one event at a time. */
static void stepwise(const struct sim_scenario *sc, bool one, struct sim_result *r)
{
	struct sim_limits l = { .one_calendar = one };
	struct sim_engine *e = sim_engine_new(sc, 1, &l);
	cr_assert_not_null(e);
	cr_assert_eq(sim_engine_parts(e), one ? 0 : sc->nparts);
	while (sim_engine_step(e))
		;
	cr_assert_eq(sim_engine_run(e, r), 0);
	sim_engine_free(e);
}

Test(sim_parts, one_event_at_a_time, .timeout = 60)
{
	/* sim_engine_step takes the earliest event of any calendar */
	struct sim_scenario *sc = th_load(four, NULL);
	cr_assert_not_null(sc);
	struct sim_result a, b;
	stepwise(sc, false, &a);
	stepwise(sc, true, &b);
	expect_results(&a, &b);
	sim_result_fini(&a);
	sim_result_fini(&b);
	sim_scenario_free(sc);
}

/* Pipelines of arrivals every 2 s, exactly on samples' times: four
 * hundred parts of a few events each go back to one calendar (whose far
 * mode then holds events from every part, their numbers out of order). */
Test(sim_parts, back_to_one_large_calendar, .timeout = 60)
{
	char *yaml = malloc(64 * 1024), *p = yaml;
	p += sprintf(p, "duration: 10s\nsample: 1s\ncomponents:\n");
	for (int i = 0; i < 400; i++)
		p += sprintf(p, "  p%d: {kind: producer, rate: 0.5/s, arrivals: constant, to: q%d}\n"
				"  q%d: {kind: queue}\n"
				"  w%d: {kind: workers, from: q%d, count: 1, service: 100ms}\n",
			     i, i, i, i, i);
	cr_assert_eq(parts_apart(yaml), 400);
	cr_assert_eq(parts_at(yaml, 4), 0);
	expect_same(yaml, 400, NULL);
	free(yaml);
}

Test(sim_parts, apart_again_when_busy, .timeout = 60)
{
	/* a quiet start puts the parts in one calendar, the ramp apart again */
	char yaml[8192], *p = yaml;
	p += sprintf(p, "duration: 20s\nsample: 1s\ncomponents:\n");
	for (int i = 0; i < 20; i++)
		p += sprintf(p, "  p%d: {kind: producer, rate: 1/s, to: q%d,\n"
				"       schedule: [{at: 6s, for: 14s, rate: 300/s}]}\n"
				"  q%d: {kind: queue}\n"
				"  w%d: {kind: workers, from: q%d, count: 2, service: 5ms}\n",
			     i, i, i, i, i);
	cr_assert_eq(parts_at(yaml, 5), 0);
	cr_assert_eq(parts_at(yaml, 15), 20);
	expect_same(yaml, 20, NULL);
}

Test(sim_parts, an_item_limit_keeps_them_as_one)
{
	/* max_items counts the items alive at one time: not so apart */
	char yaml[2048];
	snprintf(yaml, sizeof yaml, "limits: {max_items: 100000}\n%s", four);
	cr_assert_eq(parts_apart(yaml), 0);
	expect_same(yaml, 4, NULL);
}
