/* test_sweep.c - sweep.csv and the charts of a sweep (plots/sweep.c),
 * end to end: each file read as a spreadsheet would read it. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/csvread.h"
#include "tests/plots/plotsutil.h"

#define MAX_ROWS 64
#define MAX_FIELDS 128

PU_SUITE(sweep, "sim-sweep", 240);

/* `sim sweep tests/scenarios/sweep-mm1.yaml --set duration=5m` with the
 * --vary (and other) options given, into tmp; it must succeed quietly. */
static void sweep(const char *const *opts, bool plots)
{
	const char *args[24] = { "sweep", "tests/scenarios/sweep-mm1.yaml", "--set", "duration=5m" };
	int n = 4;
	for (; *opts && n < 18; opts++)
		args[n++] = *opts;
	args[n++] = "--out";
	args[n++] = tmp;
	args[n++] = "--quiet";
	if (!plots)
		args[n++] = "--no-plots";
	char *err;
	cr_assert_eq(th_sim(args, NULL, &err), 0, "%s", err);
	cr_expect_str_eq(err, "", "a clean sweep says nothing on stderr");
	free(err);
}

struct table {
	char **rows[MAX_ROWS];
	int width[MAX_ROWS];
	int n;
};

/* tmp/name, read as RFC 4180: asserts it is well formed, and that every
 * record has as many fields as the header. */
static void read_table(struct table *t, const char *name)
{
	char *text = th_read_in(tmp, name);
	cr_assert_not_null(text, "no %s", name);
	t->n = th_csv_read(text, t->rows, t->width, MAX_ROWS, MAX_FIELDS);
	cr_assert_gt(t->n, 1, "%s is not RFC 4180 CSV with a header and rows:\n%s", name, text);
	for (int r = 1; r < t->n; r++)
		cr_expect_eq(t->width[r], t->width[0], "%s: row %d has %d fields, the header %d:\n%s",
			     name, r, t->width[r], t->width[0], text);
	free(text);
}

static void free_table(struct table *t)
{
	th_csv_free_all(t->rows, t->width, t->n);
}

/* The column of tmp/name's table headed head, or -1. */
static int column(const struct table *t, const char *head)
{
	for (int c = 0; c < t->width[0]; c++)
		if (!strcmp(t->rows[0][c], head))
			return c;
	return -1;
}

static const char *const grid[] = { "--vary", "src.rate=40/s,60/s", "--vary", "w.count=1,2", NULL };

Test(sweep, grid_csv_has_a_column_per_key_and_every_row_the_header_width)
{
	sweep(grid, false);
	struct table t;
	read_table(&t, "sweep.csv");
	cr_assert_eq(t.n, 5, "a header and 4 points");
	cr_expect_str_eq(t.rows[0][0], "point");
	cr_expect_str_eq(t.rows[0][1], "src.rate");
	cr_expect_str_eq(t.rows[0][2], "w.count");
	cr_expect_str_eq(t.rows[0][3], "peak_depth", "the figures follow the keys");
	static const char *const want[4][3] = {
		{ "src.rate=40/s,w.count=1", "40/s", "1" }, { "src.rate=40/s,w.count=2", "40/s", "2" },
		{ "src.rate=60/s,w.count=1", "60/s", "1" }, { "src.rate=60/s,w.count=2", "60/s", "2" },
	};
	for (int r = 1; r < t.n; r++)
		for (int c = 0; c < 3; c++)
			cr_expect_str_eq(t.rows[r][c], want[r - 1][c], "row %d, column %d", r, c);
	free_table(&t);
}

/* The peak depth point folder sub reached, from its summary.json. */
static double max_depth(const char *sub)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", tmp, sub);
	char *s = th_read_in(path, "summary.json");
	cr_assert_not_null(s, "no %s/summary.json", path);
	char *at = strstr(s, "\"max_depth\":");
	cr_assert_not_null(at);
	double v = strtod(at + strlen("\"max_depth\":"), NULL);
	free(s);
	return v;
}

Test(sweep, grid_chart_data_holds_each_points_depth_at_its_rate)
{
	sweep(grid, false);
	struct table t;
	read_table(&t, "sweep-peak_depth.csv");
	cr_assert_eq(t.n, 3, "a header and a row per rate");
	cr_expect_str_eq(t.rows[0][0], "src.rate");
	cr_expect_str_eq(t.rows[0][1], "x");
	int one = column(&t, "peak_depth w.count=1"), two = column(&t, "peak_depth w.count=2");
	cr_assert(one > 1 && two > 1, "a mean per value of w.count");
	cr_expect_eq(column(&t, "peak_depth_ci95 w.count=1"), one + 1);
	static const char *const rate[] = { "40/s", "60/s" }, *const sub[2][2] = {
		{ "src.rate=40_s_w.count=1", "src.rate=40_s_w.count=2" },
		{ "src.rate=60_s_w.count=1", "src.rate=60_s_w.count=2" },
	};
	for (int r = 1; r < t.n; r++) {
		cr_expect_str_eq(t.rows[r][0], rate[r - 1]);
		cr_expect_eq(strtod(t.rows[r][1], NULL), r == 1 ? 40 : 60, "x is the rate itself: %s",
			     t.rows[r][1]);
		for (int k = 0; k < 2; k++) {
			double want = max_depth(sub[r - 1][k]), got = strtod(t.rows[r][k ? two : one], NULL);
			cr_expect_eq(got, want, "%s: the chart has %g, the run %g", sub[r - 1][k], got, want);
		}
	}
	free_table(&t);
}

static bool have_gnuplot(void)
{
	return system("command -v gnuplot >/dev/null 2>&1") == 0;
}

Test(sweep, grid_charts_all_drawn_at_numeric_x_a_line_per_second_key)
{
	sweep(grid, true);
	DIR *d = opendir(tmp);
	cr_assert_not_null(d);
	int scripts = 0;
	for (struct dirent *e; (e = readdir(d));) {
		size_t len = strlen(e->d_name);
		if (len < 4 || strcmp(e->d_name + len - 3, ".gp"))
			continue;
		scripts++;
		char png[512];
		struct stat st;
		snprintf(png, sizeof png, "%s/%.*s.png", tmp, (int)(len - 3), e->d_name);
		if (have_gnuplot())
			cr_expect(stat(png, &st) == 0 && st.st_size > 1000, "%s: no image, or an empty one", png);
	}
	closedir(d);
	cr_expect_geq(scripts, 5, "a chart per figure");
	char *gp = th_read_in(tmp, "sweep-peak_depth.gp");
	cr_assert_not_null(gp, "the chart of peak_depth is named after it");
	cr_expect(strstr(gp, "set title 'peak queue depth of q by src.rate, a line per w.count'"),
		  "the title names the queue and the keys:\n%s", gp);
	cr_expect(strstr(gp, "skip 1 using ($2*1):($3*1) with linespoints") &&
		  strstr(gp, "title 'w.count=1'") && strstr(gp, "skip 1 using ($2*1):($5*1) with linespoints") &&
		  strstr(gp, "title 'w.count=2'"),
		  "a line per w.count, at x = the rate:\n%s", gp);
	cr_expect_null(strstr(gp, "xtic("), "numbers are not tic labels at equal spacing:\n%s", gp);
	cr_expect_null(strstr(gp, "logscale"), "40 to 60 is no decade:\n%s", gp);
	free(gp);
}

Test(sweep, values_over_a_decade_on_a_log_axis_in_order)
{
	const char *opts[] = { "--vary", "w.count=4,1,2,8,16,32", "--set", "src.rate=90/s", NULL };
	sweep(opts, false);
	struct table t;
	read_table(&t, "sweep-peak_depth.csv");
	cr_assert_eq(t.n, 7);
	static const double x[] = { 1, 2, 4, 8, 16, 32 };
	for (int r = 1; r < t.n; r++)
		cr_expect_eq(strtod(t.rows[r][1], NULL), x[r - 1], "row %d: x %s", r, t.rows[r][1]);
	free_table(&t);
	char *gp = th_read_in(tmp, "sweep-peak_depth.gp");
	cr_assert_not_null(gp);
	cr_expect(strstr(gp, "set logscale x\n"), "1 to 32 spans a decade:\n%s", gp);
	cr_expect(strstr(gp, "set xtics (1, 2, 4, 8, 16, 32)"), "the values are the tics:\n%s", gp);
	free(gp);
}

Test(sweep, names_stay_categorical_in_the_order_given)
{
	const char *opts[] = { "--vary", "q.discipline=lifo,fifo", NULL };
	sweep(opts, false);
	struct table t;
	read_table(&t, "sweep-peak_depth.csv");
	cr_assert_eq(t.n, 3);
	cr_expect_str_eq(t.rows[1][0], "lifo");
	cr_expect_str_eq(t.rows[1][1], "0");
	cr_expect_str_eq(t.rows[2][0], "fifo");
	cr_expect_str_eq(t.rows[2][1], "1");
	free_table(&t);
	char *gp = th_read_in(tmp, "sweep-peak_depth.gp");
	cr_assert_not_null(gp);
	cr_expect(strstr(gp, "set xtics rotate by -20 noenhanced ('lifo' 0, 'fifo' 1)"), "%s", gp);
	cr_expect_null(strstr(gp, "logscale"));
	free(gp);
}

Test(sweep, a_value_given_twice_is_an_error)
{
	const char *args[] = { "sweep", "tests/scenarios/sweep-mm1.yaml", "--vary", "w.count=2,1,2",
			       "--out", tmp, "--quiet", NULL };
	char *err;
	cr_assert_eq(th_sim(args, NULL, &err), 2, "two points would share a folder: %s", err);
	cr_expect(strstr(err, "--vary w.count lists '2' twice"), "%s", err);
	free(err);
}
