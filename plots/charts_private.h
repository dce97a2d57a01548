/* charts_private.h - what the single-run charts (charts.c) share with
 * the comparison's (overlay.c). */
#ifndef PLOTS_CHARTS_PRIVATE_H
#define PLOTS_CHARTS_PRIVATE_H

#include <stdbool.h>

#include "plots/choose.h"
#include "sim/scenario.h"

/* The time axis's unit: seconds, minutes or hours by the run's length. */
void plots_time_axis(struct plots_context *cx, const struct sim_scenario *sc);

/* Writes each chart's script into dir; draws them if asked.  *drawn: all
 * drawn.  0, or -1 after printing why. */
int plots_write_all(const char *dir, const struct plots_context *cx,
		    const struct plots_chart *charts, int n, bool do_draw, bool *drawn);

#endif
