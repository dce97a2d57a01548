/* keys.h - the key space of a producer's items (models/keys.c), and how a
 * scenario names a key.  Not a model: the producer draws keys with it,
 * the router resolves the keys its routes name.
 *
 * Key numbers: a producer's `keys: {count: N}` draws keys 0 .. N-1 (under
 * Zipf, key 0 is the heaviest, key 1 the next, ...).  A key named in a
 * scenario (`key: hot`) is a number of its own, the same in every
 * component: MDL_KEYS_NAMED with the low 31 bits taken from a hash of
 * the name, so a router can route `hot` without knowing which producer
 * makes it.  Names written as a plain number (`key: 7`) are drawn key 7.
 */
#ifndef MDL_KEYS_H
#define MDL_KEYS_H

#include "sim/model.h"

#define MDL_KEYS_NAMED UINT32_C(0x80000000)	/* named keys have this bit */
#define MDL_KEYS_MAX_COUNT MDL_KEYS_NAMED	/* drawn keys stay below it */
#define MDL_KEYS_MAX_ZIPF (UINT32_C(1) << 20)	/* a Zipf table's entries */

enum { MDL_KEYS_UNIFORM, MDL_KEYS_ZIPF };

/* A producer's drawn keys; count 0: none. */
struct mdl_keys {
	uint32_t count;
	int dist;		/* MDL_KEYS_UNIFORM or MDL_KEYS_ZIPF */
	double exponent;	/* Zipf's s */
	const double *cum;	/* Zipf: P(key <= i), the last 1 (arena) */
};

/* Reads `keys: {count, dist, exponent}` from v into k (arena memory for
 * the Zipf table); 0, or -1 with the errors reported. */
int mdl_keys_configure(struct sim_cfg *c, const struct sim_node *v, struct mdl_keys *k);

/* Fills cum[0 .. n-1] with the cumulative Zipf(s) shares of n keys, the
 * last exactly 1.  cum[0] is 1 / H(n, s). */
void mdl_keys_zipf_table(double *cum, uint32_t n, double s);

/* One key, from one uniform draw of r: exact inversion of the uniform
 * or Zipf distribution (binary search of the table: O(log n)). */
uint32_t mdl_keys_draw(const struct mdl_keys *k, gsl_rng *r);

/* The number of a key name (never SIM_NONE). */
uint32_t mdl_keys_named(const char *name);

/* The key that scalar v names: a plain number below limit (drawn keys;
 * limit UINT32_MAX: any below MDL_KEYS_MAX_COUNT) or a name.  0, or -1
 * with the error reported; what says where ("'key' of a schedule entry"). */
int mdl_keys_ref(struct sim_cfg *c, const struct sim_node *v, uint32_t limit,
		 const char *what, uint32_t *out);

/* A schedule entry with a key: items of one key at the entry's rate. */
struct mdl_key_flow {
	struct sim_profile profile;	/* 0 outside the entry */
	uint32_t key;
	const char *name;		/* as written */
};

/* Reads the `schedule` of a producer's map: the entries with a `key`
 * become key flows (at most max, into flows and *nflows; an error when
 * keys has none), each a profile of its entry alone over a rate of 0; the
 * others shape own_profile over the base rate.  Returns as
 * sim_profile_cfg: -1 after errors, 0 without a schedule, 1. */
int mdl_keys_schedule(struct sim_cfg *c, const struct sim_node *map, double rate,
		      const struct mdl_keys *keys, struct sim_profile *own_profile,
		      struct mdl_key_flow *flows, size_t max, size_t *nflows);

#endif
