/* links.c - links between components resolved by name, and their graph.
 *
 * Models record links while they are configured (sim_cfg_link: `to`,
 * `from`, ...); only once every component is known can a name be
 * resolved and its target's kind checked.  Then the graph: each queue
 * needs a consumer, and items must flow forward, never in a cycle; and
 * its parts: the components no link joins do not act on each other.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/model.h"
#include "sim/registry.h"
#include "sim/scenario_private.h"

static int add_consumer(struct sim_component *t, uint32_t who)
{
	uint32_t *v = realloc(t->consumers, (t->nconsumers + 1) * sizeof *v);
	if (!v)
		return -1;
	t->consumers = v;
	v[t->nconsumers++] = who;
	return 0;
}

/* Whether link l may name component t (not itself, of the kind wanted:
 * t's kind is known); a misfit is reported. */
static bool link_fits(const struct sim_scenario *sc, struct sim_cfg *c,
		      const struct sim_cfg_link *l, int t)
{
	const struct sim_component *self = &sc->comps[l->self];
	const struct sim_component *tc = &sc->comps[t];
	if ((uint32_t)t == l->self) {
		sim_cfg_error(c, l->at, "'%s' of %s '%s' names the component itself", l->key,
			      self->ops->name, self->name);
		return false;
	}
	/* a consumer's link may name any buffer (a queue, a topic) */
	bool buffer = (l->flags & SIM_CFG_CONSUMES) && tc->ops->pull;
	if (l->want && strcmp(l->want, tc->ops->name) && !buffer) {
		const struct sim_model_ops *w = sim_registry_find(l->want);
		sim_cfg_error(c, l->at, "'%s' of %s '%s' must name %s%s, but '%s' is a %s",
			      l->key, self->ops->name, self->name, w && w->noun ? "" : "a ",
			      w && w->noun ? w->noun : l->want, tc->name, tc->ops->name);
		return false;
	}
	if (!l->want && !tc->ops->receive) {
		sim_cfg_error(c, l->at, "'%s' of %s '%s' names %s '%s', which does not accept items%s",
			      l->key, self->ops->name, self->name, tc->ops->name, tc->name,
			      tc->ops->ready ? " (it pulls from a queue: send to that queue)" : "");
		return false;
	}
	if ((l->flags & SIM_CFG_CONSUMES) && (!tc->ops->pull || !self->ops->ready)) {
		sim_cfg_error(c, l->at, "'%s' of %s '%s' names %s '%s', which cannot be pulled from",
			      l->key, self->ops->name, self->name, tc->ops->name, tc->name);
		return false;
	}
	return true;
}

int sim_links_resolve(struct sim_scenario *sc, struct sim_cfg *c)
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
		if (t < 0 && sim_node_get(sim_node_get(sc->root, "components"), l->at->str)) {
			sim_cfg_error(c, l->at, "'%s' of %s '%s' names component '%s', which variant '%s' removes",
				      l->key, self->ops->name, self->name, l->at->str, sc->variant);
			bad = -1;
			continue;
		}
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
		/* a target of unknown kind had its own error reported; it is
		 * never the component itself, whose kind is known */
		if (!sc->comps[t].ops)
			continue;
		if (!link_fits(sc, c, l, t)) {
			bad = -1;
			continue;
		}
		*l->out = (uint32_t)t;
		if ((l->flags & SIM_CFG_CONSUMES) && add_consumer(&sc->comps[t], l->self) < 0)
			return -1;
	}
	return bad;
}

/* ---- the graph ---------------------------------------------------------- */

/* Item edges between n components, and the state of a depth-first search
 * over them. */
struct graph {
	size_t n;
	size_t *deg;
	uint32_t **adj;
	int *color;			/* 0 unseen, 1 on the stack, 2 done */
	uint32_t *stack, *iter;		/* the path searched, and each one's next edge */
};

static void graph_fini(struct graph *g)
{
	for (size_t i = 0; g->adj && i < g->n; i++)
		free(g->adj[i]);
	free(g->adj);
	free(g->deg);
	free(g->color);
	free(g->stack);
	free(g->iter);
}

/* The edges of the resolved links that carry items (a consumer's link
 * runs from the queue to it); -1 if no memory. */
static int graph_init(struct graph *g, size_t n, const struct sim_cfg *c)
{
	g->n = n;
	g->deg = calloc(n, sizeof *g->deg);
	g->adj = calloc(n, sizeof *g->adj);
	g->color = calloc(n, sizeof *g->color);
	g->stack = calloc(n + 1, sizeof *g->stack);
	g->iter = calloc(n + 1, sizeof *g->iter);
	if (!g->deg || !g->adj || !g->color || !g->stack || !g->iter)
		return -1;
	for (size_t i = 0; i < c->nlinks; i++) {
		const struct sim_cfg_link *l = &c->links[i];
		if (*l->out == UINT32_MAX || (l->flags & SIM_CFG_REFERENCE))
			continue;
		uint32_t from = l->flags & SIM_CFG_CONSUMES ? *l->out : l->self;
		uint32_t to = l->flags & SIM_CFG_CONSUMES ? l->self : *l->out;
		uint32_t *a = realloc(g->adj[from], (g->deg[from] + 1) * sizeof *a);
		if (!a)
			return -1;
		g->adj[from] = a;
		a[g->deg[from]++] = to;
	}
	return 0;
}

/* Reports the cycle that closes at v, on the search's path up to top. */
static void report_cycle(const struct sim_scenario *sc, struct sim_cfg *c, const struct graph *g,
			 size_t top, uint32_t v)
{
	char path[1024];
	size_t used = 0, from = 0;
	while (g->stack[from] != v)
		from++;
	for (size_t k = from; k <= top && used < sizeof path; k++)
		used += (size_t)snprintf(path + used, sizeof path - used, "%s -> ",
					 sc->comps[g->stack[k]].name);
	if (used < sizeof path)
		snprintf(path + used, sizeof path - used, "%s", sc->comps[v].name);
	sim_cfg_error(c, sc->comps[v].at, "items would flow in a cycle: %s", path);
}

/* Depth-first search from s (unseen), iterative so that a long chain
 * cannot overflow the stack; -1 at the first cycle (reported). */
static int find_cycle(const struct sim_scenario *sc, struct sim_cfg *c, struct graph *g,
		      size_t s)
{
	size_t top = 0;
	g->stack[0] = (uint32_t)s;
	g->iter[0] = 0;
	g->color[s] = 1;
	while (top != (size_t)-1) {
		uint32_t u = g->stack[top];
		if (g->iter[top] < g->deg[u]) {
			uint32_t v = g->adj[u][g->iter[top]++];
			if (g->color[v] == 1) {
				report_cycle(sc, c, g, top, v);
				return -1;
			} else if (!g->color[v]) {
				g->color[v] = 1;
				g->stack[++top] = v;
				g->iter[top] = 0;
			}
		} else {
			g->color[u] = 2;
			top--;
		}
	}
	return 0;
}

/* Items must flow forward: a cycle of links would send an item around at
 * the same instant forever. */
int sim_links_check(struct sim_scenario *sc, struct sim_cfg *c)
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
		if (q->ops && (q->ops->flags & SIM_MODEL_ONE_CONSUMER) && q->nconsumers > 1) {
			sim_cfg_error(c, q->at, "%s '%s' has one consumer group: only one pool may pull from it",
				      q->ops->name, q->name);
			bad = -1;
		}
	}
	struct graph g = { 0 };
	if (graph_init(&g, n, c) < 0)
		bad = -1;
	for (size_t s = 0; s < n && !bad; s++)
		if (!g.color[s])
			bad = find_cycle(sc, c, &g, s);
	graph_fini(&g);
	return bad;
}

/* ---- independent parts -------------------------------------------------- */

/* The root of i's set, halving the path on the way. */
static uint32_t root_of(uint32_t *up, uint32_t i)
{
	while (up[i] != i) {
		up[i] = up[up[i]];
		i = up[i];
	}
	return i;
}

int sim_links_parts(struct sim_scenario *sc, const struct sim_cfg *c)
{
	size_t n = sc->ncomps;
	uint32_t *up = malloc((n ? n : 1) * sizeof *up);
	sc->part_of = sim_arena_alloc(&sc->arena, (n ? n : 1) * sizeof *sc->part_of);
	if (!up || !sc->part_of) {
		free(up);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		up[i] = (uint32_t)i;
	for (size_t i = 0; i < c->nlinks; i++) {
		const struct sim_cfg_link *l = &c->links[i];
		if (*l->out == UINT32_MAX)
			continue;
		uint32_t a = root_of(up, l->self), b = root_of(up, *l->out);
		if (a != b)
			up[a > b ? a : b] = a < b ? a : b;	/* the smaller root stays */
	}
	/* a root is its set's first component: parts are numbered in order */
	sc->nparts = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t r = root_of(up, (uint32_t)i);
		sc->part_of[i] = r == i ? (uint32_t)sc->nparts++ : sc->part_of[r];
	}
	free(up);
	return 0;
}
