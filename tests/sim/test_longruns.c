/* test_longruns.c - runs far longer than the default interval allows
 * (sim/scenario.c's interval, sim/stream.c, sim/reduce.c, plots/data.c),
 * run as users run them: without `sample` the interval grows along a
 * ladder and the run says so; an explicit `sample` keeps its limit; the
 * series goes to disk, so memory does not grow with the run; the charts
 * read at most SIM_REDUCE_BUCKETS rows that keep a spike's maximum. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/reduce.h"
#include "tests/helpers.h"

static char tmp[64];

static void setup(void)
{
	th_tmpdir(tmp, "sim-long");
}

static void teardown(void)
{
	th_rmtree(tmp);
}

TestSuite(sim_longruns, .init = setup, .fini = teardown, .timeout = 300);

/* A steady queue for DURATION, with SAMPLE (a whole line, or ""). */
static void write_scenario(char *path, const char *name, const char *duration, const char *sample,
			   const char *schedule)
{
	snprintf(path, 256, "%s/%s", tmp, name);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "duration: %s\n%s"
		   "components:\n"
		   "  src: {kind: producer, rate: 1/s, to: q%s}\n"
		   "  q: {kind: queue}\n"
		   "  w: {kind: workers, from: q, count: 1, service: 100ms}\n",
		duration, sample, schedule);
	fclose(f);
}

/* The 0-based field of header name in a CSV's first line, or -1. */
static int field_of(const char *csv, const char *name)
{
	int k = 0;
	size_t n = strlen(name);
	for (const char *p = csv; *p && *p != '\n'; k++) {
		if (!strncmp(p, name, n) && (p[n] == ',' || p[n] == '\n'))
			return k;
		p += strcspn(p, ",\n");
		if (*p == ',')
			p++;
	}
	return -1;
}

/* The largest value of field k over the data rows; their count. */
static double field_max(const char *csv, int k, size_t *rows)
{
	double max = -INFINITY;
	*rows = 0;
	for (const char *line = strchr(csv, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
		const char *p = line + 1;
		for (int i = 0; i < k && p; i++) {
			p = strchr(p, ',');
			if (p)
				p++;
		}
		cr_assert_not_null(p);
		if (*p != ',' && *p != '\n')
			max = fmax(max, strtod(p, NULL));
		(*rows)++;
	}
	return max;
}

/* 1.4 million simulated seconds with no `sample`: 1 s would make 1.4
 * million rows, past the limit; the run takes 60 s and says so. */
Test(sim_longruns, a_long_run_without_sample_runs_and_states_its_interval)
{
	char path[256], out[128];
	write_scenario(path, "long.yaml", "1400000s", "",
		       ", schedule: [{at: 700000s, for: 30s, rate: 40/s}]");
	snprintf(out, sizeof out, "%s/out", tmp);
	const char *args[] = { "run", path, "--out", out, "--no-plots", NULL };
	char *err;
	cr_assert_eq(th_sim(args, NULL, &err), 0, "%s", err);
	cr_expect(strstr(err, "sim: note: ") && strstr(err, "sets no 'sample': one time-series row every 60 s, 23334 rows over"),
		  "the choice is stated: %s", err);
	free(err);
	char *sum = th_read_in(out, "summary.json");
	cr_assert_not_null(sum);
	cr_expect(strstr(sum, "\"sample_s\": 60,") && strstr(sum, "\"sample_auto\": true"), "%s", sum);
	/* the window is the burst; the queue drains in well under 10 min */
	cr_expect(strstr(sum, "\"recovered\": true"), "recovery read the kept column: %s", sum);
	free(sum);
	char *md = th_read_in(out, "report.md");
	cr_assert_not_null(md);
	cr_expect(strstr(md, "one row every 60 s"), "report.md states it: %.600s", md);
	free(md);

	char *ts = th_read_in(out, "timeseries.csv");
	char *cd = th_read_in(out, "charts.csv");
	cr_assert(ts && cd);
	size_t rows, crows;
	double top = field_max(ts, field_of(ts, "q.depth"), &rows);
	cr_expect_eq(rows, 23334, "the full series stays in timeseries.csv: %zu rows", rows);
	double ctop = field_max(cd, field_of(cd, "max(q.depth)"), &crows);
	cr_expect_leq(crows, SIM_REDUCE_BUCKETS, "the charts read few rows: %zu", crows);
	cr_expect_gt(top, 300, "the burst backs the queue up: %g", top);
	cr_expect_eq(ctop, top, "the spike's maximum survives: %g, not %g", ctop, top);
	double mtop = field_max(cd, field_of(cd, "mean(q.depth)"), &crows);
	cr_expect_lt(mtop, top / 3, "a bucket's mean alone would hide it: %g", mtop);
	free(ts);
	free(cd);
	char *gp = th_read_in(out, "queue-q.gp");
	cr_assert_not_null(gp);
	cr_expect(strstr(gp, "'charts.csv'") && !strstr(gp, "timeseries.csv"), "%s", gp);
	cr_expect(strstr(gp, "filledcurves"), "min to max shaded: %s", gp);
	free(gp);
}

static double sample_of(const char *yaml, bool *autom)
{
	struct sim_scenario *sc = th_load(yaml, NULL);
	cr_assert_not_null(sc, "%s", yaml);
	double s = sc->sample;
	*autom = sc->sample_auto;
	sim_scenario_free(sc);
	return s;
}

/* The ladder: 1 s, 10 s, 1 min, 10 min, 1 h, then tenfold; at most
 * SIM_SCENARIO_AUTO_ROWS rows. */
Test(sim_longruns, the_interval_ladder)
{
	static const struct { const char *duration; double sample; } cases[] = {
		{ "10m", 1 }, { "100000s", 1 }, { "100001s", 10 }, { "1000000s", 10 },
		{ "1000001s", 60 }, { "6000001s", 600 }, { "60000001s", 3600 }, { "360000001s", 36000 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char yaml[512];
		snprintf(yaml, sizeof yaml, "duration: %s\ncomponents:\n  src: {kind: producer, rate: 1/s, to: q}\n  q: {kind: queue}\n  w: {kind: workers, from: q, count: 1, service: 10ms}\n",
			 cases[i].duration);
		bool autom;
		cr_expect_eq(sample_of(yaml, &autom), cases[i].sample, "%s: %g s", cases[i].duration,
			     sample_of(yaml, &autom));
		cr_expect(autom);
	}
	bool autom;
	cr_expect_eq(sample_of("duration: 100001s\nsample: 1s\ncomponents:\n  src: {kind: producer, rate: 1/s, to: q}\n  q: {kind: queue}\n  w: {kind: workers, from: q, count: 1, service: 10ms}\n",
			       &autom), 1);
	cr_expect(!autom, "an explicit sample is kept as given");
}

/* An explicit `sample` keeps the limit of a million rows, and its error;
 * `--set sample=` is explicit too. */
Test(sim_longruns, an_explicit_sample_still_errors_past_the_limit)
{
	char path[256];
	write_scenario(path, "explicit.yaml", "1400000s", "sample: 1s\n", "");
	const char *args[] = { "check", path, NULL };
	char *err;
	cr_assert_eq(th_sim(args, NULL, &err), 2, "%s", err);
	char want[400];
	snprintf(want, sizeof want, "%s:2:9: error: sample 1 s over duration 1400000 s makes 1400000 time-series rows (at most 1000000): raise 'sample'",
		 path);
	cr_expect(strstr(err, want), "%s", err);
	free(err);
	write_scenario(path, "set.yaml", "1400000s", "", "");
	const char *set[] = { "check", path, "--set", "sample=1s", NULL };
	cr_assert_eq(th_sim(set, NULL, &err), 2, "%s", err);
	cr_expect(strstr(err, "makes 1400000 time-series rows (at most 1000000): raise 'sample'"), "%s", err);
	free(err);
}

/* Ordinary runs say nothing of it and their summary has no new key;
 * --quiet silences the note of a long one. */
Test(sim_longruns, quiet_and_ordinary_runs_state_nothing)
{
	char path[256], out[128];
	write_scenario(path, "short.yaml", "10m", "", "");
	snprintf(out, sizeof out, "%s/short", tmp);
	const char *args[] = { "run", path, "--out", out, "--no-plots", NULL };
	char *err;
	cr_assert_eq(th_sim(args, NULL, &err), 0, "%s", err);
	cr_expect(!strstr(err, "sample"), "%s", err);
	free(err);
	char *sum = th_read_in(out, "summary.json");
	cr_expect(sum && !strstr(sum, "sample"), "%s", sum);
	free(sum);
	write_scenario(path, "long.yaml", "200000s", "", "");
	snprintf(out, sizeof out, "%s/long", tmp);
	const char *quiet[] = { "run", path, "--out", out, "--no-plots", "--quiet", NULL };
	cr_assert_eq(th_sim(quiet, NULL, &err), 0, "%s", err);
	cr_expect_str_eq(err, "", "--quiet prints nothing");
	free(err);
	sum = th_read_in(out, "summary.json");
	cr_expect(sum && strstr(sum, "\"sample_s\": 10,"), "%s", sum);
	free(sum);
}

/* The peak resident memory, in KiB, of `sim run` on a scenario. */
static long peak_kib(const char *path, const char *out)
{
	pid_t pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		execl(getenv("SIM_EXE"), "sim", "run", path, "--out", out, "--no-plots", "--quiet",
		      (char *)NULL);
		_exit(127);
	}
	int st;
	struct rusage ru;
	cr_assert_eq(wait4(pid, &st, 0, &ru), pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "sim run %s: status %d", path, st);
	return ru.ru_maxrss;
}

/* The series is on disk, not in memory: twenty times the rows (400,000
 * of 20 columns, 64 MB when kept) take about the same memory. */
Test(sim_longruns, memory_does_not_grow_with_the_run)
{
	char shortp[256], longp[256], out[128];
	write_scenario(shortp, "short.yaml", "20000s", "sample: 1s\n", "");
	write_scenario(longp, "long.yaml", "400000s", "sample: 1s\n", "");
	snprintf(out, sizeof out, "%s/short", tmp);
	long a = peak_kib(shortp, out);
	snprintf(out, sizeof out, "%s/long", tmp);
	long b = peak_kib(longp, out);
	cr_expect_lt(b, a + 8 * 1024, "peak memory %ld KiB for 20,000 rows, %ld KiB for 400,000", a, b);
	char *ts = th_read_in(out, "timeseries.csv");
	size_t rows;
	cr_assert_not_null(ts);
	field_max(ts, 1, &rows);
	cr_expect_eq(rows, 400000);
	free(ts);
}

/* With replications, each streams its own file; the mean, read back from
 * them, is the same bytes whatever --jobs, and nothing is left behind. */
Test(sim_longruns, replications_stream_and_their_mean_is_the_same_for_any_jobs)
{
	char path[256], a[128], b[128];
	write_scenario(path, "reps.yaml", "150000s", "", "");
	snprintf(a, sizeof a, "%s/a", tmp);
	snprintf(b, sizeof b, "%s/b", tmp);
	const char *one[] = { "run", path, "--reps", "3", "--jobs", "1", "--out", a, "--no-plots", "--quiet", NULL };
	const char *three[] = { "run", path, "--reps", "3", "--jobs", "3", "--out", b, "--no-plots", "--quiet", NULL };
	char *err;
	cr_assert_eq(th_sim(one, NULL, &err), 0, "%s", err);
	free(err);
	cr_assert_eq(th_sim(three, NULL, &err), 0, "%s", err);
	free(err);
	static const char *const files[] = { "timeseries.csv", "charts.csv", "reps/1/timeseries.csv",
					     "reps/3/timeseries.csv" };
	for (size_t i = 0; i < 4; i++) {
		char *x = th_read_in(a, files[i]), *y = th_read_in(b, files[i]);
		cr_assert(x && y, "%s", files[i]);
		cr_expect_str_eq(x, y, "%s differs between --jobs 1 and 3", files[i]);
		free(x);
		free(y);
	}
	char *ts = th_read_in(a, "timeseries.csv"), *r1 = th_read_in(a, "reps/1/timeseries.csv");
	size_t rows, rows1;
	field_max(ts, 1, &rows);
	field_max(r1, 1, &rows1);
	cr_expect_eq(rows, 15000);
	cr_expect_eq(rows1, 15000);
	free(ts);
	free(r1);
	char spill[256];
	snprintf(spill, sizeof spill, "%s/reps/2/.timeseries.csv.spill", a);
	cr_expect_neq(access(spill, F_OK), 0, "the spill files are removed");
}
