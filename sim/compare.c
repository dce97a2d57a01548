/* compare.c - variants and sweep points, run and set side by side. */
#include "sim/compare.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plots/charts.h"
#include "plots/sweep.h"
#include "sim/atomic.h"
#include "sim/expect.h"
#include "sim/figures.h"
#include "sim/outdir.h"
#include "sim/output.h"
#include "sim/terminal.h"

#define MAX_RUNS 256

/* The runs of a comparison, n of each (heap, sized to the runs). */
struct runs {
	struct study_run *run;
	char (*label)[256];
	char (*sub)[256];
	struct sim_figure_row *rows;
	size_t n;
};

/* Room for n runs; n counts those filled.  -1 when out of memory. */
static int runs_alloc(struct runs *rs, size_t cap)
{
	*rs = (struct runs){ 0 };
	rs->run = calloc(cap, sizeof *rs->run);
	rs->label = calloc(cap, sizeof *rs->label);
	rs->sub = calloc(cap, sizeof *rs->sub);
	rs->rows = calloc(cap, sizeof *rs->rows);
	if (rs->run && rs->label && rs->sub && rs->rows)
		return 0;
	fprintf(stderr, "sim: out of memory\n");
	return -1;
}

static FILE *open_in(struct sim_atomic *a, const char *dir, const char *name)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return sim_atomic_open(a, path);
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

/* The runs' labels and summaries, for sim/expect.h (at most MAX_RUNS). */
static size_t summaries_of(const struct runs *rs, const char **labels,
			   const struct sim_json **sums)
{
	size_t n = rs->n < MAX_RUNS ? rs->n : MAX_RUNS;
	for (size_t i = 0; i < n; i++) {
		labels[i] = rs->label[i];
		sums[i] = rs->run[i].summary;
	}
	return n;
}

/* The expectations of every run: in the page md (NULL: none), on stdout
 * unless quiet, and in o->junit.  The exit status they make: 0, 3 when
 * any is not met, 1 when the JUnit file cannot be written. */
static int expectations(FILE *md, const struct runs *rs, const struct study_opts *o,
			const char *scenario)
{
	const char *labels[MAX_RUNS];
	const struct sim_json *sums[MAX_RUNS];
	size_t n = summaries_of(rs, labels, sums);
	int unmet = sim_expect_runs(md, md || o->quiet ? NULL : stdout, labels, sums, n);
	if (md)
		return 0;
	if (o->junit && sim_expect_junit(o->junit, scenario, labels, sums, n) < 0) {
		fprintf(stderr, "sim: cannot write '%s': %s\n", o->junit, strerror(errno));
		return 1;
	}
	if (unmet)
		fprintf(stderr, "sim: %d expectation%s not met\n", unmet, unmet == 1 ? "" : "s");
	return unmet ? 3 : 0;
}

/* Runs each configuration into dir/sub; prints one line per run. */
static int run_all(const struct study_opts *o, struct runs *rs, const char *dir,
		   const char *const *variants, const char *const (*sets)[8], const size_t *nsets)
{
	struct study_opts quiet = *o;
	quiet.quiet = true;
	quiet.nested = true;	/* inside the comparison's own folder */
	for (size_t i = 0; i < rs->n; i++) {
		char where[4600];
		snprintf(where, sizeof where, "%s/%s", dir, rs->sub[i]);
		if (!o->quiet)
			fprintf(stderr, "sim: running %s (%zu of %zu)\n", rs->label[i], i + 1, rs->n);
		int rc = study_run(&quiet, variants ? variants[i] : NULL, sets ? sets[i] : NULL,
				   nsets ? nsets[i] : 0, where, &rs->run[i]);
		if (rc == 3)
			rc = 0;	/* expectations not met: judged for all runs at the end */
		if (rc == 2 || (rc >= 128 && !rs->run[i].summary))
			return rc;
		if (!rs->run[i].summary)
			return rc ? rc : 1;
		rs->rows[i].label = rs->label[i];
		rs->rows[i].n = sim_figures(rs->run[i].sc, rs->run[i].summary, rs->rows[i].figs);
		if (rc) {
			sim_figures_align(rs->rows, i + 1);
			sim_figures_prune(rs->rows, i + 1);
			return rc;
		}
	}
	if (sim_figures_align(rs->rows, rs->n) < 0) {
		fprintf(stderr, "sim: out of memory\n");
		return 1;
	}
	sim_figures_prune(rs->rows, rs->n);
	return 0;
}

/* The short table on the terminal, rows ranked for a comparison and in
 * their order for a sweep. */
static void print_table(const struct runs *rs, const char *const *keynames, size_t nkeys,
			bool ranked)
{
	size_t *order = ranked ? calloc(rs->n ? rs->n : 1, sizeof *order) : NULL;
	if (order)
		sim_figures_rank(rs->rows, rs->n, order);
	sim_terminal_figures(stdout, ranked ? "variant" : "point", keynames, nkeys, rs->rows, rs->n,
			     order);
	free(order);
}

static void free_runs(struct runs *rs)
{
	for (size_t i = 0; rs->run && i < rs->n; i++)
		study_run_fini(&rs->run[i]);
	free(rs->run);
	free(rs->label);
	free(rs->sub);
	free(rs->rows);
	*rs = (struct runs){ 0 };
}

/* When a value is bold in NAME.md. */
static const char *bold_rule(unsigned reps)
{
	return reps > 1 ?
		"Bold marks the best value of a column only where it differs from the next best by more than their two 95% half-widths added (the confidence intervals do not overlap)." :
		"Bold marks the best value of a column only where it differs from the next best by more than 5% of the larger (one replication: no confidence interval; run with --reps for one).";
}

/* The charts section of NAME.md: images when drawn, else their scripts. */
static void charts_md(FILE *f, char (*names)[96], char (*titles)[160], size_t n, bool drawn,
		      bool svg)
{
	fputs("\n## Charts\n", f);
	for (size_t i = 0; i < n; i++) {
		if (drawn)
			fprintf(f, "\n### %s\n\n![%s](%s.%s)\n", titles[i], titles[i], names[i],
				svg ? "svg" : "png");
		else
			fprintf(f, "\n- %s: [`%s.gp`](%s.gp)\n", titles[i], names[i], names[i]);
	}
}

static int write_compare(const char *dir, struct runs *rs, const struct study_opts *o)
{
	struct sim_atomic a;
	FILE *f = open_in(&a, dir, "compare.csv");
	if (!f)
		return -1;
	sim_figures_csv(f, "variant", NULL, 0, rs->rows, rs->n);
	if (sim_atomic_close(&a) < 0)
		return -1;

	const char *labels[MAX_RUNS], *subs[MAX_RUNS];
	const struct sim_series *series[MAX_RUNS];
	for (size_t i = 0; i < rs->n; i++) {
		labels[i] = rs->label[i];
		subs[i] = rs->sub[i];
		series[i] = &rs->run[i].series;
	}
	char names[64][96], titles[64][160];
	size_t ncharts = 0;
	bool drawn = false;
	const struct sim_scenario *sc = rs->run[0].sc;
	if (plots_compare(dir, sc, series, labels, subs, rs->n, rs->rows, !o->no_plots, o->svg, o->interrupt,
			  names, titles, &ncharts, &drawn) < 0)
		return -1;

	f = open_in(&a, dir, "compare.md");
	if (!f)
		return -1;
	fprintf(f, "# %s: variants compared\n\n", sc->name);
	fprintf(f, "Seed %llu, %u replication%s each; every variant sees the same arrivals and service times (common random numbers), so differences come from the policies, not from luck.%s\n\n",
		(unsigned long long)sc->seed, o->reps, o->reps == 1 ? "" : "s",
		o->reps > 1 ? " Figures are means ± 95% confidence half-widths." : "");
	fputs("The rows are ranked by the first recovery criterion (recovered in more replications, then sooner), then by the next ones; ties keep the order of the scenario. ", f);
	fputs(bold_rule(o->reps), f);
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
	expectations(f, rs, o, sc->name);
	charts_md(f, names, titles, ncharts, drawn, o->svg);
	return sim_atomic_close(&a);
}

/* Runs rs into the folder out (default out/<scenario>), owned as a whole
 * (sim/outdir.h); write_fn writes the comparison's own files.  The exit
 * status. */
typedef int write_fn(const char *dir, struct runs *rs, const struct study_opts *o,
		     const void *extra);

struct plan {
	const char *command, *out, *scenario_name;
	const char *const *variants;		/* compare: per run */
	const char *const (*sets)[8];		/* sweep: per run */
	const size_t *nsets;
	write_fn *write;
	const void *extra;
};

static int run_owned(const struct study_opts *o, struct runs *rs, const struct plan *p,
		     char *dir, size_t size)
{
	if (p->out)
		snprintf(dir, size, "%s", p->out);
	else
		snprintf(dir, size, "out/%s", p->scenario_name);
	struct sim_outdir od;
	int rc = sim_outdir_open(&od, dir, p->command);
	if (rc)
		return rc;
	rc = run_all(o, rs, od.staging, p->variants, p->sets, p->nsets);
	if (!rc && p->write(od.staging, rs, o, p->extra) < 0)
		rc = 1;
	if (sim_outdir_commit(&od, rc == 0) < 0 && !rc)
		rc = 1;
	return rc;
}

static int write_compare_fn(const char *dir, struct runs *rs, const struct study_opts *o,
			    const void *extra)
{
	(void)extra;
	return write_compare(dir, rs, o);
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
	size_t cap = 1;
	for (const char *c = variants; c && *c; c++)
		cap += *c == ',';
	if (!variants)
		cap += sc->nvariants;
	if (cap > MAX_RUNS)
		cap = MAX_RUNS;
	struct runs rs;
	int rc = runs_alloc(&rs, cap) < 0 ? 1 : 0;
	if (!rc)
		rc = pick_variants(sc, o->scenario, variants, &rs);
	const char **names = calloc(cap, sizeof *names);
	if (!rc && !names)
		rc = 1;
	for (size_t i = 0; !rc && i < rs.n; i++) {
		names[i] = rs.label[i];
		folder_of(rs.sub[i], sizeof rs.sub[i], rs.label[i]);
	}
	char dir[4096];
	struct plan p = { .command = "compare", .out = out, .scenario_name = sc->name,
			  .variants = names, .write = write_compare_fn };
	if (!rc)
		rc = run_owned(o, &rs, &p, dir, sizeof dir);
	if (!rc && !o->quiet) {
		print_table(&rs, NULL, 0, true);
		printf("\nthe main figures, ranked by recovery; every figure, defined, in %s/compare.md (and compare.csv); each variant in its own folder\n",
		       dir);
	}
	if (!rc)
		rc = expectations(NULL, &rs, o, sc->name);
	sim_scenario_free(sc);
	free(names);
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

static int write_sweep(const char *dir, struct runs *rs, const struct study_opts *o,
		       const void *extra)
{
	const struct sweep *sw = extra;
	const char *const *keynames = sw->keynames;
	size_t nvaries = sw->nvaries;
	struct sim_atomic a;
	FILE *f = open_in(&a, dir, "sweep.csv");
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
				     !o->no_plots, o->svg, o->interrupt };
	if (plots_sweep(dir, &in, names, titles, &ncharts, &drawn) < 0)
		return -1;
	if (!(f = open_in(&a, dir, "sweep.md")))
		return -1;
	fprintf(f, "# %s: sweep of", sc->name);
	for (size_t i = 0; i < nvaries; i++)
		fprintf(f, "%s `%s`", i ? " and" : "", keynames[i]);
	fprintf(f, "\n\nSeed %llu, %u replication%s per point, the same random numbers at every point.%s %s Each figure is defined in the footnotes under the table.\n\n",
		(unsigned long long)sc->seed, o->reps, o->reps == 1 ? "" : "s",
		o->reps > 1 ? " Figures are means ± 95% confidence half-widths; the charts show them as error bars." : "",
		bold_rule(o->reps));
	sim_figures_md(f, "point", keynames, nvaries, rs->rows, rs->n, NULL);
	expectations(f, rs, o, rs->run[0].sc->name);
	charts_md(f, names, titles, ncharts, drawn, o->svg);
	return sim_atomic_close(&a);
}

/* The points of a sweep, the last --vary fastest: labels, folders, the
 * --set of each (setbuf, 8 of 300 bytes a point) and its values. */
static void sweep_points(const struct vary *v, size_t nvaries, struct runs *rs,
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
		folder_of(rs->sub[p], sizeof rs->sub[p], label);
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
	if (!rc && total > MAX_RUNS) {
		fprintf(stderr, "sim: the sweep has %zu points (at most %d)\n", total, MAX_RUNS);
		rc = 2;
	}
	struct runs rs = { 0 };
	char (*setbuf)[8][SET_LEN] = rc ? NULL : calloc(total, sizeof *setbuf);
	const char *(*sets)[8] = rc ? NULL : calloc(total, sizeof *sets);
	const char *(*keyvals)[8] = rc ? NULL : calloc(total, sizeof *keyvals);
	size_t *nsets = rc ? NULL : calloc(total, sizeof *nsets);
	if (!rc && (!setbuf || !sets || !keyvals || !nsets || runs_alloc(&rs, total) < 0))
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
		struct plan p = { .command = "sweep", .out = out, .scenario_name = sc->name,
				  .sets = (const char *const (*)[8])sets, .nsets = nsets,
				  .write = write_sweep, .extra = &sw };
		rc = run_owned(o, &rs, &p, dir, sizeof dir);
	}
	if (!rc && !o->quiet) {
		print_table(&rs, keynames, nvaries, false);
		printf("\nthe main figures; every figure, defined, in %s/sweep.md (and sweep.csv); each point in its own folder\n",
		       dir);
	}
	if (!rc)
		rc = expectations(NULL, &rs, o, sc->name);
	sim_scenario_free(sc);
	free_runs(&rs);
	free(setbuf);
	free(sets);
	free(keyvals);
	free(nsets);
	for (size_t i = 0; i < nvaries; i++)
		for (size_t k = 0; k < v[i].n; k++)
			free(v[i].values[k]);
	return rc;
}
