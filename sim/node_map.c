/* node_map.c - maps of the node tree: lookup, the copy-on-write edits
 * that variants and --set use, and YAML merge keys.
 *
 * Edits never change a map in place: sim_node_with and sim_node_without
 * return a new node that shares the pairs they keep, so one parsed file
 * serves every variant.  Merge keys are the one exception: the builder
 * expands them once, on a map it has just closed and nobody shares yet.
 */
#include "sim/node.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct sim_node *sim_node_key(const struct sim_node *map, const char *key)
{
	if (!map || map->type != SIM_NODE_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (!strcmp(map->kids[2 * i]->str, key))
			return map->kids[2 * i];
	return NULL;
}

const struct sim_node *sim_node_get(const struct sim_node *map, const char *key)
{
	if (!map || map->type != SIM_NODE_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (!strcmp(map->kids[2 * i]->str, key))
			return map->kids[2 * i + 1];
	return NULL;
}

struct sim_node *sim_node_with(struct sim_arena *arena, const struct sim_node *map,
			       const struct sim_node *key, struct sim_node *value)
{
	struct sim_node *n = sim_arena_alloc(arena, sizeof *n);
	if (!n)
		return NULL;
	*n = *map;
	size_t i, pairs = map->n;
	for (i = 0; i < pairs; i++)
		if (!strcmp(map->kids[2 * i]->str, key->str))
			break;
	size_t total = i < pairs ? pairs : pairs + 1;
	n->kids = sim_arena_alloc(arena, 2 * total * sizeof *n->kids);
	if (!n->kids)
		return NULL;
	if (pairs)
		memcpy(n->kids, map->kids, 2 * pairs * sizeof *n->kids);
	n->kids[2 * i] = (struct sim_node *)key;
	n->kids[2 * i + 1] = value;
	n->n = total;
	return n;
}

/* A shallow copy of map without the keys equal to key, or starting with
 * it when prefix: one pass, whatever the number dropped. */
static struct sim_node *without(struct sim_arena *arena, const struct sim_node *map,
				const char *key, bool prefix)
{
	struct sim_node *n = sim_arena_alloc(arena, sizeof *n);
	if (!n)
		return NULL;
	*n = *map;
	n->kids = map->n ? sim_arena_alloc(arena, 2 * map->n * sizeof *n->kids) : NULL;
	if (map->n && !n->kids)
		return NULL;
	n->n = 0;
	size_t len = strlen(key);
	for (size_t i = 0; i < map->n; i++) {
		const char *k = map->kids[2 * i]->str;
		if (prefix ? strncmp(k, key, len) : strcmp(k, key)) {
			n->kids[2 * n->n] = map->kids[2 * i];
			n->kids[2 * n->n++ + 1] = map->kids[2 * i + 1];
		}
	}
	return n;
}

struct sim_node *sim_node_without(struct sim_arena *arena, const struct sim_node *map,
				  const char *key)
{
	return without(arena, map, key, false);
}

struct sim_node *sim_node_without_prefix(struct sim_arena *arena, const struct sim_node *map,
					 const char *prefix)
{
	return without(arena, map, prefix, true);
}

/* A pair of a map being merged, with its place in the order of precedence. */
struct pair {
	struct sim_node *key, *val;
	size_t order;
};

static int cmp_pair_key(const void *x, const void *y)
{
	const struct pair *a = x, *c = y;
	int r = strcmp(a->key->str, c->key->str);
	return r ? r : (a->order > c->order) - (a->order < c->order);
}

static int cmp_pair_order(const void *x, const void *y)
{
	const struct pair *a = x, *c = y;
	return (a->order > c->order) - (a->order < c->order);
}

/* Appends the pairs of map m but the key skip to ps (room for them is
 * there), numbering them in order from n; the new count. */
static size_t add_pairs(struct pair *ps, size_t n, const struct sim_node *m,
			const struct sim_node *skip)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->kids[2 * i] != skip)
			ps[n] = (struct pair){ m->kids[2 * i], m->kids[2 * i + 1], n }, n++;
	return n;
}

/* The i-th map a merge key's value v names: v itself, or its i-th item. */
static const struct sim_node *merged(const struct sim_node *v, size_t i)
{
	return v->type == SIM_NODE_SEQ ? v->kids[i] : v;
}

/* Why m, named by a merge key (as an item of a list when in_list), cannot
 * be merged. */
static const char *merge_error(const struct sim_node *m, bool in_list)
{
#define MERGE_WANTS "a merge key '<<' takes a map or a list of maps (such as *base), got "
	if (!in_list)
		return m->type == SIM_NODE_NULL ? MERGE_WANTS "nothing" : MERGE_WANTS "a value";
	switch (m->type) {
	case SIM_NODE_NULL: return MERGE_WANTS "a list holding nothing";
	case SIM_NODE_SEQ: return MERGE_WANTS "a list holding a list";
	default: return MERGE_WANTS "a list holding a value";
	}
#undef MERGE_WANTS
}

int sim_node_merge_keys(struct sim_arena *arena, struct sim_node *map,
			const struct sim_node **at, const char **why)
{
	const struct sim_node *k = sim_node_key(map, "<<"), *v = sim_node_get(map, "<<");
	if (!k)
		return 0;
	size_t nsrc = v->type == SIM_NODE_SEQ ? v->n : 1, total = map->n;
	for (size_t i = 0; i < nsrc; i++) {
		const struct sim_node *m = merged(v, i);
		if (m->type != SIM_NODE_MAP) {
			/* an alias keeps its anchor's position, above the key:
			 * then the key is the place to name */
			bool here = m->line > k->line || (m->line == k->line && m->col > k->col);
			*at = here ? m : k;
			*why = merge_error(m, v->type == SIM_NODE_SEQ);
			return -1;
		}
		total += m->n;
	}
	*at = k;
	*why = "out of memory";
	struct pair *ps = malloc(total * sizeof *ps);
	if (!ps)
		return -1;
	size_t n = add_pairs(ps, 0, map, k);
	for (size_t i = 0; i < nsrc; i++)
		n = add_pairs(ps, n, merged(v, i), NULL);
	qsort(ps, n, sizeof *ps, cmp_pair_key);
	size_t kept = 0;
	for (size_t i = 0; i < n; i++)	/* the first of each key wins */
		if (!kept || strcmp(ps[i].key->str, ps[kept - 1].key->str))
			ps[kept++] = ps[i];
	qsort(ps, kept, sizeof *ps, cmp_pair_order);
	struct sim_node **kids = sim_arena_alloc(arena, 2 * kept * sizeof *kids);
	if (kids) {
		for (size_t i = 0; i < kept; i++) {
			kids[2 * i] = ps[i].key;
			kids[2 * i + 1] = ps[i].val;
		}
		map->kids = kids;
		map->n = kept;
	}
	free(ps);
	return kids ? 0 : -1;
}
