/* test_cli.c - the sim program as users run it (sim/main.c, sim/output.c):
 * exit codes, output files, determinism across --jobs and seeds. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/helpers.h"

static char tmp[64];

static void setup(void)
{
	th_tmpdir(tmp, "sim-cli");
}

static void teardown(void)
{
	th_rmtree(tmp);
}

TestSuite(sim_cli, .init = setup, .fini = teardown, .timeout = 120);

static char *file_in(const char *dir, const char *name)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return th_read(path, NULL);
}

/* summary.json without its one run-dependent line, wall_s */
static char *summary_sans_wall(const char *dir)
{
	char *s = file_in(dir, "summary.json");
	cr_assert_not_null(s, "no summary.json in %s", dir);
	char *w = strstr(s, "\"wall_s\":");
	cr_assert_not_null(w);
	char *eol = strchr(w, '\n');
	memmove(w, eol + 1, strlen(eol + 1) + 1);
	return s;
}

static int run(const char *const *args, char **out, char **err)
{
	return th_sim(args, out, err);
}

Test(sim_cli, help_version_and_usage_errors)
{
	char *out, *err;
	const char *help[] = { "--help", NULL };
	cr_assert_eq(run(help, &out, NULL), 0);
	cr_assert(strstr(out, "run SCENARIO.yaml"), "%s", out);
	free(out);
	const char *ver[] = { "--version", NULL };
	cr_assert_eq(run(ver, &out, NULL), 0);
	cr_assert(strncmp(out, "sim ", 4) == 0);
	free(out);
	const char *none[] = { NULL };
	cr_assert_eq(run(none, NULL, NULL), 2);
	const char *typo[] = { "rnu", "scenarios/mm1.yaml", NULL };
	cr_assert_eq(run(typo, NULL, &err), 2);
	cr_assert(strstr(err, "did you mean 'run'?"), "%s", err);
	free(err);
	const char *badopt[] = { "run", "scenarios/mm1.yaml", "--seeds", "3", NULL };
	cr_assert_eq(run(badopt, NULL, &err), 2);
	cr_assert(strstr(err, "unknown option '--seeds' (did you mean '--seed'?)"), "%s", err);
	free(err);
	const char *badreps[] = { "run", "scenarios/mm1.yaml", "--reps", "zero", NULL };
	cr_assert_eq(run(badreps, NULL, &err), 2);
	free(err);
	const char *missing[] = { "run", "no/such/file.yaml", NULL };
	cr_assert_eq(run(missing, NULL, &err), 2);
	cr_assert(strstr(err, "no/such/file.yaml: error: cannot open"), "%s", err);
	free(err);
}

Test(sim_cli, unwritable_out_is_reported_before_running)
{
	char *err;
	const char *args[] = { "run", "scenarios/mm1.yaml", "--out", "/proc/no-such-dir/x", NULL };
	cr_assert_eq(run(args, NULL, &err), 1);
	cr_assert(strstr(err, "cannot write to output folder"), "%s", err);
	free(err);
}

Test(sim_cli, run_writes_summary_and_series)
{
	char *out;
	const char *args[] = { "run", "scenarios/finite-queue.yaml", "--out", tmp, "--set", "duration=60s", NULL };
	cr_assert_eq(run(args, &out, NULL), 0);
	cr_assert(strstr(out, "conservation ok"), "%s", out);
	cr_assert(strstr(out, "finite-queue (baseline)"), "%s", out);
	free(out);
	char *sum = file_in(tmp, "summary.json");
	cr_assert_not_null(sum);
	const char *keys[] = { "\"scenario\": \"finite-queue\"", "\"variant\": \"baseline\"",
			       "\"seed\": 1", "\"replications\": 1", "\"duration_s\": 60",
			       "\"events\":", "\"wall_s\":", "\"complete\": true",
			       "\"components\":", "\"classes\":", "\"recovery\":",
			       "\"conservation\":", "\"ok\": true", "\"max_oldest_age_s\":",
			       "\"dropped\": {\"full\":", "\"sojourn_s\": {\"mean\":", NULL };
	for (int i = 0; keys[i]; i++)
		cr_expect(strstr(sum, keys[i]), "summary.json lacks %s", keys[i]);
	free(sum);
	char *csv = file_in(tmp, "timeseries.csv");
	cr_assert_not_null(csv);
	cr_assert(strncmp(csv, "t_s,clients.rate,", 17) == 0, "header: %.80s", csv);
	const char *cols[] = { "buffer.depth", "buffer.oldest_age_s", "buffer.arrived",
			       "buffer.dropped", "worker.busy", "worker.count", "worker.completed",
			       "class:default.sojourn_p99_s", NULL };
	for (int i = 0; cols[i]; i++)
		cr_expect(strstr(csv, cols[i]), "timeseries.csv lacks %s", cols[i]);
	int rows = 0;
	for (char *p = csv; *p; p++)
		rows += *p == '\n';
	cr_assert_eq(rows, 1 + 12, "60 s at 5 s per sample: 12 rows and a header, got %d lines", rows);
	free(csv);
}

Test(sim_cli, same_seed_same_bytes_any_jobs)
{
	char a[128], b[128], c[128];
	snprintf(a, sizeof a, "%s/a", tmp);
	snprintf(b, sizeof b, "%s/b", tmp);
	snprintf(c, sizeof c, "%s/c", tmp);
	const char *ra[] = { "run", "scenarios/priority.yaml", "--set", "duration=300s", "--reps", "4", "--jobs", "1", "--out", a, "--quiet", NULL };
	const char *rb[] = { "run", "scenarios/priority.yaml", "--set", "duration=300s", "--reps", "4", "--jobs", "2", "--out", b, "--quiet", NULL };
	const char *rc[] = { "run", "scenarios/priority.yaml", "--set", "duration=300s", "--reps", "4", "--jobs", "2", "--out", c, "--quiet", "--seed", "2", NULL };
	cr_assert_eq(run(ra, NULL, NULL), 0);
	cr_assert_eq(run(rb, NULL, NULL), 0);
	cr_assert_eq(run(rc, NULL, NULL), 0);
	char *sa = summary_sans_wall(a), *sb = summary_sans_wall(b), *sc = summary_sans_wall(c);
	cr_assert_str_eq(sa, sb, "--jobs 1 and --jobs 2 differ");
	cr_assert_str_neq(sa, sc, "a different seed gave the same summary");
	cr_assert(strstr(sa, "\"mean\":") && strstr(sa, "\"ci95\":") && strstr(sa, "\"n\": 4"),
		  "replicated numbers must be {mean, ci95, n}");
	const char *files[] = { "timeseries.csv", "reps/1/timeseries.csv", "reps/4/timeseries.csv", NULL };
	for (int i = 0; files[i]; i++) {
		char *fa = file_in(a, files[i]), *fb = file_in(b, files[i]);
		cr_assert_not_null(fa, "missing %s", files[i]);
		cr_assert_not_null(fb);
		cr_assert_str_eq(fa, fb, "%s differs between --jobs 1 and 2", files[i]);
		free(fa);
		free(fb);
	}
	char *r1 = file_in(a, "reps/1/timeseries.csv"), *r2 = file_in(a, "reps/2/timeseries.csv");
	cr_assert_str_neq(r1, r2, "replications must differ");
	free(r1);
	free(r2);
	free(sa);
	free(sb);
	free(sc);
}

Test(sim_cli, single_run_is_replication_one)
{
	/* --reps 1 and the first replication of --reps 3 are the same run */
	char a[128], b[128];
	snprintf(a, sizeof a, "%s/a", tmp);
	snprintf(b, sizeof b, "%s/b", tmp);
	const char *ra[] = { "run", "scenarios/mmc.yaml", "--set", "duration=60s", "--set", "warmup=0", "--out", a, "--quiet", NULL };
	const char *rb[] = { "run", "scenarios/mmc.yaml", "--set", "duration=60s", "--set", "warmup=0", "--reps", "3", "--out", b, "--quiet", NULL };
	cr_assert_eq(run(ra, NULL, NULL), 0);
	cr_assert_eq(run(rb, NULL, NULL), 0);
	char *x = file_in(a, "timeseries.csv"), *y = file_in(b, "reps/1/timeseries.csv");
	cr_assert_str_eq(x, y);
	free(x);
	free(y);
}

Test(sim_cli, common_random_numbers_across_variants)
{
	/* changing the queue does not move the arrivals */
	char a[128], b[128];
	snprintf(a, sizeof a, "%s/a", tmp);
	snprintf(b, sizeof b, "%s/b", tmp);
	const char *ra[] = { "run", "scenarios/finite-queue.yaml", "--set", "duration=60s", "--out", a, "--quiet", NULL };
	const char *rb[] = { "run", "scenarios/finite-queue.yaml", "--set", "duration=60s", "--variant", "ttl", "--out", b, "--quiet", NULL };
	cr_assert_eq(run(ra, NULL, NULL), 0);
	cr_assert_eq(run(rb, NULL, NULL), 0);
	char *x = file_in(a, "timeseries.csv"), *y = file_in(b, "timeseries.csv");
	/* column 3 is clients.created: compare it row by row */
	char *sx, *sy;
	char *lx = strtok_r(x, "\n", &sx), *ly = strtok_r(y, "\n", &sy);
	int rows = 0;
	while (lx && ly) {
		char cx[64], cy[64];
		cr_assert_eq(sscanf(lx, "%*[^,],%*[^,],%63[^,]", cx), 1);
		cr_assert_eq(sscanf(ly, "%*[^,],%*[^,],%63[^,]", cy), 1);
		cr_assert_str_eq(cx, cy, "arrivals differ at row %d", rows);
		lx = strtok_r(NULL, "\n", &sx);
		ly = strtok_r(NULL, "\n", &sy);
		rows++;
	}
	cr_assert_gt(rows, 10);
	free(x);
	free(y);
}

Test(sim_cli, check_validates_every_variant)
{
	char *out, *err;
	const char *ok[] = { "check", "scenarios/finite-queue.yaml", NULL };
	cr_assert_eq(run(ok, &out, NULL), 0);
	cr_assert(strstr(out, "variants: baseline, drop-oldest, no-room, ttl"), "%s", out);
	free(out);
	const char *bad[] = { "check", "tests/scenarios/bad/variant-overrides.yaml", NULL };
	cr_assert_eq(run(bad, NULL, &err), 2);
	cr_assert(strstr(err, "note: in variant 'slower'"), "%s", err);
	free(err);
}

Test(sim_cli, interrupt_writes_partial_outputs_marked_incomplete)
{
	const char *args[] = { "run", "scenarios/likes-spike.yaml", "--set", "duration=2h", "--out", tmp,
			       "--quiet", "--no-plots", NULL };
	pid_t pid = th_sim_start(args);
	sleep(1);
	kill(pid, SIGINT);
	int st;
	waitpid(pid, &st, 0);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 130, "exit status %d", WEXITSTATUS(st));
	char *s = file_in(tmp, "summary.json");
	cr_assert_not_null(s, "no outputs after an interrupt");
	cr_expect(strstr(s, "\"complete\": false"), "%s", s);
	cr_expect(strstr(s, "\"stopped\": \"interrupted at t = "), "%s", s);
	free(s);
	char *csv = file_in(tmp, "timeseries.csv");
	cr_assert_not_null(csv);
	free(csv);
}

Test(sim_cli, runaway_backlog_stops_at_its_limit)
{
	const char *args[] = { "run", "tests/scenarios/runaway.yaml", "--out", tmp, NULL };
	char *out, *err;
	cr_assert_eq(th_sim(args, &out, &err), 1, "%s", err);
	cr_expect(strstr(err, "item limit reached: 50000 items"), "%s", err);
	cr_expect(strstr(err, "limits: {max_items: N}"), "the message says how to raise it: %s", err);
	cr_expect(strstr(out, "INCOMPLETE"), "%s", out);
	free(out);
	free(err);
	char *s = file_in(tmp, "summary.json");
	cr_assert_not_null(s);
	cr_expect(strstr(s, "\"complete\": false"));
	cr_expect(strstr(s, "\"ok\": true"), "conservation holds at the stop: %s", s);
	free(s);
	char *r = file_in(tmp, "report.md");
	cr_assert_not_null(r);
	cr_expect(strstr(r, "**This run is incomplete**"), "%s", r);
	free(r);
	/* the other limits, set from the command line */
	const char *ev[] = { "run", "tests/scenarios/runaway.yaml", "--set", "limits.max_items=10M",
			     "--set", "limits.max_events=100k", "--out", tmp, "--quiet", "--no-plots", NULL };
	cr_assert_eq(th_sim(ev, NULL, &err), 1);
	cr_expect(strstr(err, "event limit reached"), "%s", err);
	free(err);
}
