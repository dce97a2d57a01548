/* bisect.c - the search for a recovery boundary; see bisect.h.  The
 * invariant: after the ends are run, the share at r->lo is at or above
 * the level and the share at r->hi below it, and both are points run. */
#include "sim/bisect.h"

#include <math.h>

void sim_wilson(unsigned k, unsigned n, double z, double *lo, double *hi)
{
	if (!n) {
		*lo = 0;
		*hi = 1;
		return;
	}
	double p = (double)k / n, z2 = z * z, d = 1 + z2 / n;
	double centre = (p + z2 / (2.0 * n)) / d;
	double half = z * sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / d;
	*lo = k == 0 ? 0 : fmax(0, centre - half);
	*hi = k == n ? 1 : fmin(1, centre + half);
}

unsigned sim_bisect_sure_reps(double level)
{
	for (unsigned n = 1;; n++) {
		double lo, hi, lo0, hi0;
		sim_wilson(n, n, SIM_BISECT_Z95, &lo, &hi);
		sim_wilson(0, n, SIM_BISECT_Z95, &lo0, &hi0);
		if ((lo >= level && hi0 < level) || n == 1000000)
			return n;
	}
}

const char *sim_bisect_status_text(enum sim_bisect_status s)
{
	switch (s) {
	case SIM_BISECT_NARROW:
		return "the bracket is narrower than the tolerance";
	case SIM_BISECT_BUDGET:
		return "the budget of runs is spent";
	case SIM_BISECT_ALL_RECOVER:
		return "recovers across the whole range";
	case SIM_BISECT_NONE_RECOVER:
		return "does not recover even at the low end";
	default:
		return "stopped";
	}
}

static bool recovers(const struct sim_bisect_point *p, double level)
{
	return p->n && (double)p->k / p->n >= level;
}

static double share(const struct sim_bisect_point *p)
{
	return p->n ? (double)p->k / p->n : NAN;
}

/* Runs the point at x into r: 0, or the callback's stop. */
static int eval_at(const struct sim_bisect_opts *o, sim_bisect_eval_fn *eval, void *ctx,
		   struct sim_bisect_result *r, double x, const struct sim_bisect_point **out)
{
	struct sim_bisect_point *p = &r->points[r->npoints];
	*p = (struct sim_bisect_point){ .x = x };
	int rc = eval(ctx, x, p);
	if (rc)
		return rc;
	p->x = x;
	r->npoints++;
	r->runs += o->reps;
	*out = p;
	return 0;
}

/* Whether one more point fits the budget (and the table of points). */
static bool affordable(const struct sim_bisect_opts *o, const struct sim_bisect_result *r)
{
	return r->runs + o->reps <= o->budget && r->npoints < SIM_BISECT_MAX_POINTS;
}

/* The next value to run inside (lo, hi); false when there is none (whole
 * numbers, neighbours). */
static bool middle(const struct sim_bisect_opts *o, bool geometric, double lo, double hi,
		   double *x)
{
	double m = geometric ? sqrt(lo * hi) : lo + (hi - lo) / 2;
	if (o->whole)
		m = floor(m);
	*x = m;
	return m > lo && m < hi;
}

static bool narrow(const struct sim_bisect_opts *o, double lo, double hi)
{
	return hi - lo <= o->tol * fmax(fabs(lo), fabs(hi));
}

void sim_bisect_interval(struct sim_bisect_result *r, double level)
{
	double sure_up = -INFINITY, sure_down = INFINITY;
	for (size_t i = 0; i < r->npoints; i++) {
		const struct sim_bisect_point *p = &r->points[i];
		double wl, wh;
		sim_wilson(p->k, p->n, SIM_BISECT_Z95, &wl, &wh);
		if (p->n && wl >= level && p->x > sure_up)
			sure_up = p->x;
		if (p->n && wh < level && p->x < sure_down)
			sure_down = p->x;
	}
	r->monotone = sure_up < sure_down;
	r->ci_lo = isfinite(sure_up) ? sure_up : NAN;
	r->ci_hi = isfinite(sure_down) ? sure_down : NAN;
}

/* The estimate inside the bracket, from the shares at its ends. */
static double estimate(const struct sim_bisect_point *lo, const struct sim_bisect_point *hi,
		       double level)
{
	double slo = share(lo), shi = share(hi);
	if (!(slo > shi))
		return lo->x + (hi->x - lo->x) / 2;
	return lo->x + (slo - level) / (slo - shi) * (hi->x - lo->x);
}

/* Whether point p is sure to lie on the side of the level that an end
 * of the interval above (upper) or below the crossing needs. */
static bool sure(const struct sim_bisect_point *p, double level, bool upper)
{
	double wl, wh;
	sim_wilson(p->k, p->n, SIM_BISECT_Z95, &wl, &wh);
	return upper ? wh < level : wl >= level;
}

/* Moves the interval's end on one side towards the bracket while the
 * budget lasts: bisects between the nearest point not sure of its side
 * (at first the bracket's end) and the nearest sure one, until they are
 * within the tolerance.  0, or the callback's stop. */
static int narrow_interval(const struct sim_bisect_opts *o, bool geometric, sim_bisect_eval_fn *eval,
			   void *ctx, struct sim_bisect_result *r, bool upper)
{
	double near = upper ? r->hi : r->lo, far = upper ? r->ci_hi : r->ci_lo, x;
	while (isfinite(far) && !narrow(o, fmin(near, far), fmax(near, far)) &&
	       middle(o, geometric, fmin(near, far), fmax(near, far), &x) && affordable(o, r)) {
		const struct sim_bisect_point *p;
		int rc = eval_at(o, eval, ctx, r, x, &p);
		if (rc)
			return rc;
		if (sure(p, o->level, upper))
			far = p->x;
		else
			near = p->x;
	}
	return 0;
}

int sim_bisect_run(const struct sim_bisect_opts *o, sim_bisect_eval_fn *eval, void *ctx,
		   struct sim_bisect_result *r)
{
	r->status = SIM_BISECT_STOPPED;
	r->lo = o->lo;
	r->hi = o->hi;
	r->estimate = r->ci_lo = r->ci_hi = NAN;
	r->monotone = true;
	r->runs = r->npoints = 0;
	const struct sim_bisect_point *plo, *phi;
	int rc = eval_at(o, eval, ctx, r, o->lo, &plo);
	if (!rc)
		rc = eval_at(o, eval, ctx, r, o->hi, &phi);
	if (rc)
		return rc;
	sim_bisect_interval(r, o->level);
	if (!recovers(plo, o->level)) {
		r->status = SIM_BISECT_NONE_RECOVER;
		return 0;
	}
	if (recovers(phi, o->level)) {
		r->status = SIM_BISECT_ALL_RECOVER;
		return 0;
	}
	bool geometric = o->lo > 0 && o->hi / o->lo > 10;
	double x;
	for (;;) {
		if (narrow(o, plo->x, phi->x) || !middle(o, geometric, plo->x, phi->x, &x)) {
			r->status = SIM_BISECT_NARROW;
			break;
		}
		if (!affordable(o, r)) {
			r->status = SIM_BISECT_BUDGET;
			break;
		}
		const struct sim_bisect_point *p;
		if ((rc = eval_at(o, eval, ctx, r, x, &p)))
			break;
		if (recovers(p, o->level))
			plo = p;
		else
			phi = p;
	}
	r->lo = plo->x;
	r->hi = phi->x;
	r->estimate = estimate(plo, phi, o->level);
	sim_bisect_interval(r, o->level);
	if (!rc && r->status == SIM_BISECT_NARROW) {
		rc = narrow_interval(o, geometric, eval, ctx, r, false);
		sim_bisect_interval(r, o->level);
		if (!rc)
			rc = narrow_interval(o, geometric, eval, ctx, r, true);
		sim_bisect_interval(r, o->level);
	}
	return rc;
}
