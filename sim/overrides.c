/* overrides.c - the chosen variant and each --set, merged into the tree.
 *
 * Overrides never change the parsed tree: sim_node_with makes a new node
 * where one changes and shares the rest, so that one parsed file serves
 * every variant (sim_scenario_derive).  A --set is parsed as YAML placed
 * so that its messages point into the argument: "--set:IDX:COL", IDX the
 * 1-based position of that --set on the command line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario_private.h"
#include "sim/strindex.h"

static const struct sim_node *merge_list(struct sim_cfg *c, const struct sim_node *base,
					 const struct sim_node *over);

/* Deep merge: maps merge key by key, anything else replaces.  A key whose
 * new value is null is deleted (the model then applies its default).  A
 * map that names a distribution (`dist`) replaces the old value whole,
 * since the keys of one distribution make no sense in another.  A map of
 * list indices over a list (`schedule: {0: {rate: 5/s}}`, or the --set
 * path users.schedule.0.rate) merges into those elements.  NULL after
 * reporting a bad index, or without memory. */
static const struct sim_node *merge(struct sim_cfg *c, const struct sim_node *base,
				    const struct sim_node *over)
{
	if (base && base->type == SIM_NODE_SEQ && over->type == SIM_NODE_MAP)
		return merge_list(c, base, over);
	if (!base || base->type != SIM_NODE_MAP || over->type != SIM_NODE_MAP ||
	    sim_node_get(over, "dist"))
		return over;
	const struct sim_node *r = base;
	for (size_t i = 0; i < over->n && r; i++) {
		const struct sim_node *k = over->kids[2 * i], *ov = over->kids[2 * i + 1];
		if (ov->type == SIM_NODE_NULL) {
			r = sim_node_without(c->arena, r, k->str);
			continue;
		}
		const struct sim_node *v = merge(c, sim_node_get(r, k->str), ov);
		if (!v)
			return NULL;
		const struct sim_node *old = sim_node_key(r, k->str);
		r = sim_node_with(c->arena, r, old ? old : k, (struct sim_node *)v);
	}
	return r;
}

/* An index into a list of n elements, written k ("0", "12"); -1 if k is
 * not an index (reported). */
static long list_index(struct sim_cfg *c, const struct sim_node *k, size_t n)
{
	const char *s = k->str;
	size_t len = strspn(s, "0123456789");
	if (!*s || s[len] || len > 9) {
		sim_cfg_error(c, k, "'%s' is not a list index: this key holds a list, so the key after it is a position (0, 1, ...)",
			      s);
		return -1;
	}
	long i = strtol(s, NULL, 10);
	if ((size_t)i >= n) {
		sim_cfg_error(c, k, "index %ld is out of range: the list has %zu element%s (0 to %zu)",
			      i, n, n == 1 ? "" : "s", n ? n - 1 : 0);
		return -1;
	}
	return i;
}

static const struct sim_node *merge_list(struct sim_cfg *c, const struct sim_node *base,
					 const struct sim_node *over)
{
	struct sim_node *r = sim_arena_alloc(c->arena, sizeof *r);
	if (!r)
		return NULL;
	*r = *base;
	r->kids = sim_arena_alloc(c->arena, (base->n ? base->n : 1) * sizeof *r->kids);
	if (!r->kids)
		return NULL;
	memcpy(r->kids, base->kids, base->n * sizeof *r->kids);
	for (size_t i = 0; i < over->n; i++) {
		long at = list_index(c, over->kids[2 * i], base->n);
		if (at < 0)
			return NULL;
		const struct sim_node *ov = over->kids[2 * i + 1];
		if (ov->type == SIM_NODE_NULL) {
			sim_cfg_error(c, over->kids[2 * i], "a list element cannot be deleted; override its keys instead");
			return NULL;
		}
		const struct sim_node *v = merge(c, r->kids[at], ov);
		if (!v)
			return NULL;
		r->kids[at] = (struct sim_node *)v;
	}
	return r;
}

/* The names of the components of the map comps, NULL-ended, into names
 * (SIM_SCENARIO_MAX_SUGGEST + 1 of them): for suggestions. */
static void component_names(const struct sim_node *comps, const char **names)
{
	size_t nn = 0;
	for (size_t i = 0; i < comps->n && nn < SIM_SCENARIO_MAX_SUGGEST; i++)
		names[nn++] = comps->kids[2 * i]->str;
	names[nn] = NULL;
}

/* The components' map as a variant edits it: its pairs in order, a
 * removed component's value NULL, and its names indexed (pair + 1), so
 * that a variant overriding every one of thousands of components takes
 * time in proportion to them. */
struct edit {
	struct sim_node **kids;	/* key0, value0, ...: room for the additions */
	size_t n;
	struct sim_strindex index;
};

/* 0, or -1 when out of memory. */
static int edit_begin(struct sim_cfg *c, struct edit *ed, const struct sim_node *comps,
		      size_t more)
{
	*ed = (struct edit){ .n = comps->n };
	ed->kids = sim_arena_alloc(c->arena, 2 * (comps->n + more + 1) * sizeof *ed->kids);
	if (!ed->kids)
		return -1;
	if (comps->n)
		memcpy(ed->kids, comps->kids, 2 * comps->n * sizeof *ed->kids);
	for (size_t i = 0; i < ed->n; i++)
		sim_strindex_add(&ed->index, ed->kids[2 * i]->str, i + 1);
	return sim_strindex_on(&ed->index) ? 0 : -1;
}

/* The pair of the component named name, or -1 (removed ones too). */
static long edit_find(const struct edit *ed, const char *name)
{
	uintptr_t at = sim_strindex_get(&ed->index, name);
	return at && ed->kids[2 * (at - 1) + 1] ? (long)at - 1 : -1;
}

/* The map the edits made (NULL when out of memory); ed is left empty. */
static const struct sim_node *edit_end(struct sim_cfg *c, struct edit *ed,
				       const struct sim_node *comps)
{
	sim_strindex_fini(&ed->index);
	struct sim_node *n = sim_arena_alloc(c->arena, sizeof *n);
	if (!n)
		return NULL;
	*n = *comps;
	n->kids = ed->kids;
	n->n = 0;
	for (size_t i = 0; i < ed->n; i++)
		if (ed->kids[2 * i + 1]) {
			n->kids[2 * n->n] = ed->kids[2 * i];
			n->kids[2 * n->n + 1] = ed->kids[2 * i + 1];
			n->n++;
		}
	return n;
}

/* Applies one override, k: v, to ed: false after reporting an error. */
static bool apply_one(struct sim_cfg *c, struct edit *ed, const struct sim_node *k,
		      const struct sim_node *v, const char *variant, const char *const *names)
{
	long at = edit_find(ed, k->str);
	if (at < 0 && v->type == SIM_NODE_MAP && sim_node_get(v, "kind")) {
		ed->kids[2 * ed->n] = (struct sim_node *)k;	/* a component the variant adds */
		ed->kids[2 * ed->n + 1] = (struct sim_node *)v;
		if (sim_strindex_add(&ed->index, k->str, ++ed->n) < 0) {
			sim_cfg_error(c, k, "out of memory");
			return false;
		}
		return true;
	}
	if (at < 0) {
		const char *hint = sim_suggest(k->str, names);
		if (hint)
			sim_cfg_error(c, k, "variant '%s' overrides unknown component '%s' (did you mean '%s'?)",
				      variant, k->str, hint);
		else
			sim_cfg_error(c, k, "variant '%s' overrides unknown component '%s' (to add a component, give its full definition with 'kind')",
				      variant, k->str);
		return false;
	}
	if (v->type == SIM_NODE_NULL) {
		ed->kids[2 * at + 1] = NULL;	/* a component the variant removes */
		return true;
	}
	if (v->type != SIM_NODE_MAP) {
		sim_cfg_error(c, v, "override of component '%s' in variant '%s' must be a map of keys (or null to remove it), got %s",
			      k->str, variant, sim_node_type_name(v->type));
		return false;
	}
	if (sim_node_get(v, "kind")) {
		sim_cfg_error(c, sim_node_key(v, "kind"),
			      "variant '%s' cannot change the kind of component '%s'", variant, k->str);
		return false;
	}
	const struct sim_node *m = merge(c, ed->kids[2 * at + 1], v);
	if (m)
		ed->kids[2 * at + 1] = (struct sim_node *)m;
	return m != NULL;
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
	const char *names[SIM_SCENARIO_MAX_SUGGEST + 1];
	component_names(comps, names);
	struct edit ed;
	if (edit_begin(c, &ed, comps, over->n) < 0) {
		sim_strindex_fini(&ed.index);
		sim_cfg_error(c, over, "out of memory");
		return NULL;
	}
	bool bad = false;
	for (size_t i = 0; i < over->n; i++)
		if (!apply_one(c, &ed, over->kids[2 * i], over->kids[2 * i + 1], variant, names))
			bad = true;
	const struct sim_node *n = edit_end(c, &ed, comps);
	if (!n && !bad)
		sim_cfg_error(c, over, "out of memory");
	return bad ? NULL : n;
}

/* ---- one --set ---------------------------------------------------------- */

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

/* The VALUE of the idx-th --set PATH=VALUE (plen the length of PATH),
 * shifted so YAML's own positions match the argument; NULL if bad
 * (reported) or no memory. */
static struct sim_node *set_value(struct sim_cfg *c, const char *value, size_t plen, int idx)
{
	size_t vlen = strlen(value);
	size_t blen = (size_t)(idx - 1) + plen + 1 + vlen;
	char *buf = sim_arena_alloc(c->arena, blen + 1);
	if (!buf)
		return NULL;
	if (vlen == 0)
		return mk(c->arena, SIM_NODE_NULL, idx, (int)plen + 2, "");
	memset(buf, '\n', (size_t)(idx - 1));
	memset(buf + idx - 1, ' ', plen + 1);
	memcpy(buf + idx - 1 + plen + 1, value, vlen);
	return sim_node_parse(c->arena, "--set", buf, blen, c->diag);
}

/* A --set of a top-level key (no dot in path): replaces its value. */
static int set_top(struct sim_cfg *c, struct sim_node **root, const char *path, int idx,
		   struct sim_node *val)
{
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

static void unknown_component(struct sim_cfg *c, const struct sim_node *comps, const char *comp,
			      int idx)
{
	const char *names[SIM_SCENARIO_MAX_SUGGEST + 1];
	component_names(comps, names);
	const char *hint = sim_suggest(comp, names);
	if (hint)
		sim_diag_error(c->diag, "--set", idx, 1,
			       "unknown component '%s' (did you mean '%s'?)", comp, hint);
	else
		sim_diag_error(c->diag, "--set", idx, 1, "unknown component '%s'", comp);
}

/* {k1: {k2: ... val}} from the dotted keys at `keys` inside path (split
 * there in place; at most 16 are kept), built from the inside out. */
static struct sim_node *nest(struct sim_cfg *c, char *path, char *keys_at, const char *arg,
			     int idx, struct sim_node *val)
{
	struct sim_node *over = val;
	char *keys[16];
	int nk = 0;
	for (char *p = keys_at; p && nk < 16;) {
		keys[nk++] = p;
		p = strchr(p, '.');
		if (p)
			*p++ = 0;
	}
	for (int i = nk - 1; i >= 0; i--) {
		if (!*keys[i]) {
			sim_diag_error(c->diag, "--set", idx, 1, "empty key in '%s'", arg);
			return NULL;
		}
		int col = (int)(keys[i] - path) + 1;
		struct sim_node *k = mk(c->arena, SIM_NODE_SCALAR, idx, col, keys[i]);
		struct sim_node *m = mk(c->arena, SIM_NODE_MAP, idx, col, NULL);
		if (!k || !m)
			return NULL;
		over = sim_node_with(c->arena, m, k, over);
		if (!over)
			return NULL;
	}
	return over;
}

/* Merges over, the keys under comp, into the top-level map comp of *root
 * (limits.max_items=..., report.window.to=...) or else into component comp. */
static int set_under(struct sim_cfg *c, struct sim_node **root, const struct sim_node **comps,
		     const char *comp, bool top_map, int idx, struct sim_node *over)
{
	struct sim_node *ck = mk(c->arena, SIM_NODE_SCALAR, idx, 1, comp);
	if (top_map) {
		if (!ck)
			return -1;
		struct sim_node *top = (struct sim_node *)merge(c, sim_node_get(*root, comp), over);
		if (!top)
			return -1;
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
	struct sim_node *val = set_value(c, eq + 1, plen, idx);
	if (!val)
		return -1;
	char path[256];
	if (plen >= sizeof path) {
		sim_diag_error(c->diag, "--set", idx, 1, "path too long in '%s'", arg);
		return -1;
	}
	memcpy(path, arg, plen);
	path[plen] = 0;
	char *dot = strchr(path, '.');
	if (!dot)
		return set_top(c, root, path, idx, val);
	*dot = 0;
	const char *comp = path;
	bool top_map = !strcmp(comp, "limits") || !strcmp(comp, "report");
	if (top_map && sim_node_get(*comps, comp))
		top_map = false;	/* a component of that name wins */
	if (!top_map && !sim_node_get(*comps, comp)) {
		unknown_component(c, *comps, comp, idx);
		return -1;
	}
	struct sim_node *over = nest(c, path, dot + 1, arg, idx, val);
	if (!over)
		return -1;
	return set_under(c, root, comps, comp, top_map, idx, over);
}

/* ---- the step ----------------------------------------------------------- */

int sim_overrides_variants(struct sim_scenario *sc, struct sim_cfg *c,
			   const struct sim_node *root, int *bad)
{
	const struct sim_node *variants = sim_node_get(root, "variants");
	if (variants && variants->type != SIM_NODE_MAP) {
		sim_cfg_error(c, variants, "expected a map of variant names to overrides for 'variants', got %s",
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
			sim_cfg_error(c, k, "'baseline' is reserved for the scenario without overrides; pick another variant name");
			*bad = -1;
		} else if (!sim_scenario_valid_name(k->str)) {
			sim_cfg_error(c, k, "bad variant name '%s' (use lowercase letters, digits, '_' and '-')",
				      k->str);
			*bad = -1;
		}
		sc->variants[i] = k->str;
	}
	sc->nvariants = nv;
	return 0;
}

/* Merges the overrides of variant (not "baseline") into *comps. */
static int apply_variant(struct sim_scenario *sc, struct sim_cfg *c, struct sim_node **root,
			 const struct sim_node **comps, const char *variant)
{
	const struct sim_node *variants = sim_node_get(*root, "variants");
	const struct sim_node *over = variants ? sim_node_get(variants, variant) : NULL;
	if (!over) {
		char list[512] = "baseline";
		if (sc->nvariants) {
			size_t l = strlen(list);
			snprintf(list + l, sizeof list - l, ", ");
			sim_join(list + l + 2, sizeof list - l - 2, sc->variants);
		}
		sim_diag_error(c->diag, sc->path, 0, 0, "unknown variant '%s' (expected one of: %s)",
			       variant, list);
		return -1;
	}
	/* `expect` in a variant replaces the scenario's expectations (a
	 * component of that name would take a map, never a list) */
	const struct sim_node *ek = sim_node_key(over, "expect"), *ev = sim_node_get(over, "expect");
	if (ev && ev->type != SIM_NODE_SEQ && !sim_node_get(*comps, "expect")) {
		sim_cfg_error(c, ev, "'expect' in variant '%s' must be a list of expectations (it replaces the scenario's), got %s",
			      variant, sim_node_type_name(ev->type));
		return -1;
	}
	if (ev && ev->type == SIM_NODE_SEQ) {
		*root = sim_node_with(c->arena, *root, ek, (struct sim_node *)ev);
		over = sim_node_without(c->arena, over, "expect");
		if (!*root || !over)
			return -1;
	}
	if ((*comps)->type == SIM_NODE_MAP) {
		*comps = apply_overrides(c, *comps, over, variant);
		if (!*comps)
			return -1;
	}
	return 0;
}

int sim_overrides_apply(struct sim_scenario *sc, struct sim_cfg *c,
			const struct sim_load_opts *o, struct sim_node **root,
			const struct sim_node **comps)
{
	const char *variant = o && o->variant ? o->variant : "baseline";
	sc->variant = sim_arena_strdup(&sc->arena, variant);
	if (strcmp(variant, "baseline") && apply_variant(sc, c, root, comps, variant) < 0)
		return -1;
	int bad = 0;
	for (size_t i = 0; o && i < o->nsets; i++) {
		if ((*comps)->type != SIM_NODE_MAP)
			break;
		if (apply_set(c, root, comps, o->sets[i], (int)i + 1) < 0)
			bad = -1;
	}
	return bad;
}
