/* test_describe.c - what models declare agrees with what they do.
 *
 * For every example scenario and each of its variants: the columns
 * listed from the declarations alone (sim/columns.c) are the engine's
 * timeseries.csv header, in order; every metric a component writes to
 * summary.json is declared by its model, with a type that matches the
 * value's shape.  And the outputs outside models/ never compare kind or
 * metric names (a source scan).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "sim/columns.h"
#include "sim/diag.h"
#include "sim/engine.h"
#include "sim/model.h"
#include "sim/registry.h"

static void check_columns(const struct sim_scenario *sc, const char *what)
{
	struct sim_engine *e = sim_engine_new(sc, 1, NULL);
	cr_assert_not_null(e, "%s: engine", what);
	const struct sim_series *real = sim_engine_series(e);
	struct sim_series listed;
	sim_series_init(&listed);
	cr_assert_eq(sim_columns(sc, &listed), 0);
	cr_expect_eq(listed.ncols, real->ncols, "%s: %zu columns listed, the engine has %zu", what,
		     listed.ncols, real->ncols);
	for (size_t i = 0; i < listed.ncols && i < real->ncols; i++)
		cr_expect_str_eq(listed.names[i], real->names[i], "%s: column %zu", what, i);
	sim_series_fini(&listed);
	sim_engine_free(e);
}

static bool shape_ok(const struct sim_metric_desc *d, const struct sim_json *v)
{
	switch (d->type) {
	case SIM_METRIC_HIST:
		return v->type == SIM_JSON_OBJ && sim_json_get(v, "p99", NULL);
	case SIM_METRIC_REASONS:
		return v->type == SIM_JSON_OBJ;
	case SIM_METRIC_LIST:
		return v->type == SIM_JSON_ARR || v->type == SIM_JSON_OBJ;
	default:
		return v->type == SIM_JSON_NUM;
	}
}

static void check_metrics(struct sim_scenario *sc, const char *what)
{
	struct sim_engine *e = sim_engine_new(sc, 1, NULL);
	cr_assert_not_null(e);
	struct sim_result res = { 0 };
	cr_assert_eq(sim_engine_run(e, &res), 0, "%s: run", what);
	const struct sim_json *comps = sim_json_get(res.body, "components", NULL);
	for (size_t i = 0; i < sc->ncomps; i++) {
		const struct sim_component *c = &sc->comps[i];
		const struct sim_json *o = sim_json_get(comps, c->name, NULL);
		cr_assert_not_null(o, "%s: %s in the summary", what, c->name);
		for (const struct sim_json *m = o->first; m; m = m->next) {
			if (!strcmp(m->key, "kind"))
				continue;
			const struct sim_metric_desc *d = sim_describe_metric(c->ops, m->key);
			cr_expect_not_null(d, "%s: %s writes '%s', which its model does not declare", what,
					   c->name, m->key);
			if (d)
				cr_expect(shape_ok(d, m), "%s: %s.%s has the wrong type", what, c->name, m->key);
		}
	}
	sim_result_fini(&res);
	sim_engine_free(e);
}

Test(describe, declarations_match_every_example)
{
	char dir[512];
	snprintf(dir, sizeof dir, "%s/scenarios", th_source_root());
	DIR *d = opendir(dir);
	cr_assert_not_null(d);
	size_t checked = 0;
	for (struct dirent *ent; (ent = readdir(d));) {
		size_t len = strlen(ent->d_name);
		if (len < 6 || strcmp(ent->d_name + len - 5, ".yaml"))
			continue;
		char path[1024];
		snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
		struct sim_diag diag;
		sim_diag_init(&diag, stderr);
		struct sim_scenario *base = sim_scenario_load(path, &(struct sim_load_opts){ 0 }, &diag);
		cr_assert_not_null(base, "%s loads", path);
		for (size_t v = 0; v <= base->nvariants; v++) {
			const char *variant = v ? base->variants[v - 1] : "baseline";
			static const char *const sets[] = { "duration=20s", "warmup=0s" };
			struct sim_load_opts lo = { .variant = variant, .sets = sets, .nsets = 2 };
			struct sim_scenario *sc = sim_scenario_load(path, &lo, &diag);
			cr_assert_not_null(sc);
			char what[1200];
			snprintf(what, sizeof what, "%s (%s)", ent->d_name, variant);
			check_columns(sc, what);
			check_metrics(sc, what);
			sim_scenario_free(sc);
			checked++;
		}
		sim_scenario_free(base);
	}
	closedir(d);
	cr_expect_gt(checked, 20, "only %zu scenarios and variants checked", checked);
}

/* Whether s is a kind's name or a name some model declares. */
static bool model_name(const char *s)
{
	const struct sim_model_ops *ops;
	for (size_t k = 0; (ops = sim_registry_kind(k)); k++)
		if (!strcmp(ops->name, s) || sim_describe_metric(ops, s) || sim_describe_column(ops, s))
			return true;
	return false;
}

/* The string literals of a comparison on one line that name a model's
 * concept: each reported; how many. */
static int scan_line(const char *file, int lineno, const char *line)
{
	if (!strstr(line, "strcmp(") && !strstr(line, "strncmp(") && !strstr(line, "ends_with("))
		return 0;
	int bad = 0;
	for (const char *p = strchr(line, '"'); p; p = strchr(p, '"')) {
		const char *q = strchr(p + 1, '"');
		if (!q)
			break;
		char lit[128];
		snprintf(lit, sizeof lit, "%.*s", (int)(q - p - 1), p + 1);
		if (model_name(lit) || !strcmp(lit, "_s") || !strcmp(lit, "_per_s")) {
			fprintf(stderr, "%s:%d: compares with the model name or unit suffix \"%s\"\n", file, lineno, lit);
			bad++;
		}
		p = q + 1;
	}
	return bad;
}

static int scan_folder(const char *folder)
{
	char dir[512];
	snprintf(dir, sizeof dir, "%s/%s", th_source_root(), folder);
	DIR *d = opendir(dir);
	cr_assert_not_null(d, "%s", dir);
	int bad = 0;
	for (struct dirent *ent; (ent = readdir(d));) {
		size_t len = strlen(ent->d_name);
		if (len < 3 || strcmp(ent->d_name + len - 2, ".c") || !strcmp(ent->d_name, "registry.c"))
			continue;
		char path[1024], line[4096];
		snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
		FILE *f = fopen(path, "r");
		cr_assert_not_null(f, "%s", path);
		for (int n = 1; fgets(line, sizeof line, f); n++)
			bad += scan_line(path, n, line);
		fclose(f);
	}
	closedir(d);
	return bad;
}

Test(describe, outputs_never_compare_model_names)
{
	cr_expect_eq(scan_folder("sim"), 0, "sim/ compares names only models may know");
	cr_expect_eq(scan_folder("plots"), 0, "plots/ compares names only models may know");
	cr_expect_eq(scan_line("example", 1, "if (!strcmp(c->ops->name, \"queue\"))"), 1,
		     "the scan finds a comparison with a kind");
}
