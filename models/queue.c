/* queue.c - a buffer or broker between producers and worker pools.
 *
 * Items wait in lanes: one lane for fifo and lifo, one per distinct class
 * priority for `priority` (served most important first, FIFO within a
 * lane, non-preemptive).  Each lane is a sim_fifo (sim/fifo.h), so steady
 * state allocates nothing.
 *
 * Load shedding (`shed`, its settings in models/shed.c): while more than
 * `when_depth` items wait, or the oldest has waited longer than
 * `when_age`, an arriving item of a class less important than
 * `keep_priority` is dropped as `shed` with probability `probability`
 * (draws from the stream "shed").
 *
 * Deadlines (`honor_deadlines: true`): an item whose caller's deadline (a
 * client's timeout, or the deadline it propagates from further up) has
 * passed when a worker would take it is dropped as `deadline`: nobody is
 * waiting for it any more.
 *
 * Cancellation (sim_cancel_work, a client's `cancel_on_timeout`): a
 * cancelled item waiting here, or at the door, is taken out at once
 * (O(items waiting)) and dropped as `cancelled`; one that arrives
 * cancelled is dropped on arrival.
 *
 * CoDel (`codel: {target, interval}`, RFC 8289, defaults 5 ms and 100 ms,
 * in models/codel.c) drops at dequeue until the wait is back under target.
 * Against open-loop overload (work that does not slow down when dropped)
 * this bounds the wait but cannot hold it at target.
 * `discipline: adaptive-lifo` serves LIFO while a standing queue exists
 * (the queue has not been empty for `interval`) and FIFO otherwise; with `codel` it uses Facebook's controlled delay
 * instead of RFC 8289 ("Fail at Scale", 2015): items older than target
 * while a queue stands, or older than interval otherwise, are dropped
 * from the old end.
 *
 * Backpressure (`overflow: block`): an item that finds the queue full
 * waits at its door, outside the queue, and the work's root (a producer)
 * is told it is blocked (sim_block).  Each time a place frees up, the
 * oldest item at the door comes in and its root is told it may go on
 * (sim_unblock).  With capacity 0 the door is a rendezvous: an item comes
 * in only when an idle worker takes it.  Items at the door are not in
 * `depth`; they are `blocked_waiting`.
 *
 * Invariant: when items are waiting, every pool pulling from this queue is
 * busy (pools pull whenever they become idle, and an arrival wakes them).
 * So a full queue with waiting items can refuse at once; only a queue with
 * no waiting room (capacity 0) has to offer the item to the pools first.
 *
 * This file holds the lanes, arrivals, the plain pull, cancellation and
 * the accounting.  What a pull takes and drops when the queue is not
 * plain fifo (LIFO, priority, adaptive LIFO, ttl, deadlines, CoDel) is in
 * models/queue_discipline.c, the door of `overflow: block` in
 * models/queue_door.c; the configuration, the state and the hot-path
 * helpers in models/queue_private.h.
 */
#include "models/queue.h"

#include <math.h>
#include <stdlib.h>

#include "models/lanes.h"
#include "models/queue_private.h"

static const char *const overflow_names[] = { "reject", "drop-oldest", "block", NULL };
static const char *const discipline_names[] = { "fifo", "lifo", "priority", "adaptive-lifo", NULL };
static const char *const ack_names[] = { "complete", "enqueue", NULL };

static const struct sim_reason_desc reasons[] = {
	[R_FULL] = { "full", "arrived at a full queue (`overflow: reject`)" },
	[R_EVICTED] = { "evicted", "pushed out by a newer item (`overflow: drop-oldest`)" },
	[R_EXPIRED] = { "expired", "waited longer than the queue's `ttl` when a worker took it" },
	[R_SHED] = { "shed", "shed under load (`shed`)" },
	[R_DEADLINE] = { "deadline", "its caller's deadline passed while it waited (`honor_deadlines`)" },
	[R_CODEL] = { "codel", "dropped by CoDel at dequeue (`codel`)" },
	[R_CANCELLED] = { "cancelled", "its work was cancelled while it waited (a client's `cancel_on_timeout`)" },
	[NREASONS] = { NULL, NULL },
};

static const char *const keys[] = {
	"capacity", "overflow", "discipline", "ttl", "ack", "shed", "honor_deadlines", "codel",
	NULL,
};

static int configure(struct sim_cfg *c, const struct sim_node *map, void *conf)
{
	struct queue_conf *qc = conf;
	int bad = 0;
	qc->capacity = UINT64_MAX;
	qc->ttl = INFINITY;
	if (sim_cfg_count(c, map, "capacity", &qc->capacity, 0, UINT64_C(1) << 53,
			  SIM_CFG_UNBOUNDED) < 0)
		bad = -1;
	const struct sim_node *sh = sim_node_get(map, "shed");
	if (sh) {
		int r = mdl_shed_configure(c, sh, &qc->sh);
		if (r < 0)
			bad = -1;
		qc->shed = r > 0;
	}
	qc->cd = (struct mdl_codel){ .target = 0.005, .interval = 0.1 };
	const struct sim_node *cd = sim_node_get(map, "codel");
	if (cd) {
		qc->codel = true;
		if (mdl_codel_configure(c, cd, &qc->cd) < 0)
			bad = -1;
	}
	if (sim_cfg_bool(c, map, "honor_deadlines", &qc->deadlines) < 0)
		bad = -1;
	if (sim_cfg_choice(c, map, "overflow", overflow_names, &qc->overflow, 0) < 0 ||
	    sim_cfg_choice(c, map, "discipline", discipline_names, &qc->discipline, 0) < 0 ||
	    sim_cfg_choice(c, map, "ack", ack_names, &qc->ack, 0) < 0 ||
	    sim_cfg_duration(c, map, "ttl", &qc->ttl, 0) < 0)
		bad = -1;
	if (!bad && qc->overflow == OVF_BLOCK && qc->capacity == UINT64_MAX) {
		sim_cfg_error(c, sim_node_get(map, "overflow"),
			      "overflow 'block' in queue '%s' needs a 'capacity': an unbounded queue is never full",
			      c->name);
		bad = -1;
	}
	return bad;
}

/* ---- the queue ---------------------------------------------------------- */

static double oldest_enqueued(const struct queue *q, size_t *lane)
{
	double best = INFINITY;
	for (size_t i = 0; i < q->nlanes; i++)
		if (q->lanes[i].len && sim_fifo_front(&q->lanes[i])->enqueued_s < best) {
			best = sim_fifo_front(&q->lanes[i])->enqueued_s;
			if (lane)
				*lane = i;
		}
	return best;
}

static double oldest_age(const void *state, double now)
{
	const struct queue *q = state;
	double t = oldest_enqueued(q, NULL);
	return isfinite(t) ? now - t : 0;
}

static int init(struct sim_ctx *ctx, void *state, const void *conf)
{
	struct queue *q = state;
	q->conf = conf;
	size_t nc = sim_nclasses(ctx);
	q->lane_of = calloc(nc, sizeof *q->lane_of);
	if (!q->lane_of)
		return -1;
	q->nlanes = q->conf->discipline == DISC_PRIORITY ? mdl_lanes_by_priority(ctx, q->lane_of)
							  : 1;
	/* a lane's ring is made at its first push: an idle queue has none */
	q->lanes = calloc(q->nlanes, sizeof *q->lanes);
	if (!q->lanes)
		return -1;
	const struct queue_conf *qc = q->conf;
	q->plain = qc->discipline == DISC_FIFO && qc->ttl == INFINITY && !qc->deadlines &&
		   !qc->codel && qc->overflow != OVF_BLOCK;
	if (q->conf->shed && !(q->shed_rng = sim_rng(ctx, "shed")))
		return -1;
	if (sim_track_level(ctx, &q->depth_level) < 0 || mdl_backlog_init(ctx, &q->bl, NREASONS) < 0)
		return -1;
	if (q->conf->overflow == OVF_BLOCK &&
	    (sim_track_level(ctx, &q->door_level) < 0 || sim_track_count(ctx, &q->blocked) < 0 ||
	     sim_probe_count(ctx, "blocked", &q->blocked) < 0 ||
	     sim_probe_level(ctx, "blocked_waiting", &q->door_level) < 0))
		return -1;
	if (sim_probe_level(ctx, "depth", &q->depth_level) < 0 ||
	    sim_probe_fn(ctx, "oldest_age_s", oldest_age, q) < 0 ||
	    sim_probe_count(ctx, "arrived", &q->bl.arrived) < 0 ||
	    sim_probe_count(ctx, "accepted", &q->bl.accepted) < 0 ||
	    sim_probe_count(ctx, "dropped", &q->bl.dropped_all) < 0)
		return -1;
	return 0;
}

static void fini(void *state)
{
	struct queue *q = state;
	for (size_t i = 0; q->lanes && i < q->nlanes; i++)
		sim_fifo_fini(&q->lanes[i]);
	sim_fifo_fini(&q->door);
	free(q->lanes);
	free(q->lane_of);
}

static void evict_oldest(struct sim_ctx *ctx, struct queue *q)
{
	size_t lane = 0;
	oldest_enqueued(q, &lane);
	struct sim_item *old = sim_fifo_pop_front(&q->lanes[lane]);
	mdl_queue_set_depth(ctx, q, q->depth - 1);
	mdl_queue_note_age(ctx, q, sim_now(ctx) - old->enqueued_s);
	mdl_queue_drop(ctx, q, old, R_EVICTED);
}

static void receive(struct sim_ctx *ctx, void *state, struct sim_item *it)
{
	struct queue *q = state;
	const struct queue_conf *qc = q->conf;
	sim_count_add(&q->bl.arrived, 1);
	if (__builtin_expect(it->flags & SIM_ITEM_CANCELLED, 0)) {
		mdl_queue_drop(ctx, q, it, R_CANCELLED);
		return;
	}
	if (qc->shed && it->prio > qc->sh.keep_priority && q->depth &&
	    (q->depth > qc->sh.depth || oldest_age(q, sim_now(ctx)) > qc->sh.age) &&
	    (qc->sh.p >= 1 || gsl_rng_uniform(q->shed_rng) < qc->sh.p)) {
		mdl_queue_drop(ctx, q, it, R_SHED);
		return;
	}
	if (q->door.len) {
		mdl_queue_park(ctx, q, it);	/* behind those already blocked */
		return;
	}
	if (qc->capacity == 0 && q->depth == 0) {
		/* no waiting room: only an idle worker can take it now */
		if (mdl_queue_push(ctx, q, it) < 0)
			goto oom;
		sim_wake(ctx);
		if (q->depth) {
			sim_fifo_pop_back(&q->lanes[q->lane_of[it->cls]]);
			mdl_queue_set_depth(ctx, q, q->depth - 1);
			mdl_queue_refuse(ctx, q, it);
		} else {
			mdl_queue_accept(ctx, q, it);
		}
		return;
	}
	if (q->depth >= qc->capacity) {
		if (qc->overflow != OVF_DROP_OLDEST || q->depth == 0) {
			mdl_queue_refuse(ctx, q, it);
			return;
		}
		evict_oldest(ctx, q);
	}
	bool was_empty = q->depth == 0;
	if (mdl_queue_push(ctx, q, it) < 0)
		goto oom;
	mdl_queue_accept(ctx, q, it);
	if (was_empty)		/* else every pool is busy: none waits for work */
		sim_wake(ctx);
	return;
oom:
	sim_stop(ctx, "out of memory growing a queue");
	mdl_queue_drop(ctx, q, it, R_FULL);
}

/* A cancelled item is taken out of its lane or the door, and dropped. */
static void cancel(struct sim_ctx *ctx, void *state, struct sim_item *it)
{
	struct queue *q = state;
	if (sim_fifo_remove(&q->lanes[q->lane_of[it->cls]], it)) {
		mdl_queue_set_depth(ctx, q, q->depth - 1);
		mdl_queue_note_age(ctx, q, sim_now(ctx) - it->enqueued_s);
		mdl_queue_drop(ctx, q, it, R_CANCELLED);
		if (q->door.len)
			mdl_queue_admit(ctx, q, false);
	} else if (sim_fifo_remove(&q->door, it)) {
		sim_level_set(&q->door_level, sim_now(ctx), (double)q->door.len);
		sim_unblock(ctx, it);
		mdl_queue_drop(ctx, q, it, R_CANCELLED);
	}
}

static struct sim_item *pull(struct sim_ctx *ctx, void *state)
{
	struct queue *q = state;
	if (!q->plain)
		return mdl_queue_pull_general(ctx, q);
	if (!q->depth)
		return NULL;
	double age;
	struct sim_item *it = mdl_queue_take(ctx, q, &q->lanes[0], false, &age);
	sim_hist_add(&q->bl.wait, age);
	return it;
}

static void finish(struct sim_ctx *ctx, void *state, struct sim_json *o)
{
	struct queue *q = state;
	double now = sim_now(ctx);
	mdl_queue_note_age(ctx, q, oldest_age(q, now));
	mdl_backlog_json(o, &q->bl, reasons, sim_cancels(ctx) ? -1 : R_CANCELLED, &q->depth_level,
			 now, (double)q->depth, q->bl.max_age);
	if (q->conf->overflow == OVF_BLOCK) {
		sim_json_num(o, "blocked", (double)sim_count_value(&q->blocked));
		sim_json_num(o, "max_blocked_waiting", q->door_level.max);
		sim_json_num(o, "blocked_at_end", (double)q->door.len);
	}
}

/* ---- how a queue is measured and shown ---------------------------------- */

static const struct sim_metric_desc metrics[] = {
	{ .name = "arrived", .type = SIM_METRIC_COUNTER, .what = "items", .doc = "items that arrived" },
	{ .name = "accepted", .type = SIM_METRIC_COUNTER, .what = "items",
	  .doc = "items taken into the queue" },
	{ .name = "dropped", .type = SIM_METRIC_REASONS, .label = "dropped", .headline = 4, .report = 5,
	  .what = "items",
	  .doc = "`{full, evicted, expired, shed, deadline, codel}`: items dropped here, by reason; also `cancelled` when a client may cancel (`cancel_on_timeout`)" },
	{ .name = "mean_depth", .type = SIM_METRIC_TIME_AVG, .what = "items",
	  .doc = "time-average number of items waiting" },
	{ .name = "max_depth", .type = SIM_METRIC_LEVEL, .better = SIM_BETTER_LOWER, .label = "peak depth",
	  .headline = 1, .report = 1, .combine = SIM_COMBINE_MAX, .figure = "peak_depth",
	  .figure_label = "peak queue depth", .what = "items", .doc = "most items waiting at once" },
	{ .name = "depth_at_end", .type = SIM_METRIC_LEVEL, .what = "items",
	  .doc = "items waiting when the run ended" },
	{ .name = "mean_wait_s", .type = SIM_METRIC_RATIO, .unit = SIM_UNIT_SECONDS, .label = "mean wait",
	  .headline = 2, .report = 3,
	  .doc = "mean time waiting, of the items that left for service (0 if none)" },
	{ .name = "wait_p99_s", .type = SIM_METRIC_RATIO, .unit = SIM_UNIT_SECONDS, .label = "p99 wait",
	  .report = 4, .doc = "p99 time waiting, of the items that left for service (0 if none)" },
	{ .name = "max_oldest_age_s", .type = SIM_METRIC_LEVEL, .unit = SIM_UNIT_SECONDS,
	  .better = SIM_BETTER_LOWER, .label = "peak oldest age", .headline = 3, .report = 2,
	  .combine = SIM_COMBINE_MAX, .figure = "peak_oldest_age_s", .figure_label = "peak oldest age",
	  .doc = "the greatest age the oldest waiting item reached (consumer lag in time)" },
	{ .name = "blocked", .type = SIM_METRIC_COUNTER, .headline = 5, .what = "items",
	  .cond = "with `overflow: block`", .doc = "arrivals that waited at the door of the full queue" },
	{ .name = "max_blocked_waiting", .type = SIM_METRIC_LEVEL, .what = "items",
	  .cond = "with `overflow: block`", .doc = "most items waiting at the door at once" },
	{ .name = "blocked_at_end", .type = SIM_METRIC_LEVEL, .what = "items",
	  .cond = "with `overflow: block`", .doc = "items at the door when the run ended" },
	{ .name = NULL },
};

static bool blocking(const void *conf)
{
	return ((const struct queue_conf *)conf)->overflow == OVF_BLOCK;
}

static const struct sim_column_desc columns[] = {
	{ .metric = "blocked", .counter = true, .when = blocking, .what = "items",
	  .cond = "with `overflow: block`", .doc = "arrivals that waited at the door of the full queue" },
	{ .metric = "blocked_waiting", .when = blocking, .what = "items",
	  .cond = "with `overflow: block`", .doc = "items waiting at the door" },
	{ .metric = "depth", .what = "items", .doc = "items waiting" },
	{ .metric = "oldest_age_s", .unit = SIM_UNIT_SECONDS,
	  .doc = "age of the oldest waiting item, 0 when empty" },
	{ .metric = "arrived", .counter = true, .what = "items", .doc = "items that arrived" },
	{ .metric = "accepted", .counter = true, .what = "items", .doc = "items taken into the queue" },
	{ .metric = "dropped", .counter = true, .group = SIM_GROUP_DROPS,
	  .group_title = "%s: full, evicted or expired", .what = "items",
	  .doc = "items dropped here, all reasons together" },
	{ .metric = NULL },
};

static const struct sim_chart_desc charts[] = {
	{ .name = "queue-%s", .title = "Queue %s: backlog and age of the oldest item",
	  .ylabel = "items waiting", .y2label = "age of the oldest item (s)",
	  .lines = { { "depth", "items waiting (left)", 1, 1 },
		     { "oldest_age_s", "oldest item age (right)", 2, 1 } } },
	{ .name = NULL },
};

static const struct sim_report_desc report = { .heading = "Queues" };

/* Facts for the sanity checks (sim/lint.h). */
static void lint(struct sim_lint *l, const void *conf)
{
	const struct queue_conf *qc = conf;
	if (qc->capacity != UINT64_MAX || isfinite(qc->ttl) || qc->shed || qc->deadlines || qc->codel)
		sim_lint_sheds(l);
	else
		sim_lint_fixed(l, "dropped", SIM_LINT_UNLESS_CANCELLED);
	if (qc->overflow == OVF_BLOCK)
		sim_lint_blocks(l);
	if (qc->ack == ACK_ENQUEUE)
		sim_lint_acks(l);
	if (qc->capacity == 0) {
		sim_lint_fixed(l, "depth", 0);
		sim_lint_fixed(l, "oldest_age_s", 0);
	}
}

const struct sim_model_ops mdl_queue_ops = {
	.name = "queue",
	.keys = keys,
	.metrics = metrics,
	.columns = columns,
	.charts = charts,
	.report = &report,
	.reasons = reasons,
	.conf_size = sizeof(struct queue_conf),
	.state_size = sizeof(struct queue),
	.configure = configure,
	.init = init,
	.fini = fini,
	.receive = receive,
	.pull = pull,
	.cancel = cancel,
	.finish = finish,
	.lint = lint,
};
