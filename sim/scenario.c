/* scenario.c - from a YAML tree to a checked scenario.
 *
 * Order matters for good messages: the top level first (so components can
 * refer to classes), then each component through its model, then links,
 * which need every name.  Errors accumulate; the scenario is returned only
 * if there were none.
 */
#include "sim/scenario.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cfg.h"
#include "sim/model.h"
#include "sim/registry.h"
#include "sim/units.h"

#define MAX_CLASSES 64
#define MAX_COMPONENTS 4096
#define MAX_ROWS 1000000

static const char *const top_keys[] = {
	"name", "duration", "warmup", "sample", "seed", "classes", "components",
	"variants", "report", "limits", NULL,
};

static bool valid_name(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
		return false;
	for (s++; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' ||
		      *s == '-'))
			return false;
	return true;
}

/* Reports a bad name of a class or component (they name output columns). */
static bool check_name(struct sim_cfg *c, const struct sim_node *k, const char *what)
{
	if (valid_name(k->str))
		return true;
	sim_cfg_error(c, k, "bad %s name '%s' (use lowercase letters, digits, '_' and '-', starting with a letter or digit)",
		      what, k->str);
	return false;
}

static bool valid_scenario_name(const char *s)
{
	if (!*s || *s == '.' || strlen(s) > 100)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' || *s == '.'))
			return false;
	return true;
}

int sim_scenario_find(const struct sim_scenario *sc, const char *name)
{
	for (size_t i = 0; i < sc->ncomps; i++)
		if (!strcmp(sc->comps[i].name, name))
			return (int)i;
	return -1;
}

void sim_scenario_free(struct sim_scenario *sc)
{
	if (!sc)
		return;
	for (size_t i = 0; i < sc->ncomps; i++)
		free(sc->comps[i].consumers);
	sim_arena_fini(&sc->arena);
	free(sc);
}

/* ---- overrides ---------------------------------------------------------- */

/* Deep merge: maps merge key by key, anything else replaces.  A map that
 * names a distribution (`dist`) replaces the old value whole, since the
 * keys of one distribution make no sense in another. */
static const struct sim_node *merge(struct sim_arena *a, const struct sim_node *base,
				    const struct sim_node *over)
{
	if (!base || base->type != SIM_NODE_MAP || over->type != SIM_NODE_MAP ||
	    sim_node_get(over, "dist"))
		return over;
	const struct sim_node *r = base;
	for (size_t i = 0; i < over->n && r; i++) {
		const struct sim_node *k = over->kids[2 * i];
		const struct sim_node *v = merge(a, sim_node_get(r, k->str), over->kids[2 * i + 1]);
		const struct sim_node *old = sim_node_key(r, k->str);
		r = sim_node_with(a, r, old ? old : k, (struct sim_node *)v);
	}
	return r;
}

/* Applies one map of component overrides; returns the new components node. */
static const struct sim_node *apply_overrides(struct sim_cfg *c, const struct sim_node *comps,
					      const struct sim_node *over, const char *variant)
{
	if (over->type != SIM_NODE_MAP) {
		sim_cfg_error(c, over, "variant '%s' must map component names to overrides, got %s",
			      variant, sim_node_type_name(over->type));
		return NULL;
	}
	const char *names[MAX_COMPONENTS + 1];
	size_t nn = 0;
	for (size_t i = 0; i < comps->n && nn < MAX_COMPONENTS; i++)
		names[nn++] = comps->kids[2 * i]->str;
	names[nn] = NULL;
	bool bad = false;
	for (size_t i = 0; i < over->n; i++) {
		const struct sim_node *k = over->kids[2 * i], *v = over->kids[2 * i + 1];
		const struct sim_node *orig = sim_node_get(comps, k->str);
		if (!orig) {
			const char *hint = sim_suggest(k->str, names);
			if (hint)
				sim_cfg_error(c, k, "variant '%s' overrides unknown component '%s' (did you mean '%s'?)",
					      variant, k->str, hint);
			else
				sim_cfg_error(c, k, "variant '%s' overrides unknown component '%s'",
					      variant, k->str);
			bad = true;
			continue;
		}
		if (v->type != SIM_NODE_MAP) {
			sim_cfg_error(c, v, "override of component '%s' in variant '%s' must be a map of keys, got %s",
				      k->str, variant, sim_node_type_name(v->type));
			bad = true;
			continue;
		}
		if (sim_node_get(v, "kind")) {
			sim_cfg_error(c, sim_node_key(v, "kind"),
				      "variant '%s' cannot change the kind of component '%s'",
				      variant, k->str);
			bad = true;
			continue;
		}
		comps = sim_node_with(c->arena, comps, sim_node_key(comps, k->str),
				      (struct sim_node *)merge(c->arena, orig, v));
		if (!comps)
			return NULL;
	}
	return bad ? NULL : comps;
}

static struct sim_node *mk(struct sim_arena *a, enum sim_node_type t, int line, int col,
			   const char *str)
{
	struct sim_node *n = sim_arena_alloc(a, sizeof *n);
	if (!n)
		return NULL;
	n->type = t;
	n->file = "--set";
	n->line = line;
	n->col = col;
	n->str = str ? sim_arena_strdup(a, str) : "";
	return n;
}

/* One --set PATH=VALUE, the idx-th (1-based): reported as --set:idx:col. */
static int apply_set(struct sim_cfg *c, struct sim_node **root, const struct sim_node **comps,
		     const char *arg, int idx)
{
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg) {
		sim_diag_error(c->diag, "--set", idx, 1,
			       "expected COMPONENT.KEY=VALUE (or a top-level KEY=VALUE), got '%s'", arg);
		return -1;
	}
	size_t plen = (size_t)(eq - arg);
	/* The value, shifted so YAML's own positions match the argument. */
	size_t vlen = strlen(eq + 1);
	size_t blen = (size_t)(idx - 1) + plen + 1 + vlen;
	char *buf = sim_arena_alloc(c->arena, blen + 1);
	if (!buf)
		return -1;
	memset(buf, '\n', (size_t)(idx - 1));
	memset(buf + idx - 1, ' ', plen + 1);
	memcpy(buf + idx - 1 + plen + 1, eq + 1, vlen);
	struct sim_node *val;
	if (vlen == 0) {
		val = mk(c->arena, SIM_NODE_NULL, idx, (int)plen + 2, "");
	} else {
		val = sim_node_parse(c->arena, "--set", buf, blen, c->diag);
		if (!val)
			return -1;
	}
	/* split the path */
	char path[256];
	if (plen >= sizeof path) {
		sim_diag_error(c->diag, "--set", idx, 1, "path too long in '%s'", arg);
		return -1;
	}
	memcpy(path, arg, plen);
	path[plen] = 0;
	char *dot = strchr(path, '.');
	if (!dot) {
		struct sim_node *k = mk(c->arena, SIM_NODE_SCALAR, idx, 1, path);
		if (!k)
			return -1;
		if (!strcmp(path, "components") || !strcmp(path, "variants") ||
		    !strcmp(path, "classes")) {
			sim_diag_error(c->diag, "--set", idx, 1,
				       "--set cannot replace '%s' whole; set COMPONENT.KEY=VALUE instead",
				       path);
			return -1;
		}
		*root = sim_node_with(c->arena, *root, k, val);
		return *root ? 0 : -1;
	}
	*dot = 0;
	const char *comp = path;
	bool top_map = !strcmp(comp, "limits") || !strcmp(comp, "report");
	if (top_map && sim_node_get(*comps, comp))
		top_map = false;	/* a component of that name wins */
	if (!top_map && !sim_node_get(*comps, comp)) {
		const char *names[MAX_COMPONENTS + 1];
		size_t nn = 0;
		for (size_t i = 0; i < (*comps)->n && nn < MAX_COMPONENTS; i++)
			names[nn++] = (*comps)->kids[2 * i]->str;
		names[nn] = NULL;
		const char *hint = sim_suggest(comp, names);
		if (hint)
			sim_diag_error(c->diag, "--set", idx, 1,
				       "unknown component '%s' (did you mean '%s'?)", comp, hint);
		else
			sim_diag_error(c->diag, "--set", idx, 1, "unknown component '%s'", comp);
		return -1;
	}
	/* build {k1: {k2: ... value}} from the inside out */
	struct sim_node *over = val;
	char *keys[16];
	int nk = 0;
	for (char *p = dot + 1; p && nk < 16;) {
		keys[nk++] = p;
		p = strchr(p, '.');
		if (p)
			*p++ = 0;
	}
	for (int i = nk - 1; i >= 0; i--) {
		if (!*keys[i]) {
			sim_diag_error(c->diag, "--set", idx, 1, "empty key in '%s'", arg);
			return -1;
		}
		int col = (int)(keys[i] - path) + 1;
		struct sim_node *k = mk(c->arena, SIM_NODE_SCALAR, idx, col, keys[i]);
		struct sim_node *m = mk(c->arena, SIM_NODE_MAP, idx, col, NULL);
		if (!k || !m)
			return -1;
		over = sim_node_with(c->arena, m, k, over);
		if (!over)
			return -1;
	}
	struct sim_node *ck = mk(c->arena, SIM_NODE_SCALAR, idx, 1, comp);
	if (top_map) {
		/* limits.max_items=..., report.window.to=...: merge into the top */
		if (!ck)
			return -1;
		struct sim_node *top = (struct sim_node *)merge(c->arena, sim_node_get(*root, comp), over);
		*root = sim_node_with(c->arena, *root, ck, top);
		return *root ? 0 : -1;
	}
	struct sim_node *wrap = mk(c->arena, SIM_NODE_MAP, idx, 1, NULL);
	if (!ck || !wrap || !(wrap = sim_node_with(c->arena, wrap, ck, over)))
		return -1;
	const struct sim_node *nc = apply_overrides(c, *comps, wrap, "--set");
	if (!nc)
		return -1;
	*comps = nc;
	return 0;
}

/* ---- the top level ------------------------------------------------------ */

static int load_classes(struct sim_scenario *sc, struct sim_cfg *c, const struct sim_node *v)
{
	size_t n = v ? v->n : 1;
	if (v && v->type != SIM_NODE_MAP) {
		sim_cfg_error(c, v, "expected a map of class names to {priority: N} for 'classes', got %s",
			      sim_node_type_name(v->type));
		return -1;
	}
	if (v && v->n == 0) {
		sim_cfg_error(c, v, "'classes' is empty (omit it for one class named 'default')");
		return -1;
	}
	if (n > MAX_CLASSES) {
		sim_cfg_error(c, v, "too many classes (%zu; at most %d)", n, MAX_CLASSES);
		return -1;
	}
	sc->classes = sim_arena_alloc(&sc->arena, n * sizeof *sc->classes);
	sc->class_names = sim_arena_alloc(&sc->arena, (n + 1) * sizeof *sc->class_names);
	sc->class_prio = sim_arena_alloc(&sc->arena, n * sizeof *sc->class_prio);
	if (!sc->classes || !sc->class_names || !sc->class_prio)
		return -1;
	sc->nclasses = n;
	if (!v) {
		sc->classes[0] = (struct sim_class){ "default", 0 };
		sc->class_names[0] = "default";
		return 0;
	}
	int bad = 0;
	static const char *const class_keys[] = { "priority", NULL };
	for (size_t i = 0; i < n; i++) {
		const struct sim_node *k = v->kids[2 * i], *m = v->kids[2 * i + 1];
		sc->classes[i].name = k->str;
		sc->class_names[i] = k->str;
		if (!check_name(c, k, "class")) {
			bad = -1;
			continue;
		}
		if (m->type != SIM_NODE_MAP) {
			sim_cfg_error(c, m, "expected {priority: N} for class '%s', got %s", k->str,
				      sim_node_type_name(m->type));
			bad = -1;
			continue;
		}
		char what[128];
		snprintf(what, sizeof what, "class '%s'", k->str);
		if (sim_cfg_check_keys(c, m, class_keys, what) < 0) {
			bad = -1;
			continue;
		}
		const struct sim_node *p = sim_node_get(m, "priority");
		if (!p) {
			sim_cfg_error(c, m, "missing 'priority' in class '%s' (0 is most important)",
				      k->str);
			bad = -1;
			continue;
		}
		double prio;
		struct sim_cfg cc = *c;
		cc.kind = "class";
		cc.name = k->str;
		if (sim_cfg_number_of(&cc, p, "priority", &prio, 0, 1000) < 0) {
			bad = -1;
			continue;
		}
		if (prio != floor(prio)) {
			sim_cfg_error(c, p, "'priority' of class '%s' must be a whole number, got '%s'",
				      k->str, p->str);
			bad = -1;
			continue;
		}
		sc->classes[i].priority = (int)prio;
		sc->class_prio[i] = (int)prio;
	}
	return bad;
}

static int load_components(struct sim_scenario *sc, struct sim_cfg *c, const struct sim_node *v)
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
	if (v->n > MAX_COMPONENTS) {
		sim_cfg_error(c, v, "too many components (%zu; at most %d)", v->n, MAX_COMPONENTS);
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
		if (!check_name(c, k, "component")) {
			bad = -1;
			continue;
		}
		if (m->type != SIM_NODE_MAP) {
			sim_cfg_error(c, m, "expected a map with 'kind' and its keys for component '%s', got %s",
				      k->str, sim_node_type_name(m->type));
			bad = -1;
			continue;
		}
		const struct sim_node *kn = sim_node_get(m, "kind");
		char list[256];
		sim_join(list, sizeof list, sim_registry_names());
		if (!kn) {
			sim_cfg_error(c, k, "missing 'kind' in component '%s' (expected one of: %s)",
				      k->str, list);
			bad = -1;
			continue;
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
			bad = -1;
			continue;
		}
		comp->ops = ops;
		struct sim_cfg cc = *c;
		cc.kind = ops->name;
		cc.name = k->str;
		cc.at = k;
		cc.self = (uint32_t)i;
		/* accepted keys: the model's plus `kind` */
		const char *keys[64];
		size_t nk = 0;
		keys[nk++] = "kind";
		for (const char *const *p = ops->keys; *p && nk < 63; p++)
			keys[nk++] = *p;
		keys[nk] = NULL;
		char what[160];
		snprintf(what, sizeof what, "%s '%s'", ops->name, k->str);
		int kb = sim_cfg_check_keys(&cc, m, keys, what);
		comp->conf = sim_arena_alloc(&sc->arena, ops->conf_size ? ops->conf_size : 1);
		if (!comp->conf)
			return -1;
		int errs = c->diag->errors;
		if (ops->configure(&cc, m, comp->conf) < 0 || c->diag->errors > errs || kb < 0)
			bad = -1;
		/* links and columns recorded by the copy belong to the shared lists */
		c->links = cc.links;
		c->nlinks = cc.nlinks;
		c->cap_links = cc.cap_links;
		c->columns = cc.columns;
		c->ncolumns = cc.ncolumns;
		c->cap_columns = cc.cap_columns;
		if (cc.oom)
			return -1;
	}
	return bad;
}

static int add_consumer(struct sim_component *t, uint32_t who)
{
	uint32_t *v = realloc(t->consumers, (t->nconsumers + 1) * sizeof *v);
	if (!v)
		return -1;
	t->consumers = v;
	v[t->nconsumers++] = who;
	return 0;
}

static int resolve_links(struct sim_scenario *sc, struct sim_cfg *c)
{
	int bad = 0;
	const char **names = sim_arena_alloc(&sc->arena, (sc->ncomps + 1) * sizeof *names);
	if (!names)
		return -1;
	for (size_t i = 0; i < sc->ncomps; i++)
		names[i] = sc->comps[i].name;
	for (size_t i = 0; i < c->nlinks; i++) {
		const struct sim_cfg_link *l = &c->links[i];
		const struct sim_component *self = &sc->comps[l->self];
		int t = sim_scenario_find(sc, l->at->str);
		if (t < 0) {
			const char *hint = sim_suggest(l->at->str, names);
			if (hint)
				sim_cfg_error(c, l->at, "'%s' of %s '%s' names unknown component '%s' (did you mean '%s'?)",
					      l->key, self->ops->name, self->name, l->at->str, hint);
			else
				sim_cfg_error(c, l->at, "'%s' of %s '%s' names unknown component '%s'",
					      l->key, self->ops->name, self->name, l->at->str);
			bad = -1;
			continue;
		}
		const struct sim_component *tc = &sc->comps[t];
		if ((uint32_t)t == l->self) {
			sim_cfg_error(c, l->at, "'%s' of %s '%s' names the component itself", l->key,
				      self->ops->name, self->name);
			bad = -1;
			continue;
		}
		if (!tc->ops)
			continue;	/* its own error was reported */
		if (l->want && strcmp(l->want, tc->ops->name)) {
			const struct sim_model_ops *w = sim_registry_find(l->want);
			sim_cfg_error(c, l->at, "'%s' of %s '%s' must name %s%s, but '%s' is a %s",
				      l->key, self->ops->name, self->name, w && w->noun ? "" : "a ",
				      w && w->noun ? w->noun : l->want, tc->name, tc->ops->name);
			bad = -1;
			continue;
		}
		if (!l->want && !tc->ops->receive) {
			sim_cfg_error(c, l->at, "'%s' of %s '%s' names %s '%s', which does not accept items%s",
				      l->key, self->ops->name, self->name, tc->ops->name, tc->name,
				      tc->ops->ready ? " (it pulls from a queue: send to that queue)" : "");
			bad = -1;
			continue;
		}
		if ((l->flags & SIM_CFG_CONSUMES) && (!tc->ops->pull || !sc->comps[l->self].ops->ready)) {
			sim_cfg_error(c, l->at, "'%s' of %s '%s' names %s '%s', which cannot be pulled from",
				      l->key, self->ops->name, self->name, tc->ops->name, tc->name);
			bad = -1;
			continue;
		}
		*l->out = (uint32_t)t;
		if ((l->flags & SIM_CFG_CONSUMES) && add_consumer(&sc->comps[t], l->self) < 0)
			return -1;
	}
	return bad;
}

/* Items must flow forward: a cycle of links would send an item around at
 * the same instant forever.  Depth-first search over item edges. */
static int check_graph(struct sim_scenario *sc, struct sim_cfg *c)
{
	size_t n = sc->ncomps;
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		const struct sim_component *q = &sc->comps[i];
		if (q->ops && q->ops->pull && !q->nconsumers) {
			sim_cfg_error(c, q->at, "nothing pulls from %s '%s': add workers with 'from: %s'",
				      q->ops->name, q->name, q->name);
			bad = -1;
		}
	}
	/* adjacency: edges from links */
	size_t *deg = calloc(n, sizeof *deg);
	uint32_t **adj = calloc(n, sizeof *adj);
	int *color = calloc(n, sizeof *color);
	uint32_t *stack = calloc(n + 1, sizeof *stack), *iter = calloc(n + 1, sizeof *iter);
	if (!deg || !adj || !color || !stack || !iter)
		goto oom;
	for (size_t i = 0; i < c->nlinks; i++) {
		const struct sim_cfg_link *l = &c->links[i];
		if (*l->out == UINT32_MAX || (l->flags & SIM_CFG_REFERENCE))
			continue;
		uint32_t from = l->flags & SIM_CFG_CONSUMES ? *l->out : l->self;
		uint32_t to = l->flags & SIM_CFG_CONSUMES ? l->self : *l->out;
		uint32_t *a = realloc(adj[from], (deg[from] + 1) * sizeof *a);
		if (!a)
			goto oom;
		adj[from] = a;
		a[deg[from]++] = to;
	}
	for (size_t s = 0; s < n && !bad; s++) {
		if (color[s])
			continue;
		size_t top = 0;
		stack[0] = (uint32_t)s;
		iter[0] = 0;
		color[s] = 1;
		while (top != (size_t)-1 && !bad) {
			uint32_t u = stack[top];
			if (iter[top] < deg[u]) {
				uint32_t v = adj[u][iter[top]++];
				if (color[v] == 1) {
					char path[1024];
					size_t used = 0, from = 0;
					while (stack[from] != v)
						from++;
					for (size_t k = from; k <= top && used < sizeof path; k++)
						used += (size_t)snprintf(path + used, sizeof path - used,
									 "%s -> ", sc->comps[stack[k]].name);
					if (used < sizeof path)
						snprintf(path + used, sizeof path - used, "%s",
							 sc->comps[v].name);
					sim_cfg_error(c, sc->comps[v].at,
						      "items would flow in a cycle: %s", path);
					bad = -1;
				} else if (!color[v]) {
					color[v] = 1;
					stack[++top] = v;
					iter[top] = 0;
				}
			} else {
				color[u] = 2;
				top--;
			}
		}
	}
	goto out;
oom:
	bad = -1;
out:
	for (size_t i = 0; adj && i < n; i++)
		free(adj[i]);
	free(adj);
	free(deg);
	free(color);
	free(stack);
	free(iter);
	return bad;
}

/* The report: as written, or the defaults (the producers' schedules for
 * the window, every buffer's depth for the criteria). */
static int load_report(struct sim_scenario *sc, struct sim_cfg *c, const struct sim_node *v)
{
	struct sim_report *r = &sc->report;
	if (sim_report_cfg(c, v, r) < 0)
		return -1;
	if (!r->has_window) {
		double from = INFINITY, to = -INFINITY;
		for (size_t i = 0; i < sc->ncomps; i++) {
			double f, t;
			const struct sim_component *k = &sc->comps[i];
			if (k->ops->window && k->ops->window(k->conf, &f, &t)) {
				from = fmin(from, f);
				to = fmax(to, t);
			}
		}
		/* a schedule that runs to the end leaves nothing to recover in:
		 * then no recovery is measured */
		if (isfinite(from) && to < sc->duration) {
			r->has_window = true;
			r->from = from;
			r->to = to;
		}
	}
	if (r->has_window && r->to >= sc->duration) {
		const struct sim_node *at = v ? sim_node_get(v, "window") : NULL;
		sim_cfg_error(c, at ? at : sim_node_get(c->at, "duration"),
			      "the overload window ends at %g s, not before the end of the run (%g s): nothing is left to measure recovery on",
			      r->to, sc->duration);
		return -1;
	}
	if (!r->explicit_crit) {
		size_t n = 0;
		for (size_t i = 0; i < sc->ncomps; i++)
			n += sc->comps[i].ops->pull != NULL;
		r->crit = sim_arena_alloc(&sc->arena, (n ? n : 1) * sizeof *r->crit);
		if (!r->crit)
			return -1;
		for (size_t i = 0; i < sc->ncomps; i++) {
			if (!sc->comps[i].ops->pull)
				continue;
			char metric[160];
			snprintf(metric, sizeof metric, "%s.depth", sc->comps[i].name);
			r->crit[r->ncrit++] = (struct sim_recovery){
				.metric = sim_arena_strdup(&sc->arena, metric),
				.below = NAN, .hold = 30,
			};
		}
	}
	return 0;
}

/* The name of a scenario without `name:`: its file's stem, made a safe
 * folder name under out/ that valid_scenario_name accepts.  Bytes other
 * than letters, digits, '_', '-' and '.' become '_', and so does a first
 * '.' or '-' ("...yaml" gives "_.", never ".." and the folder above); an
 * empty stem gives "scenario"; at most 100 bytes are kept. */
static const char *file_stem(struct sim_arena *a, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	if (!n)
		return "scenario";
	char *stem = sim_arena_strndup(a, base, n < 100 ? n : 100);
	for (char *s = stem; stem && *s; s++) {
		bool ok = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			  (*s >= '0' && *s <= '9') || *s == '_' ||
			  (s > stem && (*s == '-' || *s == '.'));
		if (!ok)
			*s = '_';
	}
	return stem ? stem : "scenario";
}

static int build(struct sim_scenario *sc, struct sim_node *root, const struct sim_load_opts *o,
		 struct sim_diag *diag)
{
	struct sim_cfg c = {
		.arena = &sc->arena, .diag = diag, .kind = "scenario", .at = root,
	};
	const char *slash = strrchr(sc->path, '/');
	c.base_dir = slash ? sim_arena_strndup(&sc->arena, sc->path, (size_t)(slash - sc->path)) : ".";
	c.name = file_stem(&sc->arena, sc->path);
	if (root->type != SIM_NODE_MAP) {
		sim_cfg_error(&c, root, "expected a map of keys such as duration and components at the top of the scenario, got %s",
			      sim_node_type_name(root->type));
		return -1;
	}
	int bad = sim_cfg_check_keys(&c, root, top_keys, "the scenario");
	int structural = 0;

	/* variants: names, then the chosen one's overrides */
	const struct sim_node *variants = sim_node_get(root, "variants");
	const struct sim_node *comps = sim_node_get(root, "components");
	if (variants && variants->type != SIM_NODE_MAP) {
		sim_cfg_error(&c, variants, "expected a map of variant names to overrides for 'variants', got %s",
			      sim_node_type_name(variants->type));
		return -1;
	}
	size_t nv = variants ? variants->n : 0;
	sc->variants = sim_arena_alloc(&sc->arena, (nv + 2) * sizeof *sc->variants);
	if (!sc->variants)
		return -1;
	for (size_t i = 0; i < nv; i++) {
		const struct sim_node *k = variants->kids[2 * i];
		if (!strcmp(k->str, "baseline")) {
			sim_cfg_error(&c, k, "'baseline' is reserved for the scenario without overrides; pick another variant name");
			structural = -1;
		} else if (!valid_name(k->str)) {
			sim_cfg_error(&c, k, "bad variant name '%s' (use lowercase letters, digits, '_' and '-')",
				      k->str);
			structural = -1;
		}
		sc->variants[i] = k->str;
	}
	sc->nvariants = nv;
	if (!comps) {
		sim_cfg_error(&c, root, "missing 'components' in the scenario");
		return -1;
	}
	const char *variant = o && o->variant ? o->variant : "baseline";
	sc->variant = sim_arena_strdup(&sc->arena, variant);
	if (strcmp(variant, "baseline")) {
		const struct sim_node *over = variants ? sim_node_get(variants, variant) : NULL;
		if (!over) {
			char list[512] = "baseline";
			if (nv) {
				size_t l = strlen(list);
				snprintf(list + l, sizeof list - l, ", ");
				sim_join(list + l + 2, sizeof list - l - 2, sc->variants);
			}
			sim_diag_error(diag, sc->path, 0, 0, "unknown variant '%s' (expected one of: %s)",
				       variant, list);
			return -1;
		}
		if (comps->type == SIM_NODE_MAP) {
			comps = apply_overrides(&c, comps, over, variant);
			if (!comps)
				return -1;
		}
	}
	for (size_t i = 0; o && i < o->nsets; i++) {
		if (comps->type != SIM_NODE_MAP)
			break;
		if (apply_set(&c, &root, &comps, o->sets[i], (int)i + 1) < 0)
			structural = -1;
	}
	if (structural)
		return -1;

	/* top-level values */
	const struct sim_node *nm = sim_node_get(root, "name");
	sc->name = c.name;
	if (nm) {
		if (nm->type != SIM_NODE_SCALAR || !valid_scenario_name(nm->str)) {
			sim_cfg_error(&c, nm, "bad scenario name '%s' (letters, digits, '_', '-' and '.'; it names the output folder)",
				      nm->str);
			bad = -1;
		} else {
			sc->name = nm->str;
		}
	}
	c.name = sc->name;
	sc->sample = 1;
	sc->seed = 1;
	/* each checked on its own, so one bad value does not hide another */
	int top = 0;
	top |= sim_cfg_duration(&c, root, "duration", &sc->duration, SIM_CFG_REQUIRED | SIM_CFG_POSITIVE) < 0;
	top |= sim_cfg_duration(&c, root, "warmup", &sc->warmup, 0) < 0;
	top |= sim_cfg_duration(&c, root, "sample", &sc->sample, SIM_CFG_POSITIVE) < 0;
	top |= sim_cfg_count(&c, root, "seed", &sc->seed, 0, UINT64_C(9007199254740992), 0) < 0;
	if (top)
		bad = -1;
	if (o && o->has_seed)
		sc->seed = o->seed;
	if (!bad && sc->warmup >= sc->duration) {
		sim_cfg_error(&c, sim_node_get(root, "warmup"),
			      "warmup (%g s) must end before the run does (duration %g s)",
			      sc->warmup, sc->duration);
		bad = -1;
	}
	double rows = sim_scenario_rows(sc);
	if (!bad && rows > MAX_ROWS) {
		const struct sim_node *at = sim_node_get(root, "sample");
		sim_cfg_error(&c, at ? at : sim_node_get(root, "duration"),
			      "sample %.9g s over duration %.9g s makes %.0f time-series rows (at most %d): raise 'sample'",
			      sc->sample, sc->duration, rows, MAX_ROWS);
		bad = -1;
	}

	const struct sim_node *lim = sim_node_get(root, "limits");
	if (lim) {
		static const char *const lkeys[] = { "max_items", "max_events", "max_wall", NULL };
		if (lim->type != SIM_NODE_MAP) {
			sim_cfg_error(&c, lim, "expected {max_items, max_events, max_wall} for 'limits', got %s",
				      sim_node_type_name(lim->type));
			bad = -1;
		} else {
			int e = sim_cfg_check_keys(&c, lim, lkeys, "the limits") < 0;
			e |= sim_cfg_count(&c, lim, "max_items", &sc->max_items, 1, UINT64_C(1) << 40, 0) < 0;
			e |= sim_cfg_count(&c, lim, "max_events", &sc->max_events, 1, UINT64_C(1) << 53, 0) < 0;
			e |= sim_cfg_duration(&c, lim, "max_wall", &sc->max_wall_s, SIM_CFG_POSITIVE) < 0;
			if (e)
				bad = -1;
		}
	}
	/* components refer to classes: without them there is nothing to check */
	if (load_classes(sc, &c, sim_node_get(root, "classes")) < 0)
		return -1;
	c.class_names = sc->class_names;
	c.class_prio = sc->class_prio;
	c.nclasses = sc->nclasses;
	if (load_components(sc, &c, comps) < 0)
		bad = -1;
	if (resolve_links(sc, &c) < 0)	/* link errors too, in the same pass */
		bad = -1;
	if (!bad)
		bad = check_graph(sc, &c);
	free(c.links);
	if (c.ncolumns) {
		sc->columns = sim_arena_alloc(&sc->arena, c.ncolumns * sizeof *sc->columns);
		if (sc->columns) {
			memcpy(sc->columns, c.columns, c.ncolumns * sizeof *sc->columns);
			sc->ncolumns = c.ncolumns;
		}
	}
	free(c.columns);
	if (!bad)
		bad = load_report(sc, &c, sim_node_get(root, "report"));
	return bad;
}

double sim_scenario_rows(const struct sim_scenario *sc)
{
	/* the engine samples at k * sample and snaps a last sample within
	 * 1e-9 of a sample of the end to the end: so many rows, no more */
	return ceil(sc->duration / sc->sample - 1e-9);
}

/* A new scenario named path, its arena ready; NULL (reported) if no memory. */
static struct sim_scenario *scenario_new(const char *path, struct sim_diag *diag)
{
	struct sim_scenario *sc = calloc(1, sizeof *sc);
	if (sc) {
		sim_arena_init(&sc->arena);
		sc->path = sim_arena_strdup(&sc->arena, path);
		if (sc->path)
			return sc;
		free(sc);
	}
	sim_diag_error(diag, path, 0, 0, "out of memory");
	return NULL;
}

/* Builds sc from root; frees it and returns NULL on any error. */
static struct sim_scenario *scenario_build(struct sim_scenario *sc, const struct sim_node *root,
					   const struct sim_load_opts *o, struct sim_diag *diag,
					   int errs)
{
	sc->root = root;
	if (!root || build(sc, (struct sim_node *)root, o, diag) < 0 || diag->errors > errs) {
		if (diag->errors == errs)
			sim_diag_error(diag, sc->path, 0, 0, "out of memory");
		sim_scenario_free(sc);
		return NULL;
	}
	return sc;
}

struct sim_scenario *sim_scenario_parse(const char *path, const char *buf, size_t len,
					const struct sim_load_opts *o,
					struct sim_diag *diag)
{
	struct sim_scenario *sc = scenario_new(path, diag);
	if (!sc)
		return NULL;
	int errs = diag->errors;
	struct sim_node *root = sim_node_parse(&sc->arena, sc->path, buf, len, diag);
	return scenario_build(sc, root, o, diag, errs);
}

struct sim_scenario *sim_scenario_derive(const struct sim_scenario *base,
					 const struct sim_load_opts *o, struct sim_diag *diag)
{
	struct sim_scenario *sc = scenario_new(base->path, diag);
	return sc ? scenario_build(sc, base->root, o, diag, diag->errors) : NULL;
}

struct sim_scenario *sim_scenario_load(const char *path, const struct sim_load_opts *o,
				       struct sim_diag *diag)
{
	size_t len;
	char *buf = sim_node_read(path, &len, diag);
	if (!buf)
		return NULL;
	struct sim_scenario *sc = sim_scenario_parse(path, buf, len, o, diag);
	free(buf);
	return sc;
}
