/* codel.h - CoDel's dequeue decision (RFC 8289) and its settings
 * (models/codel.c), a part of the queue model. */
#ifndef MDL_CODEL_H
#define MDL_CODEL_H

#include "sim/model.h"

/* The settings: `codel: {target, interval}`. */
struct mdl_codel {
	double target, interval;	/* seconds */
};

/* The state of the control law, embedded by its owner and zeroed; it
 * allocates nothing. */
struct mdl_codel_state {
	double first_above, drop_next;	/* seconds, absolute */
	uint32_t count, lastcount;
	bool dropping;
};

/* Reads the `codel` value v (a map, or empty for RFC 8289's defaults,
 * which *cd holds on entry) into *cd; 0, or -1 after a diagnostic. */
int mdl_codel_configure(struct sim_cfg *c, const struct sim_node *v, struct mdl_codel *cd);
/* RFC 8289's decision at dequeue for an item that waited `sojourn`
 * seconds, `left` items still waiting behind it: true to drop it. */
bool mdl_codel_drop(struct mdl_codel_state *s, const struct mdl_codel *cd, double now,
		    double sojourn, uint64_t left);

#endif
