/* strindex.h - an index of strings: a hash table from a name to a value.
 *
 * Lists of names that grow to thousands (the members of a summary object,
 * the columns of a time series, a scenario's components) are looked up
 * once per name or more; a walk per lookup makes that quadratic.  The
 * index answers in O(1) expected.  It holds the keys' pointers, not
 * copies: the owner keeps each key alive, unchanged, while it is indexed.
 *
 * The first value added under a key stays (sim_strindex_set replaces it
 * on purpose), so an owner that adds its names in order finds the first
 * of equal names, as its walk would.  Values are nonzero.
 *
 * Out of memory, the index turns itself off for good: it drops what it
 * held and sim_strindex_on turns false, and its owner walks its list
 * instead.  Reading (sim_strindex_get) never writes: several threads may
 * read one index at once.
 */
#ifndef SIM_STRINDEX_H
#define SIM_STRINDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim_strindex_slot {
	const char *key;	/* NULL: empty */
	uintptr_t val;
};

struct sim_strindex {
	struct sim_strindex_slot *slots;	/* cap of them, or NULL */
	size_t cap;		/* a power of two, or 0 */
	size_t n;		/* keys held, at most 3/4 of cap */
	bool off;		/* ran out of memory once: holds nothing */
};

/* A zeroed struct is an empty index, ready (sim_strindex_init does that). */
void sim_strindex_init(struct sim_strindex *x);
void sim_strindex_fini(struct sim_strindex *x);

/* Adds val (nonzero) under key: 0 when added, 1 when key was there (its
 * first value stays), -1 when out of memory (the index is off now) or
 * already off. */
int sim_strindex_add(struct sim_strindex *x, const char *key, uintptr_t val);

/* Gives key (already there) the value val and the pointer key. */
void sim_strindex_set(struct sim_strindex *x, const char *key, uintptr_t val);

/* The value under key, or 0. */
uintptr_t sim_strindex_get(const struct sim_strindex *x, const char *key);

/* Whether the index holds every key added to it (not off). */
bool sim_strindex_on(const struct sim_strindex *x);

/* The hash a key is placed by (FNV-1a, then mixed so that every bit
 * counts): for tests that want keys which collide. */
uint64_t sim_strindex_hash(const char *key);

#endif
