/* test_scenario.c - loading scenarios (sim/scenario.c): the bad-input
 * catalogue as golden stderr, variants, --set, and every example. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "models/queue.h"
#include "sim/model.h"
#include "tests/helpers.h"

/* Every tests/scenarios/bad/X.yaml: `sim check` exits 2 and prints
 * exactly X.err, in bounded time. */
Test(sim_scenario, bad_input_catalogue_golden_stderr, .timeout = 120)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/tests/scenarios/bad", th_source_root());
	DIR *d = opendir(dir);
	cr_assert_not_null(d, "cannot open %s", dir);
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".yaml"))
			continue;
		char rel[512], golden[4200];
		snprintf(rel, sizeof rel, "tests/scenarios/bad/%s", e->d_name);
		snprintf(golden, sizeof golden, "%s/%.*s.err", dir, (int)(len - 5), e->d_name);
		char *want = th_read(golden, NULL);
		cr_expect_not_null(want, "%s has no golden file %s", rel, golden);
		const char *args[] = { "check", rel, NULL };
		char *out, *err;
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		int rc = th_sim(args, &out, &err);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
		cr_expect_eq(rc, 2, "%s: exit %d, expected 2; stderr:\n%s", rel, rc, err);
		cr_expect(secs < 5, "%s took %.1f s", rel, secs);
		if (want)
			cr_expect_str_eq(err, want, "%s: stderr differs from its golden file", rel);
		cr_expect(strstr(err, ": error: "), "%s: no error line", rel);
		free(want);
		free(out);
		free(err);
		n++;
	}
	closedir(d);
	cr_assert_geq(n, 30, "only %d bad files found", n);
}

static const char base[] =
	"duration: 100s\n"
	"components:\n"
	"  api: {kind: producer, rate: 100/s, to: q}\n"
	"  q: {kind: queue, capacity: 50}\n"
	"  w: {kind: workers, from: q, count: 2, service: {dist: exponential, mean: 15ms}}\n"
	"variants:\n"
	"  small: {q: {capacity: 5}, w: {service: {dist: constant, value: 5ms}}}\n";

Test(sim_scenario, defaults_and_links)
{
	struct sim_scenario *sc = th_load(base, NULL);
	cr_assert_not_null(sc);
	cr_assert_str_eq(sc->name, "test");	/* the file stem */
	cr_assert_str_eq(sc->variant, "baseline");
	cr_assert_float_eq(sc->duration, 100, 0);
	cr_assert_float_eq(sc->warmup, 0, 0);
	cr_assert_float_eq(sc->sample, 1, 0);
	cr_assert_eq(sc->seed, 1);
	cr_assert_eq(sc->nclasses, 1);
	cr_assert_str_eq(sc->classes[0].name, "default");
	cr_assert_eq(sc->ncomps, 3);
	int q = sim_scenario_find(sc, "q"), w = sim_scenario_find(sc, "w");
	cr_assert_eq(sc->comps[q].nconsumers, 1);
	cr_assert_eq(sc->comps[q].consumers[0], (uint32_t)w);
	cr_assert_eq(sc->nvariants, 1);
	cr_assert_str_eq(sc->variants[0], "small");
	sim_scenario_free(sc);
}

Test(sim_scenario, variant_deep_merges_and_replaces_distributions)
{
	struct th_runs r;
	th_run(&r, base, "small", 1);
	cr_assert_str_eq(r.sc->variant, "small");
	/* constant 5 ms service: mean service exactly 5 ms */
	cr_assert_float_eq(th_value(&r.res[0], "components.w.mean_service_s"), 0.005, 1e-12);
	cr_assert_leq(th_value(&r.res[0], "components.q.max_depth"), 5);
	th_runs_free(&r);
}

Test(sim_scenario, set_overrides_values_with_yaml)
{
	struct sim_diag d;
	sim_diag_init(&d, stderr);
	const char *sets[] = { "w.service={dist: constant, value: 2ms}", "q.capacity=3",
			       "duration=20s", "seed=2385" };
	struct sim_load_opts o = { .sets = sets, .nsets = 4 };
	struct sim_scenario *sc = sim_scenario_parse("t.yaml", base, strlen(base), &o, &d);
	cr_assert_not_null(sc);
	cr_assert_float_eq(sc->duration, 20, 0);
	cr_assert_eq(sc->seed, 2385);
	sim_scenario_free(sc);

	char buf[2048];
	const char *bad[] = { "q.capacity=abc", "qq.capacity=3", "nokey" };
	o = (struct sim_load_opts){ .sets = bad, .nsets = 3 };
	cr_assert_gt(th_errors_with("t.yaml", base, &o, buf, sizeof buf), 0);
	cr_expect(strstr(buf, "--set:2:1: error: unknown component 'qq' (did you mean 'q'?)"), "%s", buf);
	cr_expect(strstr(buf, "--set:3:1: error: expected COMPONENT.KEY=VALUE"), "%s", buf);
}

Test(sim_scenario, set_value_errors_point_into_the_argument)
{
	char buf[2048];
	const char *bad[] = { "q.capacity=12", "q.capacity=abc" };
	struct sim_load_opts o = { .sets = bad, .nsets = 2 };
	cr_assert_gt(th_errors_with("t.yaml", base, &o, buf, sizeof buf), 0);
	cr_expect(strstr(buf, "--set:2:12: error: bad count 'abc' for 'capacity' in queue 'q'"), "%s", buf);
}

Test(sim_scenario, unknown_variant)
{
	char buf[2048];
	struct sim_load_opts o = { .variant = "smal" };
	cr_assert_gt(th_errors_with("t.yaml", base, &o, buf, sizeof buf), 0);
	cr_expect(strstr(buf, "unknown variant 'smal' (expected one of: baseline, small)"), "%s", buf);
}

Test(sim_scenario, aliases_expand)
{
	struct sim_scenario *sc = th_load(
		"duration: 10s\n"
		"components:\n"
		"  api: {kind: producer, rate: 10/s, to: q}\n"
		"  q: {kind: queue}\n"
		"  w1: {kind: workers, from: q, count: 1, service: &svc {dist: exponential, mean: 5ms}}\n"
		"  w2: {kind: workers, from: q, count: 1, service: *svc}\n", NULL);
	cr_assert_not_null(sc);
	sim_scenario_free(sc);
}

Test(sim_scenario, every_example_and_variant_loads, .timeout = 60)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/scenarios", th_source_root());
	DIR *d = opendir(dir);
	cr_assert_not_null(d);
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".yaml"))
			continue;
		char rel[512];
		snprintf(rel, sizeof rel, "scenarios/%s", e->d_name);
		const char *args[] = { "check", rel, NULL };
		char *err;
		int rc = th_sim(args, NULL, &err);
		cr_expect_eq(rc, 0, "%s does not check: %s", rel, err);
		free(err);
		n++;
	}
	closedir(d);
	cr_assert_geq(n, 4);
}
