/* producer.h - the `producer` component kind; see models/producer.c. */
#ifndef MDL_PRODUCER_H
#define MDL_PRODUCER_H

#include "sim/model.h"

extern const struct sim_model_ops mdl_producer_ops;

#endif
