/* backlog.h - the bookkeeping a waiting line shares (models/backlog.c),
 * a part of the queue and topic models: arrivals, acceptances, drops by
 * reason, the wait of the items handed out and the peak age of the
 * oldest waiting item, and the summary lines they make. */
#ifndef MDL_BACKLOG_H
#define MDL_BACKLOG_H

#include "sim/model.h"

#define MDL_BACKLOG_MAX_REASONS 8

struct mdl_backlog {
	/* what each item touches first */
	struct sim_count arrived, accepted;
	struct sim_hist wait;	/* seconds waited by the items handed out */
	double max_age;		/* oldest age seen after the warm-up */
	double warmup;
	struct sim_count dropped_all;
	struct sim_count dropped[MDL_BACKLOG_MAX_REASONS];	/* by reason */
};

/* Tracks the counters of b for nreasons (<= MDL_BACKLOG_MAX_REASONS)
 * drop reasons; 0 or -1. */
int mdl_backlog_init(struct sim_ctx *ctx, struct mdl_backlog *b, unsigned nreasons);

/* Counts and drops item it for reason why. */
static inline void mdl_backlog_drop(struct sim_ctx *ctx, struct mdl_backlog *b,
				    struct sim_item *it, unsigned why)
{
	sim_count_add(&b->dropped[why], 1);
	sim_count_add(&b->dropped_all, 1);
	sim_drop(ctx, it, why);
}

/* Notes age, an oldest waiting item's age now, for the peak. */
static inline void mdl_backlog_age(struct mdl_backlog *b, double now, double age)
{
	if (now >= b->warmup && age > b->max_age)
		b->max_age = age;
}

/* The summary a waiting line shares: arrived, accepted, dropped by
 * reason (those of reasons[] but skip), mean_depth, max_depth,
 * depth_at_end, mean_wait_s, wait_p99_s and max_oldest_age_s. */
void mdl_backlog_json(struct sim_json *o, const struct mdl_backlog *b,
		      const struct sim_reason_desc *reasons, int skip,
		      const struct sim_level *depth, double now, double depth_at_end,
		      double max_age);

#endif
