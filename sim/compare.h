/* compare.h - `sim compare` and `sim sweep`: several runs of one scenario,
 * side by side.
 *
 * compare runs the baseline and each variant (or those named) with the
 * same seeds, so they see the same arrivals and service times (common
 * random numbers); sweep runs each value, or each combination of values,
 * of one or more --vary COMPONENT.KEY=V1,V2,...  Each run gets its own
 * sub-folder with the outputs of `sim run`; the comparison goes into
 * NAME.csv, NAME.md and charts in the folder above.
 */
#ifndef SIM_COMPARE_H
#define SIM_COMPARE_H

#include "sim/study.h"

/* variants: comma-separated names, or NULL for baseline and all. */
int sim_compare(const struct study_opts *o, const char *variants, const char *out);

/* varies: each "COMPONENT.KEY=V1,V2,..." */
int sim_sweep(const struct study_opts *o, const char *const *varies, size_t nvaries, const char *out);

#endif
