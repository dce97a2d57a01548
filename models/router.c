/* router.c - content-based and weighted routing: each item to one place.
 *
 *   kind: router
 *   routes:                                   # first match wins
 *     - {to: critical-q, classes: [critical]}
 *     - {to: a-q, weight: 3}                  # the rest, shared 3:1
 *     - {to: b-q, weight: 1}
 *   default: bulk-q                           # what no route took
 *
 * An item goes to the first route whose `classes` list holds its class.
 * Items no class route takes are shared among the `weight` routes at
 * random, each with probability weight / (sum of weights), drawn from the
 * stream "route"; with no weight route they go to `default`.  An item with
 * nowhere to go is dropped (`unrouted`); the loader refuses a
 * configuration where that is certain for some class.
 */
#include "models/router.h"

#include <float.h>
#include <string.h>

#define MAX_ROUTES 32
#define MAX_CLASSES 64		/* as many as a scenario may declare */

enum { NOWHERE = -1, WEIGHTED = -2 };

/* Why a router drops an item: indices in reasons[]. */
enum { R_UNROUTED };

static const struct sim_reason_desc reasons[] = {
	[R_UNROUTED] = { "unrouted", "no route took it and there is no `default`" },
	{ NULL, NULL },
};

struct route {
	uint32_t to;
	double cum;		/* weight routes: cumulative share, the last 1 */
};

struct router_conf {
	struct route r[MAX_ROUTES + 1];	/* the last: `default` */
	size_t n;
	bool has_default;
	size_t nweighted;
	size_t weighted[MAX_ROUTES];	/* indices of the weight routes */
	int by_class[MAX_CLASSES];	/* route index, WEIGHTED or NOWHERE */
};

struct router {
	const struct router_conf *conf;
	gsl_rng *rng;
	struct sim_count received, unrouted;
	struct sim_count routed[MAX_ROUTES + 1];
};

static const char *const keys[] = { "routes", "default", NULL };
static const char *const route_keys[] = { "to", "classes", "weight", NULL };

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

/* Route i from its map e; *weight gets its weight, 0 for a class route. */
static int read_route(struct sim_cfg *c, const struct sim_node *e, struct router_conf *rc,
		      int i, double *weight)
{
	char what[160];
	snprintf(what, sizeof what, "a route of router '%s'", c->name);
	if (e->type != SIM_NODE_MAP) {
		sim_cfg_error(c, e, "expected {to, classes} or {to, weight} for a route of router '%s', got %s",
			      c->name, sim_node_type_name(e->type));
		return -1;
	}
	int bad = sim_cfg_check_keys(c, e, route_keys, what);
	if (sim_cfg_link(c, e, "to", NULL, &rc->r[i].to, SIM_CFG_REQUIRED) < 0)
		bad = -1;
	const struct sim_node *cl = sim_node_get(e, "classes");
	const struct sim_node *w = sim_node_get(e, "weight");
	*weight = 0;
	if (!cl == !w) {
		sim_cfg_error(c, e, "a route of router '%s' has %s: give it 'classes' (a list of classes) or 'weight' (a share of the rest)",
			      c->name, cl ? "both 'classes' and 'weight'" : "neither 'classes' nor 'weight'");
		return -1;
	}
	if (cl)
		return read_classes(c, cl, rc, i) < 0 ? -1 : bad;
	if (sim_cfg_number_of(c, w, "weight", weight, -DBL_MAX, 1e9) < 0)
		return -1;
	if (!(*weight > 0)) {
		sim_cfg_error(c, w, "'weight' in router '%s' must be greater than 0, got '%s'", c->name,
			      w->str);
		return -1;
	}
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
	return 0;
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
	int to = it->cls < MAX_CLASSES ? rc->by_class[it->cls] : NOWHERE;
	if (to == WEIGHTED)
		to = (int)draw(r);
	if (to == NOWHERE) {
		sim_count_add(&r->unrouted, 1);
		sim_drop(ctx, it, R_UNROUTED);
		return;
	}
	sim_count_add(&r->routed[to], 1);
	sim_send(ctx, rc->r[to].to, it);
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
}

/* ---- how a router is measured and shown --------------------------------- */

static const struct sim_metric_desc metrics[] = {
	{ .name = "received", .type = SIM_METRIC_COUNTER, .headline = 1, .what = "items",
	  .doc = "items received" },
	{ .name = "routed", .type = SIM_METRIC_LIST, .what = "items",
	  .doc = "a list: items sent on each route, in the order of `routes`, then to `default` (0 without one)" },
	{ .name = "dropped", .type = SIM_METRIC_REASONS, .label = "dropped", .headline = 2,
	  .headline_if_used = true, .what = "items",
	  .doc = "`{unrouted}`: items dropped here, by reason" },
	{ .name = NULL },
};

static const struct sim_column_desc columns[] = {
	{ .metric = "received", .counter = true, .what = "items", .doc = "items received" },
	{ .metric = "unrouted", .counter = true, .group = SIM_GROUP_DROPS,
	  .group_title = "%s: unrouted", .group_if_used = true, .what = "items",
	  .doc = "items dropped (`unrouted`)" },
	{ .metric = NULL },
};

const struct sim_model_ops mdl_router_ops = {
	.name = "router",
	.keys = keys,
	.metrics = metrics,
	.columns = columns,
	.reasons = reasons,
	.conf_size = sizeof(struct router_conf),
	.state_size = sizeof(struct router),
	.configure = configure,
	.init = init,
	.receive = receive,
	.finish = finish,
};
