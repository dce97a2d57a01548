/* figures.c - comparison figures and their tables. */
#include "sim/figures.h"

#include <math.h>
#include <string.h>

#include "sim/csv.h"
#include "sim/model.h"
#include "sim/format.h"

static struct sim_figure *add(struct sim_figure *figs, size_t *n, const char *name,
			      const char *label, enum sim_unit unit, double mean, double ci, bool higher)
{
	if (*n >= SIM_MAX_FIGURES)
		return NULL;
	struct sim_figure *f = &figs[(*n)++];
	snprintf(f->name, sizeof f->name, "%s", name);
	snprintf(f->label, sizeof f->label, "%s", label);
	f->unit = unit;
	f->yes_no = false;
	f->mean = mean;
	f->ci95 = ci;
	f->higher_is_better = higher;
	f->optional = false;
	return f;
}

static void recovery(const struct sim_json *s, struct sim_figure *figs, size_t *n)
{
	char name[128], label[128];
	double ci;
	const struct sim_json *rec = sim_json_get(s, "recovery", NULL);
	for (const struct sim_json *r = rec ? rec->first : NULL; r; r = r->next) {
		const struct sim_json *m = sim_json_get(r, "metric", NULL);
		const char *metric = m && m->str ? m->str : "?";
		double ok = sim_value(sim_json_get(r, "recovered", NULL), &ci);
		snprintf(name, sizeof name, "recovered:%s", metric);
		snprintf(label, sizeof label, "%s recovered", metric);
		struct sim_figure *f = add(figs, n, name, label, SIM_UNIT_SHARE, ok, NAN, true);
		if (f)
			f->yes_no = true;
		double t = sim_value(sim_json_get(r, "recovery_time_s", NULL), &ci);
		snprintf(name, sizeof name, "recovery_time_s:%s", metric);
		snprintf(label, sizeof label, "%s recovery time", metric);
		add(figs, n, name, label, SIM_UNIT_SECONDS, t, ci, false);
	}
}

static bool is_combined(enum sim_combine c, bool peaks)
{
	return peaks ? c == SIM_COMBINE_MAX : c == SIM_COMBINE_SUM || c == SIM_COMBINE_RATE;
}

/* The figures that combine a metric over every component declaring it:
 * the peaks, or the sums.  Each figure comes once, where it is first
 * declared. */
static void combined(const struct sim_scenario *sc, const struct sim_json *comps, bool peaks,
		     struct sim_figure *figs, size_t *n)
{
	for (size_t i = 0; i < sc->ncomps; i++) {
		for (const struct sim_metric_desc *d = sc->comps[i].ops->metrics; d && d->name; d++) {
			if (!is_combined(d->combine, peaks))
				continue;
			bool done = false;
			for (size_t k = 0; k < *n && !done; k++)
				done = !strcmp(figs[k].name, d->figure);
			if (done)
				continue;
			double v = NAN, ci = NAN, ci2 = 0;
			for (size_t j = i; j < sc->ncomps; j++) {
				const struct sim_metric_desc *e = sim_describe_metric(sc->comps[j].ops, d->name);
				if (!e || e->combine != d->combine || strcmp(e->figure, d->figure))
					continue;
				double c, x = sim_value(sim_json_get(sim_json_get(comps, sc->comps[j].name, NULL),
								     d->name, NULL), &c);
				if (peaks) {
					if (isnan(v) || x > v) {
						v = x;
						ci = c;
					}
				} else {
					v = (isnan(v) ? 0 : v) + (isnan(x) ? 0 : x);
					ci2 += isnan(c) ? 0 : c * c;
				}
			}
			double span = sc->duration - sc->warmup;
			if (!peaks) {
				ci = ci2 > 0 ? sqrt(ci2) : NAN;
				if (d->combine == SIM_COMBINE_RATE) {
					if (!(span > 0))
						continue;
					v /= span;
					ci /= span;
				}
			}
			enum sim_unit unit = d->combine == SIM_COMBINE_RATE ? SIM_UNIT_PER_S : d->unit;
			struct sim_figure *f = add(figs, n, d->figure, d->figure_label, unit, v, ci,
						   d->better == SIM_BETTER_HIGHER);
			if (f)
				f->optional = d->figure_optional;
		}
	}
}

/* A figure per component for each metric its model declares so. */
static void each(const struct sim_scenario *sc, const struct sim_json *comps,
		 struct sim_figure *figs, size_t *n)
{
	char name[128], label[128];
	for (size_t i = 0; i < sc->ncomps; i++) {
		const struct sim_component *c = &sc->comps[i];
		for (const struct sim_metric_desc *d = c->ops->metrics; d && d->name; d++) {
			if (d->combine != SIM_COMBINE_EACH)
				continue;
			double ci, v = sim_value(sim_json_get(sim_json_get(comps, c->name, NULL), d->name, NULL), &ci);
			snprintf(name, sizeof name, "%s:%s", d->figure, c->name);
			snprintf(label, sizeof label, d->figure_label, c->name);
			struct sim_figure *f = add(figs, n, name, label, d->unit, v, ci,
						   d->better == SIM_BETTER_HIGHER);
			if (f)
				f->optional = d->figure_optional;
		}
	}
}

size_t sim_figures(const struct sim_scenario *sc, const struct sim_json *s,
		   struct sim_figure *figs)
{
	size_t n = 0;
	char name[128], label[128];
	double ci;
	recovery(s, figs, &n);
	const struct sim_json *comps = sim_json_get(s, "components", NULL);
	combined(sc, comps, true, figs, &n);
	const struct sim_json *cons = sim_json_get(s, "conservation", NULL);
	double created = sim_value(sim_json_get(cons, "created", NULL), &ci);
	double dropped = sim_value(sim_json_get(cons, "dropped", NULL), &ci);
	add(figs, &n, "dropped", "items dropped", SIM_UNIT_NUMBER, dropped, ci, false);
	add(figs, &n, "loss", "share dropped", SIM_UNIT_SHARE, created > 0 ? dropped / created : 0,
	    NAN, false);
	combined(sc, comps, false, figs, &n);
	const struct sim_json *classes = sim_json_get(s, "classes", NULL);
	for (const struct sim_json *c = classes ? classes->first : NULL; c; c = c->next) {
		snprintf(name, sizeof name, "p99_s:%s", c->key);
		snprintf(label, sizeof label, "p99 time in system, %s", c->key);
		const struct sim_json *soj = sim_json_get(c, "sojourn_s", NULL);
		double v = sim_value(sim_json_get(soj, "p99", NULL), &ci);
		add(figs, &n, name, label, SIM_UNIT_SECONDS, v, ci, false);
	}
	each(sc, comps, figs, &n);
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

void sim_figures_csv(FILE *f, const char *first, const char *const *keynames, size_t nkeys,
		     const struct sim_figure_row *rows, size_t n)
{
	sim_csv_field(f, first);
	for (size_t k = 0; k < nkeys; k++) {
		fputc(',', f);
		sim_csv_field(f, keynames[k]);
	}
	for (size_t i = 0; n && i < rows[0].n; i++) {
		fputc(',', f);
		sim_csv_field(f, rows[0].figs[i].name);
		fputc(',', f);
		sim_csv_field2(f, rows[0].figs[i].name, "_ci95");
	}
	fputc('\n', f);
	for (size_t r = 0; r < n; r++) {
		sim_csv_field(f, rows[r].label);
		for (size_t k = 0; k < nkeys; k++) {
			fputc(',', f);
			sim_csv_field(f, rows[r].keys[k]);
		}
		for (size_t i = 0; i < rows[r].n; i++) {
			fputc(',', f);
			sim_csv_num(f, rows[r].figs[i].mean);
			fputc(',', f);
			sim_csv_num(f, rows[r].figs[i].ci95);
		}
		fputc('\n', f);
	}
}

static void format_fig(char *buf, size_t size, const struct sim_figure *fig)
{
	if (fig->yes_no) {
		if (isnan(fig->mean))
			snprintf(buf, size, "n/a");
		else if (fig->mean == 1 || fig->mean == 0)
			snprintf(buf, size, "%s", fig->mean == 1 ? "yes" : "no");
		else
			snprintf(buf, size, "%.0f%% of runs", 100 * fig->mean);
		return;
	}
	if (isnan(fig->mean))
		snprintf(buf, size, !strncmp(fig->name, "recovery_time", 13) ? "not recovered" : "n/a");
	else
		sim_format(buf, size, fig->unit, fig->mean, fig->ci95);
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
