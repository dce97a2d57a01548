/* shed.h - the settings of a queue's load shedding (models/shed.c), a
 * part of the queue model; the queue decides at each arrival. */
#ifndef MDL_SHED_H
#define MDL_SHED_H

#include "sim/model.h"

struct mdl_shed {
	uint64_t depth;		/* UINT64_MAX: no depth trigger */
	double age;		/* seconds; INFINITY: no age trigger */
	int64_t keep_priority;	/* classes with priority <= this are kept */
	double p;		/* probability of shedding a sheddable item */
};

/* Reads the `shed` map v of queue c->name into *sh; 1 when it was read,
 * 0 when v asks for no shedding, -1 after a diagnostic. */
int mdl_shed_configure(struct sim_cfg *c, const struct sim_node *v, struct mdl_shed *sh);

#endif
