/* charts.h - charts and report.md for the outputs of a run.
 *
 * For each chart, a gnuplot script NAME.gp is written into the output
 * folder, next to the timeseries.csv it reads, then gnuplot draws NAME.png
 * from it.  The scripts are kept, so users can restyle a chart and run
 * `gnuplot NAME.gp` again.  Without gnuplot the scripts are still written
 * and one note says so; that is not an error.
 */
#ifndef PLOTS_CHARTS_H
#define PLOTS_CHARTS_H

#include <stdbool.h>
#include <stdio.h>

#include "sim/json.h"
#include "sim/scenario.h"
#include "sim/series.h"

/* Writes the chart scripts, draws them when draw is set, and writes
 * report.md linking them.  0, or -1 after printing why (I/O). */
int plots_write(const char *dir, const struct sim_scenario *sc, const struct sim_json *summary,
		const struct sim_series *series, bool draw);

#endif
