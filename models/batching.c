/* batching.c - a worker pool's batches (`batch`): their configuration,
 * forming and serving them, and the linger timer.  A part of the
 * `workers` model (models/workers.c); its state is struct workers
 * (models/workers_private.h).
 *
 * Batching (`batch: {max, linger, per_batch, per_item}`): a worker takes up
 * to `max` items at once and holds them for per_batch + n x per_item
 * (one per_batch draw and n per_item draws), so at saturation a worker
 * completes max / (per_batch + max per_item) items per second.  A partial
 * batch waits up to `linger` for more items (0: it starts at once).  The
 * items of a batch are chained through item->next.  Coalescing (`by: key`):
 * a batch holds items of one key and costs as one write, per_batch + one
 * per_item draw whatever its size; an item of another key (or of none:
 * it merges with nothing) ends the batch and begins the next.  Each merged item still completes.
 */
#include "models/workers_private.h"

int mdl_batching_configure(struct sim_cfg *c, const struct sim_node *v, struct workers_conf *wc)
{
	static const char *const bkeys[] = { "max", "linger", "per_batch", "per_item", "by", NULL };
	static const char *const by_names[] = { "key", NULL };
	int bad = 0;
	if (!sim_cfg_options(c, v, "batch", bkeys, "batching", 0, &bad))
		return bad;
	sim_dist_constant(&wc->per_batch, 0);
	sim_dist_constant(&wc->per_item, 0);
	if (sim_cfg_count(c, v, "max", &wc->batch_max, 1, 1000000, SIM_CFG_REQUIRED) < 0)
		bad = -1;
	if (sim_cfg_duration(c, v, "linger", &wc->linger, 0) < 0)
		bad = -1;
	int by = -1;
	if (sim_cfg_choice(c, v, "by", by_names, &by, 0) < 0)
		bad = -1;
	wc->by_key = sim_node_get(v, "by") && by == 0;
	if (sim_dist_cfg(c, v, "per_batch", &wc->per_batch, 0) < 0 ||
	    sim_dist_cfg(c, v, "per_item", &wc->per_item, 0) < 0)
		bad = -1;
	return bad;
}

/* Starts the batch being formed on a free worker. */
static void start_batch(struct sim_ctx *ctx, struct workers *w)
{
	const struct workers_conf *wc = w->conf;
	if (w->linger) {
		sim_cancel(ctx, w->linger);
		w->linger = 0;
	}
	double s = sim_dist_sample(&wc->per_batch, w->rng);
	for (uint64_t i = 0; i < (wc->by_key ? 1 : w->forming); i++)
		s += sim_dist_sample(&wc->per_item, w->rng);
	if (wc->by_key)
		sim_count_add(&w->merged, w->forming - 1);
	struct sim_item *head = w->head;
	w->tail->next = NULL;
	w->head = w->tail = NULL;
	w->forming = 0;
	w->busy++;
	sim_level_set(&w->busy_level, sim_now(ctx), (double)w->busy);
	sim_count_add(&w->batches, 1);
	if (sim_now(ctx) >= w->warmup)
		w->service_sum += s;
	sim_schedule_at(ctx, mdl_depsched_finish(&wc->sched, sim_now(ctx), s), EV_DONE, head);
}

void mdl_batching_ready(struct sim_ctx *ctx, struct workers *w)
{
	const struct workers_conf *wc = w->conf;
	while (w->busy < w->count) {
		while (w->forming < wc->batch_max) {
			struct sim_item *it = w->carry;
			w->carry = NULL;
			if (!it)
				it = w->forming ? sim_pull_more(ctx, wc->from, w->head, wc->by_key)
						: sim_pull(ctx, wc->from);
			if (!it)
				break;
			if (wc->by_key && w->forming &&
			    (it->key != w->head->key || it->key == SIM_NONE)) {
				w->carry = it;	/* ends this batch, begins the next */
				break;
			}
			it->next = NULL;
			if (w->tail)
				w->tail->next = it;
			else
				w->head = it;
			w->tail = it;
			w->forming++;
		}
		if (!w->forming)
			return;
		if (w->forming == wc->batch_max || wc->linger <= 0 || w->carry) {
			start_batch(ctx, w);
			continue;
		}
		if (!w->linger)
			w->linger = sim_schedule(ctx, wc->linger, EV_LINGER, NULL);
		return;
	}
}

/* The batch's linger has ended: it starts if a worker is free. */
void mdl_batching_lingered(struct sim_ctx *ctx, struct workers *w)
{
	w->linger = 0;
	if (w->halt)
		return;
	if (w->forming && w->busy < w->count)
		start_batch(ctx, w);
	mdl_batching_ready(ctx, w);
}

/* A batch's time has ended. */
void mdl_batching_handle(struct sim_ctx *ctx, struct workers *w, struct sim_item *it)
{
	const struct workers_conf *wc = w->conf;
	w->busy--;
	sim_level_set(&w->busy_level, sim_now(ctx), (double)w->busy);
	while (it) {
		struct sim_item *next = it->next;	/* before the item moves on */
		if (it->flags & SIM_ITEM_CANCELLED) {
			sim_count_add(&w->cancelled, 1);
			sim_release(ctx, wc->from, it);
			sim_drop(ctx, it, R_CANCELLED);
			it = next;
			continue;
		}
		if (w->now.down) {	/* the batch ends at once */
			mdl_workers_lose(ctx, w, it);
			it = next;
			continue;
		}
		mdl_workers_pass_on(ctx, w, it);
		it = next;
	}
	mdl_batching_ready(ctx, w);
}
