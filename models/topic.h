/* topic.h - the `topic` component kind; see models/topic.c. */
#ifndef MDL_TOPIC_H
#define MDL_TOPIC_H

#include "sim/model.h"

extern const struct sim_model_ops mdl_topic_ops;

/* The partition, of n, of an item with key (not SIM_NONE). */
size_t mdl_topic_partition(uint32_t key, size_t n);

#endif
