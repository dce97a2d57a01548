/* runs.c - the runs of a comparison or sweep, side by side; see runs.h. */
#include "sim/runs.h"

#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "sim/expect.h"
#include "sim/outdir.h"
#include "sim/terminal.h"

int sim_runs_alloc(struct sim_runs *rs, size_t cap)
{
	*rs = (struct sim_runs){ 0 };
	rs->run = calloc(cap, sizeof *rs->run);
	rs->label = calloc(cap, sizeof *rs->label);
	rs->sub = calloc(cap, sizeof *rs->sub);
	rs->rows = calloc(cap, sizeof *rs->rows);
	if (rs->run && rs->label && rs->sub && rs->rows)
		return 0;
	fprintf(stderr, "sim: out of memory\n");
	return -1;
}

FILE *sim_runs_open_in(struct sim_atomic *a, const char *dir, const char *name)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return sim_atomic_open(a, path);
}

void sim_runs_folder(char *dst, size_t size, const char *label)
{
	size_t i = 0;
	for (; label[i] && i + 1 < size; i++) {
		char c = label[i];
		dst[i] = (c == '/' || c == ' ' || c == ',' || c == ':') ? '_' : c;
	}
	dst[i] = 0;
}

/* The runs' labels and summaries, for sim/expect.h (at most SIM_RUNS_MAX). */
static size_t summaries_of(const struct sim_runs *rs, const char **labels,
			   const struct sim_json **sums)
{
	size_t n = rs->n < SIM_RUNS_MAX ? rs->n : SIM_RUNS_MAX;
	for (size_t i = 0; i < n; i++) {
		labels[i] = rs->label[i];
		sums[i] = rs->run[i].summary;
	}
	return n;
}

int sim_runs_expectations(FILE *md, const struct sim_runs *rs, const struct study_opts *o,
			  const char *scenario)
{
	const char *labels[SIM_RUNS_MAX];
	const struct sim_json *sums[SIM_RUNS_MAX];
	size_t n = summaries_of(rs, labels, sums);
	int unmet = sim_expect_runs(md, md || o->quiet ? NULL : stdout, labels, sums, n);
	if (md)
		return 0;
	if (o->junit && sim_expect_junit(o->junit, scenario, labels, sums, n) < 0)
		return 1;	/* the writer said why */
	if (unmet)
		fprintf(stderr, "sim: %d expectation%s not met\n", unmet, unmet == 1 ? "" : "s");
	return unmet ? 3 : 0;
}

/* The exit status of run i as the comparison takes it: 0 when its
 * expectations alone failed (judged for all runs at the end). */
static int run_status(const struct study_opts *o, int rc)
{
	if (rc == 3)
		return 0;
	if (rc < 0)	/* not begun: an earlier run failed, or interrupted */
		return o->interrupt && *o->interrupt ? 128 + *o->interrupt : 1;
	return rc;
}

/* Takes run i's figures into its row, and says if it stopped early (its
 * outputs at shown); the comparison's exit status so far (nonzero: stop
 * there). */
static int judge_run(const struct study_opts *o, struct sim_runs *rs, size_t i, int status,
		     const char *shown)
{
	int rc = run_status(o, status);
	if (rc == 2 || (rc >= 128 && !rs->run[i].summary))
		return rc;
	if (!rs->run[i].summary)
		return rc ? rc : 1;
	study_say_stopped(rs->run[i].summary, shown);
	rs->rows[i].label = rs->label[i];
	rs->rows[i].n = sim_figures(rs->run[i].sc, rs->run[i].summary, rs->rows[i].figs);
	if (rc) {
		sim_figures_align(rs->rows, i + 1);
		sim_figures_prune(rs->rows, i + 1);
	}
	return rc;
}

/* Runs every configuration into dir/sub as one pool of tasks (study.h);
 * says one line per run as it begins.  Messages name shown/sub: dir is
 * the staging folder that becomes shown. */
static int run_all(const struct study_opts *o, struct sim_runs *rs, const char *dir,
		   const char *shown, const char *const *variants, const char *const (*sets)[8],
		   const size_t *nsets)
{
	struct study_opts quiet = *o;
	quiet.quiet = true;
	quiet.nested = true;	/* inside the comparison's own folder */
	struct study_spec *specs = calloc(rs->n ? rs->n : 1, sizeof *specs);
	char (*where)[4600] = calloc(rs->n ? rs->n : 1, sizeof *where);
	char (*final)[4600] = calloc(rs->n ? rs->n : 1, sizeof *final);
	int *rcs = calloc(rs->n ? rs->n : 1, sizeof *rcs);
	int rc = 0;
	if (!specs || !where || !final || !rcs) {
		fprintf(stderr, "sim: out of memory\n");
		rc = 1;
		goto out;
	}
	for (size_t i = 0; i < rs->n; i++) {
		snprintf(where[i], sizeof where[i], "%s/%s", dir, rs->sub[i]);
		snprintf(final[i], sizeof final[i], "%s/%s", shown, rs->sub[i]);
		specs[i] = (struct study_spec){
			.variant = variants ? variants[i] : NULL, .sets = sets ? sets[i] : NULL,
			.nsets = nsets ? nsets[i] : 0, .dir = where[i], .stop_told = true,
			.label = o->quiet ? NULL : rs->label[i], .name = rs->label[i],
		};
	}
	study_run_all(&quiet, specs, rs->n, rs->run, rcs);
	size_t i = 0;
	for (; i < rs->n && !rc; i++)
		rc = judge_run(o, rs, i, rcs[i], final[i]);
	/* as one run after another would: nothing of the runs after a
	 * failure, which ran beside it */
	for (; rc && i < rs->n; i++)
		if (access(where[i], F_OK) == 0)
			sim_rmtree(where[i]);
	if (!rc && sim_figures_align(rs->rows, rs->n) < 0) {
		fprintf(stderr, "sim: out of memory\n");
		rc = 1;
	} else if (!rc) {
		sim_figures_prune(rs->rows, rs->n);
	}
out:
	free(specs);
	free(where);
	free(final);
	free(rcs);
	return rc;
}

int sim_runs_owned(const struct study_opts *o, struct sim_runs *rs, const struct sim_runs_plan *p,
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
	rc = run_all(o, rs, od.staging, od.target, p->variants, p->sets, p->nsets);
	if (!rc && p->write(od.staging, rs, o, p->extra) < 0)
		rc = 1;
	if (sim_outdir_commit(&od, rc == 0) < 0 && !rc)
		rc = 1;
	return rc;
}

void sim_runs_print_table(const struct sim_runs *rs, const char *const *keynames, size_t nkeys,
			  bool ranked)
{
	size_t *order = ranked ? calloc(rs->n ? rs->n : 1, sizeof *order) : NULL;
	if (order)
		sim_figures_rank(rs->rows, rs->n, order);
	sim_terminal_figures(stdout, ranked ? "variant" : "point", keynames, nkeys, rs->rows, rs->n,
			     order);
	free(order);
}

void sim_runs_free(struct sim_runs *rs)
{
	for (size_t i = 0; rs->run && i < rs->n; i++)
		study_run_fini(&rs->run[i]);
	free(rs->run);
	free(rs->label);
	free(rs->sub);
	free(rs->rows);
	*rs = (struct sim_runs){ 0 };
}

const char *sim_runs_bold_rule(unsigned reps)
{
	return reps > 1 ?
		"Bold marks the best value of a column only where it differs from the next best by more than their two 95% half-widths added (the confidence intervals do not overlap)." :
		"Bold marks the best value of a column only where it differs from the next best by more than 5% of the larger (one replication: no confidence interval; run with --reps for one).";
}

void sim_runs_charts_md(FILE *f, char (*names)[96], char (*titles)[160], size_t n, bool drawn,
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
