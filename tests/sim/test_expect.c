/* test_expect.c - `expect:` verdicts, exit status 3, the tables in the
 * terminal, report.md and summary.json, straddling intervals with --reps,
 * and the JUnit report. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "tests/helpers.h"

/* Runs tests/scenarios/expect.yaml with extra arguments into a fresh
 * folder; the exit status, stdout and the folder's path. */
static int run(const char *const *extra, char **out, char *dir)
{
	th_tmpdir(dir, "expect");
	char where[4200];
	snprintf(where, sizeof where, "%s/out", dir);
	const char *args[24] = { "run", "tests/scenarios/expect.yaml", "--no-plots", "--out", where };
	size_t n = 5;
	for (; extra && *extra && n < 23; extra++)
		args[n++] = *extra;
	args[n] = NULL;
	char *err;
	int rc = th_sim(args, out, &err);
	free(err);
	return rc;
}

/* The same, expecting exit status want, outputs removed; stdout (malloc'd). */
static char *run_status(const char *const *extra, int want)
{
	char dir[4096], *out;
	cr_expect_eq(run(extra, &out, dir), want);
	th_rmtree(dir);
	return out;
}

Test(sim_expect, all_met_exits_0, .timeout = 60)
{
	const char *extra[] = { "--variant", "lenient", NULL };
	char *out = run_status(extra, 0);
	cr_expect(strstr(out, "    met        q.max_depth below 1000000: "), "%s", out);
	cr_expect(strstr(out, "  1 of 1 expectations met"), "%s", out);
	free(out);
}

Test(sim_expect, one_not_met_exits_3_after_writing_everything, .timeout = 60)
{
	char dir[4096], *out, junit[4200];
	th_tmpdir(junit, "expect-junit");
	char xml[4300];
	snprintf(xml, sizeof xml, "%s/j.xml", junit);
	const char *extra[] = { "--junit", xml, NULL };
	cr_expect_eq(run(extra, &out, dir), 3);
	cr_expect(strstr(out, "    NOT MET    class:critical.sojourn_s.p99 below 100ms: "), "%s", out);
	cr_expect(strstr(out, "    met        recovered: q.depth within 3m: "), "%s", out);
	cr_expect(strstr(out, "  3 of 4 expectations met"), "%s", out);
	char path[4300];
	snprintf(path, sizeof path, "%s/out", dir);
	char *md = th_read_in(path, "report.md");
	char *js = th_read_in(path, "summary.json");
	cr_assert_not_null(md);
	cr_assert_not_null(js);
	cr_expect(strstr(md, "## Expectations"), "%s", md);
	cr_expect(strstr(md, "| `class:critical.sojourn_s.p99 below 100ms` | "), "%s", md);
	cr_expect(strstr(js, "\"expectations\": ["), "%s", js);
	cr_expect(strstr(js, "\"verdict\": \"not met\""), "%s", js);
	char *x = th_read(xml, NULL);
	cr_assert_not_null(x);
	cr_expect(strstr(x, "<testsuite name=\"expect.baseline\" tests=\"4\" failures=\"1\" errors=\"0\">"),
		  "%s", x);
	cr_expect(strstr(x, "<testcase classname=\"expect.baseline\" name=\"class:critical.sojourn_s.p99 below 100ms\">\n      <failure message=\"not met: "),
		  "%s", x);
	cr_expect(strstr(x, "<testcase classname=\"expect.baseline\" name=\"q.max_depth below 10000\"/>"),
		  "%s", x);
	free(x);
	free(md);
	free(js);
	free(out);
	th_rmtree(dir);
	th_rmtree(junit);
}

Test(sim_expect, a_variant_replaces_the_expectations, .timeout = 60)
{
	const char *extra[] = { "--variant", "strict", NULL };
	char *out = run_status(extra, 3);
	cr_expect(strstr(out, "NOT MET    q.max_depth below 5: "), "%s", out);
	cr_expect(strstr(out, "NOT MET    recovered: q.depth within 1s: "), "%s", out);
	cr_expect(!strstr(out, "class:critical"), "%s", out);
	free(out);
}

/* A JUnit file that cannot be written: the runs' outputs are written,
 * the exit status is 1 and the reason is said once; an empty file name
 * is refused before anything runs. */
Test(sim_expect, an_unwritable_junit_file_exits_1_saying_why_once, .timeout = 60)
{
	char dir[4096], where[4200];
	th_tmpdir(dir, "expect-nojunit");
	snprintf(where, sizeof where, "%s/out", dir);
	const char *args[] = { "run", "tests/scenarios/expect.yaml", "--variant", "lenient",
			       "--no-plots", "--quiet", "--out", where,
			       "--junit", "/nonexistent-dir/j.xml", NULL };
	char *out, *err;
	cr_expect_eq(th_sim(args, &out, &err), 1);
	cr_expect_str_eq(err, "sim: I/O error writing /nonexistent-dir/j.xml: No such file or directory\n");
	char *js = th_read_in(where, "summary.json");
	cr_expect_not_null(js, "the run's outputs are written");
	free(js);
	free(out);
	free(err);
	th_rmtree(dir);

	th_tmpdir(dir, "expect-nojunit");
	snprintf(where, sizeof where, "%s/out", dir);
	args[9] = "";
	cr_expect_eq(th_sim(args, &out, &err), 2);
	cr_expect(!strncmp(err, "sim: option '--junit' needs a file name\n", 40), "%s", err);
	js = th_read_in(where, "summary.json");
	cr_expect_null(js, "nothing runs");
	free(js);
	free(out);
	free(err);
	th_rmtree(dir);
}

Test(sim_expect, an_interval_that_straddles_the_bound_is_uncertain, .timeout = 120)
{
	/* the p99 of 4 replications is about 11 s, give or take 1.6 s */
	const char *extra[] = { "--reps", "4", "--set",
				"expect=[{metric: class:critical.sojourn_s.p99, below: 11s}]", NULL };
	char *out = run_status(extra, 3);
	cr_expect(strstr(out, "UNCERTAIN  class:critical.sojourn_s.p99 below 11s: "), "%s", out);
	cr_expect(strstr(out, "(the 95% interval straddles the bound)"), "%s", out);
	free(out);
}

Test(sim_expect, compare_and_sweep_judge_every_run, .timeout = 120)
{
	char dir[4096], out[4200], xml[4200];
	th_tmpdir(dir, "expect-compare");
	snprintf(out, sizeof out, "%s/cmp", dir);
	snprintf(xml, sizeof xml, "%s/cmp.xml", dir);
	const char *args[] = { "compare", "tests/scenarios/expect.yaml", "--no-plots", "--out", out,
			       "--junit", xml, NULL };
	char *so, *err;
	cr_expect_eq(th_sim(args, &so, &err), 3, "%s", err);
	cr_expect(strstr(so, "  baseline: 1 of 4 expectations not met"), "%s", so);
	cr_expect(strstr(so, "  strict: 2 of 2 expectations not met"), "%s", so);
	cr_expect(!strstr(so, "lenient: "), "%s", so);
	cr_expect(strstr(err, "sim: 3 expectations not met"), "%s", err);
	char *md = th_read_in(out, "compare.md");
	cr_assert_not_null(md);
	cr_expect(strstr(md, "| strict | `recovered: q.depth within 1s` | 28 s | **NOT MET** |"), "%s", md);
	char *x = th_read(xml, NULL);
	cr_assert_not_null(x);
	cr_expect(strstr(x, "<testsuite name=\"expect.lenient\" tests=\"1\" failures=\"0\" errors=\"0\">"), "%s", x);
	free(x);
	free(md);
	free(so);
	free(err);

	snprintf(out, sizeof out, "%s/sweep", dir);
	const char *sweep[] = { "sweep", "tests/scenarios/expect.yaml", "--no-plots", "--out", out,
				"--vary", "w.count=1,4", NULL };
	cr_expect_eq(th_sim(sweep, &so, &err), 3, "%s", err);
	cr_expect(strstr(so, "w.count=1: 1 of 4 expectations not met"), "%s", so);
	md = th_read_in(out, "sweep.md");
	cr_assert_not_null(md);
	cr_expect(strstr(md, "## Expectations"), "%s", md);
	free(md);
	free(so);
	free(err);
	th_rmtree(dir);
}
