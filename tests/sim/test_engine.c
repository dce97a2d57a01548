/* test_engine.c - driving one replication by hand (sim/engine.h): step,
 * run_until and now, and that a run cut into pieces is the same run. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/engine.h"
#include "sim/engine_private.h"
#include "tests/helpers.h"

static const char mm1[] =
	"duration: 100s\nsample: 1s\n"
	"components:\n"
	"  src: {kind: producer, rate: 80/s, to: q}\n"
	"  q: {kind: queue}\n"
	"  w: {kind: workers, from: q, count: 1, service: {dist: exponential, mean: 10ms}}\n";

/* The result's body as text. */
static char *text(const struct sim_result *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	sim_json_write(r->body, f);
	fclose(f);
	return buf;
}

Test(sim_engine, step_and_run_until_move_the_clock_and_change_nothing)
{
	struct sim_scenario *sc = th_load(mm1, NULL);
	cr_assert_not_null(sc);

	struct sim_engine *whole = sim_engine_new(sc, 0, NULL);
	cr_assert_not_null(whole);
	struct sim_result a;
	cr_assert_eq(sim_engine_run(whole, &a), 0);

	struct sim_engine *e = sim_engine_new(sc, 0, NULL);
	cr_assert_not_null(e);
	cr_expect_eq(sim_engine_now(e), 0);
	sim_engine_run_until(e, 30);
	double t = sim_engine_now(e);
	cr_expect(t > 29 && t <= 30, "run_until(30) stopped at %g", t);
	for (int i = 0; i < 1000; i++) {
		cr_assert(sim_engine_step(e));
		cr_assert_geq(sim_engine_now(e), t, "the clock went back");
		t = sim_engine_now(e);
	}
	sim_engine_run_until(e, 60);
	cr_expect(sim_engine_now(e) <= 60);
	struct sim_result b;
	cr_assert_eq(sim_engine_run(e, &b), 0);
	cr_expect_eq(sim_engine_now(e), 100);

	/* the same events in pieces: the same run, to the last digit */
	cr_expect_eq(a.events, b.events, "%llu events whole, %llu in pieces", (unsigned long long)a.events, (unsigned long long)b.events);
	char *ta = text(&a), *tb = text(&b);
	cr_expect_str_eq(ta, tb);
	free(ta);
	free(tb);
	sim_result_fini(&a);
	sim_result_fini(&b);
	sim_engine_free(whole);
	sim_engine_free(e);
	sim_scenario_free(sc);
}

/* A wide model's probes are most of its memory during the run, and the
 * summary made at its end the peak: they hold no room once made, and go
 * before the summary, the columns and the rows staying (a client's p99
 * histogram with them). */
Test(sim_engine, the_probes_fit_and_go_before_the_summary)
{
	struct sim_scenario *sc = th_load(
		"duration: 20s\nsample: 1s\n"
		"components:\n"
		"  src: {kind: producer, rate: 50/s, to: c}\n"
		"  c: {kind: client, to: q, timeout: 1s}\n"
		"  q: {kind: queue}\n"
		"  w: {kind: workers, from: q, count: 1, service: {dist: exponential, mean: 10ms}}\n",
		NULL);
	cr_assert_not_null(sc);
	struct sim_engine *e = sim_engine_new(sc, 0, NULL);
	cr_assert_not_null(e);
	cr_assert_gt(e->nprobes, 16, "more probes than an array's first room");
	cr_expect_eq(e->cap_probes, e->nprobes, "no room left over");
	cr_expect_eq(e->series.cap_names, e->series.ncols);
	cr_expect_eq(e->counts.cap, e->counts.n, "nor in the lists of counts");
	cr_expect_eq(e->levels.cap, e->levels.n);
	size_t ncols = e->series.ncols;
	struct sim_result r;
	cr_assert_eq(sim_engine_run(e, &r), 0);
	cr_expect_null(e->probes, "gone before the summary");
	cr_expect_eq(e->nprobes, 0);
	cr_expect_eq(r.series.ncols, ncols, "the columns stay");
	cr_expect_eq(r.series.nrows, 20);
	cr_expect_not_null(sim_json_get(r.body, "components", "c", NULL));
	sim_result_fini(&r);
	sim_engine_free(e);
	sim_scenario_free(sc);
}
