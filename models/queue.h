/* queue.h - the `queue` component kind; see models/queue.c. */
#ifndef MDL_QUEUE_H
#define MDL_QUEUE_H

#include "sim/model.h"

extern const struct sim_model_ops mdl_queue_ops;

#endif
