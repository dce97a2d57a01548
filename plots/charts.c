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

#include "plots/charts_private.h"
#include "plots/choose.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plots/data.h"
#include "plots/draw.h"
#include "plots/heat.h"
#include "plots/gpstr.h"
#include "plots/report.h"
#include "plots/spans.h"
#include "plots/style.h"
#include "sim/atomic.h"
#include "sim/model.h"
#include "sim/format.h"
#include "sim/units.h"

/* A label's text, shown as written: quoted as data, not enhanced markup. */
static void plain(FILE *f, const char *s)
{
	plots_gp_string(f, s, PLOTS_GP_VERBATIM);
	fputs(" noenhanced", f);
}

/* The terminal line of every chart: PNG (cairo) or SVG, 1400 wide and
 * height tall. */
static void write_terminal_sized(FILE *f, const char *name, bool svg, int height)
{
	if (svg)
		fprintf(f, "set terminal svg size 1400,%d dynamic enhanced font 'DejaVu Sans,14' linewidth 2 background rgb 'white'\n",
			height);
	else
		fprintf(f, "set terminal pngcairo size 1400,%d enhanced font 'DejaVu Sans,14' linewidth 2\n", height);
	char out[160];
	snprintf(out, sizeof out, "%s.%s", name, svg ? "svg" : "png");
	fputs("set output ", f);
	plots_gp_string(f, out, PLOTS_GP_VERBATIM);
	fputc('\n', f);
}

static void write_terminal(FILE *f, const char *name, bool svg)
{
	write_terminal_sized(f, name, svg, 700);
}

/* The first line of a script: what it draws, and how to draw it again. */
static void write_header(FILE *f, const char *title, const char *cmd, const char *name)
{
	char line[512];
	snprintf(line, sizeof line, "%s: drawn by `sim %s`; edit and re-run with `gnuplot %s.gp`",
		 title, cmd, name);
	plots_gp_comment(f, line);
}

/* Labels sit in the top margin, above the plot, where they cover no
 * line: row 0 names the shaded spans, rows 1, 2, ... the recoveries. */
#define LABEL_ROW_CHARS 1.4	/* a row's height, in character heights */

/* The recovery criteria whose metric is on the chart (at most max):
 * their summary objects into out; how many. */
static int recoveries(const struct plots_context *cx, const struct plots_chart *ch,
		      const struct sim_json **out, int max)
{
	const struct sim_json *rec = cx->summary ? sim_json_get(cx->summary, "recovery", NULL) : NULL;
	int k = 0;
	for (const struct sim_json *r = rec ? rec->first : NULL; r && k < max; r = r->next) {
		const struct sim_json *m = sim_json_get(r, "metric", NULL);
		if (!m || !m->str)
			continue;
		int col = plots_column(cx->series, m->str);
		bool here = false;
		for (int i = 0; i < ch->n; i++)
			here = here || ch->lines[i].col == col;
		if (here)
			out[k++] = r;
	}
	return k;
}

/* Marks the recovery of criterion r with a line at its time, and its
 * label on row row above the plot. */
static void write_recovery(FILE *f, const struct plots_context *cx, const struct sim_json *r, int row)
{
	const char *metric = sim_json_get(r, "metric", NULL)->str;
	const struct sim_json *ok = sim_json_get(r, "recovered", NULL);
	double share = ok ? (ok->type == SIM_JSON_BOOL ? ok->b : ok->num) : 0;
	double end = sim_value(sim_json_get(r, "window_end_s", NULL), NULL);
	double t = sim_value(sim_json_get(r, "recovery_time_s", NULL), NULL);
	char when[64], label[256];
	double up = 0.6 + LABEL_ROW_CHARS * row;
	if (share > 0 && isfinite(t)) {
		sim_format_duration(when, sizeof when, t);
		if (share < 1)
			snprintf(label, sizeof label, "%s: recovered %s after the window (in %.0f%% of replications)",
				 metric, when, 100 * share);
		else
			snprintf(label, sizeof label, "%s: recovered %s after the window", metric, when);
		double x = (end + t) / cx->xdiv;
		/* labels past the middle go to the left of their line */
		bool left = end + t > cx->sc->duration / 2;
		fprintf(f, "set arrow from %.10g, graph 0 to %.10g, graph 1 nohead dashtype (10,8) linewidth 1.5 linecolor rgb '#1a7f37' front\n",
			x, x);
		fprintf(f, "set label at %.10g, graph 1 %s offset %s,%.2f textcolor rgb '#1a7f37' front ", x,
			left ? "right" : "left", left ? "-0.5" : "0.5", up);
	} else {
		const struct sim_json *judged = sim_json_get(r, "judged", NULL);
		snprintf(label, sizeof label, judged && judged->type == SIM_JSON_BOOL && !judged->b ?
			 "%s: stopped before recovery could be judged" :
			 "%s NOT RECOVERED by the end of the run", metric);
		fprintf(f, "set label at graph 1, graph 1 right offset 0,%.2f textcolor rgb '#b42318' front ", up);
	}
	plain(f, label);
	fputc('\n', f);
}

/* Compare: a line in each run's style when it recovered, and on row 1
 * which metric that is and the runs that did not recover. */
static void write_recoveries(FILE *f, const struct plots_context *cx, const struct plots_chart *ch)
{
	char label[512];
	int len = snprintf(label, sizeof label, "%s: each variant's recovery marked in its colour",
			   ch->recovery_metric);
	const char *sep = "; not recovered: ";
	for (int i = 0; i < ch->n; i++) {
		double t = ch->recovered_s[i];
		if (ch->no_verdict[i]) {
			continue;
		} else if (isfinite(t)) {
			fprintf(f, "set arrow from %.10g, graph 0 to %.10g, graph 1 nohead linewidth 1.5 linecolor rgb '%s' dashtype (4,4) front\n",
				t / cx->xdiv, t / cx->xdiv, plots_style_colour((size_t)i));
		} else if (len >= 0 && (size_t)len < sizeof label) {
			len += snprintf(label + len, sizeof label - (size_t)len, "%s%s", sep, ch->lines[i].title);
			sep = ", ";
		}
	}
	fprintf(f, "set label at graph 0, graph 1 left offset 0,%.2f textcolor rgb '#1a7f37' front ",
		0.6 + LABEL_ROW_CHARS);
	plain(f, label);
	fputc('\n', f);
}

/* The shaded spans (overload window, warm-up, dependencies' schedule
 * entries: plots/spans.c), their names on row 0
 * above the plot, the recoveries on the rows above that, and the top
 * margin they need. */
static void write_marks(FILE *f, const struct plots_context *cx, const struct plots_chart *ch)
{
	const struct sim_scenario *sc = cx->sc;
	const struct sim_json *rec[8];
	int k = recoveries(cx, ch, rec, 8);
	int rows = k + (ch->recovery_metric[0] != 0);	/* compare: one for every run */
	bool spans = sc->report.has_window || sc->warmup > 0 || plots_spans_any(cx);
	if (!spans && !rows)
		return;
	/* the title and subtitle, moved up over the rows */
	fprintf(f, "set tmargin %.2f\nset title offset 0,%.2f\n", 3.6 + LABEL_ROW_CHARS * (rows + 1),
		LABEL_ROW_CHARS * (rows + 1));
	double left = 0;	/* where row 0 is free from, in seconds */
	if (sc->warmup > 0) {
		fprintf(f, "set object 2 rectangle from 0, graph 0 to %.10g, graph 1 behind fillcolor rgb '#eeeeee' fillstyle solid 0.6 noborder\n",
			sc->warmup / cx->xdiv);
		plots_span_label(f, cx, 2, "warm-up", "#666666", 0, sc->warmup, &left);
	}
	if (sc->report.has_window) {
		fprintf(f, "set object 1 rectangle from %.10g, graph 0 to %.10g, graph 1 behind fillcolor rgb '#f9d5d3' fillstyle solid 0.6 noborder\n",
			sc->report.from / cx->xdiv, sc->report.to / cx->xdiv);
		plots_span_label(f, cx, 1, "overload window", "#b42318", sc->report.from, sc->report.to, &left);
	}
	plots_spans_write(f, cx, &left);
	for (int i = 0; i < k; i++)
		write_recovery(f, cx, rec[i], i + 1);
	if (ch->recovery_metric[0])
		write_recoveries(f, cx, ch);
}

/* Where a line's points are: its file, past the header or in its block. */
static void write_source(FILE *f, const struct plots_line *l)
{
	plots_gp_string(f, l->file, PLOTS_GP_VERBATIM);
	if (l->block)
		fprintf(f, " index %d", l->block - 1);
	else
		fputs(" skip 1", f);
}

/* A reduced series (plots/data.h): the minimum to maximum of the rows
 * behind each point, a light band under the line of their means, so a
 * spike one sample wide stays in sight. */
static void write_band(FILE *f, const struct plots_context *cx, const struct plots_line *l,
		       double k, const char *color)
{
	fputs("  ", f);
	write_source(f, l);
	fprintf(f, " using ($1/%.10g):($%d*%.10g):($%d*%.10g) with filledcurves fillcolor rgb '%s' fillstyle transparent solid 0.35 noborder axes x1y%d notitle, \\\n",
		cx->xdiv, l->at + 1, k, l->at + 2, k, color, l->axis);
}

/* The lines; a chart without any says so in its middle (its text). */
static void write_plot(FILE *f, const struct plots_context *cx, const struct plots_chart *ch)
{
	if (ch->n == 0) {
		/* the axes, and the sentence where the lines would be: a
		 * function outside the y range draws nothing */
		fputs("set yrange [0:1]\nset ytics ('0' 0)\nset label 3 ", f);
		plain(f, ch->empty[0] ? ch->empty : "no data");
		fputs(" at graph 0.5, graph 0.5 center font ',18' textcolor rgb '#666666' front\nplot -1 notitle\n", f);
		return;
	}
	fprintf(f, "plot \\\n");
	for (int i = 0; i < ch->n; i++) {
		const struct plots_line *l = &ch->lines[i];
		double k = l->scale * (l->per_second ? 1 / cx->sc->sample : 1);
		if (cx->series->merged && !l->col_minus)
			write_band(f, cx, l, k, plots_style_colour((size_t)i));
		fputs("  ", f);
		write_source(f, l);
		if (l->col_minus)
			fprintf(f, " using ($1/%.10g):(($%d-$%d)*%.10g) with lines linewidth 2.5", cx->xdiv,
				l->at, l->at_minus, k);
		else
			fprintf(f, " using ($1/%.10g):($%d*%.10g) with lines linewidth 2.5", cx->xdiv, l->at, k);
		if (l->colour)
			fprintf(f, " linecolor rgb '%s' dashtype %s", plots_style_colour((size_t)l->colour - 1),
				l->dash ? l->dash : "solid");
		else
			plots_style_line(f, (size_t)i);
		fprintf(f, " axes x1y%d title ", l->axis);
		plain(f, l->title);
		fprintf(f, "%s\n", i + 1 < ch->n ? ", \\" : "");
	}
}

static void write_chart(FILE *f, const struct plots_context *cx, const struct plots_chart *ch)
{
	const struct sim_scenario *sc = cx->sc;
	write_header(f, ch->title, "run", ch->name);
	/* the legend takes rows of about three entries under the plot: past
	 * two rows the chart grows, so the plot keeps its height */
	int rows = (ch->n + 2) / 3;
	write_terminal_sized(f, ch->name, cx->svg, 700 + 28 * (rows > 2 ? rows - 2 : 0));
	fprintf(f, "set datafile separator ','\n");
	char sub[512];
	if (cx->subtitle)
		snprintf(sub, sizeof sub, "%s", cx->subtitle);
	else
		snprintf(sub, sizeof sub, "%s, variant %s, seed %llu%s", sc->name, sc->variant,
			 (unsigned long long)sc->seed,
			 sim_value(sim_json_get(cx->summary, "replications", NULL), NULL) > 1 ? ", mean of the replications" : "");
	if (cx->series->merged) {
		size_t used = strlen(sub);
		snprintf(sub + used, sizeof sub - used, "; lines: means of up to %.0f samples, shaded: their min to max",
			 ceil(sim_scenario_rows(sc) / SIM_REDUCE_BUCKETS));
	}
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
	plots_style_key(f);
	fprintf(f, "set border 3\nset xtics nomirror\n");
	write_marks(f, cx, ch);
	write_plot(f, cx, ch);
}

int plots_write_all(const char *dir, const struct plots_context *cx,
		    const struct plots_chart *charts, int n, bool do_draw, bool *drawn)
{
	int rc = 0;
	struct plots_draw d;
	plots_draw_init(&d, dir, do_draw, cx->svg, cx->interrupt);
	plots_draw_at_once(&d, cx->at_once);
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

void plots_time_axis(struct plots_context *cx, const struct sim_scenario *sc)
{
	cx->xdiv = 1;
	cx->xunit = "s";
	if (sc->duration > 1200) {
		cx->xdiv = 60;
		cx->xunit = "min";
	}
	if (sc->duration > 72000) {
		cx->xdiv = 3600;
		cx->xunit = "h";
	}
}

int plots_write(const char *dir, const struct sim_scenario *sc, const struct sim_json *summary,
		const struct sim_series *series, bool do_draw, bool svg,
		const volatile sig_atomic_t *interrupt, unsigned at_once)
{
	struct plots_context cx = { sc, summary, series, 1, "s", NULL, svg, interrupt, NULL, 0,
				    at_once };
	plots_time_axis(&cx, sc);
	struct plots_chart *charts = calloc(64, sizeof *charts);
	if (!charts)
		return -1;
	size_t left_out;
	int n = plots_choose(&cx, charts, 64, &left_out);
	if (plots_data_narrow(dir, charts, n, &series, 1, false) < 0) {
		free(charts);
		return -1;
	}
	const char *names[64], *titles[64];
	for (int i = 0; i < n; i++) {
		names[i] = charts[i].name;
		titles[i] = charts[i].title;
	}
	bool drawn;
	int rc = plots_write_all(dir, &cx, charts, n, do_draw, &drawn);
	if (rc == 0)
		rc = plots_report(dir, sc, summary,
				  &(struct plots_report_charts){ names, titles, (size_t)n, left_out,
								 drawn, svg ? "svg" : "png" });
	free(charts);
	return rc;
}

/* ---- for the charts of other files ------------------------------------ */

void plots_script_begin(FILE *f, const char *title, const char *cmd, const char *name, bool svg)
{
	write_header(f, title, cmd, name);
	write_terminal(f, name, svg);
}

void plots_plain(FILE *f, const char *s)
{
	plain(f, s);
}
