/* producer_private.h - the configuration and state of a producer, shared
 * by the files that make up the `producer` model: producer.c (creating
 * and sending items, backpressure, accounting) and producer_arrivals.c
 * (when items arrive: rates, rate files, traces, key flows).  Nothing else
 * includes it.
 */
#ifndef MDL_PRODUCER_PRIVATE_H
#define MDL_PRODUCER_PRIVATE_H

#include "sim/model.h"

#include "models/keys.h"

enum { ARR_POISSON, ARR_CONSTANT, ARR_RENEWAL };
enum { ON_BLOCK_WAIT, ON_BLOCK_DROP };
enum { EV_ARRIVAL };

#define MAX_MIX 64
#define MAX_KEY_FLOWS 64	/* schedule entries with a `key` */

/* Why a producer drops an item: indices in reasons[]. */
enum { R_BLOCKED };


struct producer_conf {
	/* what every arrival reads first, together */
	int arrivals;
	uint16_t cls;
	uint32_t to;
	size_t nmix;
	double *trace;			/* `arrivals: {trace}`: times, seconds */
	struct mdl_keys keys;		/* count 0: items carry no key */
	struct sim_profile profile;
	double rate;			/* base, per second */
	struct sim_dist gap;		/* ARR_RENEWAL: shape of the gaps */
	struct sim_profile_seg flat;	/* storage when there is no schedule */
	uint16_t *mix_cls;		/* nmix each, in the scenario's arena */
	double *mix_cum;		/* cumulative shares */
	int on_block;
	uint64_t max_held;		/* UINT64_MAX: unbounded */
	size_t nflows;
	struct mdl_key_flow *flows;	/* nflows, in the scenario's arena */
	size_t ntrace;
};

/* An arrival process: the producer's own (flow 0), or a key flow. */
struct flow {
	const struct sim_profile *profile;
	gsl_rng *arrivals, *mix;
	size_t cursor;			/* a segment; with a trace, its next time */
	uint32_t key;			/* SIM_NONE: drawn, or none */
	struct sim_count created;
};

/* Its size is what a producer without key flows uses: a wide model has
 * thousands, most with none. */
struct producer {
	const struct producer_conf *conf;
	gsl_rng *keys;
	struct flow *flow;		/* 1 + nflows: flow[0] is own */
	struct flow own;
	struct sim_count created;	/* completed, dropped: sim_source_stats */
	uint32_t nblocked;		/* its items held at full queues' doors */
	struct sim_fifo held;		/* work waiting while it is blocked */
	struct sim_level held_level, blocked_level;
	struct sim_count deferred, lost;
	struct sim_hist held_wait;
};

/* producer_arrivals.c */
int mdl_producer_configure_arrivals(struct sim_cfg *c, const struct sim_node *map,
				    struct producer_conf *pc);
double mdl_producer_rate(const void *state, double now);
int mdl_producer_init_flows(struct sim_ctx *ctx, struct producer *p);
void mdl_producer_schedule_next(struct sim_ctx *ctx, struct producer *p, size_t i);
void mdl_producer_start(struct sim_ctx *ctx, void *state);
bool mdl_producer_window(const void *conf, double *from, double *to);

#endif
