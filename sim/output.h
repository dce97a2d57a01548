/* output.h - the files of a run and its summary on the terminal.
 *
 * Every file is written to a temporary name in the output folder and
 * renamed into place, so a reader never sees half a file.  With several
 * replications the summary's numbers become {mean, ci95, n} and
 * timeseries.csv holds the mean of the replications' series, each of
 * which is kept as reps/<k>/timeseries.csv.
 */
#ifndef SIM_OUTPUT_H
#define SIM_OUTPUT_H

#include <stdio.h>

#include "sim/engine.h"
#include "sim/json.h"
#include "sim/scenario.h"

/* Creates dir and its parents; 0, or -1 with errno set. */
int sim_mkdirs(const char *dir);

/* Builds the summary of reps results (the caller frees it); NULL when
 * out of memory. */
struct sim_json *sim_output_summary(const struct sim_scenario *sc,
				    const struct sim_result *res, unsigned reps,
				    double wall_s);

/* Writes summary.json, timeseries.csv and reps/<k>/timeseries.csv into
 * dir.  0, or -1 after printing why to stderr. */
int sim_output_write(const char *dir, const struct sim_json *summary,
		     const struct sim_result *res, unsigned reps);

#endif
