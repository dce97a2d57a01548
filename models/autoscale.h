/* autoscale.h - when a worker pool grows or shrinks (models/autoscale.c),
 * a part of the workers model: the pool starts and retires the workers. */
#ifndef MDL_AUTOSCALE_H
#define MDL_AUTOSCALE_H

#include "sim/model.h"

/* The settings: `autoscale: {signal, target, min, max, step, cooldown,
 * startup, check, hold: {signal, above}}`. */
struct mdl_autoscale {
	const char *signal, *hold_signal;	/* signal NULL: utilization */
	double target, hold_above;
	double cooldown, startup, check;	/* seconds */
	uint64_t min, max, step;		/* workers */
};

/* The policy's state, embedded by the pool; it allocates nothing.  The
 * pool tracks the three counts (sim_track_count) and sets last_change
 * to -INFINITY at init. */
struct mdl_autoscale_state {
	int signal, hold;	/* signal indices; -1: utilization, no hold */
	double last_change;	/* seconds, absolute */
	double util_area, util_t;	/* level areas at the last check */
	struct sim_count ups, downs, held;
};

/* Reads the `autoscale` map v of a pool of count workers into *as; 1 when
 * read, 0 when v asks for nothing, -1 after a diagnostic. */
int mdl_autoscale_configure(struct sim_cfg *c, const struct sim_node *v, uint64_t count,
			    struct mdl_autoscale *as);
/* Finds the signals by name once the run's columns exist; -1 (the run
 * stopped with a message) when one is not a level or gauge. */
int mdl_autoscale_start(struct sim_ctx *ctx, struct mdl_autoscale_state *s,
			const struct mdl_autoscale *as);
/* The decision at a check, for a pool of count workers (starting more
 * still starting up), busy and count its levels: how many workers to
 * start (> 0) or retire (< 0), or 0. */
int64_t mdl_autoscale_decide(struct sim_ctx *ctx, struct mdl_autoscale_state *s,
			     const struct mdl_autoscale *as, struct sim_level *busy,
			     struct sim_level *count_level, uint64_t count, uint64_t starting);

#endif
