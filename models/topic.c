/* topic.c - a partitioned log read by one consumer group (Kafka, Kinesis).
 *
 * An item goes to partition hash(key) mod `partitions` (murmur3's
 * finaliser of the key; an item without a key: the next partition, round
 * robin).  Each partition is a sim_fifo of `capacity` items at most:
 * `overflow: reject` drops an arrival at a full partition as `full`,
 * `drop-oldest` pushes out its oldest item as `evicted`.  Items that have
 * waited longer than `retention` are dropped as `expired`, the way a log
 * deletes old segments: never handed out, and swept every retention / 8.
 *
 * The pool that pulls from the topic is its consumer group
 * (models/group.c): each partition is owned by one consumer, one per
 * worker, the workers beyond the partition count idle.  `ordering`
 * keeps order per partition (the default) or per key; what a consumer
 * may take next is models/topic_consumers.c.
 *
 * Lag is the work of a partition the group has not completed: waiting
 * plus in service.  Invariant: lag = depth + in_flight, per partition
 * and summed over the topic.  The topic's state is shared with
 * models/topic_consumers.c in models/topic_private.h.
 */
#include "models/topic.h"
#include "models/topic_private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const overflow_names[] = { "reject", "drop-oldest", NULL };
static const char *const ordering_names[] = { "partition", "key", NULL };

static const struct sim_reason_desc reasons[] = {
	[R_FULL] = { "full", "arrived at a full partition (`overflow: reject`)" },
	[R_EVICTED] = { "evicted", "pushed out of its partition by a newer item (`overflow: drop-oldest`)" },
	[R_EXPIRED] = { "expired", "older than the topic's `retention`" },
	[NREASONS] = { NULL, NULL },
};

static const char *const keys[] = { "partitions", "capacity", "overflow", "retention",
				    "ordering", NULL };

static int configure(struct sim_cfg *c, const struct sim_node *map, void *conf)
{
	struct topic_conf *tc = conf;
	int bad = 0;
	tc->capacity = UINT64_MAX;
	tc->retention = INFINITY;
	if (sim_cfg_count(c, map, "partitions", &tc->partitions, 1, TOPIC_MAX_PARTITIONS,
			  SIM_CFG_REQUIRED) < 0)
		bad = -1;
	if (sim_cfg_count(c, map, "capacity", &tc->capacity, 1, UINT64_C(1) << 53,
			  SIM_CFG_UNBOUNDED) < 0)
		bad = -1;
	if (sim_cfg_choice(c, map, "overflow", overflow_names, &tc->overflow, 0) < 0)
		bad = -1;
	if (sim_cfg_choice(c, map, "ordering", ordering_names, &tc->ordering, 0) < 0)
		bad = -1;
	if (sim_cfg_duration(c, map, "retention", &tc->retention, SIM_CFG_POSITIVE) < 0)
		bad = -1;
	return bad;
}

static size_t partitions_of(const void *conf)
{
	return (size_t)((const struct topic_conf *)conf)->partitions;
}

/* ---- gauges ------------------------------------------------------------- */

static double part_age(const struct part *p, double now)
{
	return p->q.len ? now - sim_fifo_front(&p->q)->enqueued_s : 0;
}

static double oldest_age(const void *state, double now)
{
	return part_age(state, now);
}

static double max_oldest_age(const void *state, double now)
{
	const struct topic *t = state;
	double m = 0;
	for (size_t i = 0; i < t->n; i++)
		m = fmax(m, part_age(&t->p[i], now));
	return m;
}

static double max_partition_lag(const void *state, double now)
{
	(void)now;
	const struct topic *t = state;
	double m = 0;
	for (size_t i = 0; i < t->n; i++)
		m = fmax(m, t->p[i].lag.value);
	return m;
}

/* ---- set-up ------------------------------------------------------------- */

/* The partitions' columns, in the order the table lists them: every
 * partition's depth, then every oldest age, then every lag. */
static int probe_parts(struct sim_ctx *ctx, struct topic *t)
{
	char m[64];
	for (size_t i = 0; i < t->n; i++) {
		snprintf(m, sizeof m, "p%zu.depth", i);
		if (sim_probe_level(ctx, m, &t->p[i].depth) < 0)
			return -1;
	}
	for (size_t i = 0; i < t->n; i++) {
		snprintf(m, sizeof m, "p%zu.oldest_age_s", i);
		if (sim_probe_fn(ctx, m, oldest_age, &t->p[i]) < 0)
			return -1;
	}
	for (size_t i = 0; i < t->n; i++) {
		snprintf(m, sizeof m, "p%zu.lag", i);
		if (sim_probe_level(ctx, m, &t->p[i].lag) < 0)
			return -1;
	}
	return 0;
}

static int init(struct sim_ctx *ctx, void *state, const void *conf)
{
	struct topic *t = state;
	t->conf = conf;
	t->n = (size_t)t->conf->partitions;
	t->p = calloc(t->n, sizeof *t->p);
	t->batches = calloc(t->n, sizeof *t->batches);
	if (!t->p || !t->batches || mdl_group_init(&t->g, t->n) < 0)
		return -1;
	if (sim_track_level(ctx, &t->depth_level) < 0 || sim_track_level(ctx, &t->lag_level) < 0 ||
	    mdl_backlog_init(ctx, &t->bl, NREASONS) < 0)
		return -1;
	if (sim_probe_level(ctx, "depth", &t->depth_level) < 0 ||
	    sim_probe_level(ctx, "lag", &t->lag_level) < 0 ||
	    sim_probe_fn(ctx, "max_partition_lag", max_partition_lag, t) < 0 ||
	    sim_probe_fn(ctx, "max_oldest_age_s", max_oldest_age, t) < 0 ||
	    sim_probe_count(ctx, "arrived", &t->bl.arrived) < 0 ||
	    sim_probe_count(ctx, "dropped", &t->bl.dropped_all) < 0)
		return -1;
	for (size_t i = 0; i < t->n; i++) {
		struct part *p = &t->p[i];
		p->warmup = t->bl.warmup;
		if (sim_fifo_grow(&p->q) < 0 || sim_track_level(ctx, &p->depth) < 0 ||
		    sim_track_level(ctx, &p->lag) < 0 || sim_track_count(ctx, &p->arrived) < 0)
			return -1;
	}
	return probe_parts(ctx, t);
}

static void fini(void *state)
{
	struct topic *t = state;
	for (size_t i = 0; t->p && i < t->n; i++) {
		sim_fifo_fini(&t->p[i].q);
		mdl_inkeys_fini(&t->p[i].keys);
	}
	free(t->p);
	free(t->batches);
	mdl_group_fini(&t->g);
}

static void start(struct sim_ctx *ctx, void *state)
{
	struct topic *t = state;
	if (isfinite(t->conf->retention))
		sim_schedule(ctx, t->conf->retention / 8, EV_SWEEP, NULL);
}

/* ---- levels ------------------------------------------------------------- */

static void add_depth(struct sim_ctx *ctx, struct topic *t, struct part *p, int d)
{
	double now = sim_now(ctx);
	t->depth += (uint64_t)(int64_t)d;
	sim_level_set(&t->depth_level, now, (double)t->depth);
	sim_level_set(&p->depth, now, (double)p->q.len);
}

void mdl_topic_add_lag(struct sim_ctx *ctx, struct topic *t, struct part *p, int d)
{
	double now = sim_now(ctx);
	t->lag += (uint64_t)(int64_t)d;
	sim_level_set(&t->lag_level, now, (double)t->lag);
	sim_level_set(&p->lag, now, (double)(p->q.len + p->in_flight));
}

static void note_age(struct part *p, double now, double age)
{
	if (now >= p->warmup && age > p->max_age)
		p->max_age = age;
}

static void drop(struct sim_ctx *ctx, struct topic *t, struct sim_item *it, unsigned why)
{
	mdl_backlog_drop(ctx, &t->bl, it, why);
}

/* Takes item j (0 oldest) out of partition p's line: O(j). */
struct sim_item *mdl_topic_take_at(struct sim_ctx *ctx, struct topic *t, struct part *p, size_t j)
{
	struct sim_fifo *f = &p->q;
	size_t m = f->cap - 1;
	struct sim_item *it = f->v[(f->head + j) & m];
	for (size_t k = j; k > 0; k--)
		f->v[(f->head + k) & m] = f->v[(f->head + k - 1) & m];
	f->head = (f->head + 1) & m;
	f->len--;
	add_depth(ctx, t, p, -1);
	note_age(p, sim_now(ctx), sim_now(ctx) - it->enqueued_s);
	return it;
}

/* Drops partition p's items older than the retention, from the oldest. */
void mdl_topic_expire(struct sim_ctx *ctx, struct topic *t, struct part *p)
{
	double limit = sim_now(ctx) - t->conf->retention;
	while (p->q.len && sim_fifo_front(&p->q)->enqueued_s < limit) {
		struct sim_item *it = mdl_topic_take_at(ctx, t, p, 0);
		mdl_topic_add_lag(ctx, t, p, -1);
		drop(ctx, t, it, R_EXPIRED);
	}
}

/* ---- arrivals ----------------------------------------------------------- */

/* murmur3's 32-bit finaliser: every bit of the key moves every bit of
 * the hash, so consecutive keys spread over the partitions. */
static uint32_t mix(uint32_t k)
{
	k ^= k >> 16;
	k *= 0x85ebca6bu;
	k ^= k >> 13;
	k *= 0xc2b2ae35u;
	k ^= k >> 16;
	return k;
}

size_t mdl_topic_partition(uint32_t key, size_t n)
{
	return mix(key) % n;
}

static void receive(struct sim_ctx *ctx, void *state, struct sim_item *it)
{
	struct topic *t = state;
	const struct topic_conf *tc = t->conf;
	sim_count_add(&t->bl.arrived, 1);
	size_t i = it->key == SIM_NONE ? (size_t)(t->rr++ % t->n) : mdl_topic_partition(it->key, t->n);
	struct part *p = &t->p[i];
	sim_count_add(&p->arrived, 1);
	if (isfinite(tc->retention))
		mdl_topic_expire(ctx, t, p);
	if (p->q.len >= tc->capacity) {
		if (tc->overflow == OVF_REJECT) {
			drop(ctx, t, it, R_FULL);
			return;
		}
		struct sim_item *old = mdl_topic_take_at(ctx, t, p, 0);
		mdl_topic_add_lag(ctx, t, p, -1);
		drop(ctx, t, old, R_EVICTED);
	}
	bool was_empty = p->q.len == 0;
	if (sim_fifo_push(&p->q, it) < 0) {
		sim_stop(ctx, "out of memory growing a topic's partition");
		drop(ctx, t, it, R_FULL);
		return;
	}
	it->enqueued_s = sim_now(ctx);
	add_depth(ctx, t, p, 1);
	mdl_topic_add_lag(ctx, t, p, 1);
	sim_count_add(&t->bl.accepted, 1);
	/* by partition, items behind others wait for them: only an item at
	 * the head can be new work for an idle consumer */
	if (was_empty || tc->ordering == ORD_KEY)
		sim_wake(ctx);
}

static void handle(struct sim_ctx *ctx, void *state, uint32_t kind, struct sim_item *it)
{
	(void)kind;
	(void)it;
	struct topic *t = state;
	for (size_t i = 0; i < t->n; i++)
		mdl_topic_expire(ctx, t, &t->p[i]);
	sim_schedule(ctx, t->conf->retention / 8, EV_SWEEP, NULL);
}

/* ---- the summary -------------------------------------------------------- */

static void finish(struct sim_ctx *ctx, void *state, struct sim_json *o)
{
	struct topic *t = state;
	double now = sim_now(ctx);
	double max_age = 0, max_lag = 0;
	for (size_t i = 0; i < t->n; i++) {
		note_age(&t->p[i], now, part_age(&t->p[i], now));
		max_age = fmax(max_age, t->p[i].max_age);
		max_lag = fmax(max_lag, t->p[i].lag.max);
	}
	mdl_backlog_json(o, &t->bl, reasons, -1, &t->depth_level, now, (double)t->depth, max_age);
	sim_json_num(o, "mean_lag", sim_level_mean(&t->lag_level, now));
	sim_json_num(o, "max_lag", t->lag_level.max);
	sim_json_num(o, "max_partition_lag", max_lag);
	sim_json_num(o, "consumers", (double)t->g.nconsumers);
	struct sim_json *ps = sim_json_arr(o, "partitions");
	for (size_t i = 0; i < t->n; i++) {
		const struct part *p = &t->p[i];
		struct sim_json *e = sim_json_obj(ps, NULL);
		sim_json_num(e, "arrived", (double)sim_count_value(&p->arrived));
		sim_json_num(e, "mean_depth", sim_level_mean(&p->depth, now));
		sim_json_num(e, "mean_wait_s", p->waited ? p->wait_sum / (double)p->waited : 0);
		sim_json_num(e, "mean_lag", sim_level_mean(&p->lag, now));
		sim_json_num(e, "max_lag", p->lag.max);
		sim_json_num(e, "max_oldest_age_s", p->max_age);
		sim_json_num(e, "lag_at_end", (double)(p->q.len + p->in_flight));
	}
}

/* ---- how a topic is measured and shown ---------------------------------- */

static const struct sim_metric_desc metrics[] = {
	{ .name = "arrived", .type = SIM_METRIC_COUNTER, .what = "items", .doc = "items that arrived" },
	{ .name = "accepted", .type = SIM_METRIC_COUNTER, .what = "items",
	  .doc = "items taken into a partition" },
	{ .name = "dropped", .type = SIM_METRIC_REASONS, .label = "dropped", .headline = 4, .report = 5,
	  .what = "items", .doc = "`{full, evicted, expired}`: items dropped here, by reason" },
	{ .name = "mean_depth", .type = SIM_METRIC_TIME_AVG, .what = "items",
	  .doc = "time-average number of items waiting, all partitions" },
	{ .name = "max_depth", .type = SIM_METRIC_LEVEL, .what = "items",
	  .doc = "most items waiting at once, all partitions" },
	{ .name = "depth_at_end", .type = SIM_METRIC_LEVEL, .what = "items",
	  .doc = "items waiting when the run ended" },
	{ .name = "mean_wait_s", .type = SIM_METRIC_RATIO, .unit = SIM_UNIT_SECONDS, .label = "mean wait",
	  .headline = 3, .report = 3,
	  .doc = "mean time waiting, of the items handed to a consumer (0 if none)" },
	{ .name = "wait_p99_s", .type = SIM_METRIC_RATIO, .unit = SIM_UNIT_SECONDS, .label = "p99 wait",
	  .report = 4, .doc = "p99 time waiting, of the items handed to a consumer (0 if none)" },
	{ .name = "max_oldest_age_s", .type = SIM_METRIC_LEVEL, .unit = SIM_UNIT_SECONDS,
	  .better = SIM_BETTER_LOWER, .label = "peak oldest age", .headline = 2, .report = 2,
	  .combine = SIM_COMBINE_MAX, .figure = "peak_oldest_age_s", .figure_label = "peak oldest age",
	  .doc = "the greatest age the oldest waiting item of a partition reached" },
	{ .name = "mean_lag", .type = SIM_METRIC_TIME_AVG, .what = "items",
	  .doc = "time-average lag: items not yet completed by the group, waiting or in service" },
	{ .name = "max_lag", .type = SIM_METRIC_LEVEL, .what = "items", .doc = "peak lag of the topic" },
	{ .name = "max_partition_lag", .type = SIM_METRIC_LEVEL, .better = SIM_BETTER_LOWER,
	  .label = "peak partition lag", .headline = 1, .report = 1, .combine = SIM_COMBINE_MAX,
	  .figure = "peak_partition_lag", .figure_label = "peak partition lag", .what = "items",
	  .doc = "the greatest lag a single partition reached" },
	{ .name = "consumers", .type = SIM_METRIC_LEVEL, .what = "consumers",
	  .doc = "consumers owning partitions at the end: min(workers, partitions)" },
	{ .name = "partitions", .type = SIM_METRIC_LIST,
	  .doc = "a list, by partition: `{arrived, mean_depth, mean_wait_s, mean_lag, max_lag, max_oldest_age_s, lag_at_end}`" },
	{ .name = NULL },
};

static const struct sim_column_desc columns[] = {
	{ .metric = "depth", .what = "items", .doc = "items waiting, all partitions" },
	{ .metric = "lag", .what = "items",
	  .doc = "items not yet completed by the consumer group: waiting or in service" },
	{ .metric = "max_partition_lag", .what = "items", .doc = "the largest lag of a partition" },
	{ .metric = "max_oldest_age_s", .unit = SIM_UNIT_SECONDS,
	  .doc = "the age of the oldest waiting item, over the partitions; 0 when empty" },
	{ .metric = "arrived", .counter = true, .what = "items", .doc = "items that arrived" },
	{ .metric = "dropped", .counter = true, .group = SIM_GROUP_DROPS,
	  .group_title = "%s: full, evicted or expired", .what = "items",
	  .doc = "items dropped here, all reasons together" },
	{ .metric = "depth", .each = "p", .each_count = partitions_of, .what = "items",
	  .doc = "items waiting in partition i" },
	{ .metric = "oldest_age_s", .each = "p", .each_count = partitions_of, .unit = SIM_UNIT_SECONDS,
	  .doc = "age of partition i's oldest waiting item, 0 when empty" },
	{ .metric = "lag", .each = "p", .each_count = partitions_of, .what = "items",
	  .doc = "partition i's lag: waiting or in service" },
	{ .metric = NULL },
};

static const struct sim_chart_desc charts[] = {
	{ .name = "topic-%s", .title = "Topic %s: lag and age of the oldest item",
	  .ylabel = "items not yet completed", .y2label = "age of the oldest item (s)",
	  .lines = { { "lag", "lag, all partitions (left)", 1, 1 },
		     { "max_partition_lag", "lag of the worst partition (left)", 1, 1 },
		     { "max_oldest_age_s", "oldest item age (right)", 2, 1 } } },
	{ .name = "topic-%s-partitions", .title = "Topic %s: lag by partition",
	  .ylabel = "partition", .y2label = "lag (items)", .heat = "lag" },
	{ .name = NULL },
};

static const struct sim_report_desc report = { .heading = "Topics" };

/* Facts for the sanity checks (sim/lint.h). */
static void lint(struct sim_lint *l, const void *conf)
{
	const struct topic_conf *tc = conf;
	if (tc->capacity != UINT64_MAX || isfinite(tc->retention))
		sim_lint_sheds(l);
	else
		sim_lint_fixed(l, "dropped", 0);
	if (tc->ordering == ORD_PARTITION)
		sim_lint_parallel(l, (double)tc->partitions);
}

const struct sim_model_ops mdl_topic_ops = {
	.name = "topic",
	.flags = SIM_MODEL_ONE_CONSUMER,
	.keys = keys,
	.metrics = metrics,
	.columns = columns,
	.charts = charts,
	.report = &report,
	.reasons = reasons,
	.conf_size = sizeof(struct topic_conf),
	.state_size = sizeof(struct topic),
	.configure = configure,
	.init = init,
	.fini = fini,
	.start = start,
	.handle = handle,
	.receive = receive,
	.pull = mdl_topic_pull,
	.pull_more = mdl_topic_pull_more,
	.release = mdl_topic_release,
	.consumers = mdl_topic_consumers,
	.finish = finish,
	.lint = lint,
};
