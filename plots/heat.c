/* heat.c - heat-map charts: a column repeated per part of a component (a
 * topic's lag by partition) drawn as time x part, a box per sample and
 * part coloured by its value, so the one hot part among many stands out
 * at a glance where twelve overlaid lines would tangle.
 *
 * Invariant: the parts' columns are side by side in the series, part 0
 * first (sim/columns.c lists them so); a chart whose columns are not is
 * not drawn.  Every string goes into the script through plots_gp_string.
 */
#include "plots/heat.h"

#include <string.h>

#include "plots/gpstr.h"
#include "sim/model.h"
#include "sim/scenario.h"

int plots_heat_choose(const struct plots_context *cx, const struct sim_component *c,
		      const char *metric, struct plots_chart *ch)
{
	const struct sim_column_desc *d = c->ops->columns;
	while (d && d->metric && !(d->each && !strcmp(d->metric, metric)))
		d++;
	if (!d || !d->metric)
		return 0;
	size_t parts = d->each_count(c->conf);
	int first = -1;
	for (size_t i = 0; i < parts; i++) {
		char part[128], col[256];
		snprintf(col, sizeof col, "%s.%s", c->name, sim_describe_part(part, sizeof part, d, i));
		/* the full series: timeseries.csv's 1-based column */
		int k = sim_series_find(cx->series, col);
		k = k < 0 ? -1 : k + 2;
		if (k < 0 || (i && k != first + (int)i))
			return 0;
		if (!i)
			first = k;
	}
	if (first < 0)
		return 0;
	struct plots_line *l = &ch->lines[0];
	snprintf(l->file, sizeof l->file, "timeseries.csv");
	l->col = first;
	l->scale = 1;
	l->axis = 1;
	ch->n = 1;
	ch->heat_n = (int)parts;
	return 1;
}

/* A label or title, shown as written. */
static void text(FILE *f, const char *s)
{
	plots_gp_string(f, s, PLOTS_GP_VERBATIM);
	fputs(" noenhanced", f);
}

void plots_heat_write(FILE *f, const struct plots_context *cx, const struct plots_chart *ch)
{
	const struct sim_scenario *sc = cx->sc;
	char line[512];
	snprintf(line, sizeof line, "%s: drawn by `sim run`; edit and re-run with `gnuplot %s.gp`",
		 ch->title, ch->name);
	plots_gp_comment(f, line);
	/* taller with more parts, so each row stays visible */
	int height = 420 + (ch->heat_n > 12 ? 12 : ch->heat_n) * 25;
	if (cx->svg)
		fprintf(f, "set terminal svg size 1400,%d dynamic enhanced font 'DejaVu Sans,14' background rgb 'white'\n",
			height);
	else
		fprintf(f, "set terminal pngcairo size 1400,%d enhanced font 'DejaVu Sans,14'\n", height);
	snprintf(line, sizeof line, "%s.%s", ch->name, cx->svg ? "svg" : "png");
	fputs("set output ", f);
	plots_gp_string(f, line, PLOTS_GP_VERBATIM);
	fputs("\nset datafile separator ','\nset title ", f);
	/* the subtitle a label of its own: plots_gp_string makes a line
	 * break a space */
	text(f, ch->title);
	fputs("\nset label 3 ", f);
	snprintf(line, sizeof line, "%s, variant %s, seed %llu", sc->name, sc->variant,
		 (unsigned long long)sc->seed);
	text(f, line);
	fputs(" at graph 0.5, graph 1.02 center font ',11'\n", f);
	fprintf(f, "set xlabel 'time (%s)'\nset ylabel ", cx->xunit);
	text(f, ch->ylabel);
	fputs("\nset cblabel ", f);
	text(f, ch->y2label);
	int n = ch->heat_n;
	double half = sc->sample / 2;
	fprintf(f, "\nset xrange [0:%.10g]\nset yrange [-0.5:%d.5]\nset cbrange [0:*]\n",
		sc->duration / cx->xdiv, n - 1);
	fprintf(f, "set ytics %d out nomirror\nset xtics out nomirror\nset tmargin 4\n",
		n <= 24 ? 1 : n / 12);
	/* white for an idle part, through yellow and orange to dark red */
	fputs("set palette defined (0 '#ffffff', 0.1 '#fff3b0', 0.4 '#f59e4c', 0.75 '#d62728', 1 '#5c0a0a')\n"
	      "set style fill solid noborder\nunset key\n", f);
	if (sc->report.has_window)
		for (int k = 0; k < 2; k++)
			fprintf(f, "set arrow from %.10g, graph 0 to %.10g, graph 1 nohead dashtype (10,8) linewidth 1.5 linecolor rgb '#1f77b4' front\n",
				(k ? sc->report.to : sc->report.from) / cx->xdiv,
				(k ? sc->report.to : sc->report.from) / cx->xdiv);
	/* the sample at t covers (t - sample, t]: a box centred half a sample back */
	fprintf(f, "plot for [i=0:%d] ", n - 1);
	plots_gp_string(f, ch->lines[0].file, PLOTS_GP_VERBATIM);
	fprintf(f, " skip 1 using (($1-%.10g)/%.10g):(i):(%.10g):(0.5):(column(%d+i)) with boxxyerror linecolor palette\n",
		half, cx->xdiv, half / cx->xdiv, ch->lines[0].col);
}
