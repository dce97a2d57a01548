/* report.c - report.md, the page a reviewer reads first.
 *
 * Everything in it comes from summary.json: the same numbers, formatted
 * with their units, in tables by kind of component.
 */
#include "plots/report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/atomic.h"
#include "sim/model.h"
#include "sim/output.h"
#include "sim/units.h"

static void cell(FILE *f, const struct sim_json *o, const char *key)
{
	char buf[96];
	const char *k = strrchr(key, '.');
	sim_output_format(buf, sizeof buf, k ? k + 1 : key, sim_json_get(o, key, NULL));
	if (strchr(key, '.')) {
		/* a member of a member: "sojourn_s.p99" */
		char a[64];
		snprintf(a, sizeof a, "%.*s", (int)(k - key), key);
		const struct sim_json *sub = sim_json_get(o, a, NULL);
		sim_output_format(buf, sizeof buf, a, sim_json_get(sub, k + 1, NULL));
	}
	fprintf(f, " %s |", buf);
}

static void drops(FILE *f, const struct sim_json *o)
{
	const struct sim_json *d = sim_json_get(o, "dropped", NULL);
	bool any = false;
	fputc(' ', f);
	for (const struct sim_json *c = d ? d->first : NULL; c; c = c->next) {
		char buf[64];
		sim_output_format(buf, sizeof buf, c->key, c);
		if (!strcmp(buf, "0"))
			continue;
		fprintf(f, "%s%s %s", any ? ", " : "", c->key, buf);
		any = true;
	}
	fputs(any ? " |" : "none |", f);
}

static bool has_kind(const struct sim_scenario *sc, const char *kind)
{
	for (size_t i = 0; i < sc->ncomps; i++)
		if (!strcmp(sc->comps[i].ops->name, kind))
			return true;
	return false;
}

static void table(FILE *f, const struct sim_scenario *sc, const struct sim_json *comps,
		  const char *kind, const char *heading, const char *const *cols,
		  const char *const *keys, bool with_drops)
{
	if (!has_kind(sc, kind))
		return;
	fprintf(f, "\n### %s\n\n| %s |", heading, kind);
	for (int i = 0; cols[i]; i++)
		fprintf(f, " %s |", cols[i]);
	fputs(with_drops ? " dropped |\n|---|" : "\n|---|", f);
	for (int i = 0; cols[i]; i++)
		fputs("---:|", f);
	fputs(with_drops ? "---|\n" : "\n", f);
	for (size_t i = 0; i < sc->ncomps; i++) {
		const struct sim_component *c = &sc->comps[i];
		if (strcmp(c->ops->name, kind))
			continue;
		const struct sim_json *o = sim_json_get(comps, c->name, NULL);
		fprintf(f, "| `%s` |", c->name);
		for (int k = 0; keys[k]; k++)
			cell(f, o, keys[k]);
		if (with_drops)
			drops(f, o);
		fputc('\n', f);
	}
}

/* A sentence per producer a full queue blocked: where its excess went. */
static void blocked_producers(FILE *f, const struct sim_scenario *sc, const struct sim_json *comps)
{
	for (size_t i = 0; i < sc->ncomps; i++) {
		const struct sim_component *c = &sc->comps[i];
		if (strcmp(c->ops->name, "producer"))
			continue;
		const struct sim_json *o = sim_json_get(comps, c->name, NULL);
		double share = sim_output_value(sim_json_get(o, "blocked_share", NULL), NULL);
		if (!(share > 0))
			continue;
		char deferred[64], lost[64], held[64], p99[64];
		sim_output_format(deferred, sizeof deferred, "deferred", sim_json_get(o, "deferred", NULL));
		sim_output_format(lost, sizeof lost, "lost", sim_json_get(o, "lost", NULL));
		sim_output_format(held, sizeof held, "max_held", sim_json_get(o, "max_held", NULL));
		sim_output_format(p99, sizeof p99, "p99_s",
				  sim_json_get(sim_json_get(o, "held_wait_s", NULL), "p99", NULL));
		fprintf(f, "\nBackpressure: a full queue blocked `%s` %.3g%% of the time. %s items waited at the producer before they could be sent (p99 of that wait %s; up to %s at once), and %s were lost.\n",
			c->name, 100 * share, deferred, p99, held, lost);
	}
}

static void write_body(FILE *f, const struct sim_scenario *sc, const struct sim_json *s,
		       const char *const *charts, const char *const *titles, size_t n, bool drawn,
		       const char *ext)
{
	char a[96], b[96];
	double reps = sim_json_get(s, "replications", NULL)->num;
	fprintf(f, "# %s: %s\n\n", sc->name, sc->variant);
	sim_format_duration(a, sizeof a, sc->duration);
	fprintf(f, "Seed %llu, %.0f replication%s, %s simulated", (unsigned long long)sc->seed, reps,
		reps == 1 ? "" : "s (figures are means ± 95% confidence half-widths)", a);
	if (sc->warmup > 0) {
		sim_format_duration(a, sizeof a, sc->warmup);
		fprintf(f, ". The first %s are a warm-up: the figures below exclude it, the charts show it in grey", a);
	}
	fputs(".\n", f);
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
			return;
		}
	}
	if (sc->report.has_window) {
		sim_format_duration(a, sizeof a, sc->report.from);
		sim_format_duration(b, sizeof b, sc->report.to);
		fprintf(f, "\nThe overload window runs from %s to %s (shaded red on the charts).\n", a, b);
	}

	const struct sim_json *rec = sim_json_get(s, "recovery", NULL);
	if (rec && rec->first) {
		fputs("\n## Recovery\n\n| criterion | recovered | recovery time after the window |\n|---|---|---:|\n", f);
		for (const struct sim_json *r = rec->first; r; r = r->next) {
			const struct sim_json *m = sim_json_get(r, "metric", NULL);
			const struct sim_json *ok = sim_json_get(r, "recovered", NULL);
			char below[64], hold[64], t[96];
			sim_output_format(below, sizeof below, "below", sim_json_get(r, "below", NULL));
			sim_output_format(hold, sizeof hold, "hold_s", sim_json_get(r, "hold_s", NULL));
			sim_output_format(t, sizeof t, "recovery_time_s", sim_json_get(r, "recovery_time_s", NULL));
			fprintf(f, "| `%s` stays ≤ %s for %s | ", m && m->str ? m->str : "?", below, hold);
			if (ok && ok->type == SIM_JSON_BOOL)
				fprintf(f, "%s | %s |\n", ok->b ? "yes" : "**no**", ok->b ? t : "not recovered");
			else
				fprintf(f, "in %.0f%% of replications | %s |\n", ok ? 100 * ok->num : 0, t);
		}
	}

	const struct sim_json *comps = sim_json_get(s, "components", NULL);
	fputs("\n## Key figures\n", f);
	static const char *const pc[] = { "created", "completed", "loss", "p50 time in system", "p99 time in system", NULL };
	static const char *const pk[] = { "created", "completed", "loss", "sojourn_s.p50", "sojourn_s.p99", NULL };
	table(f, sc, comps, "producer", "Producers", pc, pk, false);
	blocked_producers(f, sc, comps);
	static const char *const cc[] = { "requests", "attempts per request", "timeouts", "goodput", "p99 latency", NULL };
	static const char *const ck[] = { "requests", "amplification", "timeouts", "goodput_per_s", "latency_s.p99", NULL };
	table(f, sc, comps, "client", "Clients", cc, ck, true);
	static const char *const qc[] = { "peak depth", "peak oldest age", "mean wait", "p99 wait", NULL };
	static const char *const qk[] = { "max_depth", "max_oldest_age_s", "mean_wait_s", "wait_p99_s", NULL };
	table(f, sc, comps, "queue", "Queues", qc, qk, true);
	static const char *const wc[] = { "workers", "utilisation", "throughput", NULL };
	static const char *const wk[] = { "mean_count", "utilization", "throughput_per_s", NULL };
	table(f, sc, comps, "workers", "Worker pools", wc, wk, false);
	static const char *const dc[] = { "utilisation", "peak waiting", "timeouts", "p50 latency", "p99 latency", NULL };
	static const char *const dk[] = { "utilization", "max_waiting", "timeouts", "latency_s.p50", "latency_s.p99", NULL };
	table(f, sc, comps, "database", "Databases", dc, dk, false);

	const struct sim_json *classes = sim_json_get(s, "classes", NULL);
	fputs("\n### Classes\n\n| class | priority | completed | dropped | p50 time in system | p99 time in system |\n|---|---:|---:|---:|---:|---:|\n", f);
	for (const struct sim_json *c = classes ? classes->first : NULL; c; c = c->next) {
		fprintf(f, "| `%s` |", c->key);
		cell(f, c, "priority");
		cell(f, c, "completed");
		cell(f, c, "dropped");
		cell(f, c, "sojourn_s.p50");
		cell(f, c, "sojourn_s.p99");
		fputc('\n', f);
	}

	fputs("\n## Charts\n", f);
	if (!drawn)
		fputs("\nThe charts were not drawn (no gnuplot, a failure, or `--no-plots`); each script below draws its chart with `gnuplot NAME.gp` in this folder.\n", f);
	for (size_t i = 0; i < n; i++) {
		if (drawn)
			fprintf(f, "\n### %s\n\n![%s](%s.%s)\n", titles[i], titles[i], charts[i], ext);
		else
			fprintf(f, "\n- %s: [`%s.gp`](%s.gp)\n", titles[i], charts[i], charts[i]);
	}

	const struct sim_json *cons = sim_json_get(s, "conservation", NULL);
	const struct sim_json *ok = sim_json_get(cons, "ok", NULL);
	char cr[64], co[64], dr[64], fl[64];
	sim_output_format(cr, sizeof cr, "created", sim_json_get(cons, "created", NULL));
	sim_output_format(co, sizeof co, "completed", sim_json_get(cons, "completed", NULL));
	sim_output_format(dr, sizeof dr, "dropped", sim_json_get(cons, "dropped", NULL));
	sim_output_format(fl, sizeof fl, "in_flight", sim_json_get(cons, "in_flight", NULL));
	fprintf(f, "\n## Conservation\n\nOver the whole run, warm-up included, every item created is completed, dropped or still in flight: %s = %s + %s + %s: **%s**.\n",
		cr, co, dr, fl, ok && ok->b ? "ok" : "VIOLATED (a bug: please report this scenario)");
	fprintf(f, "\nProduced by `sim run`; the numbers are in `summary.json`, the series in `timeseries.csv`.\n");
}

int plots_report(const char *dir, const struct sim_scenario *sc, const struct sim_json *summary,
		 const char *const *charts, const char *const *titles, size_t ncharts, bool drawn,
		 const char *ext)
{
	char path[4200];
	struct sim_atomic a;
	snprintf(path, sizeof path, "%s/report.md", dir);
	FILE *f = sim_atomic_open(&a, path);
	if (!f)
		return -1;
	write_body(f, sc, summary, charts, titles, ncharts, drawn, ext);
	return sim_atomic_close(&a);
}
