/* test_heat.c - heat-map charts (plots/heat.c): a topic's lag by
 * partition, one row per partition, read from the right columns. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/plots/plotsutil.h"

PU_SUITE(heat, "sim-heat", 180);

/* The 1-based column of name in the header line of csv, or -1. */
static int header_column(const char *csv, const char *name)
{
	size_t n = strlen(name);
	int col = 1;
	for (const char *p = csv; *p && *p != '\n'; col++) {
		if (!strncmp(p, name, n) && (p[n] == ',' || p[n] == '\n'))
			return col;
		while (*p && *p != ',' && *p != '\n')
			p++;
		if (*p == ',')
			p++;
	}
	return -1;
}

Test(heat, a_topic_gets_its_lag_by_partition)
{
	char out[128];
	snprintf(out, sizeof out, "%s/run", tmp);
	const char *args[] = { "run", "scenarios/hot-partition.yaml", "--set", "duration=3m",
			       "--out", out, "--quiet", NULL };
	cr_assert_eq(th_sim(args, NULL, NULL), 0);
	char *gp = th_read_in(out, "topic-likes-partitions.gp");
	char *csv = th_read_in(out, "timeseries.csv");
	cr_assert(gp && csv);
	int first = header_column(csv, "likes.p0.lag");
	cr_assert_gt(first, 0);
	/* the twelve partitions' lag columns, side by side */
	cr_expect_eq(header_column(csv, "likes.p11.lag"), first + 11);
	char want[64];
	snprintf(want, sizeof want, "(column(%d+i)) with boxxyerror", first);
	cr_expect(strstr(gp, "plot for [i=0:11] 'timeseries.csv'"), "%s", gp);
	cr_expect(strstr(gp, want), "reads likes.p0.lag (column %d) on: %s", first, gp);
	cr_expect(strstr(gp, "set title 'Topic likes: lag by partition' noenhanced"), "%s", gp);
	char *md = th_read_in(out, "report.md");
	cr_assert_not_null(md);
	cr_expect(strstr(md, "topic-likes-partitions."), "report.md links the heat map");
	free(md);
	free(gp);
	free(csv);
}
