/* test_outputs.c - what a run leaves in its output folder (sim/output.c,
 * sim/outdir.c, sim/study.c, sim/compare.c): means over the replications
 * that finished only; one run's files per folder, whole; refusals of a
 * folder sim did not write and of a second run into a busy folder; I/O
 * errors reported, not fatal signals. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/helpers.h"

static char tmp[64];

static void setup(void)
{
	th_tmpdir(tmp, "sim-out");
}

static void teardown(void)
{
	th_rmtree(tmp);
}

TestSuite(sim_outputs, .init = setup, .fini = teardown, .timeout = 120);

static bool exists(const char *dir, const char *name)
{
	char path[512];
	struct stat st;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return lstat(path, &st) == 0;
}

/* Nothing of the run's own beside dir: no staging folder, no lock. */
static void nothing_beside(const char *dir)
{
	char parent[64];
	snprintf(parent, sizeof parent, "%s", dir);
	*strrchr(parent, '/') = 0;
	const char *name = strrchr(dir, '/') + 1;
	DIR *d = opendir(parent);
	cr_assert_not_null(d);
	for (struct dirent *e; (e = readdir(d));)
		cr_expect(!(e->d_name[0] == '.' && !strncmp(e->d_name + 1, name, strlen(name))),
			  "left beside the folder: %s", e->d_name);
	closedir(d);
}

/* Sum of a CSV column, and the number of data rows. */
static double column_sum(const char *csv, const char *col, int *rows)
{
	const char *eol = strchr(csv, '\n');
	cr_assert_not_null(eol);
	int idx = 0, at = -1;
	size_t n = strlen(col);
	for (const char *p = csv; p < eol; idx++) {
		const char *end = strpbrk(p, ",\n");
		if ((size_t)(end - p) == n && !strncmp(p, col, n))
			at = idx;
		p = end + 1;
	}
	cr_assert(at >= 0, "no column %s", col);
	double sum = 0;
	*rows = 0;
	for (const char *p = eol + 1; *p; (*rows)++) {
		const char *f = p;
		for (int i = 0; i < at; i++)
			f = strchr(f, ',') + 1;
		sum += strtod(f, NULL);
		p = strchr(p, '\n') + 1;
	}
	return sum;
}

/* Replications 1 and 3 of this scenario reach the item limit, 2 and 4
 * run to the end (seed 1): the means are those of 2 and 4. */
Test(sim_outputs, replications_stopped_by_a_limit_leave_the_means)
{
	const char *args[] = { "run", "tests/scenarios/some-reps-run-away.yaml", "--reps", "4",
			       "--jobs", "2", "--out", tmp, "--no-plots", NULL };
	char *out, *err;
	cr_assert_eq(th_sim(args, &out, &err), 1, "%s", err);
	cr_expect(strstr(out, "2 of 4 replications finished; the figures are means over those 2"), "%s", out);
	free(out);
	free(err);
	char *s = th_read_in(tmp, "summary.json");
	cr_assert_not_null(s);
	cr_expect(strstr(s, "\"replications\": 4,"), "%s", s);
	cr_expect(strstr(s, "\"replications_finished\": 2,"), "%s", s);
	cr_expect(strstr(s, "\"replications_unfinished\": [1, 3],"), "%s", s);
	cr_expect(strstr(s, "\"complete\": false"), "%s", s);
	const char *created = strstr(s, "\"created\": {\"mean\": ");
	cr_assert_not_null(created, "%s", s);
	double mean = strtod(created + strlen("\"created\": {\"mean\": "), NULL);
	cr_expect(!strncmp(strchr(created, '}') - 6, "\"n\": 2}", 7), "n is the number that finished: %.120s",
		  created);

	/* the mean is that of replications 2 and 4, whole runs */
	int rows2, rows4, rows;
	char *r2 = th_read_in(tmp, "reps/2/timeseries.csv"), *r4 = th_read_in(tmp, "reps/4/timeseries.csv");
	cr_assert(r2 && r4);
	double c2 = column_sum(r2, "src.created", &rows2), c4 = column_sum(r4, "src.created", &rows4);
	cr_expect_eq(rows2, 20);
	cr_expect_eq(rows4, 20);
	cr_expect(fabs(mean - (c2 + c4) / 2) < 1e-6, "created mean %.17g, of reps 2 and 4 %.17g", mean,
		  (c2 + c4) / 2);
	char *ts = th_read_in(tmp, "timeseries.csv");
	cr_assert_not_null(ts);
	double depth = column_sum(ts, "q.depth", &rows);
	cr_expect_eq(rows, 20, "the mean series covers the whole run: %d rows", rows);
	cr_expect(fabs(depth - (column_sum(r2, "q.depth", &rows2) + column_sum(r4, "q.depth", &rows4)) / 2) < 1e-6);
	free(ts);
	free(r2);
	free(r4);
	free(s);
	char *r = th_read_in(tmp, "report.md");
	cr_assert_not_null(r);
	cr_expect(strstr(r, "2 of 4 replications finished"), "%s", r);
	free(r);
}

/* SIGINT during a run of 4 replications on 2 threads: whatever finished
 * is averaged, with n saying how many; no replication begins after it. */
Test(sim_outputs, interrupted_replications_leave_the_means)
{
	const char *args[] = { "run", "scenarios/mm1.yaml", "--set", "duration=400h", "--set", "sample=1m", "--reps", "4",
			       "--jobs", "2", "--out", tmp, "--quiet", NULL };
	pid_t pid = th_sim_start(args);
	usleep(1500000);
	kill(pid, SIGINT);
	int st;
	waitpid(pid, &st, 0);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 130, "exit status %d", WEXITSTATUS(st));
	char *s = th_read_in(tmp, "summary.json");
	cr_assert_not_null(s);
	cr_expect(strstr(s, "\"complete\": false"), "%s", s);
	const char *fin = strstr(s, "\"replications_finished\": ");
	cr_assert_not_null(fin, "%s", s);
	int n = atoi(fin + strlen("\"replications_finished\": "));
	cr_assert(n < 4, "%d", n);
	cr_expect(!exists(tmp, "reps/3") && !exists(tmp, "reps/4"),
		  "replications 3 and 4 never began, so left nothing");
	if (n == 0) {
		cr_expect(!strstr(s, "\"components\""), "no figures when none finished: %s", s);
		cr_expect(!exists(tmp, "timeseries.csv"), "no mean series when none finished");
		char *r = th_read_in(tmp, "report.md");
		cr_assert_not_null(r);
		cr_expect(strstr(r, "None of the 4 replications finished"), "%s", r);
		free(r);
	} else {
		char want[64];
		snprintf(want, sizeof want, "\"n\": %d}", n);
		cr_expect(strstr(strstr(s, "\"created\""), want), "n = %d: %s", n, s);
	}
	free(s);
}

Test(sim_outputs, a_run_replaces_the_previous_runs_files)
{
	const char *three[] = { "run", "scenarios/mm1.yaml", "--set", "duration=10m", "--reps", "3",
				"--out", tmp, "--quiet", NULL };
	cr_assert_eq(th_sim(three, NULL, NULL), 0);
	cr_assert(exists(tmp, "reps/3/timeseries.csv"));
	const char *one[] = { "run", "scenarios/mm1.yaml", "--set", "duration=10m", "--out", tmp,
			      "--quiet", "--no-plots", NULL };
	cr_assert_eq(th_sim(one, NULL, NULL), 0);
	cr_expect(!exists(tmp, "reps"), "the earlier run's reps/ stayed behind");
	DIR *d = opendir(tmp);
	cr_assert_not_null(d);
	for (struct dirent *e; (e = readdir(d));) {
		size_t n = strlen(e->d_name);
		cr_expect(n < 4 || (strcmp(e->d_name + n - 4, ".png") && strcmp(e->d_name + n - 4, ".svg")),
			  "an earlier run's chart stayed behind: %s", e->d_name);
	}
	closedir(d);
	char *m = th_read_in(tmp, ".sim-run");
	cr_assert_not_null(m, "no marker");
	cr_expect_str_eq(m, "{\"written_by\": \"sim\", \"command\": \"run\", \"complete\": true}\n");
	free(m);
	nothing_beside(tmp);
}

Test(sim_outputs, a_folder_sim_did_not_write_is_refused)
{
	char notes[128];
	snprintf(notes, sizeof notes, "%s/notes.txt", tmp);
	FILE *f = fopen(notes, "w");
	cr_assert_not_null(f);
	fputs("mine\n", f);
	fclose(f);
	const char *args[] = { "run", "scenarios/mm1.yaml", "--set", "duration=10m", "--out", tmp, NULL };
	char *err;
	cr_assert_eq(th_sim(args, NULL, &err), 2, "%s", err);
	cr_expect(strstr(err, "exists, is not empty and was not written by sim"), "%s", err);
	free(err);
	cr_expect(!exists(tmp, "summary.json"));
	char *kept = th_read(notes, NULL);
	cr_expect(kept && !strcmp(kept, "mine\n"));
	free(kept);
	const char *cmp[] = { "compare", "scenarios/mm1.yaml", "--set", "duration=10m", "--out", tmp, NULL };
	cr_assert_eq(th_sim(cmp, NULL, &err), 2, "%s", err);
	free(err);
	cr_expect(!exists(tmp, "baseline"));
}

Test(sim_outputs, a_second_run_into_a_busy_folder_is_refused)
{
	/* a run under way holds PARENT/.NAME.lock: here the test holds it */
	char lock[128];
	snprintf(lock, sizeof lock, "%s", tmp);
	char *slash = strrchr(lock, '/');
	memmove(slash + 2, slash + 1, strlen(slash + 1) + 1);
	slash[1] = '.';
	strcat(lock, ".lock");
	int fd = open(lock, O_RDWR | O_CREAT, 0666);
	cr_assert(fd >= 0);
	cr_assert_eq(flock(fd, LOCK_EX), 0);
	const char *args[] = { "run", "scenarios/mm1.yaml", "--set", "duration=10m", "--out", tmp, NULL };
	char *err;
	cr_assert_eq(th_sim(args, NULL, &err), 2, "%s", err);
	cr_expect(strstr(err, "is in use by another sim run"), "%s", err);
	free(err);
	cr_expect(!exists(tmp, "summary.json"));
	close(fd);
	cr_assert_eq(th_sim(args, NULL, NULL), 0, "free again once the lock is released");
	cr_expect(exists(tmp, "summary.json"));
	unlink(lock);
}

/* Killed outright half way: the folder still holds the previous run,
 * whole; the next run clears what the killed one left. */
Test(sim_outputs, a_killed_run_leaves_the_previous_one_whole)
{
	const char *first[] = { "run", "scenarios/mm1.yaml", "--set", "duration=10m", "--out", tmp,
				"--quiet", "--no-plots", NULL };
	cr_assert_eq(th_sim(first, NULL, NULL), 0);
	char *sum = th_read_in(tmp, "summary.json"), *csv = th_read_in(tmp, "timeseries.csv");
	const char *second[] = { "run", "scenarios/mm1.yaml", "--set", "duration=200h", "--reps", "2",
				 "--out", tmp, "--quiet", NULL };
	pid_t pid = th_sim_start(second);
	usleep(700000);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	char *sum2 = th_read_in(tmp, "summary.json"), *csv2 = th_read_in(tmp, "timeseries.csv");
	cr_expect(sum2 && !strcmp(sum, sum2), "summary.json changed");
	cr_expect(csv2 && !strcmp(csv, csv2), "timeseries.csv changed");
	cr_expect(!exists(tmp, "reps"));
	free(sum2);
	free(csv2);
	cr_assert_eq(th_sim(first, NULL, NULL), 0);
	nothing_beside(tmp);
	free(sum);
	free(csv);
}

Test(sim_outputs, a_compare_replaces_its_variant_folders)
{
	const char *two[] = { "compare", "scenarios/mm1.yaml", "--set", "duration=10m",
			      "--variants", "baseline,busier", "--out", tmp, "--quiet", "--no-plots", NULL };
	cr_assert_eq(th_sim(two, NULL, NULL), 0);
	cr_assert(exists(tmp, "busier/summary.json"));
	const char *one[] = { "compare", "scenarios/mm1.yaml", "--set", "duration=10m",
			      "--variants", "baseline", "--out", tmp, "--quiet", "--no-plots", NULL };
	cr_assert_eq(th_sim(one, NULL, NULL), 0);
	cr_expect(exists(tmp, "baseline/summary.json"));
	cr_expect(!exists(tmp, "busier"), "the earlier compare's variant stayed behind");
	cr_expect(!exists(tmp, "baseline/.sim-run"), "the marker is the whole folder's");
	char *m = th_read_in(tmp, ".sim-run");
	cr_assert_not_null(m);
	cr_expect(strstr(m, "\"command\": \"compare\""), "%s", m);
	free(m);
}

/* A variant stopped by a limit says where its outputs are: the folder
 * they are moved to at the end, not the staging folder they were
 * written in, which is gone by then.  The comparison stops there, as
 * one run after another would: of the variant that ran beside it and
 * whose folder is removed, nothing is said. */
Test(sim_outputs, a_stopped_variant_names_its_final_folder)
{
	const char *args[] = { "compare", "scenarios/mm1.yaml", "--variants", "baseline,busier",
			       "--set", "limits.max_events=20k", "--out", tmp, "--quiet",
			       "--no-plots", "--jobs", "2", NULL };
	char *err = NULL;
	cr_assert_eq(th_sim(args, NULL, &err), 1, "%s", err);
	char want[256];
	snprintf(want, sizeof want, "outputs so far are in %s/baseline/ (marked", tmp);
	cr_expect(strstr(err, want), "%s", err);
	cr_expect(!strstr(err, "staging"), "%s", err);
	cr_expect(!strstr(err, "busier"), "%s", err);
	cr_expect(exists(tmp, "baseline/summary.json"), "the folder the message names");
	cr_expect(!exists(tmp, "busier"));
	free(err);
}

/* The same of a boundary's point. */
Test(sim_outputs, a_stopped_boundary_point_names_its_final_folder)
{
	const char *args[] = { "boundary", "scenarios/mm1.yaml", "--vary",
			       "arrivals.rate=50..80", "--reps", "2", "--budget", "4", "--set",
			       "limits.max_events=20k", "--out", tmp, "--quiet", NULL };
	char *err = NULL;
	th_sim(args, NULL, &err);
	char want[256];
	snprintf(want, sizeof want, "outputs so far are in %s/points/rate=50/ (marked", tmp);
	cr_expect(strstr(err, want), "%s", err);
	cr_expect(!strstr(err, "staging"), "%s", err);
	cr_expect(exists(tmp, "points/rate=50/summary.json"), "the folder the message names");
	free(err);
}

/* No file left anywhere under dir whose name has ".tmp" in it. */
static void no_tmp_files(const char *dir)
{
	DIR *d = opendir(dir);
	cr_assert_not_null(d, "%s", dir);
	for (struct dirent *e; (e = readdir(d));) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		cr_expect(!strstr(e->d_name, ".tmp"), "left behind: %s/%s", dir, e->d_name);
		char sub[512];
		struct stat st;
		snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
		if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
			no_tmp_files(sub);
	}
	closedir(d);
}

Test(sim_outputs, a_file_size_limit_is_an_io_error)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd,
		 "ulimit -f 16; exec \"$SIM_EXE\" run scenarios/mm1.yaml --set duration=1h --out %s --quiet --no-plots 2>%s.err",
		 tmp, tmp);
	pid_t pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		if (chdir(th_source_root()) < 0)
			_exit(127);
		execl("/bin/bash", "bash", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	int st;
	waitpid(pid, &st, 0);
	cr_assert(WIFEXITED(st), "killed by signal %d", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	cr_expect_eq(WEXITSTATUS(st), 1);
	char errpath[128];
	snprintf(errpath, sizeof errpath, "%s.err", tmp);
	char *err = th_read(errpath, NULL);
	unlink(errpath);
	cr_assert_not_null(err);
	cr_expect(strstr(err, "sim: I/O error writing ") && strstr(err, "timeseries.csv: File too large"),
		  "%s", err);
	free(err);
	char *s = th_read_in(tmp, "summary.json");
	cr_assert_not_null(s);
	cr_expect(strstr(s, "\"complete\": false"), "%s", s);
	free(s);
	char *m = th_read_in(tmp, ".sim-run");
	cr_expect(m && strstr(m, "\"complete\": false"), "%s", m);
	free(m);
	cr_expect(!exists(tmp, "timeseries.csv"));
	no_tmp_files(tmp);
}
