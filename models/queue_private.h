/* queue_private.h - the configuration and state of a queue, shared by the
 * files that make up the `queue` model: queue.c (the lanes, arrivals,
 * pulls and cancellation), queue_discipline.c (what a pull takes and
 * drops when the queue is not plain fifo) and queue_door.c (the door of
 * `overflow: block`).  Nothing else includes it.  The helpers below run
 * on the hot path, so they are static inline.
 */
#ifndef MDL_QUEUE_PRIVATE_H
#define MDL_QUEUE_PRIVATE_H

#include "sim/model.h"

#include "models/backlog.h"
#include "models/codel.h"
#include "models/shed.h"

enum { OVF_REJECT, OVF_DROP_OLDEST, OVF_BLOCK };
enum { DISC_FIFO, DISC_LIFO, DISC_PRIORITY, DISC_ADAPTIVE_LIFO };
enum { ACK_COMPLETE, ACK_ENQUEUE };

/* Why a queue drops an item: indices in reasons[] (queue.c). */
enum { R_FULL, R_EVICTED, R_EXPIRED, R_SHED, R_DEADLINE, R_CODEL, R_CANCELLED, NREASONS };

struct queue_conf {
	uint64_t capacity;	/* waiting room; UINT64_MAX unbounded */
	int overflow, discipline, ack;
	double ttl;		/* seconds waited; INFINITY none */
	bool shed;
	struct mdl_shed sh;	/* models/shed.c */
	bool deadlines;
	bool codel;
	struct mdl_codel cd;	/* models/codel.c; interval also adaptive-lifo's */
};

struct queue {
	/* What an arrival and a pull read and write come first, together
	 * with the backlog's counters and wait (its first fields): at a
	 * thousand queues they are rarely in the cache, and each line they
	 * share saves a miss an item. */
	const struct queue_conf *conf;
	struct sim_fifo *lanes;
	size_t *lane_of;	/* by class */
	uint64_t depth;
	bool plain;		/* fifo with no ttl, deadlines, codel or door:
				 * pull takes the head, no questions asked */
	struct sim_fifo door;	/* overflow: block: items waiting to come in */
	struct sim_level depth_level;
	struct mdl_backlog bl;	/* models/backlog.c */
	size_t nlanes;
	struct sim_level door_level;
	struct sim_count blocked;
	gsl_rng *shed_rng;
	double last_empty;	/* adaptive-lifo: when the queue was last empty */
	struct mdl_codel_state codel;	/* models/codel.c */
};

static inline void mdl_queue_set_depth(struct sim_ctx *ctx, struct queue *q, uint64_t depth)
{
	if (q->conf->discipline == DISC_ADAPTIVE_LIFO && (depth == 0 || q->depth == 0))
		q->last_empty = sim_now(ctx);
	q->depth = depth;
	sim_level_set(&q->depth_level, sim_now(ctx), (double)depth);
}

static inline void mdl_queue_drop(struct sim_ctx *ctx, struct queue *q, struct sim_item *it,
				  unsigned why)
{
	mdl_backlog_drop(ctx, &q->bl, it, why);
}

static inline void mdl_queue_note_age(struct sim_ctx *ctx, struct queue *q, double age)
{
	mdl_backlog_age(&q->bl, sim_now(ctx), age);
}

/* Puts an item in its lane; -1 when out of memory. */
static inline int mdl_queue_push(struct sim_ctx *ctx, struct queue *q, struct sim_item *it)
{
	if (sim_fifo_push(&q->lanes[q->lane_of[it->cls]], it) < 0)
		return -1;
	it->enqueued_s = sim_now(ctx);
	mdl_queue_set_depth(ctx, q, q->depth + 1);
	return 0;
}

static inline void mdl_queue_accept(struct sim_ctx *ctx, struct queue *q, struct sim_item *it)
{
	sim_count_add(&q->bl.accepted, 1);
	if (q->conf->ack == ACK_ENQUEUE)
		sim_accepted(ctx, it);
}

/* Takes the oldest (or newest) item of a lane out of the queue; *age is
 * how long it waited. */
static inline struct sim_item *mdl_queue_take(struct sim_ctx *ctx, struct queue *q,
					      struct sim_fifo *lane, bool newest, double *age)
{
	struct sim_item *it = newest ? sim_fifo_pop_back(lane) : sim_fifo_pop_front(lane);
	mdl_queue_set_depth(ctx, q, q->depth - 1);
	*age = sim_now(ctx) - it->enqueued_s;
	mdl_queue_note_age(ctx, q, *age);
	return it;
}

/* queue_discipline.c */
struct sim_item *mdl_queue_pull_general(struct sim_ctx *ctx, struct queue *q);

/* queue_door.c */
void mdl_queue_park(struct sim_ctx *ctx, struct queue *q, struct sim_item *it);
void mdl_queue_admit(struct sim_ctx *ctx, struct queue *q, bool pulling);
void mdl_queue_refuse(struct sim_ctx *ctx, struct queue *q, struct sim_item *it);

#endif
