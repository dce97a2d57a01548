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
 */
#include "models/router.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "models/hotkeys.h"
#include "models/keys.h"
#include "sim/format.h"

#define MAX_ROUTES 32
#define MAX_CLASSES 64		/* as many as a scenario may declare */
#define MAX_TARGETS 16		/* of a load route */
#define MAX_KEYS 256		/* named in key routes, over all of them */

enum { NOWHERE = -1, WEIGHTED = -2 };

/* Why a router drops an item: indices in reasons[]. */
enum { R_UNROUTED };

static const struct sim_reason_desc reasons[] = {
	[R_UNROUTED] = { "unrouted", "no route took it and there is no `default`" },
	{ NULL, NULL },
};

enum { LOAD_NONE, LOAD_LEAST_DEPTH, LOAD_ROUND_ROBIN };

struct route {
	uint32_t to;
	double cum;		/* weight routes: cumulative share, the last 1 */
	int load;		/* LOAD_*: `to` is a list of ntargets */
	size_t ntargets;
	uint32_t targets[MAX_TARGETS];
	const char *columns[MAX_TARGETS];	/* LOAD_LEAST_DEPTH: "<target>.depth" */
	size_t key0, nkeys;	/* a keys route: keys[key0 .. key0+nkeys) */
};

struct router_conf {
	struct route r[MAX_ROUTES + 1];	/* the last: `default` */
	size_t n;
	bool has_default;
	size_t nweighted;
	size_t weighted[MAX_ROUTES];	/* indices of the weight routes */
	int by_class[MAX_CLASSES];	/* route index, WEIGHTED or NOWHERE */
	size_t nkeyroutes;
	size_t keyroutes[MAX_ROUTES];	/* indices of the keys routes */
	size_t nkeys;
	uint32_t keys[MAX_KEYS];
	/* hot-key isolation; hot_top 0: none */
	uint32_t hot_to, hot_top;
	double hot_window_s, hot_share;
};

struct router {
	const struct router_conf *conf;
	gsl_rng *rng;
	struct mdl_hotkeys *hot;
	struct sim_count received, unrouted, isolated;
	struct sim_count routed[MAX_ROUTES + 1];
	uint64_t turn[MAX_ROUTES];	/* load routes: whose turn */
	int signal[MAX_ROUTES][MAX_TARGETS];
};

static const char *const keys[] = { "routes", "default", "hot", NULL };
static const char *const route_keys[] = { "to", "classes", "keys", "weight", "load", NULL };
static const char *const hot_keys[] = { "to", "top", "window", "share", NULL };
static const char *const load_names[] = { "none", "least_depth", "round_robin", NULL };

/* The classes of route i: each class not taken by an earlier route is
 * sent to it. */
static int read_classes(struct sim_cfg *c, const struct sim_node *v, struct router_conf *rc,
			int i)
{
	if (v->type != SIM_NODE_SEQ || v->n == 0) {
		sim_cfg_error(c, v, "'classes' of a route of router '%s' must be a non-empty list of class names, e.g. [critical]",
			      c->name);
		return -1;
	}
	int bad = 0;
	for (size_t k = 0; k < v->n; k++) {
		uint16_t cls;
		if (sim_cfg_class(c, v->kids[k], "classes", &cls) < 0)
			bad = -1;
		else if (rc->by_class[cls] == NOWHERE)
			rc->by_class[cls] = i;
	}
	return bad;
}

/* The keys of route i: names or drawn key numbers. */
static int read_keys(struct sim_cfg *c, const struct sim_node *v, struct router_conf *rc,
		     struct route *r)
{
	if (v->type != SIM_NODE_SEQ || v->n == 0) {
		sim_cfg_error(c, v, "'keys' of a route of router '%s' must be a non-empty list of key names or numbers, e.g. [hot, 17], got %s",
			      c->name, v->type == SIM_NODE_SCALAR ? "a single value" : sim_node_type_name(v->type));
		return -1;
	}
	if (rc->nkeys + v->n > MAX_KEYS) {
		sim_cfg_error(c, v, "too many keys in the routes of router '%s' (at most %d in all)",
			      c->name, MAX_KEYS);
		return -1;
	}
	int bad = 0;
	r->key0 = rc->nkeys;
	for (size_t k = 0; k < v->n; k++)
		if (mdl_keys_ref(c, v->kids[k], UINT32_MAX, "'keys' of a route", &rc->keys[rc->nkeys++]) < 0)
			bad = -1;
	r->nkeys = v->n;
	return bad;
}

/* The targets of a load route: `to` is a list; least_depth reads the
 * `depth` column of each. */
static int read_targets(struct sim_cfg *c, const struct sim_node *e, struct route *r)
{
	const struct sim_node *to = sim_cfg_value(c, e, "to", SIM_CFG_REQUIRED);
	if (!to)
		return -1;
	if (to->type != SIM_NODE_SEQ || to->n < 1 || to->n > MAX_TARGETS) {
		sim_cfg_error(c, to, "'to' of a route of router '%s' with 'load' must list 1 to %d targets, e.g. [p1, p2, p3]",
			      c->name, MAX_TARGETS);
		return -1;
	}
	int bad = 0;
	r->ntargets = to->n;
	for (size_t k = 0; k < to->n; k++) {
		const struct sim_node *t = to->kids[k];
		if (sim_cfg_link_of(c, t, "to", NULL, &r->targets[k], 0) < 0) {
			bad = -1;
			continue;
		}
		if (r->load != LOAD_LEAST_DEPTH)
			continue;
		size_t len = strlen(t->str) + sizeof ".depth";
		char *col = sim_arena_alloc(c->arena, len);
		struct sim_node *n = sim_arena_alloc(c->arena, sizeof *n);
		if (!col || !n) {
			sim_cfg_error(c, t, "out of memory");
			return -1;
		}
		snprintf(col, len, "%s.depth", t->str);
		*n = *t;
		n->str = col;
		r->columns[k] = col;
		if (sim_cfg_column(c, n) < 0)
			bad = -1;
	}
	r->to = r->targets[0];
	return bad;
}

/* What route i matches: at most one of classes, keys and weight; none
 * with `load` (it takes everything). */
static int read_match(struct sim_cfg *c, const struct sim_node *e, struct router_conf *rc,
		      int i, double *weight)
{
	static const char *const sel[] = { "classes", "keys", "weight" };
	const struct sim_node *v[3], *ld = sim_node_get(e, "load");
	int n = 0, first = -1;
	for (int k = 2; k >= 0; k--)
		if ((v[k] = sim_node_get(e, sel[k]))) {
			n++;
			first = k;
		}
	if (n > 1) {
		int second = first + 1 + (v[first + 1] == NULL);
		sim_cfg_error(c, e, "a route of router '%s' has both '%s' and '%s': give it one of 'classes', 'keys' or 'weight'",
			      c->name, sel[first], sel[second]);
		return -1;
	}
	if (!n && !ld) {
		sim_cfg_error(c, e, "a route of router '%s' has neither 'classes' nor 'weight': give it 'classes' (a list of classes), 'keys' (a list of keys), 'weight' (a share of the rest) or 'load' (to balance a list of targets)",
			      c->name);
		return -1;
	}
	if (ld && v[2]) {
		sim_cfg_error(c, ld, "a route of router '%s' has both 'load' and 'weight'; a weight route has one target",
			      c->name);
		return -1;
	}
	if (v[0])
		return read_classes(c, v[0], rc, i);
	if (v[1]) {
		rc->keyroutes[rc->nkeyroutes++] = (size_t)i;
		return read_keys(c, v[1], rc, &rc->r[i]);
	}
	if (!v[2]) {	/* a load route alone takes every class left */
		for (size_t k = 0; k < MAX_CLASSES; k++)
			if (rc->by_class[k] == NOWHERE)
				rc->by_class[k] = i;
		return 0;
	}
	if (sim_cfg_number_of(c, v[2], "weight", weight, -DBL_MAX, 1e9) < 0)
		return -1;
	if (!(*weight > 0)) {
		sim_cfg_error(c, v[2], "'weight' in router '%s' must be greater than 0, got '%s'", c->name,
			      v[2]->str);
		return -1;
	}
	return 0;
}

/* Route i from its map e; *weight gets its weight, 0 for other routes. */
static int read_route(struct sim_cfg *c, const struct sim_node *e, struct router_conf *rc,
		      int i, double *weight)
{
	char what[160];
	snprintf(what, sizeof what, "a route of router '%s'", c->name);
	*weight = 0;
	if (e->type != SIM_NODE_MAP) {
		sim_cfg_error(c, e, "expected {to, classes}, {to, keys}, {to, weight} or {to: [...], load} for a route of router '%s', got %s",
			      c->name, sim_node_type_name(e->type));
		return -1;
	}
	int bad = sim_cfg_check_keys(c, e, route_keys, what);
	struct route *r = &rc->r[i];
	if (sim_cfg_choice(c, e, "load", load_names, &r->load, 0) < 0)
		bad = -1;
	else if (sim_node_get(e, "load") && r->load == LOAD_NONE) {
		sim_cfg_error(c, sim_node_get(e, "load"), "'load' of a route of router '%s' must be least_depth or round_robin",
			      c->name);
		bad = -1;
	}
	if (r->load != LOAD_NONE ? read_targets(c, e, r) < 0
				 : sim_cfg_link(c, e, "to", NULL, &r->to, SIM_CFG_REQUIRED) < 0)
		bad = -1;
	if (read_match(c, e, rc, i, weight) < 0)
		return -1;
	return bad;
}

/* `hot: {to, top, window, share}`: the heaviest keys to their own lane. */
static int read_hot(struct sim_cfg *c, const struct sim_node *v, struct router_conf *rc)
{
	int bad = 0;
	if (!sim_cfg_options(c, v, "hot", hot_keys, "hot-key isolation", 0, &bad))
		return -1;
	uint64_t top = 0;
	rc->hot_share = 0;
	if (sim_cfg_link(c, v, "to", NULL, &rc->hot_to, SIM_CFG_REQUIRED) < 0 ||
	    sim_cfg_count(c, v, "top", &top, 1, MDL_HOTKEYS_MAX_TOP, SIM_CFG_REQUIRED) < 0 ||
	    sim_cfg_duration(c, v, "window", &rc->hot_window_s, SIM_CFG_REQUIRED | SIM_CFG_POSITIVE) < 0 ||
	    sim_cfg_number(c, v, "share", &rc->hot_share, 0, 1, 0) < 0)
		bad = -1;
	rc->hot_top = bad ? 0 : (uint32_t)top;
	return bad;
}

/* Every class with nowhere to go is an error: its items would all be
 * dropped. */
static int check_coverage(struct sim_cfg *c, const struct sim_node *list,
			  struct router_conf *rc)
{
	int bad = 0;
	for (size_t k = 0; k < c->nclasses; k++) {
		if (rc->by_class[k] != NOWHERE)
			continue;
		if (rc->nweighted)
			rc->by_class[k] = WEIGHTED;
		else if (rc->has_default)
			rc->by_class[k] = (int)rc->n;
		else {
			sim_cfg_error(c, list, "no route of router '%s' takes class '%s': add it to a route's 'classes', add a route with a 'weight', or set 'default'",
				      c->name, c->class_names[k]);
			bad = -1;
		}
	}
	return bad;
}

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
		if (read_route(c, list->kids[i], rc, (int)i, &weight[i]) < 0)
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
	if (hot && read_hot(c, hot, rc) < 0)
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
	return check_coverage(c, list, rc);
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
