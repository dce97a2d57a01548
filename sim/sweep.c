/* sweep.c - `sim sweep`: a scenario run at each value, or combination of
 * values, of one or more --vary COMPONENT.KEY=V1,V2,... (sim/runs.h), set
 * side by side in sweep.csv, sweep.md and a chart per figure
 * (plots/sweep.h). */
#include "sim/compare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/sweep.h"
#include "sim/runs.h"

#define MAX_VALUES 64
#define SET_LEN 300	/* one "COMPONENT.KEY=VALUE" */

struct vary {
	char key[256];
	char *values[MAX_VALUES];
	size_t n;
};

/* Splits "COMPONENT.KEY=V1,V2,..." into v.  Empty values, more than
 * MAX_VALUES values and a key or value too long for the --set it becomes
 * are errors, never skipped or cut short. */
static int parse_vary(const char *arg, struct vary *v, const char *scenario)
{
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg || !eq[1]) {
		fprintf(stderr, "sim: --vary needs COMPONENT.KEY=V1,V2,..., got '%s'\n", arg);
		return -1;
	}
	if ((size_t)(eq - arg) >= sizeof v->key) {
		fprintf(stderr, "sim: --vary key longer than %zu bytes\n", sizeof v->key - 1);
		return -1;
	}
	snprintf(v->key, sizeof v->key, "%.*s", (int)(eq - arg), arg);
	v->n = 0;
	for (const char *t = eq + 1;; t++) {
		size_t len = strcspn(t, ",");
		if (!len) {
			fprintf(stderr, "sim: --vary %s has an empty value (expected values separated by single commas)\n",
				v->key);
			return -1;
		}
		if (v->n == MAX_VALUES) {
			fprintf(stderr, "%s: error: --vary %s has more than %d values\n", scenario, v->key,
				MAX_VALUES);
			return -1;
		}
		if (strlen(v->key) + 1 + len >= SET_LEN) {
			fprintf(stderr, "sim: --vary %s: a value longer than %zu bytes\n", v->key,
				SET_LEN - 2 - strlen(v->key));
			return -1;
		}
		for (size_t k = 0; k < v->n; k++)
			if (strlen(v->values[k]) == len && !strncmp(v->values[k], t, len)) {
				/* two points would share a folder and a row */
				fprintf(stderr, "sim: --vary %s lists '%s' twice\n", v->key, v->values[k]);
				return -1;
			}
		v->values[v->n++] = strndup(t, len);
		t += len;
		if (!*t)
			return 0;
	}
}

struct sweep {
	const char *const *keynames;
	const size_t *nvalues;
	size_t nvaries;
};

static int write_sweep(const char *dir, struct sim_runs *rs, const struct study_opts *o,
		       const void *extra)
{
	const struct sweep *sw = extra;
	const char *const *keynames = sw->keynames;
	size_t nvaries = sw->nvaries;
	struct sim_atomic a;
	FILE *f = sim_runs_open_in(&a, dir, "sweep.csv");
	if (!f)
		return -1;
	sim_figures_csv(f, "point", keynames, nvaries, rs->rows, rs->n);
	if (sim_atomic_close(&a) < 0)
		return -1;
	char names[64][96], titles[64][160];
	size_t ncharts = 0;
	bool drawn = false;
	const struct sim_scenario *sc = rs->run[0].sc;
	struct plots_sweep_in in = { sc, keynames, sw->nvalues, nvaries, rs->rows, rs->n, o->reps,
				     !o->no_plots, o->svg, o->interrupt, o->jobs };
	if (plots_sweep(dir, &in, names, titles, &ncharts, &drawn) < 0)
		return -1;
	if (!(f = sim_runs_open_in(&a, dir, "sweep.md")))
		return -1;
	fprintf(f, "# %s: sweep of", sc->name);
	for (size_t i = 0; i < nvaries; i++)
		fprintf(f, "%s `%s`", i ? " and" : "", keynames[i]);
	fprintf(f, "\n\nSeed %llu, %u replication%s per point, the same random numbers at every point.%s %s Each figure is defined in the footnotes under the table.\n\n",
		(unsigned long long)sc->seed, o->reps, o->reps == 1 ? "" : "s",
		o->reps > 1 ? " Figures are means ± 95% confidence half-widths; the charts show them as error bars." : "",
		sim_runs_bold_rule(o->reps));
	sim_figures_md(f, "point", keynames, nvaries, rs->rows, rs->n, NULL);
	sim_runs_expectations(f, rs, o, rs->run[0].sc->name);
	sim_runs_charts_md(f, names, titles, ncharts, drawn, o->svg);
	return sim_atomic_close(&a);
}

/* The points of a sweep, the last --vary fastest: labels, folders, the
 * --set of each (setbuf, 8 of 300 bytes a point) and its values. */
static void sweep_points(const struct vary *v, size_t nvaries, struct sim_runs *rs,
			 char (*setbuf)[8][300], const char *(*sets)[8], const char *(*keyvals)[8])
{
	for (size_t p = 0; p < rs->n; p++) {
		size_t rest = p;
		char label[256] = "";
		for (size_t i = nvaries; i-- > 0;) {
			size_t k = rest % v[i].n;
			rest /= v[i].n;
			snprintf(setbuf[p][i], sizeof setbuf[p][i], "%s=%s", v[i].key, v[i].values[k]);
			sets[p][i] = setbuf[p][i];
			keyvals[p][i] = v[i].values[k];
		}
		for (size_t i = 0; i < nvaries; i++) {
			size_t used = strlen(label);
			snprintf(label + used, sizeof label - used, "%s%s", i ? "," : "", setbuf[p][i]);
		}
		snprintf(rs->label[p], 256, "%s", label);
		sim_runs_folder(rs->sub[p], sizeof rs->sub[p], label);
		rs->rows[p].keys = keyvals[p];
	}
}

int sim_sweep(const struct study_opts *o, const char *const *varies, size_t nvaries, const char *out)
{
	if (!nvaries) {
		fprintf(stderr, "sim: sweep needs at least one --vary COMPONENT.KEY=V1,V2,...\n");
		return 2;
	}
	if (nvaries > 8) {
		fprintf(stderr, "sim: at most 8 --vary options\n");
		return 2;
	}
	struct sim_scenario *sc = study_load(o);
	if (!sc)
		return 2;
	struct vary v[8];
	memset(v, 0, sizeof v);
	size_t total = 1;
	int rc = 0;
	for (size_t i = 0; i < nvaries; i++) {
		if (parse_vary(varies[i], &v[i], o->scenario) < 0)
			rc = 2;
		else
			total *= v[i].n;
	}
	if (!rc && total > SIM_RUNS_MAX) {
		fprintf(stderr, "sim: the sweep has %zu points (at most %d)\n", total, SIM_RUNS_MAX);
		rc = 2;
	}
	struct sim_runs rs = { 0 };
	char (*setbuf)[8][SET_LEN] = rc ? NULL : calloc(total, sizeof *setbuf);
	const char *(*sets)[8] = rc ? NULL : calloc(total, sizeof *sets);
	const char *(*keyvals)[8] = rc ? NULL : calloc(total, sizeof *keyvals);
	size_t *nsets = rc ? NULL : calloc(total, sizeof *nsets);
	if (!rc && (!setbuf || !sets || !keyvals || !nsets || sim_runs_alloc(&rs, total) < 0))
		rc = 1;
	const char *keynames[8];
	size_t nvalues[8];
	for (size_t i = 0; i < nvaries; i++) {
		keynames[i] = v[i].key;
		nvalues[i] = v[i].n;
	}
	char dir[4096];
	if (!rc) {
		rs.n = total;
		sweep_points(v, nvaries, &rs, setbuf, sets, keyvals);
		for (size_t p = 0; p < total; p++)
			nsets[p] = nvaries;
		struct sweep sw = { keynames, nvalues, nvaries };
		struct sim_runs_plan p = { .command = "sweep", .out = out, .scenario_name = sc->name,
					   .sets = (const char *const (*)[8])sets, .nsets = nsets,
					   .write = write_sweep, .extra = &sw };
		rc = sim_runs_owned(o, &rs, &p, dir, sizeof dir);
	}
	if (!rc && !o->quiet) {
		sim_runs_print_table(&rs, keynames, nvaries, false);
		printf("\nthe main figures; every figure, defined, in %s/sweep.md (and sweep.csv); each point in its own folder\n",
		       dir);
	}
	if (!rc)
		rc = sim_runs_expectations(NULL, &rs, o, sc->name);
	sim_scenario_free(sc);
	sim_runs_free(&rs);
	free(setbuf);
	free(sets);
	free(keyvals);
	free(nsets);
	for (size_t i = 0; i < nvaries; i++)
		for (size_t k = 0; k < v[i].n; k++)
			free(v[i].values[k]);
	return rc;
}
