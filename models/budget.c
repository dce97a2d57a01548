/* budget.c - the retry budget of the client model (`budget`).
 *
 * Finagle's RetryBudget: over a sliding window of `window` (10 slices,
 * models/window.c), a retry is allowed while
 *   retries + 1 <= ratio * requests + min_per_s * window.
 */
#include "models/budget.h"

int mdl_budget_configure(struct sim_cfg *c, const struct sim_node *v, struct mdl_budget_conf *conf)
{
	static const char *const ukeys[] = { "ratio", "window", "min_per_s", NULL };
	conf->ratio = 0.2;	/* Finagle's defaults */
	conf->window = 10;
	conf->min_per_s = 10;
	int e = 0;
	if (!sim_cfg_options(c, v, "budget", ukeys, "retry budget", 0, &e) || e < 0 ||
	    sim_cfg_number(c, v, "ratio", &conf->ratio, 0, 1000, 0) < 0 ||
	    sim_cfg_duration(c, v, "window", &conf->window, SIM_CFG_POSITIVE) < 0 ||
	    sim_cfg_rate(c, v, "min_per_s", &conf->min_per_s, 0) < 0)
		return -1;
	return 0;
}

void mdl_budget_init(struct mdl_budget *b, const struct mdl_budget_conf *conf)
{
	b->conf = conf;
	mdl_window_init(&b->w, conf->window);
}

void mdl_budget_request(struct mdl_budget *b, double now)
{
	mdl_window_add(&b->w, now, 1, 0);
}

void mdl_budget_retry(struct mdl_budget *b, double now)
{
	mdl_window_add(&b->w, now, 0, 1);
}

bool mdl_budget_allows(struct mdl_budget *b, double now)
{
	const struct mdl_budget_conf *conf = b->conf;
	double req, ret;
	mdl_window_sums(&b->w, now, &req, &ret);
	return ret + 1 <= conf->ratio * req + conf->min_per_s * conf->window;
}
