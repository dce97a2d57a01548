/* database.c - a saturating dependency: connections, a FIFO wait for one,
 * and the Universal Scalability Law.
 *
 * With n queries running, each progresses at 1/f(n) of its speed alone,
 *   f(n) = 1 + contention (n - 1) + coherency n (n - 1),
 * so throughput n / (S f(n)) peaks at n* = sqrt((1 - contention) /
 * coherency) and then falls.  The slowdown applies exactly while queries
 * run: all running queries share a virtual work clock v that advances at
 * 1/f(n) per second; a query needing S seconds alone finishes when v has
 * grown by S.  Every change of n re-times the next completion.
 *
 * A call (sim_call from a worker) waits for a connection in FIFO order.
 * With `timeout`, a call not finished that long after it arrived fails,
 * waiting or running, and its item is dropped (db_timeout).  With
 * `failure` p, a call fails at once with probability p (db_error).  A
 * cancelled call (sim_cancel_work) is taken out at once, waiting or
 * running, and dropped (cancelled).
 *
 * Bulkheads (`bulkheads`, models/database_wait.c): calls from a worker
 * pool hold at most so many connections at once; the rest wait in the
 * pool's own FIFO.
 *
 * A `schedule` (models/depsched.c) changes it over time: a slowdown,
 * `service`, `failure`, `connections`, outages; see
 * models/database_schedule.c.
 *
 * Invariant: item->tag is the item's heap index + 1 while it runs, WAITING
 * while it waits, HUNG once hung, and the running heap is ordered by
 * finish time in v.  The database's state is shared by these files in
 * models/database_private.h.
 */
#include "models/database.h"
#include "models/database_private.h"

#include <math.h>
#include <stdlib.h>

static const struct sim_reason_desc reasons[] = {
	[R_DB_TIMEOUT] = { "db_timeout", "the call did not finish within the database's `timeout`" },
	[R_DB_ERROR] = { "db_error", "the call failed at once (`failure`)" },
	[R_DB_CANCELLED] = { "cancelled", "the call's work was cancelled (a client's `cancel_on_timeout`)" },
	[R_DB_DOWN] = { "down", "the call failed at once: the database was down (`down: fail` in its `schedule`)" },
	{ NULL, NULL },
};

static const char *const keys[] = {
	"connections", "service", "contention", "coherency", "timeout", "failure", "bulkheads",
	"schedule", NULL,
};

static int configure(struct sim_cfg *c, const struct sim_node *map, void *conf)
{
	struct database_conf *dc = conf;
	int bad = 0;
	dc->timeout = INFINITY;
	if (sim_cfg_count(c, map, "connections", &dc->connections, 1, 1000000, SIM_CFG_REQUIRED) < 0)
		bad = -1;
	if (sim_dist_cfg(c, map, "service", &dc->service, SIM_CFG_REQUIRED) < 0)
		bad = -1;
	if (sim_cfg_number(c, map, "contention", &dc->contention, 0, 1, 0) < 0)
		bad = -1;
	if (sim_cfg_number(c, map, "coherency", &dc->coherency, 0, 1, 0) < 0)
		bad = -1;
	if (sim_cfg_number(c, map, "failure", &dc->failure, 0, 1, 0) < 0)
		bad = -1;
	if (sim_cfg_duration(c, map, "timeout", &dc->timeout, SIM_CFG_POSITIVE) < 0)
		bad = -1;
	const struct sim_node *bh = sim_node_get(map, "bulkheads");
	if (bh && (bh->type != SIM_NODE_MAP || bh->n > MAX_BULKHEADS)) {
		sim_cfg_error(c, bh, "expected a map of worker pools to connection counts (at most %d) for 'bulkheads' in database '%s'",
			      MAX_BULKHEADS, c->name);
		bad = -1;
	} else if (bh) {
		for (size_t i = 0; i < bh->n; i++) {
			if (sim_cfg_link_of(c, bh->kids[2 * i], "bulkheads", "workers", &dc->bh_caller[i],
					    SIM_CFG_REFERENCE) < 0 ||
			    sim_cfg_count(c, bh, bh->kids[2 * i]->str, &dc->bh_limit[i], 1, dc->connections ? dc->connections : 1000000, 0) < 0)
				bad = -1;
		}
		dc->nbh = bh->n;
	}
	static const struct mdl_depsched_kind sched_kind = {
		"connections", MDL_DS_SLOWDOWN | MDL_DS_SERVICE | MDL_DS_FAILURE | MDL_DS_SIZE | MDL_DS_DOWN,
	};
	if (mdl_depsched_cfg(c, map, &sched_kind, &dc->sched) < 0)
		bad = -1;
	return bad;
}

static int init(struct sim_ctx *ctx, void *state, const void *conf)
{
	struct database *db = state;
	db->conf = conf;
	db->timers.kind = EV_TIMEOUT;
	db->connections = db->conf->connections;
	db->failure = db->conf->failure;
	db->service = &db->conf->service;
	db->runs.v = calloc(mdl_depsched_max_size(&db->conf->sched, db->conf->connections),
			    sizeof *db->runs.v);
	db->svc = sim_rng(ctx, "service");
	db->fail = sim_rng(ctx, "failure");
	if (!db->runs.v || !db->svc || !db->fail ||
	    sim_track_count(ctx, &db->calls) < 0 || sim_track_count(ctx, &db->completed) < 0 ||
	    sim_track_count(ctx, &db->timeouts) < 0 || sim_track_count(ctx, &db->failures) < 0 ||
	    sim_track_count(ctx, &db->cancelled) < 0 ||
	    sim_track_level(ctx, &db->running) < 0 || sim_track_level(ctx, &db->waiting_level) < 0 ||
	    sim_track_hist(ctx, &db->latency) < 0 ||
	    sim_probe_level(ctx, "running", &db->running) < 0 ||
	    sim_probe_level(ctx, "waiting", &db->waiting_level) < 0 ||
	    sim_probe_count(ctx, "calls", &db->calls) < 0 ||
	    sim_probe_count(ctx, "completed", &db->completed) < 0 ||
	    sim_probe_count(ctx, "timeouts", &db->timeouts) < 0 ||
	    sim_probe_p99(ctx, "latency_p99_s", &db->latency_iv) < 0 ||
	    mdl_depsched_init(ctx, &db->conf->sched, &db->now, false) < 0)
		return -1;
	return 0;
}

static void start_schedule(struct sim_ctx *ctx, void *state)
{
	const struct database *db = state;
	mdl_depsched_start(ctx, &db->conf->sched, EV_SCHEDULE);
}

static void fini(void *state)
{
	struct database *db = state;
	free(db->runs.v);
	free(db->wait.v);
	for (size_t i = 0; i < MAX_BULKHEADS; i++)
		free(db->bh_wait[i].v);
	sim_timerq_fini(&db->timers);
}

/* f(n), times the schedule's slowdown (1 without one: exact) */
static inline double slowdown(const struct database *db, double n)
{
	const struct database_conf *dc = db->conf;
	return db->now.slowdown * (1 + dc->contention * (n - 1) + dc->coherency * n * (n - 1));
}

/* Brings the virtual clock to now. */
void mdl_database_advance(struct database *db, double now)
{
	if (db->runs.n)
		db->v += (now - db->t_last) / slowdown(db, (double)db->runs.n);
	db->t_last = now;
}

void mdl_database_reschedule(struct sim_ctx *ctx, struct database *db)
{
	if (db->done)
		sim_cancel(ctx, db->done);
	db->done = 0;
	sim_level_set(&db->running, sim_now(ctx), (double)db->runs.n);
	if (!db->runs.n)
		return;
	double left = db->runs.v[0].finish_v - db->v;
	if (left < 0)
		left = 0;
	db->done = sim_schedule(ctx, left * slowdown(db, (double)db->runs.n), EV_DONE, NULL);
}

void mdl_database_start(struct sim_ctx *ctx, struct database *db, struct sim_item *it)
{
	mdl_database_advance(db, sim_now(ctx));
	double s = sim_dist_sample(db->service, db->svc);
	mdl_runs_push(&db->runs, db->v + s, it);
}

static void receive(struct sim_ctx *ctx, void *state, struct sim_item *it)
{
	struct database *db = state;
	const struct database_conf *dc = db->conf;
	double now = sim_now(ctx);
	sim_count_add(&db->calls, 1);
	if (__builtin_expect(it->flags & SIM_ITEM_CANCELLED, 0)) {
		sim_count_add(&db->cancelled, 1);
		sim_drop(ctx, it, R_DB_CANCELLED);
		return;
	}
	if (db->now.down == MDL_DS_FAIL) {
		mdl_database_lose(ctx, db, it);
		return;
	}
	if (!db->now.down && db->failure > 0 && gsl_rng_uniform(db->fail) < db->failure) {
		sim_count_add(&db->failures, 1);
		sim_drop(ctx, it, R_DB_ERROR);
		return;
	}
	it->hold_s = now;	/* when the call arrived */
	if (isfinite(dc->timeout) && sim_timerq_push(ctx, &db->timers, it, now + dc->timeout) < 0) {
		sim_drop(ctx, it, R_DB_ERROR);
		return;
	}
	if (db->now.down) {
		mdl_database_lose(ctx, db, it);	/* hangs, its timeout still set */
		return;
	}
	if (mdl_database_may_start(db, mdl_database_bulkhead_of(db, it))) {
		mdl_database_start_counted(ctx, db, it);
		mdl_database_reschedule(ctx, db);
		return;
	}
	if (mdl_database_enqueue(db, it) < 0) {
		sim_stop(ctx, "out of memory for database waiters");
		sim_drop(ctx, it, R_DB_ERROR);
		return;
	}
	sim_level_set(&db->waiting_level, now, (double)db->waiting);
}

static void complete_due(struct sim_ctx *ctx, struct database *db)
{
	double now = sim_now(ctx);
	db->done = 0;
	mdl_database_advance(db, now);
	while (db->runs.n && db->runs.v[0].finish_v <= db->v + 1e-12 * (1 + fabs(db->v))) {
		struct sim_item *it = mdl_runs_remove(&db->runs, 0);
		int b = mdl_database_bulkhead_of(db, it);
		if (b >= 0)
			db->bh_running[b]--;
		mdl_database_fill(ctx, db);
		double lat = now - it->hold_s;
		sim_count_add(&db->completed, 1);
		sim_hist_add(&db->latency, lat);
		sim_hist_add(&db->latency_iv, lat);
		sim_return(ctx, it);	/* may call again: mdl_database_start() keeps v current */
	}
	mdl_database_reschedule(ctx, db);
}

/* Takes a call that waits or runs here out of the database: false when
 * it is not here.  *changed: a running query left (reschedule). */
static bool take_out(struct sim_ctx *ctx, struct database *db, struct sim_item *it, bool *changed)
{
	double now = sim_now(ctx);
	if (it->tag == HUNG) {	/* held by nothing: just let go */
		it->tag = 0;
		return true;
	}
	if (it->tag == WAITING) {
		it->tag = 0;
		db->waiting--;
		sim_level_set(&db->waiting_level, now, (double)db->waiting);
		return true;
	}
	if (!(it->tag >= 1 && it->tag <= db->runs.n && db->runs.v[it->tag - 1].item == it))
		return false;
	mdl_database_advance(db, now);
	mdl_runs_remove(&db->runs, (size_t)(it->tag - 1));
	int b = mdl_database_bulkhead_of(db, it);
	if (b >= 0)
		db->bh_running[b]--;
	mdl_database_fill(ctx, db);
	*changed = true;
	return true;
}

static void cancel(struct sim_ctx *ctx, void *state, struct sim_item *it)
{
	struct database *db = state;
	bool changed = false;
	if (!take_out(ctx, db, it, &changed))
		return;
	sim_count_add(&db->cancelled, 1);
	sim_drop(ctx, it, R_DB_CANCELLED);
	if (changed)
		mdl_database_reschedule(ctx, db);
}

static void expire(struct sim_ctx *ctx, struct database *db)
{
	struct sim_item *it;
	bool changed = false;
	double now = sim_now(ctx);
	while (sim_timerq_next_due(ctx, &db->timers, &it)) {
		/* still this call, here?  The item may have returned and moved
		 * on, or be calling again (then it arrived later) */
		if (it->caller == SIM_NONE || now < it->hold_s + db->conf->timeout ||
		    !take_out(ctx, db, it, &changed))
			continue;
		sim_count_add(&db->timeouts, 1);
		sim_drop(ctx, it, R_DB_TIMEOUT);
	}
	if (changed)
		mdl_database_reschedule(ctx, db);
}

static void handle(struct sim_ctx *ctx, void *state, uint32_t kind, struct sim_item *unused)
{
	(void)unused;
	if (kind == EV_DONE)
		complete_due(ctx, state);
	else if (kind == EV_TIMEOUT)
		expire(ctx, state);
	else
		mdl_database_boundary(ctx, state);
}

static void finish(struct sim_ctx *ctx, void *state, struct sim_json *o)
{
	struct database *db = state;
	double now = sim_now(ctx), span = sim_measured_s(ctx);
	double run = sim_level_mean(&db->running, now);
	double done = (double)sim_count_value(&db->completed);
	sim_json_num(o, "calls", (double)sim_count_value(&db->calls));
	sim_json_num(o, "completed", done);
	sim_json_num(o, "timeouts", (double)sim_count_value(&db->timeouts));
	sim_json_num(o, "failures", (double)sim_count_value(&db->failures));
	if (sim_cancels(ctx))
		sim_json_num(o, "cancelled", (double)sim_count_value(&db->cancelled));
	sim_json_num(o, "utilization", run / (double)db->conf->connections);
	sim_json_num(o, "mean_running", run);
	sim_json_num(o, "mean_waiting", sim_level_mean(&db->waiting_level, now));
	sim_json_num(o, "max_waiting", db->waiting_level.max);
	sim_json_num(o, "throughput_per_s", span > 0 ? done / span : 0);
	sim_json_num(o, "mean_latency_s", db->latency.n ? sim_hist_mean(&db->latency) : 0);
	sim_json_hist(o, "latency_s", &db->latency);
	mdl_depsched_json(o, &db->conf->sched, &db->now);
}

static bool window(const void *conf, double *from, double *to)
{
	return mdl_depsched_window(&((const struct database_conf *)conf)->sched, from, to);
}

static size_t spans(const void *conf, struct sim_span *out, size_t max)
{
	return mdl_depsched_spans(&((const struct database_conf *)conf)->sched, out, max);
}

static bool scheduled(const void *conf)
{
	return ((const struct database_conf *)conf)->sched.n > 0;
}

/* ---- how a database is measured and shown ------------------------------- */

static const struct sim_metric_desc metrics[] = {
	{ .name = "calls", .type = SIM_METRIC_COUNTER, .what = "calls", .doc = "calls received" },
	{ .name = "completed", .type = SIM_METRIC_COUNTER, .what = "calls", .doc = "calls that returned" },
	{ .name = "timeouts", .type = SIM_METRIC_COUNTER, .label = "timeouts", .headline = 4,
	  .report = 3, .what = "calls", .doc = "calls failed by `timeout`" },
	{ .name = "failures", .type = SIM_METRIC_COUNTER, .what = "calls",
	  .doc = "calls failed at once by `failure`" },
	{ .name = "cancelled", .type = SIM_METRIC_COUNTER, .what = "calls",
	  .cond = "when a client may cancel (`cancel_on_timeout`)",
	  .doc = "calls taken out, waiting or running, because their work was cancelled" },
	{ .name = "utilization", .type = SIM_METRIC_TIME_AVG, .unit = SIM_UNIT_SHARE,
	  .label = "utilisation", .headline = 1, .report = 1,
	  .doc = "time-average running / connections" },
	{ .name = "mean_running", .type = SIM_METRIC_TIME_AVG, .what = "queries",
	  .doc = "time-average queries running" },
	{ .name = "mean_waiting", .type = SIM_METRIC_TIME_AVG, .what = "calls",
	  .doc = "time-average calls waiting for a connection" },
	{ .name = "max_waiting", .type = SIM_METRIC_LEVEL, .label = "peak waiting", .headline = 3,
	  .report = 2, .what = "calls", .doc = "most calls waiting at once" },
	{ .name = "throughput_per_s", .type = SIM_METRIC_RATIO, .unit = SIM_UNIT_PER_S, .headline = 2,
	  .what = "calls", .doc = "calls returned per second" },
	{ .name = "mean_latency_s", .type = SIM_METRIC_RATIO, .unit = SIM_UNIT_SECONDS,
	  .doc = "mean latency, from the arrival of the call to its return" },
	{ .name = "latency_s", .type = SIM_METRIC_HIST, .unit = SIM_UNIT_SECONDS, .label = "latency",
	  .headline = 5, .report = 4, .report_pct = SIM_PCT_P50 | SIM_PCT_P99,
	  .doc = "latency, from the arrival of the call to its return" },
	{ .name = "down_failures", .type = SIM_METRIC_COUNTER, .what = "calls", .cond = "with `schedule`",
	  .doc = "calls failed at once while `down: fail` held (drop reason `down`)" },
	{ .name = "hung", .type = SIM_METRIC_COUNTER, .what = "calls", .cond = "with `schedule`",
	  .doc = "calls left unanswered: waiting, running or arriving while `down: hang` held (a `timeout` may still end them)" },
	{ .name = NULL },
};

static const struct sim_column_desc columns[] = {
	{ .metric = "running", .what = "queries", .doc = "queries running" },
	{ .metric = "waiting", .what = "calls", .doc = "calls waiting for a connection" },
	{ .metric = "calls", .counter = true, .what = "calls", .doc = "calls received" },
	{ .metric = "completed", .counter = true, .what = "calls", .doc = "calls that returned" },
	{ .metric = "timeouts", .counter = true, .group = SIM_GROUP_DROPS,
	  .group_title = "%s: call timeouts", .what = "calls",
	  .doc = "calls failed by `timeout`" },
	{ .metric = "latency_p99_s", .unit = SIM_UNIT_SECONDS, .sampled = "p99 over the interval",
	  .doc = "latency of the calls that returned in the interval" },
	{ .metric = "slowdown", .when = scheduled, .cond = "with `schedule`",
	  .doc = "the slowdown factor its schedule sets (1 when none holds)" },
	{ .metric = "down", .when = scheduled, .cond = "with `schedule`",
	  .doc = "0 while up, 1 while `down: fail` holds, 2 while `down: hang` holds" },
	{ .metric = NULL },
};

static const struct sim_chart_desc charts[] = {
	{ .name = "database-%s", .title = "Database %s: queries running and waiting, p99 latency",
	  .ylabel = "queries", .y2label = "p99 latency (ms)",
	  .lines = { { "running", "running (left)", 1, 1 },
		     { "waiting", "waiting for a connection (left)", 1, 1 },
		     { "latency_p99_s", "p99 latency (right)", 2, 1000 } } },
	{ .name = NULL },
};

static const struct sim_report_desc report = { .heading = "Databases" };

/* Facts for the sanity checks (sim/lint.h): the most calls per second
 * the Universal Scalability Law lets its connections run. */
static void lint(struct sim_lint *l, const void *conf)
{
	const struct database_conf *dc = conf;
	double top = (double)dc->connections, best = 0;
	double peak = dc->coherency > 0 ? sqrt((1 - dc->contention) / dc->coherency) : top;
	const double cand[] = { 1, floor(peak), ceil(peak), top };
	for (size_t i = 0; i < 4; i++) {
		double x = fmin(fmax(cand[i], 1), top);
		best = fmax(best, x / (1 + dc->contention * (x - 1) + dc->coherency * x * (x - 1)));
	}
	sim_lint_serves(l, best, dc->service.mean * (1 - dc->failure));
	if (isfinite(dc->timeout))
		sim_lint_sheds(l);
	else
		sim_lint_fixed(l, "timeouts", 0);
	if (dc->failure > 0)
		sim_lint_drops(l);
	sim_lint_takes(l, &dc->service);
}

const struct sim_model_ops mdl_database_ops = {
	.name = "database",
	.flags = SIM_MODEL_ANSWERS,
	.keys = keys,
	.metrics = metrics,
	.columns = columns,
	.charts = charts,
	.report = &report,
	.reasons = reasons,
	.conf_size = sizeof(struct database_conf),
	.state_size = sizeof(struct database),
	.configure = configure,
	.init = init,
	.fini = fini,
	.start = start_schedule,
	.handle = handle,
	.receive = receive,
	.cancel = cancel,
	.window = window,
	.spans = spans,
	.finish = finish,
	.lint = lint,
};
