/* terminal.h - the summary of a run that `sim run` prints.
 *
 * One line per component with the metrics its model marks as headline
 * (sim/describe.h), in their units; one per class; the recovery of each
 * criterion; conservation; where the files are.
 */
#ifndef SIM_TERMINAL_H
#define SIM_TERMINAL_H

#include <stdio.h>

#include "sim/json.h"
#include "sim/scenario.h"

void sim_terminal_print(FILE *f, const struct sim_scenario *sc, const struct sim_json *summary,
			const char *dir);

#endif
