/* limit.c - the adaptive concurrency limit of the client model (`limit`).
 *
 * Netflix's AIMDLimit: at most `limit` attempts outstanding; one more is
 * refused at once (limited).  A drop or a timeout multiplies the limit by
 * `backoff` (not below `min`); a success adds 1 while in-flight x 2 >=
 * limit (not above `max`).  With `kind: gradient` (Netflix's
 * Gradient2Limit): each success updates a long-term average of the
 * latency (over about `long_window` samples), and the limit moves towards
 * clamp(long / this latency, 0.5, 1) x limit + sqrt(limit), smoothed by
 * `smoothing` (0.2): it shrinks when latency rises above its long-term
 * level, before anything times out.
 *
 * Invariant: min <= limit <= max, and outstanding counts the attempts
 * sent and not yet ended (an attempt ends once: the client reports only
 * an attempt that is still a request's current one).
 */
#include "models/limit.h"

#include <math.h>

/* The limit's keys other than kind, with their bounds. */
static int read_numbers(struct sim_cfg *c, const struct sim_node *v, struct mdl_limit_conf *conf)
{
	int e = 0;
	e |= sim_cfg_number(c, v, "smoothing", &conf->smoothing, 0.001, 1, 0) < 0;
	e |= sim_cfg_number(c, v, "long_window", &conf->long_window, 1, 1e9, 0) < 0;
	e |= sim_cfg_number(c, v, "initial", &conf->initial, 1, 1e9, 0) < 0;
	e |= sim_cfg_number(c, v, "min", &conf->min, 1, 1e9, 0) < 0;
	e |= sim_cfg_number(c, v, "max", &conf->max, 1, 1e9, 0) < 0;
	e |= sim_cfg_number(c, v, "backoff", &conf->backoff, 0.01, 0.99, 0) < 0;
	return e;
}

int mdl_limit_configure(struct sim_cfg *c, const struct sim_node *v, struct mdl_limit_conf *conf)
{
	static const char *const keys[] = { "kind", "initial", "min", "max", "backoff",
					    "smoothing", "long_window", NULL };
	static const char *const kinds[] = { "aimd", "gradient", NULL };
	conf->initial = 20;	/* Netflix AIMDLimit's defaults */
	conf->min = 20;
	conf->max = 200;
	conf->backoff = 0.9;
	conf->smoothing = 0.2;	/* Gradient2's */
	conf->long_window = 600;
	int e = 0;
	if (!sim_cfg_options(c, v, "limit", keys, "concurrency limit", SIM_CFG_DEFAULTS, &e))
		return e ? -1 : 0;
	int kind = 0;
	e |= sim_cfg_choice(c, v, "kind", kinds, &kind, 0) < 0;
	conf->gradient = kind == 1;
	e |= read_numbers(c, v, conf);
	if (e)
		return -1;
	if (conf->min > conf->max || conf->initial < conf->min || conf->initial > conf->max) {
		sim_cfg_error(c, v, "the concurrency limit of client '%s' needs min <= initial <= max",
			      c->name);
		return -1;
	}
	return 0;
}

/* The limit column. */
static double limit_now(const void *state, double now)
{
	(void)now;
	return ((const struct mdl_limit *)state)->limit;
}

int mdl_limit_init(struct sim_ctx *ctx, struct mdl_limit *l, const struct mdl_limit_conf *conf)
{
	l->conf = conf;
	l->limit = conf->initial;
	if (sim_track_count(ctx, &l->limited) < 0 || sim_probe_fn(ctx, "limit", limit_now, l) < 0 ||
	    sim_probe_count(ctx, "limited", &l->limited) < 0)
		return -1;
	return 0;
}

bool mdl_limit_allows(struct mdl_limit *l)
{
	if ((double)l->outstanding >= l->limit) {
		sim_count_add(&l->limited, 1);
		return false;
	}
	return true;
}

void mdl_limit_sent(struct mdl_limit *l)
{
	l->outstanding++;
}

/* Gradient2: towards the limit the latency's drift from its long-term
 * level allows. */
static void gradient(struct mdl_limit *l, double rtt)
{
	const struct mdl_limit_conf *cf = l->conf;
	if (!isfinite(rtt) || rtt <= 0)
		return;
	l->long_rtt = l->long_rtt > 0 ? l->long_rtt + (rtt - l->long_rtt) / cf->long_window : rtt;
	double g = fmin(1.0, fmax(0.5, l->long_rtt / rtt));
	double target = g * l->limit + sqrt(l->limit);
	double next = l->limit * (1 - cf->smoothing) + target * cf->smoothing;
	l->limit = fmin(cf->max, fmax(cf->min, next));
}

void mdl_limit_ended(struct mdl_limit *l, bool failed, double rtt)
{
	const struct mdl_limit_conf *cf = l->conf;
	if (l->outstanding)
		l->outstanding--;
	if (cf->gradient)
		gradient(l, rtt);
	else if (failed)
		l->limit = fmax(cf->min, l->limit * cf->backoff);
	else if ((double)l->outstanding * 2 >= l->limit)
		l->limit = fmin(cf->max, l->limit + 1);
}

void mdl_limit_finish(const struct mdl_limit *l, struct sim_json *o)
{
	sim_json_num(o, "final_limit", l->limit);
}
