/* limiter.c - a token bucket: rate limiting before work reaches a queue.
 *
 *   kind: limiter
 *   rate: 3000/s        tokens added per second
 *   burst: 500          bucket size (default: one second of tokens)
 *   mode: reject        reject: refuse an item without a token (limited)
 *                       delay: hold items FIFO until a token comes
 *   max_delay: 2s       delay mode: refuse an item that would wait longer
 *   to: analytics-q
 *
 * The bucket starts full.  Tokens are counted exactly, not per tick: the
 * bucket holds min(burst, tokens + rate * elapsed).  In delay mode the
 * head item leaves the instant its token is due, so the long-run rate
 * admitted is exactly `rate` under overload, in both modes.
 */
#include "models/limiter.h"

#include <math.h>
#include <stdlib.h>

enum { MODE_REJECT, MODE_DELAY };
enum { EV_RELEASE };

static const char *const mode_names[] = { "reject", "delay", NULL };

/* Why a limiter drops an item: indices in reasons[]. */
enum { R_LIMITED };

static const struct sim_reason_desc reasons[] = {
	[R_LIMITED] = { "limited", "refused: no token (`mode: reject`), or a wait longer than `max_delay` (`mode: delay`)" },
	{ NULL, NULL },
};

struct limiter_conf {
	double rate, burst, max_delay;
	int mode;
	uint32_t to;
};

struct limiter {
	const struct limiter_conf *conf;
	double tokens, t_last;
	struct sim_fifo wait;		/* delay mode: held items */
	bool armed;
	struct sim_count arrived, admitted, limited, delayed;
	struct sim_level held;
	struct sim_hist delay;
};

static const char *const keys[] = { "rate", "burst", "mode", "max_delay", "to", NULL };

static int configure(struct sim_cfg *c, const struct sim_node *map, void *conf)
{
	struct limiter_conf *lc = conf;
	int bad = 0;
	lc->max_delay = INFINITY;
	if (sim_cfg_rate(c, map, "rate", &lc->rate, SIM_CFG_REQUIRED | SIM_CFG_POSITIVE) < 0)
		bad = -1;
	lc->burst = lc->rate > 0 ? lc->rate : 1;	/* one second of tokens */
	if (sim_cfg_number(c, map, "burst", &lc->burst, 1, 1e12, 0) < 0)
		bad = -1;
	if (sim_cfg_choice(c, map, "mode", mode_names, &lc->mode, 0) < 0)
		bad = -1;
	if (sim_cfg_duration(c, map, "max_delay", &lc->max_delay, 0) < 0)
		bad = -1;
	if (sim_node_get(map, "max_delay") && lc->mode != MODE_DELAY) {
		sim_cfg_error(c, sim_node_key(map, "max_delay"),
			      "'max_delay' of limiter '%s' applies to mode: delay only", c->name);
		bad = -1;
	}
	if (sim_cfg_link(c, map, "to", NULL, &lc->to, SIM_CFG_REQUIRED) < 0)
		bad = -1;
	return bad;
}

static double tokens_now(const void *state, double now)
{
	const struct limiter *l = state;
	return fmin(l->conf->burst, l->tokens + l->conf->rate * (now - l->t_last));
}

static int init(struct sim_ctx *ctx, void *state, const void *conf)
{
	struct limiter *l = state;
	l->conf = conf;
	l->tokens = l->conf->burst;
	if (sim_track_count(ctx, &l->arrived) < 0 || sim_track_count(ctx, &l->admitted) < 0 ||
	    sim_track_count(ctx, &l->limited) < 0 || sim_track_count(ctx, &l->delayed) < 0 ||
	    sim_track_level(ctx, &l->held) < 0 || sim_track_hist(ctx, &l->delay) < 0 ||
	    sim_probe_count(ctx, "arrived", &l->arrived) < 0 ||
	    sim_probe_count(ctx, "admitted", &l->admitted) < 0 ||
	    sim_probe_count(ctx, "limited", &l->limited) < 0 ||
	    sim_probe_fn(ctx, "tokens", tokens_now, l) < 0 ||
	    sim_probe_level(ctx, "held", &l->held) < 0)
		return -1;
	return 0;
}

static void fini(void *state)
{
	struct limiter *l = state;
	sim_fifo_fini(&l->wait);
}

static void refill(struct limiter *l, double now)
{
	l->tokens = tokens_now(l, now);
	l->t_last = now;
}

static void admit(struct sim_ctx *ctx, struct limiter *l, struct sim_item *it)
{
	l->tokens -= 1;
	sim_count_add(&l->admitted, 1);
	sim_send(ctx, l->conf->to, it);
}

/* Delay mode: schedules the release of the head when its token is due. */
static void arm(struct sim_ctx *ctx, struct limiter *l)
{
	if (l->armed || !l->wait.len)
		return;
	l->armed = true;
	double need = 1 - l->tokens;
	sim_schedule(ctx, need > 0 ? need / l->conf->rate : 0, EV_RELEASE, NULL);
}

static void receive(struct sim_ctx *ctx, void *state, struct sim_item *it)
{
	struct limiter *l = state;
	const struct limiter_conf *lc = l->conf;
	double now = sim_now(ctx);
	sim_count_add(&l->arrived, 1);
	refill(l, now);
	if (l->wait.len == 0 && l->tokens >= 1) {
		admit(ctx, l, it);
		return;
	}
	if (lc->mode == MODE_REJECT) {
		sim_count_add(&l->limited, 1);
		sim_drop(ctx, it, R_LIMITED);
		return;
	}
	/* delay: its token comes after those of the items ahead of it */
	double wait = (l->wait.len + 1 - l->tokens) / lc->rate;
	if (wait > lc->max_delay) {
		sim_count_add(&l->limited, 1);
		sim_drop(ctx, it, R_LIMITED);
		return;
	}
	if (sim_fifo_push(&l->wait, it) < 0) {
		sim_stop(ctx, "out of memory in a limiter");
		sim_drop(ctx, it, R_LIMITED);
		return;
	}
	it->hold_s = now;
	sim_count_add(&l->delayed, 1);
	sim_level_set(&l->held, now, (double)l->wait.len);
	arm(ctx, l);
}

static void handle(struct sim_ctx *ctx, void *state, uint32_t kind, struct sim_item *unused)
{
	struct limiter *l = state;
	double now = sim_now(ctx);
	(void)kind;
	(void)unused;
	l->armed = false;
	refill(l, now);
	/* tolerance: the release time was computed from the same tokens */
	while (l->wait.len && l->tokens >= 1 - 1e-9) {
		struct sim_item *it = sim_fifo_pop_front(&l->wait);
		sim_level_set(&l->held, now, (double)l->wait.len);
		if (now >= sim_warmup(ctx))
			sim_hist_add(&l->delay, now - it->hold_s);
		if (l->tokens < 1)
			l->tokens = 1;
		admit(ctx, l, it);
	}
	arm(ctx, l);
}

static void finish(struct sim_ctx *ctx, void *state, struct sim_json *o)
{
	struct limiter *l = state;
	double span = sim_measured_s(ctx);
	double admitted = (double)sim_count_value(&l->admitted);
	sim_json_num(o, "arrived", (double)sim_count_value(&l->arrived));
	sim_json_num(o, "admitted", admitted);
	sim_json_num(o, "limited", (double)sim_count_value(&l->limited));
	sim_json_num(o, "delayed", (double)sim_count_value(&l->delayed));
	sim_json_num(o, "admitted_per_s", span > 0 ? admitted / span : 0);
	sim_json_num(o, "held_at_end", (double)l->wait.len);
	sim_json_hist(o, "delay_s", &l->delay);
}

/* ---- how a limiter is measured and shown -------------------------------- */

static const struct sim_metric_desc metrics[] = {
	{ .name = "arrived", .type = SIM_METRIC_COUNTER, .headline = 1, .what = "items",
	  .doc = "items that arrived" },
	{ .name = "admitted", .type = SIM_METRIC_COUNTER, .what = "items", .doc = "items let through" },
	{ .name = "limited", .type = SIM_METRIC_COUNTER, .headline = 3, .what = "items",
	  .doc = "items dropped (`limited`)" },
	{ .name = "delayed", .type = SIM_METRIC_COUNTER, .what = "items",
	  .doc = "items that waited for their token" },
	{ .name = "admitted_per_s", .type = SIM_METRIC_RATIO, .unit = SIM_UNIT_PER_S, .headline = 2,
	  .what = "items", .doc = "admitted per second" },
	{ .name = "held_at_end", .type = SIM_METRIC_LEVEL, .what = "items",
	  .doc = "items waiting for a token when the run ended" },
	{ .name = "delay_s", .type = SIM_METRIC_HIST, .unit = SIM_UNIT_SECONDS, .headline = 4,
	  .doc = "waits of the delayed items" },
	{ .name = NULL },
};

static const struct sim_column_desc columns[] = {
	{ .metric = "arrived", .counter = true, .what = "items", .doc = "items that arrived" },
	{ .metric = "admitted", .counter = true, .what = "items", .doc = "items let through" },
	{ .metric = "limited", .counter = true, .what = "items", .doc = "items dropped (`limited`)" },
	{ .metric = "tokens", .what = "tokens", .doc = "tokens in the bucket" },
	{ .metric = "held", .what = "items", .doc = "items waiting for a token" },
	{ .metric = NULL },
};

/* Facts for the sanity checks (sim/lint.h). */
static void lint(struct sim_lint *l, const void *conf)
{
	const struct limiter_conf *lc = conf;
	sim_lint_sends(l, lc->to, 1);
	sim_lint_capacity(l, lc->rate);
	if (lc->mode == MODE_REJECT || isfinite(lc->max_delay))
		sim_lint_sheds(l);
	else
		sim_lint_fixed(l, "limited", 0);
}

const struct sim_model_ops mdl_limiter_ops = {
	.name = "limiter",
	.keys = keys,
	.metrics = metrics,
	.columns = columns,
	.reasons = reasons,
	.conf_size = sizeof(struct limiter_conf),
	.state_size = sizeof(struct limiter),
	.configure = configure,
	.init = init,
	.fini = fini,
	.handle = handle,
	.receive = receive,
	.finish = finish,
	.lint = lint,
};
