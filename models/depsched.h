/* depsched.h - a dependency that changes over time: the `schedule` of a
 * database or a worker pool (models/depsched.c), a part of those models.
 *
 * Each entry {at, for, ...} holds from `at` for `for` (to the end of the
 * run without it) and sets any of: slowdown, service, failure, the size
 * (connections or count), down (fail or hang), pause.  Two entries that
 * set the same key may not hold at the same time, so at any instant each
 * key has at most one value besides the component's own.
 */
#ifndef MDL_DEPSCHED_H
#define MDL_DEPSCHED_H

#include "sim/model.h"

/* The keys an entry may set: bits in mdl_depsched_kind.keys and in what
 * mdl_depsched_step returns. */
enum {
	MDL_DS_SLOWDOWN = 1 << 0,
	MDL_DS_SERVICE = 1 << 1,
	MDL_DS_FAILURE = 1 << 2,
	MDL_DS_SIZE = 1 << 3,
	MDL_DS_DOWN = 1 << 4,
	MDL_DS_PAUSE = 1 << 5,
};

enum { MDL_DS_UP, MDL_DS_FAIL, MDL_DS_HANG };

/* What a kind accepts. */
struct mdl_depsched_kind {
	const char *size_key;	/* "connections", "count" */
	unsigned keys;		/* MDL_DS_* */
};

struct mdl_depsched_entry {
	double from, to;	/* seconds; to may be INFINITY */
	unsigned set;		/* MDL_DS_* */
	double slowdown, failure;
	uint64_t size;
	int down;
	struct sim_dist service;
};

/* A piece of the work clock: V(t) = v + (t - t0) / factor from t0 on. */
struct mdl_depsched_piece {
	double t0, v, factor;
};

/* A schedule, read by mdl_depsched_cfg (arena memory, read-only). */
struct mdl_depsched {
	const struct mdl_depsched_kind *kind;	/* static: the caller's */
	struct mdl_depsched_entry *e;
	size_t n;			/* 0: no schedule */
	double *bounds;			/* distinct starts and finite ends, sorted */
	size_t nbounds;
	struct mdl_depsched_piece *warp;	/* the work clock, when a slowdown is set */
	size_t nwarp;
	double *pauses;			/* [from, to) pairs, sorted */
	size_t npauses;
	double *downs;			/* starts of down entries, sorted */
	size_t ndowns;
};

/* What holds now; the component's own value where no entry sets a key. */
struct mdl_depsched_now {
	double slowdown;		/* 1 */
	const struct sim_dist *service;	/* NULL: the component's own */
	double failure;			/* < 0: the component's own */
	uint64_t size;			/* 0: the component's own */
	int down;			/* MDL_DS_UP, _FAIL, _HANG */
	bool pause;
	/* what was lost to outages (kept across steps) */
	struct sim_count downs;		/* failed at once: reason down */
	struct sim_count hung;		/* never answered */
};

/* Reads map["schedule"]: 1 read, 0 absent, -1 after diagnostics. */
int mdl_depsched_cfg(struct sim_cfg *c, const struct sim_node *map,
		     const struct mdl_depsched_kind *kind, struct mdl_depsched *out);

/* Whether an entry sets any of the keys k (MDL_DS_*). */
bool mdl_depsched_sets(const struct mdl_depsched *ds, unsigned k);

/* The largest size any entry sets, or base. */
uint64_t mdl_depsched_max_size(const struct mdl_depsched *ds, uint64_t base);

/* Sets now to the component's own values; with a schedule, registers its
 * columns (`slowdown`, `down`, and `paused` when the kind may pause) and
 * puts every boundary in the calendar as an event of the given kind, all
 * at once, so that each runs before any event at its time scheduled
 * later.  0, or -1 when out of memory. */
int mdl_depsched_init(struct sim_ctx *ctx, const struct mdl_depsched *ds,
		      struct mdl_depsched_now *now, bool pauses);
void mdl_depsched_start(struct sim_ctx *ctx, const struct mdl_depsched *ds, uint32_t kind);

/* At a boundary: what holds from time t on; returns the keys that changed.
 * O(entries). */
unsigned mdl_depsched_step(const struct mdl_depsched *ds, struct mdl_depsched_now *now,
			   double t);

/* With a schedule, the counts of what outages lost: "down_failures" and
 * "hung". */
void mdl_depsched_json(struct sim_json *o, const struct mdl_depsched *ds,
		       const struct mdl_depsched_now *now);

/* When work of s seconds started at t0 finishes: stretched by the
 * slowdowns on its way, at the end of a pause it would finish in, or at
 * the start of the first down entry after t0.  t0 + s without those. */
double mdl_depsched_finish_slow(const struct mdl_depsched *ds, double t0, double s);
static inline double mdl_depsched_finish(const struct mdl_depsched *ds, double t0, double s)
{
	return ds->n ? mdl_depsched_finish_slow(ds, t0, s) : t0 + s;	/* on the hot path */
}

/* The span of the entries, for the default report window. */
bool mdl_depsched_window(const struct mdl_depsched *ds, double *from, double *to);

/* The entries as spans for the charts, each labelled with what it sets
 * ("slowdown ×5, down (fail)"); how many (at most max). */
size_t mdl_depsched_spans(const struct mdl_depsched *ds, struct sim_span *out, size_t max);

#endif
