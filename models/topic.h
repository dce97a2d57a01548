/* topic.h - the `topic` component kind; see models/topic.c. */
#ifndef MDL_TOPIC_H
#define MDL_TOPIC_H

#include "sim/model.h"

extern const struct sim_model_ops mdl_topic_ops;

#endif
