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
#include <stdint.h>

/* The generator type, usable with gsl_rng_alloc. */
extern const gsl_rng_type *sim_rng_xoshiro256ss;

uint64_t sim_rng_seed(uint64_t seed, unsigned rep, const char *component,
		      const char *purpose);

/* A new generator, or NULL when out of memory; free with gsl_rng_free. */
gsl_rng *sim_rng_new(uint64_t seed, unsigned rep, const char *component,
		     const char *purpose);

#endif
