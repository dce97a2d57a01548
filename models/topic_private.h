/* topic_private.h - the configuration and state of a topic, shared by
 * the files that make up the `topic` model: topic.c (partitions,
 * arrivals, retention) and topic_consumers.c (handing items out to the
 * consumer group).  Nothing else includes it.
 */
#ifndef MDL_TOPIC_PRIVATE_H
#define MDL_TOPIC_PRIVATE_H

#include "sim/model.h"

#include "models/backlog.h"
#include "models/group.h"
#include "models/inkeys.h"

enum { OVF_REJECT, OVF_DROP_OLDEST };
enum { ORD_PARTITION, ORD_KEY };
enum { EV_SWEEP };
enum { R_FULL, R_EVICTED, R_EXPIRED, NREASONS };

#define TOPIC_MAX_PARTITIONS 4096
#define TOPIC_LOOKAHEAD 64		/* ordering: key: items scanned per pull */
#define TOPIC_HEAD (UINT32_C(1) << 31)	/* item->part: it began a batch */

struct topic_conf {
	uint64_t partitions;
	uint64_t capacity;	/* per partition; UINT64_MAX unbounded */
	int overflow, ordering;
	double retention;	/* seconds; INFINITY none */
};

struct part {
	struct sim_fifo q;	/* waiting, oldest first */
	uint64_t in_flight;	/* handed out, not yet released */
	struct mdl_inkeys keys;	/* ordering: key: keys in service */
	struct sim_level depth, lag;
	struct sim_count arrived;
	double wait_sum;	/* seconds waited by items handed out, after the warm-up */
	uint64_t waited;
	double max_age;		/* oldest age seen after the warm-up */
	double warmup;
	double last_done;	/* arrival of the item released last */
};

struct topic {
	const struct topic_conf *conf;
	size_t n;
	struct part *p;
	uint64_t *batches;	/* by partition: batches in service */
	struct mdl_group g;
	uint64_t rr;		/* next partition of an item without a key */
	size_t cursor;		/* where the next pull looks first */
	uint64_t depth, lag;
	struct sim_level depth_level, lag_level;
	struct mdl_backlog bl;	/* models/backlog.c; max_age unused: by partition */
};

/* topic.c */
void mdl_topic_add_lag(struct sim_ctx *ctx, struct topic *t, struct part *p, int d);
struct sim_item *mdl_topic_take_at(struct sim_ctx *ctx, struct topic *t, struct part *p, size_t j);
void mdl_topic_expire(struct sim_ctx *ctx, struct topic *t, struct part *p);

/* topic_consumers.c */
struct sim_item *mdl_topic_pull(struct sim_ctx *ctx, void *state);
struct sim_item *mdl_topic_pull_more(struct sim_ctx *ctx, void *state,
				     const struct sim_item *head, bool same_key);
void mdl_topic_release(struct sim_ctx *ctx, void *state, struct sim_item *it);
void mdl_topic_consumers(struct sim_ctx *ctx, void *state, uint64_t n);

#endif
