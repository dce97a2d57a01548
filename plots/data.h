/* data.h - charts.csv: the series the charts draw, cut down.
 *
 * The charts of a run read charts.csv, not timeseries.csv: the series
 * reduced to at most SIM_REDUCE_BUCKETS rows (sim/reduce.h), so gnuplot
 * draws any run in about the same time, whatever its length.  Its
 * columns: t_s (a row's mean time), then for each column NAME of
 * timeseries.csv, in order, mean(NAME), min(NAME) and max(NAME) over the
 * rows it stands for (the same three values when it stands for one).
 * Names are quoted as RFC 4180 asks.
 */
#ifndef PLOTS_DATA_H
#define PLOTS_DATA_H

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

/* Writes dir/charts.csv from the reduced series s (a series not reduced
 * has its values for mean, minimum and maximum).  0, or -1 after printing
 * why. */
int plots_data_write(const char *dir, const struct sim_series *s);

#endif
