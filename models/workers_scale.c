/* workers_scale.c - a worker pool's autoscaling (`autoscale`), a part of
 * the workers model: every `check`, the policy of models/autoscale.c says
 * how many workers to add or retire; an added worker takes work after
 * `startup`, and a retired one that is busy finishes its item first.  The
 * pool's state is in models/workers_private.h.
 */
#include "models/workers_private.h"

void mdl_workers_set_count(struct sim_ctx *ctx, struct workers *w, uint64_t n)
{
	w->count = n;
	sim_level_set(&w->count_level, sim_now(ctx), (double)n);
	sim_consumers(ctx, w->from, n);
}

void mdl_workers_check(struct sim_ctx *ctx, struct workers *w)
{
	const struct workers_conf *wc = w->conf;
	int64_t n = mdl_autoscale_decide(ctx, &w->as, &wc->as, &w->busy_level, &w->count_level,
					 w->count, w->starting);
	if (n > 0) {
		w->starting += (uint64_t)n;
		for (int64_t i = 0; i < n; i++)
			sim_schedule(ctx, wc->as.startup, EV_STARTED, NULL);
	} else if (n < 0) {
		mdl_workers_set_count(ctx, w, w->count - (uint64_t)-n);
	}
	sim_schedule(ctx, wc->as.check, EV_CHECK, NULL);
}

void mdl_workers_started(struct sim_ctx *ctx, struct workers *w)
{
	w->starting--;
	mdl_workers_set_count(ctx, w, w->count + 1);
	mdl_workers_ready(ctx, w);
}
