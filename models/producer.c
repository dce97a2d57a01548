/* producer.c - open-loop arrivals: items created at a rate, whatever happens
 * downstream (users keep clicking "like" however slow the system is).
 *
 * Arrival times come from sim/profile.h: a renewal process with mean-1
 * gaps (exponential for Poisson, 1 for constant, X / E[X] for a
 * distribution) laid on the integrated rate, so a schedule of steps and
 * ramps is followed exactly.  Three streams: "arrivals", "mix" and
 * "keys", so adding a class mix or keys does not move the arrival times.
 *
 * Keys (models/keys.h): with `keys: {count, dist, exponent}` each item
 * carries a key drawn from the stream "keys"; without, SIM_NONE.  A
 * schedule entry with `key: NAME` is not laid on the producer's rate:
 * it is a flow of its own (rate 0 outside the entry) whose items all
 * carry that key, a viral post on top of the usual traffic.  Each such
 * flow draws from streams of its own ("key flow N arrivals" and "key flow
 * N mix", N counting those entries from 1), so it moves nothing else.
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

#include "models/keys.h"

#include <math.h>
#include <string.h>

#include "sim/format.h"
#include "sim/ratefile.h"

enum { ARR_POISSON, ARR_CONSTANT, ARR_RENEWAL };
enum { ON_BLOCK_WAIT, ON_BLOCK_DROP };
enum { EV_ARRIVAL };

#define MAX_MIX 64
#define MAX_KEY_FLOWS 64	/* schedule entries with a `key` */

/* Why a producer drops an item: indices in reasons[]. */
enum { R_BLOCKED };

static const struct sim_reason_desc reasons[] = {
	[R_BLOCKED] = { "blocked", "lost at the producer while a full queue blocked it (`on_block: drop`)" },
	{ NULL, NULL },
};

struct producer_conf {
	double rate;			/* base, per second */
	int arrivals;
	struct sim_dist gap;		/* ARR_RENEWAL: shape of the gaps */
	struct sim_profile profile;
	struct sim_profile_seg flat;	/* storage when there is no schedule */
	uint16_t cls;
	size_t nmix;
	uint16_t mix_cls[MAX_MIX];
	double mix_cum[MAX_MIX];	/* cumulative shares */
	uint32_t to;
	int on_block;
	uint64_t max_held;		/* UINT64_MAX: unbounded */
	struct mdl_keys keys;		/* count 0: items carry no key */
	size_t nflows;
	struct mdl_key_flow flows[MAX_KEY_FLOWS];
	double *trace;			/* `arrivals: {trace}`: times, seconds */
	size_t ntrace;
};

/* An arrival process: the producer's own (flow 0), or a key flow. */
struct flow {
	const struct sim_profile *profile;
	gsl_rng *arrivals, *mix;
	size_t cursor;			/* a segment; with a trace, its next time */
	uint32_t key;			/* SIM_NONE: drawn, or none */
	struct sim_count created;
};

struct producer {
	const struct producer_conf *conf;
	gsl_rng *keys;
	struct flow flow[1 + MAX_KEY_FLOWS];
	struct sim_count created;	/* completed, dropped: sim_source_stats */
	uint32_t nblocked;		/* its items held at full queues' doors */
	struct sim_fifo held;		/* work waiting while it is blocked */
	struct sim_level held_level, blocked_level;
	struct sim_count deferred, lost;
	struct sim_hist held_wait;
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

/* A rate and a schedule, a rate file, or a trace: the arrival times. */
static int configure_rate(struct sim_cfg *c, const struct sim_node *map, struct producer_conf *pc)
{
	const struct sim_node *rv = sim_node_get(map, "rate"), *a = sim_node_get(map, "arrivals");
	const struct sim_node *sv = sim_node_get(map, "schedule");
	const char *from = rv && rv->type == SIM_NODE_MAP ? "a rate file" :
			   a && a->type == SIM_NODE_MAP && sim_node_get(a, "trace") ? "a trace" : NULL;
	if (from && sv) {
		sim_cfg_error(c, sv, "producer '%s' takes its traffic from %s; a 'schedule' cannot apply too (put the change in the file)",
			      c->name, from);
		return -1;
	}
	if (from && !strcmp(from, "a trace")) {
		if (rv) {
			sim_cfg_error(c, rv, "producer '%s' replays a trace, which sets every arrival; remove 'rate'",
				      c->name);
			return -1;
		}
		pc->rate = 0;
		return sim_trace_load(c, a, &pc->trace, &pc->ntrace);
	}
	if (from) {
		if (sim_ratefile_load(c, rv, &pc->profile) < 0)
			return -1;
		pc->rate = pc->profile.seg[0].r0;
		return 0;
	}
	return sim_cfg_rate(c, map, "rate", &pc->rate, SIM_CFG_REQUIRED);
}

static int configure(struct sim_cfg *c, const struct sim_node *map, void *conf)
{
	struct producer_conf *pc = conf;
	int bad = 0;
	if (configure_rate(c, map, pc) < 0)
		bad = -1;
	pc->arrivals = ARR_POISSON;
	const struct sim_node *a = sim_node_get(map, "arrivals");
	if (pc->trace || (a && a->type == SIM_NODE_MAP && sim_node_get(a, "trace"))) {
		/* read by configure_rate */
	} else if (a && a->type == SIM_NODE_SCALAR && !strcmp(a->str, "poisson")) {
		pc->arrivals = ARR_POISSON;
	} else if (a && a->type == SIM_NODE_SCALAR && !strcmp(a->str, "constant")) {
		pc->arrivals = ARR_CONSTANT;
	} else if (a && a->type == SIM_NODE_MAP) {
		pc->arrivals = ARR_RENEWAL;
		if (sim_dist_parse(c, a, "arrivals", &pc->gap) < 0)
			bad = -1;
		else if (!(pc->gap.mean > 0) || !isfinite(pc->gap.mean)) {
			sim_cfg_error(c, a, "the arrivals distribution of producer '%s' needs a finite mean above 0",
				      c->name);
			bad = -1;
		}
	} else if (a) {
		sim_cfg_error(c, a, "bad arrivals '%s' in producer '%s' (expected poisson, constant, a distribution map such as {dist: gamma, mean: 1ms, cv: 2}, or {trace: FILE})",
			      a->str, c->name);
		bad = -1;
	}
	const struct sim_node *kv = sim_node_get(map, "keys");
	if (kv && mdl_keys_configure(c, kv, &pc->keys) < 0)
		bad = -1;
	const struct sim_node *rv = sim_node_get(map, "rate");
	if (!bad && (pc->trace || (rv && rv->type == SIM_NODE_MAP))) {
		if (pc->trace)
			sim_profile_constant(&pc->profile, &pc->flat, 0);
	} else if (!bad) {
		int r = mdl_keys_schedule(c, map, pc->rate, &pc->keys, &pc->profile, pc->flows,
					  MAX_KEY_FLOWS, &pc->nflows);
		if (r < 0)
			bad = -1;
		else if (r == 0)
			sim_profile_constant(&pc->profile, &pc->flat, pc->rate);
	}
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

static double current_rate(const void *state, double now)
{
	const struct producer *p = state;
	double r = sim_profile_rate(&p->conf->profile, now);
	for (size_t j = 0; j < p->conf->nflows; j++)
		r += sim_profile_rate(&p->conf->flows[j].profile, now);
	return r;
}

/* The streams and counts of the key flows (flow 1 on). */
static int init_flows(struct sim_ctx *ctx, struct producer *p)
{
	const struct producer_conf *pc = p->conf;
	for (size_t j = 0; j < pc->nflows; j++) {
		struct flow *f = &p->flow[1 + j];
		char purpose[64];
		f->profile = &pc->flows[j].profile;
		f->key = pc->flows[j].key;
		snprintf(purpose, sizeof purpose, "key flow %zu arrivals", j + 1);
		f->arrivals = sim_rng(ctx, purpose);
		snprintf(purpose, sizeof purpose, "key flow %zu mix", j + 1);
		f->mix = pc->nmix ? sim_rng(ctx, purpose) : NULL;
		if (!f->arrivals || (pc->nmix && !f->mix) || sim_track_count(ctx, &f->created) < 0)
			return -1;
	}
	return 0;
}

static int init(struct sim_ctx *ctx, void *state, const void *conf)
{
	struct producer *p = state;
	p->conf = conf;
	struct flow *own = &p->flow[0];
	own->profile = &p->conf->profile;
	own->key = SIM_NONE;
	own->arrivals = sim_rng(ctx, "arrivals");
	own->mix = sim_rng(ctx, "mix");
	p->keys = p->conf->keys.count ? sim_rng(ctx, "keys") : NULL;
	const struct sim_source_stats *st = sim_source_stats(ctx);
	if (!own->arrivals || !own->mix || (p->conf->keys.count && !p->keys) ||
	    init_flows(ctx, p) < 0 ||
	    sim_track_count(ctx, &p->created) < 0 ||
	    sim_probe_fn(ctx, "rate", current_rate, p) < 0 ||
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
	sim_fifo_fini(&p->held);
}

/* The next arrival of flow i (0: the producer's own; 1 on: key flows). */
static void schedule_next(struct sim_ctx *ctx, struct producer *p, size_t i)
{
	const struct producer_conf *pc = p->conf;
	struct flow *f = &p->flow[i];
	if (pc->trace && i == 0) {
		if (f->cursor < pc->ntrace && pc->trace[f->cursor] <= sim_duration(ctx))
			sim_schedule_at(ctx, pc->trace[f->cursor++], EV_ARRIVAL, NULL);
		return;
	}
	double gap;
	switch (pc->arrivals) {
	case ARR_POISSON: gap = sim_exponential(f->arrivals, 1.0); break;
	case ARR_CONSTANT: gap = 1.0; break;
	default: gap = sim_dist_sample(&pc->gap, f->arrivals) / pc->gap.mean; break;
	}
	double t = sim_profile_advance(f->profile, &f->cursor, sim_now(ctx), gap);
	if (t <= sim_duration(ctx))
		sim_schedule_at(ctx, t, EV_ARRIVAL + (uint32_t)i, NULL);
}

static void start(struct sim_ctx *ctx, void *state)
{
	struct producer *p = state;
	for (size_t i = 0; i <= p->conf->nflows; i++)
		schedule_next(ctx, p, i);
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
	schedule_next(ctx, p, fi);
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

static bool window(const void *conf, double *from, double *to)
{
	const struct producer_conf *pc = conf;
	*from = INFINITY;
	*to = -INFINITY;
	for (size_t j = 0; j <= pc->nflows; j++) {
		const struct sim_profile *pr = j ? &pc->flows[j - 1].profile : &pc->profile;
		for (size_t i = 0; i < pr->nspans; i++) {
			*from = fmin(*from, pr->spans[i].from);
			*to = fmax(*to, pr->spans[i].to);
		}
	}
	return *from <= *to;
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
	.start = start,
	.handle = handle,
	.blocked = blocked,
	.window = window,
	.finish = finish,
	.lint = lint,
};
