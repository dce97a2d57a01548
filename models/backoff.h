/* backoff.h - the backoff configuration of the client model
 * (models/backoff.c).  Not a model. */
#ifndef MDL_BACKOFF_H
#define MDL_BACKOFF_H

#include "sim/model.h"

/* Reads the `backoff` map and the `jitter` key of the client map into bo,
 * defaults first; 0, or -1 with the errors reported through c. */
int mdl_backoff_configure(struct sim_cfg *c, const struct sim_node *map, struct sim_backoff *bo);

#endif
