/* sweep.h - the charts of a sweep (sim sweep).
 *
 * One chart per figure of the comparison (sim/figures.h), named after it
 * as compare names its charts: sweep-peak_depth.png, sweep-p99_s-default.png.
 * The x axis is the first varied key; each value of the other keys (each
 * combination, with three or more) is a line of its own.  Values that all
 * read as numbers (40/s, 250ms, 16, 10k) sit at their true positions, on
 * a logarithmic axis when the largest is more than ten times the smallest;
 * any other values (a policy's name) sit at equal spacing, as written.
 *
 * Each chart reads its own data file, sweep-NAME.csv (RFC 4180, via
 * sim/csv.h): a row per value of the x key, in the order of the x axis,
 * with the value as written, its position on the axis (in base units:
 * per second, seconds; for values that are not numbers, 0, 1, 2, ...),
 * and the mean and 95% half-width of every line.  Every string of the
 * scripts goes through plots/gpstr.h.
 */
#ifndef PLOTS_SWEEP_H
#define PLOTS_SWEEP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "sim/figures.h"
#include "sim/scenario.h"

struct plots_sweep_in {
	const struct sim_scenario *sc;
	const char *const *keys;	/* the varied keys, in --vary order */
	const size_t *nvalues;		/* how many values each has */
	size_t nkeys;
	/* one per point, their number the product of nvalues, the last key
	 * varying fastest; each row's keys hold its values */
	const struct sim_figure_row *rows;
	size_t nrows;
	unsigned reps;			/* > 1: error bars */
	bool draw, svg;
	const volatile sig_atomic_t *interrupt;
	unsigned at_once;		/* charts drawn at once (0: one) */
};

/* Writes each chart's data and script into dir and, when in->draw, draws
 * them.  names/titles (64 each) receive the charts, *ncharts how many,
 * *drawn whether all were drawn.  A figure with no value at any point
 * gets no chart.  0, or -1 after printing why (I/O). */
int plots_sweep(const char *dir, const struct plots_sweep_in *in, char (*names)[96],
		char (*titles)[160], size_t *ncharts, bool *drawn);

#endif
