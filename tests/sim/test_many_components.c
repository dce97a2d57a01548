/* test_many_components.c - a scenario of 1,000 independent pipelines
 * (3,000 components), checked and run as users run them: names resolve,
 * the summary and the report hold every component with its own figures,
 * a misspelt name is still reported.  Loading, running and reporting
 * look names up through indexes (sim/strindex.h); a walk per name made
 * them quadratic in the number of components.  A variant that overrides
 * every one of them is applied in one pass (a copy of the components'
 * map per override made it quadratic in time and memory). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/node.h"
#include "sim/scenario.h"
#include "tests/helpers.h"

#define PIPES 1000
#define BUSY 123	/* the one pipeline with work: 100 items/s, 5 ms each */

static char tmp[64];

static void setup(void)
{
	th_tmpdir(tmp, "sim-many");
}

static void teardown(void)
{
	th_rmtree(tmp);
}

TestSuite(sim_many_components, .init = setup, .fini = teardown, .timeout = 300);

/* producer -> queue -> workers, PIPES times; the last producer sends to
 * last_to. */
static void write_scenario(char *path, const char *last_to)
{
	snprintf(path, 256, "%s/many.yaml", tmp);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "name: many\nduration: 1s\nseed: 1\ncomponents:\n");
	for (int i = 0; i < PIPES; i++) {
		char to[32];
		snprintf(to, sizeof to, "q%d", i);
		if (i == BUSY)
			fprintf(f, "  p%d: {kind: producer, rate: 100/s, arrivals: constant, to: q%d}\n"
				   "  q%d: {kind: queue}\n"
				   "  w%d: {kind: workers, from: q%d, count: 2, service: 5ms}\n",
				i, i, i, i, i);
		else
			fprintf(f, "  p%d: {kind: producer, rate: 1e-7/s, to: %s}\n"
				   "  q%d: {kind: queue}\n"
				   "  w%d: {kind: workers, from: q%d, count: 2, service: 1ms}\n",
				i, i == PIPES - 1 ? last_to : to, i, i, i);
	}
	fclose(f);
}

/* The lines of text that start with prefix. */
static int lines_starting(const char *text, const char *prefix)
{
	int n = 0;
	size_t len = strlen(prefix);
	for (const char *p = text; p; p = strchr(p, '\n')) {
		p += *p == '\n';
		n += !strncmp(p, prefix, len);
	}
	return n;
}

/* report.md: a row per component with its own figures, the shared
 * charts kept and what the 64 charts leave out said. */
static void report_has_every_component(const char *out)
{
	char *md = th_read_in(out, "report.md");
	cr_assert_not_null(md);
	cr_expect_eq(lines_starting(md, "| `p"), PIPES, "a row per producer");
	cr_expect_eq(lines_starting(md, "| `q"), PIPES, "a row per queue");
	cr_expect_eq(lines_starting(md, "| `w"), PIPES, "a row per workers");
	cr_expect(strstr(md, "\n| `p123` | 99 | 99 | 0% | 5 ms | 5 ms |\n"), "the busy producer");
	cr_expect(strstr(md, "\n| `w123` | 2 | 24.75% | 99/s |\n"), "its workers");
	cr_expect(strstr(md, "\n| `p122` | 0 | 0 | 0% | n/a | n/a |\n"), "an idle one");
	cr_expect(strstr(md, "\n| `w999` | 2 | 0% | 0/s |\n"), "the last one");
	/* 64 charts at most: the shared ones are kept, the queues' own
	 * charts fill the rest, and the report says how many have none */
	int queues = lines_starting(md, "- Queue q");
	int shared = lines_starting(md, "- ") - queues;
	cr_expect(strstr(md, "[`throughput.gp`](throughput.gp)"), "the throughput chart");
	cr_expect(strstr(md, "[`workers.gp`](workers.gp)"), "the pools' chart");
	/* a shared chart draws 24 lines and says so */
	cr_expect(strstr(md, "\n- Offered load, throughput and goodput (the first 24 of 2000 "
			     "lines): [`throughput.gp`]"), "the throughput chart's title");
	cr_expect(strstr(md, "\n- Worker pools: utilisation (the first 24 of 1000 lines): "),
		  "the pools' chart's title");
	cr_expect_eq(queues + shared, 64, "%d queues' charts, %d shared", queues, shared);
	cr_expect_geq(shared, 2);
	char told[160];
	snprintf(told, sizeof told, "A run draws at most 64 charts: %d more components, after the "
		 "last one charted here, have no chart of their own", PIPES - queues);
	cr_expect(strstr(md, told), "%s", told);
	free(md);
	char *tp = th_read_in(out, "throughput.gp");
	cr_expect_not_null(tp, "the shared throughput chart");
	free(tp);
}

/* summary.json: every component with its own figures; conservation. */
static void summary_has_every_component(const char *out)
{
	char *sum = th_read_in(out, "summary.json");
	cr_assert_not_null(sum);
	cr_expect_eq(lines_starting(sum, "    \"p"), PIPES, "every producer in the summary");
	cr_expect_eq(lines_starting(sum, "    \"w"), PIPES, "every workers in the summary");
	const char *p = strstr(sum, "\n    \"p123\": {\n      \"kind\": \"producer\",\n"
				    "      \"created\": 99,\n      \"completed\": 99,\n");
	cr_expect_not_null(p, "the busy producer's figures");
	const char *w = strstr(sum, "\n    \"w123\": {\n      \"kind\": \"workers\",\n"
				    "      \"completed\": 99,\n");
	cr_expect_not_null(w, "its workers' figures");
	cr_expect(strstr(sum, "\"conservation\": {\"created\": 99, \"completed\": 99, "
			      "\"dropped\": 0, \"in_flight\": 0, \"ok\": true}"),
		  "every item accounted for");
	free(sum);
}

/* charts.csv: only the columns the charts draw, where they look. */
static void charts_read_what_they_draw(const char *out)
{
	/* charts.csv holds the columns the charts draw, not all 27,000:
	 * gnuplot reads every field of a line for each line it draws */
	char *csv = th_read_in(out, "charts.csv");
	char *gp = th_read_in(out, "queue-q0.gp");
	cr_assert(csv && gp);
	int fields = 1;
	for (const char *c = csv; *c && *c != '\n'; c++)
		fields += *c == ',';
	cr_expect_lt(fields, 1000, "%d columns", fields);
	cr_expect(!strstr(csv, "mean(q0.arrived)"), "a column no chart draws");
	const char *at = strstr(gp, "'charts.csv' skip 1 using ($1/1):($");
	cr_assert_not_null(at, "%s", gp);
	int col = atoi(at + strlen("'charts.csv' skip 1 using ($1/1):($"));
	const char *f = csv;
	for (int k = 1; f && k < col; k++) {
		f = strchr(f, ',');
		f = f ? f + 1 : NULL;
	}
	cr_expect(f && !strncmp(f, "mean(q0.depth),", 15), "column %d: %.30s", col, f ? f : "");
	free(csv);
	free(gp);
}

Test(sim_many_components, check_and_run)
{
	char path[256], out[128];
	write_scenario(path, "q999");
	snprintf(out, sizeof out, "%s/out", tmp);
	char *sout = NULL, *err = NULL;
	const char *check[] = { "check", path, NULL };
	cr_assert_eq(th_sim(check, &sout, &err), 0, "%s", err);
	cr_expect(strstr(sout, "ok: scenario 'many', 3000 components"), "%s", sout);
	free(sout);
	free(err);

	const char *run[] = { "run", path, "--out", out, "--quiet", "--no-plots", NULL };
	cr_assert_eq(th_sim(run, NULL, &err), 0, "%s", err);
	free(err);

	report_has_every_component(out);
	summary_has_every_component(out);
	charts_read_what_they_draw(out);
}

Test(sim_many_components, a_comparison_says_what_it_leaves_out)
{
	char path[256], out[128];
	write_scenario(path, "q999");
	FILE *f = fopen(path, "a");
	cr_assert_not_null(f);
	fputs("variants:\n  more:\n    w123: {count: 3}\n", f);
	fclose(f);
	snprintf(out, sizeof out, "%s/cmp", tmp);
	char *err = NULL;
	const char *cmp[] = { "compare", path, "--out", out, "--quiet", "--no-plots", NULL };
	cr_assert_eq(th_sim(cmp, NULL, &err), 0, "%s", err);
	free(err);
	char *md = th_read_in(out, "compare.md");
	cr_assert_not_null(md);
	cr_expect_eq(lines_starting(md, "- "), 64, "64 charts");
	/* the single run charts as many queues as 64 charts leave room for */
	char *run_md = th_read_in(out, "baseline/report.md");
	cr_assert_not_null(run_md);
	char told[200];
	snprintf(told, sizeof told, "metrics of a single run's charts, and those of %d components "
		 "without a chart of their own, are not compared here",
		 PIPES - lines_starting(run_md, "- Queue q"));
	const char *at = strstr(md, "\nA comparison draws at most 64 charts: ");
	cr_expect(at && strstr(at, told), "%s", told);
	free(run_md);
	free(md);
}

Test(sim_many_components, a_misspelt_name_among_many)
{
	char path[256];
	write_scenario(path, "q9999");
	char *err = NULL;
	const char *check[] = { "check", path, NULL };
	cr_assert_eq(th_sim(check, NULL, &err), 2, "%s", err);
	cr_expect(strstr(err, "many.yaml:3002:44: error: 'to' of producer 'p999' names unknown "
			      "component 'q9999' (did you mean 'q999'?)"), "%s", err);
	free(err);
}

/* The YAML of PIPES workers pools, a variant overriding each pool's
 * count, removing one producer and adding one: malloc'd. */
static char *variant_yaml(void)
{
	size_t size = 200 * (size_t)PIPES + 512, len = 0;
	char *y = malloc(size);
	cr_assert_not_null(y);
	len += (size_t)snprintf(y + len, size - len, "name: many\nduration: 1s\ncomponents:\n");
	for (int i = 0; i < PIPES; i++)
		len += (size_t)snprintf(y + len, size - len,
					"  p%d: {kind: producer, rate: 1/s, to: q%d}\n"
					"  q%d: {kind: queue}\n"
					"  w%d: {kind: workers, from: q%d, count: 2, service: 1ms}\n",
					i, i, i, i, i);
	len += (size_t)snprintf(y + len, size - len,
				"variants:\n  wide:\n    p5: null\n"
				"    extra: {kind: producer, rate: 2/s, to: q5}\n");
	for (int i = PIPES - 1; i >= 0; i--)
		len += (size_t)snprintf(y + len, size - len, "    w%d: {count: %d}\n", i, 3 + i % 4);
	cr_assert_lt(len, size);
	return y;
}

Test(sim_many_components, a_variant_edits_every_component_in_one_pass)
{
	char *y = variant_yaml();
	struct sim_scenario *sc = th_load(y, "wide");
	free(y);
	cr_assert_not_null(sc);
	cr_assert_eq(sc->ncomps, 3 * PIPES, "one removed, one added: %zu", sc->ncomps);
	for (size_t i = 0; i + 1 < sc->ncomps; i++) {	/* the order of the file */
		size_t k = i < 15 ? i : i + 1;	/* p5, the 16th, is gone */
		char want[32];
		snprintf(want, sizeof want, "%c%zu", "pqw"[k % 3], k / 3);
		cr_assert_str_eq(sc->comps[i].name, want, "component %zu", i);
		if (k % 3 != 2)
			continue;
		const struct sim_node *count = sim_node_get(sc->comps[i].map, "count");
		char n[8];
		snprintf(n, sizeof n, "%zu", 3 + (k / 3) % 4);
		cr_assert(count && !strcmp(count->str, n), "%s: count %s", want,
			  count ? count->str : "none");
		cr_assert(sim_node_get(sc->comps[i].map, "service"), "%s keeps its service", want);
	}
	cr_expect_str_eq(sc->comps[sc->ncomps - 1].name, "extra", "an added component comes last");
	sim_scenario_free(sc);
}
