/* rng.c - seeds streams with FNV-1a over the names, finished by splitmix64. */
#include "sim/rng.h"

static uint64_t mix(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ull;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
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

gsl_rng *sim_rng_new(uint64_t seed, unsigned rep, const char *component,
		     const char *purpose)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	if (!r)
		return NULL;
	uint64_t s = sim_rng_seed(seed, rep, component, purpose);
	/* mt19937 takes 32 bits; 0 would select GSL's default seed. */
	unsigned long s32 = (unsigned long)((s ^ (s >> 32)) & 0xffffffffu);
	gsl_rng_set(r, s32 ? s32 : 4357);
	return r;
}
