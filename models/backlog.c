/* backlog.c - the bookkeeping a waiting line shares, a part of the queue
 * and topic models (models/backlog.h).  It counts; the model keeps its
 * items and its depth.  Nothing here allocates after init.
 */
#include "models/backlog.h"

#include <assert.h>

int mdl_backlog_init(struct sim_ctx *ctx, struct mdl_backlog *b, unsigned nreasons)
{
	assert(nreasons <= MDL_BACKLOG_MAX_REASONS);
	b->warmup = sim_warmup(ctx);
	if (sim_track_count(ctx, &b->arrived) < 0 || sim_track_count(ctx, &b->accepted) < 0 ||
	    sim_track_count(ctx, &b->dropped_all) < 0 || sim_track_hist(ctx, &b->wait) < 0)
		return -1;
	for (unsigned r = 0; r < nreasons; r++)
		if (sim_track_count(ctx, &b->dropped[r]) < 0)
			return -1;
	return 0;
}

void mdl_backlog_json(struct sim_json *o, const struct mdl_backlog *b,
		      const struct sim_reason_desc *reasons, int skip,
		      const struct sim_level *depth, double now, double depth_at_end,
		      double max_age)
{
	sim_json_num(o, "arrived", (double)sim_count_value(&b->arrived));
	sim_json_num(o, "accepted", (double)sim_count_value(&b->accepted));
	struct sim_json *d = sim_json_obj(o, "dropped");
	for (int r = 0; reasons[r].name; r++)
		if (r != skip)
			sim_json_num(d, reasons[r].name, (double)sim_count_value(&b->dropped[r]));
	sim_json_num(o, "mean_depth", sim_level_mean(depth, now));
	sim_json_num(o, "max_depth", depth->max);
	sim_json_num(o, "depth_at_end", depth_at_end);
	sim_json_num(o, "mean_wait_s", b->wait.n ? sim_hist_mean(&b->wait) : 0);
	sim_json_num(o, "wait_p99_s", b->wait.n ? sim_hist_quantile(&b->wait, 0.99) : 0);
	sim_json_num(o, "max_oldest_age_s", max_age);
}
