/* autoscale.c - when a worker pool grows or shrinks, a part of the
 * workers model.  Every `check`, compare a signal (`signal`: a time-series
 * column such as q.oldest_age_s, or `utilization`: busy / count) with
 * `target`.  Above it, add `step` workers (not past `max`); below half of
 * it, retire `step` (not under `min`), never while workers are still
 * starting.  A change waits `cooldown` after the last one.  `hold` makes
 * it downstream-aware: no scaling up while the signal `hold.signal` is
 * above `hold.above`.  The pool does the starting and retiring.
 */
#include "models/autoscale.h"

#include <stdio.h>
#include <string.h>

int mdl_autoscale_configure(struct sim_cfg *c, const struct sim_node *v, uint64_t count,
			    struct mdl_autoscale *as)
{
	static const char *const akeys[] = { "signal", "target", "min", "max", "step", "cooldown",
					     "startup", "check", "hold", NULL };
	static const char *const hkeys[] = { "signal", "above", NULL };
	int bad = 0;
	if (!sim_cfg_options(c, v, "autoscale", akeys, "autoscaling", 0, &bad))
		return bad;
	as->min = count;
	as->step = 1;
	as->cooldown = 30;
	as->check = 5;
	const struct sim_node *sig = sim_cfg_value(c, v, "signal", SIM_CFG_REQUIRED);
	if (!sig || !sim_cfg_scalar(c, sig, "signal", "a time-series column or utilization"))
		bad = -1;
	else if (strcmp(sig->str, "utilization")) {
		as->signal = sig->str;
		sim_cfg_column(c, sig);
	}
	const struct sim_node *tv = sim_cfg_value(c, v, "target", SIM_CFG_REQUIRED);
	if (!tv || !sim_cfg_scalar(c, tv, "target", "a number")) {
		bad = -1;
	} else if (sim_parse_number(tv->str, &as->target) && sim_parse_duration(tv->str, &as->target)) {
		sim_cfg_error(c, tv, "bad target '%s' for the autoscaling of workers '%s' (a number, or a duration such as 5s)",
			      tv->str, c->name);
		bad = -1;
	}
	int e = sim_cfg_count(c, v, "min", &as->min, 1, 1000000, 0) < 0;
	e |= sim_cfg_count(c, v, "max", &as->max, 1, 1000000, SIM_CFG_REQUIRED) < 0;
	e |= sim_cfg_count(c, v, "step", &as->step, 1, 1000000, 0) < 0;
	e |= sim_cfg_duration(c, v, "cooldown", &as->cooldown, 0) < 0;
	e |= sim_cfg_duration(c, v, "startup", &as->startup, 0) < 0;
	e |= sim_cfg_duration(c, v, "check", &as->check, SIM_CFG_POSITIVE) < 0;
	if (e)
		bad = -1;
	if (!bad && !(as->min <= count && count <= as->max)) {
		sim_cfg_error(c, v, "workers '%s' autoscale: needs min <= count <= max", c->name);
		bad = -1;
	}
	const struct sim_node *h = sim_node_get(v, "hold");
	if (h) {
		char hwhat[160];
		snprintf(hwhat, sizeof hwhat, "the hold of workers '%s'", c->name);
		const struct sim_node *hs = h->type == SIM_NODE_MAP ? sim_node_get(h, "signal") : NULL;
		if (!hs) {
			sim_cfg_error(c, h, "expected {signal, above} for 'hold' in workers '%s'", c->name);
			bad = -1;
		} else if (sim_cfg_check_keys(c, h, hkeys, hwhat) < 0 ||
			   !sim_cfg_scalar(c, hs, "signal", "a time-series column") ||
			   sim_cfg_number(c, h, "above", &as->hold_above, -1e300, 1e300, SIM_CFG_REQUIRED) < 0) {
			bad = -1;
		} else {
			as->hold_signal = hs->str;
			sim_cfg_column(c, hs);
		}
	}
	return bad ? bad : 1;
}

int mdl_autoscale_start(struct sim_ctx *ctx, struct mdl_autoscale_state *s,
			const struct mdl_autoscale *as)
{
	s->signal = as->signal ? sim_signal_find(ctx, as->signal) : -1;
	s->hold = as->hold_signal ? sim_signal_find(ctx, as->hold_signal) : -1;
	if ((as->signal && s->signal < 0) || (as->hold_signal && s->hold < 0)) {
		sim_stop(ctx, "an autoscaling signal is not a level or gauge (use depth, oldest_age_s, waiting, running, busy, in_flight, ...)");
		return -1;
	}
	return 0;
}

/* The signal now; utilization is busy time over worker time since the
 * last check. */
static double signal_now(struct sim_ctx *ctx, struct mdl_autoscale_state *s,
			 struct sim_level *busy, struct sim_level *count_level)
{
	if (s->signal >= 0)
		return sim_signal(ctx, s->signal);
	double now = sim_now(ctx);
	double ba = sim_level_area(busy, now), ca = sim_level_area(count_level, now);
	double v = ca > s->util_t ? (ba - s->util_area) / (ca - s->util_t) : 0;
	s->util_area = ba;
	s->util_t = ca;
	return v;
}

int64_t mdl_autoscale_decide(struct sim_ctx *ctx, struct mdl_autoscale_state *s,
			     const struct mdl_autoscale *as, struct sim_level *busy,
			     struct sim_level *count_level, uint64_t count, uint64_t starting)
{
	double now = sim_now(ctx);
	double v = signal_now(ctx, s, busy, count_level);
	if (now - s->last_change < as->cooldown)
		return 0;
	if (v > as->target && count + starting < as->max) {
		if (s->hold >= 0 && sim_signal(ctx, s->hold) > as->hold_above) {
			sim_count_add(&s->held, 1);
			return 0;
		}
		uint64_t n = as->max - count - starting;
		n = n < as->step ? n : as->step;
		sim_count_add(&s->ups, 1);
		s->last_change = now;
		return (int64_t)n;
	}
	if (v < 0.5 * as->target && count > as->min && !starting) {
		uint64_t n = count - as->min;
		n = n < as->step ? n : as->step;
		sim_count_add(&s->downs, 1);
		s->last_change = now;
		return -(int64_t)n;
	}
	return 0;
}
