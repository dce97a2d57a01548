/* calls.c - a worker pool's synchronous calls: `calls: NAME` or a list.
 *
 * After its own service time a worker calls each component of the list
 * in order (sim_call: a database takes the item itself, anything else
 * that accepts items gets a call item whose path must complete), each
 * once the previous one succeeded, and stays busy until the last answers
 * or one fails.  A worker waiting on a call is `calling`; the share of
 * busy time spent so is what the pool's own capacity does not explain.
 *
 * Invariant: item->step is 0 while the item is in its service time, and
 * k (1-based) while the worker waits on call k; calling counts the items
 * with step > 0.
 */
#include "models/calls.h"

#include <math.h>

int mdl_calls_configure(struct sim_cfg *c, const struct sim_node *map, struct mdl_calls_conf *cc)
{
	const struct sim_node *v = sim_node_get(map, "calls");
	if (!v)
		return 0;
	if (v->type != SIM_NODE_SEQ) {
		cc->n = 1;
		return sim_cfg_link_of(c, v, "calls", NULL, &cc->to[0], 0);
	}
	if (v->n == 0 || v->n > MDL_CALLS_MAX) {
		sim_cfg_error(c, v, "'calls' of workers '%s' must list 1 to %d components, got %zu",
			      c->name, MDL_CALLS_MAX, v->n);
		return -1;
	}
	int bad = 0;
	cc->n = v->n;
	for (size_t i = 0; i < v->n; i++)
		if (sim_cfg_link_of(c, v->kids[i], "calls", NULL, &cc->to[i], 0) < 0)
			bad = -1;
	return bad;
}

int mdl_calls_init(struct sim_ctx *ctx, struct mdl_calls *s, const struct mdl_calls_conf *cc)
{
	if (sim_track_level(ctx, &s->calling_level) < 0)
		return -1;
	if (cc->n && sim_probe_level(ctx, "calling", &s->calling_level) < 0)
		return -1;
	return 0;
}

static void set_calling(struct sim_ctx *ctx, struct mdl_calls *s, uint64_t n)
{
	s->calling = n;
	sim_level_set(&s->calling_level, sim_now(ctx), (double)n);
}

void mdl_calls_start(struct sim_ctx *ctx, struct mdl_calls *s, const struct mdl_calls_conf *cc,
		     struct sim_item *it)
{
	set_calling(ctx, s, s->calling + 1);
	it->step = 1;
	sim_call(ctx, cc->to[0], it);
}

bool mdl_calls_returned(struct sim_ctx *ctx, struct mdl_calls *s, const struct mdl_calls_conf *cc,
			struct sim_item *it, enum sim_call_result result)
{
	if (result == SIM_CALL_OK && !(it->flags & SIM_ITEM_CANCELLED) && it->step < cc->n) {
		sim_call(ctx, cc->to[it->step++], it);
		return true;
	}
	it->step = 0;
	set_calling(ctx, s, s->calling - 1);
	return false;
}

bool mdl_calls_cancel(struct sim_ctx *ctx, struct mdl_calls *s, struct sim_item *it)
{
	if (!it->step)
		return false;
	it->step = 0;
	set_calling(ctx, s, s->calling - 1);
	return true;
}

void mdl_calls_finish(struct sim_ctx *ctx, const struct mdl_calls *s, const struct sim_level *busy,
		      struct sim_json *o)
{
	double now = sim_now(ctx);
	double b = sim_level_mean(busy, now);
	sim_json_num(o, "call_wait_share", b > 0 ? sim_level_mean(&s->calling_level, now) / b : 0);
}
