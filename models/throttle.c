/* throttle.c - client-side adaptive throttling, of the client model
 * (`throttle`; Google SRE book, "Handling Overload").
 *
 * Over a sliding `window` (10 slices, models/window.c), before each
 * attempt the client refuses it locally with probability
 *   max(0, (requests - k * accepts) / (requests + 1)),
 * where requests counts the attempts it wanted to send and accepts those
 * that succeeded: the backend sees about k times the load it can serve.
 */
#include "models/throttle.h"

int mdl_throttle_configure(struct sim_cfg *c, const struct sim_node *v,
			   struct mdl_throttle_conf *conf)
{
	static const char *const tkeys[] = { "k", "window", NULL };
	conf->k = 2;		/* the SRE book's defaults */
	conf->window = 120;
	int e = 0;
	if (sim_cfg_options(c, v, "throttle", tkeys, "throttle", SIM_CFG_DEFAULTS, &e) &&
	    (e < 0 || sim_cfg_number(c, v, "k", &conf->k, 1, 100, 0) < 0 ||
	     sim_cfg_duration(c, v, "window", &conf->window, SIM_CFG_POSITIVE) < 0))
		e = -1;
	return e < 0 ? -1 : 0;
}

void mdl_throttle_init(struct mdl_throttle *t, const struct mdl_throttle_conf *conf, gsl_rng *rng)
{
	t->conf = conf;
	t->rng = rng;
	mdl_window_init(&t->w, conf->window);
}

double mdl_throttle_p(const void *state, double now)
{
	struct mdl_throttle *t = (struct mdl_throttle *)state;
	double req, acc;
	mdl_window_sums(&t->w, now, &req, &acc);
	double p = (req - t->conf->k * acc) / (req + 1);
	return p > 0 ? p : 0;
}

bool mdl_throttle_allows(struct mdl_throttle *t, double now)
{
	double p = mdl_throttle_p(t, now);
	mdl_window_add(&t->w, now, 1, 0);
	return !(p > 0 && gsl_rng_uniform(t->rng) < p);
}

void mdl_throttle_accepted(struct mdl_throttle *t, double now)
{
	mdl_window_add(&t->w, now, 0, 1);
}
