/* charts.h - charts and report.md for the outputs of a run.
 *
 * For each chart, a gnuplot script NAME.gp is written into the output
 * folder, next to the timeseries.csv it reads, then gnuplot draws NAME.png
 * from it.  The scripts are kept, so users can restyle a chart and run
 * `gnuplot NAME.gp` again.  PNG by default; SVG when asked (--svg).  Without gnuplot the scripts are still written
 * and one note says so; that is not an error.  Neither is a chart
 * gnuplot fails on or does not finish in time (plots/draw.h): a warning
 * says so, and the script is kept.  Every string in a script is quoted
 * as data (plots/gpstr.h), whatever the names hold.  When interrupt is
 * set (sim got SIGINT/SIGTERM), the gnuplot running is killed and no
 * further chart is drawn.
 */
#ifndef PLOTS_CHARTS_H
#define PLOTS_CHARTS_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "sim/json.h"
#include "sim/scenario.h"
#include "sim/series.h"

/* Writes the chart scripts, draws them when draw is set (at_once at a
 * time), and writes report.md linking them.  0, or -1 after printing why
 * (I/O). */
int plots_write(const char *dir, const struct sim_scenario *sc, const struct sim_json *summary,
		const struct sim_series *series, bool draw, bool svg,
		const volatile sig_atomic_t *interrupt, unsigned at_once);

/* Overlays of several runs of one scenario (sim compare): for each metric
 * a single run would chart, one chart with one line per run, reading
 * SUBDIR/charts.csv.  The charts are those of the first run, plus those a
 * mechanism calls for in any run, and each line reads its metric's column
 * in its own run (variants may add columns).  The chart of a recovery
 * criterion's metric marks when each run recovered (rows: each run's
 * figures, sim/figures.h; NULL: none), after that run's own overload
 * window, in its line's colour; a run without a window has no mark.
 * names/titles (64 each) receive the charts; *drawn whether all were
 * drawn; *left what had no room (64 charts at most).  0, or -1 after
 * printing why. */
struct sim_figure_row;
struct plots_left_out {
	size_t metrics;		/* of the charts of a single run */
	size_t components;	/* with no chart of their own in a single run */
};
struct plots_compare_in {
	const struct sim_scenario *const *scs;	/* each run's scenario */
	const struct sim_series *const *runs;	/* each run's series */
	const char *const *labels;
	const struct sim_figure_row *rows;
	size_t nruns;
	bool draw, svg;
	const volatile sig_atomic_t *interrupt;
	unsigned at_once;			/* charts drawn at once (0: one) */
};
int plots_compare(const char *dir, const struct plots_compare_in *in, char (*names)[96],
		  char (*titles)[160], size_t *ncharts, bool *drawn, struct plots_left_out *left);

/* The opening of a chart's script (what draws it, and how to draw it
 * again; the terminal and NAME.png or .svg), for charts drawn elsewhere
 * (plots/sweep.c). */
void plots_script_begin(FILE *f, const char *title, const char *cmd, const char *name, bool svg);

/* Writes s as a label shown as written: a quoted string, noenhanced. */
void plots_plain(FILE *f, const char *s);

#endif
