/* figures.c - the figures of a run a comparison sets side by side, from
 * its summary (sim/figures.h); sim/figrows.c lays out the rows. */
#include "sim/figures.h"

#include <math.h>
#include <string.h>

#include "sim/model.h"
#include "sim/format.h"
#include "sim/stats.h"

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
	f->brief = false;
	f->where[0] = 0;
	f->resolution = 0;
	f->absent = false;
	f->doc[0] = 0;
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
		double below = sim_value(sim_json_get(r, "below", NULL), NULL);
		double hold = sim_value(sim_json_get(r, "hold_s", NULL), NULL);
		const struct sim_json *dflt = sim_json_get(r, "below_default", NULL);
		char level[200];
		if (dflt && dflt->type == SIM_JSON_BOOL && dflt->b)
			snprintf(level, sizeof level,
				 "its default threshold (the p99 of its samples before the window plus 10%%, so each variant's own: %.4g in this column's first run)",
				 below);
		else
			snprintf(level, sizeof level, "%.4g", below);
		snprintf(name, sizeof name, "recovered:%s", metric);
		snprintf(label, sizeof label, "%s recovered", metric);
		struct sim_figure *f = add(figs, n, name, label, SIM_UNIT_SHARE, ok, NAN, true);
		if (f) {
			f->yes_no = true;
			snprintf(f->doc, sizeof f->doc,
				 "whether `%s` came back to at most %s and stayed there for %g s after the overload window (with replications: the share of them in which it did)",
				 metric, level, hold);
		}
		double t = sim_value(sim_json_get(r, "recovery_time_s", NULL), &ci);
		snprintf(name, sizeof name, "recovery_time_s:%s", metric);
		snprintf(label, sizeof label, "%s recovery time", metric);
		f = add(figs, n, name, label, SIM_UNIT_SECONDS, t, ci, false);
		if (f) {
			f->brief = true;
			snprintf(f->doc, sizeof f->doc,
				 "from the end of the overload window to the first sample from which `%s` stays at most %s for %g s (to the resolution of `sample`); with replications, the mean of those that recovered",
				 metric, level, hold);
		}
	}
}

/* The figures that combine a metric over every component declaring it
 * (SIM_COMBINE_MAX: the peak, with the component that reached it;
 * SIM_COMBINE_SUM: the sum).  Each figure comes once, where it is first
 * declared. */
static void combined(const struct sim_scenario *sc, const struct sim_json *comps, bool peaks,
		     struct sim_figure *figs, size_t *n)
{
	for (size_t i = 0; i < sc->ncomps; i++) {
		for (const struct sim_metric_desc *d = sc->comps[i].ops->metrics; d && d->name; d++) {
			if (d->combine != (peaks ? SIM_COMBINE_MAX : SIM_COMBINE_SUM))
				continue;
			bool done = false;
			for (size_t k = 0; k < *n && !done; k++)
				done = !strcmp(figs[k].name, d->figure);
			if (done)
				continue;
			double v = NAN, ci = NAN, ci2 = 0;
			const char *where = "";
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
						where = sc->comps[j].name;
					}
				} else {
					v = (isnan(v) ? 0 : v) + (isnan(x) ? 0 : x);
					ci2 += isnan(c) ? 0 : c * c;
				}
			}
			if (!peaks)
				ci = ci2 > 0 ? sqrt(ci2) : NAN;
			struct sim_figure *f = add(figs, n, d->figure, d->figure_label, d->unit, v, ci,
						   d->better == SIM_BETTER_HIGHER);
			if (!f)
				continue;
			f->optional = d->figure_optional;
			snprintf(f->where, sizeof f->where, "%s", where);
			/* the age of a backlog, rather than its size, is in the
			 * short table: it compares across queues */
			f->brief = peaks && d->unit == SIM_UNIT_SECONDS;
			snprintf(f->doc, sizeof f->doc, peaks ?
				 "the largest `%s` of any component that has it (%s), named with the component that reached it; with replications, the mean over them of that component's" :
				 "`%s` summed over the components that have it: %s", d->name, d->doc);
		}
	}
}

/* A figure per component for each rate its model declares (such as a
 * producer's goodput): per second of measured time (after the warm-up),
 * never summed across components, which may serve unrelated traffic. */
static void rates(const struct sim_scenario *sc, const struct sim_json *comps,
		  struct sim_figure *figs, size_t *n)
{
	char name[128], label[128];
	double span = sc->duration - sc->warmup;
	for (size_t i = 0; i < sc->ncomps && span > 0; i++) {
		const struct sim_component *c = &sc->comps[i];
		for (const struct sim_metric_desc *d = c->ops->metrics; d && d->name; d++) {
			if (d->combine != SIM_COMBINE_RATE)
				continue;
			double ci, v = sim_value(sim_json_get(sim_json_get(comps, c->name, NULL), d->name, NULL), &ci);
			snprintf(name, sizeof name, "%s:%s", d->figure, c->name);
			snprintf(label, sizeof label, "%s of %s", d->figure_label, c->name);
			struct sim_figure *f = add(figs, n, name, label, SIM_UNIT_PER_S, v / span, ci / span,
						   d->better == SIM_BETTER_HIGHER);
			if (f)
				snprintf(f->doc, sizeof f->doc,
					 "`%s`'s `%s` per second of measured time (after the warm-up): %s",
					 c->name, d->name, d->doc);
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
			if (!f)
				continue;
			f->optional = d->figure_optional;
			snprintf(f->doc, sizeof f->doc, "`%s`'s `%s`: %s", c->name, d->name, d->doc);
		}
	}
}

/* Half a histogram bucket, relative to the value: a percentile is the
 * middle of its bucket (sim/stats.h), 1/SIM_HIST_SUB of a power of two. */
#define PCT_RESOLUTION (0.5 / SIM_HIST_SUB)

/* A figure "WHAT:CLASS", its label and definition formats of the class. */
static struct sim_figure *class_fig(struct sim_figure *figs, size_t *n, const char *what,
				    const char *cls, const char *label_fmt, enum sim_unit unit,
				    double v, double ci, bool higher, const char *doc_fmt)
{
	char name[128], label[128];
	snprintf(name, sizeof name, "%s:%s", what, cls);
	snprintf(label, sizeof label, label_fmt, cls);
	struct sim_figure *f = add(figs, n, name, label, unit, v, ci, higher);
	if (f)
		snprintf(f->doc, sizeof f->doc, doc_fmt, cls);
	return f;
}

/* Per class: its goodput (with several classes), the share served, and
 * its p99 time in system of the served and counting the dropped.  The
 * class first in priority is in the short table. */
static void classes(const struct sim_scenario *sc, const struct sim_json *s,
		    struct sim_figure *figs, size_t *n)
{
	double ci, span = sc->duration - sc->warmup, reps = sim_json_getnum(s, "replications", NULL);
	const struct sim_json *fin = sim_json_get(s, "replications_finished", NULL);
	if (fin)
		reps = fin->num;
	const struct sim_json *classes = sim_json_get(s, "classes", NULL), *top = NULL;
	for (const struct sim_json *c = classes ? classes->first : NULL; c; c = c->next)
		if (!top || sim_value(sim_json_get(c, "priority", NULL), NULL) <
				    sim_value(sim_json_get(top, "priority", NULL), NULL))
			top = c;
	for (const struct sim_json *c = classes ? classes->first : NULL; c; c = c->next) {
		struct sim_figure *f;
		double v = sim_value(sim_json_get(c, "completed", NULL), &ci);
		if (sc->nclasses > 1 && span > 0)
			class_fig(figs, n, "goodput_per_s:class", c->key, "goodput of class %s",
				  SIM_UNIT_PER_S, v / span, ci / span, true,
				  "items of class `%s` completed per second of measured time (after the warm-up)");
		v = sim_value(sim_json_get(c, "served_share", NULL), &ci);
		if ((f = class_fig(figs, n, "served", c->key, "served, %s", SIM_UNIT_SHARE, v, ci, true,
				   "of the items of class `%s` that finished after the warm-up, the share completed rather than dropped")))
			f->brief = c == top;
		v = sim_value(sim_json_get(sim_json_get(c, "sojourn_s", NULL), "p99", NULL), &ci);
		if ((f = class_fig(figs, n, "p99_s", c->key, "p99 time in system, %s (served)",
				   SIM_UNIT_SECONDS, v, ci, false,
				   "99th percentile of the time in system (creation to completion) of the completed items of class `%s`, the dropped ones left out; read it with the share served"))) {
			f->brief = c == top;
			f->resolution = PCT_RESOLUTION;
		}
		const struct sim_json *all = sim_json_get(c, "p99_with_failures_s", NULL);
		v = sim_value(all, &ci);
		/* null: over 1% dropped, the p99 is a failure; with
		 * replications, n counts those where it was not */
		const struct sim_json *k = sim_json_get(all, "n", NULL);
		if (!all || all->type == SIM_JSON_NULL || (k && k->num < reps) || isnan(v))
			v = INFINITY, ci = NAN;
		if ((f = class_fig(figs, n, "p99_all_s", c->key, "p99 counting failures, %s",
				   SIM_UNIT_SECONDS, v, ci, false,
				   "99th percentile of the time in system of the items of class `%s` that finished, a dropped item counting as never served (slower than any): ∞ when over 1%% were dropped")))
			f->resolution = PCT_RESOLUTION;
	}
}

size_t sim_figures(const struct sim_scenario *sc, const struct sim_json *s,
		   struct sim_figure *figs)
{
	size_t n = 0;
	double ci;
	recovery(s, figs, &n);
	const struct sim_json *comps = sim_json_get(s, "components", NULL);
	combined(sc, comps, true, figs, &n);
	const struct sim_json *cons = sim_json_get(s, "conservation", NULL);
	double created = sim_value(sim_json_get(cons, "created", NULL), &ci);
	double dropped = sim_value(sim_json_get(cons, "dropped", NULL), &ci);
	struct sim_figure *f = add(figs, &n, "dropped", "items dropped", SIM_UNIT_NUMBER, dropped, ci, false);
	if (f) {
		f->brief = true;
		snprintf(f->doc, sizeof f->doc,
			 "items the producers created that were dropped anywhere on their path, over the whole run (warm-up included), as in the conservation check");
	}
	f = add(figs, &n, "loss", "share dropped", SIM_UNIT_SHARE, created > 0 ? dropped / created : 0,
		NAN, false);
	if (f)
		snprintf(f->doc, sizeof f->doc, "items dropped / items created, over the whole run");
	combined(sc, comps, false, figs, &n);
	rates(sc, comps, figs, &n);
	classes(sc, s, figs, &n);
	each(sc, comps, figs, &n);
	return n;
}
