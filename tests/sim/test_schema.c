/* test_schema.c - docs/scenario.schema.json agrees with the models.
 *
 * The shipped file is the generator's output (sim/schema.c) for the
 * models as they are now, every key a model accepts is in it and no
 * other, and a standard validator (Python's jsonschema, when installed)
 * accepts every example scenario and a template file, and rejects the
 * bad files that are a matter of schema: an unknown key, an unknown
 * kind, a missing kind, a value of the wrong type, an unknown top-level
 * key.
 */
#include <criterion/criterion.h>
#include <glob.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "helpers.h"
#include "sim/json.h"
#include "sim/model.h"
#include "sim/registry.h"
#include "sim/schema.h"

extern char **environ;

static char *generate(void)
{
	struct sim_json *s = sim_schema_build(sim_registry_kind);
	cr_assert_not_null(s);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	sim_json_write(s, f);
	cr_assert_eq(fclose(f), 0);
	sim_json_free(s);
	return buf;
}

static const char *schema_path(void)
{
	static char path[1024];
	snprintf(path, sizeof path, "%s/docs/scenario.schema.json", th_source_root());
	return path;
}

Test(schema, shipped_file_is_generated)
{
	char *now = generate();
	char *file = th_read(schema_path(), NULL);
	cr_assert_not_null(file, "cannot read %s", schema_path());
	size_t line = 1, i = 0;
	while (file[i] && file[i] == now[i])
		line += file[i++] == '\n';
	cr_expect(!file[i] && !now[i],
		  "docs/scenario.schema.json:%zu: differs from the models' keys "
		  "(run `ninja -C build schema`)", line);
	free(file);
	free(now);
}

/* The `then` of the rule of kind name in the component's allOf. */
static const struct sim_json *kind_rule(const struct sim_json *s, const char *name)
{
	const struct sim_json *all = sim_json_get(s, "$defs", "component", "allOf", NULL);
	cr_assert_not_null(all);
	for (const struct sim_json *r = all->first; r; r = r->next) {
		const struct sim_json *k = sim_json_get(r, "if", "properties", "kind", "const",
							NULL);
		if (k && k->type == SIM_JSON_STR && !strcmp(k->str, name))
			return sim_json_get(r, "then", NULL);
	}
	return NULL;
}

static bool listed(const char *const *keys, const char *key)
{
	for (; keys && *keys; keys++)
		if (!strcmp(*keys, key))
			return true;
	return false;
}

Test(schema, every_model_key_is_in_the_schema)
{
	struct sim_json *s = sim_schema_build(sim_registry_kind);
	cr_assert_not_null(s);
	const struct sim_json *kinds = sim_json_get(s, "$defs", "component", "properties",
						    "kind", "enum", NULL);
	cr_assert_not_null(kinds);
	const struct sim_json *e = kinds->first;
	for (size_t i = 0; sim_registry_kind(i); i++, e = e->next) {
		const struct sim_model_ops *ops = sim_registry_kind(i);
		cr_assert(e && !strcmp(e->str, ops->name), "kind %s not in the enum", ops->name);
		const struct sim_json *then = kind_rule(s, ops->name);
		cr_assert_not_null(then, "no rule for kind %s", ops->name);
		const struct sim_json *extra = sim_json_get(then, "additionalProperties", NULL);
		cr_assert(extra && extra->type == SIM_JSON_BOOL && !extra->b);
		const struct sim_json *props = sim_json_get(then, "properties", NULL);
		for (const char *const *k = ops->keys; *k; k++)
			cr_expect_not_null(sim_json_get(props, *k, NULL), "%s key '%s' missing",
					   ops->name, *k);
		for (const struct sim_json *p = props->first; p; p = p->next)
			cr_expect(!strcmp(p->key, "kind") || listed(ops->keys, p->key),
				  "%s: '%s' is not a key of the model", ops->name, p->key);
	}
	cr_expect_null(e, "more kinds in the enum than in the registry");
	sim_json_free(s);
}

/* argv[1]: the schema; then files, each prefixed with + (must validate)
 * or - (must be rejected).  Exit status: the number of wrong verdicts. */
static const char validate_py[] =
	"import json, sys, yaml, jsonschema\n"
	"schema = json.load(open(sys.argv[1]))\n"
	"jsonschema.Draft202012Validator.check_schema(schema)\n"
	"v = jsonschema.Draft202012Validator(schema)\n"
	"wrong = 0\n"
	"for arg in sys.argv[2:]:\n"
	"    good, path = arg[0] == '+', arg[1:]\n"
	"    errs = list(v.iter_errors(yaml.safe_load(open(path))))\n"
	"    for e in errs:\n"
	"        print(path, '/'.join(map(str, e.absolute_path)), e.message, file=sys.stderr)\n"
	"    if good == bool(errs):\n"
	"        print(path, 'rejected' if good else 'accepted', 'wrongly', file=sys.stderr)\n"
	"        wrong += 1\n"
	"sys.exit(min(wrong, 100))\n";

static int run(char *const *argv)
{
	pid_t pid;
	if (posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ) != 0)
		return -1;
	int st;
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Templates and variant edits the loader accepts (docs/scenario.md). */
static const char templates_yaml[] =
	"x-pool: &pool {kind: workers, count: 2, service: 5ms}\n"
	"duration: 1m\n"
	"components:\n"
	"  src: {kind: producer, rate: 10k/s, to: q}\n"
	"  q: {kind: queue, capacity: unbounded, ttl: 250us}\n"
	"  w: {<<: *pool, from: q}\n"
	"variants:\n"
	"  more:\n"
	"    q2: {kind: queue}\n"
	"    w: {service: null, count: 4}\n"
	"    src: {to: q2}\n"
	"    w2: {kind: workers, from: q2, count: 1, service: {dist: exponential, mean: 1ms}}\n"
	"    old: null\n"
	"    expect: [{metric: w.utilization, below: 90%}]\n";

Test(schema, a_standard_validator_agrees)
{
	char *probe[] = { "python3", "-c", "import jsonschema, yaml", NULL };
	if (run(probe) != 0)
		cr_skip_test("python3 with jsonschema and yaml is not installed");
	char dir[128], pattern[1024], tmpl[1200];
	th_tmpdir(dir, "schema");
	snprintf(tmpl, sizeof tmpl, "+%s/templates.yaml", dir);
	FILE *f = fopen(tmpl + 1, "w");
	cr_assert_not_null(f);
	fputs(templates_yaml, f);
	fclose(f);

	static const char *const bad[] = { "unknown-key", "unknown-kind", "missing-required",
					   "wrong-type", "top-level" };
	char *argv[64] = { "python3", "-c", (char *)validate_py, (char *)schema_path(), tmpl };
	size_t n = 5;
	char names[sizeof bad / sizeof bad[0]][1200];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(names[i], sizeof names[i], "-%s/tests/scenarios/bad/%s.yaml",
			 th_source_root(), bad[i]);
		argv[n++] = names[i];
	}
	glob_t g;
	snprintf(pattern, sizeof pattern, "%s/scenarios/*.yaml", th_source_root());
	cr_assert_eq(glob(pattern, 0, NULL, &g), 0);
	cr_assert_gt(g.gl_pathc, 5);
	char **good = calloc(g.gl_pathc, sizeof *good);
	for (size_t i = 0; i < g.gl_pathc && n < 63; i++) {
		size_t len = strlen(g.gl_pathv[i]) + 2;
		good[i] = malloc(len);
		cr_assert_not_null(good[i]);
		snprintf(good[i], len, "+%s", g.gl_pathv[i]);
		argv[n++] = good[i];
	}
	cr_assert_lt(n, 63, "too many example scenarios for the argument list");
	argv[n] = NULL;
	cr_expect_eq(run(argv), 0, "the validator's verdicts differ (see above)");
	for (size_t i = 0; i < g.gl_pathc; i++)
		free(good[i]);
	free(good);
	globfree(&g);
	th_rmtree(dir);
}
