/* database_private.h - the state of a database, shared by the files that
 * make up the `database` model: database.c (the USL, calls, timeouts),
 * database_wait.c (the wait for a connection, bulkheads) and
 * database_schedule.c (its schedule).  Nothing else includes it.
 */
#ifndef MDL_DATABASE_PRIVATE_H
#define MDL_DATABASE_PRIVATE_H

#include "sim/model.h"

#include "models/depsched.h"
#include "models/runs.h"

enum { EV_DONE, EV_TIMEOUT, EV_SCHEDULE };

#define WAITING UINT64_MAX
#define HUNG (UINT64_MAX - 1)

#define MAX_BULKHEADS 16

/* Why a database drops a call: indices in reasons[]. */
enum { R_DB_TIMEOUT, R_DB_ERROR, R_DB_CANCELLED, R_DB_DOWN };

struct database_conf {
	uint32_t bh_caller[MAX_BULKHEADS];	/* worker pools, resolved as links */
	uint64_t bh_limit[MAX_BULKHEADS];
	size_t nbh;
	uint64_t connections;
	struct sim_dist service;
	double contention, coherency;
	double timeout;		/* INFINITY none */
	double failure;
	struct mdl_depsched sched;
};

struct waiter {
	struct sim_item *item;
	uint64_t id;
};

/* A FIFO of waiting calls; entries of calls that timed out are stale. */
struct wring {
	struct waiter *v;
	size_t head, len, cap;
};

struct database {
	const struct database_conf *conf;
	gsl_rng *svc, *fail;
	struct mdl_runs runs;		/* models/runs.c */
	struct wring wait;		/* calls of pools without a bulkhead */
	struct wring bh_wait[MAX_BULKHEADS];
	uint64_t bh_running[MAX_BULKHEADS];
	uint64_t waiting;		/* live waiters */
	double v, t_last;
	sim_handle done;
	struct sim_timerq timers;
	struct sim_count calls, completed, timeouts, failures, cancelled;
	struct sim_level running, waiting_level;
	struct sim_hist latency, latency_iv;
	/* what the schedule says holds now */
	struct mdl_depsched_now now;
	uint64_t connections;
	double failure;
	const struct sim_dist *service;
};

/* database.c */
void mdl_database_advance(struct database *db, double now);
void mdl_database_reschedule(struct sim_ctx *ctx, struct database *db);
void mdl_database_start(struct sim_ctx *ctx, struct database *db, struct sim_item *it);

/* database_wait.c */
int mdl_database_bulkhead_of(const struct database *db, const struct sim_item *it);
bool mdl_database_may_start(const struct database *db, int b);
struct sim_item *mdl_database_ring_peek(struct wring *r);
void mdl_database_ring_pop(struct wring *r);
void mdl_database_start_counted(struct sim_ctx *ctx, struct database *db, struct sim_item *it);
void mdl_database_fill(struct sim_ctx *ctx, struct database *db);
int mdl_database_enqueue(struct database *db, struct sim_item *it);

/* database_schedule.c */
void mdl_database_lose(struct sim_ctx *ctx, struct database *db, struct sim_item *it);
void mdl_database_boundary(struct sim_ctx *ctx, struct database *db);

#endif
