/* schema.c - the JSON Schema of scenario files (sim/schema.h).
 *
 * The component kinds and their keys come from the registry and the
 * models' `keys` lists, never from a list kept here: a key a model
 * accepts is in the schema, and one it refuses is refused.  What this
 * file adds is the shape of a few well-known keys (durations, rates,
 * counts, links), matched by key name; a key it does not know accepts
 * any value, so a new key is never refused by a stale shape.
 */
#include "sim/schema.h"

#include <stdio.h>
#include <string.h>

#include "sim/json.h"
#include "sim/model.h"
#include "sim/sanity.h"

#define NUM "[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?"
#define UNIT "(ns|us|ms|s|m|min|h)"
#define NAME_PATTERN "^[a-z0-9][a-z0-9_-]*$"
#define DOCS "docs/scenario.md"

/* A shared shape under $defs: its name, description and pattern for the
 * string form (NULL: none); number: a bare number is accepted. */
struct shape {
	const char *name, *description, *pattern;
	bool number, object, unbounded;
};

static const struct shape shapes[] = {
	{ "duration", "a duration: a number with a unit ns, us, ms, s, m (or min) or h, "
	  "e.g. 250us, 5ms, 2s, 3m; a bare number is in seconds",
	  "^" NUM " ?" UNIT "?$", true, false, false },
	{ "rate", "a rate: a number, optionally k, M or G, then / and a duration unit, "
	  "e.g. 2000/s, 120/m, 10k/s; a bare number is per second",
	  "^" NUM " ?[kMG]?( ?/ ?" UNIT ")?$", true, true, false },
	{ "count", "a count: a whole number, optionally k, M or G (10k, 2M); "
	  "where the key allows it, unbounded",
	  "^" NUM "[kMG]?$", true, false, true },
	{ "dist", "a distribution: a duration (constant), or {dist: NAME, ...} "
	  "(see " DOCS "#distributions)",
	  "^" NUM " ?" UNIT "?$", true, true, false },
	{ "name", "a component name: lowercase letters, digits, '_' and '-'",
	  NAME_PATTERN, false, false, false },
	{ NULL, NULL, NULL, false, false, false },
};

/* The shape of a key by its name, wherever it appears. */
static const struct {
	const char *key, *shape;
} key_shapes[] = {
	{ "duration", "duration" }, { "warmup", "duration" }, { "sample", "duration" },
	{ "timeout", "duration" }, { "ttl", "duration" }, { "max_delay", "duration" },
	{ "rate", "rate" },
	{ "seed", "count" }, { "count", "count" }, { "capacity", "count" },
	{ "connections", "count" }, { "retries", "count" }, { "max_held", "count" },
	{ "service", "dist" }, { "from", "name" },
	{ NULL, NULL },
};

static const char *const bool_keys[] = {
	"propagate_deadline", "cancel_on_timeout", "honor_deadlines", NULL,
};
/* a component name, or a list (a split's branches, a pool's calls) */
static const char *const link_keys[] = { "to", "calls", NULL };
static const char *const list_keys[] = { "schedule", "expect", NULL };

static bool in(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return true;
	return false;
}

static void ref(struct sim_json *o, const char *def)
{
	char buf[128];
	snprintf(buf, sizeof buf, "#/$defs/%s", def);
	sim_json_str(o, "$ref", buf);
}

static void type_with_min(struct sim_json *any, const char *type)
{
	struct sim_json *t = sim_json_obj(any, NULL);
	sim_json_str(t, "type", type);
	sim_json_num(t, "minimum", 0);
}

static void add_shape(struct sim_json *defs, const struct shape *s)
{
	struct sim_json *d = sim_json_obj(defs, s->name);
	sim_json_str(d, "description", s->description);
	if (!s->number && !s->object && !s->unbounded) {
		sim_json_str(d, "type", "string");
		sim_json_str(d, "pattern", s->pattern);
		return;
	}
	struct sim_json *any = sim_json_arr(d, "anyOf");
	if (s->number)
		type_with_min(any, "number");
	struct sim_json *str = sim_json_obj(any, NULL);
	sim_json_str(str, "type", "string");
	sim_json_str(str, "pattern", s->pattern);
	if (s->unbounded)
		sim_json_str(sim_json_obj(any, NULL), "const", "unbounded");
	if (s->object)
		sim_json_str(sim_json_obj(any, NULL), "type", "object");
}

static void add_link_def(struct sim_json *defs)
{
	struct sim_json *d = sim_json_obj(defs, "link");
	sim_json_str(d, "description", "a component name, or a list of them "
		     "(a split's branches may be {to, class, share})");
	struct sim_json *any = sim_json_arr(d, "anyOf");
	ref(sim_json_obj(any, NULL), "name");
	struct sim_json *arr = sim_json_obj(any, NULL);
	sim_json_str(arr, "type", "array");
	struct sim_json *items = sim_json_arr(sim_json_obj(arr, "items"), "anyOf");
	ref(sim_json_obj(items, NULL), "name");
	sim_json_str(sim_json_obj(items, NULL), "type", "object");
}

static const struct shape *find_shape(const char *name)
{
	for (const struct shape *sh = shapes; sh->name; sh++)
		if (!strcmp(sh->name, name))
			return sh;
	return NULL;
}

/* The schema of one key, wherever it is: a shape, or any value; its
 * description says the units and where the reference describes it
 * (section, a heading's anchor in docs/scenario.md). */
static void add_key(struct sim_json *props, const char *key, const char *section)
{
	struct sim_json *k = sim_json_obj(props, key);
	const struct shape *sh = NULL;
	for (size_t i = 0; key_shapes[i].key; i++)
		if (!strcmp(key, key_shapes[i].key))
			sh = find_shape(key_shapes[i].shape);
	if (sh)
		ref(k, sh->name);
	else if (in(key, bool_keys))
		sim_json_str(k, "type", "boolean");
	else if (in(key, link_keys))
		ref(k, "link");
	else if (in(key, list_keys))
		sim_json_str(k, "type", "array");
	const char *what = sh ? sh->description
		: in(key, bool_keys) ? "true or false"
		: in(key, link_keys) ? "a component name, or a list" : NULL;
	char desc[512];
	snprintf(desc, sizeof desc, "%s%ssee " DOCS "#%s", what ? what : "", what ? "; " : "",
		 section);
	sim_json_str(k, "description", desc);
}

/* if kind is K then only K's keys */
static void add_kind(struct sim_json *all_of, const struct sim_model_ops *ops)
{
	struct sim_json *rule = sim_json_obj(all_of, NULL);
	struct sim_json *cond = sim_json_obj(rule, "if");
	struct sim_json *kind = sim_json_obj(sim_json_obj(cond, "properties"), "kind");
	sim_json_str(kind, "const", ops->name);
	sim_json_str(sim_json_arr(cond, "required"), NULL, "kind");
	struct sim_json *then = sim_json_obj(rule, "then");
	struct sim_json *props = sim_json_obj(then, "properties");
	sim_json_obj(props, "kind");
	for (const char *const *k = ops->keys; k && *k; k++)
		add_key(props, *k, ops->name);
	sim_json_bool(then, "additionalProperties", false);
}

static void add_component_def(struct sim_json *defs, sim_schema_kinds_fn *kinds)
{
	struct sim_json *d = sim_json_obj(defs, "component");
	sim_json_str(d, "description", "a component: its kind, then that kind's keys");
	sim_json_str(d, "type", "object");
	sim_json_str(sim_json_arr(d, "required"), NULL, "kind");
	struct sim_json *kind = sim_json_obj(sim_json_obj(d, "properties"), "kind");
	sim_json_str(kind, "description", "the component's kind: see " DOCS "#component-kinds");
	struct sim_json *names = sim_json_arr(kind, "enum");
	struct sim_json *all_of = sim_json_arr(d, "allOf");
	for (size_t i = 0; kinds(i); i++) {
		sim_json_str(names, NULL, kinds(i)->name);
		add_kind(all_of, kinds(i));
	}
}

/* An object whose members are named like components, each of schema
 * item (a $ref). */
static struct sim_json *name_map(struct sim_json *parent, const char *key,
				 const char *description, const char *item)
{
	struct sim_json *m = sim_json_obj(parent, key);
	sim_json_str(m, "description", description);
	sim_json_str(m, "type", "object");
	ref(sim_json_obj(sim_json_obj(m, "patternProperties"), NAME_PATTERN), item);
	sim_json_bool(m, "additionalProperties", false);
	return m;
}

/* A variant: its own `expect`, and per component overrides (a null
 * deletes a key), a full definition (adds one) or null (removes one).
 * The names go through propertyNames, not patternProperties, so that
 * `expect` (a name too) is held only to its own schema. */
static void add_variant_def(struct sim_json *defs)
{
	struct sim_json *d = sim_json_obj(defs, "variant");
	sim_json_str(d, "description",
		"overrides deep-merged into components: {COMPONENT: {KEY: VALUE}}; "
		"a new name with a kind adds a component, COMPONENT: null removes one, "
		"KEY: null deletes a key; see " DOCS "#variants-and---set");
	sim_json_str(d, "type", "object");
	struct sim_json *e = sim_json_obj(sim_json_obj(d, "properties"), "expect");
	sim_json_str(e, "description", "replaces the scenario's expectations");
	sim_json_str(e, "type", "array");
	sim_json_str(sim_json_obj(d, "propertyNames"), "pattern", NAME_PATTERN);
	struct sim_json *t = sim_json_arr(sim_json_obj(d, "additionalProperties"), "type");
	sim_json_str(t, NULL, "object");
	sim_json_str(t, NULL, "null");
}

static void add_top(struct sim_json *props)
{
	static const char *const plain[] = { "duration", "warmup", "sample", "seed", NULL };
	struct sim_json *n = sim_json_obj(props, "name");
	sim_json_str(n, "description", "the scenario's name; names the output folder");
	sim_json_str(n, "type", "string");
	for (const char *const *k = plain; *k; k++)
		add_key(props, *k, "top-level");
	static const char *const maps[][2] = {
		{ "classes", "classes of work: {NAME: {priority: N}}" },
		{ "report", "overload window and recovery criteria: see " DOCS "#recovery" },
		{ "limits", "{max_items, max_events, max_wall}: see " DOCS "#runaway-runs" },
	};
	for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++) {
		struct sim_json *m = sim_json_obj(props, maps[i][0]);
		sim_json_str(m, "description", maps[i][1]);
		sim_json_str(m, "type", "object");
	}
	name_map(props, "components", "the components: {NAME: {kind: KIND, ...}}", "component");
	name_map(props, "variants", "named variants: see " DOCS "#variants-and---set", "variant");
	struct sim_json *e = sim_json_obj(props, "expect");
	sim_json_str(e, "description", "goals a run must meet: see " DOCS "#expectations");
	sim_json_str(e, "type", "array");
	struct sim_json *a = sim_json_obj(props, "allow");
	sim_json_str(a, "description", "warnings this scenario expects, not given: see " DOCS "#warnings");
	sim_json_str(a, "type", "array");
	struct sim_json *names = sim_json_arr(sim_json_obj(a, "items"), "enum");
	for (const char *const *w = sim_sanity_names(); *w; w++)
		sim_json_str(names, NULL, *w);
}

struct sim_json *sim_schema_build(sim_schema_kinds_fn *kinds)
{
	struct sim_json *s = sim_json_new_obj();
	sim_json_str(s, "$schema", "https://json-schema.org/draft/2020-12/schema");
	sim_json_str(s, "title", "backpressure scenario");
	sim_json_str(s, "description", "a scenario of the backpressure overload simulator "
		     "(generated from the models' keys by `ninja -C build schema`); see " DOCS);
	sim_json_str(s, "type", "object");
	sim_json_str(sim_json_arr(s, "required"), NULL, "components");
	add_top(sim_json_obj(s, "properties"));
	struct sim_json *x = sim_json_obj(sim_json_obj(s, "patternProperties"), "^x-");
	sim_json_str(x, "description", "ignored: a home for YAML anchors and notes");
	sim_json_bool(s, "additionalProperties", false);
	struct sim_json *defs = sim_json_obj(s, "$defs");
	for (const struct shape *sh = shapes; sh->name; sh++)
		add_shape(defs, sh);
	add_link_def(defs);
	add_component_def(defs, kinds);
	add_variant_def(defs);
	if (!s || sim_json_failed(s)) {
		sim_json_free(s);
		return NULL;
	}
	return s;
}
