/* client_private.h - the configuration and state of a client, shared by
 * the files that make up the `client` model: client.c (its configuration
 * and accounting) and client_attempts.c (the attempts, their timeouts and
 * retries).  Nothing else includes it.
 */
#ifndef MDL_CLIENT_PRIVATE_H
#define MDL_CLIENT_PRIVATE_H

#include "sim/model.h"

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

/* client_attempts.c: the client's sim_model_ops entries for requests and
 * their attempts. */
void mdl_client_receive(struct sim_ctx *ctx, void *state, struct sim_item *req);
void mdl_client_handle(struct sim_ctx *ctx, void *state, uint32_t kind, struct sim_item *it);
void mdl_client_cancel(struct sim_ctx *ctx, void *state, struct sim_item *req);
void mdl_client_notify(struct sim_ctx *ctx, void *state, struct sim_item *a, enum sim_outcome out,
		       const struct sim_reason_desc *reason);

#endif
