/* scenario.c - from a YAML tree to a checked scenario: the top level.
 *
 * build() runs the loader's steps (sim/scenario_private.h) in order; order
 * matters for good messages: overrides first, then the top level (so
 * components can refer to classes), then each component through its
 * model, then links, which need every name, and last the report.  Errors
 * accumulate; the scenario is returned only if there were none.
 */
#include "sim/scenario.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cfg.h"
#include "sim/model.h"
#include "sim/scenario_private.h"
#include "sim/sanity.h"
#include "sim/units.h"

#define MAX_CLASSES 64
#define MAX_ROWS 1000000

static const char *const top_keys[] = {
	"name", "duration", "warmup", "sample", "seed", "classes", "components",
	"variants", "report", "limits", "expect", "allow", NULL,
};

bool sim_scenario_valid_name(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
		return false;
	for (s++; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' ||
		      *s == '-'))
			return false;
	return true;
}

bool sim_scenario_check_name(struct sim_cfg *c, const struct sim_node *k, const char *what)
{
	if (sim_scenario_valid_name(k->str))
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

/* The components by name, for sim_scenario_find: once configured (any
 * component the loader made has its name), before the links need them.
 * Out of memory, the index is off and sim_scenario_find walks. */
static void index_components(struct sim_scenario *sc)
{
	for (size_t i = 0; i < sc->ncomps; i++)
		if (sc->comps[i].name)
			sim_strindex_add(&sc->comp_index, sc->comps[i].name, i + 1);
}

int sim_scenario_find(const struct sim_scenario *sc, const char *name)
{
	if (sim_strindex_on(&sc->comp_index) && sc->comp_index.n)
		return (int)sim_strindex_get(&sc->comp_index, name) - 1;
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
	sim_strindex_fini(&sc->comp_index);
	sim_arena_fini(&sc->arena);
	free(sc);
}

/* ---- the top level ------------------------------------------------------ */

/* The priority of class k (its map m) into *prio; -1 if bad (reported). */
static int load_class(struct sim_cfg *c, const struct sim_node *k, const struct sim_node *m,
		      int *prio)
{
	static const char *const class_keys[] = { "priority", NULL };
	if (!sim_scenario_check_name(c, k, "class"))
		return -1;
	if (m->type != SIM_NODE_MAP) {
		sim_cfg_error(c, m, "expected {priority: N} for class '%s', got %s", k->str,
			      sim_node_type_name(m->type));
		return -1;
	}
	char what[128];
	snprintf(what, sizeof what, "class '%s'", k->str);
	if (sim_cfg_check_keys(c, m, class_keys, what) < 0)
		return -1;
	const struct sim_node *p = sim_node_get(m, "priority");
	if (!p) {
		sim_cfg_error(c, m, "missing 'priority' in class '%s' (0 is most important)", k->str);
		return -1;
	}
	double d;
	struct sim_cfg cc = *c;
	cc.kind = "class";
	cc.name = k->str;
	if (sim_cfg_number_of(&cc, p, "priority", &d, 0, 1000) < 0)
		return -1;
	if (d != floor(d)) {
		sim_cfg_error(c, p, "'priority' of class '%s' must be a whole number, got '%s'",
			      k->str, p->str);
		return -1;
	}
	*prio = (int)d;
	return 0;
}

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
	for (size_t i = 0; i < n; i++) {
		const struct sim_node *k = v->kids[2 * i];
		sc->classes[i].name = k->str;
		sc->class_names[i] = k->str;
		if (load_class(c, k, v->kids[2 * i + 1], &sc->classes[i].priority) < 0)
			bad = -1;
		else
			sc->class_prio[i] = sc->classes[i].priority;
	}
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

/* The scenario's name: `name:`, or else its file's stem, in c->name. */
static int load_name(struct sim_scenario *sc, struct sim_cfg *c, const struct sim_node *root)
{
	const struct sim_node *nm = sim_node_get(root, "name");
	int bad = 0;
	sc->name = c->name;
	if (nm) {
		if (nm->type != SIM_NODE_SCALAR || !valid_scenario_name(nm->str)) {
			sim_cfg_error(c, nm, "bad scenario name '%s' (letters, digits, '_', '-' and '.'; it names the output folder)",
				      nm->str);
			bad = -1;
		} else {
			sc->name = nm->str;
		}
	}
	c->name = sc->name;
	return bad;
}

/* duration, warmup, sample and seed (o's seed wins), each checked on its
 * own, so one bad value does not hide another. */
static int load_times(struct sim_scenario *sc, struct sim_cfg *c, const struct sim_node *root,
		      const struct sim_load_opts *o)
{
	sc->sample = 1;
	sc->seed = 1;
	int top = 0;
	top |= sim_cfg_duration(c, root, "duration", &sc->duration, SIM_CFG_REQUIRED | SIM_CFG_POSITIVE) < 0;
	top |= sim_cfg_duration(c, root, "warmup", &sc->warmup, 0) < 0;
	top |= sim_cfg_duration(c, root, "sample", &sc->sample, SIM_CFG_POSITIVE) < 0;
	top |= sim_cfg_count(c, root, "seed", &sc->seed, 0, UINT64_C(9007199254740992), 0) < 0;
	sc->sample_auto = !sim_node_get(root, "sample");
	if (o && o->has_seed)
		sc->seed = o->seed;
	return top ? -1 : 0;
}

/* How the times fit together, once each is good. */
static int check_times(struct sim_scenario *sc, struct sim_cfg *c, const struct sim_node *root)
{
	if (sc->warmup >= sc->duration) {
		sim_cfg_error(c, sim_node_get(root, "warmup"),
			      "warmup (%g s) must end before the run does (duration %g s)",
			      sc->warmup, sc->duration);
		return -1;
	}
	/* no `sample`: a step of a readable ladder, the series kept short */
	static const double ladder[] = { 1, 10, 60, 600, 3600 };
	for (size_t i = 1; sc->sample_auto && sim_scenario_rows(sc) > SIM_SCENARIO_AUTO_ROWS; i++)
		sc->sample = i < sizeof ladder / sizeof *ladder ? ladder[i] : sc->sample * 10;
	double rows = sim_scenario_rows(sc);
	if (rows > MAX_ROWS) {
		const struct sim_node *at = sim_node_get(root, "sample");
		sim_cfg_error(c, at ? at : sim_node_get(root, "duration"),
			      "sample %.9g s over duration %.9g s makes %.0f time-series rows (at most %d): raise 'sample'",
			      sc->sample, sc->duration, rows, MAX_ROWS);
		return -1;
	}
	return 0;
}

static int load_limits(struct sim_scenario *sc, struct sim_cfg *c, const struct sim_node *lim)
{
	static const char *const lkeys[] = { "max_items", "max_events", "max_wall", NULL };
	if (!lim)
		return 0;
	if (lim->type != SIM_NODE_MAP) {
		sim_cfg_error(c, lim, "expected {max_items, max_events, max_wall} for 'limits', got %s",
			      sim_node_type_name(lim->type));
		return -1;
	}
	int e = sim_cfg_check_keys(c, lim, lkeys, "the limits") < 0;
	e |= sim_cfg_count(c, lim, "max_items", &sc->max_items, 1, UINT64_C(1) << 40, 0) < 0;
	e |= sim_cfg_count(c, lim, "max_events", &sc->max_events, 1, UINT64_C(1) << 53, 0) < 0;
	e |= sim_cfg_duration(c, lim, "max_wall", &sc->max_wall_s, SIM_CFG_POSITIVE) < 0;
	return e ? -1 : 0;
}

/* The column names the components recorded, moved from c into sc. */
static void keep_columns(struct sim_scenario *sc, struct sim_cfg *c)
{
	if (c->ncolumns) {
		sc->columns = sim_arena_alloc(&sc->arena, c->ncolumns * sizeof *sc->columns);
		if (sc->columns) {
			memcpy(sc->columns, c->columns, c->ncolumns * sizeof *sc->columns);
			sc->ncolumns = c->ncolumns;
		}
	}
	free(c->columns);
}

/* The steps; see sim/scenario_private.h. */
static int build(struct sim_scenario *sc, struct sim_node *root, const struct sim_load_opts *o,
		 struct sim_diag *diag)
{
	struct sim_cfg_units units = { .nbare = 0 };
	struct sim_cfg c = {
		.arena = &sc->arena, .diag = diag, .kind = "scenario", .at = root, .units = &units,
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

	/* the overrides change the tree every later step reads */
	const struct sim_node *comps = sim_node_get(root, "components");
	int structural = 0;
	if (sim_overrides_variants(sc, &c, root, &structural) < 0)
		return -1;
	if (!comps) {
		sim_cfg_error(&c, root, "missing 'components' in the scenario");
		return -1;
	}
	if (sim_overrides_apply(sc, &c, o, &root, &comps) < 0 || structural)
		return -1;

	if (load_name(sc, &c, root) < 0)
		bad = -1;
	if (load_times(sc, &c, root, o) < 0)
		bad = -1;
	if (!bad)
		bad = check_times(sc, &c, root);
	if (load_limits(sc, &c, sim_node_get(root, "limits")) < 0)
		bad = -1;
	/* components refer to classes: without them there is nothing to check */
	if (load_classes(sc, &c, sim_node_get(root, "classes")) < 0)
		return -1;
	c.class_names = sc->class_names;
	c.class_prio = sc->class_prio;
	c.nclasses = sc->nclasses;
	if (sim_components_configure(sc, &c, comps) < 0)
		bad = -1;
	index_components(sc);
	if (sim_links_resolve(sc, &c) < 0)	/* link errors too, in the same pass */
		bad = -1;
	if (!bad)
		bad = sim_links_check(sc, &c);
	if (!bad)
		bad = sim_links_parts(sc, &c);
	free(c.links);
	keep_columns(sc, &c);
	if (!bad)
		bad = load_report(sc, &c, sim_node_get(root, "report"));
	if (!bad)
		bad = sim_expect_cfg(sc, &c, sim_node_get(root, "expect"));
	if (!bad)
		bad = sim_sanity_run(sc, &c, sim_node_get(root, "allow"), &units);
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

/* Top-level keys starting with "x-" belong to the user (a home for YAML
 * anchors, notes): the scenario ignores them. */
static const struct sim_node *without_extensions(struct sim_arena *a, const struct sim_node *root)
{
	if (!root || root->type != SIM_NODE_MAP)
		return root;
	return sim_node_without_prefix(a, root, "x-");	/* one pass: a file may hold many */
}

/* Builds sc from root; frees it and returns NULL on any error. */
static struct sim_scenario *scenario_build(struct sim_scenario *sc, const struct sim_node *root,
					   const struct sim_load_opts *o, struct sim_diag *diag,
					   int errs)
{
	sc->root = root = without_extensions(&sc->arena, root);
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
