/* registry.h - the one table of component kinds (sim/registry.c). */
#ifndef SIM_REGISTRY_H
#define SIM_REGISTRY_H

struct sim_model_ops;

/* The kind's table, or NULL. */
const struct sim_model_ops *sim_registry_find(const char *kind);
/* All kind names, NULL-ended. */
const char *const *sim_registry_names(void);

#endif
