/* columns.h - the columns of a scenario's timeseries.csv, known before it runs.
 *
 * From each component's column descriptions (sim/describe.h) and its
 * configuration, and the engine's own per-class columns, in the order
 * the engine creates them.  `sim check` and the loader's checks of
 * metric names use this list; no engine is built for it.  A test keeps
 * it equal to the header of every example scenario's run.
 */
#ifndef SIM_COLUMNS_H
#define SIM_COLUMNS_H

#include <stddef.h>

#include "sim/scenario.h"
#include "sim/series.h"

/* Fills s (initialised by the caller, no rows) with the column names.
 * 0, or -1 when out of memory. */
int sim_columns(const struct sim_scenario *sc, struct sim_series *s);

/* The per-class columns the engine keeps, for both lists. */
extern const char *const sim_class_columns[];

/* The metric of the column counting the items a component dropped for
 * one of its model's reasons (sim/describe.h): "dropped:REASON".  Every
 * component with reasons has one per reason, after the class columns. */
void sim_columns_drop_metric(char *buf, size_t size, const char *reason);

#endif
