/* style.h - how the lines of a chart are told apart, and where its legend
 * and labels go so that they cover no data.
 *
 * Line i of a chart has colour i mod PLOTS_COLOURS and dash pattern
 * (i / PLOTS_COLOURS) mod PLOTS_DASHES: the first twelve lines are solid
 * in twelve colours, the next twelve dashed in the same colours, and so
 * on, so no two of the first PLOTS_COLOURS * PLOTS_DASHES lines look
 * alike.  The legend goes under the plot, in as many rows as its entries
 * need.
 */
#ifndef PLOTS_STYLE_H
#define PLOTS_STYLE_H

#include <stddef.h>
#include <stdio.h>

#define PLOTS_COLOURS 12
#define PLOTS_DASHES 4

/* Line i's colour ("#rrggbb") and dash pattern (a gnuplot dashtype). */
const char *plots_style_colour(size_t i);
const char *plots_style_dash(size_t i);

/* Writes " linecolor rgb '#rrggbb' dashtype D" for line i. */
void plots_style_line(FILE *f, size_t i);

/* Writes the legend's placement: under the plot and its axis label,
 * centred, sample before title, in as many columns as fit the chart's
 * width.  gnuplot sizes the bottom margin to the rows, so the legend
 * never covers data or an axis, whatever the number of entries. */
void plots_style_key(FILE *f);

#endif
