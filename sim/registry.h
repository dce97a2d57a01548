/* registry.h - the one table of component kinds (sim/registry.c). */
#ifndef SIM_REGISTRY_H
#define SIM_REGISTRY_H

#include <stddef.h>

struct sim_model_ops;

/* The kind's table, or NULL. */
const struct sim_model_ops *sim_registry_find(const char *kind);
/* The i-th kind in the registry's order, or NULL past the last. */
const struct sim_model_ops *sim_registry_kind(size_t i);
/* All kind names, NULL-ended. */
const char *const *sim_registry_names(void);

#endif
