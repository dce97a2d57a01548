/* series.h - the time series of one run: a row of values per sample tick.
 *
 * Columns are named "<component>.<metric>" (or "class:<name>.<metric>");
 * NaN marks an empty cell (no data in that interval) and prints as an
 * empty CSV field.
 */
#ifndef SIM_SERIES_H
#define SIM_SERIES_H

#include <stddef.h>
#include <stdio.h>

struct sim_series {
	char **names;		/* ncols, malloc'd */
	size_t ncols;
	double *t;		/* nrows sample times, seconds */
	double *v;		/* nrows x ncols, row-major */
	size_t nrows, cap_rows;
};

void sim_series_init(struct sim_series *s);
void sim_series_fini(struct sim_series *s);
int sim_series_add_col(struct sim_series *s, const char *name);
/* A new row at time t; its values start as NaN.  NULL when out of memory. */
double *sim_series_row(struct sim_series *s, double t);
/* Column index by name, or -1. */
int sim_series_find(const struct sim_series *s, const char *name);

void sim_series_write_csv(const struct sim_series *s, FILE *f);

/* Mean over n series of the same shape, cell by cell (NaNs skipped). */
int sim_series_mean(struct sim_series *out, const struct sim_series *const *in, size_t n);

#endif
