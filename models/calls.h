/* calls.h - a worker pool's synchronous calls (`calls`), a part of the
 * workers model; see models/calls.c. */
#ifndef MDL_CALLS_H
#define MDL_CALLS_H

#include "sim/model.h"

#define MDL_CALLS_MAX 16

struct mdl_calls_conf {
	uint32_t to[MDL_CALLS_MAX];	/* called in this order */
	size_t n;			/* 0: the pool calls nothing */
};

struct mdl_calls {
	uint64_t calling;		/* workers waiting on a call */
	struct sim_level calling_level;
};

/* Reads `calls: NAME` or `calls: [NAME, ...]` from map, if there; -1 on
 * bad input (reported). */
int mdl_calls_configure(struct sim_cfg *c, const struct sim_node *map, struct mdl_calls_conf *cc);
/* Tracks the level and, with calls, probes the column `calling`; -1 when
 * out of memory. */
int mdl_calls_init(struct sim_ctx *ctx, struct mdl_calls *s, const struct mdl_calls_conf *cc);
/* A worker whose service of it has ended starts the first call. */
void mdl_calls_start(struct sim_ctx *ctx, struct mdl_calls *s, const struct mdl_calls_conf *cc,
		     struct sim_item *it);
/* A call of it has ended: true when the next call has started (the
 * worker stays held), false when the worker is done calling (the caller
 * then goes on with it, or ends it, as result and its flags say). */
bool mdl_calls_returned(struct sim_ctx *ctx, struct mdl_calls *s, const struct mdl_calls_conf *cc,
			struct sim_item *it, enum sim_call_result result);
/* It is cancelled: true when it was waiting on a call (the worker is done
 * calling and must let it go now), false when it is in its service time. */
bool mdl_calls_cancel(struct sim_ctx *ctx, struct mdl_calls *s, struct sim_item *it);
/* `call_wait_share`: time waiting on calls over time busy (busy: the
 * pool's busy workers). */
void mdl_calls_finish(struct sim_ctx *ctx, const struct mdl_calls *s, const struct sim_level *busy,
		      struct sim_json *o);

#endif
