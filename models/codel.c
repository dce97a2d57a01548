/* codel.c - CoDel's dequeue decision (RFC 8289), a part of the queue
 * model: once items have waited longer than target for a whole interval,
 * drop the head, then the next after interval / sqrt(count), until the
 * wait is back under target.
 *
 * Invariant: `dropping` is true only between a first drop and the next
 * dequeue whose wait is under target; count carries over to a new
 * dropping state that starts soon after the last one (RFC 8289's
 * hysteresis), so the drop rate resumes where it left off.
 */
#include "models/codel.h"

#include <math.h>

int mdl_codel_configure(struct sim_cfg *c, const struct sim_node *v, struct mdl_codel *cd)
{
	static const char *const ckeys[] = { "target", "interval", NULL };
	int bad = 0;	/* `codel:` alone: RFC 8289's defaults */
	if (!sim_cfg_options(c, v, "codel", ckeys, "CoDel", SIM_CFG_DEFAULTS, &bad))
		return bad;
	if (sim_cfg_duration(c, v, "target", &cd->target, SIM_CFG_POSITIVE) < 0 ||
	    sim_cfg_duration(c, v, "interval", &cd->interval, SIM_CFG_POSITIVE) < 0)
		bad = -1;
	return bad;
}

bool mdl_codel_drop(struct mdl_codel_state *s, const struct mdl_codel *cd, double now,
		    double sojourn, uint64_t left)
{
	bool ok_to_drop = false;
	if (sojourn < cd->target || left == 0) {
		s->first_above = 0;
	} else if (s->first_above == 0) {
		s->first_above = now + cd->interval;
	} else if (now >= s->first_above) {
		ok_to_drop = true;
	}
	if (s->dropping) {
		if (!ok_to_drop) {
			s->dropping = false;
			return false;
		}
		if (now >= s->drop_next) {
			s->count++;
			s->drop_next += cd->interval / sqrt((double)s->count);
			return true;
		}
		return false;
	}
	if (ok_to_drop) {
		s->dropping = true;
		uint32_t delta = s->count - s->lastcount;
		s->count = delta > 1 && now - s->drop_next < 16 * cd->interval ? delta : 1;
		s->lastcount = s->count;
		s->drop_next = now + cd->interval / sqrt((double)s->count);
		return true;
	}
	return false;
}
