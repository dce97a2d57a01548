/* test_compare.c - sim compare and sim sweep (sim/compare.c, sim/figures.c) */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/figures.h"
#include "tests/helpers.h"

static char tmp[64];

static void setup(void)
{
	th_tmpdir(tmp, "sim-compare");
}

static void teardown(void)
{
	th_rmtree(tmp);
}

TestSuite(compare, .init = setup, .fini = teardown, .timeout = 240);

static char *in(const char *name)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", tmp, name);
	char *s = th_read(path, NULL);
	cr_assert_not_null(s, "no %s", path);
	return s;
}

/* The fields of the CSV line starting with label, after the label. */
static char *row(char *csv, const char *label)
{
	char key[128];
	snprintf(key, sizeof key, "\n%s,", label);
	char *p = strstr(csv, key);
	cr_assert_not_null(p, "no row %s in:\n%s", label, csv);
	p += strlen(key);
	char *end = strchr(p, '\n');
	return strndup(p, (size_t)(end - p));
}

Test(compare, one_row_and_one_line_per_variant_and_crn)
{
	const char *args[] = { "compare", "tests/scenarios/sweep-mm1.yaml", "--out", tmp, "--quiet", NULL };
	char *err;
	cr_assert_eq(th_sim(args, NULL, &err), 0, "%s", err);
	free(err);
	char *csv = in("compare.csv");
	/* a figure no variant moves is left out; one that some variant does
	 * is there for all */
	cr_expect(strstr(csv, ",deferred,deferred_ci95,"), "blocking defers work: %.300s", csv);
	char *blocking = row(csv, "blocking");
	free(blocking);
	char *base = row(csv, "baseline"), *same = row(csv, "same"), *small = row(csv, "small");
	/* common random numbers: the same settings give the same figures */
	cr_expect_str_eq(base, same);
	cr_expect_str_neq(base, small);
	free(base);
	free(same);
	free(small);
	free(csv);
	char *gp = in("compare-q.depth.gp");
	cr_expect(strstr(gp, "title 'baseline'") && strstr(gp, "title 'same'") &&
			  strstr(gp, "title 'small'"),
		  "one line per variant: %s", gp);
	/* the comparison's charts.csv has a block a variant, in order, with
	 * the columns its charts draw; `blocking` has two more queue columns
	 * than the baseline: its line must read q.depth where its own block
	 * has it */
	char *data = in("charts.csv");
	for (const char *const *v = (const char *const[]){ "baseline", "blocking", NULL }; *v; v++) {
		char title[64];
		snprintf(title, sizeof title, "title '%s'", *v);
		const char *t = strstr(gp, title);
		cr_assert_not_null(t, "no line for %s: %s", *v, gp);
		while (t > gp && t[-1] != '\n')
			t--;	/* the line's start */
		int run = -1, col = -1;
		cr_assert_eq(sscanf(t, " 'charts.csv' index %d using ($1/1):($%d", &run, &col), 2,
			     "%.120s", t);
		const char *p = data;	/* block run: its header, "# t_s,..." */
		for (int b = 0; p && b < run; b++) {
			p = strstr(p, "\n\n\n");
			p = p ? p + 3 : NULL;
		}
		cr_assert(p && !strncmp(p, "# t_s,", 6), "block %d of charts.csv", run);
		for (int k = 1; p && k < col; k++) {
			p = strchr(p, ',');
			if (p)
				p++;
		}
		cr_assert_not_null(p);
		cr_expect(strncmp(p, "mean(q.depth),", 14) == 0, "%s: column %d is not q.depth: %.40s",
			  *v, col, p);
	}
	free(data);
	free(gp);
	char *md = in("compare.md");
	cr_expect(strstr(md, "| baseline |") && strstr(md, "| same |") && strstr(md, "| small |"));
	cr_expect(strstr(md, "](compare-q.depth.png)"), "charts embedded: %s", md);
	free(md);
	char path[512];
	snprintf(path, sizeof path, "%s/small/report.md", tmp);
	cr_expect_eq(access(path, F_OK), 0, "each variant keeps its own outputs");
}

Test(compare, unknown_variant_is_a_usage_error)
{
	const char *args[] = { "compare", "tests/scenarios/sweep-mm1.yaml", "--variants", "baseline,smal",
			       "--out", tmp, NULL };
	char *err;
	cr_assert_eq(th_sim(args, NULL, &err), 2);
	cr_expect(strstr(err, "unknown variant 'smal'"), "%s", err);
	free(err);
}

Test(compare, sweep_p99_rises_with_load_and_matches_sim_run)
{
	const char *args[] = { "sweep", "tests/scenarios/sweep-mm1.yaml", "--vary",
			       "src.rate=40/s,60/s,80/s", "--out", tmp, "--quiet", NULL };
	char *err;
	cr_assert_eq(th_sim(args, NULL, &err), 0, "%s", err);
	free(err);
	char *csv = in("sweep.csv");
	cr_assert(strncmp(csv, "point,src.rate,", 15) == 0, "%.80s", csv);
	cr_expect_null(strstr(csv, ",deferred,"), "nothing blocks, so no deferred column");
	/* p99 of time in system: the next to last pair of columns */
	double p99[3];
	const char *labels[3] = { "src.rate=40/s", "src.rate=60/s", "src.rate=80/s" };
	for (int i = 0; i < 3; i++) {
		char *r = row(csv, labels[i]);
		char *c = strstr(csv, ",p99_s:default,");
		int col = 1;	/* the comma at c starts the p99 column */
		for (char *p = csv; p < c; p++)
			col += *p == ',';
		char *f = r;
		for (int k = 1; k < col && f; k++) {	/* r starts after the label */
			f = strchr(f, ',');
			if (f)
				f++;
		}
		cr_assert_not_null(f);
		p99[i] = atof(f);
		/* M/M/1: p99 = ln(100) / (mu - lambda), within 10% for one run */
		double lambda = 40 + 20 * i, theory = log(100) / (100 - lambda);
		cr_expect(fabs(p99[i] - theory) < 0.1 * theory, "%s: p99 %g, theory %g", labels[i],
			  p99[i], theory);
		free(r);
	}
	cr_expect(p99[0] < p99[1] && p99[1] < p99[2], "p99 must rise with load: %g %g %g", p99[0],
		  p99[1], p99[2]);
	/* the sweep point is exactly the run with that --set */
	char one[128];
	snprintf(one, sizeof one, "%s/one", tmp);
	const char *run[] = { "run", "tests/scenarios/sweep-mm1.yaml", "--set", "src.rate=60/s",
			      "--out", one, "--quiet", "--no-plots", NULL };
	cr_assert_eq(th_sim(run, NULL, NULL), 0);
	char path[512];
	snprintf(path, sizeof path, "%s/timeseries.csv", one);
	char *a = th_read(path, NULL);
	snprintf(path, sizeof path, "%s/src.rate=60_s/timeseries.csv", tmp);
	char *b = th_read(path, NULL);
	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_expect_str_eq(a, b, "the sweep point differs from sim run --set");
	free(a);
	free(b);
	free(csv);
}

/* Every column is defined, goodput is per producer, percentiles come
 * with the share served, peaks name their component, rows are ranked by
 * recovery, ties are not bold, and the terminal shows a short table. */
Test(compare, figures_defined_per_producer_ranked_and_bold_only_apart)
{
	const char *args[] = { "compare", "tests/scenarios/compare-honest.yaml", "--out", tmp,
			       "--reps", "3", "--no-plots", NULL };
	char *out, *err;
	cr_assert_eq(th_sim(args, &out, &err), 0, "%s", err);
	char *csv = in("compare.csv");
	cr_expect(strstr(csv, ",goodput_per_s:api,") && strstr(csv, ",goodput_per_s:background,"),
		  "goodput per producer: %.400s", csv);
	cr_expect_null(strstr(csv, ",goodput_per_s,"), "never summed across producers: %.400s", csv);
	cr_expect(strstr(csv, ",served:default,") && strstr(csv, ",p99_all_s:default,"), "%.600s", csv);
	char *md = in("compare.md");
	cr_expect(strstr(md, "| served, default[^") && strstr(md, "| p99 counting failures, default[^"),
		  "%s", md);
	cr_expect(strstr(md, "∞ (over 1% failed)"), "`small` drops work: %s", md);
	cr_expect(strstr(md, "| peak queue depth of q[^"), "%s", md);
	cr_expect(strstr(md, "ranked by the first recovery criterion"), "%s", md);
	/* each header's footnote is defined */
	char *table = strstr(md, "| variant |");
	cr_assert_not_null(table);
	size_t refs = 0;
	for (char *p = table; p < strchr(table, '\n'); p++)
		refs += !strncmp(p, "[^", 2);
	for (size_t k = 1; k <= refs; k++) {
		char def[32];
		snprintf(def, sizeof def, "\n[^%zu]: `", k);
		cr_expect(strstr(md, def), "no definition of column %zu: %s", k, md);
	}
	cr_expect_gt(refs, 8);
	/* ranked: `small` and `faster` drain at once, the others in 35 s */
	char *small = strstr(md, "\n| small |"), *faster = strstr(md, "\n| faster |");
	char *base = strstr(md, "\n| baseline |"), *same = strstr(md, "\n| same |");
	cr_assert(small && faster && base && same, "%s", md);
	cr_expect(small < faster && faster < base && base < same, "rows not ranked: %s", md);
	/* `same` ties the baseline everywhere: neither is bold */
	cr_expect_null(memchr(base, '*', (size_t)(strchr(base + 1, '\n') - base)), "%.400s", base);
	cr_expect_null(memchr(same, '*', (size_t)(strchr(same + 1, '\n') - same)), "%.400s", same);
	cr_expect_null(strstr(md, "**yes**"), "every row recovered: no bold: %s", md);
	/* constant service: the percentile varies less than its buckets */
	cr_expect(strstr(md, "± 0.8% (resolution)"), "%s", md);
	/* the terminal: a short aligned table and where the rest is */
	cr_expect_null(strchr(out, '|'), "no markdown on the terminal: %s", out);
	cr_expect(strstr(out, "peak oldest age") && strstr(out, "items dropped") &&
			  strstr(out, "p99 time in system, default"),
		  "%s", out);
	cr_expect_null(strstr(out, "goodput of"), "the rest is in compare.md: %s", out);
	cr_expect(strstr(out, "/compare.md"), "%s", out);
	cr_expect(strstr(out, "\nsmall "), "ranked on the terminal too: %s", out);
	/* each variant's report.md: the share served next to its p99 */
	char *rep = in("small/report.md");
	cr_expect(strstr(rep, "| served | p50 time in system (served) | p99 time in system (served) | p99 counting failures |"),
		  "%s", rep);
	cr_expect(strstr(rep, "| ∞ (over 1% failed) |"), "%s", rep);
	free(rep);
	free(out);
	free(err);
	free(csv);
	free(md);
}

static struct sim_figure_row two_rows[2];

static void two(double a, double a_ci, double b, double b_ci, bool yes_no)
{
	for (int r = 0; r < 2; r++) {
		two_rows[r].n = 1;
		two_rows[r].label = r ? "b" : "a";
		struct sim_figure *f = &two_rows[r].figs[0];
		*f = (struct sim_figure){ .mean = r ? b : a, .ci95 = r ? b_ci : a_ci,
					  .yes_no = yes_no, .higher_is_better = true };
	}
}

Test(compare, bold_only_where_the_best_stands_apart)
{
	two(0, NAN, 0, NAN, true);	/* every row says no */
	cr_expect_not(sim_figures_best(two_rows, 2, 0, 0) || sim_figures_best(two_rows, 2, 1, 0));
	two(1, NAN, 0, NAN, true);
	cr_expect(sim_figures_best(two_rows, 2, 0, 0));
	two(100.003, NAN, 100, NAN, false);	/* 0.003/s apart, one replication */
	cr_expect_not(sim_figures_best(two_rows, 2, 0, 0));
	two(120, NAN, 100, NAN, false);
	cr_expect(sim_figures_best(two_rows, 2, 0, 0));
	two(120, 15, 100, 10, false);	/* the intervals overlap */
	cr_expect_not(sim_figures_best(two_rows, 2, 0, 0));
	two(120, 5, 100, 10, false);
	cr_expect(sim_figures_best(two_rows, 2, 0, 0));
	two(100, 1, 100, 1, false);	/* a tie */
	cr_expect_not(sim_figures_best(two_rows, 2, 0, 0) || sim_figures_best(two_rows, 2, 1, 0));
}

/* A figure named name with value v in row r. */
static void put(struct sim_figure_row *r, const char *name, double v)
{
	struct sim_figure *f = &r->figs[r->n++];
	memset(f, 0, sizeof *f);
	snprintf(f->name, sizeof f->name, "%s", name);
	f->mean = v;
	f->ci95 = NAN;
}

Test(compare, rows_of_variants_with_other_components_share_columns)
{
	/* a variant that adds a queue has a figure ("peak depth") the others
	 * lack: every row gets the union of the columns, in order, and the
	 * rows without it an n/a there instead of their next figure */
	static struct sim_figure_row rows[3];
	put(&rows[0], "recovered", 1);
	put(&rows[0], "dropped", 10);
	put(&rows[1], "recovered", 1);
	put(&rows[1], "peak_depth", 15);
	put(&rows[1], "dropped", 20);
	put(&rows[2], "recovered", 0);
	put(&rows[2], "dropped", 30);
	put(&rows[2], "extra", 5);
	cr_assert_eq(sim_figures_align(rows, 3), 0);
	static const char *const names[] = { "recovered", "peak_depth", "dropped", "extra" };
	for (size_t r = 0; r < 3; r++) {
		cr_assert_eq(rows[r].n, 4);
		for (size_t i = 0; i < 4; i++)
			cr_expect_str_eq(rows[r].figs[i].name, names[i]);
		cr_expect_eq(rows[r].figs[2].mean, 10.0 * (double)(r + 1));
	}
	cr_expect(isnan(rows[0].figs[1].mean) && isnan(rows[2].figs[1].mean));
	cr_expect_eq(rows[1].figs[1].mean, 15);
	cr_expect(isnan(rows[0].figs[3].mean) && isnan(rows[1].figs[3].mean));
	cr_expect_eq(rows[2].figs[3].mean, 5);
}
