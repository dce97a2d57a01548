/* split.h - the `split` component kind; see models/split.c. */
#ifndef MDL_SPLIT_H
#define MDL_SPLIT_H

#include "sim/model.h"

extern const struct sim_model_ops mdl_split_ops;

#endif
