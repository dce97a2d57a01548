/* lanes.h - the lanes of a `priority` queue (models/lanes.c), a part of
 * the queue model. */
#ifndef MDL_LANES_H
#define MDL_LANES_H

#include "sim/model.h"

/* One lane per distinct class priority, most important (smallest number)
 * first: sets lane_of[k] for each of the run's classes and returns how
 * many lanes there are. */
size_t mdl_lanes_by_priority(struct sim_ctx *ctx, size_t *lane_of);

#endif
