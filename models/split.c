/* split.c - fan-out and sampling: one item to several places.
 *
 *   kind: split
 *   to:
 *     - counter-q                                # the item itself goes on here
 *     - {to: analytics-q, class: optional, share: 0.1}   # a sampled copy
 *
 * The item goes on to the first branch (which must take every item); each
 * other branch gets a new item, a copy, with probability `share` (default
 * 1), of the branch's `class` (default: the item's).  Copies are work of
 * their own, fire and forget: their fate does not touch the original, and
 * they count as created here in the conservation check (a split is a
 * source).  Draws for the shares come from the stream "share".
 */
#include "models/split.h"

#include <string.h>

#define MAX_BRANCHES 32

struct branch {
	uint32_t to;
	double share;
	int cls;		/* -1: the item's own */
};

struct split_conf {
	struct branch b[MAX_BRANCHES];
	size_t n;
};

struct split {
	const struct split_conf *conf;
	gsl_rng *rng;
	struct sim_count received;
	struct sim_count sent[MAX_BRANCHES];
};

static const char *const keys[] = { "to", NULL };
static const char *const branch_keys[] = { "to", "class", "share", NULL };

static int configure(struct sim_cfg *c, const struct sim_node *map, void *conf)
{
	struct split_conf *sc = conf;
	const struct sim_node *list = sim_cfg_value(c, map, "to", SIM_CFG_REQUIRED);
	if (!list)
		return -1;
	if (list->type != SIM_NODE_SEQ || list->n < 2) {
		sim_cfg_error(c, list, "'to' of split '%s' must list at least two branches, e.g. [counter-q, {to: analytics-q, share: 0.1}]",
			      c->name);
		return -1;
	}
	if (list->n > MAX_BRANCHES) {
		sim_cfg_error(c, list, "split '%s' has %zu branches (at most %d)", c->name, list->n,
			      MAX_BRANCHES);
		return -1;
	}
	int bad = 0;
	sc->n = list->n;
	char what[160];
	snprintf(what, sizeof what, "a branch of split '%s'", c->name);
	for (size_t i = 0; i < list->n; i++) {
		const struct sim_node *e = list->kids[i];
		struct branch *b = &sc->b[i];
		b->share = 1;
		b->cls = -1;
		if (e->type == SIM_NODE_SCALAR) {
			if (sim_cfg_link_of(c, e, "to", NULL, &b->to, 0) < 0)
				bad = -1;
			continue;
		}
		if (e->type != SIM_NODE_MAP || sim_cfg_check_keys(c, e, branch_keys, what) < 0) {
			if (e->type != SIM_NODE_MAP)
				sim_cfg_error(c, e, "expected a component name or {to, class, share} in split '%s', got %s",
					      c->name, sim_node_type_name(e->type));
			bad = -1;
			continue;
		}
		if (sim_cfg_link(c, e, "to", NULL, &b->to, SIM_CFG_REQUIRED) < 0 ||
		    sim_cfg_number(c, e, "share", &b->share, 0, 1, 0) < 0)
			bad = -1;
		const struct sim_node *cl = sim_node_get(e, "class");
		uint16_t k;
		if (cl) {
			if (sim_cfg_class(c, cl, "class", &k) < 0)
				bad = -1;
			else
				b->cls = k;
		}
		if (i == 0 && (b->share != 1 || cl)) {
			sim_cfg_error(c, e, "the first branch of split '%s' carries the item itself: it takes every item (no 'share') in its own class (no 'class')",
				      c->name);
			bad = -1;
		}
	}
	return bad;
}

static int init(struct sim_ctx *ctx, void *state, const void *conf)
{
	struct split *s = state;
	s->conf = conf;
	s->rng = sim_rng(ctx, "share");
	if (!s->rng || sim_track_count(ctx, &s->received) < 0 ||
	    sim_probe_count(ctx, "received", &s->received) < 0)
		return -1;
	for (size_t i = 0; i < s->conf->n; i++)
		if (sim_track_count(ctx, &s->sent[i]) < 0)
			return -1;
	return 0;
}

static void receive(struct sim_ctx *ctx, void *state, struct sim_item *it)
{
	struct split *s = state;
	const struct split_conf *sc = s->conf;
	sim_count_add(&s->received, 1);
	uint16_t cls = it->cls;
	uint32_t root = it->root;	/* it may be gone after the send */
	uint32_t key = it->key;
	sim_count_add(&s->sent[0], 1);
	sim_send(ctx, sc->b[0].to, it);
	for (size_t i = 1; i < sc->n; i++) {
		const struct branch *b = &sc->b[i];
		if (b->share < 1 && gsl_rng_uniform(s->rng) >= b->share)
			continue;
		struct sim_item *copy = sim_item_new(ctx, b->cls >= 0 ? (uint16_t)b->cls : cls);
		if (!copy)
			return;
		copy->root = root;
		copy->key = key;
		sim_count_add(&s->sent[i], 1);
		sim_send(ctx, b->to, copy);
	}
}

static void finish(struct sim_ctx *ctx, void *state, struct sim_json *o)
{
	struct split *s = state;
	(void)ctx;
	sim_json_num(o, "received", (double)sim_count_value(&s->received));
	struct sim_json *sent = sim_json_arr(o, "sent");
	for (size_t i = 0; i < s->conf->n; i++)
		sim_json_num(sent, NULL, (double)sim_count_value(&s->sent[i]));
}

/* ---- how a split is measured and shown ---------------------------------- */

static const struct sim_metric_desc metrics[] = {
	{ .name = "received", .type = SIM_METRIC_COUNTER, .headline = 1, .what = "items",
	  .doc = "items received" },
	{ .name = "sent", .type = SIM_METRIC_LIST, .what = "items",
	  .doc = "a list: items sent to each branch, in the order of `to`" },
	{ .name = NULL },
};

static const struct sim_column_desc columns[] = {
	{ .metric = "received", .counter = true, .what = "items", .doc = "items received" },
	{ .metric = NULL },
};

/* Facts for the sanity checks (sim/lint.h). */
static void lint(struct sim_lint *l, const void *conf)
{
	const struct split_conf *sc = conf;
	for (size_t i = 0; i < sc->n; i++)
		sim_lint_sends(l, sc->b[i].to, sc->b[i].share);
}

const struct sim_model_ops mdl_split_ops = {
	.name = "split",
	.flags = SIM_MODEL_SOURCE,
	.keys = keys,
	.metrics = metrics,
	.columns = columns,
	.conf_size = sizeof(struct split_conf),
	.state_size = sizeof(struct split),
	.configure = configure,
	.init = init,
	.receive = receive,
	.finish = finish,
	.lint = lint,
};
