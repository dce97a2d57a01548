/* test_chain.c - the call-chain chart, and dependency schedule entries
 * marked on the time charts (plots/choose.c, plots/charts.c,
 * plots/spans.c) */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/plots/plotsutil.h"

PU_SUITE(plots_chain, "sim-chain", 180);

/* The name in charts.csv's header of 1-based column col, into buf. */
static const char *header_name(const char *dir, int col, char *buf, size_t size)
{
	char *csv = th_read_in(dir, "charts.csv");
	cr_assert_not_null(csv);
	const char *p = csv;
	for (int k = 1; k < col && p; k++) {
		p = strpbrk(p, ",\n");
		p = p && *p == ',' ? p + 1 : NULL;
	}
	size_t n = p ? strcspn(p, ",\n") : 0;
	snprintf(buf, size, "%.*s", (int)n, p ? p : "");
	free(csv);
	return buf;
}

/* The using expression "(($A-$B)" or "($A" of the line titled title in gp:
 * its columns into a and b (b 0 without one); false without the line. */
static bool line_columns(const char *gp, const char *title, int *a, int *b)
{
	char quoted[256];
	snprintf(quoted, sizeof quoted, "title '%s'", title);
	const char *t = strstr(gp, quoted);
	if (!t)
		return false;
	const char *line = t;
	while (line > gp && line[-1] != '\n')
		line--;
	*b = 0;
	if (sscanf(line, "%*[^:]:(($%d-$%d)", a, b) == 2)
		return true;
	return sscanf(line, "%*[^:]:($%d", a) == 1;
}

/* Expects the line "NAME: what" of gp to read mean(NAME.a), less
 * mean(NAME.b) when b is not NULL. */
static void expect_line(const char *gp, const char *name, const char *what, const char *a,
			const char *b)
{
	char title[128], want[128], got[128];
	int ca, cb;
	snprintf(title, sizeof title, "%s: %s", name, what);
	cr_assert(line_columns(gp, title, &ca, &cb), "no line '%s':\n%s", title, gp);
	snprintf(want, sizeof want, "mean(%s.%s)", name, a);
	cr_expect_str_eq(header_name(tmp, ca, got, sizeof got), want);
	if (!b) {
		cr_expect_eq(cb, 0, "line '%s' is a difference", title);
		return;
	}
	snprintf(want, sizeof want, "mean(%s.%s)", name, b);
	cr_expect_str_eq(header_name(tmp, cb, got, sizeof got), want);
}

Test(plots_chain, each_calling_pool_is_split_into_working_and_waiting)
{
	const char *args[] = { "run", "tests/scenarios/call-chain.yaml", "--set", "duration=90s",
			       "--out", tmp, "--quiet", "--no-plots", NULL };
	pu_run(args);
	char *gp = th_read_in(tmp, "chain.gp");
	cr_assert_not_null(gp, "no chain chart");
	const char *pools[] = { "api-workers", "b-workers", "c-workers" };
	const char *clients[] = { "api", "b", "c" };
	for (size_t i = 0; i < 3; i++) {
		expect_line(gp, pools[i], "working", "busy", "calling");
		expect_line(gp, pools[i], "waiting on calls", "calling", NULL);
		expect_line(gp, clients[i], "timeouts per second (right)", "timeouts", NULL);
	}
	free(gp);
}

Test(plots_chain, no_chain_chart_without_calls)
{
	const char *args[] = { "run", "scenarios/mm1.yaml", "--set", "duration=30s", "--set", "warmup=0",
			       "--out", tmp, "--quiet", "--no-plots", NULL };
	pu_run(args);
	char path[512];
	snprintf(path, sizeof path, "%s/chain.gp", tmp);
	cr_expect_neq(access(path, F_OK), 0, "a chain chart without calls");
}

Test(plots_chain, a_pool_that_calls_a_database_gets_the_chart)
{
	const char *args[] = { "run", "scenarios/likes-spike.yaml", "--set", "duration=30s", "--set", "warmup=0",
			       "--out", tmp, "--quiet", "--no-plots", NULL };
	pu_run(args);
	char *gp = th_read_in(tmp, "chain.gp");
	cr_assert_not_null(gp, "no chain chart");
	cr_expect(strstr(gp, ": waiting on calls'"), "%s", gp);
	free(gp);
}

Test(plots_chain, a_database_slowdown_is_marked_on_the_throughput_chart)
{
	const char *args[] = { "run", "tests/scenarios/db-slowdown.yaml", "--out", tmp, "--quiet",
			       "--no-plots", NULL };
	pu_run(args);
	char *gp = th_read_in(tmp, "throughput.gp");
	cr_assert_not_null(gp);
	cr_expect(strstr(gp, "'db slowdown \u00d75' noenhanced"), "%s", gp);
	cr_expect(strstr(gp, "rectangle from 40, graph 0 to 60, graph 1 behind fillcolor rgb '#fbe3b8'"),
		  "%s", gp);
	free(gp);
}

Test(plots_chain, compared_runs_of_a_chain_line_keep_their_own_colours)
{
	const char *args[] = { "compare", "tests/scenarios/call-chain.yaml", "--set", "duration=30s",
			       "--out", tmp, "--quiet", "--no-plots", NULL };
	pu_run(args);
	char *gp = th_read_in(tmp, "compare-c-workers.calling.gp");
	cr_assert_not_null(gp);
	cr_expect(strstr(gp, "linecolor rgb '#1f77b4'") && strstr(gp, "linecolor rgb '#d62728'"),
		  "the runs look alike:\n%s", gp);
	free(gp);
}
