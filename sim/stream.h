/* stream.h - the rows of a run on their way to disk, as they are sampled.
 *
 * A stream is the sink (sim/series.h) of one series.  Each row is written
 * to its CSV file at once, through a large stdio buffer, under a temporary
 * name renamed into place when the rows end (sim/atomic.h); the series
 * itself keeps one row.  Besides, a stream may
 *   - write each row's exact values to a binary spill file, from which
 *     sim_stream_mean computes the mean of replications row by row (the
 *     CSV's 10 digits would not give the same bits as the values);
 *   - feed a reducer (sim/reduce.h): the series the charts draw;
 *   - keep in memory the rows of a few named columns: those the recovery
 *     criteria read (sim/report.h), handed back in the series at its end.
 * Memory: one row, the kept columns and the reducer, whatever the run's
 * length.  Files are opened at the first row (or at the end, for a run
 * stopped before any): a replication never begun leaves none.
 */
#ifndef SIM_STREAM_H
#define SIM_STREAM_H

#include <stdbool.h>
#include <stdio.h>

#include "sim/atomic.h"
#include "sim/reduce.h"
#include "sim/series.h"

struct sim_stream_opts {
	const char *dir;		/* created when the file opens */
	const char *name;		/* the CSV file in dir */
	bool spill;			/* keep exact rows for sim_stream_mean */
	const char *const *keep;	/* columns whose rows stay in memory */
	size_t nkeep;
	size_t reduce_rows;		/* rows expected; 0: no reducer */
};

struct sim_stream {
	struct sim_series_sink sink;	/* the series' sink: &st->sink */
	char dir[4096], path[4200], spill_path[4200];
	bool spill, reduce, opened, ended, failed;
	bool told;			/* why is on stderr already */
	struct sim_atomic csv;
	char *buf;			/* the CSV's stdio buffer */
	FILE *spill_f;
	struct sim_series cols;		/* the columns' names, no rows */
	const char *const *keep;
	size_t nkeep;
	int *keep_col;			/* their indices in cols */
	struct sim_series kept;
	size_t reduce_rows;
	struct sim_reduce red;
	struct sim_series reduced;	/* after the end: the charts' series */
	char why[4400];
};

/* A stream as o says (its strings are copied or must outlive it). */
void sim_stream_init(struct sim_stream *st, const struct sim_stream_opts *o);

/* Removes what the stream left unfinished (its temporary CSV) and its
 * spill file; frees it.  Call after any sim_stream_mean that reads it. */
void sim_stream_fini(struct sim_stream *st);

/* Feeds out the mean of the n ended streams' spilled rows, cell by cell
 * over the finite values in the order given (the time is the first's), as
 * many rows as the shortest has, then ends it.  0, or -1 (out->why). */
int sim_stream_mean(struct sim_stream *out, struct sim_stream *const *in, size_t n);

#endif
