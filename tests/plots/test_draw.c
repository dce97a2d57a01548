/* test_draw.c - gnuplot as a child of sim (plots/draw.c): a deadline per
 * chart, one signal stops everything, no process and no unfinished image
 * left behind.  A fake gnuplot first in PATH plays the misbehaving one. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/helpers.h"

static char tmp[64], path_env[256], out[128], pids[128];

static void setup(void)
{
	th_tmpdir(tmp, "sim-draw");
	snprintf(path_env, sizeof path_env, "%s/bin:/usr/bin:/bin", tmp);
	snprintf(out, sizeof out, "%s/out", tmp);
	snprintf(pids, sizeof pids, "%s/pids", tmp);
	unsetenv("SIM_GNUPLOT_TIMEOUT_S");
	th_sim_path = NULL;
}

static void teardown(void)
{
	th_rmtree(tmp);
}

TestSuite(plots_draw, .init = setup, .fini = teardown, .timeout = 120);

/* Puts a gnuplot made of body (sh) first in PATH; it is run as
 * `gnuplot NAME.gp` in the output folder, and logs its pid. */
static void fake_gnuplot(const char *body)
{
	char path[256];
	snprintf(path, sizeof path, "%s/bin", tmp);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/bin/gnuplot", tmp);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "#!/bin/sh\necho $$ >> '%s'\n%s\n", pids, body);
	fclose(f);
	cr_assert_eq(chmod(path, 0755), 0);
	th_sim_path = path_env;
}

/* A gnuplot that never finishes, and a child of its own that would
 * outlive it unless its whole process group is killed. */
static const char hang[] = "sleep 1000 &\necho $! >> \"$PIDS\"\nwait";

static void fake_hanging_gnuplot(void)
{
	char body[256];
	snprintf(body, sizeof body, "PIDS='%s'\n%s", pids, hang);
	fake_gnuplot(body);
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Running: a zombie (killed, not yet reaped by init) does not count. */
static bool alive(pid_t pid)
{
	if (kill(pid, 0) < 0)
		return false;
	char path[64], stat[256] = "";
	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	size_t n = fread(stat, 1, sizeof stat - 1, f);
	fclose(f);
	stat[n] = 0;
	const char *paren = strrchr(stat, ')');
	return !(paren && paren[1] == ' ' && paren[2] == 'Z');
}

/* The pids the fake gnuplots logged; asserts none is running. */
static int expect_all_gone(void)
{
	char *list = th_read(pids, NULL);
	cr_assert_not_null(list, "the fake gnuplot never ran");
	int n = 0;
	for (char *save = NULL, *t = strtok_r(list, "\n", &save); t; t = strtok_r(NULL, "\n", &save)) {
		pid_t pid = (pid_t)atol(t);
		double t0 = now_s();
		while (alive(pid) && now_s() - t0 < 2)
			usleep(10000);
		cr_expect(!alive(pid), "process %ld is left running", (long)pid);
		if (alive(pid))
			kill(pid, SIGKILL);
		n++;
	}
	free(list);
	return n;
}

static bool exists(const char *name)
{
	char path[256];
	struct stat st;
	snprintf(path, sizeof path, "%s/%s", out, name);
	return lstat(path, &st) == 0;
}

/* report.md says the charts were not drawn, and links their scripts. */
static void expect_report_not_drawn(void)
{
	char path[256];
	snprintf(path, sizeof path, "%s/report.md", out);
	char *report = th_read(path, NULL);
	cr_expect(report && strstr(report, "were not drawn"), "%s", report);
	free(report);
}

/* sim run on a short M/M/1 into out, drawing one chart at a time;
 * extra: one more option, or NULL. */
static int run_mm1_with(char **err, const char *extra)
{
	const char *args[] = { "run", "scenarios/mm1.yaml", "--set", "duration=10m", "--out", out,
			       "--quiet", "--jobs", "1", extra, NULL };
	return th_sim(args, NULL, err);
}

static int run_mm1(char **err)
{
	return run_mm1_with(err, NULL);
}

Test(plots_draw, a_hanging_gnuplot_is_killed_at_its_deadline, .timeout = 60)
{
	fake_hanging_gnuplot();
	setenv("SIM_GNUPLOT_TIMEOUT_S", "0.5", 1);
	char *err;
	double t0 = now_s();
	int rc = run_mm1(&err);
	double took = now_s() - t0;
	cr_expect_eq(rc, 0, "charts are not the run: exit 0 with a warning, got %d: %s", rc, err);
	cr_expect_lt(took, 10, "sim took %.1f s", took);
	cr_expect(strstr(err, "sim: warning: gnuplot did not finish ") && strstr(err, "within 0.5 s"),
		  "%s", err);
	free(err);
	/* one gnuplot and its child, then no more charts tried */
	cr_expect_eq(expect_all_gone(), 2);
	cr_expect(exists("throughput.gp") && exists("summary.json"));
	expect_report_not_drawn();
}

/* With --jobs 3, three charts are drawn at once: when one passes its
 * deadline, the others are stopped too and no more is started. */
Test(plots_draw, hanging_gnuplots_drawn_at_once_all_stop_at_the_deadline, .timeout = 60)
{
	fake_hanging_gnuplot();
	setenv("SIM_GNUPLOT_TIMEOUT_S", "0.5", 1);
	char *err;
	const char *args[] = { "run", "scenarios/mm1.yaml", "--set", "duration=10m", "--out", out,
			       "--quiet", "--jobs", "3", NULL };
	double t0 = now_s();
	int rc = th_sim(args, NULL, &err);
	double took = now_s() - t0;
	cr_expect_eq(rc, 0, "charts are not the run: exit 0 with a warning, got %d: %s", rc, err);
	cr_expect_lt(took, 10, "sim took %.1f s", took);
	cr_expect(strstr(err, "within 0.5 s"), "%s", err);
	free(err);
	cr_expect_eq(expect_all_gone(), 6, "three gnuplots and their children, then no more");
	expect_report_not_drawn();
}

Test(plots_draw, a_bad_deadline_is_reported_not_used)
{
	fake_gnuplot("exit 1");
	setenv("SIM_GNUPLOT_TIMEOUT_S", "soon", 1);
	char *err;
	cr_expect_eq(run_mm1(&err), 0);
	cr_expect(strstr(err, "ignoring SIM_GNUPLOT_TIMEOUT_S='soon' (expected seconds > 0)"), "%s", err);
	free(err);
}

/* Starts sim in the background, PATH set to the fake gnuplot's. */
static pid_t start_sim(void)
{
	const char *args[] = { "run", "scenarios/mm1.yaml", "--set", "duration=10m", "--out", out,
			       "--quiet", "--jobs", "1", NULL };
	return th_sim_start(args);
}

static void one_signal_stops_all(int sig)
{
	fake_hanging_gnuplot();
	pid_t sim = start_sim();
	/* wait until the first gnuplot and its child have started */
	double t0 = now_s();
	for (;;) {
		char *list = th_read(pids, NULL);
		int lines = 0;
		for (char *p = list; p && (p = strchr(p, '\n')); p++)
			lines++;
		free(list);
		if (lines >= 2)
			break;
		cr_assert_lt(now_s() - t0, 30, "gnuplot never started");
		usleep(20000);
	}
	kill(sim, sig);
	int st = 0;
	pid_t done = 0;
	for (t0 = now_s(); !done && now_s() - t0 < 5; usleep(10000))
		done = waitpid(sim, &st, WNOHANG);
	if (!done) {
		kill(sim, SIGKILL);
		waitpid(sim, &st, 0);
	}
	cr_expect_eq(done, sim, "one signal did not stop sim within 5 s");
	cr_expect(done != sim || (WIFEXITED(st) && WEXITSTATUS(st) == 128 + sig),
		  "exit status %d, expected %d", WIFEXITED(st) ? WEXITSTATUS(st) : -1, 128 + sig);
	cr_expect_eq(expect_all_gone(), 2, "gnuplot was started again after the signal");
	cr_expect(exists("summary.json") && exists("report.md") && exists("throughput.gp"));
	cr_expect(!exists("queue-line.png"), "a killed gnuplot's image is kept");
}

Test(plots_draw, sigterm_stops_sim_and_its_gnuplot, .timeout = 60)
{
	one_signal_stops_all(SIGTERM);
}

Test(plots_draw, sigint_stops_sim_and_its_gnuplot, .timeout = 60)
{
	one_signal_stops_all(SIGINT);
}

/* Writes the first bytes of a PNG, as gnuplot does before it fails. */
static const char half_png[] = "printf '\\211PNG\\r\\n\\032\\nhalf' > \"${1%.gp}.png\"\n";

Test(plots_draw, a_failing_gnuplot_leaves_no_unfinished_image)
{
	char body[256];
	snprintf(body, sizeof body, "%sexit 1", half_png);
	fake_gnuplot(body);
	char *err;
	cr_expect_eq(run_mm1(&err), 0, "%s", err);
	cr_expect(strstr(err, "sim: warning: gnuplot failed on ") &&
		  strstr(err, "its unfinished image removed"), "%s", err);
	free(err);
	cr_expect(!exists("throughput.png") && !exists("queue-line.png"), "an unfinished image is kept");
	cr_expect(exists("throughput.gp") && exists("gnuplot.log"));
	expect_all_gone();
}

Test(plots_draw, an_image_cut_short_is_removed_though_gnuplot_succeeded)
{
	char body[256];
	snprintf(body, sizeof body, "%sexit 0", half_png);
	fake_gnuplot(body);
	char *err;
	cr_expect_eq(run_mm1(&err), 0, "%s", err);
	cr_expect(strstr(err, "/throughput.png incomplete (is the disk full?"), "%s", err);
	free(err);
	cr_expect(!exists("throughput.png") && !exists("queue-line.png"), "a cut PNG is kept");
	expect_report_not_drawn();
}

Test(plots_draw, an_svg_cut_short_is_removed_though_gnuplot_succeeded)
{
	fake_gnuplot("printf '<svg><g>half of a drawing, cut short' > \"${1%.gp}.svg\"\nexit 0");
	char *err;
	cr_expect_eq(run_mm1_with(&err, "--svg"), 0, "%s", err);
	cr_expect(strstr(err, "/throughput.svg incomplete (is the disk full?"), "%s", err);
	free(err);
	cr_expect(!exists("throughput.svg") && !exists("queue-line.svg"), "a cut SVG is kept");
}

/* The real gnuplot on a full disk: it exits 0 and says nothing.  The
 * run writes into a staging folder of its own, so the image is made to
 * point at /dev/full from there, just before the real gnuplot runs. */
Test(plots_draw, a_full_disk_leaves_no_truncated_png)
{
	char path[256];
	fake_gnuplot("[ \"$1\" = throughput.gp ] && ln -sf /dev/full throughput.png\n"
		     "exec /usr/bin/gnuplot \"$@\"");
	char *err;
	cr_expect_eq(run_mm1(&err), 0, "%s", err);
	cr_expect(strstr(err, "/throughput.png incomplete (is the disk full?"), "%s", err);
	free(err);
	cr_expect(!exists("throughput.png"), "the image that could not be written is kept");
	long size = 0;
	struct stat st;
	snprintf(path, sizeof path, "%s/queue-line.png", out);
	if (stat(path, &st) == 0)
		size = (long)st.st_size;
	cr_expect_gt(size, 1000, "the other charts are drawn");
}
