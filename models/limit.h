/* limit.h - the adaptive concurrency limit of the client model
 * (models/limit.c).  Not a model: the client embeds its configuration and
 * its state. */
#ifndef MDL_LIMIT_H
#define MDL_LIMIT_H

#include "sim/model.h"

/* The `limit:` map of a client; its fields are the module's own. */
struct mdl_limit_conf {
	bool gradient;		/* kind: gradient, else aimd */
	double initial, min, max;	/* attempts */
	double backoff;		/* aimd: the factor on a failure */
	double smoothing, long_window;	/* gradient: a share; samples */
};

/* Embedded in the client's state, zeroed, then mdl_limit_init. */
struct mdl_limit {
	const struct mdl_limit_conf *conf;
	double limit;		/* attempts */
	double long_rtt;	/* gradient: long-term latency average, seconds */
	uint64_t outstanding;	/* attempts sent and not yet ended */
	struct sim_count limited;
};

/* Reads the limit map v (the value of the client's `limit` key) into
 * conf, defaults first; 0, or -1 with the errors reported through c. */
int mdl_limit_configure(struct sim_cfg *c, const struct sim_node *v, struct mdl_limit_conf *conf);
/* Sets up l at its initial limit for conf (which outlives it), and
 * registers its statistics and its limit and limited columns with ctx.
 * 0, or -1 out of memory.  It allocates nothing: no _fini. */
int mdl_limit_init(struct sim_ctx *ctx, struct mdl_limit *l, const struct mdl_limit_conf *conf);
/* May one more attempt go?  A refusal is counted. */
bool mdl_limit_allows(struct mdl_limit *l);
/* An attempt the limit allowed is sent. */
void mdl_limit_sent(struct mdl_limit *l);
/* An attempt ended, failed (dropped, timed out) or not, rtt seconds after
 * it was sent; a failed attempt's rtt is the client's timeout (INFINITY
 * when it has none).  Moves the limit. */
void mdl_limit_ended(struct mdl_limit *l, bool failed, double rtt);
/* Writes the limit's summary metrics into o. */
void mdl_limit_finish(const struct mdl_limit *l, struct sim_json *o);

#endif
