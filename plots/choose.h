/* choose.h - which charts a run gets (plots/choose.c), and the charts
 * themselves as plots/charts.c writes them into gnuplot scripts. */
#ifndef PLOTS_CHOOSE_H
#define PLOTS_CHOOSE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "sim/output.h"
#include "sim/scenario.h"

#define PLOTS_MAX_LINES 24

struct plots_line {
	char file[160];		/* relative to the output folder */
	int col;		/* 1-based gnuplot column of that file */
	int block;		/* > 0: of its block block - 1 (a comparison's
				 * charts.csv has one a run) */
	int at, at_minus;	/* col and col_minus where the file has them:
				 * charts.csv holds only the columns drawn
				 * (plots_data_narrow) */
	char title[96];
	bool per_second;	/* a counter: divide by the sample interval */
	double scale;
	int axis;		/* 1 or 2 */
	int col_minus;		/* > 0: less this column of the file */
	int colour;		/* > 0: palette colour colour - 1, not the line's */
	const char *dash;	/* with colour: a gnuplot dashtype; NULL solid */
};

struct plots_chart {
	char name[96];
	char title[160];
	char ylabel[64], y2label[64];
	bool logy;
	struct plots_line lines[PLOTS_MAX_LINES];
	int n;
	size_t more;		/* lines left out: the chart had room for n */
	char empty[64];		/* written on the chart when n is 0 */
	/* compare: when each line's run recovered on the chart's metric
	 * (seconds; NaN: it did not), marked in the line's colour, and
	 * that metric; "" none */
	double recovered_s[PLOTS_MAX_LINES];
	bool no_verdict[PLOTS_MAX_LINES];	/* the line's run has no such
						 * criterion (no overload window) */
	char recovery_metric[96];
	int heat_n;		/* a heat map (plots/heat.c): heat_n columns
				 * from lines[0].col, a row per part */
};

struct plots_context {
	const struct sim_scenario *sc;
	const struct sim_json *summary;	/* NULL: no recovery marks */
	const struct sim_series *series;
	double xdiv;		/* seconds per x unit */
	const char *xunit;
	const char *subtitle;	/* NULL: scenario, variant, seed */
	bool svg;		/* SVG instead of PNG */
	const volatile sig_atomic_t *interrupt;	/* set: draw no more */
	const struct sim_series *const *runs;	/* compare: every run's series */
	size_t nruns;
	unsigned at_once;	/* charts drawn at once (0: one) */
};

/* The gnuplot column of name's mean in charts.csv (plots/data.h), or -1. */
int plots_column(const struct sim_series *s, const char *name);
/* Each component's own charts, in the scenario's order; then the shared
 * ones: offered load and throughput, drops, latency by class, how busy
 * the pools are, and the call chain.  Fills out[0..max) and returns how
 * many.  When the components' charts do not all fit, the shared ones
 * still do, and *left_out (unless NULL) counts the components left
 * without a chart; else it is 0. */
int plots_choose(const struct plots_context *cx, struct plots_chart *out, int max,
		 size_t *left_out);

#endif
