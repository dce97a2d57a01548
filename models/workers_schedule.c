/* workers_schedule.c - how a worker pool meets its `schedule`
 * (models/depsched.c): losing work while down, the schedule's
 * boundaries, and calls answered during a pause.  A part of the
 * `workers` model (models/workers.c); its state is struct workers
 * (models/workers_private.h).
 *
 * A slowdown stretches each service through the schedule's work clock,
 * so a service running when an entry starts or ends is stretched for the
 * part of it done meanwhile (as a database's USL slowdown is); `service`
 * and `count` apply from then on.  Under `pause` nothing starts or
 * finishes: a service or a call's answer due meanwhile finishes at its
 * end (or at the start of an outage within it).  Under `down: fail` every
 * item in service or taken fails at once (reason down); under `down:
 * hang` they are never answered (they stay in flight, held by no worker),
 * and the pool takes whatever comes.
 */
#include "models/workers_private.h"

int mdl_workers_configure_schedule(struct sim_cfg *c, const struct sim_node *map, struct workers_conf *wc)
{
	static const struct mdl_depsched_kind kind = {
		"count", MDL_DS_SLOWDOWN | MDL_DS_SERVICE | MDL_DS_SIZE | MDL_DS_DOWN | MDL_DS_PAUSE,
	};
	int r = mdl_depsched_cfg(c, map, &kind, &wc->sched);
	if (r <= 0)
		return r;
	const struct sim_node *at = sim_node_get(map, "schedule");
	if (wc->autoscale && mdl_depsched_sets(&wc->sched, MDL_DS_SIZE)) {
		sim_cfg_error(c, at, "workers '%s': 'count' in the schedule and 'autoscale' together are not supported (the autoscaler sets the count)",
			      c->name);
		return -1;
	}
	if (wc->batch_max && mdl_depsched_sets(&wc->sched, MDL_DS_SERVICE)) {
		sim_cfg_error(c, at, "workers '%s' batch: a batch's time is set in 'batch', not by 'service' in the schedule",
			      c->name);
		return -1;
	}
	return 0;
}

/* An item in service, or taken, while the pool is down. */
void mdl_workers_lose(struct sim_ctx *ctx, struct workers *w, struct sim_item *it)
{
	if (w->now.down == MDL_DS_HANG) {
		sim_count_add(&w->now.hung, 1);	/* in flight for good */
		return;
	}
	sim_count_add(&w->now.downs, 1);
	sim_drop(ctx, it, R_DOWN);
}

/* A paused pool takes nothing; a pool that is down takes everything
 * (and the batch being formed) and loses it. */
void mdl_workers_halted(struct sim_ctx *ctx, struct workers *w)
{
	if (!w->now.down)
		return;
	while (w->head) {
		struct sim_item *it = w->head;
		w->head = it == w->tail ? NULL : it->next;
		mdl_workers_lose(ctx, w, it);
	}
	w->tail = NULL;
	w->forming = 0;
	struct sim_item *it;
	while ((it = sim_pull(ctx, w->conf->from)))
		mdl_workers_lose(ctx, w, it);
}

/* The work of a worker ends while the pool is down: the worker is free
 * and drops the item or lets it hang. */
void mdl_workers_down_item(struct sim_ctx *ctx, struct workers *w, struct sim_item *it)
{
	w->busy--;
	sim_level_set(&w->busy_level, sim_now(ctx), (double)w->busy);
	sim_release(ctx, w->conf->from, it);
	mdl_workers_lose(ctx, w, it);
}

/* A boundary of the schedule: what holds from now on. */
void mdl_workers_boundary(struct sim_ctx *ctx, struct workers *w)
{
	const struct workers_conf *wc = w->conf;
	unsigned changed = mdl_depsched_step(&wc->sched, &w->now, sim_now(ctx));
	w->halt = w->now.pause || w->now.down;
	w->service = w->now.service ? w->now.service : &wc->service;
	if (changed & MDL_DS_SIZE)
		mdl_workers_set_count(ctx, w, w->now.size ? w->now.size : wc->count);
	mdl_workers_ready(ctx, w);
}

/* A call answered during a pause, at the pause's end (or at the start of
 * an outage within it): its worker is done with it now. */
void mdl_workers_answered(struct sim_ctx *ctx, struct workers *w, struct sim_item *it)
{
	if (w->now.down)
		mdl_workers_down_item(ctx, w, it);
	else if (it->flags & SIM_ITEM_CANCELLED)
		mdl_workers_let_go(ctx, w, it, SIM_CALL_FAILED);
	else
		mdl_workers_done(ctx, w, it);
}
