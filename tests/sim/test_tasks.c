/* test_tasks.c - compare and sweep run every replication of every
 * configuration as one pool of tasks: whatever --jobs is, the files and
 * what is said on stdout are the same, byte for byte. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/helpers.h"
#include "tests/sim/samedir.h"

/* Runs args with "--jobs J --out DIR" appended; the exit status, stdout. */
static int run_jobs(const char *const *args, const char *jobs, const char *dir, char **out)
{
	const char *argv[40];
	int n = 0;
	for (; args[n]; n++)
		argv[n] = args[n];
	argv[n++] = "--jobs";
	argv[n++] = jobs;
	argv[n++] = "--out";
	argv[n++] = dir;
	argv[n] = NULL;
	return th_sim(argv, out, NULL);
}

/* Runs args with --jobs 1 and 3, each exiting with status want, and
 * compares what they wrote and said; gone (NULL: none) must not be in
 * the folder of --jobs 3. */
static void same_status_any_jobs(const char *const *args, int want, int min_files,
				 const char *gone)
{
	char a[256], b[256];
	th_tmpdir(a, "tasks-a");
	th_tmpdir(b, "tasks-b");
	char *oa, *ob;
	cr_assert_eq(run_jobs(args, "1", a, &oa), want);
	cr_assert_eq(run_jobs(args, "3", b, &ob), want);
	if (gone) {
		char path[512];
		snprintf(path, sizeof path, "%s/%s", b, gone);
		cr_expect_neq(access(path, F_OK), 0, "%s was kept", gone);
	}
	th_same_outputs(a, oa, b, ob, min_files);
}

static void same_any_jobs(const char *const *args, int min_files)
{
	same_status_any_jobs(args, 0, min_files, NULL);
}

Test(tasks, compare_is_the_same_whatever_jobs, .timeout = 300)
{
	const char *args[] = { "compare", "scenarios/likes-spike.yaml", "--variants",
			       "baseline,shed-lag,bounded,drop-stale", "--set", "duration=200s",
			       "--reps", "2", "--no-plots", NULL };
	/* four runs of two replications, each with its reps/ folders */
	same_any_jobs(args, 4 * 6);
}

Test(tasks, sweep_is_the_same_whatever_jobs, .timeout = 300)
{
	const char *args[] = { "sweep", "scenarios/retry-storm.yaml", "--vary",
			       "servers.count=8,9,10", "--set", "duration=150s", "--reps", "2",
			       "--no-plots", NULL };
	same_any_jobs(args, 3 * 6);
}

/* The charts too: drawn while other runs simulate, the same images. */
Test(tasks, charts_are_the_same_whatever_jobs, .timeout = 300)
{
	const char *args[] = { "compare", "scenarios/mm1.yaml", "--set", "duration=600s", NULL };
	same_any_jobs(args, 5);
}

/* A configuration that stops early (here at an item limit) ends the
 * sweep there, as one run after another did: exit 1, and nothing of the
 * points after it, whatever --jobs is. */
Test(tasks, a_failing_point_ends_the_sweep_whatever_jobs, .timeout = 300)
{
	const char *args[] = { "sweep", "scenarios/mmc.yaml", "--vary", "agents.count=3,4,5,6",
			       "--set", "limits.max_items=2000", "--no-plots", NULL };
	same_status_any_jobs(args, 1, 2, "agents.count=4");	/* a point after the failure */
}
