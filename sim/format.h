/* format.h - numbers written for people, by their unit.
 *
 * The one place that turns a value (and its 95% confidence half-width,
 * with replications) into text: the terminal summary, report.md and the
 * comparison tables all go through it, with the unit a model declares
 * for the metric (sim/describe.h).
 */
#ifndef SIM_FORMAT_H
#define SIM_FORMAT_H

#include <stddef.h>

#include "sim/describe.h"
#include "sim/json.h"

/* A summary value: a number, a boolean, or {"mean", "ci95"} from
 * replications (then *ci is the half-width).  NaN when j is NULL or is
 * none of these; *ci is NaN without replications.  ci may be NULL. */
double sim_value(const struct sim_json *j, double *ci);

/* "n/a" for NaN; "v ± ci" when ci is a number. */
void sim_format(char *buf, size_t size, enum sim_unit unit, double v, double ci);
void sim_format_json(char *buf, size_t size, enum sim_unit unit, const struct sim_json *j);

#endif
