/* producer_arrivals.c - when a producer's items arrive: the rate and its
 * schedule, a rate file or a trace, the shape of the gaps, and the key
 * flows of schedule entries with a `key`.  A part of the `producer` model
 * (models/producer.c); its state is struct producer
 * (models/producer_private.h).
 *
 * Arrival times come from sim/profile.h: a renewal process with mean-1
 * gaps (exponential for Poisson, 1 for constant, X / E[X] for a
 * distribution) laid on the integrated rate, so a schedule of steps and
 * ramps is followed exactly.  Three streams: "arrivals", "mix" and
 * "keys", so adding a class mix or keys does not move the arrival times.
 *
 * Keys (models/keys.h): with `keys: {count, dist, exponent}` each item
 * carries a key drawn from the stream "keys"; without, SIM_NONE.  A
 * schedule entry with `key: NAME` is not laid on the producer's rate:
 * it is a flow of its own (rate 0 outside the entry) whose items all
 * carry that key, a viral post on top of the usual traffic.  Each such
 * flow draws from streams of its own ("key flow N arrivals" and "key flow
 * N mix", N counting those entries from 1), so it moves nothing else.
 */
#include "models/producer_private.h"

#include <math.h>
#include <string.h>

#include "sim/ratefile.h"

/* A rate and a schedule, a rate file, or a trace: the arrival times. */
static int configure_rate(struct sim_cfg *c, const struct sim_node *map, struct producer_conf *pc)
{
	const struct sim_node *rv = sim_node_get(map, "rate"), *a = sim_node_get(map, "arrivals");
	const struct sim_node *sv = sim_node_get(map, "schedule");
	const char *from = rv && rv->type == SIM_NODE_MAP ? "a rate file" :
			   a && a->type == SIM_NODE_MAP && sim_node_get(a, "trace") ? "a trace" : NULL;
	if (from && sv) {
		sim_cfg_error(c, sv, "producer '%s' takes its traffic from %s; a 'schedule' cannot apply too (put the change in the file)",
			      c->name, from);
		return -1;
	}
	if (from && !strcmp(from, "a trace")) {
		if (rv) {
			sim_cfg_error(c, rv, "producer '%s' replays a trace, which sets every arrival; remove 'rate'",
				      c->name);
			return -1;
		}
		pc->rate = 0;
		return sim_trace_load(c, a, &pc->trace, &pc->ntrace);
	}
	if (from) {
		if (sim_ratefile_load(c, rv, &pc->profile) < 0)
			return -1;
		pc->rate = pc->profile.seg[0].r0;
		return 0;
	}
	return sim_cfg_rate(c, map, "rate", &pc->rate, SIM_CFG_REQUIRED);
}

/* The arrival process: its times (configure_rate), the shape of its gaps
 * (`arrivals`), keys and the key flows of the schedule. */
int mdl_producer_configure_arrivals(struct sim_cfg *c, const struct sim_node *map,
				    struct producer_conf *pc)
{
	int bad = 0;
	if (configure_rate(c, map, pc) < 0)
		bad = -1;
	pc->arrivals = ARR_POISSON;
	const struct sim_node *a = sim_node_get(map, "arrivals");
	if (pc->trace || (a && a->type == SIM_NODE_MAP && sim_node_get(a, "trace"))) {
		/* read by configure_rate */
	} else if (a && a->type == SIM_NODE_SCALAR && !strcmp(a->str, "poisson")) {
		pc->arrivals = ARR_POISSON;
	} else if (a && a->type == SIM_NODE_SCALAR && !strcmp(a->str, "constant")) {
		pc->arrivals = ARR_CONSTANT;
	} else if (a && a->type == SIM_NODE_MAP) {
		pc->arrivals = ARR_RENEWAL;
		if (sim_dist_parse(c, a, "arrivals", &pc->gap) < 0)
			bad = -1;
		else if (!(pc->gap.mean > 0) || !isfinite(pc->gap.mean)) {
			sim_cfg_error(c, a, "the arrivals distribution of producer '%s' needs a finite mean above 0",
				      c->name);
			bad = -1;
		}
	} else if (a) {
		sim_cfg_error(c, a, "bad arrivals '%s' in producer '%s' (expected poisson, constant, a distribution map such as {dist: gamma, mean: 1ms, cv: 2}, or {trace: FILE})",
			      a->str, c->name);
		bad = -1;
	}
	const struct sim_node *kv = sim_node_get(map, "keys");
	if (kv && mdl_keys_configure(c, kv, &pc->keys) < 0)
		bad = -1;
	const struct sim_node *rv = sim_node_get(map, "rate");
	if (!bad && (pc->trace || (rv && rv->type == SIM_NODE_MAP))) {
		if (pc->trace)
			sim_profile_constant(&pc->profile, &pc->flat, 0);
	} else if (!bad) {
		struct mdl_key_flow flows[MAX_KEY_FLOWS];
		int r = mdl_keys_schedule(c, map, pc->rate, &pc->keys, &pc->profile, flows,
					  MAX_KEY_FLOWS, &pc->nflows);
		if (r < 0)
			bad = -1;
		else if (r == 0)
			sim_profile_constant(&pc->profile, &pc->flat, pc->rate);
		if (!bad && pc->nflows && !(pc->flows = sim_arena_alloc(c->arena, pc->nflows *
									  sizeof *pc->flows))) {
			sim_cfg_error(c, map, "out of memory");
			bad = -1;
		} else if (!bad && pc->nflows) {
			memcpy(pc->flows, flows, pc->nflows * sizeof *pc->flows);
		}
	}
	return bad;
}

double mdl_producer_rate(const void *state, double now)
{
	const struct producer *p = state;
	double r = sim_profile_rate(&p->conf->profile, now);
	for (size_t j = 0; j < p->conf->nflows; j++)
		r += sim_profile_rate(&p->conf->flows[j].profile, now);
	return r;
}

/* The streams and counts of the key flows (flow 1 on). */
int mdl_producer_init_flows(struct sim_ctx *ctx, struct producer *p)
{
	const struct producer_conf *pc = p->conf;
	for (size_t j = 0; j < pc->nflows; j++) {
		struct flow *f = &p->flow[1 + j];
		char purpose[64];
		f->profile = &pc->flows[j].profile;
		f->key = pc->flows[j].key;
		snprintf(purpose, sizeof purpose, "key flow %zu arrivals", j + 1);
		f->arrivals = sim_rng(ctx, purpose);
		snprintf(purpose, sizeof purpose, "key flow %zu mix", j + 1);
		f->mix = pc->nmix ? sim_rng(ctx, purpose) : NULL;
		if (!f->arrivals || (pc->nmix && !f->mix) || sim_track_count(ctx, &f->created) < 0)
			return -1;
	}
	return 0;
}

/* The next arrival of flow i (0: the producer's own; 1 on: key flows). */
void mdl_producer_schedule_next(struct sim_ctx *ctx, struct producer *p, size_t i)
{
	const struct producer_conf *pc = p->conf;
	struct flow *f = &p->flow[i];
	if (pc->trace && i == 0) {
		if (f->cursor < pc->ntrace && pc->trace[f->cursor] <= sim_duration(ctx))
			sim_schedule_at(ctx, pc->trace[f->cursor++], EV_ARRIVAL, NULL);
		return;
	}
	double gap;
	switch (pc->arrivals) {
	case ARR_POISSON: gap = sim_exponential(f->arrivals, 1.0); break;
	case ARR_CONSTANT: gap = 1.0; break;
	default: gap = sim_dist_sample(&pc->gap, f->arrivals) / pc->gap.mean; break;
	}
	double t = sim_profile_advance(f->profile, &f->cursor, sim_now(ctx), gap);
	if (t <= sim_duration(ctx))
		sim_schedule_at(ctx, t, EV_ARRIVAL + (uint32_t)i, NULL);
}

void mdl_producer_start(struct sim_ctx *ctx, void *state)
{
	struct producer *p = state;
	for (size_t i = 0; i <= p->conf->nflows; i++)
		mdl_producer_schedule_next(ctx, p, i);
}

bool mdl_producer_window(const void *conf, double *from, double *to)
{
	const struct producer_conf *pc = conf;
	*from = INFINITY;
	*to = -INFINITY;
	for (size_t j = 0; j <= pc->nflows; j++) {
		const struct sim_profile *pr = j ? &pc->flows[j - 1].profile : &pc->profile;
		for (size_t i = 0; i < pr->nspans; i++) {
			*from = fmin(*from, pr->spans[i].from);
			*to = fmax(*to, pr->spans[i].to);
		}
	}
	return *from <= *to;
}
