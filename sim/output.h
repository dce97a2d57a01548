/* output.h - the files of a run and its summary on the terminal.
 *
 * Every file is written to a temporary name in the output folder and
 * renamed into place (sim/atomic.h), so a reader never sees half a file.
 * With several replications the summary's numbers become {mean, ci95, n}
 * and timeseries.csv holds the mean of the replications' series, each of
 * which is kept as reps/<k>/timeseries.csv.  Without `sample` in the
 * scenario, when the default of 1 s would make more rows than
 * SIM_SCENARIO_AUTO_ROWS, the summary states the interval chosen
 * ("sample_s", "sample_auto": true).  Only the replications that
 * ran to their end count in the means (n is how many did); the summary of
 * a run where some did not lists them ("replications_finished",
 * "replications_unfinished"), and with none finished it has no figures
 * and there is no timeseries.csv.
 */
#ifndef SIM_OUTPUT_H
#define SIM_OUTPUT_H

#include <stdio.h>

#include "sim/engine.h"
#include "sim/json.h"
#include "sim/scenario.h"
#include "sim/stream.h"

/* Creates dir and its parents; 0, or -1 with errno set. */
int sim_mkdirs(const char *dir);

/* How many of the reps results ran to their end. */
unsigned sim_output_finished(const struct sim_result *res, unsigned reps);

/* Builds the summary of reps results (the caller frees it); NULL when
 * out of memory. */
struct sim_json *sim_output_summary(const struct sim_scenario *sc,
				    const struct sim_result *res, unsigned reps,
				    double wall_s);

/* The time series of a run's replications, streamed to disk as they are
 * sampled (sim/stream.h): with one replication DIR/timeseries.csv, with
 * several each replication's DIR/reps/<k>/timeseries.csv (and its exact
 * rows spilled for the mean).  Each keeps in memory the columns of the
 * scenario's recovery criteria (read after its run, then freed). */
struct sim_output_streams {
	struct sim_stream *st;			/* reps of them */
	const struct sim_series_sink **sinks;	/* &st[k].sink, for the runner */
	unsigned reps;
	const char **keep;			/* the kept columns' names */
	size_t nkeep;
	size_t rows;				/* rows a replication makes */
	char dir[4096];
};

/* The names of the columns recovery reads, each once, into names (room
 * for sc->report.ncrit): how many. */
size_t sim_output_kept(const struct sim_scenario *sc, const char **names);

/* Streams for reps replications into dir.  0, or -1 when out of memory. */
int sim_output_streams_init(struct sim_output_streams *os, const char *dir,
			    const struct sim_scenario *sc, unsigned reps);
/* Removes what is unfinished and the spill files; frees. */
void sim_output_streams_fini(struct sim_output_streams *os);
/* Whether writing some replication's series failed (it said why). */
bool sim_output_streams_failed(const struct sim_output_streams *os);

/* The series the charts draw into *out (the caller finis it), reduced
 * (sim/reduce.h): one replication's own, or the mean of those of the
 * replications that finished, written to DIR/timeseries.csv on the way
 * (no columns, and no file, when none did).  0, or -1 after printing why
 * (I/O, or out of memory). */
int sim_output_series(struct sim_series *out, struct sim_output_streams *os,
		      const struct sim_result *res);

/* Writes summary.json into dir, which exists.  0, or -1 after printing
 * why to stderr. */
int sim_output_write(const char *dir, const struct sim_json *summary);

#endif
