/* backoff.h - how long to wait before retry n: exponential backoff and the
 * jitter rules of the AWS Architecture Blog ("Exponential Backoff And
 * Jitter"):
 *
 *   d = min(max, base * multiplier^(n-1))
 *   none: d;  full: U(0, d);  equal: d/2 + U(0, d/2);
 *   decorrelated: min(max, U(base, 3 * previous)), previous = base at first.
 */
#ifndef SIM_BACKOFF_H
#define SIM_BACKOFF_H

#include <gsl/gsl_rng.h>

enum sim_jitter { SIM_JITTER_NONE, SIM_JITTER_FULL, SIM_JITTER_EQUAL, SIM_JITTER_DECORRELATED };

struct sim_backoff {
	double base, multiplier, max;	/* seconds; multiplier >= 1 */
	enum sim_jitter jitter;
};

/* The sleep before retry n (1-based).  *prev carries the previous sleep
 * for decorrelated jitter (0 before the first retry); r may be NULL for
 * SIM_JITTER_NONE. */
double sim_backoff_sleep(const struct sim_backoff *b, unsigned n, double *prev, gsl_rng *r);

#endif
