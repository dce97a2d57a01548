/* rng.h - independent random streams for common random numbers.
 *
 * Every stream is a GSL generator (xoshiro256**, see rng.c) whose seed is a hash of (base
 * seed, replication, component name, purpose).  A component's draws thus
 * depend on nothing but its own name and use: adding a component or
 * changing a policy elsewhere leaves them unchanged, so variants compared
 * with one seed see the same arrivals and service times.
 */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>

#include "sim/neglog.h"

/* The generator type, usable with gsl_rng_alloc. */
extern const gsl_rng_type *sim_rng_xoshiro256ss;

#define SIM_RNG_EXPO_BATCH SIM_NEGLOG_BATCH

/* Its state: the generator's, and unit exponential variates drawn from it
 * ahead of their use (sim_rng_exponential).  A draw reads expo_next and
 * one expo[], so they come first: sim_rng_new puts the state right after
 * the gsl_rng that points to it, and a draw then reads a line or two, not
 * three (in a model of thousands of streams they are rarely cached). */
struct sim_xoshiro {
	uint32_t expo_next;	/* the next unused expo[]; BATCH when none */
	double expo[SIM_RNG_EXPO_BATCH];
	uint64_t s[4];
};

uint64_t sim_rng_seed(uint64_t seed, unsigned rep, const char *component,
		      const char *purpose);

/* One step of xoshiro256** on its 256-bit state. */
static inline uint64_t sim_xoshiro_next(uint64_t *s)
{
	uint64_t m = s[1] * 5, t = s[1] << 17;
	uint64_t r = ((m << 7) | (m >> 57)) * 9;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = (s[3] << 45) | (s[3] >> 19);
	return r;
}

/* Doubles in [0, 1) with 53 random bits. */
static inline double sim_xoshiro_double(uint64_t *s)
{
	return (double)(sim_xoshiro_next(s) >> 11) * 0x1.0p-53;
}

/* Draws the next SIM_RNG_EXPO_BATCH unit exponentials of x. */
void sim_rng_expo_refill(struct sim_xoshiro *x);

/* An exponential variate of mean 1: -log(u) for the stream's next uniform
 * u in (0, 1).  On the simulator's own streams the variates are made 16
 * at a time, ahead of their use, with the batched logarithm of
 * sim/neglog.h: the logarithms then run side by side instead of each one
 * holding up the event that needs it.  The uniforms are the stream's, in
 * order; only a stream that also serves other draws sees its uniforms
 * taken in another order (still one seed, one run).  Other generators
 * draw one by one, with libm's log. */
static inline double sim_rng_exponential(gsl_rng *r)
{
	if (r->type != sim_rng_xoshiro256ss)
		return -log(gsl_rng_uniform_pos(r));	/* another generator: one by one */
	struct sim_xoshiro *x = r->state;
	if (x->expo_next == SIM_RNG_EXPO_BATCH)
		sim_rng_expo_refill(x);
	return x->expo[x->expo_next++];
}

/* A new generator, or NULL when out of memory; free it with sim_rng_free
 * (not gsl_rng_free: the gsl_rng and its state are one block). */
gsl_rng *sim_rng_new(uint64_t seed, unsigned rep, const char *component,
		     const char *purpose);
void sim_rng_free(gsl_rng *r);

#endif
