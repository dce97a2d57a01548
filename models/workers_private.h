/* workers_private.h - the state of a worker pool, shared by the files
 * that make up the `workers` model: workers.c (the pool and its calls),
 * workers_scale.c (autoscaling), batching.c (batches) and
 * workers_schedule.c (its schedule).  Nothing else includes it.
 */
#ifndef MDL_WORKERS_PRIVATE_H
#define MDL_WORKERS_PRIVATE_H

#include "sim/model.h"

#include "models/autoscale.h"
#include "models/calls.h"
#include "models/depsched.h"

enum { EV_DONE, EV_LINGER, EV_CHECK, EV_STARTED, EV_SCHEDULE, EV_ANSWERED };

/* Why a pool drops an item: indices in reasons[]. */
enum { R_CALL_FAILED, R_CANCELLED, R_DOWN };

struct workers_conf {
	struct sim_dist service;	/* first: every item's service reads it */
	uint32_t from, to;
	uint64_t batch_max;	/* 0: no batching */
	struct mdl_depsched sched;
	struct mdl_calls_conf calls;	/* models/calls.c */
	uint64_t count;
	double linger;
	struct sim_dist per_batch, per_item;
	bool by_key;		/* batch: by: key (coalescing) */
	bool autoscale;
	struct mdl_autoscale as;	/* models/autoscale.c */
};

struct workers {
	/* What the end of a service and a pull read and write come first,
	 * together: at a thousand pools they are rarely in the cache, and
	 * each line they share saves a miss an item. */
	const struct workers_conf *conf;
	gsl_rng *rng;
	const struct sim_dist *service;
	uint64_t busy;
	uint64_t count;		/* workers taking work now */
	double warmup;
	double service_sum;	/* seconds, since the warm-up */
	uint32_t from, to;	/* the configuration's, copied */
	bool batching, calling, scheduled;	/* batch_max, calls.n, sched.n > 0 */
	bool halt;			/* paused or down */
	struct sim_count completed;
	struct sim_level busy_level;
	struct sim_count failed, cancelled;
	struct mdl_calls calls;		/* models/calls.c */
	/* the batch being formed */
	struct sim_item *head, *tail;
	uint64_t forming;
	sim_handle linger;
	struct sim_count batches;
	struct sim_item *carry;	/* by: key: pulled, begins the next batch */
	struct sim_count merged;
	/* autoscaling */
	uint64_t starting;	/* added, still starting up */
	struct sim_level count_level;
	struct mdl_autoscale_state as;	/* models/autoscale.c */
	/* what the schedule says holds now */
	struct mdl_depsched_now now;
};

/* workers.c */
void mdl_workers_ready(struct sim_ctx *ctx, void *state);
void mdl_workers_done(struct sim_ctx *ctx, struct workers *w, struct sim_item *it);

/* An item's service is over: counted, released to its buffer, and sent
 * on (or completed when the pool sends nowhere). */
static inline void mdl_workers_pass_on(struct sim_ctx *ctx, struct workers *w,
				       struct sim_item *it)
{
	sim_count_add(&w->completed, 1);
	sim_release(ctx, w->from, it);
	if (w->to != SIM_NONE)
		sim_send(ctx, w->to, it);
	else
		sim_complete(ctx, it);
}
void mdl_workers_let_go(struct sim_ctx *ctx, struct workers *w, struct sim_item *it,
			enum sim_call_result how);

/* workers_scale.c */
/* The pool takes work with n workers now. */
void mdl_workers_set_count(struct sim_ctx *ctx, struct workers *w, uint64_t n);
/* Starts or retires the workers the policy asks for, then checks again
 * after `check`. */
void mdl_workers_check(struct sim_ctx *ctx, struct workers *w);
/* A worker added by the policy has started: it takes work. */
void mdl_workers_started(struct sim_ctx *ctx, struct workers *w);

/* batching.c */
int mdl_batching_configure(struct sim_cfg *c, const struct sim_node *v, struct workers_conf *wc);
void mdl_batching_ready(struct sim_ctx *ctx, struct workers *w);
void mdl_batching_lingered(struct sim_ctx *ctx, struct workers *w);
void mdl_batching_handle(struct sim_ctx *ctx, struct workers *w, struct sim_item *it);

/* workers_schedule.c */
int mdl_workers_configure_schedule(struct sim_cfg *c, const struct sim_node *map,
				   struct workers_conf *wc);
void mdl_workers_lose(struct sim_ctx *ctx, struct workers *w, struct sim_item *it);
void mdl_workers_halted(struct sim_ctx *ctx, struct workers *w);
void mdl_workers_down_item(struct sim_ctx *ctx, struct workers *w, struct sim_item *it);
void mdl_workers_boundary(struct sim_ctx *ctx, struct workers *w);
void mdl_workers_answered(struct sim_ctx *ctx, struct workers *w, struct sim_item *it);

#endif
