/* router.c - routing by class, key, weight and load: each item to one
 * place.
 *
 *   kind: router
 *   hot: {to: hot-q, top: 2, window: 30s}     # the heaviest keys first
 *   routes:                                   # first match wins
 *     - {to: critical-q, classes: [critical]}
 *     - {to: viral-q, keys: [hot, 17]}        # named keys, drawn keys
 *     - {to: [p1, p2, p3], load: least_depth} # or round_robin
 *     - {to: a-q, weight: 3}                  # the rest, shared 3:1
 *     - {to: b-q, weight: 1}
 *   default: bulk-q                           # what no route took
 *
 * With `hot`, a key among the heaviest of the last `window` (a sliding
 * Space-Saving sketch, models/hotkeys.h) goes to the `hot` lane while it
 * stays so.  Otherwise an item goes to the first route that takes it: a
 * `classes` route takes its classes, a `keys` route its keys, a `load`
 * route without `classes` or `keys` everything.  Items none of these takes
 * are shared among the `weight` routes at random, each with probability
 * weight / (sum of weights), drawn from the stream "route"; with no weight
 * route they go to `default`.  So weight routes come last, wherever they
 * are listed.  A `load` route sends to the target of its list with the
 * least depth (the `depth` column of each: ties in turn) or to each in
 * turn.  An item with nowhere to go is dropped (`unrouted`); the loader
 * refuses a configuration where that is certain for some class.
 * Reading the routes is models/router_routes.c; the router's state is
 * shared by these files in models/router_private.h.
 */
#include "models/router.h"
#include "models/router_private.h"

#include <math.h>

#include "models/hotkeys.h"
#include "sim/format.h"

static const struct sim_reason_desc reasons[] = {
	[R_UNROUTED] = { "unrouted", "no route took it and there is no `default`" },
	{ NULL, NULL },
};

static const char *const keys[] = { "routes", "default", "hot", NULL };

static int configure(struct sim_cfg *c, const struct sim_node *map, void *conf)
{
	struct router_conf *rc = conf;
	const struct sim_node *list = sim_cfg_value(c, map, "routes", SIM_CFG_REQUIRED);
	if (!list)
		return -1;
	if (list->type != SIM_NODE_SEQ || list->n == 0 || list->n > MAX_ROUTES) {
		sim_cfg_error(c, list, "'routes' of router '%s' must list 1 to %d routes, e.g. [{to: critical-q, classes: [critical]}, {to: bulk-q, weight: 1}]",
			      c->name, MAX_ROUTES);
		return -1;
	}
	for (size_t k = 0; k < MAX_CLASSES; k++)
		rc->by_class[k] = NOWHERE;
	rc->n = list->n;
	int bad = 0;
	double sum = 0, weight[MAX_ROUTES];
	for (size_t i = 0; i < list->n; i++) {
		if (mdl_router_read_route(c, list->kids[i], rc, (int)i, &weight[i]) < 0)
			bad = -1;
		else if (weight[i] > 0) {
			rc->weighted[rc->nweighted++] = i;
			sum += weight[i];
		}
	}
	int d = sim_cfg_link(c, map, "default", NULL, &rc->r[rc->n].to, 0);
	if (d < 0)
		return -1;
	const struct sim_node *hot = sim_node_get(map, "hot");
	if (hot && mdl_router_read_hot(c, hot, rc) < 0)
		bad = -1;
	rc->has_default = d > 0;
	double cum = 0;
	for (size_t j = 0; j < rc->nweighted; j++) {
		size_t i = rc->weighted[j];
		cum += weight[i];
		rc->r[i].cum = j + 1 == rc->nweighted ? 1 : cum / sum;
	}
	if (bad < 0)
		return -1;
	return mdl_router_check_coverage(c, list, rc);
}

static int init(struct sim_ctx *ctx, void *state, const void *conf)
{
	struct router *r = state;
	r->conf = conf;
	r->rng = sim_rng(ctx, "route");
	if (!r->rng || sim_track_count(ctx, &r->received) < 0 ||
	    sim_track_count(ctx, &r->unrouted) < 0 ||
	    sim_probe_count(ctx, "received", &r->received) < 0 ||
	    sim_probe_count(ctx, "unrouted", &r->unrouted) < 0)
		return -1;
	for (size_t i = 0; i <= r->conf->n; i++)
		if (sim_track_count(ctx, &r->routed[i]) < 0)
			return -1;
	if (!r->conf->hot_top)
		return 0;
	r->hot = mdl_hotkeys_new(r->conf->hot_top, r->conf->hot_window_s, r->conf->hot_share);
	if (!r->hot || sim_track_count(ctx, &r->isolated) < 0 ||
	    sim_probe_count(ctx, "isolated", &r->isolated) < 0)
		return -1;
	return 0;
}

static void fini(void *state)
{
	struct router *r = state;
	mdl_hotkeys_free(r->hot);
}

/* The depth signals of the least_depth routes. */
static void start(struct sim_ctx *ctx, void *state)
{
	struct router *r = state;
	const struct router_conf *rc = r->conf;
	for (size_t i = 0; i < rc->n; i++)
		for (size_t k = 0; rc->r[i].load == LOAD_LEAST_DEPTH && k < rc->r[i].ntargets; k++) {
			r->signal[i][k] = sim_signal_find(ctx, rc->r[i].columns[k]);
			if (r->signal[i][k] < 0)
				sim_stop(ctx, "a target of a least_depth route has no depth column");
		}
}

/* The target of route i: its own, or by load. */
static uint32_t target(struct sim_ctx *ctx, struct router *r, size_t i)
{
	const struct route *rt = &r->conf->r[i];
	if (rt->load == LOAD_NONE)
		return rt->to;
	size_t n = rt->ntargets, first = (size_t)(r->turn[i]++ % n), best = first;
	if (rt->load == LOAD_ROUND_ROBIN || r->signal[i][0] < 0)
		return rt->targets[first];
	double least = INFINITY;
	for (size_t j = 0; j < n; j++) {	/* from whose turn it is: ties in turn */
		size_t k = (first + j) % n;
		double d = sim_signal(ctx, r->signal[i][k]);
		if (d < least) {
			least = d;
			best = k;
		}
	}
	return rt->targets[best];
}

/* The first keys route before route `to` (NOWHERE and WEIGHTED: any)
 * that lists key, or `to`. */
static int by_key(const struct router_conf *rc, uint32_t key, int to)
{
	for (size_t j = 0; j < rc->nkeyroutes; j++) {
		const struct route *rt = &rc->r[rc->keyroutes[j]];
		if (to >= 0 && (int)rc->keyroutes[j] > to)
			break;
		for (size_t k = 0; k < rt->nkeys; k++)
			if (rc->keys[rt->key0 + k] == key)
				return (int)rc->keyroutes[j];
	}
	return to;
}

/* A weight route, drawn with the weights' shares. */
static size_t draw(struct router *r)
{
	const struct router_conf *rc = r->conf;
	double u = gsl_rng_uniform(r->rng);
	for (size_t j = 0; j + 1 < rc->nweighted; j++)
		if (u < rc->r[rc->weighted[j]].cum)
			return rc->weighted[j];
	return rc->weighted[rc->nweighted - 1];
}

static void receive(struct sim_ctx *ctx, void *state, struct sim_item *it)
{
	struct router *r = state;
	const struct router_conf *rc = r->conf;
	sim_count_add(&r->received, 1);
	if (r->hot && it->key != SIM_NONE) {
		mdl_hotkeys_add(r->hot, sim_now(ctx), it->key);
		if (mdl_hotkeys_is_hot(r->hot, it->key)) {
			sim_count_add(&r->isolated, 1);
			sim_send(ctx, rc->hot_to, it);
			return;
		}
	}
	int to = it->cls < MAX_CLASSES ? rc->by_class[it->cls] : NOWHERE;
	if (rc->nkeyroutes && it->key != SIM_NONE)
		to = by_key(rc, it->key, to);
	if (to == WEIGHTED)
		to = (int)draw(r);
	if (to == NOWHERE) {
		sim_count_add(&r->unrouted, 1);
		sim_drop(ctx, it, R_UNROUTED);
		return;
	}
	sim_count_add(&r->routed[to], 1);
	sim_send(ctx, (size_t)to < rc->n ? target(ctx, r, (size_t)to) : rc->r[to].to, it);
}

static void finish(struct sim_ctx *ctx, void *state, struct sim_json *o)
{
	struct router *r = state;
	(void)ctx;
	sim_json_num(o, "received", (double)sim_count_value(&r->received));
	struct sim_json *routed = sim_json_arr(o, "routed");
	for (size_t i = 0; i <= r->conf->n; i++)
		sim_json_num(routed, NULL, (double)sim_count_value(&r->routed[i]));
	struct sim_json *d = sim_json_obj(o, "dropped");
	sim_json_num(d, reasons[R_UNROUTED].name, (double)sim_count_value(&r->unrouted));
	if (!r->hot)
		return;
	const struct mdl_hotkeys_stats *st = mdl_hotkeys_stats(r->hot);
	sim_json_num(o, "isolated", (double)sim_count_value(&r->isolated));
	sim_json_num(o, "hot_keys", (double)st->keys);
	sim_json_num(o, "hot_isolations", (double)st->isolations);
	sim_json_num(o, "hot_first_s", st->first_s);
	sim_json_num(o, "hot_counters", st->counters);
	sim_json_num(o, "hot_checks", (double)st->checks);
	sim_json_num(o, "hot_max_error", st->max_error);
	sim_json_num(o, "hot_error_vs_bound", st->max_error_ratio);
	sim_json_num(o, "hot_bound_held", st->bound_held);
}

/* ---- how a router is measured and shown --------------------------------- */

static bool has_hot(const void *conf)
{
	const struct router_conf *rc = conf;
	return rc->hot_top > 0;
}

static const struct sim_metric_desc metrics[] = {
	{ .name = "received", .type = SIM_METRIC_COUNTER, .label = "received", .headline = 1,
	  .report = 1, .what = "items", .doc = "items received" },
	{ .name = "routed", .type = SIM_METRIC_LIST, .what = "items",
	  .doc = "a list: items sent on each route, in the order of `routes`, then to `default` (0 without one)" },
	{ .name = "dropped", .type = SIM_METRIC_REASONS, .label = "dropped", .headline = 2,
	  .headline_if_used = true, .report = 6, .what = "items",
	  .doc = "`{unrouted}`: items dropped here, by reason" },
	{ .name = "isolated", .type = SIM_METRIC_COUNTER, .label = "isolated", .headline = 3,
	  .report = 2, .what = "items", .cond = "with `hot`",
	  .doc = "items sent to the `hot` lane because their key was hot" },
	{ .name = "hot_keys", .type = SIM_METRIC_COUNTER, .label = "hot keys", .headline = 4,
	  .report = 3, .what = "keys", .cond = "with `hot`",
	  .doc = "distinct keys that were ever hot (isolated), warm-up included; at most 4096 are told apart" },
	{ .name = "hot_isolations", .type = SIM_METRIC_COUNTER, .what = "times", .cond = "with `hot`",
	  .doc = "times a key became hot (a key that cools down and heats up again counts again)" },
	{ .name = "hot_first_s", .type = SIM_METRIC_LEVEL, .unit = SIM_UNIT_SECONDS,
	  .label = "first isolated at", .report = 4, .cond = "with `hot`",
	  .doc = "when a key was first hot (the end of the window slice that showed it), from the start of the run; null if never" },
	{ .name = "hot_counters", .type = SIM_METRIC_LEVEL, .cond = "with `hot`",
	  .doc = "the sketch's counters m per slice: 8 x `top`" },
	{ .name = "hot_checks", .type = SIM_METRIC_COUNTER, .cond = "with `hot`",
	  .doc = "estimates the detector compared with the exact counts of their window" },
	{ .name = "hot_max_error", .type = SIM_METRIC_LEVEL, .what = "items", .cond = "with `hot`",
	  .doc = "the largest overestimate of a key's count in its window (estimate - true count)" },
	{ .name = "hot_error_vs_bound", .type = SIM_METRIC_LEVEL, .unit = SIM_UNIT_SHARE,
	  .label = "worst error / bound", .report = 5, .cond = "with `hot`",
	  .doc = "the largest overestimate as a share of Space-Saving's bound N/m (N items in the window, m counters); at most 100%" },
	{ .name = "hot_bound_held", .type = SIM_METRIC_LEVEL, .cond = "with `hot`",
	  .doc = "1 when every check had 0 <= estimate - true count <= N/m and the guaranteed count at most the true count, else 0" },
	{ .name = NULL },
};

static const struct sim_column_desc columns[] = {
	{ .metric = "received", .counter = true, .what = "items", .doc = "items received" },
	{ .metric = "unrouted", .counter = true, .group = SIM_GROUP_DROPS,
	  .group_title = "%s: unrouted", .group_if_used = true, .what = "items",
	  .doc = "items dropped (`unrouted`)" },
	{ .metric = "isolated", .counter = true, .when = has_hot, .what = "items", .cond = "with `hot`",
	  .doc = "items sent to the `hot` lane" },
	{ .metric = NULL },
};

/* How well the hot-key detector did, after the table. */
static void report_note(FILE *f, const char *name, const struct sim_json *o)
{
	const struct sim_json *keys = sim_json_get(o, "hot_keys", NULL);
	if (!keys)
		return;
	char first[64], err[64], checks[64], m[64];
	sim_format_json(first, sizeof first, SIM_UNIT_SECONDS, sim_json_get(o, "hot_first_s", NULL));
	sim_format_json(err, sizeof err, SIM_UNIT_NUMBER, sim_json_get(o, "hot_max_error", NULL));
	sim_format_json(checks, sizeof checks, SIM_UNIT_NUMBER, sim_json_get(o, "hot_checks", NULL));
	sim_format_json(m, sizeof m, SIM_UNIT_NUMBER, sim_json_get(o, "hot_counters", NULL));
	double ratio = sim_value(sim_json_get(o, "hot_error_vs_bound", NULL), NULL);
	double held = sim_value(sim_json_get(o, "hot_bound_held", NULL), NULL);
	fprintf(f, "\nHot keys: router `%s` isolated %g distinct keys (first at %s). Its detector (Space-Saving, %s counters a slice) was checked %s times against exact counts: its largest overestimate was %s items, %.3g%% of the bound N/m%s.\n",
		name, sim_value(keys, NULL), first, m, checks, err, 100 * ratio,
		held == 1 ? ", which held throughout" : "; the bound did NOT hold");
}

static const struct sim_report_desc report = { .heading = "Routers", .note = report_note };

/* Facts for the sanity checks (sim/lint.h): shares are known only when
 * every route is a weight route. */
static void lint(struct sim_lint *l, const void *conf)
{
	const struct router_conf *rc = conf;
	bool known = rc->nweighted == rc->n && !rc->hot_top;
	double prev = 0;
	for (size_t i = 0; i < rc->n; i++) {
		const struct route *r = &rc->r[i];
		for (size_t k = 0; k < (r->load != LOAD_NONE ? r->ntargets : 1); k++)
			sim_lint_sends(l, r->load != LOAD_NONE ? r->targets[k] : r->to,
				       known ? r->cum - prev : NAN);
		prev = r->cum;
	}
	if (rc->has_default)
		sim_lint_sends(l, rc->r[rc->n].to, known ? 0 : NAN);
	if (rc->hot_top)
		sim_lint_sends(l, rc->hot_to, NAN);
}

const struct sim_model_ops mdl_router_ops = {
	.name = "router",
	.keys = keys,
	.metrics = metrics,
	.columns = columns,
	.report = &report,
	.reasons = reasons,
	.conf_size = sizeof(struct router_conf),
	.state_size = sizeof(struct router),
	.configure = configure,
	.init = init,
	.fini = fini,
	.start = start,
	.receive = receive,
	.finish = finish,
	.lint = lint,
};
