/* database_schedule.c - how a database meets its `schedule`
 * (models/depsched.c): its boundaries, and losing calls while down.  A
 * part of the `database` model (models/database.c); its state is struct
 * database (models/database_private.h).
 *
 * A slowdown F multiplies f(n): the virtual clock advances at
 * 1/(F f(n)), so running queries slow down and speed up again exactly as
 * under the USL.  `service`, `failure` and `connections` apply to calls
 * from then on (a smaller pool lets running queries finish).  At the
 * start of `down: fail`, every call waiting or running fails (reason
 * down), and so does every call that arrives while it holds; under
 * `down: hang` they are never answered: they stay in flight, held by no
 * connection, until the caller's `timeout` (the database's, or a
 * client's upstream) ends them.
 */
#include "models/database_private.h"

/* A call while the database is down: it fails at once, or hangs. */
void mdl_database_lose(struct sim_ctx *ctx, struct database *db, struct sim_item *it)
{
	if (db->now.down == MDL_DS_HANG) {
		it->tag = HUNG;
		sim_count_add(&db->now.hung, 1);
		return;
	}
	sim_count_add(&db->now.downs, 1);
	sim_drop(ctx, it, R_DB_DOWN);
}

/* Going down: every call waiting or running is lost.  Calls that arrive
 * meanwhile (a caller trying again) are lost at once in receive, so the
 * heap and the rings only shrink here. */
static void take_down(struct sim_ctx *ctx, struct database *db)
{
	while (db->runs.n) {
		struct sim_item *it = mdl_runs_remove(&db->runs, db->runs.n - 1);
		int b = mdl_database_bulkhead_of(db, it);
		if (b >= 0)
			db->bh_running[b]--;
		mdl_database_lose(ctx, db, it);
	}
	for (size_t i = 0; i <= db->conf->nbh; i++) {
		struct wring *r = i < db->conf->nbh ? &db->bh_wait[i] : &db->wait;
		struct sim_item *it;
		while ((it = mdl_database_ring_peek(r))) {
			mdl_database_ring_pop(r);
			it->tag = 0;
			db->waiting--;
			mdl_database_lose(ctx, db, it);
		}
	}
	sim_level_set(&db->waiting_level, sim_now(ctx), (double)db->waiting);
}

/* A boundary of the schedule: the virtual clock runs at the old pace up
 * to now, then what holds from now on applies. */
void mdl_database_boundary(struct sim_ctx *ctx, struct database *db)
{
	const struct database_conf *dc = db->conf;
	double now = sim_now(ctx);
	mdl_database_advance(db, now);
	unsigned changed = mdl_depsched_step(&dc->sched, &db->now, now);
	db->connections = db->now.size ? db->now.size : dc->connections;
	db->failure = db->now.failure >= 0 ? db->now.failure : dc->failure;
	db->service = db->now.service ? db->now.service : &dc->service;
	if ((changed & MDL_DS_DOWN) && db->now.down)
		take_down(ctx, db);
	mdl_database_fill(ctx, db);
	mdl_database_reschedule(ctx, db);
}
