/* test_atomic.c - sim/atomic.c: a file appears whole or not at all, and
 * every failure is reported with the file's name. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/atomic.h"
#include "tests/helpers.h"

static char tmp[64];

static void setup(void)
{
	th_tmpdir(tmp, "sim-atomic");
	cr_redirect_stderr();
}

static void teardown(void)
{
	th_rmtree(tmp);
}

TestSuite(sim_atomic, .init = setup, .fini = teardown);

static void write_kib(FILE *f, const void *what)
{
	const size_t *kib = what;
	char line[1024];
	memset(line, 'x', sizeof line - 1);
	line[sizeof line - 1] = '\n';
	for (size_t i = 0; i < *kib; i++)
		fwrite(line, 1, sizeof line, f);
}

/* Only name is in the folder (no temporary file beside it). */
static void only(const char *name)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "test \"$(ls -A %s)\" = \"%s\"", tmp, name);
	cr_expect_eq(system(cmd), 0, "the folder holds more than '%s'", name);
}

Test(sim_atomic, writes_the_whole_file)
{
	size_t kib = 3;
	cr_assert_eq(sim_atomic_write_in(tmp, "a.txt", write_kib, &kib), 0);
	char path[128];
	snprintf(path, sizeof path, "%s/a.txt", tmp);
	size_t len;
	char *s = th_read(path, &len);
	cr_expect_eq(len, 3 * 1024);
	free(s);
	only("a.txt");
}

/* A full disk: the stream's writes fail with ENOSPC (/dev/full). */
Test(sim_atomic, a_full_disk_is_reported_and_leaves_nothing)
{
	char path[128];
	snprintf(path, sizeof path, "%s/b.txt", tmp);
	struct sim_atomic a;
	FILE *f = sim_atomic_open(&a, path);
	cr_assert_not_null(f);
	int full = open("/dev/full", O_WRONLY);
	cr_assert(full >= 0);
	cr_assert(dup2(full, fileno(f)) >= 0);
	close(full);
	size_t kib = 64;
	write_kib(f, &kib);
	cr_expect_eq(sim_atomic_close(&a), -1);
	fflush(stderr);
	char want[200];
	snprintf(want, sizeof want, "sim: I/O error writing %s: No space left on device\n", path);
	cr_expect_stderr_eq_str(want);
	only("");
}

/* Past ulimit -f, with SIGXFSZ ignored: EFBIG, reported. */
Test(sim_atomic, a_file_size_limit_is_reported_and_leaves_nothing)
{
	sim_atomic_ignore_sigxfsz();
	struct rlimit lim = { 16 * 1024, 16 * 1024 };
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
	size_t kib = 64;
	cr_expect_eq(sim_atomic_write_in(tmp, "c.txt", write_kib, &kib), -1);
	fflush(stderr);
	char want[200];
	snprintf(want, sizeof want, "sim: I/O error writing %s/c.txt: File too large\n", tmp);
	cr_expect_stderr_eq_str(want);
	only("");
}

Test(sim_atomic, an_unwritable_folder_is_reported)
{
	char path[128];
	snprintf(path, sizeof path, "%s/no/such/d.txt", tmp);
	size_t kib = 1;
	cr_expect_eq(sim_atomic_write(path, write_kib, &kib), -1);
	fflush(stderr);
	char want[200];
	snprintf(want, sizeof want, "sim: I/O error writing %s: No such file or directory\n", path);
	cr_expect_stderr_eq_str(want);
}
