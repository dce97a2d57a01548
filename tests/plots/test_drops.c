/* test_drops.c - the drops chart (by reason and place) and the looks of
 * the lines of a chart (plots/choose.c, plots/charts.c, plots/style.c) */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/plots/plotsutil.h"

PU_SUITE(plots_drops, "sim-drops", 180);

/* The 1-based column of the line titled title in script gp, or -1. */
static int line_column(const char *gp, const char *title)
{
	char quoted[256];
	snprintf(quoted, sizeof quoted, "title '%s'", title);
	const char *t = strstr(gp, quoted);
	if (!t)
		return -1;
	const char *line = t;
	while (line > gp && line[-1] != '\n')
		line--;
	const char *col = strstr(line, ":($");
	return col && col < t ? atoi(col + 3) : -1;
}

/* The sum of 1-based column col of dir/charts.csv, the data the charts
 * read (header skipped). */
static double column_sum(const char *dir, int col)
{
	char *csv = th_read_in(dir, "charts.csv");
	cr_assert_not_null(csv);
	double sum = 0;
	char *save = NULL;
	char *row = strtok_r(csv, "\n", &save);	/* the header */
	while ((row = strtok_r(NULL, "\n", &save))) {
		const char *p = row;
		for (int k = 1; k < col && p; k++) {
			p = strchr(p, ',');
			p = p ? p + 1 : NULL;
		}
		cr_assert_not_null(p, "row too short: %s", row);
		sum += strtod(p, NULL);
	}
	free(csv);
	return sum;
}

Test(plots_drops, a_limiters_refusals_are_charted_under_its_name)
{
	const char *args[] = { "run", "scenarios/rate-limit.yaml", "--variant", "reject",
			       "--set", "duration=4m", "--out", tmp, "--quiet", "--no-plots", NULL };
	pu_run(args);
	char *gp = th_read_in(tmp, "drops.gp");
	cr_assert_not_null(gp);
	int col = line_column(gp, "limiter gate: limited");
	cr_assert_gt(col, 1, "no line 'limiter gate: limited' in drops.gp:\n%s", gp);
	cr_expect_gt(column_sum(tmp, col), 1000, "the limiter's refusals are drawn as zero");
	cr_expect_null(strstr(gp, "nothing was dropped"));
	free(gp);
}

Test(plots_drops, shed_items_are_labelled_shed)
{
	const char *args[] = { "run", "scenarios/shedding.yaml", "--variant", "shed-depth",
			       "--out", tmp, "--quiet", "--no-plots", NULL };
	pu_run(args);
	char *gp = th_read_in(tmp, "drops.gp");
	cr_assert_not_null(gp);
	int col = line_column(gp, "queue inbox: shed");
	cr_assert_gt(col, 1, "no line 'queue inbox: shed' in drops.gp:\n%s", gp);
	cr_expect_gt(column_sum(tmp, col), 0);
	cr_expect_null(strstr(gp, "full, evicted or expired"), "%s", gp);
	/* a reason that dropped nothing draws no line */
	cr_expect_eq(line_column(gp, "queue inbox: full"), -1, "%s", gp);
	free(gp);
}

Test(plots_drops, an_empty_chart_says_nothing_was_dropped)
{
	const char *args[] = { "run", "scenarios/rate-limit.yaml", "--set", "duration=4m",
			       "--out", tmp, "--quiet", NULL };
	pu_run(args);
	char *gp = th_read_in(tmp, "drops.gp");
	cr_assert_not_null(gp);
	cr_expect(strstr(gp, "set label 3 'nothing was dropped'"), "%s", gp);
	cr_expect_null(strstr(gp, "timeseries.csv"), "no line, not a flat one: %s", gp);
	free(gp);
	char path[512];
	snprintf(path, sizeof path, "%s/drops.png", tmp);
	cr_expect_eq(access(path, F_OK), 0, "gnuplot drew the empty chart");
}

/* The "linecolor rgb '#...' dashtype ..." of each line of a plot, as a
 * string per line into looks (max); how many. */
static int looks(const char *gp, char (*out)[64], int max)
{
	int n = 0;
	for (const char *p = strstr(gp, "\nplot "); p && (p = strstr(p, "linecolor rgb '")) && n < max; p++) {
		const char *end = strstr(p, " axes ");
		const char *eol = strchr(p, '\n');
		if (!end || (eol && eol < end))
			end = eol ? eol : p + strlen(p);
		snprintf(out[n++], 64, "%.*s", (int)(end - p), p);
	}
	return n;
}

Test(plots_drops, thirteen_lines_look_thirteen_ways)
{
	char path[512];
	snprintf(path, sizeof path, "%s/many.yaml", tmp);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("name: many\nduration: 20s\ncomponents:\n", f);
	for (int i = 1; i <= 13; i++)
		fprintf(f, "  p%d:\n    kind: producer\n    rate: %d/s\n    to: q\n", i, 3 * i);
	fputs("  q:\n    kind: queue\n  w:\n    kind: workers\n    from: q\n    count: 4\n"
	      "    service: {dist: exponential, mean: 10ms}\n", f);
	fclose(f);
	char out[128];
	snprintf(out, sizeof out, "%s/out", tmp);
	const char *args[] = { "run", path, "--out", out, "--quiet", "--no-plots", NULL };
	pu_run(args);
	char *gp = th_read_in(out, "throughput.gp");
	cr_assert_not_null(gp);
	char seen[24][64];
	int n = looks(gp, seen, 24);
	cr_assert_geq(n, 13, "13 producers, %d lines:\n%s", n, gp);
	for (int i = 0; i < n; i++)
		for (int k = 0; k < i; k++)
			cr_expect_str_neq(seen[i], seen[k], "lines %d and %d look alike: %s", k + 1, i + 1,
					  seen[i]);
	free(gp);
}

Test(plots_drops, compare_marks_each_variants_recovery_in_its_colour)
{
	const char *args[] = { "compare", "scenarios/rate-limit.yaml", "--variants", "baseline,reject",
			       "--set", "duration=5m", "--out", tmp, "--quiet", "--no-plots", NULL };
	pu_run(args);
	char *gp = th_read_in(tmp, "compare-requests.oldest_age_s.gp");
	cr_assert_not_null(gp);
	/* within 5 minutes the limiter's queue recovers, the baseline's not */
	cr_expect(strstr(gp, "'requests.oldest_age_s: each variant''s recovery marked in its colour; "
			     "not recovered: baseline'"), "%s", gp);
	cr_expect_null(strstr(gp, "linecolor rgb '#1f77b4' dashtype (4,4)"), "baseline's mark: %s", gp);
	cr_expect(strstr(gp, "linecolor rgb '#d62728' dashtype (4,4)"), "reject's mark: %s", gp);
	free(gp);
}
