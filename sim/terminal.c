/* terminal.c - the summary of a run that `sim run` prints. */
#include "sim/terminal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/format.h"
#include "sim/model.h"
#include "sim/units.h"

/* One "key value" of a component's line: a number (or its replicated
 * mean), a distribution as p50 and p99, or counts by reason (the
 * non-zero ones). */
static void print_metric(FILE *f, const char *key, enum sim_unit unit, const struct sim_json *j,
			 bool *first)
{
	char buf[160];
	const char *sep = *first ? "" : ", ";
	*first = false;
	if (j->type == SIM_JSON_OBJ && sim_json_get(j, "p99", NULL)) {
		char s50[64], s99[64];
		sim_format_json(s50, sizeof s50, unit, sim_json_get(j, "p50", NULL));
		sim_format_json(s99, sizeof s99, unit, sim_json_get(j, "p99", NULL));
		fprintf(f, "%s%s p50 %s, p99 %s", sep, key, s50, s99);
		return;
	}
	double ci, v = sim_value(j, &ci);
	if (!isnan(v) || j->type == SIM_JSON_NUM) {
		sim_format(buf, sizeof buf, unit, v, ci);
		fprintf(f, "%s%s %s", sep, key, buf);
		return;
	}
	if (j->type != SIM_JSON_OBJ)
		return;
	fprintf(f, "%s%s", sep, key);
	bool any = false;
	for (const struct sim_json *c = j->first; c; c = c->next) {
		double cci, cv = sim_value(c, &cci);
		if (!(cv > 0))
			continue;
		sim_format(buf, sizeof buf, SIM_UNIT_NUMBER, cv, cci);
		fprintf(f, "%s %s %s", any ? "," : "", c->key, buf);
		any = true;
	}
	if (!any)
		fputs(" none", f);
}

static void print_component(FILE *f, const struct sim_component *c, const struct sim_json *m)
{
	fprintf(f, "  %-8s %-16s ", c->ops->name, c->name);
	bool first = true;
	for (unsigned pos = 1; pos < 256; pos++) {
		bool found = false;
		for (const struct sim_metric_desc *d = c->ops->metrics; d && d->name; d++) {
			if (d->headline != pos)
				continue;
			found = true;
			const struct sim_json *v = sim_json_get(m, d->name, NULL);
			if (v && !(d->headline_if_used && sim_value(v, NULL) == 0))
				print_metric(f, d->name, d->unit, v, &first);
		}
		if (!found)
			break;
	}
	fputc('\n', f);
}

static bool is_true(const struct sim_json *j)
{
	return j && j->type == SIM_JSON_BOOL && j->b;
}

static void print_recovery(FILE *f, const struct sim_json *rec)
{
	double ci;
	fprintf(f, "  recovery after the overload window %g s to %g s:\n",
		sim_value(sim_json_get(rec->first, "window_start_s", NULL), &ci),
		sim_value(sim_json_get(rec->first, "window_end_s", NULL), &ci));
	for (const struct sim_json *r = rec->first; r; r = r->next) {
		const struct sim_json *m = sim_json_get(r, "metric", NULL);
		const struct sim_json *ok = sim_json_get(r, "recovered", NULL);
		double below = sim_value(sim_json_get(r, "below", NULL), &ci);
		double hold = sim_value(sim_json_get(r, "hold_s", NULL), &ci);
		double t = sim_value(sim_json_get(r, "recovery_time_s", NULL), &ci);
		char tb[64], hb[64];
		sim_format(tb, sizeof tb, SIM_UNIT_SECONDS, t, ci);
		sim_format_duration(hb, sizeof hb, hold);
		const struct sim_json *judged = sim_json_get(r, "judged", NULL);
		fprintf(f, "    %-28s ", m && m->str ? m->str : "?");
		if (judged && !is_true(judged))
			fputs("stopped before recovery could be judged", f);
		else if (ok && ok->type == SIM_JSON_BOOL)
			fprintf(f, ok->b ? "recovered %s after it" : "NOT RECOVERED by the end of the run", tb);
		else if (ok && ok->num >= 1)
			fprintf(f, "recovered %s after it (in every replication)", tb);
		else if (ok)
			fprintf(f, "recovered in %.0f%% of replications (%s after it when it did)",
				100 * ok->num, tb);
		fprintf(f, " (stays <= %.4g for %s%s)\n", below, hb,
			is_true(sim_json_get(r, "below_default", NULL)) ? "; default: pre-window p99 + 10%" : "");
	}
}

void sim_terminal_print(FILE *f, const struct sim_scenario *sc, const struct sim_json *s,
			const char *dir)
{
	double reps = sim_json_getnum(s, "replications", NULL);
	double events = sim_json_getnum(s, "events", NULL);
	double wall = sim_json_getnum(s, "wall_s", NULL);
	double reached = sim_value(sim_json_get(s, "simulated_s", NULL), NULL);
	char span[96];
	if (reached < sc->duration)
		snprintf(span, sizeof span, "stopped at %g s simulated of %g s", reached, sc->duration);
	else
		snprintf(span, sizeof span, "of %g s simulated", sc->duration);
	fprintf(f, "%s (%s): seed %.0f, %.0f replication%s %s; %.4g events in %.3g s (%.3g M events/s)\n",
		sc->name, sc->variant, sim_json_getnum(s, "seed", NULL), reps, reps == 1 ? "" : "s",
		span, events, wall, wall > 0 ? events / wall / 1e6 : 0.0);
	const struct sim_json *comps = sim_json_get(s, "components", NULL);
	for (size_t i = 0; i < sc->ncomps; i++) {
		const struct sim_json *m = sim_json_get(comps, sc->comps[i].name, NULL);
		if (m)
			print_component(f, &sc->comps[i], m);
	}
	const struct sim_json *classes = sim_json_get(s, "classes", NULL);
	if (sc->nclasses > 1)
		for (const struct sim_json *c = classes ? classes->first : NULL; c; c = c->next) {
			bool first = true;
			fprintf(f, "  class    %-16s ", c->key);
			print_metric(f, "sojourn_s", SIM_UNIT_SECONDS, sim_json_get(c, "sojourn_s", NULL), &first);
			print_metric(f, "dropped", SIM_UNIT_NUMBER, sim_json_get(c, "dropped", NULL), &first);
			print_metric(f, "served", SIM_UNIT_SHARE, sim_json_get(c, "served_share", NULL), &first);
			fputc('\n', f);
		}
	const struct sim_json *rec = sim_json_get(s, "recovery", NULL);
	if (rec && rec->first)
		print_recovery(f, rec);
	const struct sim_json *cons = sim_json_get(s, "conservation", NULL);
	const struct sim_json *ok = sim_json_get(cons, "ok", NULL);
	double ci;
	if (cons)
		fprintf(f, "  conservation %s: created %.0f = completed %.0f + dropped %.0f + in flight %.0f%s\n",
			ok && ok->b ? "ok" : "VIOLATED",
			sim_value(sim_json_get(cons, "created", NULL), &ci),
			sim_value(sim_json_get(cons, "completed", NULL), &ci),
			sim_value(sim_json_get(cons, "dropped", NULL), &ci),
			sim_value(sim_json_get(cons, "in_flight", NULL), &ci),
			reps > 1 ? " (means over replications)" : "");
	const struct sim_json *fin = sim_json_get(s, "replications_finished", NULL);
	if (fin && fin->num > 0)
		fprintf(f, "  %.0f of %.0f replications finished; the figures are means over those %.0f\n",
			fin->num, reps, fin->num);
	else if (fin)
		fprintf(f, "  none of the %.0f replications finished: no figures, no averages\n", reps);
	const struct sim_json *complete = sim_json_get(s, "complete", NULL);
	if (complete && !complete->b) {
		const struct sim_json *why = sim_json_get(s, "stopped", NULL);
		fprintf(f, "  INCOMPLETE: %s\n", why && why->str ? why->str : "stopped early");
	}
	if (dir)
		fprintf(f, "  outputs in %s/\n", dir);
}

#define CELL 96
#define MAX_COLS 24

/* Cell r (0: the header) of figure column i: a recovery time with its
 * share of runs when not all recovered ("no" when none did); a peak
 * with its component. */
static void brief_cell(char *buf, const struct sim_figure_row *row, size_t i)
{
	const struct sim_figure *fig = &row->figs[i];
	const struct sim_figure *ok = i > 0 && row->figs[i - 1].yes_no ? &row->figs[i - 1] : NULL;
	if (ok && ok->mean == 0) {
		snprintf(buf, CELL, "no");
		return;
	}
	sim_figures_text(buf, CELL, fig);
	size_t used = strlen(buf);
	if (ok && ok->mean > 0 && ok->mean < 1)
		snprintf(buf + used, CELL - used, " (%.0f%% of runs)", 100 * ok->mean);
	else if (fig->where[0] && isfinite(fig->mean))
		snprintf(buf + used, CELL - used, " (%s)", fig->where);
}

/* Printed width: UTF-8 continuation bytes take no column. */
static size_t width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

void sim_terminal_figures(FILE *f, const char *first, const char *const *keynames, size_t nkeys,
			  const struct sim_figure_row *rows, size_t n, const size_t *order)
{
	if (!n)
		return;
	size_t fig[MAX_COLS], nf = 0;
	for (size_t i = 0; i < rows[0].n && nf + nkeys + 1 < MAX_COLS; i++)
		if (rows[0].figs[i].brief)
			fig[nf++] = i;
	size_t ncols = 1 + nkeys + nf;
	char (*cell)[CELL] = calloc((n + 1) * ncols, CELL);
	if (!cell)
		return;
	snprintf(cell[0], CELL, "%s", first);
	for (size_t k = 0; k < nkeys; k++)
		snprintf(cell[1 + k], CELL, "%s", keynames[k]);
	for (size_t j = 0; j < nf; j++)
		snprintf(cell[1 + nkeys + j], CELL, "%s", rows[0].figs[fig[j]].label);
	for (size_t k = 0; k < n; k++) {
		const struct sim_figure_row *row = &rows[order ? order[k] : k];
		char (*line)[CELL] = &cell[(k + 1) * ncols];
		snprintf(line[0], CELL, "%s", row->label);
		for (size_t j = 0; j < nkeys; j++)
			snprintf(line[1 + j], CELL, "%s", row->keys[j]);
		for (size_t j = 0; j < nf; j++)
			brief_cell(line[1 + nkeys + j], row, fig[j]);
	}
	size_t w[MAX_COLS] = { 0 };
	for (size_t r = 0; r <= n; r++)
		for (size_t c = 0; c < ncols; c++)
			if (width(cell[r * ncols + c]) > w[c])
				w[c] = width(cell[r * ncols + c]);
	for (size_t r = 0; r <= n; r++) {
		for (size_t c = 0; c < ncols; c++) {
			const char *s = cell[r * ncols + c];
			size_t pad = w[c] - width(s);
			/* the label and keys to the left, figures to the right */
			fprintf(f, "%s%*s%s%*s", c ? "  " : "", c > nkeys ? (int)pad : 0, "", s,
				c > nkeys ? 0 : (int)pad, "");
		}
		fputc('\n', f);
	}
	free(cell);
}
