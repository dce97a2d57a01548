/* terminal.h - the summary of a run that `sim run` prints.
 *
 * One line per component with the metrics its model marks as headline
 * (sim/describe.h), in their units; one per class; the recovery of each
 * criterion; conservation; where the files are.  And the short table of
 * `sim compare` and `sim sweep`.
 */
#ifndef SIM_TERMINAL_H
#define SIM_TERMINAL_H

#include <stdio.h>

#include "sim/figures.h"
#include "sim/json.h"
#include "sim/scenario.h"

void sim_terminal_print(FILE *f, const struct sim_scenario *sc, const struct sim_json *summary,
			const char *dir);

/* The short table of a comparison or sweep: per row (in order, NULL: as
 * they are) its label, the values of the varied keys, and the figures
 * marked brief (each criterion's recovery time, the peak age with its
 * component, items dropped, the first class's share served and p99),
 * in aligned columns.  The rest is in NAME.md. */
void sim_terminal_figures(FILE *f, const char *first, const char *const *keynames, size_t nkeys,
			  const struct sim_figure_row *rows, size_t n, const size_t *order);

#endif
