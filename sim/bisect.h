/* bisect.h - where a probability of recovery falls through a level: an
 * adaptive bisection over one numeric trigger, with replications.
 *
 * The search knows nothing of scenarios: it asks a callback for the
 * outcome at a value (n replications, k of them recovered) and decides.
 * It first evaluates both ends of the range: when the share at LO is
 * already below the level, or the share at HI still at or above it, there
 * is no crossing in the range and it says which.  Otherwise it keeps a
 * bracket [lo, hi], the share at lo at or above the level and at hi below
 * it, and halves it (geometrically on a range spanning more than a decade
 * above 0, so a relative tolerance costs the same everywhere) until it is
 * narrower than tol times its larger end, or one more point would pass the
 * budget of runs.  It then reports the bracket it reached, never a guess
 * beyond it.  For a key that takes whole numbers the values are whole and
 * the search also ends when the bracket ends are neighbours.
 *
 * Besides the bracket (where the point estimates cross), it gives a 95%
 * interval for the crossing from the Wilson intervals of every point run:
 * its low end is the largest value whose interval lies wholly at or above
 * the level, its high end the smallest whose interval lies wholly below.
 * Under a monotone recovery probability each end is then on the right
 * side of the crossing with 95% confidence.  With few replications no
 * point may be that sure: the end is then NaN ("beyond the range").
 * Near a gradual crossing the points of the bracket are not sure either
 * and the interval is wider than the bracket: once the bracket is narrow,
 * what is left of the budget narrows the interval, bisecting on each side
 * between the nearest point not sure of its side and the nearest sure
 * one, to the same tolerance.
 */
#ifndef SIM_BISECT_H
#define SIM_BISECT_H

#include <stdbool.h>
#include <stddef.h>

#define SIM_BISECT_MAX_POINTS 1024

/* z of a two-sided 95% normal interval. */
#define SIM_BISECT_Z95 1.959963984540054

/* The Wilson score interval of k successes in n trials at normal
 * quantile z, into *lo and *hi (0 and 1 when n is 0). */
void sim_wilson(unsigned k, unsigned n, double z, double *lo, double *hi);

struct sim_bisect_point {
	double x;
	unsigned n, k;			/* replications, recovered */
};

/* Evaluates value x: n and k into *out (x is set by the search).  0, or
 * nonzero to stop the search at once (an error, an interrupt), which the
 * search returns. */
typedef int sim_bisect_eval_fn(void *ctx, double x, struct sim_bisect_point *out);

struct sim_bisect_opts {
	double lo, hi;			/* lo < hi */
	double tol;			/* relative width at which to stop, > 0 */
	double level;			/* the share to cross, in (0, 1) */
	unsigned reps;			/* runs a point costs */
	size_t budget;			/* runs in all, >= 2 * reps */
	bool whole;			/* the key takes whole numbers */
};

enum sim_bisect_status {
	SIM_BISECT_NARROW,		/* the bracket is narrower than tol */
	SIM_BISECT_BUDGET,		/* the budget ran out first */
	SIM_BISECT_ALL_RECOVER,		/* the share at HI is at or above the level */
	SIM_BISECT_NONE_RECOVER,	/* the share at LO is below the level */
	SIM_BISECT_STOPPED,		/* the callback stopped it */
};

struct sim_bisect_result {
	enum sim_bisect_status status;
	double lo, hi;			/* the bracket (the range without a crossing) */
	double estimate;		/* where the shares at lo and hi, joined by
					 * a straight line, cross the level */
	double ci_lo, ci_hi;		/* the 95% interval; NaN: beyond the range */
	bool monotone;			/* false: some point is surely below the
					 * level at a value under one surely above */
	size_t runs;			/* runs spent */
	size_t npoints;
	struct sim_bisect_point points[SIM_BISECT_MAX_POINTS];	/* in the order run */
};

/* The fewest replications with which a point can be sure at level:
 * all recovered is wholly at or above it and none wholly below it.  With
 * fewer, the 95% interval of the crossing is beyond the range. */
unsigned sim_bisect_sure_reps(double level);

/* Runs the search.  Returns 0, or what the callback returned to stop it
 * (r then holds what was found before). */
int sim_bisect_run(const struct sim_bisect_opts *o, sim_bisect_eval_fn *eval, void *ctx,
		   struct sim_bisect_result *r);

/* The 95% interval of the crossing from points (see above), into r's
 * ci_lo, ci_hi and monotone. */
void sim_bisect_interval(struct sim_bisect_result *r, double level);

/* The text of a status, for messages: "the bracket is narrower than the
 * tolerance", ... */
const char *sim_bisect_status_text(enum sim_bisect_status s);

#endif
