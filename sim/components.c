/* components.c - each component configured through its kind's model.
 *
 * The loader knows kinds only through the registry: a component's `kind`
 * picks its model's ops, whose `keys` say what the component may hold and
 * whose `configure` reads them into the model's own conf.  A component
 * that is bad is reported and the others are still configured, so that
 * one pass shows every error; its ops stay NULL when its kind is unknown.
 */
#include <stdio.h>

#include "sim/model.h"
#include "sim/registry.h"
#include "sim/scenario_private.h"

/* The model of component k (its map m), or NULL (reported). */
static const struct sim_model_ops *find_kind(struct sim_cfg *c, const struct sim_node *k,
					     const struct sim_node *m)
{
	if (m->type != SIM_NODE_MAP) {
		sim_cfg_error(c, m, "expected a map with 'kind' and its keys for component '%s', got %s",
			      k->str, sim_node_type_name(m->type));
		return NULL;
	}
	const struct sim_node *kn = sim_node_get(m, "kind");
	char list[256];
	sim_join(list, sizeof list, sim_registry_names());
	if (!kn) {
		sim_cfg_error(c, k, "missing 'kind' in component '%s' (expected one of: %s)",
			      k->str, list);
		return NULL;
	}
	const struct sim_model_ops *ops =
		kn->type == SIM_NODE_SCALAR ? sim_registry_find(kn->str) : NULL;
	if (!ops) {
		const char *hint = kn->type == SIM_NODE_SCALAR
					   ? sim_suggest(kn->str, sim_registry_names()) : NULL;
		if (hint)
			sim_cfg_error(c, kn, "unknown kind '%s' for component '%s' (did you mean '%s'?)",
				      kn->str, k->str, hint);
		else
			sim_cfg_error(c, kn, "unknown kind '%s' for component '%s' (expected one of: %s)",
				      kn->str, k->str, list);
	}
	return ops;
}

/* Configures component i (its map m) through its model comp->ops: its
 * keys checked, then its configure hook; errors set *bad.  -1: no memory. */
static int configure(struct sim_scenario *sc, struct sim_cfg *c, size_t i,
		     const struct sim_node *m, int *bad)
{
	struct sim_component *comp = &sc->comps[i];
	const struct sim_model_ops *ops = comp->ops;
	struct sim_cfg cc = *c;
	cc.kind = ops->name;
	cc.name = comp->name;
	cc.at = comp->at;
	cc.map = m;
	cc.self = (uint32_t)i;
	/* accepted keys: the model's plus `kind` */
	const char *keys[64];
	size_t nk = 0;
	keys[nk++] = "kind";
	for (const char *const *p = ops->keys; *p && nk < 63; p++)
		keys[nk++] = *p;
	keys[nk] = NULL;
	char what[160];
	snprintf(what, sizeof what, "%s '%s'", ops->name, comp->name);
	int kb = sim_cfg_check_keys(&cc, m, keys, what);
	comp->conf = sim_arena_alloc(&sc->arena, ops->conf_size ? ops->conf_size : 1);
	if (!comp->conf)
		return -1;
	int errs = c->diag->errors;
	if (ops->configure(&cc, m, comp->conf) < 0 || c->diag->errors > errs || kb < 0)
		*bad = -1;
	/* links and columns recorded by the copy belong to the shared lists */
	c->links = cc.links;
	c->nlinks = cc.nlinks;
	c->cap_links = cc.cap_links;
	c->columns = cc.columns;
	c->ncolumns = cc.ncolumns;
	c->cap_columns = cc.cap_columns;
	return cc.oom ? -1 : 0;
}

int sim_components_configure(struct sim_scenario *sc, struct sim_cfg *c,
			     const struct sim_node *v)
{
	if (v->type != SIM_NODE_MAP) {
		sim_cfg_error(c, v, "expected a map of component names to components for 'components', got %s",
			      sim_node_type_name(v->type));
		return -1;
	}
	if (v->n == 0) {
		sim_cfg_error(c, v, "'components' is empty (a scenario needs at least a producer, a queue and workers)");
		return -1;
	}
	if (v->n > SIM_SCENARIO_MAX_COMPONENTS) {
		sim_cfg_error(c, v, "too many components (%zu; at most %d)", v->n,
			      SIM_SCENARIO_MAX_COMPONENTS);
		return -1;
	}
	sc->comps = sim_arena_alloc(&sc->arena, v->n * sizeof *sc->comps);
	if (!sc->comps)
		return -1;
	sc->ncomps = v->n;
	int bad = 0;
	for (size_t i = 0; i < v->n; i++) {
		const struct sim_node *k = v->kids[2 * i], *m = v->kids[2 * i + 1];
		struct sim_component *comp = &sc->comps[i];
		comp->name = k->str;
		comp->at = k;
		comp->map = m;
		if (!sim_scenario_check_name(c, k, "component")) {
			bad = -1;
			continue;
		}
		comp->ops = find_kind(c, k, m);
		if (!comp->ops) {
			bad = -1;
			continue;
		}
		if (configure(sc, c, i, m, &bad) < 0)
			return -1;
	}
	return bad;
}
