/* limiter.h - the `limiter` component kind; see models/limiter.c. */
#ifndef MDL_LIMITER_H
#define MDL_LIMITER_H

#include "sim/model.h"

extern const struct sim_model_ops mdl_limiter_ops;

#endif
