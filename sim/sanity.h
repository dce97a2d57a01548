/* sanity.h - warnings about scenarios that load but are probably not
 * what their author meant (a service time of 5 seconds among values in
 * milliseconds).  They go to stderr from `sim check` and before a run,
 * leave the exit status alone (`--strict` makes them errors) and are
 * silenced by `--quiet`.
 */
#ifndef SIM_SANITY_H
#define SIM_SANITY_H

#include "sim/cfg.h"

struct sim_scenario;

/* Adds a warning for each service-like duration written as a bare
 * number (seconds) in a file whose other durations are in ms or us. */
int sim_sanity_units(struct sim_scenario *sc, const struct sim_cfg_units *u);

#endif
