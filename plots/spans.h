/* spans.h - the spans shaded on a time chart and named above it: the
 * warm-up and the overload window (plots/charts.c), and the schedule
 * entries of dependencies, which each model lists (sim_model_ops.spans):
 * a lighter band with dashed edges, "db slowdown ×5" above it. */
#ifndef PLOTS_SPANS_H
#define PLOTS_SPANS_H

#include <stdbool.h>
#include <stdio.h>

#include "plots/choose.h"

/* Writes text as label id on row 0 above the plot, centred over the span
 * [from, to] (seconds) but right of *left, where the label before it
 * ends; *left becomes where this one ends. */
void plots_span_label(FILE *f, const struct plots_context *cx, int id, const char *text,
		      const char *colour, double from, double to, double *left);

/* Whether any component lists a span that starts within the run. */
bool plots_spans_any(const struct plots_context *cx);

/* Shades and names every component's spans (ids from 100 on); *left as
 * for plots_span_label. */
void plots_spans_write(FILE *f, const struct plots_context *cx, double *left);

#endif
