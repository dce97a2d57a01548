/* backoff.c - the backoff between a client's attempts and its jitter, a
 * part of the client model: its `backoff` map and `jitter` key, read into
 * a struct sim_backoff (sim/backoff.h draws the sleeps).
 */
#include "models/backoff.h"

#include <math.h>

static const char *const jitter_names[] = { "none", "full", "equal", "decorrelated", NULL };

int mdl_backoff_configure(struct sim_cfg *c, const struct sim_node *map, struct sim_backoff *bo)
{
	int bad = 0;
	bo->multiplier = 2;
	bo->max = INFINITY;
	int jitter = SIM_JITTER_NONE;
	if (sim_cfg_choice(c, map, "jitter", jitter_names, &jitter, 0) < 0)
		bad = -1;
	bo->jitter = (enum sim_jitter)jitter;
	const struct sim_node *b = sim_node_get(map, "backoff");
	if (b) {
		static const char *const bkeys[] = { "base", "multiplier", "max", NULL };
		int e = 0;
		if (!sim_cfg_options(c, b, "backoff", bkeys, "backoff", 0, &e) || e < 0 ||
		    sim_cfg_duration(c, b, "base", &bo->base, SIM_CFG_REQUIRED) < 0 ||
		    sim_cfg_number(c, b, "multiplier", &bo->multiplier, 1, 1000, 0) < 0 ||
		    sim_cfg_duration(c, b, "max", &bo->max, 0) < 0) {
			bad = -1;
		} else if (bo->max < bo->base) {
			sim_cfg_error(c, sim_node_get(b, "max"),
				      "'max' of the backoff of client '%s' is below its 'base'", c->name);
			bad = -1;
		}
	} else if (sim_node_get(map, "jitter") && jitter != SIM_JITTER_NONE) {
		sim_cfg_error(c, sim_node_get(map, "jitter"),
			      "client '%s' has 'jitter' but no 'backoff' to jitter", c->name);
		bad = -1;
	}
	return bad;
}
