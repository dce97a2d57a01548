/* test_replay.c - traffic replayed from files (sim/ratefile.c, the
 * producer's `rate: {file}` and `arrivals: {trace}`): a constant series is
 * the constant producer, arrival for arrival; a replayed spike brings the
 * integral of its rate; a trace brings one item at each of its times; bad
 * files are refused at the scenario's key with the file's line. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/helpers.h"

static char tmp[64];

static void setup(void)
{
	th_tmpdir(tmp, "sim-replay");
}

static void teardown(void)
{
	th_rmtree(tmp);
}

TestSuite(replay, .init = setup, .fini = teardown, .timeout = 120);

/* Writes text to tmp/name; its path goes into path (256 bytes). */
static void put(char *path, const char *name, const char *text)
{
	snprintf(path, 256, "%s/%s", tmp, name);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
}

/* A producer `src` with the given rate/arrivals keys, a queue and one
 * worker of constant service 1 ms, run for duration. */
static void scenario(char *yaml, size_t size, const char *duration, const char *src_keys)
{
	snprintf(yaml, size,
		 "duration: %s\n"
		 "seed: 7\n"
		 "components:\n"
		 "  src: {kind: producer, %s, to: q}\n"
		 "  q: {kind: queue}\n"
		 "  w: {kind: workers, from: q, count: 1, service: 1ms}\n",
		 duration, src_keys);
}

/* Exactly: a constant series is one segment, the constant producer's, so
 * the same streams give the same arrival times bit for bit. */
Test(replay, a_constant_series_is_the_constant_producer_exactly)
{
	char path[256], yaml[1024], keys[512];
	put(path, "flat.csv", "time,rate\n0,200/s\n1m,200\n90s,200\n");
	struct th_runs file, plain;
	snprintf(keys, sizeof keys, "rate: {file: '%s'}", path);
	scenario(yaml, sizeof yaml, "2m", keys);
	th_run(&file, yaml, NULL, 4);
	scenario(yaml, sizeof yaml, "2m", "rate: 200/s");
	th_run(&plain, yaml, NULL, 4);
	for (unsigned i = 0; i < 4; i++) {
		const char *paths[] = { "components.src.created", "components.src.sojourn_s.mean",
					"components.src.sojourn_s.max", "components.q.mean_wait_s" };
		for (size_t k = 0; k < 4; k++)
			cr_expect_eq(th_value(&file.res[i], paths[k]), th_value(&plain.res[i], paths[k]),
				     "replication %u: %s %.17g from the file, %.17g constant", i, paths[k],
				     th_value(&file.res[i], paths[k]), th_value(&plain.res[i], paths[k]));
	}
	th_runs_free(&file);
	th_runs_free(&plain);
}

/* Rates 100, 100, 1100, 100, 100 at 0, 10, 20, 30, 60 s, doubled and 5 s
 * later: 200/s for 60 s plus a triangle 20 s wide and 2000/s high, so
 * 12000 + 20000 = 32000 arrivals expected in a 60 s run. */
static void expect_spike(const char *name, const char *text)
{
	char path[256], yaml[1024], keys[512];
	put(path, name, text);
	snprintf(keys, sizeof keys, "rate: {file: '%s', scale: 2, shift: 5s}", path);
	scenario(yaml, sizeof yaml, "60s", keys);
	struct th_runs r;
	th_run(&r, yaml, NULL, 20);
	th_check(&r, "components.src.created", 32000, 0.01);
	th_runs_free(&r);
}

Test(replay, a_spike_brings_the_integral_of_its_rate)
{
	expect_spike("spike.csv", "# a spike\n0,100\n10s,100/s\n20,1.1k/s\n30,100\n1m,100\n");
}

Test(replay, a_grafana_export_is_read_relative_to_its_first_row)
{
	expect_spike("grafana.csv", "\"Time\",\"rate(likes_total[1m])\"\r\n"
		     "\"2026-11-30T12:00:00Z\",100\r\n"
		     "\"2026-11-30 12:00:10\",100\r\n"
		     "2026-11-30T14:00:20+02:00,1100\r\n"
		     "2026-11-30T12:00:30.000Z,100\r\n"
		     "2026-11-30T12:01:00Z,100\r\n");
	expect_spike("epoch-ms.csv", "Time,likes\n1764504000000,100\n1764504010000,100\n"
		     "1764504020000,1100\n1764504030000,100\n1764504060000,100\n");
	expect_spike("epoch-s.csv", "1764504000,100\n1764504010,100\n1764504020,1100\n"
		     "1764504030,100\n1764504060,100\n");
}

/* Times 0.5 s apart with a pair at 3.5 s, shifted 1 s earlier: those
 * before 0 and after the 5 s run are left out; each item is served in
 * 1 ms, the second of the pair after waiting 1 ms: that wait holds only
 * if the two times are exactly equal. */
Test(replay, a_trace_gives_one_item_at_each_time)
{
	char path[256], yaml[1024], keys[512];
	put(path, "t.txt", "# seconds\n0.5\n1\n1500ms\n2\n2.5\n3\n3.5\n3.5\n4\n4.5\n5\n5.5\n6\n6.5\n7\n");
	snprintf(keys, sizeof keys, "arrivals: {trace: '%s', shift: -1s}", path);
	scenario(yaml, sizeof yaml, "5s", keys);
	struct th_runs r;
	th_run(&r, yaml, NULL, 1);
	/* kept: 1-1=0 through 6-1=5: 0, .5, 1, 1.5, 2, 2.5, 2.5, 3, 3.5, 4, 4.5, 5 */
	cr_expect_eq(th_value(r.res, "components.src.created"), 12);
	/* the one at 5 s is still in service when the run ends */
	cr_expect_eq(th_value(r.res, "components.src.completed"), 11);
	cr_expect_float_eq(th_value(r.res, "components.src.sojourn_s.max"), 0.002, 1e-12);
	cr_expect_float_eq(th_value(r.res, "components.src.sojourn_s.mean"), 0.012 / 11, 1e-12);
	th_runs_free(&r);
}

/* The diagnostics of a producer whose keys are src_keys. */
static void expect_error(const char *src_keys, const char *where, const char *what)
{
	char yaml[1024], buf[4096] = "";
	scenario(yaml, sizeof yaml, "10s", src_keys);
	cr_expect_gt(th_errors(yaml, buf, sizeof buf), 0, "accepted: %s", src_keys);
	cr_expect(strstr(buf, where) != NULL, "no '%s' in: %s", where, buf);
	cr_expect(strstr(buf, what) != NULL, "no '%s' in: %s", what, buf);
}

/* The rate file holding text: the errors of reading it. */
static void expect_rate_error(const char *text, const char *what)
{
	char path[256], keys[512];
	put(path, "bad.csv", text);
	snprintf(keys, sizeof keys, "rate: {file: '%s'}", path);
	expect_error(keys, "test.yaml:4:", what);	/* at the file name's key */
}

Test(replay, bad_rate_files_are_refused_at_the_key_with_the_line)
{
	expect_rate_error("0,1\n10,2\n5,3\n", "line 3: time '5' (not after the previous row's");
	expect_rate_error("0,1\n10,2\n10,3\n", "line 3: time '10' (not after");
	expect_rate_error("time,rate\n0,1\n10,-2\n", "line 3: bad rate '-2' (a rate cannot be negative)");
	expect_rate_error("0,1\n1,x1\n", "line 2: bad rate 'x1'");
	expect_rate_error("0,1\n1q,1\n", "line 2: bad time '1q'");
	expect_rate_error("0,1\n1,2,3\n", "line 2: expected 2 columns (time, rate)");
	expect_rate_error("0,1\n10\n", "line 2: expected 2 columns (time, rate), got 1");
	expect_rate_error("2026-11-30T12:00:00Z,1\n10,2\n", "line 2: bad time '10' (the first row has an RFC 3339 time");
	expect_rate_error("0,1\n\x01\xff,2\n", "line 2: bad time '\\x01\\xFF'");
	expect_rate_error("time,rate\n", "has no rows");
	expect_rate_error("0,1\n1,nan\n", "line 2: bad rate 'nan'");
}

Test(replay, a_rate_file_has_bounded_rows)
{
	char path[256], keys[512];
	snprintf(path, sizeof path, "%s/big.csv", tmp);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	for (long i = 0; i <= 1000000; i++)
		fprintf(f, "%ld,1\n", i);
	cr_assert_eq(fclose(f), 0);
	snprintf(keys, sizeof keys, "rate: {file: '%s'}", path);
	expect_error(keys, "test.yaml:4:", "line 1000001: more than 1000000 rows");
}

Test(replay, missing_and_odd_files_and_keys_are_refused)
{
	char path[256], keys[512];
	expect_error("rate: {file: /nonexistent/x.csv}", "test.yaml:4:",
		     "cannot open rate file '/nonexistent/x.csv'");
	snprintf(keys, sizeof keys, "rate: {file: '%s'}", tmp);
	expect_error(keys, "test.yaml:4:", "is not a regular file (a folder)");
	snprintf(path, sizeof path, "%s/fifo", tmp);
	cr_assert_eq(mkfifo(path, 0600), 0);
	snprintf(keys, sizeof keys, "arrivals: {trace: '%s'}", path);
	expect_error(keys, "test.yaml:4:", "is not a regular file (a FIFO)");
	put(path, "t.txt", "1\n2\n1.5\n");
	snprintf(keys, sizeof keys, "arrivals: {trace: '%s'}", path);
	expect_error(keys, "test.yaml:4:", "trace file");
	expect_error(keys, "test.yaml:4:", "line 3: time '1.5' (not at or after the previous row's");
	snprintf(keys, sizeof keys, "rate: 5/s, arrivals: {trace: '%s'}", path);
	expect_error(keys, "test.yaml:4:", "remove 'rate'");
	snprintf(keys, sizeof keys, "rate: {file: x.csv, shift: 1s, scal: 2}");
	expect_error(keys, "test.yaml:4:", "scal");
	snprintf(keys, sizeof keys, "rate: {file: x.csv}, schedule: [{at: 1s, rate: 5/s}]");
	expect_error(keys, "test.yaml:4:", "a 'schedule' cannot apply too");
	snprintf(keys, sizeof keys, "rate: {file: x.csv, shift: soon}");
	expect_error(keys, "test.yaml:4:", "bad 'shift'");
}

/* The program says where, and exits 2. */
Test(replay, the_program_exits_2_on_a_bad_file)
{
	char data[256], scen[256], yaml[1024], keys[512];
	put(data, "bad.csv", "0,1\n10,2\n5,3\n");
	snprintf(keys, sizeof keys, "rate: {file: bad.csv}");
	scenario(yaml, sizeof yaml, "10s", keys);
	put(scen, "s.yaml", yaml);
	const char *args[] = { "check", scen, NULL };
	char *out = NULL, *err = NULL;
	int rc = th_sim(args, &out, &err);
	cr_expect_eq(rc, 2, "exit %d: %s", rc, err);
	cr_expect(strstr(err, "s.yaml:4:") && strstr(err, ": error: ") && strstr(err, "line 3"),
		  "%s", err);
	free(out);
	free(err);
}
