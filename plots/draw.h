/* draw.h - gnuplot run on chart scripts, each within a deadline.
 *
 * Each chart's gnuplot runs in a process group of its own, with stdin
 * from /dev/null and its messages appended to DIR/gnuplot.log.  It has
 * PLOTS_DRAW_TIMEOUT_S seconds (or SIM_GNUPLOT_TIMEOUT_S from the
 * environment) to finish; past that, or when the interrupt flag is set
 * (SIGINT/SIGTERM to sim), the whole group is killed with SIGKILL and no
 * further chart is drawn.  An image gnuplot did not finish (it failed, was
 * killed, or wrote a file that is cut short, as on a full disk, where
 * gnuplot still exits 0) is removed with a warning; the script is kept.
 * None of this is an error of the run: sim's exit status stays that of
 * the simulation (or 128 + the signal when interrupted).
 */
#ifndef PLOTS_DRAW_H
#define PLOTS_DRAW_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

/* Seconds one chart may take before its gnuplot is killed. */
#define PLOTS_DRAW_TIMEOUT_S 60.0

/* Charts drawn at once, at most. */
#define PLOTS_DRAW_MAX 16

struct plots_draw_job {
	pid_t pid;
	struct timespec t0;
	char name[96];
};

/* The drawing of one folder's charts; the caller embeds it. */
struct plots_draw {
	const char *dir;
	const char *ext;	/* "png" or "svg" */
	double timeout_s;
	const volatile sig_atomic_t *interrupt;	/* NULL: never */
	bool on;		/* drawing asked for */
	bool missing;		/* gnuplot is not installed */
	bool failed;		/* some chart not drawn, or drawn incomplete */
	bool stopped;		/* a deadline passed or an interrupt came: draw no more */
	unsigned at_once;	/* gnuplots running together, at most */
	struct plots_draw_job running[PLOTS_DRAW_MAX];
	unsigned nrunning;
};

/* Starts drawing into dir; on false, plots_draw_chart draws nothing.
 * Reads SIM_GNUPLOT_TIMEOUT_S (seconds > 0), warning on a bad value. */
void plots_draw_init(struct plots_draw *d, const char *dir, bool on, bool svg,
		     const volatile sig_atomic_t *interrupt);

/* Up to n charts drawn at once (1 by default; at most PLOTS_DRAW_MAX). */
void plots_draw_at_once(struct plots_draw *d, unsigned n);

/* Draws dir/NAME.gp into NAME.png (or .svg), or starts to when other
 * charts may be drawn at once; warns on stderr when that fails. */
void plots_draw_chart(struct plots_draw *d, const char *name);

/* Waits for the charts still being drawn, prints the notes the charts
 * call for, removes gnuplot.log unless a chart failed; whether every
 * chart was drawn.  When it returns, no process it started is left. */
bool plots_draw_fini(struct plots_draw *d);

#endif
