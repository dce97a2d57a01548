/* test_mpi.c - under `mpirun -n K`, compare, sweep and run give the
 * bytes one process gives (built only with MPI). */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/helpers.h"
#include "tests/sim/samedir.h"

/* Runs `mpirun -n ranks sim args...` in the source folder, as root too
 * (Open MPI refuses root unless told), its stdout into *out; the exit
 * status. */
static int mpirun_mpmd(const char *ranks, const char *const *args, char **out, bool lost);

static int mpirun(const char *ranks, const char *const *args, char **out)
{
	return mpirun_mpmd(ranks, args, out, false);
}

/* lost: a second rank started in another folder, where the scenario's
 * relative path leads nowhere (a rank that cannot load it). */
static int mpirun_mpmd(const char *ranks, const char *const *args, char **out, bool lost)
{
	const char *exe = getenv("SIM_EXE");
	cr_assert_not_null(exe);
	char tmp[] = "/tmp/sim-mpi-outXXXXXX";
	int fd = mkstemp(tmp);
	cr_assert(fd >= 0);
	pid_t pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		const char *argv[96] = { "mpirun", "-n", ranks, "--oversubscribe", exe };
		int n = 5;
		for (int i = 0; args[i] && n < 46; i++)
			argv[n++] = args[i];
		if (lost) {
			const char *other[] = { ":", "-n", "1", "--wdir", "/", exe };
			for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
				argv[n++] = other[i];
			for (int i = 0; args[i] && n < 94; i++)
				argv[n++] = args[i];
		}
		argv[n] = NULL;
		setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);
		setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
		/* containers often forbid the cross-memory attach Open MPI
		 * prefers between local ranks */
		setenv("OMPI_MCA_btl_vader_single_copy_mechanism", "none", 1);
		if (chdir(th_source_root()) < 0)
			_exit(127);
		dup2(fd, 1);
		int nul = open("/dev/null", O_RDONLY);
		dup2(nul, 0);
		execvp("mpirun", (char *const *)argv);
		_exit(127);
	}
	int st;
	waitpid(pid, &st, 0);
	*out = th_read(tmp, NULL);
	close(fd);
	unlink(tmp);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* args, then --out DIR, in one process and under mpirun -n ranks. */
static void same_as_one_process(const char *ranks, const char *const *args, int min_files)
{
	char a[256], b[256];
	th_tmpdir(a, "mpi-one");
	th_tmpdir(b, "mpi-ranks");
	const char *argv[40];
	int n = 0;
	for (; args[n]; n++)
		argv[n] = args[n];
	argv[n++] = "--jobs";
	argv[n++] = "1";
	argv[n++] = "--out";
	argv[n] = a;
	argv[n + 1] = NULL;
	char *oa, *ob;
	cr_assert_eq(th_sim(argv, &oa, NULL), 0);
	argv[n] = b;
	cr_assert_eq(mpirun(ranks, argv, &ob), 0, "mpirun -n %s failed", ranks);
	th_same_outputs(a, oa, b, ob, min_files);
}

Test(mpi, compare_on_two_ranks_is_one_process, .timeout = 600)
{
	const char *args[] = { "compare", "scenarios/likes-spike.yaml", "--variants",
			       "baseline,shed-lag,bounded", "--set", "duration=200s", "--reps", "2",
			       "--no-plots", NULL };
	same_as_one_process("2", args, 3 * 6);
}

Test(mpi, sweep_on_three_ranks_is_one_process, .timeout = 600)
{
	const char *args[] = { "sweep", "scenarios/retry-storm.yaml", "--vary",
			       "servers.count=8,9,10", "--set", "duration=150s", "--reps", "2",
			       "--no-plots", NULL };
	same_as_one_process("3", args, 3 * 6);
}

/* Long runs stream their series to disk as they go: rank 0 streams
 * what another rank sends back the same way. */
Test(mpi, run_with_replications_on_two_ranks_is_one_process, .timeout = 600)
{
	const char *args[] = { "run", "scenarios/retry-storm.yaml", "--set", "duration=150s",
			       "--reps", "3", "--no-plots", NULL };
	same_as_one_process("2", args, 3 * 2);
}

/* A boundary search's points run their replications over the ranks. */
Test(mpi, boundary_on_three_ranks_is_one_process, .timeout = 600)
{
	const char *args[] = { "boundary", "tests/scenarios/boundary-dd1.yaml", "--variant",
			       "random", "--vary", "src.schedule.0.rate=150/s..600/s", "--reps", "6",
			       "--budget", "60", "--no-plots", NULL };
	same_as_one_process("3", args, 4);
}

/* A rank that cannot load the scenario answers why; its replication runs
 * on rank 0 instead and it gets no more: the same bytes, said on stderr. */
Test(mpi, a_rank_that_fails_hands_its_work_back, .timeout = 600)
{
	char a[256], b[256];
	th_tmpdir(a, "mpi-one");
	th_tmpdir(b, "mpi-lost");
	const char *one[] = { "compare", "scenarios/mm1.yaml", "--set", "duration=600s", "--reps", "3",
			      "--no-plots", "--jobs", "1", "--out", a, NULL };
	char *oa, *ob;
	cr_assert_eq(th_sim(one, &oa, NULL), 0);
	const char *two[] = { "compare", "scenarios/mm1.yaml", "--set", "duration=600s", "--reps", "3",
			      "--no-plots", "--out", b, NULL };
	cr_assert_eq(mpirun_mpmd("1", two, &ob, true), 0);
	th_same_outputs(a, oa, b, ob, 3 * 5);
}
