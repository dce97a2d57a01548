/* output.h - the files of a run and its summary on the terminal.
 *
 * Every file is written to a temporary name in the output folder and
 * renamed into place (sim/atomic.h), so a reader never sees half a file.
 * With several replications the summary's numbers become {mean, ci95, n}
 * and timeseries.csv holds the mean of the replications' series, each of
 * which is kept as reps/<k>/timeseries.csv.  Only the replications that
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

/* Creates dir and its parents; 0, or -1 with errno set. */
int sim_mkdirs(const char *dir);

/* How many of the reps results ran to their end. */
unsigned sim_output_finished(const struct sim_result *res, unsigned reps);

/* Builds the summary of reps results (the caller frees it); NULL when
 * out of memory. */
struct sim_json *sim_output_summary(const struct sim_scenario *sc,
				    const struct sim_result *res, unsigned reps,
				    double wall_s);

/* The series of the run into *out (the caller finis it): one
 * replication's own (moved out of res[0]), or the mean of those of the
 * replications that finished (no columns when none did).  -1 when out of
 * memory. */
int sim_output_series(struct sim_series *out, struct sim_result *res, unsigned reps);

/* Writes summary.json, timeseries.csv (mean: from sim_output_series; not
 * written when it has no columns) and, with reps > 1, each replication's
 * reps/<k>/timeseries.csv (those that ran at all) into dir, which exists.
 * 0, or -1 after printing why to stderr. */
int sim_output_write(const char *dir, const struct sim_json *summary,
		     const struct sim_series *mean, const struct sim_result *res, unsigned reps);

#endif
