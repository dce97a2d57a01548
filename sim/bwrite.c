/* bwrite.c - what a boundary search says: boundary.md (the sentence a
 * reviewer can quote, how it was found, the points), boundary.json (the
 * same for programs) and the lines on the terminal.  Nothing here depends
 * on the wall clock, the number of jobs or which points were read back:
 * the same search gives the same bytes. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plots/boundary.h"
#include "sim/atomic.h"
#include "sim/boundary_private.h"
#include "sim/json.h"

static const char *const status_names[] = {
	[SIM_BISECT_NARROW] = "narrow",
	[SIM_BISECT_BUDGET] = "budget",
	[SIM_BISECT_ALL_RECOVER] = "recovers_everywhere",
	[SIM_BISECT_NONE_RECOVER] = "recovers_nowhere",
	[SIM_BISECT_STOPPED] = "interrupted",
};

/* "in at least half of the runs", "in at least 90% of the runs" */
static void level_text(double level, char *buf, size_t size)
{
	if (level == 0.5)
		snprintf(buf, size, "in at least half of the runs");
	else
		snprintf(buf, size, "in at least %g%% of the runs", 100 * level);
}

/* ": a spike of 2.7× the base rate of 560/s, lasting 30s" for a
 * schedule entry's rate. */
static void spike_text(const struct bnd_key *k, double x, char *buf, size_t size)
{
	buf[0] = 0;
	if (!isfinite(k->base))
		return;
	char base[64];
	bnd_value_show(k, k->base, 0, base, sizeof base);
	snprintf(buf, size, ": a spike of %.2g× the base rate of %s%s%s", x / k->base, base,
		 k->lasting[0] ? ", lasting " : "", k->lasting);
}

/* The point of search l at value x (its first key), or NULL. */
static const struct sim_bisect_point *point_at(const struct bnd_line *l, double x)
{
	for (size_t i = 0; i < l->res.npoints; i++)
		if (l->res.points[i].x == x)
			return &l->res.points[i];
	return NULL;
}

void bnd_sentence(const struct bnd *b, const struct bnd_line *l, char *buf, size_t size)
{
	const struct bnd_key *k = &b->key[0];
	const struct sim_bisect_result *r = &l->res;
	char at[160] = "", x[64], lo[80], hi[80], lv[64], spike[160];
	if (b->nkeys == 2)
		snprintf(at, sizeof at, " at %s = %s", b->key[1].name, l->value2);
	level_text(b->level, lv, sizeof lv);
	if (!l->done) {
		snprintf(buf, size, "not found%s: the search was interrupted (run it again to go on)", at);
		return;
	}
	if (r->status == SIM_BISECT_ALL_RECOVER || r->status == SIM_BISECT_NONE_RECOVER) {
		bool all = r->status == SIM_BISECT_ALL_RECOVER;
		const struct sim_bisect_point *p = point_at(l, all ? k->hi : k->lo);
		bnd_value_show(k, all ? k->hi : k->lo, 0, x, sizeof x);
		snprintf(buf, size, "%s%s: %s %s = %s, %u of %u replications recovered", all ?
			 "recovers across the whole range" : "does not recover even at the low end", at,
			 all ? "at the high end" : "at", k->name, x, p ? p->k : 0, p ? p->n : 0);
		return;
	}
	double w = r->hi - r->lo;	/* the values shown tell the bracket's ends apart */
	bnd_value_show(k, r->estimate, w, x, sizeof x);
	if (isfinite(r->ci_lo))
		bnd_value_show(k, r->ci_lo, w, lo, sizeof lo);
	else
		bnd_value_show(k, k->lo, w, lo + snprintf(lo, sizeof lo, "below "), sizeof lo - 6);
	if (isfinite(r->ci_hi))
		bnd_value_show(k, r->ci_hi, w, hi, sizeof hi);
	else
		bnd_value_show(k, k->hi, w, hi + snprintf(hi, sizeof hi, "above "), sizeof hi - 6);
	spike_text(k, r->estimate, spike, sizeof spike);
	snprintf(buf, size, "recovers (%s) up to %s = %s (%s to %s, 95%%)%s%s", lv, k->name, x, lo, hi,
		 at, spike);
}

/* How the search ended, for the page: the bracket and why it stopped. */
static void ending(FILE *f, const struct bnd *b, const struct bnd_line *l)
{
	const struct bnd_key *k = &b->key[0];
	const struct sim_bisect_result *r = &l->res;
	char lo[64], hi[64];
	bnd_value_show(k, r->lo, r->hi - r->lo, lo, sizeof lo);
	bnd_value_show(k, r->hi, r->hi - r->lo, hi, sizeof hi);
	fprintf(f, "%zu points, %zu runs; ", r->npoints, r->runs);
	if (r->status == SIM_BISECT_NARROW)
		fprintf(f, "the bisection bracket %s to %s is narrower than the tolerance (%g of its high end)",
			lo, hi, b->tol);
	else if (r->status == SIM_BISECT_BUDGET)
		fprintf(f, "**the budget of runs ran out** before the bracket narrowed to the tolerance: the bracket reached is %s to %s (raise --budget and run again: the points run are reused)",
			lo, hi);
	else
		fprintf(f, "%s", sim_bisect_status_text(r->status));
	fputs(".", f);
	if (!r->monotone)
		fputs(" **Not monotone:** some value surely recovers above one that surely does not; the boundary is not a single crossing in this range.",
		      f);
	fputc('\n', f);
}

static void points_table(FILE *f, const struct bnd *b)
{
	fprintf(f, "\n## Points\n\nIn the order run; the same seeds at every point. The 95%% interval of the share is Wilson's. Recovery time: the median over the replications, the time from the end of the report window until the last criterion recovered (empty when at most half recovered).\n\n| %s |",
		b->key[0].name);
	if (b->nkeys == 2)
		fprintf(f, " %s |", b->key[1].name);
	fputs(" recovered | share | 95% interval | median recovery time | stopped by a limit |\n|---|", f);
	fputs(b->nkeys == 2 ? "---|" : "", f);
	fputs("---|---|---|---|---|\n", f);
	for (size_t i = 0; i < b->npts; i++) {
		const struct bnd_point *p = &b->pts[i];
		double lo, hi;
		sim_wilson(p->k, p->n, SIM_BISECT_Z95, &lo, &hi);
		fprintf(f, "| %s |", p->value[0]);
		if (b->nkeys == 2)
			fprintf(f, " %s |", p->value[1]);
		fprintf(f, " %u of %u | %.0f%% | %.0f%% to %.0f%% |", p->k, p->n, 100.0 * p->k / p->n,
			100 * lo, 100 * hi);
		if (isfinite(p->median_s))
			fprintf(f, " %.3g s |", p->median_s);
		else
			fputs(" not recovered |", f);
		fprintf(f, " %u |\n", p->stopped);
	}
}

static size_t stopped_runs(const struct bnd *b)
{
	size_t n = 0;
	for (size_t i = 0; i < b->npts; i++)
		n += b->pts[i].stopped;
	return n;
}

static void page(FILE *f, const struct bnd *b, bool interrupted, char (*names)[96],
		 char (*titles)[160], size_t ncharts, bool drawn)
{
	char s[1024], lv[64];
	fprintf(f, "# %s: recovery boundary in `%s`%s%s%s\n\n", b->sc->name, b->key[0].name,
		b->nkeys == 2 ? " by `" : "", b->nkeys == 2 ? b->key[1].name : "", b->nkeys == 2 ? "`" : "");
	if (interrupted)
		fputs("**Interrupted:** the search did not finish; run the same command again to go on from the points below.\n\n",
		      f);
	for (size_t i = 0; i < b->nlines; i++) {
		bnd_sentence(b, &b->lines[i], s, sizeof s);
		fprintf(f, "%s**%s %s.**", b->nlines > 1 ? "- " : "", b->sc->name, s);
		fputs(b->nlines > 1 ? " " : "\n\n", f);
		if (b->lines[i].done)
			ending(f, b, &b->lines[i]);
		else
			fputc('\n', f);
	}
	level_text(b->level, lv, sizeof lv);
	fprintf(f, "\nA run recovers when it reaches its end and %s recovered (the scenario's `report.recovery`); a run stopped by a limit counts as not recovered%s. The value given is where the share of runs that recover falls through %g%%, between the last two points of the bisection; the 95%% interval runs from the highest value at which the Wilson interval of the share lies wholly at or above %g%% to the lowest at which it lies wholly below (so, when the share falls with the value, each end is on its side of the boundary with 95%% confidence). Seed %llu, variant %s, %u replications a point, the same seeds at every point (common random numbers); tolerance %g, budget %zu runs.\n",
		b->a->criterion ? "the criterion named below" : "every criterion",
		stopped_runs(b) ? "" : " (none was)", 100 * b->level, 100 * b->level,
		(unsigned long long)b->sc->seed, b->a->variant ? b->a->variant : "baseline",
		b->o->reps, b->tol, b->budget);
	if (b->o->reps < sim_bisect_sure_reps(b->level))
		fprintf(f, "\n**With %u replications a point, no point can be sure of its side of %g%%** (that takes %u): the 95%% interval reaches beyond the range. Run with more `--reps`.\n",
			b->o->reps, 100 * b->level, sim_bisect_sure_reps(b->level));
	if (b->a->criterion)
		fprintf(f, "\nCriterion: `%s`%s.\n", b->a->criterion,
			b->criterion_added ? " (not among the scenario's criteria: judged with the defaults of `report.recovery`: below its level before the window plus 10%, for 30 s)" : "");
	if (stopped_runs(b))
		fprintf(f, "\n**%zu runs were stopped by a limit** and count as not recovered (see the points).\n",
			stopped_runs(b));
	fprintf(f, "\nEvery point's own run is in `points/` (its report.md, summary.json and time series; charts as gnuplot scripts). The points are in [boundary.csv](boundary.csv), the result for programs in [boundary.json](boundary.json).\n");
	points_table(f, b);
	if (ncharts)
		fputs("\n## Charts\n", f);
	for (size_t i = 0; i < ncharts; i++) {
		if (drawn)
			fprintf(f, "\n### %s\n\n![%s](%s.%s)\n", titles[i], titles[i], names[i],
				b->o->svg ? "svg" : "png");
		else
			fprintf(f, "\n- %s: [`%s.gp`](%s.gp)\n", titles[i], names[i], names[i]);
	}
}

static void json_num_or_null(struct sim_json *o, const char *key, double v)
{
	if (isfinite(v))
		sim_json_num(o, key, v);
	else
		sim_json_null(o, key);
}

static void json_search(struct sim_json *arr, const struct bnd *b, const struct bnd_line *l)
{
	char s[1024];
	struct sim_json *o = sim_json_obj(arr, NULL);
	if (b->nkeys == 2)
		sim_json_str(o, b->key[1].name, l->value2);
	sim_json_str(o, "status", status_names[l->done ? l->res.status : SIM_BISECT_STOPPED]);
	bool found = l->done && (l->res.status == SIM_BISECT_NARROW ||
				 l->res.status == SIM_BISECT_BUDGET);
	json_num_or_null(o, "estimate", found ? l->res.estimate : NAN);
	json_num_or_null(o, "interval_lo", found ? l->res.ci_lo : NAN);
	json_num_or_null(o, "interval_hi", found ? l->res.ci_hi : NAN);
	json_num_or_null(o, "bracket_lo", found ? l->res.lo : NAN);
	json_num_or_null(o, "bracket_hi", found ? l->res.hi : NAN);
	sim_json_bool(o, "monotone", l->res.monotone);
	sim_json_num(o, "points", (double)l->res.npoints);
	sim_json_num(o, "runs", (double)l->res.runs);
	bnd_sentence(b, l, s, sizeof s);
	sim_json_str(o, "sentence", s);
}

static int write_json(const struct bnd *b, const char *dir, bool interrupted)
{
	struct sim_json *j = sim_json_new_obj();
	if (!j)
		return -1;
	sim_json_str(j, "scenario", b->sc->name);
	sim_json_str(j, "variant", b->a->variant ? b->a->variant : "baseline");
	sim_json_num(j, "seed", (double)b->sc->seed);
	sim_json_num(j, "replications", b->o->reps);
	sim_json_num(j, "level", b->level);
	sim_json_num(j, "tol", b->tol);
	sim_json_num(j, "budget", (double)b->budget);
	if (b->a->criterion)
		sim_json_str(j, "criterion", b->a->criterion);
	else
		sim_json_null(j, "criterion");
	sim_json_str(j, "inputs_hash", b->inputs_hash);
	sim_json_bool(j, "complete", !interrupted);
	struct sim_json *keys = sim_json_arr(j, "keys");
	for (size_t k = 0; k < b->nkeys; k++) {
		struct sim_json *o = sim_json_obj(keys, NULL);
		sim_json_str(o, "name", b->key[k].name);
		sim_json_num(o, "lo", b->key[k].lo);
		sim_json_num(o, "hi", b->key[k].hi);
		sim_json_str(o, "unit", bnd_key_unit(&b->key[k]));
	}
	struct sim_json *arr = sim_json_arr(j, "searches");
	for (size_t i = 0; i < b->nlines; i++)
		if (b->lines[i].done || b->lines[i].res.npoints)
			json_search(arr, b, &b->lines[i]);
	struct sim_atomic a;
	FILE *f = sim_json_failed(j) ? NULL : bnd_open(&a, dir, "boundary.json");
	if (f)
		sim_json_write(j, f);
	sim_json_free(j);
	return f ? sim_atomic_close(&a) : -1;
}

int bnd_write(const struct bnd *b, const char *dir, bool interrupted)
{
	char names[8][96], titles[8][160];
	size_t ncharts = 0;
	bool drawn = false;
	if (bnd_points_write(b, dir) < 0 || write_json(b, dir, interrupted) < 0)
		return -1;
	if (plots_boundary(dir, b, names, titles, &ncharts, &drawn) < 0)
		return -1;
	struct sim_atomic a;
	FILE *f = bnd_open(&a, dir, "boundary.md");
	if (!f)
		return -1;
	page(f, b, interrupted, names, titles, ncharts, drawn);
	return sim_atomic_close(&a);
}

void bnd_print(const struct bnd *b, FILE *f, const char *dir)
{
	char s[1024];
	for (size_t i = 0; i < b->nlines; i++) {
		bnd_sentence(b, &b->lines[i], s, sizeof s);
		fprintf(f, "%s %s%s\n", b->sc->name, s,
			b->lines[i].res.status == SIM_BISECT_BUDGET ? " [budget spent: the bracket reached]" : "");
	}
	fprintf(f, "\nevery point, its share recovered and Wilson interval in %s/boundary.md (and boundary.csv, boundary.json); each point's run in %s/points/\n",
		dir, dir);
}
