/* test_reference.c - docs/scenario.md agrees with the models.
 *
 * Its metric tables are the generator's output (sim/reference.c) for the
 * descriptions as they are now, its key tables list exactly each model's
 * keys, and the reasons a drop-reason metric's description lists are
 * those the model writes.  The generator itself: units, conditions,
 * distributions, escaping, and every malformed region.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "sim/model.h"
#include "sim/reference.h"
#include "sim/registry.h"

static char *read_doc(void)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/docs/scenario.md", th_source_root());
	char *text = th_read(path, NULL);
	cr_assert_not_null(text, "cannot read %s", path);
	return text;
}

/* The length of the line at s, without its newline. */
static int line_len(const char *s)
{
	const char *nl = strchr(s, '\n');
	return nl ? (int)(nl - s) : (int)strlen(s);
}

Test(reference, doc_tables_are_generated)
{
	char *doc = read_doc(), err[256];
	char *now = sim_reference_update(doc, sim_registry_kind, err, sizeof err);
	cr_assert_not_null(now, "docs/scenario.md: %s", err);
	const char *a = doc, *b = now;
	size_t line = 1;
	while (*a && *a == *b) {
		if (*a == '\n')
			line++;
		a++, b++;
	}
	if (*a || *b) {
		while (a > doc && a[-1] != '\n')
			a--, b--;
		cr_assert_fail("docs/scenario.md:%zu: the metric tables differ from the models' descriptions "
			"(run `ninja -C build reference`)\n  doc:       %.*s\n  generated: %.*s",
			line, line_len(a), a, line_len(b), b);
	}
	free(now);
	free(doc);
}

/* The kind's section: from its heading to the next heading. */
static const char *section(const char *doc, const char *kind, size_t *len)
{
	char head[128];
	snprintf(head, sizeof head, "\n### %s\n", kind);
	const char *s = strstr(doc, head);
	cr_assert_not_null(s, "docs/scenario.md has no section '### %s'", kind);
	s += strlen(head);
	const char *end = s;
	while ((end = strstr(end, "\n#")) && end[2] != ' ' && end[2] != '#')
		end++;
	*len = end ? (size_t)(end - s) : strlen(s);
	return s;
}

static bool is_key(const struct sim_model_ops *ops, const char *name)
{
	for (const char *const *k = ops->keys; k && *k; k++)
		if (!strcmp(*k, name))
			return true;
	return false;
}

/* The names in the first column of the section's `| key |` table. */
static size_t doc_keys(const char *s, size_t len, char names[][64], size_t max)
{
	const char *end = s + len;
	const char *t = strstr(s, "\n| key |");
	if (!t || t >= end)
		return 0;
	size_t n = 0;
	for (t = strchr(t + 1, '\n'); t && t < end && t[1] == '|'; t = strchr(t + 1, '\n')) {
		const char *c = t + 2;
		if (!strncmp(c, "---", 3))
			continue;
		while (*c == ' ' || *c == '`')
			c++;
		size_t k = strcspn(c, "` |");
		cr_assert_lt(n, max);
		snprintf(names[n++], 64, "%.*s", (int)k, c);
	}
	return n;
}

Test(reference, key_tables_list_the_models_keys)
{
	char *doc = read_doc();
	const struct sim_model_ops *ops;
	for (size_t i = 0; (ops = sim_registry_kind(i)); i++) {
		size_t len, nk = 0;
		const char *s = section(doc, ops->name, &len);
		char names[64][64];
		size_t n = doc_keys(s, len, names, 64);
		cr_expect_gt(n, 0, "docs/scenario.md: no key table for %s", ops->name);
		for (size_t j = 0; j < n; j++) {
			cr_expect(is_key(ops, names[j]), "docs/scenario.md: %s has no key '%s'",
				  ops->name, names[j]);
			for (size_t k = 0; k < j; k++)
				cr_expect_str_neq(names[j], names[k], "docs/scenario.md: %s: '%s' twice",
						  ops->name, names[j]);
		}
		for (const char *const *k = ops->keys; k && *k; k++, nk++) {
			bool found = false;
			for (size_t j = 0; j < n; j++)
				found |= !strcmp(names[j], *k);
			cr_expect(found, "docs/scenario.md: key '%s' of %s is missing from its table", *k,
				  ops->name);
		}
		cr_expect_eq(n, nk, "%s: %zu keys in the doc, %zu in the model", ops->name, n, nk);
	}
	free(doc);
}

/* Every drop-reason metric's description opens with the reasons the model
 * writes, in order: "`{full, evicted}`: ...". */
static size_t check_reasons(const struct sim_model_ops *ops, const struct sim_json *o)
{
	size_t checked = 0;
	for (const struct sim_metric_desc *m = ops->metrics; m->name; m++) {
		if (m->type != SIM_METRIC_REASONS)
			continue;
		const struct sim_json *v = sim_json_get(o, m->name, NULL);
		cr_assert_not_null(v, "%s writes no '%s'", ops->name, m->name);
		char list[512] = "`{";
		for (const struct sim_json *r = v->first; r; r = r->next)
			snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", r->key,
				 r->next ? ", " : "}`:");
		cr_expect(!strncmp(m->doc, list, strlen(list)),
			  "%s.%s: the description should open with %s, not: %s", ops->name, m->name,
			  list, m->doc);
		checked++;
	}
	return checked;
}

Test(reference, reasons_described_are_those_written)
{
	static const char yaml[] =
		"duration: 2s\n"
		"components:\n"
		"  src: {kind: producer, rate: 50/s, to: rt}\n"
		"  rt: {kind: router, routes: [{to: lim, weight: 1}]}\n"
		"  lim: {kind: limiter, rate: 40/s, to: fan}\n"
		"  fan: {kind: split, to: [cl, {to: q2, share: 0.5}]}\n"
		"  cl: {kind: client, timeout: 1s, to: q}\n"
		"  q: {kind: queue, capacity: 10}\n"
		"  w: {kind: workers, from: q, count: 1, service: 5ms, calls: db}\n"
		"  db: {kind: database, connections: 2, service: 1ms}\n"
		"  q2: {kind: queue}\n"
		"  w2: {kind: workers, from: q2, count: 1, service: 1ms, to: tp}\n"
		"  tp: {kind: topic, partitions: 2}\n"
		"  w3: {kind: workers, from: tp, count: 1, service: 1ms}\n";
	struct sim_scenario *sc = th_load(yaml, NULL);
	cr_assert_not_null(sc);
	struct sim_engine *e = sim_engine_new(sc, 1, NULL);
	cr_assert_not_null(e);
	struct sim_result res = { 0 };
	cr_assert_eq(sim_engine_run(e, &res), 0);
	const struct sim_json *comps = sim_json_get(res.body, "components", NULL);
	size_t checked = 0;
	for (size_t i = 0; i < sc->ncomps; i++)
		checked += check_reasons(sc->comps[i].ops, sim_json_get(comps, sc->comps[i].name, NULL));
	cr_expect_eq(checked, 5, "%zu drop-reason metrics checked", checked);
	/* every kind appears, so no drop-reason metric goes unchecked */
	const struct sim_model_ops *ops;
	for (size_t k = 0; (ops = sim_registry_kind(k)); k++) {
		bool used = false;
		for (size_t i = 0; i < sc->ncomps; i++)
			used |= sc->comps[i].ops == ops;
		cr_expect(used, "the scenario has no %s", ops->name);
	}
	sim_result_fini(&res);
	sim_engine_free(e);
	sim_scenario_free(sc);
}

/* ---- the generator ------------------------------------------------------ */

static const struct sim_metric_desc fake_metrics[] = {
	{ .name = "calls", .type = SIM_METRIC_COUNTER, .what = "calls", .doc = "calls received" },
	{ .name = "rate_s", .type = SIM_METRIC_RATIO, .unit = SIM_UNIT_PER_S, .what = "calls",
	  .cond = "with `fast`", .doc = "calls per second" },
	{ .name = "wait_s", .type = SIM_METRIC_HIST, .unit = SIM_UNIT_SECONDS, .doc = "wait a|b" },
	{ .name = "ratio", .type = SIM_METRIC_RATIO, .doc = "calls / items" },
	{ .name = "busy", .type = SIM_METRIC_TIME_AVG, .unit = SIM_UNIT_SHARE, .doc = "busy share" },
	{ .name = NULL },
};

static const struct sim_column_desc fake_columns[] = {
	{ .metric = "calls", .counter = true, .what = "calls", .cond = "with `fast`",
	  .doc = "calls received" },
	{ .metric = "depth", .what = "items", .doc = "items waiting" },
	{ .metric = "p99_s", .unit = SIM_UNIT_SECONDS, .sampled = "p99 over the interval",
	  .doc = "waits" },
	{ .metric = NULL },
};

static const struct sim_model_ops fake_ops = {
	.name = "fake", .metrics = fake_metrics, .columns = fake_columns,
};

static const struct sim_model_ops *fake_kinds(size_t i)
{
	return i ? NULL : &fake_ops;
}

Test(reference, writes_units_conditions_and_distributions)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	sim_reference_kind(f, &fake_ops);
	fclose(f);
	static const char *const rows[] = {
		"| metric | unit | meaning |\n|---|---|---|\n"
		"| `calls` | calls | calls received |\n"
		"| `rate_s` | calls/s | with `fast`: calls per second |\n"
		"| `wait_s` | s | `{mean, p50, p95, p99, max}` wait a\\|b |\n"
		"| `ratio` | number | calls / items |\n"
		"| `busy` | share | busy share |\n",
		"| column | unit | meaning |\n|---|---|---|\n"
		"| `calls` | calls | count per interval, with `fast`: calls received |\n"
		"| `depth` | items | level: items waiting |\n"
		"| `p99_s` | s | p99 over the interval: waits |\n",
	};
	for (size_t i = 0; i < 2; i++)
		cr_expect_not_null(strstr(buf, rows[i]), "missing:\n%s\nin:\n%s", rows[i], buf);
	free(buf);
}

static void expect_error(const char *text, const char *msg)
{
	char err[256] = "";
	char *out = sim_reference_update(text, fake_kinds, err, sizeof err);
	cr_expect_null(out, "accepted: %s", text);
	free(out);
	cr_expect(strstr(err, msg), "error '%s', expected '%s'", err, msg);
}

Test(reference, rewrites_regions_and_refuses_bad_ones)
{
	char err[256];
	char *out = sim_reference_update("a\n<!-- generated: metrics of fake -->\nold\n"
					 "<!-- end generated -->\nb\n", fake_kinds, err, sizeof err);
	cr_assert_not_null(out, "%s", err);
	cr_expect(!strncmp(out, "a\n<!-- generated: metrics of fake -->\n\nSummary metrics", 54), "%s",
		  out);
	cr_expect(strstr(out, "| `p99_s` | s | p99 over the interval: waits |\n\n"
			      "<!-- end generated -->\nb\n"), "%s", out);
	cr_expect_null(strstr(out, "old"));
	/* running it again changes nothing */
	char *again = sim_reference_update(out, fake_kinds, err, sizeof err);
	cr_assert_not_null(again);
	cr_expect_str_eq(again, out);
	free(again);
	free(out);
	expect_error("no region\n", "no line '<!-- generated: metrics of fake -->' for kind fake");
	expect_error("<!-- generated: metrics of fake -->\nx\n", "has no '<!-- end generated -->'");
	expect_error("<!-- generated: metrics of fake -->\n<!-- generated: metrics of fake -->\n"
		     "<!-- end generated -->\n", "two regions for kind fake");
	expect_error("<!-- generated: metrics of fake -->\n<!-- end generated -->\n"
		     "<!-- generated: metrics of gone -->\n<!-- end generated -->\n",
		     "2 regions for 1 kinds: one names no kind");
}
