/* database_wait.c - the wait for a connection: the FIFO rings of waiting
 * calls and the bulkheads that share the connections among worker pools.
 * A part of the `database` model (models/database.c); its state is struct
 * database (models/database_private.h).
 *
 * Bulkheads (`bulkheads: {POOL: N, ...}`): calls from worker pool POOL
 * hold at most N connections at once; the rest wait in the pool's own
 * FIFO.  A freed connection goes to the longest-waiting call that may
 * have it, so one pool's flood cannot starve another's calls.
 *
 * Invariant: a ring's live entries are calls whose item->tag is WAITING
 * and whose id is still the one they waited with; other entries are stale
 * and dropped as they reach the head.
 */
#include "models/database_private.h"

/* The bulkhead of a calling pool, or -1. */
int mdl_database_bulkhead_of(const struct database *db, const struct sim_item *it)
{
	for (size_t i = 0; i < db->conf->nbh; i++)
		if (db->conf->bh_caller[i] == it->caller)
			return (int)i;
	return -1;
}

bool mdl_database_may_start(const struct database *db, int b)
{
	return db->runs.n < db->connections && (b < 0 || db->bh_running[b] < db->conf->bh_limit[b]);
}

/* The oldest live waiter of a ring, dropping stale entries on the way. */
struct sim_item *mdl_database_ring_peek(struct wring *r)
{
	while (r->len) {
		struct waiter w = r->v[r->head];
		if (w.item->id == w.id && w.item->tag == WAITING)
			return w.item;
		r->head = (r->head + 1) & (r->cap - 1);
		r->len--;
	}
	return NULL;
}

void mdl_database_ring_pop(struct wring *r)
{
	r->head = (r->head + 1) & (r->cap - 1);
	r->len--;
}

static int ring_push(struct wring *r, struct sim_item *it)
{
	if (r->len == r->cap) {
		void *v = r->v;
		if (sim_ring_grow(&v, &r->head, r->len, &r->cap, sizeof *r->v, 64) < 0)
			return -1;
		r->v = v;
	}
	r->v[(r->head + r->len++) & (r->cap - 1)] = (struct waiter){ it, it->id };
	return 0;
}

void mdl_database_start_counted(struct sim_ctx *ctx, struct database *db, struct sim_item *it)
{
	int b = mdl_database_bulkhead_of(db, it);
	if (b >= 0)
		db->bh_running[b]++;
	mdl_database_start(ctx, db, it);
}

/* Starts waiting calls while connections are free: each time the one that
 * has waited longest among those its bulkhead lets in. */
void mdl_database_fill(struct sim_ctx *ctx, struct database *db)
{
	while (db->runs.n < db->connections) {
		struct wring *best = NULL;
		struct sim_item *pick = NULL;
		struct sim_item *it = mdl_database_ring_peek(&db->wait);
		if (it) {
			best = &db->wait;
			pick = it;
		}
		for (size_t i = 0; i < db->conf->nbh; i++) {
			if (db->bh_running[i] >= db->conf->bh_limit[i])
				continue;
			it = mdl_database_ring_peek(&db->bh_wait[i]);
			if (it && (!pick || it->hold_s < pick->hold_s)) {
				best = &db->bh_wait[i];
				pick = it;
			}
		}
		if (!pick)
			return;
		mdl_database_ring_pop(best);
		pick->tag = 0;
		db->waiting--;
		sim_level_set(&db->waiting_level, sim_now(ctx), (double)db->waiting);
		mdl_database_start_counted(ctx, db, pick);
	}
}

int mdl_database_enqueue(struct database *db, struct sim_item *it)
{
	int b = mdl_database_bulkhead_of(db, it);
	if (ring_push(b >= 0 ? &db->bh_wait[b] : &db->wait, it) < 0)
		return -1;
	it->tag = WAITING;
	db->waiting++;
	return 0;
}
