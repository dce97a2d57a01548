/* report.c - report.md, the page a reviewer reads first.
 *
 * Everything in it comes from summary.json: the same numbers, formatted
 * with their units, in tables by kind of component.
 */
#include "plots/report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/format.h"
#include "sim/expect.h"
#include "sim/atomic.h"
#include "sim/model.h"
#include "sim/registry.h"
#include "sim/units.h"

static void cell(FILE *f, enum sim_unit unit, const struct sim_json *v)
{
	char buf[96];
	sim_format_json(buf, sizeof buf, unit, v);
	fprintf(f, " %s |", buf);
}

static void drops(FILE *f, const struct sim_json *d)
{
	bool any = false;
	fputc(' ', f);
	for (const struct sim_json *c = d ? d->first : NULL; c; c = c->next) {
		char buf[64];
		sim_format_json(buf, sizeof buf, SIM_UNIT_NUMBER, c);
		if (!strcmp(buf, "0"))
			continue;
		fprintf(f, "%s%s %s", any ? ", " : "", c->key, buf);
		any = true;
	}
	fputs(any ? " |" : "none |", f);
}

/* The metrics of a kind's table, in the order its model gives: n of them. */
static size_t report_metrics(const struct sim_model_ops *ops, const struct sim_metric_desc **out,
			     size_t max)
{
	size_t n = 0;
	for (unsigned pos = 1; pos < 256 && n < max; pos++) {
		size_t before = n;
		for (const struct sim_metric_desc *d = ops->metrics; d && d->name && n < max; d++)
			if (d->report == pos)
				out[n++] = d;
		if (n == before)
			break;
	}
	return n;
}

static const char *const pct_key[] = { "p50", "p99" };

static void table_head(FILE *f, const struct sim_model_ops *ops, const struct sim_metric_desc *const *m,
		       size_t n)
{
	fprintf(f, "\n### %s\n\n| %s |", ops->report->heading, ops->name);
	size_t cols = 0;
	for (size_t i = 0; i < n; i++) {
		if (m[i]->type != SIM_METRIC_HIST) {
			fprintf(f, " %s |", m[i]->label);
			cols++;
			continue;
		}
		for (int p = 0; p < 2; p++)
			if (m[i]->report_pct & (1 << p)) {
				fprintf(f, " %s %s |", pct_key[p], m[i]->label);
				cols++;
			}
	}
	fputs("\n|---|", f);
	for (size_t i = 0; i < cols; i++)
		fputs(i + 1 == cols && m[n - 1]->type == SIM_METRIC_REASONS ? "---|" : "---:|", f);
	fputc('\n', f);
}

static void table_row(FILE *f, const struct sim_component *c, const struct sim_json *o,
		      const struct sim_metric_desc *const *m, size_t n)
{
	fprintf(f, "| `%s` |", c->name);
	for (size_t i = 0; i < n; i++) {
		const struct sim_json *v = sim_json_get(o, m[i]->name, NULL);
		if (m[i]->type == SIM_METRIC_REASONS) {
			drops(f, v);
		} else if (m[i]->type == SIM_METRIC_HIST) {
			for (int p = 0; p < 2; p++)
				if (m[i]->report_pct & (1 << p))
					cell(f, m[i]->unit, sim_json_get(v, pct_key[p], NULL));
		} else {
			cell(f, m[i]->unit, v);
		}
	}
	fputc('\n', f);
}

/* A table per kind present that has one, in the registry's order; each
 * followed by its model's notes on its components. */
static void tables(FILE *f, const struct sim_scenario *sc, const struct sim_json *comps)
{
	const struct sim_model_ops *ops;
	for (size_t k = 0; (ops = sim_registry_kind(k)); k++) {
		const struct sim_metric_desc *m[32];
		size_t n = ops->report ? report_metrics(ops, m, 32) : 0;
		bool head = false;
		for (size_t j = 0; j < sc->ncomps && n; j++) {
			if (sc->comps[j].ops != ops)
				continue;
			if (!head)
				table_head(f, ops, m, n);
			head = true;
			table_row(f, &sc->comps[j], sim_json_get(comps, sc->comps[j].name, NULL), m, n);
		}
		for (size_t j = 0; j < sc->ncomps && head && ops->report->note; j++)
			if (sc->comps[j].ops == ops)
				ops->report->note(f, sc->comps[j].name, sim_json_get(comps, sc->comps[j].name, NULL));
	}
}

/* The title, the run's settings, a note when it stopped early and the
 * overload window; false when no replication finished (nothing follows). */
static bool write_intro(FILE *f, const struct sim_scenario *sc, const struct sim_json *s)
{
	char a[96], b[96];
	double reps = sim_json_get(s, "replications", NULL)->num;
	fprintf(f, "# %s: %s\n\n", sc->name, sc->variant);
	double reached = sim_value(sim_json_get(s, "simulated_s", NULL), NULL);
	sim_format_duration(a, sizeof a, reached < sc->duration ? reached : sc->duration);
	fprintf(f, "Seed %llu, %.0f replication%s, %s simulated", (unsigned long long)sc->seed, reps,
		reps == 1 ? "" : "s (figures are means ± 95% confidence half-widths)", a);
	if (reached < sc->duration) {
		sim_format_duration(b, sizeof b, sc->duration);
		fprintf(f, " of the %s the scenario asks for (stopped early)", b);
	}
	if (sc->warmup > 0) {
		sim_format_duration(a, sizeof a, sc->warmup);
		fprintf(f, ". The first %s are a warm-up: the figures below exclude it, the charts show it in grey", a);
	}
	fputs(".\n", f);
	if (sc->sample_auto && sc->sample != 1) {
		sim_format_duration(a, sizeof a, sc->sample);
		fprintf(f, "\nThe time series has one row every %s: the scenario sets no `sample`, and every 1 s would make %.0f rows (when `sample` is not set, it is chosen to make at most %d).\n",
			a, ceil(sc->duration - 1e-9), SIM_SCENARIO_AUTO_ROWS);
	}
	const struct sim_json *complete = sim_json_get(s, "complete", NULL);
	const struct sim_json *fin = sim_json_get(s, "replications_finished", NULL);
	if (complete && !complete->b) {
		const struct sim_json *why = sim_json_get(s, "stopped", NULL);
		fprintf(f, "\n**This run is incomplete**: %s.", why && why->str ? why->str : "it stopped early");
		if (!fin)
			fputs(" The figures cover the time up to the stop.\n", f);
		else if (fin->num > 0)
			fprintf(f, " %.0f of %.0f replications finished; the figures and charts are means over those %.0f, the others are left out (what they simulated before the stop is in `reps/`).\n",
				fin->num, reps, fin->num);
		else {
			fprintf(f, " None of the %.0f replications finished, so there are no figures and no charts (what each simulated before the stop is in `reps/`).\n",
				reps);
			return false;
		}
	}
	if (sc->report.has_window) {
		sim_format_duration(a, sizeof a, sc->report.from);
		sim_format_duration(b, sizeof b, sc->report.to);
		fprintf(f, "\nThe overload window runs from %s to %s (shaded red on the charts).\n", a, b);
	}
	return true;
}

/* How the thresholds no scenario gave were set, and from what. */
static void write_threshold_rule(FILE *f, const struct sim_json *rec)
{
	bool any = false;
	for (const struct sim_json *r = rec->first; r; r = r->next) {
		const struct sim_json *d = sim_json_get(r, "below_default", NULL);
		if (!d || d->type != SIM_JSON_BOOL || !d->b)
			continue;
		const struct sim_json *m = sim_json_get(r, "metric", NULL);
		char p99[64], below[64];
		sim_format_json(p99, sizeof p99, SIM_UNIT_NUMBER, sim_json_get(r, "pre_window_p99", NULL));
		sim_format_json(below, sizeof below, SIM_UNIT_NUMBER, sim_json_get(r, "below", NULL));
		fprintf(f, "%s`%s` ≤ %s (its pre-window p99 %s)", any ? "; " :
			"\nThresholds not given in the scenario are its default: the p99 of the metric's samples before the window (their mean if larger), plus 10% of it and at least 1: ",
			m && m->str ? m->str : "?", below, p99);
		any = true;
	}
	if (any)
		fputs(".\n", f);
}

static void write_recovery(FILE *f, const struct sim_json *s)
{
	const struct sim_json *rec = sim_json_get(s, "recovery", NULL);
	if (rec && rec->first) {
		fputs("\n## Recovery\n\n| criterion | recovered | recovery time after the window |\n|---|---|---:|\n", f);
		for (const struct sim_json *r = rec->first; r; r = r->next) {
			const struct sim_json *m = sim_json_get(r, "metric", NULL);
			const struct sim_json *ok = sim_json_get(r, "recovered", NULL);
			char below[64], hold[64], t[96];
			sim_format_json(below, sizeof below, SIM_UNIT_NUMBER, sim_json_get(r, "below", NULL));
			sim_format_json(hold, sizeof hold, SIM_UNIT_SECONDS, sim_json_get(r, "hold_s", NULL));
			sim_format_json(t, sizeof t, SIM_UNIT_SECONDS, sim_json_get(r, "recovery_time_s", NULL));
			fprintf(f, "| `%s` stays ≤ %s for %s | ", m && m->str ? m->str : "?", below, hold);
			const struct sim_json *judged = sim_json_get(r, "judged", NULL);
			if (judged && judged->type == SIM_JSON_BOOL && !judged->b)
				fputs("stopped before recovery could be judged | n/a |\n", f);
			else if (ok && ok->type == SIM_JSON_BOOL)
				fprintf(f, "%s | %s |\n", ok->b ? "yes" : "**no**", ok->b ? t : "not recovered");
			else
				fprintf(f, "in %.0f%% of replications | %s |\n", ok ? 100 * ok->num : 0, t);
		}
		write_threshold_rule(f, rec);
	}
}

static void write_classes(FILE *f, const struct sim_json *s)
{
	const struct sim_json *classes = sim_json_get(s, "classes", NULL);
	fputs("\n### Classes\n\n| class | priority | completed | dropped | served | p50 time in system (served) | p99 time in system (served) | p99 counting failures |\n|---|---:|---:|---:|---:|---:|---:|---:|\n", f);
	for (const struct sim_json *c = classes ? classes->first : NULL; c; c = c->next) {
		fprintf(f, "| `%s` |", c->key);
		cell(f, SIM_UNIT_NUMBER, sim_json_get(c, "priority", NULL));
		cell(f, SIM_UNIT_NUMBER, sim_json_get(c, "completed", NULL));
		cell(f, SIM_UNIT_NUMBER, sim_json_get(c, "dropped", NULL));
		cell(f, SIM_UNIT_SHARE, sim_json_get(c, "served_share", NULL));
		const struct sim_json *soj = sim_json_get(c, "sojourn_s", NULL);
		cell(f, SIM_UNIT_SECONDS, sim_json_get(soj, "p50", NULL));
		cell(f, SIM_UNIT_SECONDS, sim_json_get(soj, "p99", NULL));
		const struct sim_json *all = sim_json_get(c, "p99_with_failures_s", NULL);
		const struct sim_json *n = sim_json_get(all, "n", NULL);
		const struct sim_json *fin = sim_json_get(s, "replications_finished", NULL);
		double reps = fin ? fin->num : sim_json_getnum(s, "replications", NULL);
		if (!all || all->type == SIM_JSON_NULL || (n && n->num < reps))
			fputs(" ∞ (over 1% failed) |", f);
		else
			cell(f, SIM_UNIT_SECONDS, all);
		fputc('\n', f);
	}
	fputs("\nTime in system runs from an item's creation to its completion; the p50 and p99 are of the items served, exact to ±0.8% (histogram buckets). The p99 counting failures counts each dropped item as never served: with over 1% dropped it is a failure.\n", f);
}

static void write_chart_list(FILE *f, const struct plots_report_charts *c)
{
	fputs("\n## Charts\n", f);
	if (!c->drawn)
		fputs("\nThe charts were not drawn (no gnuplot, a failure, a timeout, an interrupt, or `--no-plots`); each script below draws its chart with `gnuplot NAME.gp` in this folder.\n", f);
	if (c->left_out)
		fprintf(f, "\nA run draws at most 64 charts: %zu more component%s, after the last one charted here, %s no chart of %s own; every series is in `timeseries.csv`.\n",
			c->left_out, c->left_out == 1 ? "" : "s", c->left_out == 1 ? "has" : "have",
			c->left_out == 1 ? "its" : "their");
	for (size_t i = 0; i < c->n; i++) {
		if (c->drawn)
			fprintf(f, "\n### %s\n\n![%s](%s.%s)\n", c->titles[i], c->titles[i],
				c->names[i], c->ext);
		else
			fprintf(f, "\n- %s: [`%s.gp`](%s.gp)\n", c->titles[i], c->names[i], c->names[i]);
	}
}

static void write_conservation(FILE *f, const struct sim_json *s)
{
	const struct sim_json *cons = sim_json_get(s, "conservation", NULL);
	const struct sim_json *ok = sim_json_get(cons, "ok", NULL);
	char cr[64], co[64], dr[64], fl[64];
	sim_format_json(cr, sizeof cr, SIM_UNIT_NUMBER, sim_json_get(cons, "created", NULL));
	sim_format_json(co, sizeof co, SIM_UNIT_NUMBER, sim_json_get(cons, "completed", NULL));
	sim_format_json(dr, sizeof dr, SIM_UNIT_NUMBER, sim_json_get(cons, "dropped", NULL));
	sim_format_json(fl, sizeof fl, SIM_UNIT_NUMBER, sim_json_get(cons, "in_flight", NULL));
	fprintf(f, "\n## Conservation\n\nOver the whole run, warm-up included, every item created is completed, dropped or still in flight: %s = %s + %s + %s: **%s**.\n",
		cr, co, dr, fl, ok && ok->b ? "ok" : "VIOLATED (a bug: please report this scenario)");
	fprintf(f, "\nProduced by `sim run`; the numbers are in `summary.json`, the series in `timeseries.csv`.\n");
}

static void write_body(FILE *f, const struct sim_scenario *sc, const struct sim_json *s,
		       const struct plots_report_charts *charts)
{
	if (!write_intro(f, sc, s))
		return;
	write_recovery(f, s);
	sim_expect_markdown(f, s);
	const struct sim_json *comps = sim_json_get(s, "components", NULL);
	fputs("\n## Key figures\n", f);
	tables(f, sc, comps);
	write_classes(f, s);
	write_chart_list(f, charts);
	write_conservation(f, s);
}

int plots_report(const char *dir, const struct sim_scenario *sc, const struct sim_json *summary,
		 const struct plots_report_charts *charts)
{
	char path[4200];
	struct sim_atomic a;
	snprintf(path, sizeof path, "%s/report.md", dir);
	FILE *f = sim_atomic_open(&a, path);
	if (!f)
		return -1;
	write_body(f, sc, summary, charts);
	return sim_atomic_close(&a);
}
