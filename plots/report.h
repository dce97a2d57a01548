/* report.h - report.md: the run summarised for a design review. */
#ifndef PLOTS_REPORT_H
#define PLOTS_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/json.h"
#include "sim/scenario.h"

/* The charts a report lists. */
struct plots_report_charts {
	const char *const *names, *const *titles;
	size_t n;
	size_t left_out;	/* components without a chart: there were too many */
	bool drawn;		/* as images (ext), else links to their scripts */
	const char *ext;
};

/* Writes dir/report.md: the run, recovery, key figures, the charts,
 * conservation.  0, or -1 after printing why. */
int plots_report(const char *dir, const struct sim_scenario *sc, const struct sim_json *summary,
		 const struct plots_report_charts *charts);

#endif
