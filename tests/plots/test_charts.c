/* test_charts.c - the charts and report.md of a run (plots/) */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/plots/plotsutil.h"

PU_SUITE(plots, "sim-charts", 180);

static bool is_png(const char *path, long *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	unsigned char sig[8] = { 0 };
	size_t n = fread(sig, 1, 8, f);
	fseek(f, 0, SEEK_END);
	*size = ftell(f);
	fclose(f);
	static const unsigned char png[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	return n == 8 && !memcmp(sig, png, 8);
}

/* Names of the .gp scripts in dir, without the extension. */
static int scripts(const char *dir, char names[][96], int max)
{
	DIR *d = opendir(dir);
	cr_assert_not_null(d);
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d)) && n < max) {
		size_t len = strlen(e->d_name);
		if (len > 3 && !strcmp(e->d_name + len - 3, ".gp"))
			snprintf(names[n++], 96, "%.*s", (int)(len - 3), e->d_name);
	}
	closedir(d);
	return n;
}

Test(plots, every_chart_drawn_and_reproducible)
{
	const char *args[] = { "run", "scenarios/retry-storm.yaml", "--set", "duration=3m",
			       "--out", tmp, "--quiet", NULL };
	char *err;
	cr_assert_eq(th_sim(args, NULL, &err), 0, "%s", err);
	cr_assert_str_eq(err, "", "a clean run prints nothing on stderr");
	free(err);
	char names[32][96];
	int n = scripts(tmp, names, 32);
	const char *want[] = { "queue-requests", "throughput", "drops", "client-app", "latency", "workers" };
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		bool found = false;
		for (int k = 0; k < n; k++)
			found = found || !strcmp(names[k], want[i]);
		cr_expect(found, "no chart %s", want[i]);
	}
	char *report;
	char path[512];
	snprintf(path, sizeof path, "%s/report.md", tmp);
	report = th_read(path, NULL);
	cr_assert_not_null(report, "no report.md");
	cr_expect(strstr(report, "# retry-storm: baseline"));
	cr_expect(strstr(report, "## Recovery"));
	cr_expect(strstr(report, "**no**"), "the storm does not recover: %s", report);
	cr_expect(strstr(report, "## Conservation") && strstr(report, "**ok**"));
	for (int k = 0; k < n; k++) {
		long size = 0;
		snprintf(path, sizeof path, "%s/%s.png", tmp, names[k]);
		cr_expect(is_png(path, &size), "%s is not a PNG", path);
		cr_expect(size > 20000 && size < 2000000, "%s: %ld bytes", path, size);
		char ref[160];
		snprintf(ref, sizeof ref, "](%s.png)", names[k]);
		cr_expect(strstr(report, ref), "report.md does not show %s", names[k]);
		/* the kept script draws again, cleanly */
		remove(path);
		char cmd[1024];
		snprintf(cmd, sizeof cmd, "cd %s && gnuplot %s.gp 2>/dev/null", tmp, names[k]);
		cr_expect_eq(system(cmd), 0, "gnuplot fails on %s.gp", names[k]);
		cr_expect(is_png(path, &size), "%s.gp did not redraw its chart", names[k]);
	}
	free(report);
}

Test(plots, charts_name_scenario_and_mark_the_window)
{
	const char *args[] = { "run", "scenarios/likes-spike.yaml", "--set", "duration=5m",
			       "--variant", "bounded", "--out", tmp, "--quiet", "--no-plots", NULL };
	cr_assert_eq(th_sim(args, NULL, NULL), 0);
	char path[512];
	snprintf(path, sizeof path, "%s/queue-analytics-q.gp", tmp);
	char *gp = th_read(path, NULL);
	cr_assert_not_null(gp);
	cr_expect(strstr(gp, "likes-spike, variant bounded, seed 1"), "title: %s", gp);
	cr_expect(strstr(gp, "set xlabel 'time (s)'"));
	cr_expect(strstr(gp, "set ylabel 'items waiting'"));
	cr_expect(strstr(gp, "set y2label 'age of the oldest item (s)'"));
	cr_expect(strstr(gp, "rectangle from 120, graph 0 to 180, graph 1"), "window not shaded: %s", gp);
	cr_expect(strstr(gp, "recovered"), "recovery not marked: %s", gp);
	free(gp);
	/* --no-plots: scripts but no images */
	snprintf(path, sizeof path, "%s/queue-analytics-q.png", tmp);
	cr_expect_neq(access(path, F_OK), 0, "--no-plots drew a chart");
}

Test(plots, a_blocked_producer_gets_its_chart_and_its_sentence)
{
	char path[512];
	const char *plain[] = { "run", "scenarios/backpressure.yaml", "--set", "duration=5m",
				"--out", tmp, "--quiet", "--no-plots", NULL };
	cr_assert_eq(th_sim(plain, NULL, NULL), 0);
	snprintf(path, sizeof path, "%s/producer-exporter.gp", tmp);
	cr_expect_neq(access(path, F_OK), 0, "nothing blocked, yet a producer chart");
	char sub[128];
	snprintf(sub, sizeof sub, "%s/block", tmp);
	const char *block[] = { "run", "scenarios/backpressure.yaml", "--set", "duration=5m",
				"--variant", "buffer", "--out", sub, "--quiet", "--no-plots", NULL };
	cr_assert_eq(th_sim(block, NULL, NULL), 0);
	snprintf(path, sizeof path, "%s/producer-exporter.gp", sub);
	char *gp = th_read(path, NULL);
	cr_assert_not_null(gp, "no chart of the blocked producer");
	cr_expect(strstr(gp, "set ylabel 'items held at the producer'"));
	cr_expect(strstr(gp, "set y2label 'time blocked (% of each interval)'"));
	free(gp);
	snprintf(path, sizeof path, "%s/drops.gp", sub);
	gp = th_read(path, NULL);
	cr_assert_not_null(gp);
	cr_expect(strstr(gp, "producer exporter: blocked"), "%s", gp);
	free(gp);
	snprintf(path, sizeof path, "%s/report.md", sub);
	char *md = th_read(path, NULL);
	cr_assert_not_null(md);
	cr_expect(strstr(md, "Backpressure: a full queue blocked `exporter`"), "%s", md);
	free(md);
}

Test(plots, without_gnuplot_the_run_succeeds_with_a_note)
{
	th_sim_path = "/nonexistent";
	const char *args[] = { "run", "scenarios/mm1.yaml", "--set", "duration=10m", "--out", tmp,
			       "--quiet", NULL };
	char *err;
	cr_assert_eq(th_sim(args, NULL, &err), 0, "%s", err);
	cr_expect(strstr(err, "gnuplot is not installed"), "%s", err);
	int notes = 0;
	for (char *p = err; (p = strstr(p, "note:")); p++)
		notes++;
	cr_expect_eq(notes, 1, "one note, not one per chart: %s", err);
	free(err);
	char path[512];
	snprintf(path, sizeof path, "%s/throughput.gp", tmp);
	cr_expect_eq(access(path, F_OK), 0, "the scripts must still be written");
	snprintf(path, sizeof path, "%s/summary.json", tmp);
	cr_expect_eq(access(path, F_OK), 0);
	snprintf(path, sizeof path, "%s/report.md", tmp);
	char *report = th_read(path, NULL);
	cr_assert_not_null(report);
	cr_expect(strstr(report, "were not drawn"), "%s", report);
	free(report);
}

Test(plots, svg_on_request)
{
	const char *args[] = { "run", "scenarios/mm1.yaml", "--set", "duration=10m", "--out", tmp,
			       "--quiet", "--svg", NULL };
	cr_assert_eq(th_sim(args, NULL, NULL), 0);
	char path[512];
	snprintf(path, sizeof path, "%s/throughput.svg", tmp);
	char *svg = th_read(path, NULL);
	cr_assert_not_null(svg, "no throughput.svg");
	cr_expect(strstr(svg, "<svg") && strstr(svg, "</svg>"), "not an SVG document");
	free(svg);
	snprintf(path, sizeof path, "%s/throughput.png", tmp);
	cr_expect_neq(access(path, F_OK), 0, "--svg drew PNGs too");
	snprintf(path, sizeof path, "%s/report.md", tmp);
	char *report = th_read(path, NULL);
	cr_expect(report && strstr(report, "](throughput.svg)"), "report.md must show the SVGs");
	free(report);
}

/* Whether a file named PWNED is anywhere under dir. */
static bool pwned_under(const char *dir)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "find '%s' -name PWNED | grep -q .", dir);
	return system(cmd) == 0;
}

/* Runs `sim CMD FILE --set duration=10m [OPT VAL] --out tmp/SUB`, which
 * must succeed without a word on stderr and draw tmp/SUB/PNG. */
static void run_drawn(const char *cmd, const char *file, const char *opt, const char *val,
		      const char *sub, const char *png)
{
	char out[128], path[512];
	snprintf(out, sizeof out, "%s/%s", tmp, sub);
	const char *args[] = { cmd, file, "--set", "duration=10m", "--out", out, "--quiet",
			       opt, val, NULL };
	char *err;
	cr_assert_eq(th_sim(args, NULL, &err), 0, "%s", err);
	cr_expect_str_eq(err, "", "gnuplot complained: %s", err);
	free(err);
	long size = 0;
	snprintf(path, sizeof path, "%s/%s", out, png);
	cr_expect(is_png(path, &size) && size > 20000, "%s was not drawn (%ld bytes)", path, size);
}

/* A scenario without `name:` is named after its file, whatever the file
 * name holds: gnuplot must draw it, never run it. */
Test(plots, a_hostile_file_name_is_drawn_not_run)
{
	char file[256], out[128], path[512];
	snprintf(path, sizeof path, "%s/scenarios/mm1.yaml", th_source_root());
	char *yaml = th_read(path, NULL);
	cr_assert_not_null(yaml);
	char *name = strstr(yaml, "\nname: mm1\n");
	cr_assert_not_null(name);
	memmove(name + 1, name + 11, strlen(name + 11) + 1);	/* no name: the file's */
	const char *stem = "x`touch PWNED`'\"q\\@mac_{b}\n;#$1";
	snprintf(file, sizeof file, "%s/%s.yaml", tmp, stem);
	FILE *f = fopen(file, "w");
	cr_assert_not_null(f);
	fputs(yaml, f);
	fclose(f);
	free(yaml);
	run_drawn("run", file, NULL, NULL, "run", "throughput.png");
	cr_expect(!pwned_under(tmp) && !pwned_under(th_source_root()), "gnuplot ran the file name");
	snprintf(path, sizeof path, "%s/run/throughput.gp", tmp);
	char *gp = th_read(path, NULL);
	cr_assert_not_null(gp);
	/* the stem names the run once made a safe folder name, so none of
	 * its hostile characters reaches the script */
	cr_expect(strstr(gp, ".'x\\_touch\\_PWNED\\_") && !strstr(gp, "`touch"),
		  "the subtitle names the file's safe stem: %s", gp);
	free(gp);
	/* compare and sweep name it in their charts too */
	run_drawn("compare", file, "--variants", "baseline,busier", "compare", "compare-line.depth.png");
	run_drawn("sweep", file, "--vary", "arrivals.rate=50/s,80/s", "sweep", "sweep-peak_depth.png");
	cr_expect(!pwned_under(tmp), "gnuplot ran the file name");
	/* a name or --set value with those characters cannot be given at all */
	snprintf(out, sizeof out, "%s/set", tmp);
	const char *set[] = { "run", "scenarios/mm1.yaml", "--set", "name=x`touch PWNED`'\"\\@",
			      "--set", "duration=10m", "--out", out, "--quiet", NULL };
	cr_expect_eq(th_sim(set, NULL, NULL), 2);
	cr_expect(!pwned_under(tmp));
}
