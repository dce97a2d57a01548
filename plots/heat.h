/* heat.h - heat-map charts (plots/heat.c): a repeated column, such as a
 * topic's lag by partition, drawn as time x part with the value as colour. */
#ifndef PLOTS_HEAT_H
#define PLOTS_HEAT_H

#include <stdio.h>

#include "plots/choose.h"

struct sim_component;

/* Fills ch (its name, titles and labels already set) with the columns of
 * c's repeated column metric: 1, or 0 when the run has none of them or
 * they are not side by side in the series. */
int plots_heat_choose(const struct plots_context *cx, const struct sim_component *c,
		      const char *metric, struct plots_chart *ch);

/* Writes the gnuplot script of heat-map chart ch. */
void plots_heat_write(FILE *f, const struct plots_context *cx, const struct plots_chart *ch);

#endif
