/* shed.c - the settings of a queue's load shedding, a part of the queue
 * model: while more than `when_depth` items wait, or the oldest has
 * waited longer than `when_age`, an arriving item of a class less
 * important than `keep_priority` is shed with probability `probability`.
 * A shedding with neither trigger would never shed: it is refused.
 */
#include "models/shed.h"

#include <math.h>

int mdl_shed_configure(struct sim_cfg *c, const struct sim_node *v, struct mdl_shed *sh)
{
	static const char *const skeys[] = { "when_depth", "when_age", "keep_priority",
					     "probability", NULL };
	int bad = 0;
	if (!sim_cfg_options(c, v, "shed", skeys, "shedding", 0, &bad))
		return bad;
	sh->depth = UINT64_MAX;
	sh->age = INFINITY;
	sh->keep_priority = 0;
	sh->p = 1;
	double keep = 0;
	if (sim_cfg_count(c, v, "when_depth", &sh->depth, 0, UINT64_C(1) << 53, 0) < 0 ||
	    sim_cfg_duration(c, v, "when_age", &sh->age, 0) < 0 ||
	    sim_cfg_number(c, v, "keep_priority", &keep, 0, 1000, 0) < 0 ||
	    sim_cfg_number(c, v, "probability", &sh->p, 0, 1, 0) < 0)
		bad = -1;
	sh->keep_priority = (int64_t)keep;
	if (!bad && !sim_node_get(v, "when_depth") && !sim_node_get(v, "when_age")) {
		sim_cfg_error(c, v, "'shed' of queue '%s' needs a trigger: 'when_depth', 'when_age' or both",
			      c->name);
		bad = -1;
	}
	return bad ? bad : 1;
}
