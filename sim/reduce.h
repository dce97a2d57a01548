/* reduce.h - a long time series cut down to what a chart can show.
 *
 * A chart is about 1,250 pixels wide; a run may have a million rows, and
 * gnuplot drawing them all takes minutes.  The reducer takes the rows as
 * they come and keeps, for each bucket of consecutive rows (at most
 * SIM_REDUCE_BUCKETS of them, about a pixel column each), their mean time
 * and each column's mean, minimum and maximum over its finite values: a
 * spike one row wide stays in the maximum.  Row i of the n expected goes
 * to bucket i * B / n, so with n <= B each row is a bucket of its own and
 * the reduced series is the series itself, value for value (each row
 * then goes straight in: no accumulators).  Memory: B rows of three
 * values a column, whatever the run's length, and a column whose values
 * stay the same (an idle component's) only one triple (sim/series.h).
 */
#ifndef SIM_REDUCE_H
#define SIM_REDUCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/series.h"

#define SIM_REDUCE_BUCKETS 1000

struct sim_reduce {
	struct sim_series out;	/* the buckets so far: v, lo, hi */
	size_t expected;	/* rows */
	uint64_t seen;		/* rows taken */
	uint64_t bucket;	/* of the rows being gathered */
	size_t tn;		/* rows in it */
	double tsum;
	double *sum, *min, *max;	/* per column, over its finite values */
	size_t *n;
	bool direct;		/* no more rows than buckets, each its own:
				 * rows go straight into out, no accumulators */
};

/* A reducer for rows of cols' columns, expected_rows of them (more are
 * gathered into the last bucket).  0, or -1 when out of memory. */
int sim_reduce_init(struct sim_reduce *r, const struct sim_series *cols, size_t expected_rows);
void sim_reduce_fini(struct sim_reduce *r);

/* Takes one row (ncols values, NaN: empty): 0, or -1 when out of memory
 * (the rows reduced so far stay, the later ones are lost). */
int sim_reduce_add(struct sim_reduce *r, double t, const double *row);

/* Closes the last bucket and moves the reduced series into *out (the
 * caller finis it), with the column names of names, which it takes
 * (names, of the columns given to sim_reduce_init, is left without
 * columns); r is left empty.  0, or -1 when out of memory (the last
 * bucket is then lost). */
int sim_reduce_finish(struct sim_reduce *r, struct sim_series *names, struct sim_series *out);

#endif
