/* client.c - callers that time out and retry: where retry storms come from.
 *
 * Each request from upstream is held here while its attempts, new items
 * of the same class, travel downstream.  An attempt succeeds when it
 * completes (or a queue with `ack: enqueue` accepts it) and fails when it
 * is dropped.  After `timeout` the client gives up on the attempt but the
 * attempt itself stays in the system, still taking capacity: only a
 * component downstream can drop it.  After a failure or a timeout the
 * client retries, up to `retries` times, after a backoff (sim/backoff.h:
 * exponential, with the AWS blog's jitter rules; its keys read by
 * models/backoff.c).
 *
 * A retry budget (`budget`, models/budget.c: Finagle's RetryBudget) may
 * refuse a retry: the request fails with reason retry_budget.  Before each
 * attempt, the client-side adaptive throttle (`throttle`,
 * models/throttle.c: the SRE book's) may refuse it locally: the request
 * fails at once (throttled), no retry.
 *
 * Before each attempt, a circuit breaker (`breaker`, models/breaker.c) may
 * refuse it (breaker_open), and so may an adaptive concurrency limit
 * (`limit`, models/limit.c: limited); both learn from each attempt's end.
 *
 * Deadlines across hops (`propagate_deadline: true`): an attempt's
 * deadline is min(now + timeout, the deadline of the request it serves),
 * so a queue with `honor_deadlines` further down drops by the deadline of
 * the work at the top, not this client's own.  Cancellation
 * (`cancel_on_timeout: true`): an attempt given up on is cancelled
 * (sim_cancel_work) with what it started downstream.  A request cancelled
 * from above is dropped (cancelled) with its attempt in progress, or
 * when its retry is due.
 *
 * End to end, `attempts_per_request` (models/roots.c) divides the attempts
 * by the requests that entered at the producers at the roots of this
 * client's work.
 *
 * This file holds the client's configuration, its state's set-up and its
 * accounting: counts, probes, the summary and the tables that say how a
 * client is measured and shown.  The attempts themselves, their timeouts
 * and retries, are in models/client_attempts.c; the configuration and the
 * state in models/client_private.h.
 */
#include "models/client.h"

#include <math.h>

#include "models/client_private.h"

static const struct sim_reason_desc reasons[] = {
	[R_TIMEOUT] = { "timeout", "the client gave up: its last attempt timed out" },
	[R_ERROR] = { "error", "the client gave up: its last attempt was dropped downstream" },
	[R_RETRY_BUDGET] = { "retry_budget", "a retry was refused by the budget" },
	[R_THROTTLED] = { "throttled", "refused locally by the throttle" },
	[R_BREAKER_OPEN] = { "breaker_open", "refused by the open circuit breaker" },
	[R_LIMITED] = { "limited", "refused by the concurrency limit" },
	[R_CANCELLED] = { "cancelled", "the work was cancelled upstream (a client's `cancel_on_timeout`)" },
	[NREASONS] = { NULL, NULL },
};

static const char *const keys[] = {
	"timeout", "retries", "backoff", "jitter", "budget", "throttle", "breaker", "limit", "to",
	"propagate_deadline", "cancel_on_timeout", NULL,
};

static int configure(struct sim_cfg *c, const struct sim_node *map, void *conf)
{
	struct client_conf *cc = conf;
	int bad = 0;
	cc->timeout = INFINITY;
	if (sim_cfg_duration(c, map, "timeout", &cc->timeout, SIM_CFG_POSITIVE) < 0)
		bad = -1;
	if (sim_cfg_count(c, map, "retries", &cc->retries, 0, 1000, 0) < 0)
		bad = -1;
	if (mdl_backoff_configure(c, map, &cc->backoff) < 0)
		bad = -1;
	const struct sim_node *bu = sim_node_get(map, "budget");
	const struct sim_node *th = sim_node_get(map, "throttle");
	const struct sim_node *br = sim_node_get(map, "breaker");
	const struct sim_node *lm = sim_node_get(map, "limit");
	cc->budget = bu != NULL;
	cc->throttle = th != NULL;
	cc->breaker = br != NULL;
	cc->aimd = lm != NULL;
	if (bu && mdl_budget_configure(c, bu, &cc->budget_conf) < 0)
		bad = -1;
	if (th && mdl_throttle_configure(c, th, &cc->throttle_conf) < 0)
		bad = -1;
	if (br && mdl_breaker_configure(c, br, &cc->breaker_conf) < 0)
		bad = -1;
	if (lm && mdl_limit_configure(c, lm, &cc->limit_conf) < 0)
		bad = -1;
	if (sim_cfg_link(c, map, "to", NULL, &cc->to, SIM_CFG_REQUIRED) < 0)
		bad = -1;
	if (sim_cfg_bool(c, map, "propagate_deadline", &cc->propagate) < 0)
		bad = -1;
	if (sim_cfg_bool(c, map, "cancel_on_timeout", &cc->cancel) < 0)
		bad = -1;
	if (cc->cancel && !isfinite(cc->timeout) && !sim_node_get(map, "timeout")) {
		sim_cfg_error(c, sim_node_key(map, "cancel_on_timeout"),
			      "'cancel_on_timeout' of client '%s' needs a 'timeout': without one the client never gives up",
			      c->name);
		bad = -1;
	}
	return bad;
}

static int init(struct sim_ctx *ctx, void *state, const void *conf)
{
	struct client *cl = state;
	cl->conf = conf;
	cl->timers.kind = EV_TIMEOUT;
	mdl_budget_init(&cl->budget, &cl->conf->budget_conf);
	cl->rng = sim_rng(ctx, "jitter");
	gsl_rng *throttle_rng = sim_rng(ctx, "throttle");
	mdl_throttle_init(&cl->throttle, &cl->conf->throttle_conf, throttle_rng);
	struct sim_count *counts[] = { &cl->requests, &cl->attempts, &cl->retries, &cl->successes,
				       &cl->failures, &cl->timeouts, &cl->late, &cl->denied,
				       &cl->throttled, &cl->cancelled };
	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
		if (sim_track_count(ctx, counts[i]) < 0)
			return -1;
	for (int r = 0; r < NREASONS; r++)
		if (sim_track_count(ctx, &cl->dropped[r]) < 0)
			return -1;
	if (cl->conf->breaker && mdl_breaker_init(ctx, &cl->breaker, &cl->conf->breaker_conf) < 0)
		return -1;
	if (cl->conf->aimd && mdl_limit_init(ctx, &cl->limit, &cl->conf->limit_conf) < 0)
		return -1;
	if (cl->conf->throttle &&
	    (sim_probe_count(ctx, "throttled", &cl->throttled) < 0 ||
	     sim_probe_fn(ctx, "throttle_p", mdl_throttle_p, &cl->throttle) < 0))
		return -1;
	if (!cl->rng || !throttle_rng || sim_track_level(ctx, &cl->in_flight) < 0 ||
	    sim_track_hist(ctx, &cl->latency) < 0 ||
	    sim_probe_count(ctx, "requests", &cl->requests) < 0 ||
	    sim_probe_count(ctx, "attempts", &cl->attempts) < 0 ||
	    sim_probe_count(ctx, "retries", &cl->retries) < 0 ||
	    sim_probe_count(ctx, "timeouts", &cl->timeouts) < 0 ||
	    sim_probe_count(ctx, "successes", &cl->successes) < 0 ||
	    sim_probe_count(ctx, "failures", &cl->failures) < 0 ||
	    sim_probe_count(ctx, "late_completions", &cl->late) < 0 ||
	    sim_probe_level(ctx, "in_flight", &cl->in_flight) < 0 ||
	    sim_probe_p99(ctx, "latency_p99_s", &cl->latency_iv) < 0)
		return -1;
	if (cl->conf->cancel && sim_probe_count(ctx, "cancelled", &cl->cancelled) < 0)
		return -1;
	return 0;
}

static void fini(void *state)
{
	struct client *cl = state;
	sim_timerq_fini(&cl->timers);
	mdl_breaker_fini(&cl->breaker);
	mdl_roots_fini(&cl->roots);
}

static void finish(struct sim_ctx *ctx, void *state, struct sim_json *o)
{
	struct client *cl = state;
	double span = sim_measured_s(ctx);
	double req = (double)sim_count_value(&cl->requests);
	double att = (double)sim_count_value(&cl->attempts);
	double ok = (double)sim_count_value(&cl->successes);
	sim_json_num(o, "requests", req);
	sim_json_num(o, "attempts", att);
	sim_json_num(o, "retries", (double)sim_count_value(&cl->retries));
	sim_json_num(o, "successes", ok);
	sim_json_num(o, "failures", (double)sim_count_value(&cl->failures));
	sim_json_num(o, "timeouts", (double)sim_count_value(&cl->timeouts));
	sim_json_num(o, "amplification", req > 0 ? att / req : 0);
	mdl_roots_finish(ctx, &cl->roots, att, o);
	if (cl->conf->cancel)
		sim_json_num(o, "cancelled", (double)sim_count_value(&cl->cancelled));
	sim_json_num(o, "goodput_per_s", span > 0 ? ok / span : 0);
	sim_json_num(o, "late_completions", (double)sim_count_value(&cl->late));
	sim_json_num(o, "retries_denied", (double)sim_count_value(&cl->denied));
	sim_json_num(o, "throttled", (double)sim_count_value(&cl->throttled));
	if (cl->conf->breaker)
		mdl_breaker_finish(&cl->breaker, o);
	if (cl->conf->aimd)
		mdl_limit_finish(&cl->limit, o);
	struct sim_json *d = sim_json_obj(o, "dropped");
	for (unsigned r = 0; r < NREASONS; r++)
		if (r != R_CANCELLED || sim_cancels(ctx))
			sim_json_num(d, reasons[r].name, (double)sim_count_value(&cl->dropped[r]));
	sim_json_num(o, "in_flight_at_end", cl->in_flight.value);
	sim_json_hist(o, "latency_s", &cl->latency);
}

/* ---- how a client is measured and shown --------------------------------- */

static const struct sim_metric_desc metrics[] = {
	{ .name = "requests", .type = SIM_METRIC_COUNTER, .label = "requests", .headline = 1,
	  .report = 1, .what = "requests", .doc = "requests received" },
	{ .name = "attempts", .type = SIM_METRIC_COUNTER, .what = "attempts",
	  .doc = "attempts sent, first tries and retries" },
	{ .name = "retries", .type = SIM_METRIC_COUNTER, .what = "attempts", .doc = "retries sent" },
	{ .name = "successes", .type = SIM_METRIC_COUNTER, .what = "requests",
	  .doc = "requests that succeeded" },
	{ .name = "failures", .type = SIM_METRIC_COUNTER, .what = "requests",
	  .doc = "requests that failed (given up, or refused by the client)" },
	{ .name = "timeouts", .type = SIM_METRIC_COUNTER, .label = "timeouts", .headline = 3,
	  .report = 3, .what = "attempts", .doc = "attempts the client gave up on after `timeout`" },
	{ .name = "amplification", .type = SIM_METRIC_RATIO, .better = SIM_BETTER_LOWER,
	  .label = "attempts per request", .headline = 2, .report = 2, .combine = SIM_COMBINE_EACH,
	  .figure = "amplification", .figure_label = "%s attempts per request",
	  .doc = "attempts / requests: the retry amplification" },
	{ .name = "attempts_per_request", .type = SIM_METRIC_RATIO, .better = SIM_BETTER_LOWER,
	  .label = "attempts per user request", .combine = SIM_COMBINE_EACH,
	  .figure = "attempts_per_request", .figure_label = "%s attempts per user request",
	  .figure_optional = true, .cond = "below the edge (its requests made by another client or a pool's calls)",
	  .doc = "attempts / requests that entered at the producers at the roots of its work: retries multiplied over every tier above" },
	{ .name = "cancelled", .type = SIM_METRIC_COUNTER, .what = "attempts",
	  .cond = "with `cancel_on_timeout`", .doc = "attempts given up on and cancelled" },
	{ .name = "goodput_per_s", .type = SIM_METRIC_RATIO, .unit = SIM_UNIT_PER_S,
	  .better = SIM_BETTER_HIGHER, .label = "goodput", .headline = 4, .report = 4,
	  .what = "requests", .doc = "successes per second" },
	{ .name = "late_completions", .type = SIM_METRIC_COUNTER, .what = "attempts",
	  .doc = "attempts completed after the client gave up on them: wasted work" },
	{ .name = "retries_denied", .type = SIM_METRIC_COUNTER, .what = "requests",
	  .doc = "retries refused by the budget (each fails its request)" },
	{ .name = "throttled", .type = SIM_METRIC_COUNTER, .what = "requests",
	  .doc = "requests refused by the throttle" },
	{ .name = "breaker_opened", .type = SIM_METRIC_COUNTER, .what = "times",
	  .cond = "with `breaker`", .doc = "times the breaker opened" },
	{ .name = "final_limit", .type = SIM_METRIC_LEVEL, .what = "attempts", .cond = "with `limit`",
	  .doc = "the concurrency limit when the run ended" },
	{ .name = "dropped", .type = SIM_METRIC_REASONS, .label = "dropped", .report = 6,
	  .what = "requests",
	  .doc = "`{timeout, error, retry_budget, throttled, breaker_open, limited}`: requests dropped at the client, by reason; also `cancelled` when a client may cancel (`cancel_on_timeout`)" },
	{ .name = "in_flight_at_end", .type = SIM_METRIC_LEVEL, .what = "requests",
	  .doc = "requests still open when the run ended" },
	{ .name = "latency_s", .type = SIM_METRIC_HIST, .unit = SIM_UNIT_SECONDS, .label = "latency",
	  .headline = 5, .report = 5, .report_pct = SIM_PCT_P99,
	  .doc = "latency, from a request's arrival at the client to its success" },
	{ .name = NULL },
};

static bool has_breaker(const void *conf)
{
	return ((const struct client_conf *)conf)->breaker;
}

static bool has_limit(const void *conf)
{
	return ((const struct client_conf *)conf)->aimd;
}

static bool has_cancel(const void *conf)
{
	return ((const struct client_conf *)conf)->cancel;
}

static bool has_throttle(const void *conf)
{
	return ((const struct client_conf *)conf)->throttle;
}

static const struct sim_column_desc columns[] = {
	{ .metric = "breaker_state", .when = has_breaker,
	  .what = "state", .cond = "with `breaker`",
	  .doc = "the breaker, 0 closed, 1 open, 2 half open" },
	{ .metric = "breaker_rejected", .counter = true, .when = has_breaker,
	  .what = "requests", .cond = "with `breaker`",
	  .doc = "requests refused by the breaker, open or half open with its probes out" },
	{ .metric = "limit", .when = has_limit, .what = "attempts", .cond = "with `limit`",
	  .doc = "the current concurrency limit" },
	{ .metric = "limited", .counter = true, .when = has_limit,
	  .what = "requests", .cond = "with `limit`", .doc = "requests refused by the limit" },
	{ .metric = "throttled", .counter = true, .when = has_throttle,
	  .what = "requests", .cond = "with `throttle`", .doc = "requests refused by the throttle" },
	{ .metric = "throttle_p", .unit = SIM_UNIT_SHARE, .when = has_throttle,
	  .cond = "with `throttle`", .doc = "the current refusal probability" },
	{ .metric = "requests", .counter = true, .what = "requests", .doc = "requests received" },
	{ .metric = "attempts", .counter = true, .what = "attempts",
	  .doc = "attempts sent, first tries and retries" },
	{ .metric = "retries", .counter = true, .what = "attempts", .doc = "retries sent" },
	{ .metric = "timeouts", .counter = true, .what = "attempts",
	  .group = SIM_GROUP_CHAIN, .group_title = "%s: timeouts per second (right)",
	  .doc = "attempts the client gave up on after `timeout`" },
	{ .metric = "successes", .counter = true, .group = SIM_GROUP_FLOW, .group_title = "goodput: %s",
	  .what = "requests", .doc = "requests that succeeded" },
	{ .metric = "failures", .counter = true, .group = SIM_GROUP_DROPS,
	  .group_title = "%s: requests given up", .what = "requests",
	  .doc = "requests that failed (given up, or refused by the client)" },
	{ .metric = "late_completions", .counter = true, .what = "attempts",
	  .doc = "attempts completed after the client gave up on them: wasted work" },
	{ .metric = "in_flight", .what = "requests", .doc = "requests open at the client" },
	{ .metric = "latency_p99_s", .unit = SIM_UNIT_SECONDS, .sampled = "p99 over the interval",
	  .doc = "latency of the requests that succeeded in the interval" },
	{ .metric = "cancelled", .counter = true, .when = has_cancel, .what = "attempts",
	  .cond = "with `cancel_on_timeout`", .doc = "attempts given up on and cancelled" },
	{ .metric = NULL },
};

static const struct sim_chart_desc charts[] = {
	{ .name = "client-%s", .title = "Client %s: attempts, retries and timeouts",
	  .ylabel = "per second",
	  .lines = { { "requests", "requests", 1, 1 }, { "attempts", "attempts", 1, 1 },
		     { "retries", "retries", 1, 1 }, { "timeouts", "timeouts", 1, 1 },
		     { "successes", "successes", 1, 1 } } },
	{ .name = NULL },
};

static const struct sim_report_desc report = { .heading = "Clients",
					       .note = mdl_roots_report_note };

/* Facts for the sanity checks (sim/lint.h). */
static void lint(struct sim_lint *l, const void *conf)
{
	const struct client_conf *cc = conf;
	sim_lint_sends(l, cc->to, 1);
	if (cc->throttle || cc->breaker || cc->aimd || cc->cancel)
		sim_lint_drops(l);	/* refuses or cancels requests */
	if (isfinite(cc->timeout)) {
		sim_lint_timeout(l, cc->timeout, "timeout");
	} else {
		sim_lint_fixed(l, "timeouts", 0);
		sim_lint_fixed(l, "late_completions", 0);
	}
	sim_lint_retries(l, cc->retries, cc->backoff.base > 0, "retries");
	if (!cc->retries)
		sim_lint_fixed(l, "retries", 0);
}

const struct sim_model_ops mdl_client_ops = {
	.name = "client",
	.keys = keys,
	.metrics = metrics,
	.columns = columns,
	.charts = charts,
	.report = &report,
	.reasons = reasons,
	.conf_size = sizeof(struct client_conf),
	.state_size = sizeof(struct client),
	.configure = configure,
	.init = init,
	.fini = fini,
	.handle = mdl_client_handle,
	.receive = mdl_client_receive,
	.notify = mdl_client_notify,
	.cancel = mdl_client_cancel,
	.cancels = has_cancel,
	.finish = finish,
	.lint = lint,
};
