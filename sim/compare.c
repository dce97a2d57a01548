/* compare.c - `sim compare`: the baseline and variants of a scenario,
 * run with the same seeds (sim/runs.h) and set side by side in
 * compare.csv, compare.md and charts. */
#include "sim/compare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/charts.h"
#include "sim/runs.h"

/* The overlaid charts of the runs (plots/charts.h) into dir. */
static int compare_charts(const char *dir, const struct sim_runs *rs, const struct study_opts *o,
			  char (*names)[96], char (*titles)[160], size_t *ncharts, bool *drawn,
			  struct plots_left_out *left)
{
	const char *labels[SIM_RUNS_MAX];
	const struct sim_series *series[SIM_RUNS_MAX];
	const struct sim_scenario *scs[SIM_RUNS_MAX];
	for (size_t i = 0; i < rs->n; i++) {
		labels[i] = rs->label[i];
		series[i] = &rs->run[i].series;
		scs[i] = rs->run[i].sc;
	}
	struct plots_compare_in in = { scs, series, labels, rs->rows, rs->n, !o->no_plots,
				       o->svg, o->interrupt, o->jobs };
	return plots_compare(dir, &in, names, titles, ncharts, drawn, left);
}

static int write_compare(const char *dir, struct sim_runs *rs, const struct study_opts *o,
			 const void *extra)
{
	(void)extra;
	struct sim_atomic a;
	FILE *f = sim_runs_open_in(&a, dir, "compare.csv");
	if (!f)
		return -1;
	sim_figures_csv(f, "variant", NULL, 0, rs->rows, rs->n);
	if (sim_atomic_close(&a) < 0)
		return -1;
	char names[64][96], titles[64][160];
	size_t ncharts = 0;
	struct plots_left_out left = { 0, 0 };
	bool drawn = false;
	if (compare_charts(dir, rs, o, names, titles, &ncharts, &drawn, &left) < 0)
		return -1;
	const struct sim_scenario *sc = rs->run[0].sc;
	f = sim_runs_open_in(&a, dir, "compare.md");
	if (!f)
		return -1;
	fprintf(f, "# %s: variants compared\n\n", sc->name);
	fprintf(f, "Seed %llu, %u replication%s each; every variant sees the same arrivals and service times (common random numbers), so differences come from the policies, not from luck.%s\n\n",
		(unsigned long long)sc->seed, o->reps, o->reps == 1 ? "" : "s",
		o->reps > 1 ? " Figures are means ± 95% confidence half-widths." : "");
	fputs("The rows are ranked by the first recovery criterion (recovered in more replications, then sooner), then by the next ones; ties keep the order of the scenario. ", f);
	fputs(sim_runs_bold_rule(o->reps), f);
	fputs(" Each figure is defined in the footnotes under the table. Each variant's own report is in its folder: ", f);
	for (size_t i = 0; i < rs->n; i++)
		fprintf(f, "%s[%s](%s/report.md)", i ? ", " : "", rs->label[i], rs->sub[i]);
	fputs(".\n\n", f);
	size_t *order = calloc(rs->n ? rs->n : 1, sizeof *order);
	if (!order) {
		sim_atomic_abort(&a);
		return -1;
	}
	sim_figures_rank(rs->rows, rs->n, order);
	sim_figures_md(f, "variant", NULL, 0, rs->rows, rs->n, order);
	free(order);
	sim_runs_expectations(f, rs, o, sc->name);
	sim_runs_charts_md(f, names, titles, ncharts, drawn, o->svg);
	if (left.metrics || left.components)
		fprintf(f, "\nA comparison draws at most 64 charts: %zu more metric%s of a single run's charts, and those of %zu component%s without a chart of their own, are not compared here; each variant's `timeseries.csv` has every series.\n",
			left.metrics, left.metrics == 1 ? "" : "s", left.components,
			left.components == 1 ? "" : "s");
	return sim_atomic_close(&a);
}

static bool known_variant(const struct sim_scenario *sc, const char *v)
{
	bool known = !strcmp(v, "baseline");
	for (size_t i = 0; i < sc->nvariants && !known; i++)
		known = !strcmp(v, sc->variants[i]);
	return known;
}

/* Fills rs's labels from --variants "a,b,..." (NULL: baseline and every
 * variant).  Empty names, unknown or repeated ones and more than SIM_RUNS_MAX
 * runs are errors, never skipped or cut short.  Returns 0 or 2. */
static int pick_variants(const struct sim_scenario *sc, const char *scenario,
			 const char *variants, struct sim_runs *rs)
{
	if (!variants) {
		if (sc->nvariants + 1 > SIM_RUNS_MAX) {
			fprintf(stderr, "%s: error: baseline and %zu variants make %zu runs; compare runs at most %d (pick some with --variants)\n",
				scenario, sc->nvariants, sc->nvariants + 1, SIM_RUNS_MAX);
			return 2;
		}
		snprintf(rs->label[rs->n++], sizeof rs->label[0], "baseline");
		for (size_t i = 0; i < sc->nvariants; i++)
			snprintf(rs->label[rs->n++], sizeof rs->label[0], "%s", sc->variants[i]);
		return 0;
	}
	for (const char *v = variants;; v++) {
		size_t len = strcspn(v, ",");
		if (!len) {
			fprintf(stderr, "sim: --variants '%s' has an empty name (expected names separated by single commas)\n",
				variants);
			return 2;
		}
		if (rs->n == SIM_RUNS_MAX) {
			fprintf(stderr, "sim: --variants names more than %d variants (compare runs at most %d)\n",
				SIM_RUNS_MAX, SIM_RUNS_MAX);
			return 2;
		}
		char *label = rs->label[rs->n];
		snprintf(label, sizeof rs->label[0], "%.*s", (int)len, v);
		if (len >= sizeof rs->label[0] || !known_variant(sc, label)) {
			fprintf(stderr, "%s: error: unknown variant '%.*s' (expected baseline", scenario,
				(int)(len < 80 ? len : 80), v);
			for (size_t i = 0; i < sc->nvariants; i++)
				fprintf(stderr, ", %s", sc->variants[i]);
			fprintf(stderr, ")\n");
			return 2;
		}
		for (size_t i = 0; i < rs->n; i++)
			if (!strcmp(rs->label[i], label)) {
				fprintf(stderr, "sim: --variants names '%s' twice\n", label);
				return 2;
			}
		rs->n++;
		v += len;
		if (!*v)
			return 0;
	}
}

int sim_compare(const struct study_opts *o, const char *variants, const char *out)
{
	struct sim_scenario *sc = study_load(o);
	if (!sc)
		return 2;
	size_t cap = 1;
	for (const char *c = variants; c && *c; c++)
		cap += *c == ',';
	if (!variants)
		cap += sc->nvariants;
	if (cap > SIM_RUNS_MAX)
		cap = SIM_RUNS_MAX;
	struct sim_runs rs;
	int rc = sim_runs_alloc(&rs, cap) < 0 ? 1 : 0;
	if (!rc)
		rc = pick_variants(sc, o->scenario, variants, &rs);
	const char **names = calloc(cap, sizeof *names);
	if (!rc && !names)
		rc = 1;
	for (size_t i = 0; !rc && i < rs.n; i++) {
		names[i] = rs.label[i];
		sim_runs_folder(rs.sub[i], sizeof rs.sub[i], rs.label[i]);
	}
	char dir[4096];
	struct sim_runs_plan p = { .command = "compare", .out = out, .scenario_name = sc->name,
				   .variants = names, .write = write_compare };
	if (!rc)
		rc = sim_runs_owned(o, &rs, &p, dir, sizeof dir);
	if (!rc && !o->quiet) {
		sim_runs_print_table(&rs, NULL, 0, true);
		printf("\nthe main figures, ranked by recovery; every figure, defined, in %s/compare.md (and compare.csv); each variant in its own folder\n",
		       dir);
	}
	if (!rc)
		rc = sim_runs_expectations(NULL, &rs, o, sc->name);
	sim_scenario_free(sc);
	free(names);
	sim_runs_free(&rs);
	return rc;
}
