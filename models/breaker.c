/* breaker.c - the circuit breaker of the client model (`breaker`,
 * resilience4j's rules and defaults).
 *
 * The outcomes of the last `window` attempts (failed: dropped or timed
 * out; slow: succeeded after more than `slow_call`) are kept; once at
 * least `min_calls` are in and the failure or slow share reaches its
 * threshold, the breaker opens: for `open` every request fails at once
 * (breaker_open) and nothing is sent.  Then `half_open_calls` probes go
 * through; if they fail at the threshold rate it opens again, otherwise
 * it closes with a clean window.
 *
 * Invariant: while closed, fails and slows count the failed and slow bits
 * of the nout (<= window) latest outcomes in the ring, and pos is where
 * the next one goes; while open or half open the ring is left alone, and
 * it is cleared on closing.  In half open at most half_open_calls probes
 * are sent, and any attempt that ends counts as a probe, one sent before
 * the breaker opened included.
 */
#include "models/breaker.h"

#include <stdlib.h>
#include <string.h>

enum { BR_CLOSED, BR_OPEN, BR_HALF_OPEN };

int mdl_breaker_configure(struct sim_cfg *c, const struct sim_node *v, struct mdl_breaker_conf *conf)
{
	static const char *const keys[] = { "failure_rate", "slow_rate", "slow_call", "window",
					    "min_calls", "open", "half_open_calls", NULL };
	conf->fail_rate = 0.5;	/* resilience4j's defaults */
	conf->slow_rate = 1.0;
	conf->slow_call = 60;
	conf->window = 100;
	conf->min_calls = 100;
	conf->open_s = 60;
	conf->half_open = 10;
	int e = 0;
	if (sim_cfg_options(c, v, "breaker", keys, "breaker", SIM_CFG_DEFAULTS, &e)) {
		e |= sim_cfg_number(c, v, "failure_rate", &conf->fail_rate, 0, 1, 0) < 0;
		e |= sim_cfg_number(c, v, "slow_rate", &conf->slow_rate, 0, 1, 0) < 0;
		e |= sim_cfg_duration(c, v, "slow_call", &conf->slow_call, SIM_CFG_POSITIVE) < 0;
		e |= sim_cfg_count(c, v, "window", &conf->window, 1, 100000, 0) < 0;
		e |= sim_cfg_count(c, v, "min_calls", &conf->min_calls, 1, 100000, 0) < 0;
		e |= sim_cfg_duration(c, v, "open", &conf->open_s, SIM_CFG_POSITIVE) < 0;
		e |= sim_cfg_count(c, v, "half_open_calls", &conf->half_open, 1, 100000, 0) < 0;
	}
	return e ? -1 : 0;
}

/* The breaker_state column: 0 closed, 1 open, 2 half open. */
static double state_now(const void *state, double now)
{
	const struct mdl_breaker *b = state;
	(void)now;
	return b->state;
}

int mdl_breaker_init(struct sim_ctx *ctx, struct mdl_breaker *b, const struct mdl_breaker_conf *conf)
{
	b->conf = conf;
	b->outcomes = calloc(conf->window, 1);
	if (!b->outcomes || sim_track_count(ctx, &b->opened) < 0 ||
	    sim_track_count(ctx, &b->rejected) < 0 ||
	    sim_probe_fn(ctx, "breaker_state", state_now, b) < 0 ||
	    sim_probe_count(ctx, "breaker_rejected", &b->rejected) < 0)
		return -1;
	return 0;
}

void mdl_breaker_fini(struct mdl_breaker *b)
{
	free(b->outcomes);
	b->outcomes = NULL;
}

static void reset(struct mdl_breaker *b)
{
	memset(b->outcomes, 0, b->conf->window);
	b->nout = b->pos = b->fails = b->slows = 0;
}

static void trip(struct sim_ctx *ctx, struct mdl_breaker *b)
{
	b->state = BR_OPEN;
	b->opened_at = sim_now(ctx);
	sim_count_add(&b->opened, 1);
}

/* A probe's outcome, in half open: opens again or closes after the last. */
static void record_probe(struct sim_ctx *ctx, struct mdl_breaker *b, bool failed)
{
	const struct mdl_breaker_conf *cf = b->conf;
	b->probes_done++;
	b->probes_failed += failed;
	if (b->probes_done < cf->half_open)
		return;
	if ((double)b->probes_failed >= cf->fail_rate * (double)b->probes_done) {
		trip(ctx, b);
	} else {
		b->state = BR_CLOSED;
		reset(b);
	}
}

void mdl_breaker_record(struct sim_ctx *ctx, struct mdl_breaker *b, bool failed, double latency)
{
	const struct mdl_breaker_conf *cf = b->conf;
	bool slow = !failed && latency > cf->slow_call;
	if (b->state == BR_HALF_OPEN) {
		record_probe(ctx, b, failed || slow);
		return;
	}
	if (b->state != BR_CLOSED)
		return;
	uint8_t old = b->outcomes[b->pos];
	if (b->nout == cf->window) {
		b->fails -= old & 1;
		b->slows -= (old >> 1) & 1;
	} else {
		b->nout++;
	}
	b->outcomes[b->pos] = (uint8_t)(failed | (slow << 1));
	b->fails += failed;
	b->slows += slow;
	b->pos = (b->pos + 1) % cf->window;
	if (b->nout >= cf->min_calls &&
	    ((double)b->fails >= cf->fail_rate * (double)b->nout ||
	     (double)b->slows >= cf->slow_rate * (double)b->nout))
		trip(ctx, b);
}

bool mdl_breaker_allows(struct sim_ctx *ctx, struct mdl_breaker *b)
{
	const struct mdl_breaker_conf *cf = b->conf;
	if (b->state == BR_OPEN && sim_now(ctx) - b->opened_at >= cf->open_s) {
		b->state = BR_HALF_OPEN;
		b->probes_sent = b->probes_done = b->probes_failed = 0;
	}
	if (b->state == BR_OPEN || (b->state == BR_HALF_OPEN && b->probes_sent >= cf->half_open)) {
		sim_count_add(&b->rejected, 1);
		return false;
	}
	if (b->state == BR_HALF_OPEN)
		b->probes_sent++;
	return true;
}

void mdl_breaker_finish(const struct mdl_breaker *b, struct sim_json *o)
{
	sim_json_num(o, "breaker_opened", (double)sim_count_value(&b->opened));
}
