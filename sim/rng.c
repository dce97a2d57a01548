/* rng.c - the stream generator and how streams are seeded.
 *
 * Streams use xoshiro256** (Blackman and Vigna, 2018), plugged into GSL as
 * a gsl_rng_type so every gsl_ran_* sampler works on it unchanged.  Why
 * not GSL's default mt19937: a run holds a few streams per component, and
 * xoshiro's 32-byte state (168 bytes with the exponentials drawn ahead,
 * against 2.5 KB) keeps them all in cache; it is
 * several times cheaper per draw; it takes a full 64-bit seed, so streams
 * derived by hashing cannot collide the way 32-bit seeds can; and its
 * doubles carry 53 random bits instead of 32.  It passes BigCrush and
 * PractRand, and is the default generator of Julia, .NET and Lua 5.4.
 *
 * Seeds: FNV-1a over the component name and purpose, mixed with the base
 * seed and replication by splitmix64, which also expands the 64-bit seed
 * into the 256-bit state (never all zero).
 */
#include "sim/rng.h"

#include <stdlib.h>
#include <string.h>

static uint64_t mix(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ull;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void x_set(void *state, unsigned long seed)
{
	struct sim_xoshiro *x = state;
	uint64_t z = (uint64_t)seed;
	x->expo_next = SIM_RNG_EXPO_BATCH;
	for (int i = 0; i < 4; i++) {
		z += 0x9e3779b97f4a7c15ull;
		x->s[i] = mix(z);
	}
	if (!(x->s[0] | x->s[1] | x->s[2] | x->s[3]))
		x->s[0] = 1;
}

/* Integers: the top 32 bits, so GSL's integer samplers see the range
 * they expect from a 32-bit generator. */
static unsigned long x_get(void *state)
{
	struct sim_xoshiro *x = state;
	return (unsigned long)(sim_xoshiro_next(x->s) >> 32);
}

static double x_get_double(void *state)
{
	struct sim_xoshiro *x = state;
	return sim_xoshiro_double(x->s);
}

static const gsl_rng_type xoshiro_type = {
	.name = "xoshiro256**",
	.max = 0xffffffffUL,
	.min = 0,
	.size = sizeof(struct sim_xoshiro),
	.set = x_set,
	.get = x_get,
	.get_double = x_get_double,
};

const gsl_rng_type *sim_rng_xoshiro256ss = &xoshiro_type;

/* The uniforms first, then their logarithms, all at once (sim/neglog.h):
 * the generator's state stays in registers, where a call to log in each
 * step would make it go to memory and back. */
void sim_rng_expo_refill(struct sim_xoshiro *x)
{
	uint64_t s[4];
	memcpy(s, x->s, sizeof s);
	for (int i = 0; i < SIM_RNG_EXPO_BATCH; i++) {
		double u;
		do
			u = sim_xoshiro_double(s);
		while (u == 0);
		x->expo[i] = u;
	}
	memcpy(x->s, s, sizeof s);
	sim_neglog_batch(x->expo, SIM_NEGLOG_BEST);
	x->expo_next = 0;
}

static uint64_t fnv(uint64_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ull;
	}
	h ^= 0xff;		/* separator: ("ab","c") differs from ("a","bc") */
	return h * 0x100000001b3ull;
}

uint64_t sim_rng_seed(uint64_t seed, unsigned rep, const char *component,
		      const char *purpose)
{
	uint64_t h = 0xcbf29ce484222325ull;
	h = fnv(h, component);
	h = fnv(h, purpose);
	return mix(mix(seed) ^ mix((uint64_t)rep + 0x632be59bd9b4e019ull) ^ h);
}

/* A generator and its state in one allocation (gsl_rng_alloc makes two). */
struct rng_block {
	gsl_rng r;		/* first: the block's address is the gsl_rng's */
	struct sim_xoshiro x;
};

gsl_rng *sim_rng_new(uint64_t seed, unsigned rep, const char *component,
		     const char *purpose)
{
	struct rng_block *b = malloc(sizeof *b);
	if (!b)
		return NULL;
	b->r.type = sim_rng_xoshiro256ss;
	b->r.state = &b->x;
	gsl_rng_set(&b->r, (unsigned long)sim_rng_seed(seed, rep, component, purpose));
	return &b->r;
}

void sim_rng_free(gsl_rng *r)
{
	free(r);	/* the block */
}
