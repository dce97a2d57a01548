/* figures.h - the figures variants and sweep points are compared on.
 *
 * From a run's summary, in this order: per recovery criterion whether it
 * recovered (a share with replications) and how long it took; the peaks
 * (SIM_COMBINE_MAX figures the models declare, such as the peak queue
 * depth); items dropped and the share lost; the sums (SIM_COMBINE_SUM and
 * _RATE, such as the goodput); the p99 time in system of each class; then
 * the per-component figures (SIM_COMBINE_EACH, such as each client's
 * retry amplification).  Each has a direction (lower or higher is
 * better) for ranking, and a mean and 95% half-width.
 */
#ifndef SIM_FIGURES_H
#define SIM_FIGURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sim/describe.h"
#include "sim/json.h"
#include "sim/scenario.h"

struct sim_figure {
	char name[128];		/* CSV column: "p99_s:critical" */
	char label[128];	/* for people: "p99 critical" */
	enum sim_unit unit;
	bool yes_no;		/* a verdict: 1 yes, 0 no, between: a share of runs */
	double mean, ci95;	/* ci95 NaN for one replication */
	bool higher_is_better;
	bool optional;		/* left out when 0 in every row */
};

#define SIM_MAX_FIGURES 96

/* Fills figs (SIM_MAX_FIGURES); returns how many. */
size_t sim_figures(const struct sim_scenario *sc, const struct sim_json *summary,
		   struct sim_figure *figs);

/* The rows of a comparison: each a label (variant or sweep point, and
 * one value per varied key) and its figures (same names in every row). */
struct sim_figure_row {
	const char *label;
	const char *const *keys;	/* sweep: the values of the varied keys */
	struct sim_figure figs[SIM_MAX_FIGURES];
	size_t n;
};

/* Removes the optional figures that are 0 (or n/a) in every row. */
void sim_figures_prune(struct sim_figure_row *rows, size_t n);

/* Writes NAME.csv (one row per row, mean and ci95 columns) and the table
 * of NAME.md (bold: the best value of each column). */
void sim_figures_csv(FILE *f, const char *first, const char *const *keynames, size_t nkeys,
		     const struct sim_figure_row *rows, size_t n);
void sim_figures_md(FILE *f, const char *first, const char *const *keynames, size_t nkeys,
		    const struct sim_figure_row *rows, size_t n);

#endif
