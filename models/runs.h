/* runs.h - the queries a database is running, in a binary heap by finish
 * time on its virtual work clock (models/runs.c), a part of the database
 * model. */
#ifndef MDL_RUNS_H
#define MDL_RUNS_H

#include "sim/model.h"

struct mdl_run {
	double finish_v;	/* virtual seconds */
	struct sim_item *item;
};

/* The owner allocates v with room for every connection and frees it.
 * Invariant: v[0] finishes first, and item->tag is the item's index + 1
 * while it runs. */
struct mdl_runs {
	struct mdl_run *v;
	size_t n;
};

/* Adds item it, finishing at finish_v; there is room for it. */
void mdl_runs_push(struct mdl_runs *h, double finish_v, struct sim_item *it);
/* Takes out the run at index i (< n) and returns its item, tag 0. */
struct sim_item *mdl_runs_remove(struct mdl_runs *h, size_t i);

#endif
