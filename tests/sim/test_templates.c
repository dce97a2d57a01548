/* test_templates.c - writing less YAML: merge keys (`<<: *base`), ignored
 * top-level `x-` keys, variants that add, remove and delete, and list
 * indices in overrides (users.schedule.0.rate). */
#include <criterion/criterion.h>
#include <string.h>

#include "sim/scenario.h"
#include "tests/helpers.h"

static const char pools[] =
	"duration: 200s\n"
	"x-pool: &pool\n"
	"  kind: workers\n"
	"  count: 2\n"
	"  service: {dist: constant, value: 10ms}\n"
	"x-note: ignored, as any top-level key starting with x-\n"
	"components:\n"
	"  a: {kind: producer, rate: 20/s, to: qa, arrivals: constant,\n"
	"      schedule: [{at: 50s, for: 50s, rate: 40/s}]}\n"
	"  qa: {kind: queue}\n"
	"  wa: {<<: *pool, from: qa, count: 3}\n"
	"  b: {kind: producer, rate: 10/s, to: qb, arrivals: constant}\n"
	"  qb: {kind: queue}\n"
	"  wb:\n"
	"    <<: [*pool, {count: 9, service: {dist: constant, value: 1ms}}]\n"
	"    from: qb\n"
	"variants:\n"
	"  more: {c: {kind: producer, rate: 5/s, to: qa, arrivals: constant}}\n"
	"  less: {b: null}\n"
	"  orphan: {qb: null}\n"
	"  batched: {wa: {service: null, batch: {max: 4, per_batch: 20ms}}}\n"
	"  bigger: {a: {schedule: {0: {rate: 80/s}}}}\n"
	"  beyond: {a: {schedule: {1: {rate: 80/s}}}}\n"
	"  notindex: {a: {schedule: {first: {rate: 80/s}}}}\n";

static int comp(const struct sim_scenario *sc, const char *name)
{
	return sim_scenario_find(sc, name);
}

Test(sim_templates, merge_keys_own_keys_win_then_earlier_maps)
{
	struct th_runs r;
	th_run(&r, pools, NULL, 1);
	cr_assert_eq(r.sc->ncomps, 6);
	/* wa: count 3 (its own) over the anchor's 2 */
	cr_expect_float_eq(th_value(&r.res[0], "components.wa.mean_count"), 3, 1e-9);
	/* wb: the anchor (earlier in the list) wins over the later map */
	cr_expect_float_eq(th_value(&r.res[0], "components.wb.mean_count"), 2, 1e-9);
	cr_expect_float_eq(th_value(&r.res[0], "components.wb.mean_service_s"), 0.010, 1e-12);
	th_runs_free(&r);
}

Test(sim_templates, x_keys_are_ignored_only_at_the_top)
{
	char buf[2048];
	int n = th_errors("duration: 10s\n"
			  "components:\n"
			  "  api: {kind: producer, rate: 10/s, to: q, x-team: payments}\n"
			  "  q: {kind: queue}\n"
			  "  w: {kind: workers, from: q, count: 1, service: {dist: constant, value: 1ms}}\n",
			  buf, sizeof buf);
	cr_expect_eq(n, 1, "%s", buf);
	cr_expect(strstr(buf, "unknown key 'x-team'"), "%s", buf);
}

Test(sim_templates, a_variant_adds_a_component)
{
	struct th_runs r;
	th_run(&r, pools, "more", 1);
	cr_assert_eq(r.sc->ncomps, 7);
	cr_assert_geq(comp(r.sc, "c"), 0);
	/* 20/s + 20/s more for 50 s + 5/s, all served by wa */
	double want = 20 * 200 + 20 * 50 + 5 * 200;
	cr_expect_float_eq(th_value(&r.res[0], "components.wa.completed"), want, 3);
	th_runs_free(&r);
}

Test(sim_templates, a_variant_removes_a_component)
{
	struct th_runs r;
	th_run(&r, pools, "less", 1);
	cr_assert_eq(r.sc->ncomps, 5);
	cr_expect_lt(comp(r.sc, "b"), 0);
	cr_expect_float_eq(th_value(&r.res[0], "components.wb.completed"), 0, 0);
	th_runs_free(&r);
}

Test(sim_templates, removing_a_linked_component_says_who_links_to_it)
{
	char buf[2048];
	struct sim_load_opts o = { .variant = "orphan" };
	cr_assert_gt(th_errors_with("t.yaml", pools, &o, buf, sizeof buf), 0);
	cr_expect(strstr(buf, "t.yaml:12:39: error: 'to' of producer 'b' names component 'qb', which variant 'orphan' removes"),
		  "%s", buf);
	cr_expect(strstr(buf, "error: 'from' of workers 'wb' names component 'qb', which variant 'orphan' removes"),
		  "%s", buf);
}

Test(sim_templates, a_null_key_is_deleted)
{
	/* without deleting `service`, a batch pool would have both */
	struct th_runs r;
	th_run(&r, pools, "batched", 1);
	cr_expect_float_eq(th_value(&r.res[0], "components.wa.completed"), 20 * 200 + 20 * 50, 3);
	cr_expect_gt(th_value(&r.res[0], "components.wa.batches"), 0);
	th_runs_free(&r);
}

Test(sim_templates, list_elements_by_index_in_variants_and_set)
{
	struct th_runs r;
	th_run(&r, pools, "bigger", 1);
	cr_expect_float_eq(th_value(&r.res[0], "components.a.created"), 20 * 200 + 60 * 50, 3);
	th_runs_free(&r);

	/* the step at 50 s now lasts 100 s: 20/s more for 100 s */
	const char *sets[] = { "a.schedule.0.for=100s" };
	struct sim_load_opts o = { .sets = sets, .nsets = 1 };
	th_run_with(&r, pools, &o, 1);
	cr_assert_not_null(r.sc);
	cr_expect_float_eq(th_value(&r.res[0], "components.a.created"), 20 * 200 + 20 * 100, 3);
	th_runs_free(&r);
}

Test(sim_templates, bad_indices_are_errors_with_positions)
{
	const char *cases[][2] = {
		{ "beyond", "t.yaml:23:27: error: index 1 is out of range: the list has 1 element (0 to 0)" },
		{ "notindex", "t.yaml:24:29: error: 'first' is not a list index" },
	};
	for (size_t i = 0; i < 2; i++) {
		char buf[2048];
		struct sim_load_opts o = { .variant = cases[i][0] };
		cr_expect_gt(th_errors_with("t.yaml", pools, &o, buf, sizeof buf), 0);
		cr_expect(strstr(buf, cases[i][1]), "%s:\n%s", cases[i][0], buf);
	}
	char buf[2048];
	const char *sets[] = { "a.schedule.3.rate=5/s" };
	struct sim_load_opts o = { .sets = sets, .nsets = 1 };
	cr_expect_gt(th_errors_with("t.yaml", pools, &o, buf, sizeof buf), 0);
	cr_expect(strstr(buf, "--set:1:12: error: index 3 is out of range"), "%s", buf);
}

Test(sim_templates, a_merge_key_needs_maps)
{
	char buf[2048];
	int n = th_errors("duration: 10s\n"
			  "components:\n"
			  "  api: {kind: producer, rate: 10/s, to: q}\n"
			  "  q: {kind: queue, <<: [1, 2]}\n",
			  buf, sizeof buf);
	cr_expect_eq(n, 1, "%s", buf);
	cr_expect(strstr(buf, ":4:25: error: a merge key '<<' takes a map or a list of maps"), "%s", buf);
}
