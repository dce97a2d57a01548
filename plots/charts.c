/* charts.c - the charts of a run, as gnuplot scripts, and drawing them.
 *
 * Each chart is a list of time-series columns on one or two y axes.  All
 * share one look, set in write_preamble: a title naming the scenario and
 * variant, units on the axes, the overload window shaded, the recovery of
 * any criterion on the chart marked (or "not recovered" written on it),
 * and the legend above the plot, where it covers no data.  Counters are
 * plotted per second (divided by the sample interval).
 */
#include "plots/charts.h"

#include "plots/choose.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plots/draw.h"
#include "plots/heat.h"
#include "plots/gpstr.h"
#include "plots/report.h"
#include "sim/atomic.h"
#include "sim/figures.h"
#include "sim/model.h"
#include "sim/format.h"
#include "sim/units.h"

/* A label's text, shown as written: quoted as data, not enhanced markup. */
static void plain(FILE *f, const char *s)
{
	plots_gp_string(f, s, PLOTS_GP_VERBATIM);
	fputs(" noenhanced", f);
}

/* The terminal line of every chart: PNG (cairo) or SVG, same size. */
static void write_terminal(FILE *f, const char *name, bool svg)
{
	if (svg)
		fprintf(f, "set terminal svg size 1400,700 dynamic enhanced font 'DejaVu Sans,14' linewidth 2 background rgb 'white'\n");
	else
		fprintf(f, "set terminal pngcairo size 1400,700 enhanced font 'DejaVu Sans,14' linewidth 2\n");
	char out[160];
	snprintf(out, sizeof out, "%s.%s", name, svg ? "svg" : "png");
	fputs("set output ", f);
	plots_gp_string(f, out, PLOTS_GP_VERBATIM);
	fputc('\n', f);
}

/* The first line of a script: what it draws, and how to draw it again. */
static void write_header(FILE *f, const char *title, const char *cmd, const char *name)
{
	char line[512];
	snprintf(line, sizeof line, "%s: drawn by `sim %s`; edit and re-run with `gnuplot %s.gp`",
		 title, cmd, name);
	plots_gp_comment(f, line);
}

/* Marks the recovery of each criterion whose metric is on the chart. */
static void write_recovery(FILE *f, const struct plots_context *cx, const struct plots_chart *ch)
{
	const struct sim_json *rec = cx->summary ? sim_json_get(cx->summary, "recovery", NULL) : NULL;
	int k = 0;
	for (const struct sim_json *r = rec ? rec->first : NULL; r; r = r->next) {
		const struct sim_json *m = sim_json_get(r, "metric", NULL);
		if (!m || !m->str)
			continue;
		int col = plots_column(cx->series, m->str);
		bool here = false;
		for (int i = 0; i < ch->n; i++)
			here = here || ch->lines[i].col == col;
		if (!here)
			continue;
		const struct sim_json *ok = sim_json_get(r, "recovered", NULL);
		double share = ok ? (ok->type == SIM_JSON_BOOL ? ok->b : ok->num) : 0;
		double end = sim_value(sim_json_get(r, "window_end_s", NULL), NULL);
		double t = sim_value(sim_json_get(r, "recovery_time_s", NULL), NULL);
		char when[64], label[256];
		double y = 0.92 - 0.07 * k++;
		if (share > 0 && isfinite(t)) {
			sim_format_duration(when, sizeof when, t);
			if (share < 1)
				snprintf(label, sizeof label, "%s: recovered %s after the window (in %.0f%% of replications)",
					 m->str, when, 100 * share);
			else
				snprintf(label, sizeof label, "%s: recovered %s after the window", m->str, when);
			double x = (end + t) / cx->xdiv;
			/* labels past the middle go to the left of their line */
			bool left = end + t > cx->sc->duration / 2;
			fprintf(f, "set arrow from %.10g, graph 0 to %.10g, graph 1 nohead dashtype (10,8) linewidth 1.5 linecolor rgb '#1a7f37' front\n",
				x, x);
			fprintf(f, "set label at %.10g, graph %.2f %s offset %s,0 textcolor rgb '#1a7f37' front ", x, y,
				left ? "right" : "left", left ? "-0.8" : "0.8");
		} else {
			snprintf(label, sizeof label, "%s NOT RECOVERED by the end of the run", m->str);
			fprintf(f, "set label at graph 0.99, graph %.2f right textcolor rgb '#b42318' front ", y);
		}
		plain(f, label);
		fputc('\n', f);
	}
}

static void write_chart(FILE *f, const struct plots_context *cx, const struct plots_chart *ch)
{
	const struct sim_scenario *sc = cx->sc;
	write_header(f, ch->title, "run", ch->name);
	write_terminal(f, ch->name, cx->svg);
	fprintf(f, "set datafile separator ','\n");
	char sub[512];
	if (cx->subtitle)
		snprintf(sub, sizeof sub, "%s", cx->subtitle);
	else
		snprintf(sub, sizeof sub, "%s, variant %s, seed %llu%s", sc->name, sc->variant,
			 (unsigned long long)sc->seed,
			 sim_value(sim_json_get(cx->summary, "replications", NULL), NULL) > 1 ? ", mean of the replications" : "");
	/* the subtitle in a smaller font: enhanced markup, in a string
	 * concatenated around the escaped title and subtitle */
	fputs("set title ", f);
	plots_gp_string(f, ch->title, PLOTS_GP_ENHANCED);
	fputs(".\"\\n{/*0.75 \".", f);
	plots_gp_string(f, sub, PLOTS_GP_ENHANCED);
	fputs(".'}'\n", f);
	fprintf(f, "set xlabel 'time (%s)'\n", cx->xunit);
	fputs("set ylabel ", f);
	plain(f, ch->ylabel);
	fputc('\n', f);
	if (ch->y2label[0]) {
		fputs("set y2label ", f);
		plain(f, ch->y2label);
		fputs("\nset ytics nomirror\nset y2tics\nset y2range [0:*]\n", f);
	}
	fprintf(f, "set ytics nomirror\nset format y '%%g'\n");
	if (ch->logy)
		fprintf(f, "set logscale y\n");
	else
		fprintf(f, "set yrange [0:*]\n");
	fprintf(f, "set xrange [0:%.10g]\n", sc->duration / cx->xdiv);
	fprintf(f, "set grid linecolor rgb '#dddddd'\n");
	fprintf(f, "set key below center horizontal spacing 1.2\nset bmargin 7\n");
	fprintf(f, "set border 3\nset xtics nomirror\n");
	if (sc->report.has_window) {
		fprintf(f, "set object 1 rectangle from %.10g, graph 0 to %.10g, graph 1 behind fillcolor rgb '#f9d5d3' fillstyle solid 0.6 noborder\n",
			sc->report.from / cx->xdiv, sc->report.to / cx->xdiv);
		fprintf(f, "set label 1 'overload window' at %.10g, graph 0.985 center textcolor rgb '#b42318' front\n",
			(sc->report.from + sc->report.to) / 2 / cx->xdiv);
	}
	if (sc->warmup > 0)
		fprintf(f, "set object 2 rectangle from 0, graph 0 to %.10g, graph 1 behind fillcolor rgb '#eeeeee' fillstyle solid 0.6 noborder\n"
			   "set label 2 'warm-up' at %.10g, graph 0.985 center textcolor rgb '#666666' front\n",
			sc->warmup / cx->xdiv, sc->warmup / 2 / cx->xdiv);
	write_recovery(f, cx, ch);
	static const char *const colors[] = {
		"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf",
	};
	fprintf(f, "plot \\\n");
	for (int i = 0; i < ch->n; i++) {
		const struct plots_line *l = &ch->lines[i];
		double k = l->scale * (l->per_second ? 1 / sc->sample : 1);
		fputs("  ", f);
		plots_gp_string(f, l->file, PLOTS_GP_VERBATIM);
		fprintf(f, " skip 1 using ($1/%.10g):($%d*%.10g) with lines linewidth 2.5 linecolor rgb '%s' axes x1y%d title ",
			cx->xdiv, l->col, k, colors[i % 8], l->axis);
		plain(f, l->title);
		fprintf(f, "%s\n", i + 1 < ch->n ? ", \\" : "");
	}
}

/* Writes each chart's script; draws them if asked.  *drawn: all drawn. */
static int write_all(const char *dir, const struct plots_context *cx, const struct plots_chart *charts,
		     int n, bool do_draw, bool *drawn)
{
	int rc = 0;
	struct plots_draw d;
	plots_draw_init(&d, dir, do_draw, cx->svg, cx->interrupt);
	for (int i = 0; i < n; i++) {
		char path[4200];
		struct sim_atomic a;
		snprintf(path, sizeof path, "%s/%s.gp", dir, charts[i].name);
		FILE *f = sim_atomic_open(&a, path);
		if (!f) {
			rc = -1;
			break;
		}
		if (charts[i].heat_n)
			plots_heat_write(f, cx, &charts[i]);
		else
			write_chart(f, cx, &charts[i]);
		if (sim_atomic_close(&a) < 0) {
			rc = -1;
			break;
		}
		plots_draw_chart(&d, charts[i].name);
	}
	*drawn = plots_draw_fini(&d);
	return rc;
}

static void time_axis(struct plots_context *cx, const struct sim_scenario *sc)
{
	cx->xdiv = 1;
	cx->xunit = "s";
	if (sc->duration > 1200) {
		cx->xdiv = 60;
		cx->xunit = "min";
	}
}

int plots_write(const char *dir, const struct sim_scenario *sc, const struct sim_json *summary,
		const struct sim_series *series, bool do_draw, bool svg,
		const volatile sig_atomic_t *interrupt)
{
	struct plots_context cx = { sc, summary, series, 1, "s", NULL, svg, interrupt, NULL, 0 };
	time_axis(&cx, sc);
	struct plots_chart *charts = calloc(64, sizeof *charts);
	if (!charts)
		return -1;
	int n = plots_choose(&cx, charts, 64);
	const char *names[64], *titles[64];
	for (int i = 0; i < n; i++) {
		names[i] = charts[i].name;
		titles[i] = charts[i].title;
	}
	bool drawn;
	int rc = write_all(dir, &cx, charts, n, do_draw, &drawn);
	if (rc == 0)
		rc = plots_report(dir, sc, summary, names, titles, (size_t)n, drawn, svg ? "svg" : "png");
	free(charts);
	return rc;
}

int plots_compare(const char *dir, const struct sim_scenario *sc,
		  const struct sim_series *const *runs, const char *const *labels,
		  const char *const *subdirs, size_t nruns, bool do_draw, bool svg,
		  const volatile sig_atomic_t *interrupt, char (*names)[96], char (*titles)[160],
		  size_t *ncharts, bool *drawn)
{
	const struct sim_series *series = runs[0];
	char subtitle[256];
	snprintf(subtitle, sizeof subtitle, "%s, %zu variants compared, seed %llu (common random numbers)",
		 sc->name, nruns, (unsigned long long)sc->seed);
	struct plots_context cx = { sc, NULL, series, 1, "s", subtitle, svg, interrupt, runs, nruns };
	time_axis(&cx, sc);
	/* the metrics worth overlaying, as single-run charts would pick them */
	struct plots_chart *base = calloc(64, sizeof *base);
	struct plots_chart *out = calloc(64, sizeof *out);
	if (!base || !out) {
		free(base);
		free(out);
		return -1;
	}
	int nb = plots_choose(&cx, base, 64), n = 0;
	for (int i = 0; i < nb && n < 64; i++) {
		for (int l = 0; l < base[i].n && !base[i].heat_n && n < 64; l++) {
			const struct plots_line *src = &base[i].lines[l];
			struct plots_chart *ch = &out[n];
			memset(ch, 0, sizeof *ch);
			/* "queue-q" line "oldest item age (right)" -> one chart */
			/* named after its metric: compare-analytics-q.depth */
			const char *metric = src->col >= 2 && (size_t)(src->col - 2) < series->ncols
						     ? series->names[src->col - 2] : base[i].name;
			snprintf(ch->name, sizeof ch->name, "compare-");
			for (size_t k = 8, j = 0; metric[j] && k + 1 < sizeof ch->name; k++, j++)
				ch->name[k] = metric[j] == ':' || metric[j] == '/' ? '-' : metric[j];
			bool dup = false;	/* a metric on two charts is compared once */
			for (int k = 0; k < n && !dup; k++)
				dup = !strcmp(out[k].name, ch->name);
			if (dup)
				continue;
			snprintf(ch->title, sizeof ch->title, "%.100s: %.50s", base[i].title, src->title);
			char *paren = strstr(ch->title, " (left)");
			if (!paren)
				paren = strstr(ch->title, " (right)");
			if (paren)
				*paren = 0;
			snprintf(ch->ylabel, sizeof ch->ylabel, "%s", src->axis == 2 ? base[i].y2label : base[i].ylabel);
			ch->logy = base[i].logy;
			for (size_t r = 0; r < nruns && ch->n < PLOTS_MAX_LINES; r++) {
				/* variants may add columns (a breaker's state, a
				 * blocking queue's door): find it in each run's own */
				int col = plots_column(runs[r], metric);
				if (col < 0)
					continue;
				struct plots_line *d = &ch->lines[ch->n++];
				*d = *src;
				d->col = col;
				d->axis = 1;
				snprintf(d->file, sizeof d->file, "%s/timeseries.csv", subdirs[r]);
				snprintf(d->title, sizeof d->title, "%s", labels[r]);
			}
			n++;
		}
	}
	for (int i = 0; i < n; i++) {
		snprintf(names[i], 96, "%s", out[i].name);
		snprintf(titles[i], 160, "%s", out[i].title);
	}
	*ncharts = (size_t)n;
	int rc = write_all(dir, &cx, out, n, do_draw, drawn);
	free(base);
	free(out);
	return rc;
}

/* ---- sweeps ------------------------------------------------------------- */

static void write_sweep_chart(FILE *f, const struct sim_scenario *sc, const char *name,
			      const char *title, const char *xlabel, const struct sim_figure *fig,
			      int col, double scale, const char *unit, unsigned reps, int xtic, bool svg)
{
	write_header(f, title, "sweep", name);
	write_terminal(f, name, svg);
	fprintf(f, "set datafile separator ','\n");
	fprintf(f, "set title ");
	plain(f, title);
	fprintf(f, "\nset label 3 ");
	char sub[256];
	snprintf(sub, sizeof sub, "%s, seed %llu%s", sc->name, (unsigned long long)sc->seed,
		 reps > 1 ? ", mean and 95% confidence interval" : "");
	plain(f, sub);
	fprintf(f, " at graph 0.5, graph 1.02 center font ',11'\n");
	fprintf(f, "set xlabel ");
	plain(f, xlabel);
	fprintf(f, "\nset ylabel ");
	char yl[192];
	snprintf(yl, sizeof yl, "%s%s%s%s", fig->label, unit[0] ? " (" : "", unit, unit[0] ? ")" : "");
	plain(f, yl);
	/* the tic labels are the swept values, read from sweep.csv: shown as written */
	fprintf(f, "\nset grid linecolor rgb '#dddddd'\nset border 3\nset xtics nomirror rotate by -20 noenhanced\n"
		   "set ytics nomirror\nset format y '%%g'\nset yrange [0:*]\nset offsets 0.3, 0.3, 0, 0\nset key off\nset bmargin 8\n");
	if (reps > 1)
		fprintf(f, "plot 'sweep.csv' skip 1 using 0:($%d*%.10g):($%d*%.10g):xtic(%d) with yerrorlines linewidth 2.5 pointtype 7 linecolor rgb '#1f77b4'\n",
			col, scale, col + 1, scale, xtic);
	else
		fprintf(f, "plot 'sweep.csv' skip 1 using 0:($%d*%.10g):xtic(%d) with linespoints linewidth 2.5 pointtype 7 linecolor rgb '#1f77b4'\n",
			col, scale, xtic);
}

int plots_sweep(const char *dir, const struct sim_scenario *sc, const char *const *keys,
		size_t nkeys, const struct sim_figure_row *rows, size_t nrows, unsigned reps,
		bool do_draw, bool svg, const volatile sig_atomic_t *interrupt, char (*names)[96],
		char (*titles)[160], size_t *ncharts, bool *drawn)
{
	char xlabel[512] = "";
	for (size_t k = 0; k < nkeys; k++) {
		size_t used = strlen(xlabel);
		snprintf(xlabel + used, sizeof xlabel - used, "%s%s", k ? ", " : "", keys[k]);
	}
	size_t n = 0;
	struct plots_draw d;
	plots_draw_init(&d, dir, do_draw, svg, interrupt);
	for (size_t i = 0; nrows && i < rows[0].n && n < 64; i++) {
		const struct sim_figure *fig = &rows[0].figs[i];
		if (fig->yes_no)
			continue;	/* a yes/no: the table says it better */
		double max = 0;
		for (size_t r = 0; r < nrows; r++)
			if (isfinite(rows[r].figs[i].mean) && rows[r].figs[i].mean > max)
				max = rows[r].figs[i].mean;
		double scale = 1;
		const char *unit = "";
		if (fig->unit == SIM_UNIT_SECONDS) {
			scale = max < 1 ? 1000 : 1;
			unit = max < 1 ? "ms" : "s";
		} else if (fig->unit == SIM_UNIT_SHARE) {
			scale = 100;
			unit = "%";
		} else if (fig->unit == SIM_UNIT_PER_S) {
			unit = "per second";
		}
		snprintf(names[n], 96, "sweep-%zu", n + 1);
		snprintf(titles[n], 160, "%s by %.100s", fig->label, xlabel);
		char path[4200];
		struct sim_atomic a;
		snprintf(path, sizeof path, "%s/%s.gp", dir, names[n]);
		FILE *f = sim_atomic_open(&a, path);
		if (!f)
			return -1;
		int col = 2 + (int)nkeys + 2 * (int)i;	/* 1-based: point, keys, then mean, ci */
		write_sweep_chart(f, sc, names[n], titles[n], xlabel, fig, col, scale, unit, reps,
				  nkeys == 1 ? 2 : 1, svg);
		if (sim_atomic_close(&a) < 0)
			return -1;
		plots_draw_chart(&d, names[n]);
		n++;
	}
	*ncharts = n;
	*drawn = plots_draw_fini(&d);
	return 0;
}
