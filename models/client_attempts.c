/* client_attempts.c - a client's attempts: each request held here is
 * sent downstream as attempts, one at a time; an attempt ends in success
 * (completed, or accepted by a queue with `ack: enqueue`), in failure
 * (dropped downstream) or in a timeout, and the request is retried after
 * a backoff, or fails.  The retry budget, the throttle, the circuit
 * breaker and the concurrency limit each may refuse an attempt here.  A
 * part of the `client` model (models/client.c); its state is struct
 * client (models/client_private.h).
 *
 * Invariant: a request's tag is the id of its attempt in progress, and
 * its next that attempt, or tag is 0 while it waits for a retry; anything
 * an old attempt reports is stale.
 * Timeouts share one duration, so they sit in a FIFO timer queue.
 */
#include "models/client_private.h"

#include <math.h>

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

void mdl_client_receive(struct sim_ctx *ctx, void *state, struct sim_item *req)
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

void mdl_client_handle(struct sim_ctx *ctx, void *state, uint32_t kind, struct sim_item *it)
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
void mdl_client_cancel(struct sim_ctx *ctx, void *state, struct sim_item *req)
{
	struct client *cl = state;
	if (!req->tag)
		return;
	struct sim_item *a = req->next;
	fail(ctx, cl, req, R_CANCELLED);	/* req->tag becomes 0 at once */
	sim_cancel_work(ctx, a);
}

void mdl_client_notify(struct sim_ctx *ctx, void *state, struct sim_item *a, enum sim_outcome out,
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
