/* choose.c - which charts a run gets: those each model declares for its
 * components, then the shared ones (flow, drops, latency by class, busy
 * pools); a line or chart whose columns never moved from 0 is left out
 * where the model asks.  plots/charts.c writes what is chosen here.
 */
#include "plots/choose.h"

#include "plots/heat.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/data.h"
#include "sim/columns.h"
#include "sim/model.h"

int plots_column(const struct sim_series *s, const char *name)
{
	int c = sim_series_find(s, name);
	return c < 0 ? -1 : plots_data_column(c);
}


static void add_line(struct plots_chart *ch, const struct sim_series *s, const char *colname,
		     const char *title, bool per_second, double scale, int axis)
{
	int c = plots_column(s, colname);
	if (c < 0)
		return;
	if (ch->n == PLOTS_MAX_LINES) {
		ch->more++;
		return;
	}
	struct plots_line *l = &ch->lines[ch->n++];
	snprintf(l->file, sizeof l->file, PLOTS_DATA_FILE);
	l->col = c;
	snprintf(l->title, sizeof l->title, "%s", title);
	l->per_second = per_second;
	l->scale = scale;
	l->axis = axis;
}

static bool used_in(const struct sim_series *s, const char *name)
{
	int c = sim_series_find(s, name);
	for (size_t i = 0; c >= 0 && i < s->nrows; i++) {
		double v, lo, hi;
		sim_series_cell(s, i, (size_t)c, &v, &lo, &hi);
		if ((v != 0 && !isnan(v)) || (lo != 0 && !isnan(lo)) || (hi != 0 && !isnan(hi)))
			return true;
	}
	return false;
}

/* Whether a column has a value other than 0 (a mechanism that acted), in
 * the run or, for a comparison, in any of the runs. */
static bool column_used(const struct plots_context *cx, const char *name)
{
	if (used_in(cx->series, name))
		return true;
	for (size_t r = 0; r < cx->nruns; r++)
		if (used_in(cx->runs[r], name))
			return true;
	return false;
}

/* ---- the set of charts -------------------------------------------------- */

/* The charts a model declares for each of its components. */
static int component_charts(const struct plots_context *cx, const struct sim_component *c,
			    struct plots_chart *out, int max)
{
	int n = 0;
	char col[256];
	for (const struct sim_chart_desc *d = c->ops->charts; d && d->name && n < max; d++) {
		snprintf(col, sizeof col, "%s.%s", c->name, d->if_used ? d->if_used : "");
		if (d->if_used && !column_used(cx, col))
			continue;
		struct plots_chart *ch = &out[n];
		memset(ch, 0, sizeof *ch);
		snprintf(ch->name, sizeof ch->name, d->name, c->name);
		snprintf(ch->title, sizeof ch->title, d->title, c->name);
		snprintf(ch->ylabel, sizeof ch->ylabel, "%s", d->ylabel);
		snprintf(ch->y2label, sizeof ch->y2label, "%s", d->y2label ? d->y2label : "");
		if (d->heat) {
			n += plots_heat_choose(cx, c, d->heat, ch);
			continue;
		}
		for (const struct sim_line_desc *l = d->lines; l < d->lines + SIM_CHART_LINES && l->metric; l++) {
			const struct sim_column_desc *cd = sim_describe_column(c->ops, l->metric);
			snprintf(col, sizeof col, "%s.%s", c->name, l->metric);
			add_line(ch, cx->series, col, l->title, cd && cd->counter,
				 l->scale ? l->scale : 1, l->axis == 2 ? 2 : 1);
		}
		n += ch->n > 0;
	}
	return n;
}

/* An empty chart named and titled as the group's; the group. */
static const struct sim_group_desc *group_start(struct plots_chart *ch, int group)
{
	const struct sim_group_desc *g = sim_group(group);
	memset(ch, 0, sizeof *ch);
	snprintf(ch->name, sizeof ch->name, "%s", g->name);
	snprintf(ch->title, sizeof ch->title, "%s", g->title);
	snprintf(ch->ylabel, sizeof ch->ylabel, "%s", g->ylabel);
	return g;
}

/* A chart shared by every component with a column in the group: 1 if it
 * has a line, else 0. */
static int group_chart(const struct plots_context *cx, struct plots_chart *ch, int group)
{
	const struct sim_scenario *sc = cx->sc;
	const struct sim_group_desc *g = group_start(ch, group);
	for (size_t i = 0; i < sc->ncomps; i++) {
		const struct sim_component *c = &sc->comps[i];
		for (const struct sim_column_desc *d = c->ops->columns; d && d->metric; d++) {
			if (d->group != group)
				continue;
			char col[256], line[128];
			snprintf(col, sizeof col, "%s.%s", c->name, d->metric);
			if (d->group_if_used && !column_used(cx, col))
				continue;
			snprintf(line, sizeof line, d->group_title, c->name);
			add_line(ch, cx->series, col, line, d->counter, g->scale, 1);
		}
	}
	return ch->n > 0;
}

/* Items dropped per second, a line for each reason of each component
 * that dropped any ("limiter gate: limited"), from the reasons its model
 * declares; with none, the chart says "nothing was dropped". */
static int drops_chart(const struct plots_context *cx, struct plots_chart *ch)
{
	const struct sim_scenario *sc = cx->sc;
	const struct sim_group_desc *g = group_start(ch, SIM_GROUP_DROPS);
	snprintf(ch->empty, sizeof ch->empty, "nothing was dropped");
	for (size_t i = 0; i < sc->ncomps; i++) {
		const struct sim_component *c = &sc->comps[i];
		for (const struct sim_reason_desc *r = c->ops->reasons; r && r->name; r++) {
			char metric[128], col[256], line[256];
			sim_columns_drop_metric(metric, sizeof metric, r->name);
			snprintf(col, sizeof col, "%s.%s", c->name, metric);
			if (!column_used(cx, col))
				continue;
			snprintf(line, sizeof line, "%s %s: %s", c->ops->name, c->name, r->name);
			add_line(ch, cx->series, col, line, true, g->scale, 1);
		}
	}
	return 1;
}

/* Latency per class, on a log scale: classes differ by decades. */
static int class_chart(const struct plots_context *cx, struct plots_chart *ch)
{
	const struct sim_scenario *sc = cx->sc;
	char col[256], title[128];
	memset(ch, 0, sizeof *ch);
	snprintf(ch->name, sizeof ch->name, "latency");
	snprintf(ch->title, sizeof ch->title, "p99 time in system, by class");
	snprintf(ch->ylabel, sizeof ch->ylabel, "p99 time in system (ms)");
	ch->logy = true;
	for (size_t k = 0; k < sc->nclasses; k++) {
		snprintf(col, sizeof col, "class:%s.sojourn_p99_s", sc->classes[k].name);
		snprintf(title, sizeof title, "class %s (priority %d)", sc->classes[k].name,
			 sc->classes[k].priority);
		add_line(ch, cx->series, col, title, false, 1000, 1);
	}
	return ch->n > 0;
}

/* The call chain: for each pool that calls, its busy workers working
 * (a line "busy less calling", solid) and waiting on calls (dashed, the
 * same colour), and the counters of the group (clients' timeouts, dotted)
 * per second on the right; 1 if some pool calls, else 0. */
static int chain_chart(const struct plots_context *cx, struct plots_chart *ch)
{
	const struct sim_scenario *sc = cx->sc;
	const struct sim_group_desc *g = group_start(ch, SIM_GROUP_CHAIN);
	snprintf(ch->y2label, sizeof ch->y2label, "per second");
	bool split = false;
	int colour = 0;
	for (size_t i = 0; i < sc->ncomps; i++) {
		const struct sim_component *c = &sc->comps[i];
		int before = ch->n;
		for (const struct sim_column_desc *d = c->ops->columns; d && d->metric; d++) {
			char col[256], line[128];
			int minus = 0;
			if (d->group != SIM_GROUP_CHAIN)
				continue;
			if (d->group_minus) {
				snprintf(col, sizeof col, "%s.%s", c->name, d->group_minus);
				if ((minus = plots_column(cx->series, col)) < 0)
					continue;
			}
			snprintf(col, sizeof col, "%s.%s", c->name, d->metric);
			snprintf(line, sizeof line, d->group_title, c->name);
			int n = ch->n;
			add_line(ch, cx->series, col, line, d->counter, g->scale, d->counter ? 2 : 1);
			if (ch->n == n)
				continue;
			ch->lines[n].col_minus = minus;
			ch->lines[n].colour = colour + 1;
			/* counters dotted, a pool's second line dashed */
			ch->lines[n].dash = d->counter ? "(1.5,2.5)" : ch->n - before > 1 ? "(6,3)" : NULL;
			split = split || minus > 0;
		}
		colour += ch->n > before;
	}
	return split;
}

/* The shared charts, at most PLOTS_SHARED_MAX: offered load and
 * throughput, drops, latency by class, how busy the pools are, and the
 * call chain. */
#define PLOTS_SHARED_MAX 5

static int shared_charts(const struct plots_context *cx, struct plots_chart *out)
{
	int n = group_chart(cx, &out[0], SIM_GROUP_FLOW);
	n += drops_chart(cx, &out[n]);
	n += class_chart(cx, &out[n]);
	n += group_chart(cx, &out[n], SIM_GROUP_BUSY);
	n += chain_chart(cx, &out[n]);
	return n;
}

/* A chart that could not draw all its lines says so in its title. */
static void say_more(struct plots_chart *ch)
{
	if (!ch->more)
		return;
	size_t len = strlen(ch->title);
	snprintf(ch->title + len, sizeof ch->title - len, " (the first %d of %zu lines)", ch->n,
		 (size_t)ch->n + ch->more);
}

/* How many of the components from i on would have a chart of their own. */
static size_t with_charts(const struct plots_context *cx, size_t i)
{
	struct plots_chart *scratch = malloc(sizeof *scratch);
	size_t n = 0;
	for (; scratch && i < cx->sc->ncomps; i++)
		n += component_charts(cx, &cx->sc->comps[i], scratch, 1) > 0;
	free(scratch);
	return n;
}

/* Each component's own charts, in the scenario's order; then the shared
 * ones.  The shared charts are chosen first, at the end of out, so that
 * a model with more components than charts keeps its overview. */
int plots_choose(const struct plots_context *cx, struct plots_chart *out, int max,
		 size_t *left_out)
{
	const struct sim_scenario *sc = cx->sc;
	int shared = 0;
	if (max >= PLOTS_SHARED_MAX) {
		shared = shared_charts(cx, &out[max - PLOTS_SHARED_MAX]);
		memmove(&out[max - shared], &out[max - PLOTS_SHARED_MAX], (size_t)shared * sizeof *out);
	}
	int room = max - shared, n = 0;
	size_t i = 0;
	for (; i < sc->ncomps && n < room; i++)
		n += component_charts(cx, &sc->comps[i], &out[n], room - n);
	if (left_out)
		*left_out = n < room ? 0 : with_charts(cx, i);
	memmove(&out[n], &out[max - shared], (size_t)shared * sizeof *out);
	for (int k = 0; k < n + shared && !cx->runs; k++)	/* a comparison says it once */
		say_more(&out[k]);
	return n + shared;
}

