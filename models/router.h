/* router.h - the `router` component kind; see models/router.c. */
#ifndef MDL_ROUTER_H
#define MDL_ROUTER_H

#include "sim/model.h"

extern const struct sim_model_ops mdl_router_ops;

#endif
