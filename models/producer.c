/* producer.c - open-loop arrivals: items created at a rate, whatever happens
 * downstream (users keep clicking "like" however slow the system is).
 *
 * When items arrive (a rate and its schedule, a rate file, a trace, keys
 * and key flows) is in models/producer_arrivals.c; this file creates the
 * items (their class, from `class` or `mix`, and key) and sends them, or
 * holds them while the producer is blocked, and accounts for them.  The
 * configuration and the state are in models/producer_private.h.
 *
 * Backpressure: while a queue with `overflow: block` holds one of its
 * items (or a copy or attempt made for one) at its door, the producer is
 * blocked and sends nothing.  Work created meanwhile waits at the
 * producer, in order, and goes out once it is unblocked (`deferred`), or
 * is lost (`lost`, dropped as `blocked`) with `on_block: drop` or beyond
 * `max_held` items waiting.  Arrivals keep their times: users do not
 * stop clicking, an importer's file does not get shorter.
 */
#include "models/producer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/format.h"

#include "models/producer_private.h"

static const struct sim_reason_desc reasons[] = {
	[R_BLOCKED] = { "blocked", "lost at the producer while a full queue blocked it (`on_block: drop`)" },
	{ NULL, NULL },
};

static const char *const keys[] = {
	"rate", "arrivals", "schedule", "class", "mix", "to", "on_block", "max_held", "keys", NULL,
};

static const char *const on_block_names[] = { "wait", "drop", NULL };

static int configure_mix(struct sim_cfg *c, const struct sim_node *m, struct producer_conf *pc)
{
	if (m->type != SIM_NODE_MAP || m->n == 0) {
		sim_cfg_error(c, m, "expected a map of class names to shares for 'mix' in producer '%s', e.g. {critical: 0.2, optional: 0.8}",
			      c->name);
		return -1;
	}
	if (m->n > MAX_MIX) {
		sim_cfg_error(c, m, "too many classes in 'mix' of producer '%s'", c->name);
		return -1;
	}
	pc->mix_cls = sim_arena_alloc(c->arena, m->n * sizeof *pc->mix_cls);
	pc->mix_cum = sim_arena_alloc(c->arena, m->n * sizeof *pc->mix_cum);
	if (!pc->mix_cls || !pc->mix_cum) {
		sim_cfg_error(c, m, "out of memory");
		return -1;
	}
	double sum = 0;
	for (size_t i = 0; i < m->n; i++) {
		double share;
		if (sim_cfg_class(c, m->kids[2 * i], "mix", &pc->mix_cls[i]) < 0 ||
		    sim_cfg_number_of(c, m->kids[2 * i + 1], m->kids[2 * i]->str, &share, 0, 1) < 0)
			return -1;
		sum += share;
		pc->mix_cum[i] = sum;
	}
	if (fabs(sum - 1) > 1e-6) {
		sim_cfg_error(c, m, "shares of 'mix' in producer '%s' sum to %g, not 1", c->name, sum);
		return -1;
	}
	pc->mix_cum[m->n - 1] = 1;
	pc->nmix = m->n;
	return 0;
}

static int configure(struct sim_cfg *c, const struct sim_node *map, void *conf)
{
	struct producer_conf *pc = conf;
	int bad = 0;
	if (mdl_producer_configure_arrivals(c, map, pc) < 0)
		bad = -1;
	const struct sim_node *cl = sim_node_get(map, "class"), *mx = sim_node_get(map, "mix");
	if (cl && mx) {
		sim_cfg_error(c, mx, "producer '%s' has both 'class' and 'mix'; use one", c->name);
		bad = -1;
	} else if (cl) {
		if (sim_cfg_class(c, cl, "class", &pc->cls) < 0)
			bad = -1;
	} else if (mx) {
		if (configure_mix(c, mx, pc) < 0)
			bad = -1;
	} else if (c->nclasses > 1) {
		sim_cfg_error(c, c->at, "producer '%s' must say which class it creates: 'class: NAME' or 'mix: {NAME: share, ...}'",
			      c->name);
		bad = -1;
	}
	if (sim_cfg_link(c, map, "to", NULL, &pc->to, SIM_CFG_REQUIRED) < 0)
		bad = -1;
	if (sim_cfg_choice(c, map, "on_block", on_block_names, &pc->on_block, 0) < 0)
		bad = -1;
	pc->max_held = UINT64_MAX;
	if (sim_cfg_count(c, map, "max_held", &pc->max_held, 0, UINT64_C(1) << 53,
			  SIM_CFG_UNBOUNDED) < 0)
		bad = -1;
	else if (pc->on_block == ON_BLOCK_DROP && sim_node_get(map, "max_held")) {
		sim_cfg_error(c, sim_node_get(map, "max_held"),
			      "'max_held' in producer '%s' has no effect with 'on_block: drop' (nothing is held); remove one",
			      c->name);
		bad = -1;
	}
	return bad;
}

static int init(struct sim_ctx *ctx, void *state, const void *conf)
{
	struct producer *p = state;
	p->conf = conf;
	p->flow = p->conf->nflows ? calloc(1 + p->conf->nflows, sizeof *p->flow) : &p->own;
	if (!p->flow)
		return -1;
	struct flow *own = &p->flow[0];
	own->profile = &p->conf->profile;
	own->key = SIM_NONE;
	own->arrivals = sim_rng(ctx, "arrivals");
	own->mix = sim_rng(ctx, "mix");
	p->keys = p->conf->keys.count ? sim_rng(ctx, "keys") : NULL;
	const struct sim_source_stats *st = sim_source_stats(ctx);
	if (!own->arrivals || !own->mix || (p->conf->keys.count && !p->keys) ||
	    mdl_producer_init_flows(ctx, p) < 0 ||
	    sim_track_count(ctx, &p->created) < 0 ||
	    sim_probe_fn(ctx, "rate", mdl_producer_rate, p) < 0 ||
	    sim_probe_count(ctx, "created", &p->created) < 0 ||
	    sim_probe_count(ctx, "completed", &st->completed) < 0 ||
	    sim_probe_count(ctx, "dropped", &st->dropped) < 0 ||
	    sim_track_level(ctx, &p->held_level) < 0 || sim_track_level(ctx, &p->blocked_level) < 0 ||
	    sim_track_count(ctx, &p->deferred) < 0 || sim_track_count(ctx, &p->lost) < 0 ||
	    sim_track_hist(ctx, &p->held_wait) < 0 ||
	    sim_probe_level(ctx, "held", &p->held_level) < 0 ||
	    sim_probe_level_mean(ctx, "blocked", &p->blocked_level, 1) < 0 ||
	    sim_probe_count(ctx, "lost", &p->lost) < 0)
		return -1;
	return 0;
}

static void fini(void *state)
{
	struct producer *p = state;
	if (p->flow != &p->own)
		free(p->flow);
	sim_fifo_fini(&p->held);
}

static void handle(struct sim_ctx *ctx, void *state, uint32_t kind, struct sim_item *unused)
{
	struct producer *p = state;
	const struct producer_conf *pc = p->conf;
	(void)unused;
	size_t fi = kind - EV_ARRIVAL;
	struct flow *f = &p->flow[fi];
	uint16_t cls = pc->cls;
	if (pc->nmix) {
		double u = gsl_rng_uniform(f->mix);
		size_t i = 0;
		while (i + 1 < pc->nmix && u >= pc->mix_cum[i])
			i++;
		cls = pc->mix_cls[i];
	}
	struct sim_item *it = sim_item_new(ctx, cls);
	if (!it)
		return;		/* the run is stopping */
	it->key = fi ? f->key : pc->keys.count ? mdl_keys_draw(&pc->keys, p->keys) : SIM_NONE;
	sim_count_add(&p->created, 1);
	sim_count_add(&f->created, 1);
	mdl_producer_schedule_next(ctx, p, fi);
	if (!p->nblocked && !p->held.len) {
		sim_send(ctx, pc->to, it);
		return;
	}
	if (pc->on_block == ON_BLOCK_DROP || p->held.len >= pc->max_held) {
		sim_count_add(&p->lost, 1);
		sim_drop(ctx, it, R_BLOCKED);
		return;
	}
	if (sim_fifo_push(&p->held, it) < 0) {
		sim_stop(ctx, "out of memory for work held at a blocked producer");
		sim_drop(ctx, it, R_BLOCKED);
		return;
	}
	it->hold_s = sim_now(ctx);
	sim_level_set(&p->held_level, sim_now(ctx), (double)p->held.len);
}

/* Counts the producer's items waiting at full queues; once none is, what
 * it held goes out, in order, until a send blocks it again. */
static void blocked(struct sim_ctx *ctx, void *state, bool on)
{
	struct producer *p = state;
	double now = sim_now(ctx);
	if (on) {
		if (p->nblocked++ == 0)
			sim_level_set(&p->blocked_level, now, 1);
		return;
	}
	if (--p->nblocked)
		return;
	sim_level_set(&p->blocked_level, now, 0);
	while (!p->nblocked && p->held.len) {
		struct sim_item *it = sim_fifo_pop_front(&p->held);
		sim_level_set(&p->held_level, now, (double)p->held.len);
		sim_count_add(&p->deferred, 1);
		sim_hist_add(&p->held_wait, now - it->hold_s);
		sim_send(ctx, p->conf->to, it);
	}
}

static void finish(struct sim_ctx *ctx, void *state, struct sim_json *o)
{
	struct producer *p = state;
	const struct sim_source_stats *st = sim_source_stats(ctx);
	double created = (double)sim_count_value(&p->created);
	double dropped = (double)sim_count_value(&st->dropped);
	double span = sim_measured_s(ctx);
	sim_json_num(o, "created", created);
	sim_json_num(o, "completed", (double)sim_count_value(&st->completed));
	sim_json_num(o, "dropped", dropped);
	sim_json_num(o, "loss", created > 0 ? dropped / created : 0);
	sim_json_num(o, "offered_per_s", span > 0 ? created / span : 0);
	sim_json_hist(o, "sojourn_s", &st->sojourn);
	sim_json_num(o, "deferred", (double)sim_count_value(&p->deferred));
	sim_json_num(o, "lost", (double)sim_count_value(&p->lost));
	sim_json_num(o, "blocked_share", sim_level_mean(&p->blocked_level, sim_now(ctx)));
	sim_json_num(o, "max_held", p->held_level.max);
	sim_json_num(o, "held_at_end", (double)p->held.len);
	sim_json_hist(o, "held_wait_s", &p->held_wait);
	if (!p->conf->nflows)
		return;
	struct sim_json *kf = sim_json_obj(o, "key_flows");
	for (size_t j = 0; j < p->conf->nflows; j++) {
		const char *name = p->conf->flows[j].name;
		double n = (double)sim_count_value(&p->flow[1 + j].created);
		for (size_t i = 0; i < j; i++)	/* entries of one key add up */
			if (!strcmp(p->conf->flows[i].name, name))
				n = -1;
		if (n < 0)
			continue;
		for (size_t i = j + 1; i < p->conf->nflows; i++)
			if (!strcmp(p->conf->flows[i].name, name))
				n += (double)sim_count_value(&p->flow[1 + i].created);
		sim_json_num(kf, name, n);
	}
}

/* ---- how a producer is measured and shown ------------------------------- */

static const struct sim_metric_desc metrics[] = {
	{ .name = "created", .type = SIM_METRIC_COUNTER, .label = "created", .headline = 1,
	  .report = 1, .what = "items", .doc = "items created" },
	{ .name = "completed", .type = SIM_METRIC_COUNTER, .better = SIM_BETTER_HIGHER,
	  .label = "completed", .headline = 2, .report = 2, .combine = SIM_COMBINE_RATE,
	  .figure = "goodput_per_s", .figure_label = "goodput",
	  .what = "items",
	  .doc = "of its items, those completed (their path ended); a comparison's goodput of the producer is their number per second" },
	{ .name = "dropped", .type = SIM_METRIC_COUNTER, .headline = 3,
	  .what = "items", .doc = "of its items, those dropped anywhere on their path" },
	{ .name = "loss", .type = SIM_METRIC_RATIO, .unit = SIM_UNIT_SHARE, .label = "loss",
	  .headline = 4, .report = 3, .doc = "dropped / created" },
	{ .name = "offered_per_s", .type = SIM_METRIC_RATIO, .unit = SIM_UNIT_PER_S,
	  .what = "items", .doc = "created per second" },
	{ .name = "sojourn_s", .type = SIM_METRIC_HIST, .unit = SIM_UNIT_SECONDS,
	  .label = "time in system", .headline = 5, .report = 4,
	  .report_pct = SIM_PCT_P50 | SIM_PCT_P99,
	  .doc = "time in system of its completed items, creation to completion" },
	{ .name = "deferred", .type = SIM_METRIC_COUNTER, .headline = 6, .headline_if_used = true,
	  .combine = SIM_COMBINE_SUM, .figure = "deferred",
	  .figure_label = "items deferred at producers", .figure_optional = true,
	  .what = "items",
	  .doc = "items that waited at the producer while a full queue blocked it, and were then sent" },
	{ .name = "lost", .type = SIM_METRIC_COUNTER, .headline = 7, .headline_if_used = true,
	  .what = "items",
	  .doc = "items lost while it was blocked, with `on_block: drop` or beyond `max_held` (drop reason `blocked`)" },
	{ .name = "blocked_share", .type = SIM_METRIC_TIME_AVG, .unit = SIM_UNIT_SHARE,
	  .doc = "share of the time it was blocked" },
	{ .name = "max_held", .type = SIM_METRIC_LEVEL, .what = "items",
	  .doc = "most items waiting at the producer at once" },
	{ .name = "held_at_end", .type = SIM_METRIC_LEVEL, .what = "items",
	  .doc = "items waiting at the producer when the run ended" },
	{ .name = "held_wait_s", .type = SIM_METRIC_HIST, .unit = SIM_UNIT_SECONDS,
	  .doc = "time the deferred items waited at the producer" },
	{ .name = "key_flows", .type = SIM_METRIC_LIST, .what = "items",
	  .cond = "with schedule entries that carry a `key`",
	  .doc = "an object: for each key a schedule entry targets, the items of its flows" },
	{ .name = NULL },
};

static const struct sim_column_desc columns[] = {
	{ .metric = "rate", .unit = SIM_UNIT_PER_S, .what = "items",
	  .doc = "the arrival rate the schedule sets at the sample time" },
	{ .metric = "created", .counter = true, .group = SIM_GROUP_FLOW, .group_title = "offered: %s",
	  .what = "items", .doc = "items created" },
	{ .metric = "completed", .counter = true, .what = "items",
	  .doc = "of its items, those completed" },
	{ .metric = "dropped", .counter = true, .what = "items",
	  .doc = "of its items, those dropped anywhere" },
	{ .metric = "held", .what = "items", .doc = "items waiting at the producer" },
	{ .metric = "blocked", .unit = SIM_UNIT_SHARE, .sampled = "time average over the interval",
	  .doc = "share of the interval it was blocked" },
	{ .metric = "lost", .counter = true, .group = SIM_GROUP_DROPS,
	  .group_title = "%s: lost while blocked", .group_if_used = true,
	  .what = "items", .doc = "items lost while it was blocked (drop reason `blocked`)" },
	{ .metric = NULL },
};

static const struct sim_chart_desc charts[] = {
	{ .name = "producer-%s", .title = "Producer %s: work held back while a full queue blocks it",
	  .ylabel = "items held at the producer", .y2label = "time blocked (% of each interval)",
	  .if_used = "blocked",
	  .lines = { { "held", "items held (left)", 1, 1 }, { "blocked", "time blocked (right)", 2, 100 } } },
	{ .name = NULL },
};

/* Where the excess of a producer that a full queue blocked went. */
static void report_note(FILE *f, const char *name, const struct sim_json *o)
{
	double share = sim_value(sim_json_get(o, "blocked_share", NULL), NULL);
	if (!(share > 0))
		return;
	char deferred[64], lost[64], held[64], p99[64];
	sim_format_json(deferred, sizeof deferred, SIM_UNIT_NUMBER, sim_json_get(o, "deferred", NULL));
	sim_format_json(lost, sizeof lost, SIM_UNIT_NUMBER, sim_json_get(o, "lost", NULL));
	sim_format_json(held, sizeof held, SIM_UNIT_NUMBER, sim_json_get(o, "max_held", NULL));
	sim_format_json(p99, sizeof p99, SIM_UNIT_SECONDS,
			sim_json_get(sim_json_get(o, "held_wait_s", NULL), "p99", NULL));
	fprintf(f, "\nBackpressure: a full queue blocked `%s` %.3g%% of the time. %s items waited at the producer before they could be sent (p99 of that wait %s; up to %s at once), and %s were lost.\n",
		name, 100 * share, deferred, p99, held, lost);
}

static const struct sim_report_desc report = { .heading = "Producers", .note = report_note };

/* Facts for the sanity checks (sim/lint.h). */
static void lint(struct sim_lint *l, const void *conf)
{
	const struct producer_conf *pc = conf;
	sim_lint_source(l, pc->trace ? NAN : sim_lint_baseline(l, &pc->profile));
	sim_lint_sends(l, pc->to, 1);
	if (pc->profile.n == 1 && !pc->nflows)
		sim_lint_fixed(l, "rate", 0);
}

const struct sim_model_ops mdl_producer_ops = {
	.name = "producer",
	.flags = SIM_MODEL_SOURCE,
	.keys = keys,
	.metrics = metrics,
	.columns = columns,
	.charts = charts,
	.report = &report,
	.reasons = reasons,
	.conf_size = sizeof(struct producer_conf),
	.state_size = sizeof(struct producer),
	.configure = configure,
	.init = init,
	.fini = fini,
	.start = mdl_producer_start,
	.handle = handle,
	.blocked = blocked,
	.window = mdl_producer_window,
	.finish = finish,
	.lint = lint,
};
