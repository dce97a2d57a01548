/* helpers.c - see helpers.h. */
#include "tests/helpers.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/json.h"
#include "sim/runner.h"
#include "sim/stats.h"

struct sim_scenario *th_load(const char *yaml, const char *variant)
{
	struct sim_diag d;
	sim_diag_init(&d, stderr);
	struct sim_load_opts o = { .variant = variant };
	return sim_scenario_parse("test.yaml", yaml, strlen(yaml), &o, &d);
}

int th_errors(const char *yaml, char *buf, size_t size)
{
	return th_errors_with("test.yaml", yaml, NULL, buf, size);
}

int th_errors_with(const char *file, const char *yaml, const struct sim_load_opts *o,
		   char *buf, size_t size)
{
	FILE *f = fmemopen(buf, size, "w");
	cr_assert_not_null(f);
	struct sim_diag d;
	sim_diag_init(&d, f);
	struct sim_scenario *sc = sim_scenario_parse(file, yaml, strlen(yaml), o, &d);
	fclose(f);
	cr_assert_eq(sc == NULL, d.errors > 0, "%s: loaded with errors, or failed without one: %s",
		     file, buf);
	sim_scenario_free(sc);
	return d.errors;
}

void th_run(struct th_runs *r, const char *yaml, const char *variant, unsigned reps)
{
	struct sim_load_opts o = { .variant = variant };
	th_run_with(r, yaml, &o, reps);
}

void th_run_with(struct th_runs *r, const char *yaml, const struct sim_load_opts *o,
		 unsigned reps)
{
	struct sim_diag d;
	sim_diag_init(&d, stderr);
	r->sc = sim_scenario_parse("test.yaml", yaml, strlen(yaml), o, &d);
	cr_assert_not_null(r->sc, "scenario does not load");
	r->reps = reps;
	r->res = calloc(reps, sizeof *r->res);
	cr_assert_not_null(r->res);
	struct sim_limits lim = { 0 };
	cr_assert_eq(sim_run_reps(r->sc, reps, 2, &lim, r->res), 0);
	for (unsigned k = 0; k < reps; k++) {
		cr_assert(r->res[k].complete, "replication %u stopped: %s", k + 1, r->res[k].why);
		cr_assert(r->res[k].conserved, "conservation violated in replication %u", k + 1);
	}
}

void th_runs_free(struct th_runs *r)
{
	for (unsigned k = 0; k < r->reps; k++)
		sim_result_fini(&r->res[k]);
	free(r->res);
	sim_scenario_free(r->sc);
}

double th_value(const struct sim_result *res, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	const struct sim_json *j = res->body;
	for (char *save = NULL, *k = strtok_r(buf, ".", &save); k && j;
	     k = strtok_r(NULL, ".", &save))
		j = sim_json_get(j, k, NULL);
	cr_assert(j && j->type == SIM_JSON_NUM, "no number at '%s'", path);
	return j->num;
}

struct th_est th_estimate(const struct th_runs *r, const char *path)
{
	struct th_est e = { .n = r->reps };
	double sum = 0, sum2 = 0;
	for (unsigned k = 0; k < r->reps; k++)
		sum += th_value(&r->res[k], path);
	e.mean = sum / r->reps;
	for (unsigned k = 0; k < r->reps; k++) {
		double d = th_value(&r->res[k], path) - e.mean;
		sum2 += d * d;
	}
	e.ci95 = sim_ci95(sqrt(sum2 / (r->reps - 1)), r->reps);
	e.rel = e.ci95 / fabs(e.mean);
	return e;
}

void th_check(const struct th_runs *r, const char *path, double theory, double rel_precision)
{
	struct th_est e = th_estimate(r, path);
	cr_log_info("%s: simulated %.6g +- %.3g (n=%zu), theory %.6g, error %.2f%%", path,
		    e.mean, e.ci95, e.n, theory, 100 * (e.mean - theory) / theory);
	cr_expect(fabs(e.mean - theory) <= 2 * e.ci95,
		  "%s: simulated %.6g +- %.3g (95%%, n=%zu) but theory says %.6g", path, e.mean,
		  e.ci95, e.n, theory);
	cr_expect(e.ci95 <= rel_precision * fabs(theory),
		  "%s: the estimate is too loose to test anything: +- %.3g is over %.1f%% of %.6g",
		  path, e.ci95, 100 * rel_precision, theory);
}

void th_tmpdir(char *buf, const char *prefix)
{
	snprintf(buf, 64, "/tmp/%s-XXXXXX", prefix);
	cr_assert_not_null(mkdtemp(buf));
}

void th_rmtree(const char *dir)
{
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

const char *th_source_root(void)
{
	const char *s = getenv("SIM_SOURCE_ROOT");
	return s ? s : ".";
}

char *th_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			char *nb = realloc(buf, (cap *= 2) + 1);
			if (!nb)
				free(buf);
			buf = nb;
		}
	}
	fclose(f);
	if (buf)
		buf[n] = 0;
	if (len)
		*len = n;
	return buf;
}

char *th_read_in(const char *dir, const char *name)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return th_read(path, NULL);
}

char *th_example(const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/scenarios/%s", th_source_root(), name);
	char *yaml = th_read(path, NULL);
	cr_assert_not_null(yaml, "cannot read %s", path);
	return yaml;
}

static char *slurp_fd(int fd)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1);
	ssize_t got;
	while (buf && (got = read(fd, buf + n, cap - n)) > 0) {
		n += (size_t)got;
		if (n == cap) {
			char *nb = realloc(buf, (cap *= 2) + 1);
			if (!nb)
				free(buf);
			buf = nb;
		}
	}
	if (buf)
		buf[n] = 0;
	return buf;
}

const char *th_sim_path;

int th_sim(const char *const *args, char **out, char **err)
{
	const char *exe = getenv("SIM_EXE");
	cr_assert_not_null(exe, "SIM_EXE is not set");
	char otmp[] = "/tmp/sim-test-outXXXXXX", etmp[] = "/tmp/sim-test-errXXXXXX";
	int ofd = mkstemp(otmp), efd = mkstemp(etmp);
	cr_assert(ofd >= 0 && efd >= 0);
	pid_t pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		const char *argv[64];
		int n = 0;
		argv[n++] = exe;
		for (; args[n - 1] && n < 63; n++)
			argv[n] = args[n - 1];
		argv[n] = NULL;
		if (chdir(th_source_root()) < 0)
			_exit(127);
		if (th_sim_path)
			setenv("PATH", th_sim_path, 1);
		dup2(ofd, 1);
		dup2(efd, 2);
		int nul = open("/dev/null", O_RDONLY);
		dup2(nul, 0);
		execv(exe, (char *const *)argv);
		_exit(127);
	}
	int st;
	waitpid(pid, &st, 0);
	lseek(ofd, 0, SEEK_SET);
	lseek(efd, 0, SEEK_SET);
	char *o = slurp_fd(ofd), *e = slurp_fd(efd);
	close(ofd);
	close(efd);
	unlink(otmp);
	unlink(etmp);
	if (out)
		*out = o;
	else
		free(o);
	if (err)
		*err = e;
	else
		free(e);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

pid_t th_sim_start(const char *const *args)
{
	const char *exe = getenv("SIM_EXE");
	cr_assert_not_null(exe);
	pid_t pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		const char *argv[32] = { exe };
		for (int i = 0; args[i] && i < 30; i++)
			argv[i + 1] = args[i];
		if (chdir(th_source_root()) < 0)
			_exit(127);
		if (th_sim_path)
			setenv("PATH", th_sim_path, 1);
		int nul = open("/dev/null", O_RDWR);
		dup2(nul, 0);
		dup2(nul, 1);
		dup2(nul, 2);
		execv(exe, (char *const *)argv);
		_exit(127);
	}
	return pid;
}

char *th_json_text(const struct sim_json *j)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	sim_json_write(j, f);
	fclose(f);
	return buf;
}
