/* sweep.c - the charts of a sweep; see sweep.h.  The invariant: a chart's
 * data file has a row per value of the x key and two fields per line in
 * every row, and the script reads each line from its own columns, so what
 * is drawn at a position is the figure of the point with that value. */
#include "plots/sweep.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "plots/charts.h"
#include "plots/draw.h"
#include "plots/gpstr.h"
#include "plots/style.h"
#include "sim/atomic.h"
#include "sim/csv.h"
#include "sim/model.h"
#include "sim/units.h"

#define MAX_X 256		/* values of the x key */

/* How a value is read: the first way that reads all the values. */
enum reading { READ_NUMBER, READ_RATE, READ_DURATION, READ_COUNT, READ_NONE };

/* The x axis: the first key's values, where they sit, in which order. */
struct axis {
	const char *value[MAX_X];	/* as written */
	double x[MAX_X];		/* base units, or 0, 1, 2, ... */
	size_t order[MAX_X];		/* the values by position */
	size_t n;
	size_t lines;			/* points per value: the lines */
	bool numeric, log;
	double scale;			/* shown = x * scale */
	const char *unit;		/* "", "per second", "ms", "s" */
};

static bool read_value(enum reading how, const char *s, double *x)
{
	uint64_t count;
	switch (how) {
	case READ_NUMBER:
		return !sim_parse_number(s, x);
	case READ_RATE:
		return strchr(s, '/') ? !sim_parse_rate(s, x) : !sim_parse_number(s, x);
	case READ_DURATION:
		return !sim_parse_duration(s, x);
	case READ_COUNT:
		if (sim_parse_count(s, &count))
			return false;
		*x = (double)count;
		return true;
	default:
		return false;
	}
}

/* The first reading all values take, or READ_NONE; their values in x. */
static enum reading read_all(struct axis *ax)
{
	for (enum reading how = READ_NUMBER; how < READ_NONE; how++) {
		bool all = true;
		for (size_t i = 0; i < ax->n && all; i++)
			all = read_value(how, ax->value[i], &ax->x[i]);
		if (all)
			return how;
	}
	return READ_NONE;
}

static void axis_scale(struct axis *ax, enum reading how)
{
	double lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < ax->n; i++) {
		lo = fmin(lo, ax->x[i]);
		hi = fmax(hi, ax->x[i]);
	}
	ax->scale = 1;
	ax->unit = how == READ_RATE ? "per second" : "";
	if (how == READ_DURATION) {
		ax->scale = hi < 1 ? 1000 : 1;
		ax->unit = hi < 1 ? "ms" : "s";
	}
	ax->log = lo > 0 && hi / lo > 10;
}

/* Reads the x key's values off the rows and places them.  -1 when there
 * are more than MAX_X. */
static int axis_init(struct axis *ax, const struct plots_sweep_in *in)
{
	memset(ax, 0, sizeof *ax);
	ax->n = in->nvalues[0];
	if (!ax->n || ax->n > MAX_X || in->nrows % ax->n)
		return -1;
	ax->lines = in->nrows / ax->n;
	for (size_t i = 0; i < ax->n; i++)
		ax->value[i] = in->rows[i * ax->lines].keys[0];
	enum reading how = read_all(ax);
	ax->numeric = how != READ_NONE;
	for (size_t i = 0; i < ax->n; i++) {
		if (!ax->numeric)
			ax->x[i] = (double)i;
		/* insertion sort by position, ties kept in --vary order */
		size_t j = i;
		for (; j > 0 && ax->x[ax->order[j - 1]] > ax->x[i]; j--)
			ax->order[j] = ax->order[j - 1];
		ax->order[j] = i;
	}
	ax->scale = 1;
	ax->unit = "";
	if (ax->numeric)
		axis_scale(ax, how);
	return 0;
}

/* " of q", " (highest of q1, q2)": the components a figure combined over
 * every component that declares it comes from; "" for the others. */
static void where_of(char *buf, size_t size, const struct sim_scenario *sc, const char *figure)
{
	size_t n = 0, used = 0;
	enum sim_combine how = SIM_COMBINE_NONE;
	char names[256] = "";
	for (size_t i = 0; i < sc->ncomps; i++) {
		for (const struct sim_metric_desc *d = sc->comps[i].ops->metrics; d && d->name; d++) {
			bool across = d->combine == SIM_COMBINE_MAX || d->combine == SIM_COMBINE_SUM ||
				      d->combine == SIM_COMBINE_RATE;
			if (!across || !d->figure || strcmp(d->figure, figure))
				continue;
			how = d->combine;
			if (used < sizeof names)
				used += (size_t)snprintf(names + used, sizeof names - used, "%s%s",
							 n ? ", " : "", sc->comps[i].name);
			n++;
			break;
		}
	}
	if (n == 1)
		snprintf(buf, size, " of %s", names);
	else if (n > 1)
		snprintf(buf, size, " (%s of %s)", how == SIM_COMBINE_MAX ? "highest" : "sum", names);
	else
		buf[0] = 0;
}

/* "w.count=2, q.capacity=5": the values of the keys after the first at
 * the point row, which a line joins. */
static void line_label(char *buf, size_t size, const struct plots_sweep_in *in, size_t row)
{
	size_t used = 0;
	buf[0] = 0;
	for (size_t k = 1; k < in->nkeys && used < size; k++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s=%s", k > 1 ? ", " : "",
					 in->keys[k], in->rows[row].keys[k]);
}

static bool taken(char (*names)[96], size_t n, const char *name)
{
	for (size_t k = 0; k < n; k++)
		if (!strcmp(names[k], name))
			return true;
	return false;
}

/* sweep-NAME from the figure's name, as compare names its charts: bytes
 * other than letters, digits, '.', '_' and '-' become '-'; a name taken
 * by an earlier chart gets a number. */
static void chart_name(char (*names)[96], size_t n, const char *figure)
{
	char base[96];
	size_t len = (size_t)snprintf(base, sizeof base, "sweep-%.80s", figure);
	for (size_t i = 6; i < len && i < sizeof base; i++) {
		char c = base[i];
		bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			    c == '.' || c == '_' || c == '-';
		if (!keep)
			base[i] = '-';
	}
	snprintf(names[n], 96, "%s", base);
	for (size_t again = 2; taken(names, n, names[n]); again++)
		snprintf(names[n], 96, "%s-%zu", base, again);
}

/* The y axis: the figure's values in a readable unit. */
static void y_unit(const struct plots_sweep_in *in, size_t fi, double *scale, const char **unit)
{
	const struct sim_figure *fig = &in->rows[0].figs[fi];
	double max = 0;
	for (size_t r = 0; r < in->nrows; r++)
		if (isfinite(in->rows[r].figs[fi].mean) && in->rows[r].figs[fi].mean > max)
			max = in->rows[r].figs[fi].mean;
	*scale = 1;
	*unit = "";
	if (fig->unit == SIM_UNIT_SECONDS) {
		*scale = max < 1 ? 1000 : 1;
		*unit = max < 1 ? "ms" : "s";
	} else if (fig->unit == SIM_UNIT_SHARE) {
		*scale = 100;
		*unit = "%";
	} else if (fig->unit == SIM_UNIT_PER_S) {
		*unit = "per second";
	}
}

/* How many points have a value of figure fi (none: nothing to draw);
 * *nonzero, how many of them are not 0. */
static size_t values(const struct plots_sweep_in *in, size_t fi, size_t *nonzero)
{
	size_t n = 0;
	*nonzero = 0;
	for (size_t r = 0; r < in->nrows; r++) {
		double v = fi < in->rows[r].n ? in->rows[r].figs[fi].mean : NAN;
		n += isfinite(v);
		*nonzero += isfinite(v) && v != 0;
	}
	return n;
}

/* NAME.csv: the header, then a row per x value, in the axis's order. */
static int write_data(const char *dir, const char *name, const struct plots_sweep_in *in,
		      const struct axis *ax, size_t fi)
{
	char path[4200], head[512], label[400];
	snprintf(path, sizeof path, "%s/%s.csv", dir, name);
	struct sim_atomic a;
	FILE *f = sim_atomic_open(&a, path);
	if (!f)
		return -1;
	const char *figure = in->rows[0].figs[fi].name;
	sim_csv_field(f, in->keys[0]);
	fputs(",x", f);
	for (size_t l = 0; l < ax->lines; l++) {
		line_label(label, sizeof label, in, l);
		for (int ci = 0; ci < 2; ci++) {
			snprintf(head, sizeof head, "%s%s%s%s", figure, ci ? "_ci95" : "",
				 label[0] ? " " : "", label);
			fputc(',', f);
			sim_csv_field(f, head);
		}
	}
	fputc('\n', f);
	for (size_t j = 0; j < ax->n; j++) {
		size_t i = ax->order[j];
		sim_csv_field(f, ax->value[i]);
		fputc(',', f);
		sim_csv_num(f, ax->x[i]);
		for (size_t l = 0; l < ax->lines; l++) {
			const struct sim_figure *fig = &in->rows[i * ax->lines + l].figs[fi];
			fputc(',', f);
			sim_csv_num(f, fig->mean);
			fputc(',', f);
			sim_csv_num(f, fig->ci95);
		}
		fputc('\n', f);
	}
	return sim_atomic_close(&a);
}

/* The values at their true spacing, with a little room either side (the
 * range is set: gnuplot's own would stretch to the next round number, a
 * decade on a logarithmic axis).  On a logarithmic axis, up to 12 values
 * are the tics themselves. */
static void write_numeric_x(FILE *f, const struct axis *ax)
{
	double lo = ax->x[ax->order[0]] * ax->scale, hi = ax->x[ax->order[ax->n - 1]] * ax->scale;
	fputs("set format x '%g'\nset bmargin 4\n", f);
	if (ax->log) {
		double pad = pow(hi / lo, 0.04);
		fprintf(f, "set logscale x\nset xrange [%.10g:%.10g]\n", lo / pad, hi * pad);
		if (ax->n > 12)
			return;
		fputs("set xtics (", f);
		for (size_t j = 0; j < ax->n; j++)
			fprintf(f, "%s%.10g", j ? ", " : "", ax->x[ax->order[j]] * ax->scale);
		fputs(")\n", f);
		return;
	}
	double pad = hi > lo ? 0.04 * (hi - lo) : fabs(lo) > 0 ? 0.5 * fabs(lo) : 1;
	fprintf(f, "set xrange [%.10g:%.10g]\n", lo - pad, hi + pad);
}

static void write_x_axis(FILE *f, const struct plots_sweep_in *in, const struct axis *ax)
{
	char xl[320];
	snprintf(xl, sizeof xl, "%s%s%s%s", in->keys[0], ax->unit[0] ? " (" : "", ax->unit,
		 ax->unit[0] ? ")" : "");
	fputs("set xlabel ", f);
	plots_plain(f, xl);
	fputs("\nset xtics nomirror\n", f);
	if (ax->numeric) {
		write_numeric_x(f, ax);
		return;
	}
	/* names, not numbers: equal spacing, each tic labelled as written */
	fprintf(f, "set bmargin 8\nset xrange [-0.5:%.10g]\nset xtics rotate by -20 noenhanced (",
		(double)ax->n - 0.5);
	for (size_t i = 0; i < ax->n; i++) {
		fputs(i ? ", " : "", f);
		plots_gp_string(f, ax->value[i], PLOTS_GP_VERBATIM);
		fprintf(f, " %zu", i);
	}
	fputs(")\n", f);
}

/* The look of line l: the charts' colours and dashes (plots/style.h),
 * and six point types, so that lines lying on each other both show.
 * Its error bars are solid and thinner, in its colour. */
static void line_style(FILE *f, size_t l, bool bars)
{
	static const int points[] = { 7, 5, 9, 11, 13, 15 };
	if (bars) {
		fprintf(f, "linewidth 1.5 pointtype 0 linecolor rgb '%s' dashtype solid",
			plots_style_colour(l));
		return;
	}
	fprintf(f, "linewidth 2.5 pointtype %d pointsize 1.3", points[l % 6]);
	plots_style_line(f, l);
}

static void write_script(FILE *f, const struct plots_sweep_in *in, const struct axis *ax, size_t fi,
			 const char *name, const char *title)
{
	const struct sim_figure *fig = &in->rows[0].figs[fi];
	double scale;
	const char *unit;
	y_unit(in, fi, &scale, &unit);
	plots_script_begin(f, title, "sweep", name, in->svg);
	fputs("set datafile separator ','\nset title ", f);
	plots_plain(f, title);
	char text[320];
	snprintf(text, sizeof text, "%s, seed %llu%s", in->sc->name, (unsigned long long)in->sc->seed,
		 in->reps > 1 ? ", mean and 95% confidence interval" : "");
	fputs("\nset label 3 ", f);
	plots_plain(f, text);
	fputs(" at graph 0.5, graph 1.02 center font ',11'\nset ylabel ", f);
	snprintf(text, sizeof text, "%s%s%s%s", fig->label, unit[0] ? " (" : "", unit, unit[0] ? ")" : "");
	plots_plain(f, text);
	fputs("\nset grid linecolor rgb '#dddddd'\nset border 3\nset ytics nomirror\nset format y '%g'\n"
	      "set yrange [0:*]\nset offsets 0, 0, graph 0.05, 0\n", f);
	write_x_axis(f, in, ax);
	size_t nonzero;
	values(in, fi, &nonzero);
	if (!nonzero)	/* a flat line on the axis says less than words */
		fputs("set yrange [0:1]\nset label 4 '0 at every point' at graph 0.5, graph 0.5 center textcolor rgb '#666666'\n",
		      f);
	if (ax->lines > 1)
		fputs("set key outside right top vertical Left reverse spacing 1.2\n", f);
	else
		fputs("set key off\n", f);
	snprintf(text, sizeof text, "%s.csv", name);
	fputs("plot", f);
	for (size_t l = 0; l < ax->lines; l++) {
		int col = 3 + 2 * (int)l;	/* 1-based: value, x, then mean, ci of each line */
		if (in->reps > 1) {
			/* the bars apart from the line, and under it: gnuplot
			 * skips a point whose half-width is missing (a share),
			 * and the line keeps it.  A bar stops at 0, where the
			 * axis does: one reaching below would not count in the
			 * axis's range, and its top would be cut off */
			fputs(l ? ", \\\n  " : " \\\n  ", f);
			plots_gp_string(f, text, PLOTS_GP_VERBATIM);
			fprintf(f, " skip 1 using ($2*%.10g):($%d*%.10g):(($%d>$%d ? $%d-$%d : 0)*%.10g):(($%d+$%d)*%.10g) with yerrorbars ",
				ax->scale, col, scale, col, col + 1, col, col + 1, scale, col, col + 1, scale);
			line_style(f, l, true);
			fputs(" notitle", f);
		}
		fputs(l || in->reps > 1 ? ", \\\n  " : " \\\n  ", f);
		plots_gp_string(f, text, PLOTS_GP_VERBATIM);
		fprintf(f, " skip 1 using ($2*%.10g):($%d*%.10g) with linespoints ", ax->scale, col, scale);
		line_style(f, l, false);
		char label[400];
		line_label(label, sizeof label, in, l);
		fputs(" title ", f);
		plots_plain(f, label);
	}
	fputc('\n', f);
}

/* The chart's title: "peak queue depth of q by src.rate, a line per w.count". */
static void chart_title(char *buf, size_t size, const struct plots_sweep_in *in, size_t fi)
{
	char where[300];
	where_of(where, sizeof where, in->sc, in->rows[0].figs[fi].name);
	size_t used = (size_t)snprintf(buf, size, "%s%s by %s", in->rows[0].figs[fi].label, where,
				       in->keys[0]);
	for (size_t k = 1; k < in->nkeys && used < size; k++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s", k == 1 ? ", a line per " : " and ",
					 in->keys[k]);
}

int plots_sweep(const char *dir, const struct plots_sweep_in *in, char (*names)[96],
		char (*titles)[160], size_t *ncharts, bool *drawn)
{
	*ncharts = 0;
	*drawn = false;
	struct axis ax;
	if (!in->nrows || axis_init(&ax, in) < 0)
		return 0;
	size_t n = 0;
	struct plots_draw d;
	plots_draw_init(&d, dir, in->draw, in->svg, in->interrupt);
	plots_draw_at_once(&d, in->at_once);
	int rc = 0;
	for (size_t i = 0; i < in->rows[0].n && n < 64 && rc == 0; i++) {
		size_t nonzero;
		if (in->rows[0].figs[i].yes_no || !values(in, i, &nonzero))
			continue;	/* a yes/no: the table says it better */
		chart_name(names, n, in->rows[0].figs[i].name);
		chart_title(titles[n], 160, in, i);
		char path[4200];
		struct sim_atomic a;
		snprintf(path, sizeof path, "%s/%s.gp", dir, names[n]);
		FILE *f = write_data(dir, names[n], in, &ax, i) < 0 ? NULL : sim_atomic_open(&a, path);
		if (!f) {
			rc = -1;
			break;
		}
		write_script(f, in, &ax, i, names[n], titles[n]);
		if (sim_atomic_close(&a) < 0)
			rc = -1;
		else
			plots_draw_chart(&d, names[n++]);
	}
	*ncharts = n;
	*drawn = plots_draw_fini(&d);
	return rc;
}
