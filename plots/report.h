/* report.h - report.md: the run summarised for a design review. */
#ifndef PLOTS_REPORT_H
#define PLOTS_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/json.h"
#include "sim/scenario.h"

/* Writes dir/report.md: the run, recovery, key figures, the charts (as
 * images when drawn, else links to their scripts), conservation.
 * 0, or -1 after printing why. */
int plots_report(const char *dir, const struct sim_scenario *sc, const struct sim_json *summary,
		 const char *const *charts, const char *const *titles, size_t ncharts, bool drawn,
		 const char *ext);

#endif
