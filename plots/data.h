/* data.h - charts.csv: the series the charts draw, cut down.
 *
 * The charts of a run read charts.csv, not timeseries.csv: the series
 * reduced to at most SIM_REDUCE_BUCKETS rows (sim/reduce.h), so gnuplot
 * draws any run in about the same time, whatever its length, and only
 * the columns the charts draw, so it draws a model of thousands of
 * components in about the same time too (gnuplot reads every field of a
 * line for each line it draws).  Its columns: t_s (a row's mean time),
 * then for each column NAME of timeseries.csv that a chart draws, in
 * order, mean(NAME), min(NAME) and max(NAME) over the rows it stands for
 * (the same three values when it stands for one).  Names are quoted as
 * RFC 4180 asks.  A comparison's charts.csv has a block of that form a
 * run, its header line commented out ("# t_s,..."), the blocks two blank
 * lines apart: gnuplot's `index`.
 */
#ifndef PLOTS_DATA_H
#define PLOTS_DATA_H

#include <stdbool.h>

#include "plots/choose.h"
#include "sim/reduce.h"
#include "sim/series.h"

#define PLOTS_DATA_FILE "charts.csv"

/* The 1-based gnuplot column of the mean of column c (0-based) of the
 * series; its minimum and maximum follow it. */
static inline int plots_data_column(int c)
{
	return 2 + 3 * c;
}

/* The 0-based series column of a mean's gnuplot column, or -1. */
static inline int plots_data_index(int col)
{
	return col >= 2 ? (col - 2) / 3 : -1;
}

/* A run's series and the columns of it to write (used: ncols flags). */
struct plots_data_cols {
	const struct sim_series *series;
	const bool *used;
};

/* Writes dir/charts.csv from the reduced series of runs[0] (a series not
 * reduced has its values for mean, minimum and maximum), or with blocks,
 * of the n runs, a block each.  0, or -1 after printing why. */
int plots_data_write(const char *dir, const struct plots_data_cols *runs, size_t n, bool blocks);

/* Writes dir/charts.csv with the columns that the n charts' lines read
 * from it (their col and col_minus in the layout of plots_data_column,
 * of runs[0], or with blocks of runs[block - 1]), and sets every line's
 * at and at_minus to where its file has them.  0, or -1 after printing
 * why. */
int plots_data_narrow(const char *dir, struct plots_chart *charts, int n,
		      const struct sim_series *const *runs, size_t nruns, bool blocks);

#endif
