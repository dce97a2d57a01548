/* workers.h - the `workers` component kind; see models/workers.c. */
#ifndef MDL_WORKERS_H
#define MDL_WORKERS_H

#include "sim/model.h"

extern const struct sim_model_ops mdl_workers_ops;

#endif
