/* workers.c - a pool of `count` consumers pulling from one queue.
 *
 * Each worker takes one item at a time, holds it for a service time drawn
 * from `service` (stream "service"), then sends it `to` the next component
 * or, with no `to`, completes it.  Invariant: busy <= count, and when busy
 * < count the queue it pulls from is empty (or, batching, its items are in
 * the batch being formed).
 *
 * Batching (`batch: {max, linger, per_batch, per_item}`): a worker takes up
 * to `max` items at once and holds them for per_batch + n x per_item
 * (one per_batch draw and n per_item draws), so at saturation a worker
 * completes max / (per_batch + max per_item) items per second.  A partial
 * batch waits up to `linger` for more items (0: it starts at once).  The
 * items of a batch are chained through item->next.
 *
 * Autoscaling (`autoscale`): every `check`, compare a signal (`signal`: a
 * time-series column such as q.oldest_age_s, or `utilization`: busy /
 * count) with `target`.  Above it, add `step` workers (not past `max`),
 * which start work after `startup`; below half of it, retire `step` (not
 * under `min`; a busy worker finishes its item first).  A change waits
 * `cooldown` after the last one.  `hold` makes it downstream-aware: no
 * scaling up while the signal `hold.signal` is above `hold.above` (say,
 * the database it calls has calls waiting).
 */
#include "models/workers.h"

#include <math.h>
#include <string.h>

enum { EV_DONE, EV_LINGER, EV_CHECK, EV_STARTED };

struct workers_conf {
	uint32_t from, to, calls;
	uint64_t count;
	struct sim_dist service;
	uint64_t batch_max;	/* 0: no batching */
	double linger;
	struct sim_dist per_batch, per_item;
	bool autoscale;
	const char *signal, *hold_signal;	/* signal NULL: utilization */
	double target, hold_above, cooldown, startup, check;
	uint64_t min, max, step;
};

struct workers {
	const struct workers_conf *conf;
	gsl_rng *rng;
	uint64_t busy;
	struct sim_level busy_level;
	struct sim_count completed, failed;
	double service_sum;	/* seconds, since the warm-up */
	double warmup;
	/* the batch being formed */
	struct sim_item *head, *tail;
	uint64_t forming;
	sim_handle linger;
	struct sim_count batches;
	/* autoscaling */
	uint64_t count;		/* workers taking work now */
	uint64_t starting;	/* added, still starting up */
	struct sim_level count_level;
	int signal, hold;
	double last_change, util_area, util_t;
	struct sim_count ups, downs, held;
};

static const char *const keys[] = { "from", "count", "service", "calls", "batch", "autoscale",
				    "to", NULL };

static int configure_autoscale(struct sim_cfg *c, const struct sim_node *v, struct workers_conf *wc)
{
	static const char *const akeys[] = { "signal", "target", "min", "max", "step", "cooldown",
					     "startup", "check", "hold", NULL };
	static const char *const hkeys[] = { "signal", "above", NULL };
	int bad = 0;
	if (!sim_cfg_options(c, v, "autoscale", akeys, "autoscaling", 0, &bad))
		return bad;
	wc->autoscale = true;
	wc->min = wc->count;
	wc->step = 1;
	wc->cooldown = 30;
	wc->check = 5;
	const struct sim_node *sig = sim_cfg_value(c, v, "signal", SIM_CFG_REQUIRED);
	if (!sig || !sim_cfg_scalar(c, sig, "signal", "a time-series column or utilization"))
		bad = -1;
	else if (strcmp(sig->str, "utilization")) {
		wc->signal = sig->str;
		sim_cfg_column(c, sig);
	}
	const struct sim_node *tv = sim_cfg_value(c, v, "target", SIM_CFG_REQUIRED);
	if (!tv || !sim_cfg_scalar(c, tv, "target", "a number")) {
		bad = -1;
	} else if (sim_parse_number(tv->str, &wc->target) && sim_parse_duration(tv->str, &wc->target)) {
		sim_cfg_error(c, tv, "bad target '%s' for the autoscaling of workers '%s' (a number, or a duration such as 5s)",
			      tv->str, c->name);
		bad = -1;
	}
	int e = sim_cfg_count(c, v, "min", &wc->min, 1, 1000000, 0) < 0;
	e |= sim_cfg_count(c, v, "max", &wc->max, 1, 1000000, SIM_CFG_REQUIRED) < 0;
	e |= sim_cfg_count(c, v, "step", &wc->step, 1, 1000000, 0) < 0;
	e |= sim_cfg_duration(c, v, "cooldown", &wc->cooldown, 0) < 0;
	e |= sim_cfg_duration(c, v, "startup", &wc->startup, 0) < 0;
	e |= sim_cfg_duration(c, v, "check", &wc->check, SIM_CFG_POSITIVE) < 0;
	if (e)
		bad = -1;
	if (!bad && !(wc->min <= wc->count && wc->count <= wc->max)) {
		sim_cfg_error(c, v, "workers '%s' autoscale: needs min <= count <= max", c->name);
		bad = -1;
	}
	const struct sim_node *h = sim_node_get(v, "hold");
	if (h) {
		char hwhat[160];
		snprintf(hwhat, sizeof hwhat, "the hold of workers '%s'", c->name);
		const struct sim_node *hs = h->type == SIM_NODE_MAP ? sim_node_get(h, "signal") : NULL;
		if (!hs) {
			sim_cfg_error(c, h, "expected {signal, above} for 'hold' in workers '%s'", c->name);
			bad = -1;
		} else if (sim_cfg_check_keys(c, h, hkeys, hwhat) < 0 ||
			   !sim_cfg_scalar(c, hs, "signal", "a time-series column") ||
			   sim_cfg_number(c, h, "above", &wc->hold_above, -1e300, 1e300, SIM_CFG_REQUIRED) < 0) {
			bad = -1;
		} else {
			wc->hold_signal = hs->str;
			sim_cfg_column(c, hs);
		}
	}
	return bad;
}

static int configure_batch(struct sim_cfg *c, const struct sim_node *v, struct workers_conf *wc)
{
	static const char *const bkeys[] = { "max", "linger", "per_batch", "per_item", NULL };
	int bad = 0;
	if (!sim_cfg_options(c, v, "batch", bkeys, "batching", 0, &bad))
		return bad;
	sim_dist_constant(&wc->per_batch, 0);
	sim_dist_constant(&wc->per_item, 0);
	if (sim_cfg_count(c, v, "max", &wc->batch_max, 1, 1000000, SIM_CFG_REQUIRED) < 0)
		bad = -1;
	if (sim_cfg_duration(c, v, "linger", &wc->linger, 0) < 0)
		bad = -1;
	if (sim_dist_cfg(c, v, "per_batch", &wc->per_batch, 0) < 0 ||
	    sim_dist_cfg(c, v, "per_item", &wc->per_item, 0) < 0)
		bad = -1;
	return bad;
}

static int configure(struct sim_cfg *c, const struct sim_node *map, void *conf)
{
	struct workers_conf *wc = conf;
	int bad = 0;
	if (sim_cfg_link(c, map, "from", "queue", &wc->from, SIM_CFG_REQUIRED | SIM_CFG_CONSUMES) < 0 ||
	    sim_cfg_link(c, map, "to", NULL, &wc->to, 0) < 0)
		bad = -1;
	if (sim_cfg_count(c, map, "count", &wc->count, 1, 1000000, SIM_CFG_REQUIRED) < 0)
		bad = -1;
	if (sim_cfg_link(c, map, "calls", "database", &wc->calls, 0) < 0)
		bad = -1;
	/* a pool that calls a database may do no work of its own */
	sim_dist_constant(&wc->service, 0);
	const struct sim_node *as = sim_node_get(map, "autoscale");
	if (as && configure_autoscale(c, as, wc) < 0)
		bad = -1;
	const struct sim_node *b = sim_node_get(map, "batch");
	unsigned need = sim_node_get(map, "calls") || b ? 0 : SIM_CFG_REQUIRED;
	if (sim_dist_cfg(c, map, "service", &wc->service, need) < 0)
		bad = -1;
	if (b) {
		if (configure_batch(c, b, wc) < 0)
			bad = -1;
		if (sim_node_get(map, "service")) {
			sim_cfg_error(c, sim_node_key(map, "service"),
				      "workers '%s' batch: their time is per_batch + n x per_item in 'batch', not 'service'",
				      c->name);
			bad = -1;
		}
		if (sim_node_get(map, "calls")) {
			sim_cfg_error(c, sim_node_key(map, "calls"),
				      "workers '%s': batching and database calls together are not supported yet",
				      c->name);
			bad = -1;
		}
	}
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
	w->rng = sim_rng(ctx, "service");
	w->warmup = sim_warmup(ctx);
	w->count = w->conf->count;
	sim_level_set(&w->count_level, 0, (double)w->count);
	w->last_change = -INFINITY;
	if (!w->rng || sim_track_level(ctx, &w->busy_level) < 0 ||
	    sim_track_count(ctx, &w->completed) < 0 || sim_track_count(ctx, &w->failed) < 0 ||
	    sim_track_count(ctx, &w->batches) < 0 || sim_track_level(ctx, &w->count_level) < 0 ||
	    sim_track_count(ctx, &w->ups) < 0 || sim_track_count(ctx, &w->downs) < 0 ||
	    sim_track_count(ctx, &w->held) < 0 ||
	    sim_probe_level(ctx, "busy", &w->busy_level) < 0 ||
	    sim_probe_fn(ctx, "count", count_now, w) < 0 ||
	    sim_probe_count(ctx, "completed", &w->completed) < 0)
		return -1;
	/* a pool whose size changes is busy over the workers it had in the
	 * interval, not over those it started with */
	if (w->conf->autoscale ? sim_probe_level_ratio(ctx, "utilization", &w->busy_level,
						       &w->count_level) < 0
			       : sim_probe_level_mean(ctx, "utilization", &w->busy_level,
						      1.0 / (double)w->conf->count) < 0)
		return -1;
	return 0;
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
	for (uint64_t i = 0; i < w->forming; i++)
		s += sim_dist_sample(&wc->per_item, w->rng);
	struct sim_item *head = w->head;
	w->tail->next = NULL;
	w->head = w->tail = NULL;
	w->forming = 0;
	w->busy++;
	sim_level_set(&w->busy_level, sim_now(ctx), (double)w->busy);
	sim_count_add(&w->batches, 1);
	if (sim_now(ctx) >= w->warmup)
		w->service_sum += s;
	sim_schedule(ctx, s, EV_DONE, head);
}

static void ready_batch(struct sim_ctx *ctx, struct workers *w)
{
	const struct workers_conf *wc = w->conf;
	while (w->busy < w->count) {
		struct sim_item *it = NULL;
		while (w->forming < wc->batch_max && (it = sim_pull(ctx, wc->from))) {
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
		if (w->forming == wc->batch_max || wc->linger <= 0) {
			start_batch(ctx, w);
			continue;
		}
		if (!w->linger)
			w->linger = sim_schedule(ctx, wc->linger, EV_LINGER, NULL);
		return;
	}
}

static inline void ready_single(struct sim_ctx *ctx, struct workers *w)
{
	const struct workers_conf *wc = w->conf;
	while (w->busy < w->count) {
		struct sim_item *it = sim_pull(ctx, wc->from);
		if (!it)
			break;
		double s = sim_dist_sample(&wc->service, w->rng);
		w->busy++;
		sim_level_set(&w->busy_level, sim_now(ctx), (double)w->busy);
		memcpy(&it->tag, &s, sizeof s);	/* its service time */
		sim_schedule(ctx, s, EV_DONE, it);
	}
}

/* Called on every arrival at the queue: most often every worker is busy,
 * so that case returns before any real work. */
static void ready(struct sim_ctx *ctx, void *state)
{
	struct workers *w = state;
	if (w->conf->batch_max)
		ready_batch(ctx, w);
	else if (w->busy < w->count)
		ready_single(ctx, w);
}

/* The worker is done with the item: free it and pass the item on. */
static inline void done(struct sim_ctx *ctx, struct workers *w, struct sim_item *it)
{
	const struct workers_conf *wc = w->conf;
	w->busy--;
	sim_level_set(&w->busy_level, sim_now(ctx), (double)w->busy);
	sim_count_add(&w->completed, 1);
	if (wc->to != SIM_NONE)
		sim_send(ctx, wc->to, it);
	else
		sim_complete(ctx, it);
	ready_single(ctx, w);	/* done is for pools that do not batch */
}

/* ---- autoscaling -------------------------------------------------------- */

static void set_count(struct sim_ctx *ctx, struct workers *w, uint64_t n)
{
	w->count = n;
	sim_level_set(&w->count_level, sim_now(ctx), (double)n);
}

static void start(struct sim_ctx *ctx, void *state)
{
	struct workers *w = state;
	const struct workers_conf *wc = w->conf;
	if (!wc->autoscale)
		return;
	w->signal = wc->signal ? sim_signal_find(ctx, wc->signal) : -1;
	w->hold = wc->hold_signal ? sim_signal_find(ctx, wc->hold_signal) : -1;
	if ((wc->signal && w->signal < 0) || (wc->hold_signal && w->hold < 0)) {
		sim_stop(ctx, "an autoscaling signal is not a level or gauge (use depth, oldest_age_s, waiting, running, busy, in_flight, ...)");
		return;
	}
	sim_schedule(ctx, wc->check, EV_CHECK, NULL);
}

static void check(struct sim_ctx *ctx, struct workers *w)
{
	const struct workers_conf *wc = w->conf;
	double now = sim_now(ctx), v;
	if (w->signal < 0) {
		/* utilization since the last check: busy time over worker time */
		double ba = sim_level_area(&w->busy_level, now), ca = sim_level_area(&w->count_level, now);
		v = ca > w->util_t ? (ba - w->util_area) / (ca - w->util_t) : 0;
		w->util_area = ba;
		w->util_t = ca;
	} else {
		v = sim_signal(ctx, w->signal);
	}
	if (now - w->last_change >= wc->cooldown) {
		if (v > wc->target && w->count + w->starting < wc->max) {
			if (w->hold >= 0 && sim_signal(ctx, w->hold) > wc->hold_above) {
				sim_count_add(&w->held, 1);
			} else {
				uint64_t n = wc->max - w->count - w->starting;
				n = n < wc->step ? n : wc->step;
				w->starting += n;
				sim_count_add(&w->ups, 1);
				w->last_change = now;
				for (uint64_t i = 0; i < n; i++)
					sim_schedule(ctx, wc->startup, EV_STARTED, NULL);
			}
		} else if (v < 0.5 * wc->target && w->count > wc->min && !w->starting) {
			uint64_t n = w->count - wc->min;
			n = n < wc->step ? n : wc->step;
			set_count(ctx, w, w->count - n);
			sim_count_add(&w->downs, 1);
			w->last_change = now;
		}
	}
	sim_schedule(ctx, wc->check, EV_CHECK, NULL);
}

static void handle_batch(struct sim_ctx *ctx, struct workers *w, uint32_t kind,
			 struct sim_item *it)
{
	const struct workers_conf *wc = w->conf;
	if (kind == EV_LINGER) {
		w->linger = 0;
		if (w->forming && w->busy < w->count)
			start_batch(ctx, w);
		ready_batch(ctx, w);
		return;
	}
	w->busy--;
	sim_level_set(&w->busy_level, sim_now(ctx), (double)w->busy);
	while (it) {
		struct sim_item *next = it->next;	/* before the item moves on */
		sim_count_add(&w->completed, 1);
		if (wc->to != SIM_NONE)
			sim_send(ctx, wc->to, it);
		else
			sim_complete(ctx, it);
		it = next;
	}
	ready_batch(ctx, w);
}

static void handle(struct sim_ctx *ctx, void *state, uint32_t kind, struct sim_item *it)
{
	struct workers *w = state;
	const struct workers_conf *wc = w->conf;
	if (kind == EV_CHECK) {
		check(ctx, w);
		return;
	}
	if (kind == EV_STARTED) {
		w->starting--;
		set_count(ctx, w, w->count + 1);
		ready(ctx, w);
		return;
	}
	if (wc->batch_max) {
		handle_batch(ctx, w, kind, it);
		return;
	}
	if (sim_now(ctx) >= w->warmup) {
		double s;
		memcpy(&s, &it->tag, sizeof s);
		w->service_sum += s;
	}
	if (wc->calls != SIM_NONE)
		sim_call(ctx, wc->calls, it);	/* the worker waits for the answer */
	else
		done(ctx, w, it);
}

static void returned(struct sim_ctx *ctx, void *state, struct sim_item *it, bool ok)
{
	struct workers *w = state;
	if (ok) {
		done(ctx, w, it);
		return;
	}
	/* the call failed and the item was dropped: the worker is free */
	w->busy--;
	sim_level_set(&w->busy_level, sim_now(ctx), (double)w->busy);
	sim_count_add(&w->failed, 1);
	ready(ctx, w);
}

static void finish(struct sim_ctx *ctx, void *state, struct sim_json *o)
{
	struct workers *w = state;
	double now = sim_now(ctx), span = sim_measured_s(ctx);
	double n_done = (double)sim_count_value(&w->completed);
	sim_json_num(o, "completed", n_done);
	sim_json_num(o, "failed_calls", (double)sim_count_value(&w->failed));
	double mean_count = sim_level_mean(&w->count_level, now);
	sim_json_num(o, "utilization", mean_count > 0 ? sim_level_mean(&w->busy_level, now) / mean_count : 0);
	sim_json_num(o, "throughput_per_s", span > 0 ? n_done / span : 0);
	sim_json_num(o, "mean_count", mean_count);
	if (w->conf->autoscale) {
		sim_json_num(o, "max_count", w->count_level.max);
		sim_json_num(o, "scale_ups", (double)sim_count_value(&w->ups));
		sim_json_num(o, "scale_downs", (double)sim_count_value(&w->downs));
		sim_json_num(o, "scale_ups_held", (double)sim_count_value(&w->held));
	}
	sim_json_num(o, "mean_busy", sim_level_mean(&w->busy_level, now));
	sim_json_num(o, "max_busy", w->busy_level.max);
	if (w->conf->batch_max) {
		double b = (double)sim_count_value(&w->batches);
		sim_json_num(o, "batches", b);
		sim_json_num(o, "mean_batch_size", b > 0 ? n_done / b : NAN);
		sim_json_num(o, "mean_batch_s", b > 0 ? w->service_sum / b : NAN);
	} else {
		sim_json_num(o, "mean_service_s", n_done > 0 ? w->service_sum / n_done : NAN);
	}
}

/* ---- how a pool is measured and shown ----------------------------------- */

static const struct sim_metric_desc metrics[] = {
	{ .name = "completed", .type = SIM_METRIC_COUNTER, .what = "items",
	  .doc = "items finished (sent on or completed)" },
	{ .name = "failed_calls", .type = SIM_METRIC_COUNTER, .what = "items",
	  .doc = "items whose database call failed" },
	{ .name = "utilization", .type = SIM_METRIC_TIME_AVG, .unit = SIM_UNIT_SHARE,
	  .label = "utilisation", .headline = 1, .report = 2,
	  .doc = "time-average busy workers / time-average workers; a worker waiting on its database call is busy" },
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
	{ .name = "mean_service_s", .type = SIM_METRIC_RATIO, .unit = SIM_UNIT_SECONDS,
	  .cond = "without `batch`", .doc = "mean service time per completed item" },
	{ .name = NULL },
};

static const struct sim_column_desc columns[] = {
	{ .metric = "busy", .what = "workers", .doc = "busy workers" },
	{ .metric = "count", .what = "workers", .doc = "workers taking work" },
	{ .metric = "completed", .counter = true, .group = SIM_GROUP_FLOW,
	  .group_title = "throughput: %s", .what = "items",
	  .doc = "items finished (sent on or completed)" },
	{ .metric = "utilization", .unit = SIM_UNIT_SHARE, .group = SIM_GROUP_BUSY, .group_title = "%s",
	  .sampled = "time average over the interval",
	  .doc = "busy workers / workers in the pool, both averaged over the interval" },
	{ .metric = NULL },
};

static const struct sim_chart_desc charts[] = { { .name = NULL } };

static const struct sim_report_desc report = { .heading = "Worker pools" };

const struct sim_model_ops mdl_workers_ops = {
	.name = "workers",
	.noun = "a worker pool",
	.keys = keys,
	.metrics = metrics,
	.columns = columns,
	.charts = charts,
	.report = &report,
	.conf_size = sizeof(struct workers_conf),
	.state_size = sizeof(struct workers),
	.configure = configure,
	.init = init,
	.start = start,
	.handle = handle,
	.ready = ready,
	.returned = returned,
	.finish = finish,
};
