/* boundary.c - the charts of a boundary search; see boundary.h.  The
 * invariant: boundary-points.csv holds the points of each search in a
 * block of rows of its own, sorted by the trigger, and each line of a
 * chart reads its block by row numbers (`every`), so a line joins the
 * points of one search only. */
#include "plots/boundary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plots/charts.h"
#include "plots/draw.h"
#include "plots/gpstr.h"
#include "plots/style.h"
#include "sim/atomic.h"
#include "sim/boundary_private.h"
#include "sim/csv.h"

/* Rows [first[l], first[l + 1]) of the points file are search l's. */
struct blocks {
	const struct bnd_point **row;	/* b->npts, by search then trigger */
	size_t first[16];
	bool any_time;			/* some median recovery time */
};

static int by_trigger(const void *a, const void *b)
{
	double x = (*(const struct bnd_point *const *)a)->x[0];
	double y = (*(const struct bnd_point *const *)b)->x[0];
	return (x > y) - (x < y);
}

static bool in_line(const struct bnd *b, const struct bnd_point *p, const struct bnd_line *l)
{
	return b->nkeys == 1 || !strcmp(p->value[1], l->value2);
}

static int blocks_init(struct blocks *bl, const struct bnd *b)
{
	*bl = (struct blocks){ 0 };
	bl->row = calloc(b->npts ? b->npts : 1, sizeof *bl->row);
	if (!bl->row)
		return -1;
	size_t n = 0;
	for (size_t l = 0; l < b->nlines && l < 15; l++) {
		bl->first[l] = n;
		for (size_t i = 0; i < b->npts; i++)
			if (in_line(b, &b->pts[i], &b->lines[l]))
				bl->row[n++] = &b->pts[i];
		qsort(bl->row + bl->first[l], n - bl->first[l], sizeof *bl->row, by_trigger);
		bl->first[l + 1] = n;
	}
	for (size_t i = 0; i < n; i++)
		bl->any_time |= isfinite(bl->row[i]->median_s);
	return 0;
}

static FILE *open_in(struct sim_atomic *a, const char *dir, const char *name, const char *ext)
{
	char file[160];
	snprintf(file, sizeof file, "%s.%s", name, ext);
	return bnd_open(a, dir, file);
}

static void csv_nums(FILE *f, const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		sim_csv_num(f, v[i]);
	}
	fputc('\n', f);
}

static int write_data(const char *dir, const struct bnd *b, const struct blocks *bl)
{
	struct sim_atomic a;
	FILE *f = open_in(&a, dir, "boundary-points", "csv");
	if (!f)
		return -1;
	fputs("search,", f);
	sim_csv_field(f, b->key[0].name);
	fputc(',', f);
	sim_csv_field(f, b->nkeys == 2 ? b->key[1].name : "none");
	fputs(",recovered_pct,wilson_lo_pct,wilson_hi_pct,recovery_time_p50_s\n", f);
	for (size_t l = 0; l < b->nlines && l < 15; l++)
		for (size_t i = bl->first[l]; i < bl->first[l + 1]; i++) {
			const struct bnd_point *p = bl->row[i];
			double lo, hi;
			sim_wilson(p->k, p->n, SIM_BISECT_Z95, &lo, &hi);
			double v[] = { (double)l, p->x[0], b->nkeys == 2 ? p->x[1] : 0,
				       100.0 * p->k / p->n, 100 * lo, 100 * hi, p->median_s };
			csv_nums(f, v, 7);
		}
	if (sim_atomic_close(&a) < 0 || !(f = open_in(&a, dir, "boundary-curve", "csv")))
		return -1;
	fputs("search,", f);
	sim_csv_field(f, b->nkeys == 2 ? b->key[1].name : "none");
	fputs(",estimate,interval_lo,interval_hi\n", f);
	for (size_t l = 0; l < b->nlines; l++) {
		const struct sim_bisect_result *r = &b->lines[l].res;
		bool found = b->lines[l].done &&
			     (r->status == SIM_BISECT_NARROW || r->status == SIM_BISECT_BUDGET);
		if (!found)
			continue;
		/* an interval end beyond the range is drawn at the range's end */
		double v[] = { (double)l, b->lines[l].x2, r->estimate,
			       isfinite(r->ci_lo) ? r->ci_lo : b->key[0].lo,
			       isfinite(r->ci_hi) ? r->ci_hi : b->key[0].hi };
		csv_nums(f, v, 5);
	}
	return sim_atomic_close(&a);
}

static void axis_label(FILE *f, const char *axis, const struct bnd_key *k)
{
	char text[320];
	const char *unit = bnd_key_unit(k);
	snprintf(text, sizeof text, "%s%s%s%s", k->name, unit[0] ? " (" : "", unit, unit[0] ? ")" : "");
	fprintf(f, "set %slabel ", axis);
	plots_plain(f, text);
	fprintf(f, "\nset %stics nomirror\n", axis);
	if (!(k->lo > 0 && k->hi / k->lo > 10)) {
		double pad = 0.03 * (k->hi - k->lo);
		fprintf(f, "set %srange [%.10g:%.10g]\n", axis, k->lo - pad, k->hi + pad);
		return;
	}
	/* by ratio, as the search halved it; tics at 1, 2 and 5 of each
	 * decade, since gnuplot's own are the decades alone */
	double pad = pow(k->hi / k->lo, 0.03);
	fprintf(f, "set logscale %s\nset %srange [%.10g:%.10g]\nset %stics (", axis, axis,
		k->lo / pad, k->hi * pad, axis);
	const char *sep = "";
	for (double decade = pow(10, floor(log10(k->lo))); decade <= k->hi; decade *= 10)
		for (int m = 1; m <= 5; m += m == 1 ? 1 : 3)
			if (m * decade >= k->lo / pad && m * decade <= k->hi * pad) {
				fprintf(f, "%s%.10g", sep, m * decade);
				sep = ", ";
			}
	fputs(")\n", f);
}

static void begin(FILE *f, const struct bnd *b, const char *name, const char *title)
{
	char text[400];
	plots_script_begin(f, title, "boundary", name, b->o->svg);
	fputs("set datafile separator ','\nset title ", f);
	plots_plain(f, title);
	snprintf(text, sizeof text, "%s, seed %llu, %u replications a point, the same seeds at every point",
		 b->sc->name, (unsigned long long)b->sc->seed, b->o->reps);
	fputs("\nset label 3 ", f);
	plots_plain(f, text);
	fputs(" at graph 0.5, graph 1.02 center font ',11'\n"
	      "set grid linecolor rgb '#dddddd'\nset border 3\nset ytics nomirror\n"
	      "set format y '%g'\nset format x '%g'\n", f);
}

static void line_title(FILE *f, const struct bnd *b, size_t l)
{
	char text[400];
	if (b->nkeys == 1) {
		fputs(" notitle", f);
		return;
	}
	snprintf(text, sizeof text, "%s = %s", b->key[1].name, b->lines[l].value2);
	fputs(" title ", f);
	plots_plain(f, text);
}

/* The share recovered (what = 0) or the median recovery time (1). */
static void write_by_trigger(FILE *f, const struct bnd *b, const struct blocks *bl, int what)
{
	axis_label(f, "x", &b->key[0]);
	if (what == 0) {
		fputs("set ylabel 'runs that recovered (%), Wilson 95% interval'\nset yrange [-3:103]\n", f);
		fprintf(f, "set arrow 1 from graph 0, first %.10g to graph 1, first %.10g nohead dashtype 2 linecolor rgb '#666666'\n"
			"set label 5 'level %g%%' at graph 0.99, first %.10g right offset 0, 0.7 textcolor rgb '#666666' font ',11'\n",
			100 * b->level, 100 * b->level, 100 * b->level, 100 * b->level);
		const struct sim_bisect_result *r = &b->lines[0].res;
		bool found = b->lines[0].done && (r->status == SIM_BISECT_NARROW || r->status == SIM_BISECT_BUDGET);
		if (b->nkeys == 1 && found)
			fprintf(f, "set object 1 rectangle from first %.10g, graph 0 to first %.10g, graph 1 fillcolor rgb '#f4c542' fillstyle transparent solid 0.3 noborder behind\n"
				"set arrow 2 from first %.10g, graph 0 to first %.10g, graph 1 nohead linecolor rgb '#aa6e28'\n"
				"set label 6 'boundary (shaded: 95%% interval)' at first %.10g, graph 0.93 left offset 0.5, 0 textcolor rgb '#aa6e28' font ',11'\n",
				isfinite(r->ci_lo) ? r->ci_lo : b->key[0].lo,
				isfinite(r->ci_hi) ? r->ci_hi : b->key[0].hi, r->estimate, r->estimate,
				isfinite(r->ci_hi) ? r->ci_hi : b->key[0].hi);
	} else {
		fputs("set ylabel 'median recovery time after the window (s)'\nset yrange [0:*]\n", f);
	}
	if (b->nkeys == 2)
		plots_style_key(f);
	else
		fputs("set key off\n", f);
	fputs("plot", f);
	size_t drawn = 0;
	for (size_t l = 0; l < b->nlines && l < 15; l++) {
		if (bl->first[l + 1] == bl->first[l])
			continue;
		for (int bars = what == 0; bars >= 0; bars--) {
			fputs(drawn++ ? ", \\\n  " : " \\\n  ", f);
			plots_gp_string(f, "boundary-points.csv", PLOTS_GP_VERBATIM);
			fprintf(f, " skip 1 every ::%zu::%zu using 2:%s with %s", bl->first[l],
				bl->first[l + 1] - 1, what ? "7" : bars ? "4:5:6" : "4",
				bars ? "yerrorbars pointtype 0" : "linespoints pointtype 7 pointsize 1.2");
			plots_style_line(f, l);
			if (bars)
				fputs(" notitle", f);
			else
				line_title(f, b, l);
		}
	}
	fputc('\n', f);
}

static void write_map(FILE *f, const struct bnd *b)
{
	axis_label(f, "x", &b->key[0]);
	axis_label(f, "y", &b->key[1]);
	fputs("set cbrange [0:100]\nset cblabel 'runs that recovered (%)'\n"
	      "set palette defined (0 '#d62728', 50 '#ffd700', 100 '#2ca02c')\n", f);
	plots_style_key(f);
	fputs("plot ", f);
	plots_gp_string(f, "boundary-points.csv", PLOTS_GP_VERBATIM);
	fputs(" skip 1 using 2:3:4 with points pointtype 7 pointsize 2 palette title 'a point run (colour: share recovered)', \\\n  ", f);
	plots_gp_string(f, "boundary-curve.csv", PLOTS_GP_VERBATIM);
	fprintf(f, " skip 1 using 3:2:4:5 with xerrorlines linewidth 2 pointtype 5 linecolor rgb '#000000' title 'boundary at %g%% (95%% interval)'\n",
		100 * b->level);
}

static int chart(const char *dir, const struct bnd *b, const struct blocks *bl, int which,
		 char (*names)[96], char (*titles)[160], size_t n, struct plots_draw *d)
{
	static const char *const base[] = { "boundary-recovery", "boundary-time", "boundary-map" };
	snprintf(names[n], 96, "%s", base[which]);
	if (which == 2)
		snprintf(titles[n], 160, "Where %s recovers: %.60s by %.60s", b->sc->name, b->key[0].name,
			 b->key[1].name);
	else
		snprintf(titles[n], 160, "%s by %.100s", which ? "Median recovery time" :
			 "Share of runs that recover", b->key[0].name);
	struct sim_atomic a;
	FILE *f = open_in(&a, dir, names[n], "gp");
	if (!f)
		return -1;
	begin(f, b, names[n], titles[n]);
	if (which == 2)
		write_map(f, b);
	else
		write_by_trigger(f, b, bl, which);
	if (sim_atomic_close(&a) < 0)
		return -1;
	plots_draw_chart(d, names[n]);
	return 0;
}

int plots_boundary(const char *dir, const struct bnd *b, char (*names)[96], char (*titles)[160],
		   size_t *ncharts, bool *drawn)
{
	*ncharts = 0;
	*drawn = false;
	if (!b->npts)
		return 0;
	struct blocks bl;
	if (blocks_init(&bl, b) < 0) {
		fprintf(stderr, "sim: out of memory\n");
		return -1;
	}
	struct plots_draw d;
	plots_draw_init(&d, dir, !b->o->no_plots, b->o->svg, b->o->interrupt);
	int rc = write_data(dir, b, &bl);
	size_t n = 0;
	for (int which = 0; which < 3 && rc == 0; which++) {
		if ((which == 1 && !bl.any_time) || (which == 2 && b->nkeys < 2))
			continue;
		rc = chart(dir, b, &bl, which, names, titles, n, &d);
		n += rc == 0;
	}
	*ncharts = n;
	*drawn = plots_draw_fini(&d);
	free(bl.row);
	return rc;
}
