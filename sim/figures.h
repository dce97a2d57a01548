/* figures.h - the figures variants and sweep points are compared on.
 *
 * From a run's summary, in this order: per recovery criterion whether it
 * recovered (a share with replications) and how long it took; the peaks
 * (SIM_COMBINE_MAX figures the models declare, such as the peak queue
 * depth, with the component that reached it); items dropped and the share
 * lost; the sums (SIM_COMBINE_SUM); the rates, per component that
 * declares them (SIM_COMBINE_RATE, such as each producer's goodput),
 * never summed across unrelated components, and the goodput of each class
 * when there are several; per class the share of its items served, the
 * p99 time in system of those served, and the p99 counting the dropped
 * ones as never served; then the per-component figures (SIM_COMBINE_EACH,
 * such as each client's retry amplification).  Each has a direction (lower or higher is
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
	bool brief;		/* in the short table on the terminal */
	char where[64];		/* a peak: the component that reached it */
	double resolution;	/* a percentile: its relative resolution, else 0 */
	bool absent;		/* not in this row's run (sim_figures_align): n/a */
	char doc[400];		/* its definition, for the footnotes */
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

/* Gives every row the same columns: the union of the rows' figures (a
 * variant may add components, and with them figures; one without an
 * overload window has no recovery figures), a row lacking one getting it
 * absent, shown as n/a.  -1 when out of memory. */
int sim_figures_align(struct sim_figure_row *rows, size_t n);

/* Removes the optional figures that are 0 (or n/a) in every row. */
void sim_figures_prune(struct sim_figure_row *rows, size_t n);

/* Orders rows by the first recovery criterion (recovered in more
 * replications, then sooner; not recovered last), then by the next
 * criteria; ties keep their order.  Fills order[0..n-1] with row indexes. */
void sim_figures_rank(const struct sim_figure_row *rows, size_t n, size_t *order);

/* Whether row r's value in column i is the best and stands apart from
 * the next best: by more than their two 95% half-widths added (with
 * replications) or, without, by more than SIM_FIGURES_MARGIN of the
 * larger. */
#define SIM_FIGURES_MARGIN 0.05
bool sim_figures_best(const struct sim_figure_row *rows, size_t n, size_t r, size_t i);

/* A figure as text: "yes", "80% of runs", "218 ms ± 1.7 ms", "∞ (over 1%
 * failed)"; a percentile whose half-width is below its resolution states
 * the resolution instead. */
void sim_figures_text(char *buf, size_t size, const struct sim_figure *fig);

/* Writes NAME.csv (one row per row, mean and ci95 columns) and the table
 * of NAME.md (bold: sim_figures_best; each column header with a footnote
 * defining it; a peak with its component), rows in the order given
 * (NULL: as they are). */
void sim_figures_csv(FILE *f, const char *first, const char *const *keynames, size_t nkeys,
		     const struct sim_figure_row *rows, size_t n);
void sim_figures_md(FILE *f, const char *first, const char *const *keynames, size_t nkeys,
		    const struct sim_figure_row *rows, size_t n, const size_t *order);

#endif
