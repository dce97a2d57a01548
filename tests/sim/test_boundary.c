/* test_boundary.c - the recovery boundary: the bisection on its own
 * (sim/bisect.c), then `sim boundary` end to end on a model whose
 * boundary is known in closed form (tests/scenarios/boundary-dd1.yaml). */
#include <criterion/criterion.h>
#include <glob.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "sim/bisect.h"
#include "tests/helpers.h"

/* ---- the search on its own ------------------------------------------------ */

/* A threshold with no noise: every replication recovers up to t. */
struct threshold {
	double t;
	size_t calls;
	int stop_at;			/* > 0: stop on that call with 130 */
};

static int step(void *ctx, double x, struct sim_bisect_point *out)
{
	struct threshold *th = ctx;
	th->calls++;
	if (th->stop_at && (int)th->calls == th->stop_at)
		return 130;
	out->n = 5;
	out->k = x <= th->t ? 5 : 0;
	return 0;
}

static struct sim_bisect_result res;

Test(bisect, wilson_matches_the_formula)
{
	double lo, hi;
	sim_wilson(5, 10, SIM_BISECT_Z95, &lo, &hi);
	cr_expect(fabs(lo - 0.236593) < 1e-5 && fabs(hi - 0.763407) < 1e-5, "5/10: %g %g", lo, hi);
	sim_wilson(0, 10, SIM_BISECT_Z95, &lo, &hi);
	cr_expect(lo == 0 && fabs(hi - 0.277533) < 1e-5, "0/10: %g %g", lo, hi);
	sim_wilson(10, 10, SIM_BISECT_Z95, &lo, &hi);
	cr_expect(fabs(lo - 0.722467) < 1e-5 && hi == 1, "10/10: %g %g", lo, hi);
	sim_wilson(7, 7, SIM_BISECT_Z95, &lo, &hi);
	cr_expect(lo > 0.5, "7 of 7 is surely above a half: %g", lo);
	sim_wilson(1, 1, SIM_BISECT_Z95, &lo, &hi);
	cr_expect(lo < 0.5, "one replication is never sure: %g", lo);
	cr_expect_eq(sim_bisect_sure_reps(0.5), 4, "4 of 4: %u", sim_bisect_sure_reps(0.5));
	cr_expect_eq(sim_bisect_sure_reps(0.9), 35);
}

/* The threshold is found within tol, in about log2(range / width) points. */
static void finds(double lo, double hi, double t, double tol)
{
	struct threshold th = { .t = t };
	struct sim_bisect_opts o = { .lo = lo, .hi = hi, .tol = tol, .level = 0.5, .reps = 5,
				     .budget = 100000 };
	cr_assert_eq(sim_bisect_run(&o, step, &th, &res), 0);
	cr_assert_eq(res.status, SIM_BISECT_NARROW, "status %d", res.status);
	cr_expect(res.lo <= t && t < res.hi, "bracket %g..%g misses %g", res.lo, res.hi, t);
	cr_expect(res.hi - res.lo <= tol * res.hi, "bracket %g..%g wider than %g", res.lo, res.hi, tol);
	/* halving a range spanning more than a decade by ratio, else by width */
	double halvings = lo > 0 && hi / lo > 10 ? log2(log(hi / lo) / log1p(tol))
						 : log2((hi - lo) / (tol * t));
	cr_expect(res.npoints <= 2 + (size_t)ceil(halvings) + 1,
		  "%zu points for %.1f halvings", res.npoints, halvings);
	cr_expect_eq(res.runs, 5 * res.npoints);
	cr_expect_eq(th.calls, res.npoints);
	/* five of five and none of five are sure: the interval is the bracket */
	cr_expect(res.ci_lo == res.lo && res.ci_hi == res.hi, "interval %g..%g, bracket %g..%g",
		  res.ci_lo, res.ci_hi, res.lo, res.hi);
	cr_expect(res.monotone);
	cr_expect(res.lo <= res.estimate && res.estimate <= res.hi);
}

Test(bisect, finds_a_threshold_within_tol_in_log_steps)
{
	finds(0, 50, 17.3, 0.001);
	finds(100, 10000, 2385, 0.01);
	finds(1000, 3000, 2918.7, 0.05);
}

Test(bisect, budget_spent_reports_the_bracket_reached)
{
	struct threshold th = { .t = 2385 };
	struct sim_bisect_opts o = { .lo = 1000, .hi = 3000, .tol = 0.001, .level = 0.5, .reps = 5,
				     .budget = 23 };	/* the two ends and two points, not a fifth */
	cr_assert_eq(sim_bisect_run(&o, step, &th, &res), 0);
	cr_expect_eq(res.status, SIM_BISECT_BUDGET);
	cr_expect_eq(res.npoints, 4);
	cr_expect_eq(res.runs, 20);
	/* 1000..3000, then 2000 recovers, 2500 does not */
	cr_expect(res.lo == 2000 && res.hi == 2500, "bracket %g..%g", res.lo, res.hi);
	cr_expect(res.ci_lo == 2000 && res.ci_hi == 2500);
}

Test(bisect, says_when_the_range_holds_no_crossing)
{
	struct threshold th = { .t = 5000 };
	struct sim_bisect_opts o = { .lo = 1000, .hi = 3000, .tol = 0.01, .level = 0.5, .reps = 5,
				     .budget = 100 };
	cr_assert_eq(sim_bisect_run(&o, step, &th, &res), 0);
	cr_expect_eq(res.status, SIM_BISECT_ALL_RECOVER);
	cr_expect_eq(res.npoints, 2);
	th.t = 500;
	cr_assert_eq(sim_bisect_run(&o, step, &th, &res), 0);
	cr_expect_eq(res.status, SIM_BISECT_NONE_RECOVER);
	cr_expect_eq(res.npoints, 2);
}

Test(bisect, whole_numbers_end_at_neighbours)
{
	struct threshold th = { .t = 37 };
	struct sim_bisect_opts o = { .lo = 1, .hi = 100, .tol = 0.0001, .level = 0.5, .reps = 5,
				     .budget = 1000, .whole = true };
	cr_assert_eq(sim_bisect_run(&o, step, &th, &res), 0);
	cr_expect_eq(res.status, SIM_BISECT_NARROW);
	cr_expect(res.lo == 37 && res.hi == 38, "bracket %g..%g", res.lo, res.hi);
	for (size_t i = 0; i < res.npoints; i++)
		cr_expect_eq(res.points[i].x, floor(res.points[i].x));
}

Test(bisect, a_stop_from_the_callback_is_returned)
{
	struct threshold th = { .t = 2385, .stop_at = 4 };
	struct sim_bisect_opts o = { .lo = 1000, .hi = 3000, .tol = 0.001, .level = 0.5, .reps = 5,
				     .budget = 1000 };
	cr_expect_eq(sim_bisect_run(&o, step, &th, &res), 130);
	cr_expect_eq(res.npoints, 3);
}

/* A noisy crossing: the interval needs sure points on both sides. */
static int noisy(void *ctx, double x, struct sim_bisect_point *out)
{
	(void)ctx;
	out->n = 10;
	out->k = x < 40 ? 10 : x < 60 ? 6 : x < 70 ? 3 : 0;
	return 0;
}

Test(bisect, the_interval_ends_at_sure_points)
{
	struct sim_bisect_opts o = { .lo = 0, .hi = 100, .tol = 0.01, .level = 0.5, .reps = 10,
				     .budget = 1000 };
	cr_assert_eq(sim_bisect_run(&o, noisy, NULL, &res), 0);
	/* the shares cross 50% at 60; 6 of 10 and 3 of 10 are not sure */
	cr_expect(res.lo < 60 && res.hi >= 60, "bracket %g..%g", res.lo, res.hi);
	/* the budget left narrows the interval to where the shares become
	 * sure, 40 and 70, within the tolerance */
	cr_expect(res.ci_lo < 40 && res.ci_lo >= 40 * 0.99 - 0.5, "interval %g..%g", res.ci_lo, res.ci_hi);
	cr_expect(res.ci_hi >= 70 && res.ci_hi <= 70 / 0.99 + 0.5, "interval %g..%g", res.ci_lo, res.ci_hi);
	/* without budget left it stays where the bisection left it */
	o.budget = 100;	/* the ends and 8 halvings of 0..100 to within 1% */
	sim_bisect_run(&o, noisy, NULL, &res);
	cr_expect(res.ci_lo == 0 && res.ci_hi == 75, "interval %g..%g", res.ci_lo, res.ci_hi);
}

/* ---- sim boundary ---------------------------------------------------------- */

static char tmp[64];

static void setup(void)
{
	th_tmpdir(tmp, "sim-boundary");
}

static void teardown(void)
{
	th_rmtree(tmp);
}

TestSuite(boundary, .init = setup, .fini = teardown, .timeout = 300);

#define DD1 "tests/scenarios/boundary-dd1.yaml"

/* Runs sim boundary DD1 with args (NULL-ended, at most 20) into tmp/sub;
 * the exit status, stderr in *err (malloc'd; NULL: freed). */
static int boundary(const char *sub, const char *const *args, char **err)
{
	const char *argv[32] = { "boundary", DD1, "--out" };
	char out[128];
	snprintf(out, sizeof out, "%s/%s", tmp, sub);
	argv[3] = out;
	size_t n = 4;
	for (size_t i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	char *e = NULL, *o = NULL;
	int rc = th_sim(argv, &o, &e);
	free(o);
	if (err)
		*err = e;
	else
		free(e);
	return rc;
}

static char *file_in(const char *sub, const char *name)
{
	char dir[128];
	snprintf(dir, sizeof dir, "%s/%s", tmp, sub);
	char *s = th_read_in(dir, name);
	cr_assert_not_null(s, "no %s/%s", dir, name);
	return s;
}

/* Runs a search that must succeed; the file name of its outputs. */
static char *search_file(const char *sub, const char *const *args, const char *name)
{
	char *err;
	cr_assert_eq(boundary(sub, args, &err), 0, "%s", err);
	free(err);
	return file_in(sub, name);
}

/* A number of boundary.json, NaN when null. */
static double json_num(const char *json, const char *key)
{
	char want[96];
	snprintf(want, sizeof want, "\"%s\": ", key);
	const char *p = strstr(json, want);
	cr_assert_not_null(p, "no %s in %s", key, json);
	p += strlen(want);
	return strncmp(p, "null", 4) ? strtod(p, NULL) : NAN;
}

/* The closed form (the scenario's comment): lambda2* = mu + (duration -
 * window end - hold) * (mu - lambda1) / T.  Recovery is judged on 1 s
 * samples: the drain may read up to 2 s off, (mu - lambda1) / T * 2 s in
 * lambda2. */
static double truth(double hold_s)
{
	return 100 + (300 - 90 - hold_s) * 50 / 30;
}

#define SLOP (50.0 / 30 * 2)

static double interval_brackets(const char *sub, double hold_s)
{
	char *json = file_in(sub, "boundary.json");
	double lo = json_num(json, "interval_lo"), hi = json_num(json, "interval_hi");
	double est = json_num(json, "estimate"), t = truth(hold_s);
	cr_expect(lo - SLOP <= t && t <= hi + SLOP, "hold %g s: 95%% interval %g..%g misses %g", hold_s,
		  lo, hi, t);
	cr_expect(lo <= est && est <= hi);
	cr_expect(strstr(json, "\"status\": \"narrow\""), "%s", json);
	free(json);
	return est;
}

Test(boundary, brackets_the_closed_form_and_is_monotone_in_the_hold)
{
	const char *a60[] = { "--vary", "src.schedule.0.rate=150/s..600/s", "--reps", "5", "--tol",
			      "0.01", "--no-plots", NULL };
	char *err;
	cr_assert_eq(boundary("h60", a60, &err), 0, "%s", err);
	free(err);
	double e60 = interval_brackets("h60", 60);
	char *md = file_in("h60", "boundary.md");
	cr_expect(strstr(md, "recovers (in at least half of the runs) up to src.schedule.0.rate = "),
		  "%s", md);
	cr_expect(strstr(md, "/s, 95%)"), "%s", md);
	cr_expect(strstr(md, "the base rate of 50/s, lasting 30s"), "%s", md);
	free(md);
	/* a longer hold demanded leaves less time to drain: a smaller boundary */
	const char *a90[] = { "--vary", "src.schedule.0.rate=150/s..600/s", "--reps", "5", "--tol",
			      "0.01", "--no-plots", "--set", "report.recovery.0.hold=90s", NULL };
	cr_assert_eq(boundary("h90", a90, &err), 0, "%s", err);
	free(err);
	double e90 = interval_brackets("h90", 90);
	cr_expect(e90 < e60 - 20, "hold 90 s: %g, hold 60 s: %g", e90, e60);
	char *csv = file_in("h60", "boundary.csv");
	cr_expect(!strncmp(csv, "src.schedule.0.rate,replications,recovered,recovered_share,wilson_lo,wilson_hi,recovery_time_p50_s,stopped_by_limit\n150/s,5,5,1,0.5", 100),
		  "%s", csv);
	cr_expect(strstr(csv, "\n600/s,5,0,0,0,"), "%s", csv);
	free(csv);
}

Test(boundary, says_when_the_range_holds_no_crossing)
{
	const char *all[] = { "--vary", "src.schedule.0.rate=150/s..300/s", "--reps", "5", "--no-plots", NULL };
	char *md = search_file("all", all, "boundary.md");
	cr_expect(strstr(md, "recovers across the whole range: at the high end src.schedule.0.rate = 300/s, 5 of 5 replications recovered"),
		  "%s", md);
	free(md);
	const char *none[] = { "--vary", "src.schedule.0.rate=400/s..600/s", "--reps", "5", "--no-plots", NULL };
	md = search_file("none", none, "boundary.md");
	cr_expect(strstr(md, "does not recover even at the low end: at src.schedule.0.rate = 400/s, 0 of 5"),
		  "%s", md);
	free(md);
}

Test(boundary, a_spent_budget_reports_the_bracket)
{
	const char *args[] = { "--vary", "src.schedule.0.rate=150/s..600/s", "--reps", "5",
			       "--budget", "20", "--no-plots", NULL };
	char *json = search_file("b", args, "boundary.json");
	cr_expect(strstr(json, "\"status\": \"budget\""), "%s", json);
	/* 150, 600, then 375 fails, 262.5 recovers */
	cr_expect(json_num(json, "bracket_lo") == 262.5 && json_num(json, "bracket_hi") == 375, "%s", json);
	cr_expect(json_num(json, "runs") == 20);
	free(json);
	char *md = file_in("b", "boundary.md");
	cr_expect(strstr(md, "the budget of runs ran out"), "%s", md);
	free(md);
}

/* Common random numbers: the same seed gives the same search, whatever
 * --jobs; a search run again reads its points back, and writes the same. */
Test(boundary, same_seed_same_search_and_resumes)
{
	const char *j1[] = { "--variant", "random", "--vary", "src.schedule.0.rate=150/s..600/s",
			     "--reps", "6", "--seed", "7", "--jobs", "1", "--no-plots", NULL };
	const char *j2[] = { "--variant", "random", "--vary", "src.schedule.0.rate=150/s..600/s",
			     "--reps", "6", "--seed", "7", "--jobs", "2", "--no-plots", NULL };
	cr_assert_eq(boundary("a", j1, NULL), 0);
	cr_assert_eq(boundary("b", j2, NULL), 0);
	const char *files[] = { "boundary.csv", "boundary.md", "boundary.json", NULL };
	for (size_t i = 0; files[i]; i++) {
		char *a = file_in("a", files[i]), *b = file_in("b", files[i]);
		cr_expect_str_eq(a, b, "%s differs between two searches", files[i]);
		free(a);
		free(b);
	}
	char *err, *before = file_in("a", "boundary.csv");
	cr_assert_eq(boundary("a", j2, &err), 0);
	size_t rows = 0;
	for (const char *c = before; *c; c++)
		rows += *c == '\n';
	char said[128];
	snprintf(said, sizeof said, "sim: %zu points read back from the previous", rows - 1);
	cr_expect(strstr(err, said), "%s", err);
	cr_expect(!strstr(err, "recovered\n") || strstr(err, "(read back)"), "%s", err);
	char *after = file_in("a", "boundary.csv");
	cr_expect_str_eq(before, after);
	free(err);
	free(before);
	free(after);
	/* another seed is another set of runs: nothing read back */
	const char *s8[] = { "--variant", "random", "--vary", "src.schedule.0.rate=150/s..600/s",
			     "--reps", "6", "--seed", "8", "--no-plots", NULL };
	cr_assert_eq(boundary("a", s8, &err), 0);
	cr_expect(!strstr(err, "read back from"), "%s", err);
	free(err);
}

/* Whether some point of a search under way into tmp/sub is written. */
static bool a_point_written(const char *sub)
{
	char pattern[256];
	snprintf(pattern, sizeof pattern, "%s/.%s.staging-*/boundary.csv", tmp, sub);
	glob_t g;
	bool found = glob(pattern, 0, NULL, &g) == 0;
	if (found)
		globfree(&g);
	return found;
}

/* Ctrl-C keeps the points run; the same command goes on from them and
 * ends where a search never stopped ends. */
Test(boundary, an_interrupted_search_resumes)
{
	char out[128];
	snprintf(out, sizeof out, "%s/i", tmp);
	const char *argv[] = { "boundary", DD1, "--out", out, "--variant", "random", "--vary",
			       "src.schedule.0.rate=150/s..600/s", "--reps", "40", "--jobs", "1",
			       "--no-plots", NULL };
	pid_t pid = th_sim_start(argv);
	struct timespec ms = { 0, 10000000 };
	for (int i = 0; i < 6000 && !a_point_written("i"); i++)
		nanosleep(&ms, NULL);
	kill(pid, SIGINT);
	int status;
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 130, "status %d", status);
	char *md = file_in("i", "boundary.md"), *part = file_in("i", "boundary.csv");
	cr_expect(strstr(md, "**Interrupted:**"), "%s", md);
	size_t rows = 0;
	for (const char *c = part; *c; c++)
		rows += *c == '\n';
	cr_assert(rows >= 2, "%s", part);
	char *err, *o;
	cr_assert_eq(th_sim(argv, &o, &err), 0, "%s", err);
	char said[128];
	snprintf(said, sizeof said, "sim: %zu point%s read back", rows - 1, rows == 2 ? "" : "s");
	cr_expect(strstr(err, said), "wanted '%s' in %s", said, err);
	char *resumed = file_in("i", "boundary.csv");
	cr_expect(!strncmp(resumed, part, strlen(part)), "the points kept come first");
	const char *fresh[] = { "--variant", "random", "--vary", "src.schedule.0.rate=150/s..600/s",
				"--reps", "40", "--jobs", "2", "--no-plots", NULL };
	char *whole = search_file("f", fresh, "boundary.csv");
	cr_expect_str_eq(resumed, whole);
	free(md);
	free(part);
	free(err);
	free(o);
	free(resumed);
	free(whole);
}

Test(boundary, two_keys_map_the_region)
{
	const char *args[] = { "--vary", "src.schedule.0.rate=150/s..600/s", "--vary",
			       "src.schedule.0.for=10s..40s", "--reps", "5", "--budget", "150", NULL };
	char *json = search_file("map", args, "boundary.json");
	/* three lines: the spike lasting 10 s, 25 s and 40 s; T = 40 s:
	 * 100 + 150 * 50 / 40 = 287.5/s */
	cr_expect(strstr(json, "\"src.schedule.0.for\": \"10s\""), "%s", json);
	cr_expect(strstr(json, "\"src.schedule.0.for\": \"40s\""), "%s", json);
	free(json);
	char *gp = file_in("map", "boundary-map.gp");
	cr_expect(strstr(gp, "set ylabel 'src.schedule.0.for (s)'"), "%s", gp);
	free(gp);
}

static void bad(const char *const *args, const char *says)
{
	char *err;
	cr_expect_eq(boundary("bad", args, &err), 2, "%s", err);
	cr_expect(strstr(err, "error: "), "%s", err);
	cr_expect(strstr(err, says), "wanted '%s' in: %s", says, err);
	free(err);
}

Test(boundary, bad_input_is_an_error)
{
	const char *lohi[] = { "--vary", "src.schedule.0.rate=600/s..150/s", NULL };
	bad(lohi, "LO must be below HI");
	const char *same[] = { "--vary", "src.schedule.0.rate=300/s..300/s", NULL };
	bad(same, "LO must be below HI");
	const char *words[] = { "--vary", "src.schedule.0.rate=low..high", NULL };
	bad(words, "the ends must be numbers");
	const char *list[] = { "--vary", "src.rate=1,2,3", NULL };
	bad(list, "--vary needs KEY=LO..HI");
	const char *text[] = { "--vary", "src.to=1..2", NULL };
	bad(text, "boundary-dd1.yaml:21:9: error: --vary src.to: the scenario gives 'q' here");
	const char *unknown[] = { "--vary", "src.rat=1..2", NULL };
	bad(unknown, "unknown key 'rat'");
	const char *crit[] = { "--vary", "src.schedule.0.rate=150/s..600/s", "--criterion", "q.dept", NULL };
	bad(crit, "--criterion 'q.dept' is not a time-series column of the scenario (did you mean 'q.depth'?)");
	const char *none[] = { "--reps", "5", NULL };
	bad(none, "boundary needs a --vary KEY=LO..HI");
	const char *three[] = { "--vary", "src.rate=1..2", "--vary", "w.count=1..2", "--vary",
				"src.schedule.0.for=1s..2s", NULL };
	bad(three, "one or two --vary");
	const char *budget[] = { "--vary", "src.schedule.0.rate=150/s..600/s", "--budget", "15", NULL };
	bad(budget, "--budget 15 runs cannot pay for the two ends");
	const char *tol[] = { "--vary", "src.schedule.0.rate=150/s..600/s", "--tol", "0", NULL };
	bad(tol, "bad value '0' for --tol");
	const char *level[] = { "--vary", "src.schedule.0.rate=150/s..600/s", "--level", "1", NULL };
	bad(level, "bad value '1' for --level");
	const char *outside[] = { "--vary", "w.count=0..5", NULL };
	bad(outside, "error:");
}

Test(boundary, a_criterion_that_is_a_column_is_judged_alone)
{
	const char *args[] = { "--vary", "src.schedule.0.rate=150/s..600/s", "--reps", "5",
			       "--criterion", "q.depth", "--no-plots", NULL };
	char *md = search_file("c", args, "boundary.md");
	cr_expect(strstr(md, "Criterion: `q.depth`."), "%s", md);
	free(md);
}

/* A run a limit stops has not recovered, and the outputs count it. */
Test(boundary, a_run_stopped_by_a_limit_is_not_recovered)
{
	const char *args[] = { "--vary", "src.schedule.0.rate=150/s..600/s", "--reps", "4",
			       "--set", "limits.max_events=40000", "--no-plots", NULL };
	char *csv = search_file("l", args, "boundary.csv"), *md = file_in("l", "boundary.md");
	cr_expect(strstr(csv, "\n150/s,4,4,1,0.5101091635,1,30,0\n"), "%s", csv);
	cr_expect(strstr(csv, "\n600/s,4,0,0,0,0.4898908365,,4\n"), "%s", csv);
	cr_expect(strstr(md, "runs were stopped by a limit** and count as not recovered"), "%s", md);
	free(csv);
	free(md);
}
