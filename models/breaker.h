/* breaker.h - the circuit breaker of the client model (models/breaker.c).
 * Not a model: the client embeds its configuration and its state. */
#ifndef MDL_BREAKER_H
#define MDL_BREAKER_H

#include "sim/model.h"

/* The `breaker:` map of a client; its fields are the module's own. */
struct mdl_breaker_conf {
	double fail_rate, slow_rate;	/* shares, 0..1 */
	double slow_call;		/* seconds */
	double open_s;			/* seconds */
	uint64_t window, min_calls, half_open;
};

/* Embedded in the client's state, zeroed, then mdl_breaker_init. */
struct mdl_breaker {
	const struct mdl_breaker_conf *conf;
	int state;		/* closed, open, half open */
	double opened_at;	/* seconds, absolute */
	uint8_t *outcomes;	/* ring of conf->window: bit 0 failed, bit 1 slow */
	uint64_t nout, pos, fails, slows;
	uint64_t probes_sent, probes_done, probes_failed;
	struct sim_count opened, rejected;
};

/* Reads the breaker map v (the value of the client's `breaker` key) into
 * conf, defaults first; 0, or -1 with the errors reported through c. */
int mdl_breaker_configure(struct sim_cfg *c, const struct sim_node *v, struct mdl_breaker_conf *conf);
/* Sets up b, closed, for conf (which outlives it), and registers its
 * statistics and its breaker_state and breaker_rejected columns with ctx.
 * 0, or -1 out of memory; mdl_breaker_fini frees what it allocated. */
int mdl_breaker_init(struct sim_ctx *ctx, struct mdl_breaker *b, const struct mdl_breaker_conf *conf);
void mdl_breaker_fini(struct mdl_breaker *b);
/* May an attempt go now?  An open breaker turns half open in time; a
 * refusal is counted. */
bool mdl_breaker_allows(struct sim_ctx *ctx, struct mdl_breaker *b);
/* An attempt the breaker let through ended: failed (dropped, timed out),
 * or succeeded after latency seconds (slow past conf->slow_call). */
void mdl_breaker_record(struct sim_ctx *ctx, struct mdl_breaker *b, bool failed, double latency);
/* Writes the breaker's summary metrics into o. */
void mdl_breaker_finish(const struct mdl_breaker *b, struct sim_json *o);

#endif
