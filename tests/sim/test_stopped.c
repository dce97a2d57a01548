/* test_stopped.c - a run stopped by a limit says how far it got and
 * judges no recovery it could not see (sim/terminal.c, plots/report.c,
 * sim/report.c) */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/helpers.h"

static char tmp[64];

static void setup(void)
{
	th_tmpdir(tmp, "sim-stopped");
}

static void teardown(void)
{
	th_rmtree(tmp);
}

TestSuite(stopped, .init = setup, .fini = teardown, .timeout = 120);

/* Runs sim with args, expecting status want; returns what it printed
 * and, in *md, the report.md it wrote (both malloc'd). */
static char *run(const char *const *args, int want, char **md)
{
	char *out, *err;
	cr_assert_eq(th_sim(args, &out, &err), want, "%s", err);
	free(err);
	*md = th_read_in(tmp, "report.md");
	cr_assert_not_null(*md);
	return out;
}

/* tests/scenarios/stopped-spike.yaml asks for 10 min and reaches its
 * item limit at about t = 69 s, inside its overload window. */
Test(stopped, header_and_verdicts_state_the_time_reached)
{
	const char *args[] = { "run", "tests/scenarios/stopped-spike.yaml", "--out", tmp, "--no-plots",
			       NULL };
	char *md, *out = run(args, 1, &md);
	cr_expect(strstr(out, "1 replication stopped at 68.8"), "terminal header: %s", out);
	cr_expect_null(strstr(out, "of 600 s simulated"), "%s", out);
	cr_expect(strstr(out, "q.depth                      stopped before recovery could be judged"),
		  "%s", out);
	cr_expect_null(strstr(out, "NOT RECOVERED"), "%s", out);
	cr_expect(strstr(md, ", 68.8 s simulated of the 10 min the scenario asks for (stopped early)"),
		  "%s", md);
	cr_expect(strstr(md, "| stopped before recovery could be judged | n/a |"), "%s", md);
	cr_expect_null(strstr(md, "10 min simulated"), "%s", md);
	char *js = th_read_in(tmp, "summary.json");
	cr_assert_not_null(js);
	cr_expect(strstr(js, "\"simulated_s\": 68.8"), "%s", js);
	cr_expect(strstr(js, "\"duration_s\": 600"), "the old keys stay: %s", js);
	cr_expect(strstr(js, "\"judged\": false"), "%s", js);
	free(out);
	free(md);
	free(js);
}

/* A run that reaches its end judges every criterion, and report.md
 * states a default threshold and where it came from. */
Test(stopped, a_complete_run_judges_and_states_its_default_threshold)
{
	const char *args[] = { "run", "tests/scenarios/stopped-spike.yaml", "--out", tmp, "--no-plots",
			       "--set", "limits.max_items=100k", NULL };
	char *md, *out = run(args, 0, &md);
	cr_expect(strstr(out, "1 replication of 600 s simulated"), "%s", out);
	cr_expect(strstr(out, "default: pre-window p99 + 10%"), "%s", out);
	cr_expect(strstr(md, "Thresholds not given in the scenario are its default: the p99 of the metric's samples before the window"),
		  "%s", md);
	cr_expect(strstr(md, "(its pre-window p99 "), "%s", md);
	free(out);
	free(md);
}
