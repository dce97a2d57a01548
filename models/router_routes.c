/* router_routes.c - reading a router's `routes`, `default` and `hot` from
 * its scenario: what each route matches (classes, keys, a weight or
 * everything, for a load route), its targets, and the check that every
 * class has somewhere to go.  A part of the `router` model
 * (models/router.c); its configuration is struct router_conf
 * (models/router_private.h).
 *
 * Invariant: after mdl_router_check_coverage, by_class[k] of each class
 * of the scenario is a route index or WEIGHTED, never NOWHERE.
 */
#include "models/router_private.h"

#include <float.h>
#include <stdio.h>
#include <string.h>

#include "models/hotkeys.h"
#include "models/keys.h"

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
int mdl_router_read_route(struct sim_cfg *c, const struct sim_node *e, struct router_conf *rc,
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
int mdl_router_read_hot(struct sim_cfg *c, const struct sim_node *v, struct router_conf *rc)
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
int mdl_router_check_coverage(struct sim_cfg *c, const struct sim_node *list,
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
