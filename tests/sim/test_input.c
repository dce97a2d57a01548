/* test_input.c - hostile or odd input to the sim program and its loader
 * (sim/main.c option parsing, sim/compare.c name lists, sim/units.c,
 * sim/dist.c data files, sim/scenario.c names and limits): each is
 * refused with a clear message and exit 2, never a crash, a silent cut
 * or an unbounded use of time or memory. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tests/helpers.h"

static char tmp[64];

static void setup(void)
{
	th_tmpdir(tmp, "sim-input");
}

static void teardown(void)
{
	th_rmtree(tmp);
}

TestSuite(sim_input, .init = setup, .fini = teardown, .timeout = 120);

static const char tiny[] =
	"duration: 1s\n"
	"components:\n"
	"  src: {kind: producer, rate: 10/s, to: q}\n"
	"  q: {kind: queue}\n"
	"  w: {kind: workers, from: q, count: 1, service: 1ms}\n";

/* Writes text to tmp/name; the path goes into path (at least 256 bytes). */
static void put(char *path, const char *name, const char *text)
{
	snprintf(path, 256, "%s/%s", tmp, name);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f, "cannot write %s", path);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
}

/* tiny, with nvariants variants v0, v1, ... each changing the rate */
static void put_variants(char *path, const char *name, size_t nvariants)
{
	snprintf(path, 256, "%s/%s", tmp, name);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "%svariants:\n", tiny);
	for (size_t i = 0; i < nvariants; i++)
		fprintf(f, "  v%zu: {src: {rate: %zu/s}}\n", i, i + 1);
	cr_assert_eq(fclose(f), 0);
}

Test(sim_input, empty_variant_names_are_usage_errors)
{
	char path[256], out[300];
	put(path, "s.yaml", "duration: 1s\n"
		"components:\n"
		"  src: {kind: producer, rate: 10/s, to: q}\n"
		"  q: {kind: queue}\n"
		"  w: {kind: workers, from: q, count: 1, service: 1ms}\n"
		"variants:\n  a: {src: {rate: 5/s}}\n  b: {src: {rate: 6/s}}\n");
	snprintf(out, sizeof out, "%s/out", tmp);
	const char *lists[] = { "", ",", "a,,b", "a,", ",a" };
	for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) {
		const char *args[] = { "compare", path, "--variants", lists[i], "--out", out,
				       "--no-plots", "--quiet", NULL };
		char *err;
		cr_assert_eq(th_sim(args, NULL, &err), 2, "--variants '%s': %s", lists[i], err);
		cr_assert(strstr(err, "empty name"), "--variants '%s': %s", lists[i], err);
		free(err);
	}
	const char *twice[] = { "compare", path, "--variants", "a,a", "--out", out, "--quiet", NULL };
	char *err;
	cr_assert_eq(th_sim(twice, NULL, &err), 2);
	cr_assert(strstr(err, "names 'a' twice"), "%s", err);
	free(err);
	const char *vary[] = { "sweep", path, "--vary", "w.count=1,,2", "--out", out, "--quiet", NULL };
	cr_assert_eq(th_sim(vary, NULL, &err), 2);
	cr_assert(strstr(err, "empty value"), "%s", err);
	free(err);
}

Test(sim_input, bad_numbers_in_options_are_usage_errors)
{
	static const char *const cases[][2] = {
		{ "--reps", "x" }, { "--reps", "0" }, { "--reps", "100001" }, { "--reps", "1.5" },
		{ "--jobs", "many" }, { "--jobs", "0" }, { "--jobs", "-1" }, { "--jobs", "1025" },
		{ "--seed", "9007199254740993" }, { "--seed", "-1" }, { "--seed", "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *args[] = { "run", "scenarios/mm1.yaml", cases[i][0], cases[i][1], NULL };
		char *err;
		cr_assert_eq(th_sim(args, NULL, &err), 2, "%s '%s': %s", cases[i][0], cases[i][1], err);
		char want[128];
		snprintf(want, sizeof want, "sim: bad value '%s' for %s (expected a whole number from",
			 cases[i][1], cases[i][0]);
		cr_assert(strstr(err, want), "%s '%s': %s", cases[i][0], cases[i][1], err);
		cr_assert_null(strstr(err, "must be at least"), "one message, not two: %s", err);
		free(err);
	}
}

Test(sim_input, compare_states_its_limit_of_runs)
{
	char path[256], out[300];
	put_variants(path, "many.yaml", 256);	/* with the baseline: 257 runs */
	snprintf(out, sizeof out, "%s/out", tmp);
	const char *args[] = { "compare", path, "--out", out, "--no-plots", "--quiet", NULL };
	char *err;
	cr_assert_eq(th_sim(args, NULL, &err), 2, "%s", err);
	cr_assert(strstr(err, "257 runs; compare runs at most 256"), "%s", err);
	free(err);
	struct stat st;
	cr_assert_neq(stat(out, &st), 0, "nothing ran");
}

Test(sim_input, integer_keys_are_parsed_as_integers)
{
	char path[256], yaml[512];
	snprintf(yaml, sizeof yaml, "seed: 9007199254740993\n%s", tiny);
	put(path, "big.yaml", yaml);
	const char *args[] = { "check", path, NULL };
	char *err;
	cr_assert_eq(th_sim(args, NULL, &err), 2, "2^53 + 1 must not become 2^53: %s", err);
	char want[300];
	snprintf(want, sizeof want, "%s:1:7: error: bad count '9007199254740993' for 'seed'", path);
	cr_assert(strstr(err, want), "%s", err);
	free(err);
	snprintf(yaml, sizeof yaml, "%slimits: {max_events: 2.5}\n", tiny);
	put(path, "frac.yaml", yaml);
	cr_assert_eq(th_sim(args, NULL, &err), 2, "%s", err);
	cr_assert(strstr(err, "frac.yaml:6:22: error: bad count '2.5' for 'max_events'"), "%s", err);
	free(err);
}

/* The limit is 1,000,000 rows: that many pass, one more does not. */
Test(sim_input, time_series_row_limit_is_exact)
{
	char path[256], out[300], yaml[512];
	snprintf(yaml, sizeof yaml, "duration: 10s\nsample: 10us\n%s", tiny + strlen("duration: 1s\n"));
	put(path, "rows.yaml", yaml);
	snprintf(out, sizeof out, "%s/out", tmp);
	const char *args[] = { "run", path, "--out", out, "--no-plots", "--quiet", NULL };
	char *err;
	cr_assert_eq(th_sim(args, NULL, &err), 0, "1,000,000 rows: %s", err);
	free(err);
	char csv[400];
	snprintf(csv, sizeof csv, "%s/timeseries.csv", out);
	size_t len;
	char *text = th_read(csv, &len);
	cr_assert_not_null(text);
	size_t lines = 0;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	free(text);
	cr_assert_eq(lines, 1000001, "a header and 1,000,000 rows, got %zu lines", lines);

	snprintf(yaml, sizeof yaml, "duration: 10.00001s\nsample: 10us\n%s", tiny + strlen("duration: 1s\n"));
	put(path, "rows1.yaml", yaml);
	const char *check[] = { "check", path, NULL };
	cr_assert_eq(th_sim(check, NULL, &err), 2);
	cr_assert(strstr(err, "rows1.yaml:2:9: error: sample 1e-05 s over duration 10.00001 s makes 1000001 time-series rows (at most 1000000)"),
		  "%s", err);
	free(err);
}

/* Without `name:`, the output folder out/<stem>/ comes from the file name:
 * whatever the name, it stays a plain folder inside out/. */
Test(sim_input, odd_file_stems_give_safe_folder_names)
{
	static const char *const cases[][2] = {
		{ "dir/...yaml", "_." }, { "dir/..yaml", "_" }, { "dir/.yaml", "_yaml" },
		{ "dir/-rf.yaml", "_rf" }, { "dir/", "scenario" }, { "-", "_" },
		{ "dir/a b;$(x)`y`.yaml", "a_b___x__y_" }, { "dir/mm1.yaml", "mm1" },
		{ "dir/v1.2-final.yaml", "v1.2-final" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct sim_diag d;
		sim_diag_init(&d, stderr);
		struct sim_scenario *sc = sim_scenario_parse(cases[i][0], tiny, strlen(tiny), NULL, &d);
		cr_assert_not_null(sc, "%s", cases[i][0]);
		cr_assert_str_eq(sc->name, cases[i][1], "file '%s'", cases[i][0]);
		sim_scenario_free(sc);
	}
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* check parses the file once, not once per variant: 2,000 variants (60 KB)
 * took half a minute when each variant parsed the whole file again. */
Test(sim_input, check_is_linear_in_variants)
{
	char path[256];
	put_variants(path, "v2000.yaml", 2000);
	const char *args[] = { "check", path, NULL };
	char *out, *err;
	double t0 = now_s();
	cr_assert_eq(th_sim(args, &out, &err), 0, "%s", err);
	double took = now_s() - t0;
	cr_assert(strstr(out, ", v1999\n"), "every variant listed");
	cr_assert_lt(took, 4, "checking 2,000 variants took %.1f s", took);
	free(out);
	free(err);
	/* and a bad variant is still reported, with its name */
	char yaml[512];
	snprintf(yaml, sizeof yaml, "%svariants:\n  ok: {src: {rate: 5/s}}\n  bad: {src: {rate: fast}}\n", tiny);
	put(path, "bad.yaml", yaml);
	cr_assert_eq(th_sim(args, NULL, &err), 2);
	cr_assert(strstr(err, "bad.yaml:8:21: error: bad rate 'fast'"), "%s", err);
	cr_assert(strstr(err, "note: in variant 'bad'"), "%s", err);
	free(err);
}

/* A scenario with an empirical service time read from file. */
static void put_empirical(char *path, const char *file)
{
	char yaml[1024];
	snprintf(yaml, sizeof yaml,
		 "duration: 1s\n"
		 "components:\n"
		 "  src: {kind: producer, rate: 10/s, to: q}\n"
		 "  q: {kind: queue}\n"
		 "  w: {kind: workers, from: q, count: 1, service: {dist: empirical, file: %s}}\n",
		 file);
	put(path, "e.yaml", yaml);
}

static int check_empirical(const char *file, char **err)
{
	char path[256];
	put_empirical(path, file);
	const char *args[] = { "check", path, NULL };
	return th_sim(args, NULL, err);
}

Test(sim_input, samples_files_must_be_regular_files)
{
	char fifo[256], dir[256];
	snprintf(fifo, sizeof fifo, "%s/fifo", tmp);
	cr_assert_eq(mkfifo(fifo, 0600), 0);
	snprintf(dir, sizeof dir, "%s/adir", tmp);
	cr_assert_eq(mkdir(dir, 0700), 0);
	static const char *const cases[][2] = {
		{ "/dev/zero", "a character device" }, { "fifo", "a FIFO" }, { "adir", "a folder" },
	};
	for (size_t i = 0; i < 3; i++) {
		char *err;
		cr_assert_eq(check_empirical(cases[i][0], &err), 2, "%s: %s", cases[i][0], err);
		char want[128];
		snprintf(want, sizeof want, "%s' is not a regular file (%s)", cases[i][0], cases[i][1]);
		cr_assert(strstr(err, want), "%s", err);
		free(err);
	}
}

/* A bad line is quoted short and escaped: no terminal control bytes, no
 * secrets beyond 40 bytes. */
Test(sim_input, samples_errors_quote_a_short_escaped_excerpt)
{
	char path[256], *err;
	put(path, "bin.csv", "");
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	static const char data[] = "ms\n1ms\n\x1b[2J\0\xff" "secret-token-abcdefghijklmnopqrstuvwxyz0123456789\n";
	fwrite(data, 1, sizeof data - 1, f);
	fclose(f);
	cr_assert_eq(check_empirical("bin.csv", &err), 2);
	cr_assert(strstr(err, "bin.csv:3:1: error: bad sample '\\x1B[2J\\x00\\xFFsecret-token-abcdefghijklmnopqrstu...'"),
		  "%s", err);
	cr_assert_null(strchr(err, '\x1b'), "a raw escape reached the terminal: %s", err);
	cr_assert_null(strstr(err, "vwxyz"), "more than 40 bytes quoted: %s", err);
	free(err);

	put(path, "word.csv", "ms\n1ms\nthis-is-a-long-line-that-goes-on-and-on-and-on-and-on\n");
	cr_assert_eq(check_empirical("word.csv", &err), 2);
	cr_assert(strstr(err, "word.csv:3:1: error: bad sample 'this-is-a-long-line-that-goes-on-and-on-...'"),
		  "%s", err);
	free(err);
}

/* Lines of any length up to the stated bound: a long second column no
 * longer splits a line into two samples. */
Test(sim_input, samples_lines_of_any_length)
{
	char path[256], line[6000], *err;
	memset(line, 'x', 300);
	line[300] = 0;
	char text[8000];
	snprintf(text, sizeof text, "ms,comment\n1ms,%s\n2ms,%s\n", line, line);
	put(path, "long.csv", text);
	cr_assert_eq(check_empirical("long.csv", &err), 0, "%s", err);
	free(err);
	memset(line, '7', 5000);
	line[5000] = 0;
	snprintf(text, sizeof text, "ms\n1ms\n%s\n", line);
	put(path, "huge.csv", text);
	cr_assert_eq(check_empirical("huge.csv", &err), 2);
	cr_assert(strstr(err, "huge.csv:3:1: error: line longer than 4096 bytes: '7777"), "%s", err);
	free(err);
}

/* Memory is bounded: an explicit item limit stops the run cleanly with the
 * outputs so far, and the columns kept for recovery by the replications
 * running at once are counted before anything runs. */
Test(sim_input, memory_limits_stop_cleanly)
{
	char path[256], out[300], *err;
	put(path, "flood.yaml",
	    "duration: 10s\n"
	    "limits: {max_items: 50}\n"
	    "components:\n"
	    "  src: {kind: producer, rate: 1000/s, to: q}\n"
	    "  q: {kind: queue}\n"
	    "  w: {kind: workers, from: q, count: 1, service: 10ms}\n");
	snprintf(out, sizeof out, "%s/out", tmp);
	const char *args[] = { "run", path, "--out", out, "--no-plots", "--quiet", NULL };
	cr_assert_eq(th_sim(args, NULL, &err), 1, "%s", err);
	cr_assert(strstr(err, "item limit reached"), "%s", err);
	cr_assert(strstr(err, "limits: {max_items: N}"), "says how to raise it: %s", err);
	free(err);
	char summary[400];
	snprintf(summary, sizeof summary, "%s/summary.json", out);
	char *s = th_read(summary, NULL);
	cr_assert_not_null(s, "outputs so far are written");
	cr_assert(strstr(s, "\"complete\": false"), "%s", s);
	free(s);

	/* the series go to disk; what recovery reads stays in memory, for
	 * each replication running at once */
	char yaml[512];
	snprintf(yaml, sizeof yaml, "duration: 10s\nsample: 10us\nreport: {window: {from: 2s, to: 4s}}\n%s",
		 tiny + strlen("duration: 1s\n"));
	put(path, "rows.yaml", yaml);
	const char *reps[] = { "run", path, "--reps", "300", "--jobs", "300", "--out", out, "--quiet", NULL };
	cr_assert_eq(th_sim(reps, NULL, &err), 2, "%s", err);
	cr_assert(strstr(err, "error: the 1 time-series column that recovery reads, kept by 300 replications at once, would take"),
		  "%s", err);
	cr_assert(strstr(err, "raise 'sample' or run fewer at once (--jobs)"), "%s", err);
	free(err);
}
