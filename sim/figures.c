/* figures.c - comparison figures and their tables. */
#include "sim/figures.h"

#include <math.h>
#include <string.h>

#include "sim/model.h"
#include "sim/output.h"

static struct sim_figure *add(struct sim_figure *figs, size_t *n, const char *name,
			      const char *label, const char *unit, double mean, double ci, bool higher)
{
	if (*n >= SIM_MAX_FIGURES)
		return NULL;
	struct sim_figure *f = &figs[(*n)++];
	snprintf(f->name, sizeof f->name, "%s", name);
	snprintf(f->label, sizeof f->label, "%s", label);
	snprintf(f->unit_key, sizeof f->unit_key, "%s", unit);
	f->mean = mean;
	f->ci95 = ci;
	f->higher_is_better = higher;
	f->optional = false;
	return f;
}

size_t sim_figures(const struct sim_scenario *sc, const struct sim_json *s,
		   struct sim_figure *figs)
{
	size_t n = 0;
	char name[128], label[128];
	double ci;
	const struct sim_json *rec = sim_json_get(s, "recovery", NULL);
	for (const struct sim_json *r = rec ? rec->first : NULL; r; r = r->next) {
		const struct sim_json *m = sim_json_get(r, "metric", NULL);
		const char *metric = m && m->str ? m->str : "?";
		double ok = sim_output_value(sim_json_get(r, "recovered", NULL), &ci);
		snprintf(name, sizeof name, "recovered:%s", metric);
		snprintf(label, sizeof label, "%s recovered", metric);
		add(figs, &n, name, label, "share", ok, NAN, true);
		double t = sim_output_value(sim_json_get(r, "recovery_time_s", NULL), &ci);
		snprintf(name, sizeof name, "recovery_time_s:%s", metric);
		snprintf(label, sizeof label, "%s recovery time", metric);
		add(figs, &n, name, label, "x_s", t, ci, false);
	}
	const struct sim_json *comps = sim_json_get(s, "components", NULL);
	double depth = NAN, age = NAN, dci = NAN, aci = NAN, done = 0, doneci2 = 0;
	double deferred = 0, defci2 = 0;
	bool any_done = false;
	for (size_t i = 0; i < sc->ncomps; i++) {
		const struct sim_component *c = &sc->comps[i];
		const struct sim_json *o = sim_json_get(comps, c->name, NULL);
		if (!strcmp(c->ops->name, "queue")) {
			double v = sim_output_value(sim_json_get(o, "max_depth", NULL), &ci);
			if (isnan(depth) || v > depth) {
				depth = v;
				dci = ci;
			}
			v = sim_output_value(sim_json_get(o, "max_oldest_age_s", NULL), &ci);
			if (isnan(age) || v > age) {
				age = v;
				aci = ci;
			}
		} else if (!strcmp(c->ops->name, "producer")) {
			done += sim_output_value(sim_json_get(o, "completed", NULL), &ci);
			doneci2 += isnan(ci) ? 0 : ci * ci;
			any_done = true;
			double v = sim_output_value(sim_json_get(o, "deferred", NULL), &ci);
			deferred += isnan(v) ? 0 : v;
			defci2 += isnan(ci) ? 0 : ci * ci;
		}
	}
	add(figs, &n, "peak_depth", "peak queue depth", "max_depth", depth, dci, false);
	add(figs, &n, "peak_oldest_age_s", "peak oldest age", "x_s", age, aci, false);
	const struct sim_json *cons = sim_json_get(s, "conservation", NULL);
	double created = sim_output_value(sim_json_get(cons, "created", NULL), &ci);
	double dropped = sim_output_value(sim_json_get(cons, "dropped", NULL), &ci);
	add(figs, &n, "dropped", "items dropped", "dropped", dropped, ci, false);
	add(figs, &n, "loss", "share dropped", "loss", created > 0 ? dropped / created : 0, NAN, false);
	double span = sc->duration - sc->warmup;
	if (any_done && span > 0)
		add(figs, &n, "goodput_per_s", "goodput", "goodput_per_s", done / span,
		    doneci2 > 0 ? sqrt(doneci2) / span : NAN, true);
	struct sim_figure *d = add(figs, &n, "deferred", "items deferred at producers", "deferred",
				   deferred, defci2 > 0 ? sqrt(defci2) : NAN, false);
	if (d)
		d->optional = true;
	const struct sim_json *classes = sim_json_get(s, "classes", NULL);
	for (const struct sim_json *c = classes ? classes->first : NULL; c; c = c->next) {
		snprintf(name, sizeof name, "p99_s:%s", c->key);
		snprintf(label, sizeof label, "p99 time in system, %s", c->key);
		const struct sim_json *soj = sim_json_get(c, "sojourn_s", NULL);
		double v = sim_output_value(sim_json_get(soj, "p99", NULL), &ci);
		add(figs, &n, name, label, "x_s", v, ci, false);
	}
	for (size_t i = 0; i < sc->ncomps; i++) {
		const struct sim_component *c = &sc->comps[i];
		if (strcmp(c->ops->name, "client"))
			continue;
		const struct sim_json *o = sim_json_get(comps, c->name, NULL);
		snprintf(name, sizeof name, "amplification:%s", c->name);
		snprintf(label, sizeof label, "%s attempts per request", c->name);
		double v = sim_output_value(sim_json_get(o, "amplification", NULL), &ci);
		add(figs, &n, name, label, "amplification", v, ci, false);
	}
	return n;
}

void sim_figures_prune(struct sim_figure_row *rows, size_t n)
{
	if (!n)
		return;
	for (size_t i = rows[0].n; i-- > 0;) {
		bool drop = rows[0].figs[i].optional;
		for (size_t r = 0; r < n && drop; r++)
			drop = i < rows[r].n && !(rows[r].figs[i].mean != 0 && !isnan(rows[r].figs[i].mean));
		if (!drop)
			continue;
		for (size_t r = 0; r < n; r++) {
			memmove(&rows[r].figs[i], &rows[r].figs[i + 1],
				(rows[r].n - i - 1) * sizeof rows[r].figs[0]);
			rows[r].n--;
		}
	}
}

static void csv_num(FILE *f, double v)
{
	char buf[64];
	if (isfinite(v)) {
		sim_json_format_num(buf, sizeof buf, v);
		fprintf(f, ",%s", buf);
	} else {
		fputc(',', f);
	}
}

void sim_figures_csv(FILE *f, const char *first, const char *const *keynames, size_t nkeys,
		     const struct sim_figure_row *rows, size_t n)
{
	fputs(first, f);
	for (size_t k = 0; k < nkeys; k++)
		fprintf(f, ",%s", keynames[k]);
	for (size_t i = 0; n && i < rows[0].n; i++)
		fprintf(f, ",%s,%s_ci95", rows[0].figs[i].name, rows[0].figs[i].name);
	fputc('\n', f);
	for (size_t r = 0; r < n; r++) {
		fputs(rows[r].label, f);
		for (size_t k = 0; k < nkeys; k++)
			fprintf(f, ",%s", rows[r].keys[k]);
		for (size_t i = 0; i < rows[r].n; i++) {
			csv_num(f, rows[r].figs[i].mean);
			csv_num(f, rows[r].figs[i].ci95);
		}
		fputc('\n', f);
	}
}

static void format_fig(char *buf, size_t size, const struct sim_figure *fig)
{
	if (!strcmp(fig->unit_key, "share")) {
		if (isnan(fig->mean))
			snprintf(buf, size, "n/a");
		else if (fig->mean == 1 || fig->mean == 0)
			snprintf(buf, size, "%s", fig->mean == 1 ? "yes" : "no");
		else
			snprintf(buf, size, "%.0f%% of runs", 100 * fig->mean);
		return;
	}
	struct sim_json holder = { .type = SIM_JSON_OBJ };
	struct sim_json *o = sim_json_obj(&holder, "x");
	sim_json_num(o, "mean", fig->mean);
	sim_json_num(o, "ci95", fig->ci95);
	if (isnan(fig->mean))
		snprintf(buf, size, !strncmp(fig->name, "recovery_time", 13) ? "not recovered" : "n/a");
	else
		sim_output_format(buf, size, fig->unit_key, o);
	sim_json_free(holder.first);
}

void sim_figures_md(FILE *f, const char *first, const char *const *keynames, size_t nkeys,
		    const struct sim_figure_row *rows, size_t n)
{
	if (!n)
		return;
	fprintf(f, "| %s |", first);
	for (size_t k = 0; k < nkeys; k++)
		fprintf(f, " `%s` |", keynames[k]);
	for (size_t i = 0; i < rows[0].n; i++)
		fprintf(f, " %s |", rows[0].figs[i].label);
	fputs("\n|---|", f);
	for (size_t k = 0; k < nkeys; k++)
		fputs("---|", f);
	for (size_t i = 0; i < rows[0].n; i++)
		fputs("---:|", f);
	fputc('\n', f);
	for (size_t r = 0; r < n; r++) {
		fprintf(f, "| %s |", rows[r].label);
		for (size_t k = 0; k < nkeys; k++)
			fprintf(f, " %s |", rows[r].keys[k]);
		for (size_t i = 0; i < rows[r].n; i++) {
			const struct sim_figure *fig = &rows[r].figs[i];
			/* best of the column; a recovery time that never came is worst */
			bool best = !isnan(fig->mean);
			for (size_t o = 0; o < n && best && n > 1; o++) {
				double v = rows[o].figs[i].mean;
				if (isnan(v))
					continue;
				if (fig->higher_is_better ? v > fig->mean : v < fig->mean)
					best = false;
			}
			char buf[96];
			format_fig(buf, sizeof buf, fig);
			fprintf(f, best && n > 1 ? " **%s** |" : " %s |", buf);
		}
		fputc('\n', f);
	}
}
