/* workers.c - a pool of `count` consumers pulling from one queue.
 *
 * Each worker takes one item at a time, holds it for a service time drawn
 * from `service` (stream "service"), then sends it `to` the next component
 * or, with no `to`, completes it.  Invariant: busy <= count, and when busy
 * < count the queue it pulls from is empty (or, batching, its items are in
 * the batch being formed).
 *
 * Batching (`batch`): a worker takes up to `max` items at once; see
 * models/batching.c.
 *
 * Calls (`calls`, models/calls.c): after its service time a worker calls
 * each component listed, in order, and is held until the last answers;
 * a failed call drops the item (call_failed) and frees the worker.  An
 * item cancelled in its service time is dropped when that ends; one
 * cancelled while its worker waits on a call is dropped at once, freeing
 * the worker (cancelled).
 *
 * Autoscaling (`autoscale`): every `check`, the policy in
 * models/autoscale.c says how many workers to add or retire; added
 * workers start work after `startup`, and a retired worker that is busy
 * finishes its item first (models/workers_scale.c).
 *
 * A `schedule` (models/depsched.c) changes the pool over time: a slowdown,
 * `service` and `count`, pauses and outages; see models/workers_schedule.c.
 * The pool's state is shared by these files in models/workers_private.h.
 */
#include "models/workers.h"
#include "models/workers_private.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/format.h"

static const struct sim_reason_desc reasons[] = {
	[R_CALL_FAILED] = { "call_failed", "a call it made (`calls`) failed" },
	[R_CANCELLED] = { "cancelled", "the work was cancelled (a client's `cancel_on_timeout`)" },
	[R_DOWN] = { "down", "the pool was down (`down: fail` in its `schedule`)" },
	{ NULL, NULL },
};

static const char *const keys[] = { "from", "count", "service", "calls", "batch", "autoscale",
				    "to", "schedule", NULL };

static int configure(struct sim_cfg *c, const struct sim_node *map, void *conf)
{
	struct workers_conf *wc = conf;
	int bad = 0;
	if (sim_cfg_link(c, map, "from", "queue", &wc->from, SIM_CFG_REQUIRED | SIM_CFG_CONSUMES) < 0 ||
	    sim_cfg_link(c, map, "to", NULL, &wc->to, 0) < 0)
		bad = -1;
	if (sim_cfg_count(c, map, "count", &wc->count, 1, 1000000, SIM_CFG_REQUIRED) < 0)
		bad = -1;
	if (mdl_calls_configure(c, map, &wc->calls) < 0)
		bad = -1;
	/* a pool that calls may do no work of its own */
	sim_dist_constant(&wc->service, 0);
	const struct sim_node *as = sim_node_get(map, "autoscale");
	if (as) {
		int r = mdl_autoscale_configure(c, as, wc->count, &wc->as);
		if (r < 0)
			bad = -1;
		wc->autoscale = r > 0;
	}
	const struct sim_node *b = sim_node_get(map, "batch");
	unsigned need = sim_node_get(map, "calls") || b ? 0 : SIM_CFG_REQUIRED;
	if (sim_dist_cfg(c, map, "service", &wc->service, need) < 0)
		bad = -1;
	if (b) {
		if (mdl_batching_configure(c, b, wc) < 0)
			bad = -1;
		if (sim_node_get(map, "service")) {
			sim_cfg_error(c, sim_node_key(map, "service"),
				      "workers '%s' batch: their time is per_batch + n x per_item in 'batch', not 'service'",
				      c->name);
			bad = -1;
		}
		if (sim_node_get(map, "calls")) {
			sim_cfg_error(c, sim_node_key(map, "calls"),
				      "workers '%s': batching and calls together are not supported yet",
				      c->name);
			bad = -1;
		}
	}
	if (mdl_workers_configure_schedule(c, map, wc) < 0)
		bad = -1;
	return bad;
}

static double count_now(const void *state, double now)
{
	(void)now;
	return (double)((const struct workers *)state)->count;
}

static int init(struct sim_ctx *ctx, void *state, const void *conf)
{
	struct workers *w = state;
	w->conf = conf;
	w->from = w->conf->from;
	w->to = w->conf->to;
	w->batching = w->conf->batch_max > 0;
	w->calling = w->conf->calls.n > 0;
	w->scheduled = w->conf->sched.n > 0;
	w->rng = sim_rng(ctx, "service");
	w->warmup = sim_warmup(ctx);
	w->count = w->conf->count;
	sim_level_set(&w->count_level, 0, (double)w->count);
	w->as.last_change = -INFINITY;
	if (!w->rng || sim_track_level(ctx, &w->busy_level) < 0 ||
	    sim_track_count(ctx, &w->completed) < 0 || sim_track_count(ctx, &w->failed) < 0 ||
	    sim_track_count(ctx, &w->cancelled) < 0 ||
	    sim_track_count(ctx, &w->batches) < 0 || sim_track_level(ctx, &w->count_level) < 0 ||
	    sim_track_count(ctx, &w->merged) < 0 ||
	    sim_track_count(ctx, &w->as.ups) < 0 || sim_track_count(ctx, &w->as.downs) < 0 ||
	    sim_track_count(ctx, &w->as.held) < 0 ||
	    sim_probe_level(ctx, "busy", &w->busy_level) < 0 ||
	    sim_probe_fn(ctx, "count", count_now, w) < 0 ||
	    sim_probe_count(ctx, "completed", &w->completed) < 0)
		return -1;
	w->service = &w->conf->service;
	/* a pool whose size changes is busy over the workers it had in the
	 * interval, not over those it started with */
	if (w->conf->autoscale || mdl_depsched_sets(&w->conf->sched, MDL_DS_SIZE)
	    ? sim_probe_level_ratio(ctx, "utilization", &w->busy_level,
						       &w->count_level) < 0
			       : sim_probe_level_mean(ctx, "utilization", &w->busy_level,
						      1.0 / (double)w->conf->count) < 0)
		return -1;
	/* the schedule's columns come last, in the order the model declares */
	if (mdl_calls_init(ctx, &w->calls, &w->conf->calls) < 0)
		return -1;
	return mdl_depsched_init(ctx, &w->conf->sched, &w->now, true);
}

static inline void ready_single(struct sim_ctx *ctx, struct workers *w)
{
	const struct workers_conf *wc = w->conf;
	while (w->busy < w->count) {
		struct sim_item *it = sim_pull(ctx, w->from);
		if (!it)
			break;
		double s = sim_dist_sample(w->service, w->rng), now = sim_now(ctx);
		w->busy++;
		sim_level_set(&w->busy_level, now, (double)w->busy);
		memcpy(&it->tag, &s, sizeof s);	/* its service time */
		sim_schedule_at(ctx, w->scheduled ? mdl_depsched_finish(&wc->sched, now, s) : now + s,
				EV_DONE, it);
	}
}

/* Called on every arrival at the queue: most often every worker is busy,
 * so that case returns before any real work. */
void mdl_workers_ready(struct sim_ctx *ctx, void *state)
{
	struct workers *w = state;
	if (w->halt)
		mdl_workers_halted(ctx, w);
	else if (w->batching)
		mdl_batching_ready(ctx, w);
	else if (w->busy < w->count)
		ready_single(ctx, w);
}

/* The worker is done with the item: free it and pass the item on. */
void mdl_workers_done(struct sim_ctx *ctx, struct workers *w, struct sim_item *it)
{
	w->busy--;
	sim_level_set(&w->busy_level, sim_now(ctx), (double)w->busy);
	mdl_workers_pass_on(ctx, w, it);
	ready_single(ctx, w);	/* done is for pools that do not batch */
}

/* The worker ends with an item that failed or was cancelled, and is
 * free.  DROPPED: the callee has dropped it already. */
void mdl_workers_let_go(struct sim_ctx *ctx, struct workers *w, struct sim_item *it,
		   enum sim_call_result how)
{
	bool cancelled = it->flags & SIM_ITEM_CANCELLED;
	sim_release(ctx, w->conf->from, it);
	w->busy--;
	sim_level_set(&w->busy_level, sim_now(ctx), (double)w->busy);
	sim_count_add(cancelled ? &w->cancelled : &w->failed, 1);
	if (how != SIM_CALL_DROPPED)
		sim_drop(ctx, it, cancelled ? R_CANCELLED : R_CALL_FAILED);
	mdl_workers_ready(ctx, w);
}

static void start(struct sim_ctx *ctx, void *state)
{
	struct workers *w = state;
	const struct workers_conf *wc = w->conf;
	sim_consumers(ctx, wc->from, w->count);
	mdl_depsched_start(ctx, &wc->sched, EV_SCHEDULE);
	if (!wc->autoscale || mdl_autoscale_start(ctx, &w->as, &wc->as) < 0)
		return;
	sim_schedule(ctx, wc->as.check, EV_CHECK, NULL);
}

/* A worker's own service of it has ended: on to its calls, or done. */
static void served(struct sim_ctx *ctx, struct workers *w, struct sim_item *it)
{
	const struct workers_conf *wc = w->conf;
	if (sim_now(ctx) >= w->warmup) {
		double s;
		memcpy(&s, &it->tag, sizeof s);
		w->service_sum += s;
	}
	if (__builtin_expect(it->flags & SIM_ITEM_CANCELLED, 0))
		mdl_workers_let_go(ctx, w, it, SIM_CALL_FAILED);
	else if (w->calling)
		mdl_calls_start(ctx, &w->calls, &wc->calls, it);	/* held until answered */
	else
		mdl_workers_done(ctx, w, it);
}

/* Every event but the end of a service.  Out of line, so that handle,
 * on the hot path, saves no registers for them. */
static __attribute__((noinline)) void handle_other(struct sim_ctx *ctx, struct workers *w,
						   uint32_t kind, struct sim_item *it)
{
	switch (kind) {
	case EV_CHECK:
		mdl_workers_check(ctx, w);
		break;
	case EV_SCHEDULE:
		mdl_workers_boundary(ctx, w);
		break;
	case EV_STARTED:
		mdl_workers_started(ctx, w);
		break;
	case EV_LINGER:
		mdl_batching_lingered(ctx, w);
		break;
	default:
		mdl_workers_answered(ctx, w, it);
		break;
	}
}

static void handle(struct sim_ctx *ctx, void *state, uint32_t kind, struct sim_item *it)
{
	struct workers *w = state;
	if (__builtin_expect(kind != EV_DONE, 0))
		handle_other(ctx, w, kind, it);
	else if (w->batching)
		mdl_batching_handle(ctx, w, it);
	else if (__builtin_expect(w->halt, 0))
		mdl_workers_down_item(ctx, w, it);	/* a pause puts every end after it (mdl_depsched_finish) */
	else
		served(ctx, w, it);
}

static void returned(struct sim_ctx *ctx, void *state, struct sim_item *it,
		     enum sim_call_result result)
{
	struct workers *w = state;
	if (mdl_calls_returned(ctx, &w->calls, &w->conf->calls, it, result))
		return;		/* on to the next call */
	bool ok = result == SIM_CALL_OK && !(it->flags & SIM_ITEM_CANCELLED);
	if (ok && w->now.down) {
		mdl_workers_down_item(ctx, w, it);
		return;
	}
	if (ok && w->now.pause) {	/* its worker is held to the pause's end */
		sim_schedule_at(ctx, mdl_depsched_finish(&w->conf->sched, sim_now(ctx), 0),
				EV_ANSWERED, it);
		return;
	}
	if (ok)
		mdl_workers_done(ctx, w, it);
	else
		mdl_workers_let_go(ctx, w, it, result);
}

/* Cancelled: an item waiting on a call is let go at once; one in its
 * service time when that ends (handle). */
static void cancel(struct sim_ctx *ctx, void *state, struct sim_item *it)
{
	struct workers *w = state;
	if (mdl_calls_cancel(ctx, &w->calls, it))
		mdl_workers_let_go(ctx, w, it, SIM_CALL_FAILED);
}

static void finish(struct sim_ctx *ctx, void *state, struct sim_json *o)
{
	struct workers *w = state;
	double now = sim_now(ctx), span = sim_measured_s(ctx);
	double n_done = (double)sim_count_value(&w->completed);
	sim_json_num(o, "completed", n_done);
	sim_json_num(o, "failed_calls", (double)sim_count_value(&w->failed));
	if (sim_cancels(ctx))
		sim_json_num(o, "cancelled", (double)sim_count_value(&w->cancelled));
	double mean_count = sim_level_mean(&w->count_level, now);
	sim_json_num(o, "utilization", mean_count > 0 ? sim_level_mean(&w->busy_level, now) / mean_count : 0);
	sim_json_num(o, "throughput_per_s", span > 0 ? n_done / span : 0);
	sim_json_num(o, "mean_count", mean_count);
	if (w->conf->autoscale) {
		sim_json_num(o, "max_count", w->count_level.max);
		sim_json_num(o, "scale_ups", (double)sim_count_value(&w->as.ups));
		sim_json_num(o, "scale_downs", (double)sim_count_value(&w->as.downs));
		sim_json_num(o, "scale_ups_held", (double)sim_count_value(&w->as.held));
	}
	sim_json_num(o, "mean_busy", sim_level_mean(&w->busy_level, now));
	sim_json_num(o, "max_busy", w->busy_level.max);
	if (w->conf->batch_max) {
		double b = (double)sim_count_value(&w->batches);
		sim_json_num(o, "batches", b);
		sim_json_num(o, "mean_batch_size", b > 0 ? n_done / b : NAN);
		sim_json_num(o, "mean_batch_s", b > 0 ? w->service_sum / b : NAN);
		if (w->conf->by_key)
			sim_json_num(o, "merged", (double)sim_count_value(&w->merged));
	} else {
		sim_json_num(o, "mean_service_s", n_done > 0 ? w->service_sum / n_done : NAN);
	}
	if (w->conf->calls.n)
		mdl_calls_finish(ctx, &w->calls, &w->busy_level, o);
	mdl_depsched_json(o, &w->conf->sched, &w->now);
}

static bool window(const void *conf, double *from, double *to)
{
	return mdl_depsched_window(&((const struct workers_conf *)conf)->sched, from, to);
}

static size_t spans(const void *conf, struct sim_span *out, size_t max)
{
	return mdl_depsched_spans(&((const struct workers_conf *)conf)->sched, out, max);
}

static bool scheduled(const void *conf)
{
	return ((const struct workers_conf *)conf)->sched.n > 0;
}

/* ---- how a pool is measured and shown ----------------------------------- */

static const struct sim_metric_desc metrics[] = {
	{ .name = "completed", .type = SIM_METRIC_COUNTER, .what = "items",
	  .doc = "items finished (sent on or completed)" },
	{ .name = "failed_calls", .type = SIM_METRIC_COUNTER, .what = "items",
	  .doc = "items whose call failed (each dropped, here as `call_failed` or by a database)" },
	{ .name = "cancelled", .type = SIM_METRIC_COUNTER, .what = "items",
	  .cond = "when a client may cancel (`cancel_on_timeout`)",
	  .doc = "items whose work was cancelled here: in service, or waiting on a call" },
	{ .name = "utilization", .type = SIM_METRIC_TIME_AVG, .unit = SIM_UNIT_SHARE,
	  .label = "utilisation", .headline = 1, .report = 2,
	  .doc = "time-average busy workers / time-average workers; a worker waiting on its calls is busy" },
	{ .name = "throughput_per_s", .type = SIM_METRIC_RATIO, .unit = SIM_UNIT_PER_S,
	  .better = SIM_BETTER_HIGHER, .label = "throughput", .headline = 2, .report = 3,
	  .what = "items", .doc = "items finished per second" },
	{ .name = "mean_count", .type = SIM_METRIC_TIME_AVG, .label = "workers", .report = 1,
	  .what = "workers", .doc = "time-average pool size" },
	{ .name = "max_count", .type = SIM_METRIC_LEVEL, .what = "workers", .cond = "with `autoscale`",
	  .doc = "largest pool size" },
	{ .name = "scale_ups", .type = SIM_METRIC_COUNTER, .what = "times", .cond = "with `autoscale`",
	  .doc = "scale-ups" },
	{ .name = "scale_downs", .type = SIM_METRIC_COUNTER, .what = "times", .cond = "with `autoscale`",
	  .doc = "scale-downs" },
	{ .name = "scale_ups_held", .type = SIM_METRIC_COUNTER, .what = "times",
	  .cond = "with `autoscale`", .doc = "scale-ups held back by `hold` (a saturated downstream)" },
	{ .name = "mean_busy", .type = SIM_METRIC_TIME_AVG, .what = "workers",
	  .doc = "time-average busy workers" },
	{ .name = "max_busy", .type = SIM_METRIC_LEVEL, .what = "workers",
	  .doc = "most workers busy at once" },
	{ .name = "batches", .type = SIM_METRIC_COUNTER, .what = "batches", .cond = "with `batch`",
	  .doc = "batches served" },
	{ .name = "mean_batch_size", .type = SIM_METRIC_RATIO, .what = "items", .cond = "with `batch`",
	  .doc = "completed / batches" },
	{ .name = "mean_batch_s", .type = SIM_METRIC_RATIO, .unit = SIM_UNIT_SECONDS,
	  .cond = "with `batch`", .doc = "mean time a batch held its worker" },
	{ .name = "merged", .type = SIM_METRIC_COUNTER, .what = "items", .cond = "with `batch: {by: key}`",
	  .doc = "items coalesced into another item's write: items in by-key batches minus batches" },
	{ .name = "mean_service_s", .type = SIM_METRIC_RATIO, .unit = SIM_UNIT_SECONDS,
	  .cond = "without `batch`", .doc = "mean service time per completed item" },
	{ .name = "call_wait_share", .type = SIM_METRIC_RATIO, .unit = SIM_UNIT_SHARE,
	  .cond = "with `calls`", .label = "waiting on calls", .combine = SIM_COMBINE_EACH,
	  .figure = "call_wait_share", .figure_label = "%s busy time waiting on calls",
	  .figure_optional = true,
	  .doc = "time-average workers waiting on calls / time-average busy workers: the share of busy time spent waiting" },
	{ .name = "down_failures", .type = SIM_METRIC_COUNTER, .what = "items", .cond = "with `schedule`",
	  .doc = "items failed at once while `down: fail` held (drop reason `down`)" },
	{ .name = "hung", .type = SIM_METRIC_COUNTER, .what = "items", .cond = "with `schedule`",
	  .doc = "items never answered: in service or taken while `down: hang` held" },
	{ .name = NULL },
};

static bool has_calls(const void *conf)
{
	return ((const struct workers_conf *)conf)->calls.n > 0;
}

static const struct sim_column_desc columns[] = {
	{ .metric = "busy", .what = "workers", .doc = "busy workers",
	  .group = SIM_GROUP_CHAIN, .group_title = "%s: working", .group_minus = "calling" },
	{ .metric = "count", .what = "workers", .doc = "workers taking work" },
	{ .metric = "completed", .counter = true, .group = SIM_GROUP_FLOW,
	  .group_title = "throughput: %s", .what = "items",
	  .doc = "items finished (sent on or completed)" },
	{ .metric = "utilization", .unit = SIM_UNIT_SHARE, .group = SIM_GROUP_BUSY, .group_title = "%s",
	  .sampled = "time average over the interval",
	  .doc = "busy workers / workers in the pool, both averaged over the interval" },
	{ .metric = "calling", .when = has_calls, .what = "workers", .cond = "with `calls`",
	  .group = SIM_GROUP_CHAIN, .group_title = "%s: waiting on calls",
	  .doc = "busy workers waiting on calls (the rest of `busy` are working)" },
	{ .metric = "slowdown", .when = scheduled, .cond = "with `schedule`",
	  .doc = "the slowdown factor its schedule sets (1 when none holds)" },
	{ .metric = "down", .when = scheduled, .cond = "with `schedule`",
	  .doc = "0 while up, 1 while `down: fail` holds, 2 while `down: hang` holds" },
	{ .metric = "paused", .when = scheduled, .cond = "with `schedule`",
	  .doc = "1 while a `pause` of its schedule holds" },
	{ .metric = NULL },
};

static const struct sim_chart_desc charts[] = { { .name = NULL } };

static void report_note(FILE *f, const char *name, const struct sim_json *o)
{
	const struct sim_json *share = sim_json_get(o, "call_wait_share", NULL);
	if (!share)
		return;
	char busy[64], wait[64];
	sim_format_json(busy, sizeof busy, SIM_UNIT_SHARE, sim_json_get(o, "utilization", NULL));
	sim_format_json(wait, sizeof wait, SIM_UNIT_SHARE, share);
	fprintf(f, "\nCalls: the workers of `%s` were %s busy, and %s of that busy time waited on their calls.\n",
		name, busy, wait);
}

static const struct sim_report_desc report = { .heading = "Worker pools", .note = report_note };

/* Facts for the sanity checks (sim/lint.h): at best a batch is full. */
static void lint(struct sim_lint *l, const void *conf)
{
	const struct workers_conf *wc = conf;
	double n = (double)(wc->autoscale ? wc->as.max : wc->count), m = (double)wc->batch_max;
	if (wc->batch_max)
		sim_lint_serves(l, n, wc->by_key ? (wc->per_batch.mean + wc->per_item.mean) / m
						 : wc->per_batch.mean / m + wc->per_item.mean);
	else
		sim_lint_serves(l, n, wc->service.mean);
	if (!wc->batch_max)
		sim_lint_takes(l, &wc->service);
	for (size_t i = 0; i < wc->calls.n; i++)
		sim_lint_calls(l, wc->calls.to[i]);
	sim_lint_sends(l, wc->to, 1);
	if (!wc->autoscale && !mdl_depsched_sets(&wc->sched, MDL_DS_SIZE))
		sim_lint_fixed(l, "count", 0);
}

const struct sim_model_ops mdl_workers_ops = {
	.name = "workers",
	.noun = "a worker pool",
	.keys = keys,
	.metrics = metrics,
	.columns = columns,
	.charts = charts,
	.report = &report,
	.reasons = reasons,
	.conf_size = sizeof(struct workers_conf),
	.state_size = sizeof(struct workers),
	.configure = configure,
	.init = init,
	.start = start,
	.handle = handle,
	.ready = mdl_workers_ready,
	.returned = returned,
	.cancel = cancel,
	.window = window,
	.spans = spans,
	.finish = finish,
	.lint = lint,
};
