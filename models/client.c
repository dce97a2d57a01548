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
 * Invariant: a request's tag is the id of its attempt in progress, and
 * its next that attempt, or tag is 0 while it waits for a retry; anything
 * an old attempt reports is stale.
 * Timeouts share one duration, so they sit in a FIFO timer queue.
 */
#include "models/client.h"

#include <math.h>

#include "models/backoff.h"
#include "models/breaker.h"
#include "models/budget.h"
#include "models/limit.h"
#include "models/roots.h"
#include "models/throttle.h"

enum { EV_TIMEOUT, EV_RETRY };

/* Why a client gives a request up: indices in reasons[]. */
enum { R_TIMEOUT, R_ERROR, R_RETRY_BUDGET, R_THROTTLED, R_BREAKER_OPEN, R_LIMITED, R_CANCELLED,
       NREASONS };

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

struct client_conf {
	double timeout;		/* seconds; INFINITY none */
	uint64_t retries;
	struct sim_backoff backoff;
	bool budget;
	struct mdl_budget_conf budget_conf;
	bool throttle;
	struct mdl_throttle_conf throttle_conf;
	bool breaker;
	struct mdl_breaker_conf breaker_conf;
	bool aimd;		/* a concurrency limit, of either kind */
	struct mdl_limit_conf limit_conf;
	uint32_t to;
	bool propagate;		/* propagate_deadline */
	bool cancel;		/* cancel_on_timeout */
};

struct client {
	const struct client_conf *conf;
	gsl_rng *rng;
	struct sim_timerq timers;
	struct mdl_budget budget;
	struct mdl_throttle throttle;
	struct sim_count throttled;
	struct mdl_breaker breaker;
	struct mdl_limit limit;
	struct sim_count requests, attempts, retries, successes, failures, timeouts;
	struct sim_count late, denied;
	struct sim_count dropped[NREASONS];
	struct sim_level in_flight;
	struct sim_hist latency, latency_iv;
	struct sim_count cancelled;	/* attempts given up on and cancelled */
	struct mdl_roots roots;	/* models/roots.c */
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

/* Every attempt's end, for the breaker and the limit; latency is that of
 * a success. */
static void attempt_ended(struct sim_ctx *ctx, struct client *cl, bool failed, double latency)
{
	const struct client_conf *cc = cl->conf;
	if (cc->breaker)
		mdl_breaker_record(ctx, &cl->breaker, failed, latency);
	if (cc->aimd)	/* a failed attempt counts as a slow one: the timeout, if any */
		mdl_limit_ended(&cl->limit, failed, failed ? cc->timeout : latency);
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

/* ---- attempts ----------------------------------------------------------- */

static void fail(struct sim_ctx *ctx, struct client *cl, struct sim_item *req,
		 unsigned why);

static void send_attempt(struct sim_ctx *ctx, struct client *cl, struct sim_item *req)
{
	const struct client_conf *cc = cl->conf;
	double now = sim_now(ctx);
	if (cc->throttle && !mdl_throttle_allows(&cl->throttle, now)) {
		sim_count_add(&cl->throttled, 1);
		req->tag = 0;
		fail(ctx, cl, req, R_THROTTLED);
		return;
	}
	if (cc->breaker && !mdl_breaker_allows(ctx, &cl->breaker)) {
		req->tag = 0;
		fail(ctx, cl, req, R_BREAKER_OPEN);
		return;
	}
	if (cc->aimd && !mdl_limit_allows(&cl->limit)) {
		req->tag = 0;
		fail(ctx, cl, req, R_LIMITED);
		return;
	}
	struct sim_item *a = sim_item_new(ctx, req->cls);
	if (!a)
		return;		/* the run is stopping */
	if (cc->aimd)
		mdl_limit_sent(&cl->limit);
	a->parent = req;
	a->parent_id = req->id;
	a->root = req->root;
	a->key = req->key;
	a->attempt = ++req->attempt;
	a->deadline_s = now + cc->timeout;
	if (cc->propagate && req->deadline_s < a->deadline_s)
		a->deadline_s = req->deadline_s;
	req->tag = a->id;
	req->next = a;
	sim_count_add(&cl->attempts, 1);
	if (a->attempt > 1) {
		sim_count_add(&cl->retries, 1);
		if (cc->budget)
			mdl_budget_retry(&cl->budget, now);
	}
	if (isfinite(cc->timeout) && sim_timerq_push(ctx, &cl->timers, a, now + cc->timeout) < 0)
		return;
	sim_send(ctx, cc->to, a);
}

static void finish_request(struct sim_ctx *ctx, struct client *cl, struct sim_item *req)
{
	req->tag = 0;
	sim_level_add(&cl->in_flight, sim_now(ctx), -1);
}

static void succeed(struct sim_ctx *ctx, struct client *cl, struct sim_item *req)
{
	double lat = sim_now(ctx) - req->enqueued_s;
	if (cl->conf->throttle)
		mdl_throttle_accepted(&cl->throttle, sim_now(ctx));
	sim_count_add(&cl->successes, 1);
	sim_hist_add(&cl->latency, lat);
	sim_hist_add(&cl->latency_iv, lat);
	finish_request(ctx, cl, req);
	sim_complete(ctx, req);
}

static void fail(struct sim_ctx *ctx, struct client *cl, struct sim_item *req,
		 unsigned why)
{
	sim_count_add(&cl->failures, 1);
	sim_count_add(&cl->dropped[why], 1);
	finish_request(ctx, cl, req);
	sim_drop(ctx, req, why);
}

static void retry_or_fail(struct sim_ctx *ctx, struct client *cl, struct sim_item *req,
			  unsigned why)
{
	const struct client_conf *cc = cl->conf;
	req->tag = 0;
	if (req->attempt > cc->retries) {
		fail(ctx, cl, req, why);
		return;
	}
	if (cc->budget && !mdl_budget_allows(&cl->budget, sim_now(ctx))) {
		sim_count_add(&cl->denied, 1);
		fail(ctx, cl, req, R_RETRY_BUDGET);
		return;
	}
	double d = sim_backoff_sleep(&cc->backoff, req->attempt, &req->hold_s, cl->rng);
	if (d > 0)
		sim_schedule(ctx, d, EV_RETRY, req);
	else
		send_attempt(ctx, cl, req);
}

static void receive(struct sim_ctx *ctx, void *state, struct sim_item *req)
{
	struct client *cl = state;
	double now = sim_now(ctx);
	sim_count_add(&cl->requests, 1);
	sim_level_add(&cl->in_flight, now, 1);
	mdl_roots_note(ctx, &cl->roots, req);
	req->tag = 0;
	if (__builtin_expect(req->flags & SIM_ITEM_CANCELLED, 0)) {
		fail(ctx, cl, req, R_CANCELLED);	/* cancelled on its way here */
		return;
	}
	req->attempt = 0;
	req->hold_s = 0;
	req->enqueued_s = now;
	if (cl->conf->budget)
		mdl_budget_request(&cl->budget, now);
	send_attempt(ctx, cl, req);
}

/* The request an attempt belongs to, if the attempt is still its current one. */
static struct sim_item *current(struct sim_item *a)
{
	struct sim_item *req = a->parent;
	if (req && req->id == a->parent_id && req->tag == a->id)
		return req;
	return NULL;
}

static void handle(struct sim_ctx *ctx, void *state, uint32_t kind, struct sim_item *it)
{
	struct client *cl = state;
	if (kind == EV_RETRY) {
		if (it->flags & SIM_ITEM_CANCELLED)
			fail(ctx, cl, it, R_CANCELLED);
		else
			send_attempt(ctx, cl, it);
		return;
	}
	struct sim_item *a;
	while (sim_timerq_next_due(ctx, &cl->timers, &a)) {
		struct sim_item *req = current(a);
		if (!req)
			continue;
		attempt_ended(ctx, cl, true, 0);
		sim_count_add(&cl->timeouts, 1);
		if (cl->conf->cancel) {
			req->tag = 0;	/* what the cancelled attempt reports is stale */
			sim_count_add(&cl->cancelled, 1);
			sim_cancel_work(ctx, a);
		}
		retry_or_fail(ctx, cl, req, R_TIMEOUT);
	}
}

/* A request held here is cancelled from above: it is dropped with its
 * attempt in progress, or, waiting for a retry, when the retry is due. */
static void cancel(struct sim_ctx *ctx, void *state, struct sim_item *req)
{
	struct client *cl = state;
	if (!req->tag)
		return;
	struct sim_item *a = req->next;
	fail(ctx, cl, req, R_CANCELLED);	/* req->tag becomes 0 at once */
	sim_cancel_work(ctx, a);
}

static void notify(struct sim_ctx *ctx, void *state, struct sim_item *a, enum sim_outcome out,
		   const struct sim_reason_desc *reason)
{
	struct client *cl = state;
	(void)reason;
	struct sim_item *req = current(a);
	if (out == SIM_OUT_DROPPED) {
		if (req) {
			attempt_ended(ctx, cl, true, 0);
			retry_or_fail(ctx, cl, req, R_ERROR);
		}
		return;
	}
	if (req) {
		attempt_ended(ctx, cl, false, sim_now(ctx) - a->created_s);
		if (out == SIM_OUT_ACCEPTED)
			a->parent = NULL;	/* its later completion is no news */
		succeed(ctx, cl, req);
	} else if (out == SIM_OUT_COMPLETED && a->parent) {
		sim_count_add(&cl->late, 1);	/* done after its caller gave up */
	}
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
	.handle = handle,
	.receive = receive,
	.notify = notify,
	.cancel = cancel,
	.cancels = has_cancel,
	.finish = finish,
	.lint = lint,
};
