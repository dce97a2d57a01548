/* figrows.c - the rows of a comparison (sim/figures.h): the same
 * columns in every row, ranked, the best marked, and written as
 * NAME.csv and the table of NAME.md.  sim/figures.c makes each row's
 * figures from a run's summary. */
#include "sim/figures.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/csv.h"
#include "sim/format.h"

/* Index of the figure named name in figs[0..n), or n. */
static size_t find(const struct sim_figure *figs, size_t n, const char *name)
{
	size_t i = 0;
	while (i < n && strcmp(figs[i].name, name))
		i++;
	return i;
}

int sim_figures_align(struct sim_figure_row *rows, size_t n)
{
	struct sim_figure *all = malloc(SIM_MAX_FIGURES * sizeof *all);
	struct sim_figure *row = malloc(SIM_MAX_FIGURES * sizeof *row);
	if (!all || !row) {
		free(all);
		free(row);
		return -1;
	}
	/* the union, each new figure placed after the one it follows */
	size_t nall = 0;
	for (size_t r = 0; r < n; r++) {
		size_t at = 0;
		for (size_t k = 0; k < rows[r].n; k++) {
			size_t i = find(all, nall, rows[r].figs[k].name);
			if (i == nall && nall < SIM_MAX_FIGURES) {
				memmove(&all[at + 1], &all[at], (nall++ - at) * sizeof *all);
				all[i = at] = rows[r].figs[k];
			}
			at = i < nall ? i + 1 : at;
		}
	}
	for (size_t r = 0; r < n; r++) {
		for (size_t i = 0; i < nall; i++) {
			size_t k = find(rows[r].figs, rows[r].n, all[i].name);
			row[i] = k < rows[r].n ? rows[r].figs[k] : all[i];
			if (k == rows[r].n) {	/* a figure this row's scenario lacks */
				row[i].mean = row[i].ci95 = NAN;
				row[i].where[0] = 0;
				row[i].absent = true;
			}
		}
		memcpy(rows[r].figs, row, nall * sizeof *row);
		rows[r].n = nall;
	}
	free(all);
	free(row);
	return 0;
}

void sim_figures_prune(struct sim_figure_row *rows, size_t n)
{
	if (!n)
		return;
	for (size_t i = rows[0].n; i-- > 0;) {
		bool drop = rows[0].figs[i].optional;
		for (size_t r = 0; r < n && drop; r++)
			drop = i < rows[r].n && !(rows[r].figs[i].mean != 0 && !isnan(rows[r].figs[i].mean));
		if (!drop)
			continue;
		for (size_t r = 0; r < n; r++) {
			memmove(&rows[r].figs[i], &rows[r].figs[i + 1],
				(rows[r].n - i - 1) * sizeof rows[r].figs[0]);
			rows[r].n--;
		}
	}
}

void sim_figures_csv(FILE *f, const char *first, const char *const *keynames, size_t nkeys,
		     const struct sim_figure_row *rows, size_t n)
{
	sim_csv_field(f, first);
	for (size_t k = 0; k < nkeys; k++) {
		fputc(',', f);
		sim_csv_field(f, keynames[k]);
	}
	for (size_t i = 0; n && i < rows[0].n; i++) {
		fputc(',', f);
		sim_csv_field(f, rows[0].figs[i].name);
		fputc(',', f);
		sim_csv_field2(f, rows[0].figs[i].name, "_ci95");
	}
	fputc('\n', f);
	for (size_t r = 0; r < n; r++) {
		sim_csv_field(f, rows[r].label);
		for (size_t k = 0; k < nkeys; k++) {
			fputc(',', f);
			sim_csv_field(f, rows[r].keys[k]);
		}
		for (size_t i = 0; i < rows[r].n; i++) {
			fputc(',', f);
			sim_csv_num(f, rows[r].figs[i].mean);
			fputc(',', f);
			sim_csv_num(f, rows[r].figs[i].ci95);
		}
		fputc('\n', f);
	}
}

void sim_figures_text(char *buf, size_t size, const struct sim_figure *fig)
{
	if (fig->absent) {
		snprintf(buf, size, "n/a");
		return;
	}
	if (fig->yes_no) {
		if (isnan(fig->mean))
			snprintf(buf, size, "n/a");
		else if (fig->mean == 1 || fig->mean == 0)
			snprintf(buf, size, "%s", fig->mean == 1 ? "yes" : "no");
		else
			snprintf(buf, size, "%.0f%% of runs", 100 * fig->mean);
		return;
	}
	if (isinf(fig->mean)) {
		snprintf(buf, size, "∞ (over 1%% failed)");
	} else if (isnan(fig->mean)) {
		snprintf(buf, size, !strncmp(fig->name, "recovery_time", 13) ? "not recovered" : "n/a");
	} else if (fig->resolution > 0 && !isnan(fig->ci95) &&
		   fig->ci95 < fig->resolution * fabs(fig->mean)) {
		char a[64];
		sim_format(a, sizeof a, fig->unit, fig->mean, NAN);
		snprintf(buf, size, "%s ± %.1f%% (resolution)", a, 100 * fig->resolution);
	} else {
		sim_format(buf, size, fig->unit, fig->mean, fig->ci95);
	}
}

/* A value for ordering, lower is better: NaN (not recovered, n/a) worst. */
static double badness(const struct sim_figure *f)
{
	if (isnan(f->mean))
		return INFINITY;
	return f->higher_is_better ? -f->mean : f->mean;
}

static double half_width(const struct sim_figure *f)
{
	double ci = isnan(f->ci95) ? 0 : f->ci95;
	return fmax(ci, f->resolution * fabs(f->mean));
}

bool sim_figures_best(const struct sim_figure_row *rows, size_t n, size_t r, size_t i)
{
	const struct sim_figure *me = &rows[r].figs[i], *next = NULL;
	if (n < 2 || isnan(me->mean) || isinf(me->mean))
		return false;
	bool reps = false;
	for (size_t o = 0; o < n; o++) {
		const struct sim_figure *f = &rows[o].figs[i];
		reps = reps || !isnan(f->ci95);
		if (o == r)
			continue;
		if (badness(f) <= badness(me))
			return false;	/* not the best, or tied */
		if (!next || badness(f) < badness(next))
			next = f;
	}
	if (isnan(next->mean) || isinf(next->mean))
		return true;
	double gap = fabs(me->mean - next->mean);
	if (reps && !me->yes_no)
		return gap > half_width(me) + half_width(next);
	return gap > SIM_FIGURES_MARGIN * fmax(fabs(me->mean), fabs(next->mean));
}

/* By the recovery criteria in turn: recovered in more replications,
 * then sooner; a row without the criterion (a run with no overload
 * window: n/a) after those judged on it.  Their figures come first, in
 * pairs (sim_figures). */
static int rank_cmp(const struct sim_figure_row *a, const struct sim_figure_row *b)
{
	for (size_t i = 0; i + 1 < a->n && i + 1 < b->n && a->figs[i].yes_no; i += 2) {
		double ra = isnan(a->figs[i].mean) ? -1 : a->figs[i].mean;
		double rb = isnan(b->figs[i].mean) ? -1 : b->figs[i].mean;
		if (ra != rb)
			return ra > rb ? -1 : 1;
		double ta = badness(&a->figs[i + 1]), tb = badness(&b->figs[i + 1]);
		if (ta != tb)
			return ta < tb ? -1 : 1;
	}
	return 0;
}

void sim_figures_rank(const struct sim_figure_row *rows, size_t n, size_t *order)
{
	/* insertion sort: stable, and comparisons are a few hundred rows */
	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		for (; j > 0 && rank_cmp(&rows[i], &rows[order[j - 1]]) < 0; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
}

/* The component of column i's peak when every row has it in the same
 * one, else NULL (each cell then names its own). */
static const char *same_where(const struct sim_figure_row *rows, size_t n, size_t i)
{
	const char *w = rows[0].figs[i].where;
	for (size_t r = 1; r < n && w[0]; r++)
		if (strcmp(rows[r].figs[i].where, w))
			return NULL;
	return w[0] ? w : NULL;
}

void sim_figures_md(FILE *f, const char *first, const char *const *keynames, size_t nkeys,
		    const struct sim_figure_row *rows, size_t n, const size_t *order)
{
	if (!n)
		return;
	fprintf(f, "| %s |", first);
	for (size_t k = 0; k < nkeys; k++)
		fprintf(f, " `%s` |", keynames[k]);
	for (size_t i = 0; i < rows[0].n; i++) {
		const char *w = same_where(rows, n, i);
		fprintf(f, " %s%s%s[^%zu] |", rows[0].figs[i].label, w ? " of " : "", w ? w : "", i + 1);
	}
	fputs("\n|---|", f);
	for (size_t k = 0; k < nkeys; k++)
		fputs("---|", f);
	for (size_t i = 0; i < rows[0].n; i++)
		fputs("---:|", f);
	fputc('\n', f);
	for (size_t k = 0; k < n; k++) {
		size_t r = order ? order[k] : k;
		fprintf(f, "| %s |", rows[r].label);
		for (size_t j = 0; j < nkeys; j++)
			fprintf(f, " %s |", rows[r].keys[j]);
		for (size_t i = 0; i < rows[r].n; i++) {
			const struct sim_figure *fig = &rows[r].figs[i];
			char buf[160];
			sim_figures_text(buf, sizeof buf, fig);
			if (fig->where[0] && !same_where(rows, n, i) && !isnan(fig->mean)) {
				size_t used = strlen(buf);
				snprintf(buf + used, sizeof buf - used, " (%s)", fig->where);
			}
			fprintf(f, sim_figures_best(rows, n, r, i) ? " **%s** |" : " %s |", buf);
		}
		fputc('\n', f);
	}
	fputc('\n', f);
	for (size_t i = 0; i < rows[0].n; i++) {
		const struct sim_figure *fig = &rows[0].figs[i];
		fprintf(f, "[^%zu]: `%s`: %s.%s\n", i + 1, fig->name, fig->doc,
			fig->resolution > 0 ? " A percentile is read from a histogram whose buckets are 1/64 of a power of two wide: it is exact to ±0.8%; a ± below that states the resolution instead." : "");
	}
}
