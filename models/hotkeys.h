/* hotkeys.h - the heaviest keys of a stream over a sliding window
 * (models/hotkeys.c), for a router's hot-key isolation.  Not a model.
 *
 * Space-Saving (Metwally, Agrawal and El Abbadi, "Efficient computation
 * of frequent and top-k elements in data streams", ICDT 2005) keeps m
 * counters; a key's estimate exceeds its true count by at most
 * min-counter <= N / m over N items, and every key with more than N / m
 * items is among the counters.  The window of `window_s` seconds is cut
 * in MDL_HOTKEYS_SLICES slices, each with a sketch of its own; at each
 * slice boundary the slices' estimates are summed (an unmonitored key
 * counts the slice's least counter, the most it can have had), which
 * keeps the bound over the window: error <= N_window / m.
 *
 * A key is hot when its guaranteed count (estimate minus error: a lower
 * bound of its true count) is above the bound N_window / m (so it is
 * not noise the sketch cannot tell apart) and at least min_share of the
 * window's items; the top `top` such keys, by guaranteed count, form the
 * hot set until the next boundary.  m = MDL_HOTKEYS_FACTOR x top.
 *
 * Beside the sketch, exact counts per slice (a bounded table) check the
 * sketch against the truth at every boundary: the largest error seen and
 * its ratio to the bound.  Everything is allocated by mdl_hotkeys_new;
 * adding a key allocates nothing.
 */
#ifndef MDL_HOTKEYS_H
#define MDL_HOTKEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MDL_HOTKEYS_SLICES 4
#define MDL_HOTKEYS_FACTOR 8		/* counters per key of the hot set */
#define MDL_HOTKEYS_MAX_TOP 256
#define MDL_HOTKEYS_EXACT (1u << 15)	/* distinct keys a slice counts exactly */
#define MDL_HOTKEYS_MAX_SEEN 4096	/* distinct isolated keys remembered */

struct mdl_hotkeys;

/* What the detector did over the whole run (warm-up included), for the
 * report. */
struct mdl_hotkeys_stats {
	uint64_t isolations;	/* times a key entered the hot set */
	uint64_t keys;		/* distinct keys that were ever hot */
	bool keys_saturated;	/* more than MDL_HOTKEYS_MAX_SEEN: keys is a floor */
	double first_s;		/* when a key was first hot; NaN: never */
	uint64_t checks;	/* estimates compared with exact counts */
	uint64_t unchecked;	/* windows too diverse to count exactly */
	double max_error;	/* largest estimate - true count, items */
	double max_error_ratio;	/* largest (estimate - true) / (N_window / m) */
	bool bound_held;	/* every check: 0 <= error <= N_window / m */
	uint32_t counters;	/* m */
};

/* A detector of the top (1 .. MDL_HOTKEYS_MAX_TOP) keys over window_s
 * (> 0) seconds; NULL when out of memory.  Free with mdl_hotkeys_free
 * (NULL is a no-op). */
struct mdl_hotkeys *mdl_hotkeys_new(uint32_t top, double window_s, double min_share);
void mdl_hotkeys_free(struct mdl_hotkeys *h);

/* Counts one item of key at time now (never earlier than the last
 * call's); first moves the window to now, which may change the hot set. */
void mdl_hotkeys_add(struct mdl_hotkeys *h, double now, uint32_t key);

/* Moves the window to now without counting an item. */
void mdl_hotkeys_advance(struct mdl_hotkeys *h, double now);

/* Whether key is in the hot set: O(1). */
bool mdl_hotkeys_is_hot(const struct mdl_hotkeys *h, uint32_t key);

/* The hot set now, heaviest first: up to max keys into out; their number. */
size_t mdl_hotkeys_list(const struct mdl_hotkeys *h, uint32_t *out, size_t max);

const struct mdl_hotkeys_stats *mdl_hotkeys_stats(const struct mdl_hotkeys *h);

/* ---- one Space-Saving sketch, exposed for its tests --------------------- */

struct mdl_spacesaving;

/* m counters (>= 1); NULL when out of memory. */
struct mdl_spacesaving *mdl_spacesaving_new(uint32_t m);
void mdl_spacesaving_free(struct mdl_spacesaving *s);
void mdl_spacesaving_clear(struct mdl_spacesaving *s);
void mdl_spacesaving_add(struct mdl_spacesaving *s, uint32_t key);
/* The estimate of key and its error (estimate - error <= true count <=
 * estimate); false when key has no counter (then its true count is at
 * most mdl_spacesaving_floor). */
bool mdl_spacesaving_get(const struct mdl_spacesaving *s, uint32_t key, uint64_t *est,
			 uint64_t *err);
/* The least counter when all m are in use, else 0. */
uint64_t mdl_spacesaving_floor(const struct mdl_spacesaving *s);
uint64_t mdl_spacesaving_total(const struct mdl_spacesaving *s);

#endif
