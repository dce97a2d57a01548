/* test_sanity.c - warnings about probable mistakes: each is given where
 * it applies and not where it does not; --quiet silences them and
 * --strict makes them errors. */
#include <criterion/criterion.h>
#include <string.h>

#include "tests/helpers.h"

static const char *const ms_elsewhere =
	"duration: 60s\n"
	"components:\n"
	"  api: {kind: producer, rate: 50/s, to: q}\n"
	"  q: {kind: queue}\n"
	"  w: {kind: workers, from: q, count: 2, service: {dist: exponential, mean: 5}}\n"
	"  w2: {kind: workers, from: q, count: 2, service: {dist: constant, value: 5ms}}\n";

Test(sim_sanity, a_bare_service_time_among_milliseconds_is_flagged)
{
	struct sim_scenario *sc = th_load(ms_elsewhere, NULL);
	cr_assert_not_null(sc);
	cr_assert_eq(sc->nwarnings, 1);
	cr_expect_str_eq(sc->warnings[0],
			 "test.yaml:5:76: warning: 'mean: 5' is 5 seconds (a bare number is seconds), where other durations in this file are in ms or us: did you mean 5ms? [bare-seconds]");
	sim_scenario_free(sc);
}

Test(sim_sanity, bare_seconds_alone_or_in_schedules_are_not)
{
	struct sim_scenario *sc = th_load(
		"duration: 60s\n"
		"components:\n"
		"  api: {kind: producer, rate: 50/s, to: q, schedule: [{at: 10, for: 5, rate: 80/s}]}\n"
		"  q: {kind: queue}\n"
		"  w: {kind: workers, from: q, count: 2, service: {dist: exponential, mean: 0.005}}\n",
		NULL);
	cr_assert_not_null(sc);
	cr_expect_eq(sc->nwarnings, 0);
	sim_scenario_free(sc);
}

Test(sim_sanity, check_prints_quiet_silences_strict_refuses, .timeout = 30)
{
	char dir[4096], path[4200];
	th_tmpdir(dir, "sanity");
	snprintf(path, sizeof path, "%s/s.yaml", dir);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(ms_elsewhere, f);
	fclose(f);
	char *out, *err;
	const char *check[] = { "check", path, NULL };
	cr_expect_eq(th_sim(check, &out, &err), 0);
	cr_expect(strstr(err, "s.yaml:5:76: warning: 'mean: 5' is 5 seconds"), "%s", err);
	free(out);
	free(err);
	const char *quiet[] = { "check", path, "--quiet", NULL };
	cr_expect_eq(th_sim(quiet, &out, &err), 0);
	cr_expect_str_eq(err, "");
	free(out);
	free(err);
	const char *strict[] = { "check", path, "--strict", NULL };
	cr_expect_eq(th_sim(strict, &out, &err), 2);
	cr_expect(strstr(err, "sim: 1 warning, which --strict makes errors"), "%s", err);
	free(out);
	free(err);
	th_rmtree(dir);
}
