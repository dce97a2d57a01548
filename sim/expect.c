/* expect.c - expectations: read from the scenario, judged on a summary,
 * written for people (terminal, report.md) and for CI (JUnit XML). */
#include "sim/expect.h"

#include <math.h>
#include <string.h>

#include "sim/atomic.h"
#include "sim/format.h"
#include "sim/model.h"
#include "sim/scenario.h"
#include "sim/units.h"

#define MAX_EXPECT 256

static const char *const entry_keys[] = { "metric", "below", "above", "recovered", "within", NULL };
static const char *const hist_keys[] = { "mean", "p50", "p95", "p99", "max", NULL };
/* what sim/summary.c writes of each class */
static const char *const class_counts[] = { "completed", "dropped", NULL };
static const char class_hist[] = "sojourn_s";

static bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return true;
	return false;
}

/* Splits "a.b.c" (a copy in the arena) into at most 3 parts; how many. */
static int split3(struct sim_arena *a, const char *s, const char **part)
{
	char *t = sim_arena_strdup(a, s);
	int n = 0;
	while (t && n < 3) {
		part[n++] = t;
		t = strchr(t, '.');
		if (t)
			*t++ = 0;
	}
	return t ? 4 : n;	/* 4: too many */
}

/* class:NAME.METRIC[.KEY] into e->path; 0 or -1 (reported). */
static int class_metric(const struct sim_scenario *sc, struct sim_cfg *c, const struct sim_node *at,
			const char **p, int n, struct sim_expect *e)
{
	bool found = false;
	for (size_t i = 0; i < sc->nclasses; i++)
		found |= !strcmp(sc->classes[i].name, p[0]);
	if (!found) {
		sim_cfg_error(c, at, "unknown class '%s' in expectation '%s'", p[0], e->metric);
		return -1;
	}
	bool hist = n >= 2 && !strcmp(p[1], class_hist);
	if (n < 2 || (hist ? n != 3 || !in_list(p[2], hist_keys) : n != 2 || !in_list(p[1], class_counts))) {
		sim_cfg_error(c, at, "expected class:NAME.sojourn_s.{mean,p50,p95,p99,max}, class:NAME.completed or class:NAME.dropped, got '%s'",
			      e->metric);
		return -1;
	}
	e->unit = hist ? SIM_UNIT_SECONDS : SIM_UNIT_NUMBER;
	const char *path[] = { "classes", p[0], p[1], n == 3 ? p[2] : NULL, NULL };
	memcpy(e->path, path, sizeof path);
	return 0;
}

/* COMPONENT.METRIC[.KEY] into e->path, checked against what the
 * component's model declares; 0 or -1 (reported). */
static int component_metric(const struct sim_scenario *sc, struct sim_cfg *c,
			    const struct sim_node *at, const char **p, int n, struct sim_expect *e)
{
	int k = n >= 2 ? sim_scenario_find(sc, p[0]) : -1;
	if (k < 0) {
		sim_cfg_error(c, at, n >= 2 ? "unknown component '%s' in expectation '%s'"
					    : "expected COMPONENT.METRIC or class:NAME.METRIC, got '%s'%.0s",
			      n >= 2 ? p[0] : e->metric, e->metric);
		return -1;
	}
	const struct sim_model_ops *ops = sc->comps[k].ops;
	const struct sim_metric_desc *d = sim_describe_metric(ops, p[1]);
	if (!d || d->type == SIM_METRIC_LIST) {
		const char *names[65];
		size_t nn = 0;
		for (const struct sim_metric_desc *m = ops->metrics; m && m->name && nn < 64; m++)
			if (m->type != SIM_METRIC_LIST)
				names[nn++] = m->name;
		names[nn] = NULL;
		const char *hint = sim_suggest(p[1], names);
		sim_cfg_error(c, at, "%s '%s' has no figure '%s'%s%s%s", ops->name, p[0], p[1],
			      hint ? " (did you mean '" : " (see its metrics in docs/scenario.md)",
			      hint ? hint : "", hint ? "'?)" : "");
		return -1;
	}
	bool keyed = d->type == SIM_METRIC_HIST || d->type == SIM_METRIC_REASONS;
	if (keyed != (n == 3) || (d->type == SIM_METRIC_HIST && !in_list(p[2], hist_keys))) {
		sim_cfg_error(c, at, d->type == SIM_METRIC_HIST ? "'%s' is a distribution: name one of its figures, as in %s.%s.p99"
				     : d->type == SIM_METRIC_REASONS ? "'%s' counts drops by reason: name one, as in %s.%s.REASON"
				     : "'%s' is one figure: nothing may follow it in %s.%s",
			      p[1], p[0], p[1]);
		return -1;
	}
	e->unit = d->type == SIM_METRIC_REASONS ? SIM_UNIT_NUMBER : d->unit;
	const char *path[] = { "components", p[0], p[1], n == 3 ? p[2] : NULL, NULL };
	memcpy(e->path, path, sizeof path);
	return 0;
}

/* A bound in the metric's unit; 0 or -1 (reported). */
static int bound_of(struct sim_cfg *c, const struct sim_node *v, enum sim_unit unit, double *out)
{
	const char *s = v->str, *err;
	if (unit == SIM_UNIT_SECONDS)
		err = sim_parse_duration(s, out);
	else if (unit == SIM_UNIT_PER_S)
		err = sim_parse_rate(s, out);
	else if (unit == SIM_UNIT_SHARE && *s && s[strlen(s) - 1] == '%') {
		char num[64];
		snprintf(num, sizeof num, "%.*s", (int)strlen(s) - 1, s);
		err = sim_parse_number(num, out);
		*out /= 100;
	} else {
		err = sim_parse_number(s, out);
	}
	if (err || v->type != SIM_NODE_SCALAR) {
		sim_cfg_error(c, v, "bad bound '%s' (%s)", s, err ? err : "expected a value");
		return -1;
	}
	return 0;
}

static int recovered_of(const struct sim_scenario *sc, struct sim_cfg *c, const struct sim_node *m,
			struct sim_expect *e)
{
	const char *names[65];
	size_t nn = 0;
	for (size_t i = 0; i < sc->report.ncrit; i++) {
		if (!strcmp(sc->report.crit[i].metric, e->metric))
			return 0;
		if (nn < 64)
			names[nn++] = sc->report.crit[i].metric;
	}
	names[nn] = NULL;
	char list[512];
	sim_join(list, sizeof list, names);
	sim_cfg_error(c, m, "'%s' is not a recovery criterion of the report (criteria: %s)",
		      e->metric, nn ? list : "none");
	return -1;
}

static int entry(struct sim_scenario *sc, struct sim_cfg *c, const struct sim_node *v,
		 struct sim_expect *e)
{
	if (v->type != SIM_NODE_MAP) {
		sim_cfg_error(c, v, "expected {metric, below|above} or {recovered, within}, got %s",
			      sim_node_type_name(v->type));
		return -1;
	}
	if (sim_cfg_check_keys(c, v, entry_keys, "an expectation") < 0)
		return -1;
	const struct sim_node *m = sim_node_get(v, "metric"), *r = sim_node_get(v, "recovered");
	const struct sim_node *b = sim_node_get(v, "below"), *a = sim_node_get(v, "above");
	const struct sim_node *w = sim_node_get(v, "within");
	if (r) {
		if (m || b || a || !w) {
			sim_cfg_error(c, v, "a recovery expectation is {recovered: METRIC, within: DURATION}");
			return -1;
		}
		e->kind = SIM_EXPECT_RECOVERED;
		e->metric = r->str;
		e->unit = SIM_UNIT_SECONDS;
		e->bound_text = w->str;
		return recovered_of(sc, c, r, e) < 0 ? -1 : bound_of(c, w, SIM_UNIT_SECONDS, &e->bound);
	}
	if (!m || w || !b == !a) {
		sim_cfg_error(c, v, "expected {metric: M, below: V} or {metric: M, above: V} (or {recovered: M, within: D})");
		return -1;
	}
	e->kind = b ? SIM_EXPECT_BELOW : SIM_EXPECT_ABOVE;
	e->metric = m->str;
	e->bound_text = (b ? b : a)->str;
	const char *p[3];
	int n = split3(&sc->arena, m->str, p);
	int bad = !strncmp(p[0], "class:", 6)
			  ? (p[0] += 6, class_metric(sc, c, m, p, n, e))
			  : component_metric(sc, c, m, p, n, e);
	return bad < 0 ? -1 : bound_of(c, b ? b : a, e->unit, &e->bound);
}

int sim_expect_cfg(struct sim_scenario *sc, struct sim_cfg *c, const struct sim_node *v)
{
	if (!v)
		return 0;
	if (v->type != SIM_NODE_SEQ || v->n > MAX_EXPECT) {
		sim_cfg_error(c, v, "expected a list of at most %d expectations for 'expect', got %s",
			      MAX_EXPECT, sim_node_type_name(v->type));
		return -1;
	}
	sc->expects = sim_arena_alloc(&sc->arena, (v->n ? v->n : 1) * sizeof *sc->expects);
	if (!sc->expects)
		return -1;
	int bad = 0;
	for (size_t i = 0; i < v->n; i++) {
		struct sim_expect *e = &sc->expects[sc->nexpects];
		*e = (struct sim_expect){ 0 };
		if (entry(sc, c, v->kids[i], e) < 0)
			bad = -1;
		else
			sc->nexpects++;
	}
	return bad;
}

/* ---- judging ------------------------------------------------------------- */

static const char *const kind_word[] = { "below", "above", "within" };
static const char *const unit_name[] = {
	[SIM_UNIT_NUMBER] = "number", [SIM_UNIT_SECONDS] = "seconds",
	[SIM_UNIT_PER_S] = "per_second", [SIM_UNIT_SHARE] = "share",
};

/* The recovery entry of summary for metric, or NULL. */
static const struct sim_json *recovery_of(const struct sim_json *summary, const char *metric)
{
	const struct sim_json *rec = sim_json_get(summary, "recovery", NULL);
	for (const struct sim_json *r = rec ? rec->first : NULL; r; r = r->next) {
		const struct sim_json *m = sim_json_get(r, "metric", NULL);
		if (m && m->str && !strcmp(m->str, metric))
			return r;
	}
	return NULL;
}

/* "met", "not met" or "uncertain" for the interval [lo, hi] against a
 * bound that it must stay below (or above). */
static const char *verdict(double lo, double hi, double bound, bool above)
{
	if (above ? lo >= bound : hi <= bound)
		return "met";
	if (above ? hi < bound : lo > bound)
		return "not met";
	return "uncertain";
}

/* The value of e in summary (NaN if none): the node it comes from in
 * *src, and a reason it failed before any comparison in *why. */
static double value_of(const struct sim_expect *e, const struct sim_json *summary,
		       const struct sim_json **src, double *ci, const char **why)
{
	*why = NULL;
	if (e->kind != SIM_EXPECT_RECOVERED) {
		*src = sim_json_get(summary, e->path[0], e->path[1], e->path[2], e->path[3], NULL);
		double v = sim_value(*src, ci);
		if (isnan(v))
			*why = "not measured";
		return v;
	}
	const struct sim_json *r = recovery_of(summary, e->metric);
	const struct sim_json *ok = r ? sim_json_get(r, "recovered", NULL) : NULL;
	*src = r ? sim_json_get(r, "recovery_time_s", NULL) : NULL;
	double v = sim_value(*src, ci);
	if (!ok || (ok->type == SIM_JSON_BOOL ? !ok->b : ok->num < 1))
		*why = ok && ok->type == SIM_JSON_NUM && ok->num > 0 ? "not recovered in every replication"
								       : "not recovered";
	else if (isnan(v))
		*why = "not measured";
	return v;
}

static bool judge_one(const struct sim_expect *e, const struct sim_json *summary,
		      struct sim_json *o)
{
	const struct sim_json *src;
	const char *why;
	double ci = NAN;
	double v = value_of(e, summary, &src, &ci, &why);
	double h = isnan(ci) ? 0 : ci;
	const char *vd = why ? "not met" : verdict(v - h, v + h, e->bound, e->kind == SIM_EXPECT_ABOVE);
	sim_json_str(o, "metric", e->metric);
	sim_json_str(o, "expect", kind_word[e->kind]);
	sim_json_num(o, "bound", e->bound);
	sim_json_str(o, "bound_text", e->bound_text);
	sim_json_str(o, "unit", unit_name[e->unit]);
	if (src && src->type == SIM_JSON_OBJ) {	/* {mean, ci95, n} of replications */
		struct sim_json *val = sim_json_obj(o, "value");
		for (const struct sim_json *k = src->first; val && k; k = k->next)
			sim_json_copy_into(val, k);
	} else if (!isnan(v)) {
		sim_json_num(o, "value", v);
	} else {
		sim_json_null(o, "value");
	}
	sim_json_str(o, "verdict", vd);
	if (why)
		sim_json_str(o, "why", why);
	sim_json_bool(o, "met", !strcmp(vd, "met"));
	return !strcmp(vd, "met");
}

int sim_expect_judge(const struct sim_scenario *sc, struct sim_json *summary)
{
	if (!sc->nexpects)
		return 0;
	struct sim_json *arr = sim_json_arr_before(summary, "expectations", "conservation");
	int failed = 0;
	for (size_t i = 0; arr && i < sc->nexpects; i++) {
		struct sim_json *o = sim_json_obj(arr, NULL);
		if (o && !judge_one(&sc->expects[i], summary, o))
			failed++;
	}
	return failed;
}

int sim_expect_unmet(const struct sim_json *summary)
{
	const struct sim_json *arr = sim_json_get(summary, "expectations", NULL);
	int n = 0;
	for (const struct sim_json *x = arr ? arr->first : NULL; x; x = x->next) {
		const struct sim_json *met = sim_json_get(x, "met", NULL);
		n += !(met && met->b);
	}
	return n;
}

/* ---- for people ---------------------------------------------------------- */

/* One verdict's parts: what was expected, the value found, the verdict. */
struct row {
	char what[400], value[96];
	const char *verdict, *why;
	bool met;
};

static void row_of(const struct sim_json *x, struct row *r)
{
	const struct sim_json *m = sim_json_get(x, "metric", NULL);
	const struct sim_json *k = sim_json_get(x, "expect", NULL);
	const struct sim_json *b = sim_json_get(x, "bound_text", NULL);
	const struct sim_json *vd = sim_json_get(x, "verdict", NULL);
	const struct sim_json *why = sim_json_get(x, "why", NULL);
	const struct sim_json *met = sim_json_get(x, "met", NULL);
	bool rec = k && k->str && !strcmp(k->str, "within");
	snprintf(r->what, sizeof r->what, "%s%s %s %s", rec ? "recovered: " : "",
		 m && m->str ? m->str : "?", k && k->str ? k->str : "?", b && b->str ? b->str : "?");
	const struct sim_json *u = sim_json_get(x, "unit", NULL);
	enum sim_unit unit = SIM_UNIT_NUMBER;
	for (size_t i = 0; u && u->str && i < sizeof unit_name / sizeof *unit_name; i++)
		if (!strcmp(u->str, unit_name[i]))
			unit = (enum sim_unit)i;
	double ci;
	double v = sim_value(sim_json_get(x, "value", NULL), &ci);
	sim_format(r->value, sizeof r->value, unit, v, ci);
	r->verdict = vd && vd->str ? vd->str : "?";
	r->why = why ? why->str : NULL;
	r->met = met && met->b;
}

void sim_expect_print(FILE *f, const struct sim_json *summary)
{
	const struct sim_json *arr = sim_json_get(summary, "expectations", NULL);
	if (!arr || !arr->first)
		return;
	size_t n = 0, bad = 0;
	fputs("  expectations:\n", f);
	for (const struct sim_json *x = arr->first; x; x = x->next, n++) {
		struct row r;
		row_of(x, &r);
		bad += !r.met;
		bool unsure = !strcmp(r.verdict, "uncertain");
		fprintf(f, "    %-10s %s: %s%s\n", r.met ? "met" : unsure ? "UNCERTAIN" : "NOT MET",
			r.what, r.why ? r.why : r.value,
			unsure ? " (the 95% interval straddles the bound)" : "");
	}
	fprintf(f, "  %zu of %zu expectations met\n", n - bad, n);
}

void sim_expect_markdown(FILE *f, const struct sim_json *summary)
{
	const struct sim_json *arr = sim_json_get(summary, "expectations", NULL);
	if (!arr || !arr->first)
		return;
	fputs("\n## Expectations\n\n| Expectation | Value | Verdict |\n|---|---|---|\n", f);
	for (const struct sim_json *x = arr->first; x; x = x->next) {
		struct row r;
		row_of(x, &r);
		bool unsure = !strcmp(r.verdict, "uncertain");
		fprintf(f, "| `%s` | %s | %s |\n", r.what, r.why ? r.why : r.value,
			r.met ? "met" : unsure ? "**uncertain**: the 95% interval straddles the bound"
					       : "**NOT MET**");
	}
	fputs("\nWith replications an expectation is met only when its whole 95% interval lies on the right side of the bound.\n",
	      f);
}

int sim_expect_runs(FILE *md, FILE *f, const char *const *labels,
		    const struct sim_json *const *summaries, size_t n)
{
	int unmet = 0;
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		const struct sim_json *arr = sim_json_get(summaries[i], "expectations", NULL);
		if (!arr || !arr->first)
			continue;
		if (md && !any)
			fputs("\n## Expectations\n\n| run | expectation | value | verdict |\n|---|---|---|---|\n", md);
		any = true;
		int bad = 0, all = 0;
		for (const struct sim_json *x = arr->first; x; x = x->next, all++) {
			struct row r;
			row_of(x, &r);
			bad += !r.met;
			if (md)
				fprintf(md, "| %s | `%s` | %s | %s |\n", labels[i], r.what,
					r.why ? r.why : r.value,
					r.met ? "met" : !strcmp(r.verdict, "uncertain") ? "**uncertain**" : "**NOT MET**");
		}
		if (f && bad)
			fprintf(f, "  %s: %d of %d expectations not met\n", labels[i], bad, all);
		unmet += bad;
	}
	if (md && any)
		fputs("\nWith replications an expectation is met only when its whole 95% interval lies on the right side of the bound (uncertain: it straddles the bound).\n",
		      md);
	return unmet;
}

/* ---- for CI -------------------------------------------------------------- */

static void xml_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '&')
			fputs("&amp;", f);
		else if (ch == '<')
			fputs("&lt;", f);
		else if (ch == '>')
			fputs("&gt;", f);
		else if (ch == '"')
			fputs("&quot;", f);
		else if (ch == '\'')
			fputs("&apos;", f);
		else if (ch < 0x20 && ch != '\t')
			fputc(' ', f);	/* not allowed in XML 1.0 */
		else
			fputc(ch, f);
	}
}

static void junit_suite(FILE *f, const char *scenario, const char *name,
			const struct sim_json *summary)
{
	const struct sim_json *arr = sim_json_get(summary, "expectations", NULL);
	size_t n = 0, bad = 0;
	for (const struct sim_json *x = arr ? arr->first : NULL; x; x = x->next, n++) {
		const struct sim_json *met = sim_json_get(x, "met", NULL);
		bad += !(met && met->b);
	}
	fputs("  <testsuite name=\"", f);
	xml_text(f, scenario);
	fputc('.', f);
	xml_text(f, name);
	fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n", n, bad);
	for (const struct sim_json *x = arr ? arr->first : NULL; x; x = x->next) {
		struct row r;
		row_of(x, &r);
		fputs("    <testcase classname=\"", f);
		xml_text(f, scenario);
		fputc('.', f);
		xml_text(f, name);
		fputs("\" name=\"", f);
		xml_text(f, r.what);
		fputs(r.met ? "\"/>\n" : "\">\n      <failure message=\"", f);
		if (r.met)
			continue;
		xml_text(f, r.verdict);
		fputs(": ", f);
		xml_text(f, r.why ? r.why : r.value);
		fputs("\"/>\n    </testcase>\n", f);
	}
	fputs("  </testsuite>\n", f);
}

int sim_expect_junit(const char *path, const char *scenario, const char *const *names,
		     const struct sim_json *const *summaries, size_t n)
{
	struct sim_atomic a;
	FILE *f = sim_atomic_open(&a, path);
	if (!f)
		return -1;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"", f);
	xml_text(f, scenario);
	fputs("\">\n", f);
	for (size_t i = 0; i < n; i++)
		if (summaries[i])
			junit_suite(f, scenario, names[i], summaries[i]);
	fputs("</testsuites>\n", f);
	return sim_atomic_close(&a);
}
