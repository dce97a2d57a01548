/* compare.c - variants and sweep points, run and set side by side. */
#include "sim/compare.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plots/charts.h"
#include "sim/figures.h"
#include "sim/output.h"

#define MAX_RUNS 256

struct runs {
	struct study_run run[MAX_RUNS];
	char label[MAX_RUNS][256];
	char sub[MAX_RUNS][256];
	struct sim_figure_row rows[MAX_RUNS];
	size_t n;
};

static FILE *open_tmp(const char *dir, const char *name, char *path, char *tmp)
{
	snprintf(path, 4200, "%s/%s", dir, name);
	snprintf(tmp, 4300, "%s.tmp%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "w");
	if (!f)
		fprintf(stderr, "sim: cannot write %s: %s\n", path, strerror(errno));
	return f;
}

static int close_tmp(FILE *f, const char *path, const char *tmp)
{
	if (fclose(f) != 0 || rename(tmp, path) < 0) {
		fprintf(stderr, "sim: cannot write %s: %s\n", path, strerror(errno));
		remove(tmp);
		return -1;
	}
	return 0;
}

/* A folder name for a label: no slashes, no spaces. */
static void folder_of(char *dst, size_t size, const char *label)
{
	size_t i = 0;
	for (; label[i] && i + 1 < size; i++) {
		char c = label[i];
		dst[i] = (c == '/' || c == ' ' || c == ',' || c == ':') ? '_' : c;
	}
	dst[i] = 0;
}

/* Runs each configuration into dir/sub; prints one line per run. */
static int run_all(const struct study_opts *o, struct runs *rs, const char *dir,
		   const char *const *variants, const char *const (*sets)[8], const size_t *nsets)
{
	struct study_opts quiet = *o;
	quiet.quiet = true;
	for (size_t i = 0; i < rs->n; i++) {
		char where[4600];
		snprintf(where, sizeof where, "%s/%s", dir, rs->sub[i]);
		if (!o->quiet)
			fprintf(stderr, "sim: running %s (%zu of %zu)\n", rs->label[i], i + 1, rs->n);
		int rc = study_run(&quiet, variants ? variants[i] : NULL, sets ? sets[i] : NULL,
				   nsets ? nsets[i] : 0, where, &rs->run[i]);
		if (rc == 2 || (rc >= 128 && !rs->run[i].summary))
			return rc;
		if (!rs->run[i].summary)
			return rc ? rc : 1;
		rs->rows[i].label = rs->label[i];
		rs->rows[i].n = sim_figures(rs->run[i].sc, rs->run[i].summary, rs->rows[i].figs);
		if (rc) {
			sim_figures_prune(rs->rows, i + 1);
			return rc;
		}
	}
	sim_figures_prune(rs->rows, rs->n);
	return 0;
}

static void print_table(const struct runs *rs, const char *const *keynames, size_t nkeys)
{
	/* the markdown table reads well on a terminal too */
	sim_figures_md(stdout, "run", keynames, nkeys, rs->rows, rs->n);
}

static void free_runs(struct runs *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		study_run_fini(&rs->run[i]);
}

static int write_compare(const char *dir, struct runs *rs, const struct study_opts *o)
{
	char path[4200], tmp[4300];
	FILE *f = open_tmp(dir, "compare.csv", path, tmp);
	if (!f)
		return -1;
	sim_figures_csv(f, "variant", NULL, 0, rs->rows, rs->n);
	if (close_tmp(f, path, tmp) < 0)
		return -1;

	const char *labels[MAX_RUNS], *subs[MAX_RUNS];
	const struct sim_series *series[MAX_RUNS];
	for (size_t i = 0; i < rs->n; i++) {
		labels[i] = rs->label[i];
		subs[i] = rs->sub[i];
		series[i] = &rs->run[i].series;
	}
	static char names[64][96], titles[64][160];
	size_t ncharts = 0;
	bool drawn = false;
	const struct sim_scenario *sc = rs->run[0].sc;
	if (plots_compare(dir, sc, series, labels, subs, rs->n, !o->no_plots, o->svg,
			  names, titles, &ncharts, &drawn) < 0)
		return -1;

	f = open_tmp(dir, "compare.md", path, tmp);
	if (!f)
		return -1;
	fprintf(f, "# %s: variants compared\n\n", sc->name);
	fprintf(f, "Seed %llu, %u replication%s each; every variant sees the same arrivals and service times (common random numbers), so differences come from the policies, not from luck.%s\n\n",
		(unsigned long long)sc->seed, o->reps, o->reps == 1 ? "" : "s",
		o->reps > 1 ? " Figures are means ± 95% confidence half-widths." : "");
	fputs("Bold marks the best value of each column. Each variant's own report is in its folder: ", f);
	for (size_t i = 0; i < rs->n; i++)
		fprintf(f, "%s[%s](%s/report.md)", i ? ", " : "", rs->label[i], rs->sub[i]);
	fputs(".\n\n", f);
	sim_figures_md(f, "variant", NULL, 0, rs->rows, rs->n);
	fputs("\n## Charts\n", f);
	for (size_t i = 0; i < ncharts; i++) {
		if (drawn)
			fprintf(f, "\n### %s\n\n![%s](%s.%s)\n", titles[i], titles[i], names[i],
				o->svg ? "svg" : "png");
		else
			fprintf(f, "\n- %s: [`%s.gp`](%s.gp)\n", titles[i], names[i], names[i]);
	}
	return close_tmp(f, path, tmp);
}

static bool known_variant(const struct sim_scenario *sc, const char *v)
{
	bool known = !strcmp(v, "baseline");
	for (size_t i = 0; i < sc->nvariants && !known; i++)
		known = !strcmp(v, sc->variants[i]);
	return known;
}

/* Fills rs's labels from --variants "a,b,..." (NULL: baseline and every
 * variant).  Empty names, unknown or repeated ones and more than MAX_RUNS
 * runs are errors, never skipped or cut short.  Returns 0 or 2. */
static int pick_variants(const struct sim_scenario *sc, const char *scenario,
			 const char *variants, struct runs *rs)
{
	if (!variants) {
		if (sc->nvariants + 1 > MAX_RUNS) {
			fprintf(stderr, "%s: error: baseline and %zu variants make %zu runs; compare runs at most %d (pick some with --variants)\n",
				scenario, sc->nvariants, sc->nvariants + 1, MAX_RUNS);
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
		if (rs->n == MAX_RUNS) {
			fprintf(stderr, "sim: --variants names more than %d variants (compare runs at most %d)\n",
				MAX_RUNS, MAX_RUNS);
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
	static struct runs rs;
	memset(&rs, 0, sizeof rs);
	const char *names[MAX_RUNS];
	if (pick_variants(sc, o->scenario, variants, &rs)) {
		sim_scenario_free(sc);
		return 2;
	}
	for (size_t i = 0; i < rs.n; i++) {
		names[i] = rs.label[i];
		folder_of(rs.sub[i], sizeof rs.sub[i], rs.label[i]);
	}
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", out ? out : "");
	if (!out)
		snprintf(dir, sizeof dir, "out/%s", sc->name);
	sim_scenario_free(sc);
	if (sim_mkdirs(dir) < 0) {
		fprintf(stderr, "sim: cannot create %s: %s\n", dir, strerror(errno));
		return 1;
	}
	int rc = run_all(o, &rs, dir, names, NULL, NULL);
	if (!rc && write_compare(dir, &rs, o) < 0)
		rc = 1;
	if (!rc && !o->quiet) {
		print_table(&rs, NULL, 0);
		printf("\ncomparison in %s/compare.md, compare.csv; each variant in its own folder\n", dir);
	}
	free_runs(&rs);
	return rc;
}

/* ---- sweep -------------------------------------------------------------- */

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
		v->values[v->n++] = strndup(t, len);
		t += len;
		if (!*t)
			return 0;
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
	int bad = 0;
	for (size_t i = 0; i < nvaries; i++) {
		if (parse_vary(varies[i], &v[i], o->scenario) < 0)
			bad = 1;
		else
			total *= v[i].n;
	}
	char dir[4096];
	if (out)
		snprintf(dir, sizeof dir, "%s", out);
	else
		snprintf(dir, sizeof dir, "out/%s", sc->name);
	sim_scenario_free(sc);
	if (!bad && total > MAX_RUNS) {
		fprintf(stderr, "sim: the sweep has %zu points (at most %d)\n", total, MAX_RUNS);
		bad = 1;
	}
	static struct runs rs;
	static char setbuf[MAX_RUNS][8][SET_LEN];
	static const char *sets[MAX_RUNS][8];
	static size_t nsets[MAX_RUNS];
	static const char *keyvals[MAX_RUNS][8];
	memset(&rs, 0, sizeof rs);
	const char *keynames[8];
	for (size_t p = 0; !bad && p < total; p++) {
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
		nsets[p] = nvaries;
		snprintf(rs.label[p], 256, "%s", label);
		folder_of(rs.sub[p], sizeof rs.sub[p], label);
		rs.rows[p].keys = keyvals[p];
	}
	for (size_t i = 0; i < nvaries; i++)
		keynames[i] = v[i].key;
	rs.n = bad ? 0 : total;
	int rc = bad ? 2 : 0;
	if (!rc && sim_mkdirs(dir) < 0) {
		fprintf(stderr, "sim: cannot create %s: %s\n", dir, strerror(errno));
		rc = 1;
	}
	if (!rc)
		rc = run_all(o, &rs, dir, NULL, (const char *const (*)[8])sets, nsets);
	if (!rc) {
		for (size_t p = 0; p < rs.n; p++)
			rs.rows[p].keys = keyvals[p];
		char path[4200], tmp[4300];
		FILE *f = open_tmp(dir, "sweep.csv", path, tmp);
		if (!f)
			rc = 1;
		else {
			sim_figures_csv(f, "point", keynames, nvaries, rs.rows, rs.n);
			if (close_tmp(f, path, tmp) < 0)
				rc = 1;
		}
		static char names[64][96], titles[64][160];
		size_t ncharts = 0;
		bool drawn = false;
		if (!rc && plots_sweep(dir, rs.run[0].sc, keynames, nvaries, rs.rows, rs.n, o->reps,
				       !o->no_plots, o->svg, names, titles, &ncharts, &drawn) < 0)
			rc = 1;
		f = rc ? NULL : open_tmp(dir, "sweep.md", path, tmp);
		if (f) {
			fprintf(f, "# %s: sweep of", rs.run[0].sc->name);
			for (size_t i = 0; i < nvaries; i++)
				fprintf(f, "%s `%s`", i ? " and" : "", keynames[i]);
			fprintf(f, "\n\nSeed %llu, %u replication%s per point, the same random numbers at every point.%s Bold marks the best value of each column.\n\n",
				(unsigned long long)rs.run[0].sc->seed, o->reps, o->reps == 1 ? "" : "s",
				o->reps > 1 ? " Figures are means ± 95% confidence half-widths; the charts show them as error bars." : "");
			sim_figures_md(f, "point", keynames, nvaries, rs.rows, rs.n);
			fputs("\n## Charts\n", f);
			for (size_t i = 0; i < ncharts; i++) {
				if (drawn)
					fprintf(f, "\n### %s\n\n![%s](%s.%s)\n", titles[i], titles[i],
						names[i], o->svg ? "svg" : "png");
				else
					fprintf(f, "\n- %s: [`%s.gp`](%s.gp)\n", titles[i], names[i], names[i]);
			}
			if (close_tmp(f, path, tmp) < 0)
				rc = 1;
		} else if (!rc) {
			rc = 1;
		}
		if (!rc && !o->quiet) {
			print_table(&rs, keynames, nvaries);
			printf("\nsweep in %s/sweep.md, sweep.csv; each point in its own folder\n", dir);
		}
	}
	free_runs(&rs);
	for (size_t i = 0; i < nvaries; i++)
		for (size_t k = 0; k < v[i].n; k++)
			free(v[i].values[k]);
	return rc;
}
