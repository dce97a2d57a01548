/* profile.h - a rate that changes over time: a base rate plus a schedule.
 *
 * The rate is piecewise linear in time.  Arrivals are drawn in
 * "operational time": a renewal process with mean-1 gaps is laid out on
 * the integrated rate Lambda(t), and each gap is mapped back to real time
 * by inverting Lambda exactly (closed form on each linear piece).  For
 * Poisson arrivals this is the exact non-homogeneous Poisson process (the
 * time-change theorem; equivalent to thinning without rejected draws).
 *
 * Schedule entries apply in order: {at, for, rate} holds `rate` for `for`
 * (to the end of the run when `for` is omitted) and then returns to what
 * was there before; {at, for, ramp_to} moves linearly from the rate just
 * before `at` to `ramp_to` over `for`, and the rate then stays there.
 */
#ifndef SIM_PROFILE_H
#define SIM_PROFILE_H

#include <stddef.h>

#include "sim/cfg.h"

struct sim_profile_seg {
	double t0;		/* start, seconds */
	double r0;		/* rate at t0, per second */
	double slope;		/* per second per second */
};

struct sim_profile_span {
	double from, to;	/* seconds; to may be INFINITY */
};

struct sim_profile {
	struct sim_profile_seg *seg;	/* seg[0].t0 == 0; the last has slope 0 */
	size_t n;
	struct sim_profile_span *spans;	/* each schedule entry's [at, at+for) */
	size_t nspans;
	double mean_gap;	/* with one segment: 1 / its rate (INFINITY
				 * for 0), so that mapping a gap to real
				 * time multiplies; a division there held up
				 * every arrival.  Set by sim_profile_constant
				 * and sim_profile_cfg, the only profiles
				 * sim_profile_advance may be given */
};

/* A constant rate (no schedule). seg must have room for one segment. */
void sim_profile_constant(struct sim_profile *p, struct sim_profile_seg *seg, double rate);

/* Reads the schedule list at map[key] on top of base; arena memory. */
int sim_profile_cfg(struct sim_cfg *c, const struct sim_node *map, const char *key,
		    double base, struct sim_profile *out);

/* The pieces every `schedule` shares, for lists of other entries (a
 * dependency's, models/depsched.c).  shape names an entry in messages:
 * "{at, for, rate}".  The list at map[key], or NULL when absent or bad
 * (then reported, and *bad is -1). */
const struct sim_node *sim_schedule_list(struct sim_cfg *c, const struct sim_node *map,
					 const char *key, const char *shape, int *bad);
/* Checks that entry e is a map of keys (NULL-ended) with an 'at': 0 or -1
 * after a diagnostic. */
int sim_schedule_entry(struct sim_cfg *c, const struct sim_node *e, const char *shape,
		       const char *const *keys);
/* Its 'at' and 'for' (INFINITY when absent): 0 or -1 after a diagnostic. */
int sim_schedule_span(struct sim_cfg *c, const struct sim_node *e, double *at, double *dur);

/* The rate through points (t[i], r[i]), t increasing (seconds, may be
 * negative), r >= 0: linear between them, r[0] before t[0], r[n-1] after
 * t[n-1], cut at 0; steady stretches merge, so a constant series gives
 * the one segment of sim_profile_constant.  One span, [t[0], t[n-1]],
 * unless constant.  Arena memory; 0, or -1 after an error at v. */
int sim_profile_points(struct sim_cfg *c, const struct sim_node *v, const double *t,
		       const double *r, size_t n, struct sim_profile *out);

double sim_profile_rate(const struct sim_profile *p, double t);

/* The time t' >= t at which the integral of the rate over [t, t'] equals
 * amount, or INFINITY if the rate never accumulates that much.  *cursor
 * is a segment hint; start it at 0 and pass non-decreasing t. */
double sim_profile_advance(const struct sim_profile *p, size_t *cursor, double t,
			   double amount);

/* Integral of the rate over [a, b]. */
double sim_profile_integral(const struct sim_profile *p, double a, double b);

#endif
