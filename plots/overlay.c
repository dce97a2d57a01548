/* overlay.c - the charts of a comparison (sim compare): for each metric a
 * single run would chart, one chart with a line per run, each reading its
 * run's block of the comparison's charts.csv, with when each run
 * recovered marked on a recovery criterion's metric. */
#include "plots/charts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plots/charts_private.h"
#include "plots/choose.h"
#include "plots/data.h"
#include "sim/figures.h"

/* When run r recovered on metric, in seconds from the start of the run
 * (NaN: it did not), from its comparison figures and its own overload
 * window.  *judged: metric is one of that run's criteria (a run without
 * an overload window has none: its figures are absent). */
static double recovered_at(const struct plots_compare_in *in, size_t r, const char *metric,
			   bool *judged)
{
	char name[160];
	snprintf(name, sizeof name, "recovery_time_s:%s", metric);
	const struct sim_figure_row *row = in->rows ? &in->rows[r] : NULL;
	*judged = false;
	for (size_t i = 0; row && i < row->n; i++)
		if (!strcmp(row->figs[i].name, name) && !row->figs[i].absent) {
			*judged = true;
			return in->scs[r]->report.to + row->figs[i].mean;
		}
	return NAN;
}

/* "compare-" and metric, ':' and '/' made '-': compare-analytics-q.depth. */
static void compare_name(char *name, size_t size, const char *metric)
{
	size_t k = (size_t)snprintf(name, size, "compare-");
	for (size_t j = 0; metric[j] && k + 1 < size; k++, j++)
		name[k] = metric[j] == ':' || metric[j] == '/' ? '-' : metric[j];
	name[k] = 0;
}

/* Chart ch: line src of a single run's chart base, once per run, each
 * reading metric in its own run's columns (variants may add columns: a
 * breaker's state, a blocking queue's door), in its own style. */
static void overlay(struct plots_chart *ch, const struct plots_chart *base,
		    const struct plots_line *src, const char *metric,
		    const struct plots_compare_in *in)
{
	snprintf(ch->title, sizeof ch->title, "%.100s: %.50s", base->title, src->title);
	char *paren = strstr(ch->title, " (left)");
	if (!paren)
		paren = strstr(ch->title, " (right)");
	if (paren)
		*paren = 0;
	snprintf(ch->ylabel, sizeof ch->ylabel, "%s", src->axis == 2 ? base->y2label : base->ylabel);
	ch->logy = base->logy;
	bool any = false;
	for (size_t r = 0; r < in->nruns && ch->n < PLOTS_MAX_LINES; r++) {
		int col = plots_column(in->runs[r], metric);
		if (col < 0)
			continue;
		struct plots_line *d = &ch->lines[ch->n];
		*d = *src;
		d->colour = 0;
		d->col = col;
		d->axis = 1;
		d->block = (int)r + 1;	/* run r's block of the comparison's data */
		snprintf(d->file, sizeof d->file, "%s", PLOTS_DATA_FILE);
		snprintf(d->title, sizeof d->title, "%s", in->labels[r]);
		bool judged;
		ch->recovered_s[ch->n] = recovered_at(in, r, metric, &judged);
		ch->no_verdict[ch->n++] = !judged;
		any = any || judged;
	}
	if (any)
		snprintf(ch->recovery_metric, sizeof ch->recovery_metric, "%s", metric);
}

/* Whether metric (a column of series, or -1) is new to seen: marks it. */
static bool first_time(bool *seen, int c, size_t ncols)
{
	if (c < 0 || (size_t)c >= ncols || seen[c])
		return c < 0 || (size_t)c >= ncols;
	return seen[c] = true;
}

int plots_compare(const char *dir, const struct plots_compare_in *in, char (*names)[96],
		  char (*titles)[160], size_t *ncharts, bool *drawn, struct plots_left_out *left)
{
	const struct sim_scenario *sc = in->scs[0];
	const struct sim_series *series = in->runs[0];
	char subtitle[256];
	snprintf(subtitle, sizeof subtitle, "%s, %zu variants compared, seed %llu (common random numbers)",
		 sc->name, in->nruns, (unsigned long long)sc->seed);
	struct plots_context cx = { sc, NULL, series, 1, "s", subtitle, in->svg, in->interrupt,
				    in->runs, in->nruns, in->at_once };
	plots_time_axis(&cx, sc);
	/* the metrics worth overlaying, as single-run charts would pick them */
	struct plots_chart *base = calloc(64, sizeof *base);
	struct plots_chart *out = calloc(64, sizeof *out);
	bool *seen = calloc(series->ncols + 1, sizeof *seen);	/* metrics left out */
	if (!base || !out || !seen) {
		free(base);
		free(out);
		free(seen);
		return -1;
	}
	int nb = plots_choose(&cx, base, 64, &left->components), n = 0;
	left->metrics = 0;
	for (int i = 0; i < nb; i++) {
		left->metrics += base[i].more;
		for (int l = 0; l < base[i].n && !base[i].heat_n; l++) {
			const struct plots_line *src = &base[i].lines[l];
			if (src->col_minus)	/* a difference: its column is not its metric */
				continue;
			int c = plots_data_index(src->col);
			if (n == 64) {
				left->metrics += first_time(seen, c, series->ncols);
				continue;
			}
			const char *metric = c >= 0 && (size_t)c < series->ncols
						     ? series->names[c] : base[i].name;
			memset(&out[n], 0, sizeof out[n]);
			compare_name(out[n].name, sizeof out[n].name, metric);
			bool dup = false;	/* a metric on two charts is compared once */
			for (int k = 0; k < n && !dup; k++)
				dup = !strcmp(out[k].name, out[n].name);
			if (dup)
				continue;
			overlay(&out[n++], &base[i], src, metric, in);
		}
	}
	for (int i = 0; i < n; i++) {
		snprintf(names[i], 96, "%s", out[i].name);
		snprintf(titles[i], 160, "%s", out[i].title);
	}
	*ncharts = (size_t)n;
	*drawn = false;
	int rc = plots_data_narrow(dir, out, n, in->runs, in->nruns, true);
	if (rc == 0)
		rc = plots_write_all(dir, &cx, out, n, in->draw, drawn);
	free(base);
	free(out);
	free(seen);
	return rc;
}
