/* hotkeys.c - Space-Saving sketches over a sliding window; see hotkeys.h.
 *
 * A sketch: m counters (key, count, error), a binary min-heap of the
 * counters by count (the one to evict is at its root) and an
 * open-addressing table from key to counter (linear probing, at most half
 * full, deletions by backward shift).  Adding an item is O(1) expected
 * plus O(log m) for the heap.  Every array is allocated once.
 */
#include "models/hotkeys.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EMPTY UINT32_MAX

struct mdl_spacesaving {
	uint32_t m, n;		/* counters, counters in use */
	uint32_t mask;		/* slots - 1 */
	uint64_t total;		/* items added since the last clear */
	uint32_t *key;		/* [m] */
	uint64_t *count, *err;	/* [m] */
	uint32_t *heap, *pos;	/* [m]: counters by count; a counter's place */
	uint32_t *slot;		/* [mask + 1]: counter index, or EMPTY */
};

static uint32_t hash(uint32_t key)
{
	return (uint32_t)(((uint64_t)key * UINT64_C(0x9E3779B97F4A7C15)) >> 32);
}

/* The power of two at least 2 n. */
static uint32_t table_size(uint32_t n)
{
	uint32_t size = 4;
	while (size < 2 * n)
		size *= 2;
	return size;
}

struct mdl_spacesaving *mdl_spacesaving_new(uint32_t m)
{
	struct mdl_spacesaving *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->m = m;
	s->mask = table_size(m) - 1;
	s->key = malloc(m * sizeof *s->key);
	s->count = malloc(m * sizeof *s->count);
	s->err = malloc(m * sizeof *s->err);
	s->heap = malloc(m * sizeof *s->heap);
	s->pos = malloc(m * sizeof *s->pos);
	s->slot = malloc(((size_t)s->mask + 1) * sizeof *s->slot);
	if (!s->key || !s->count || !s->err || !s->heap || !s->pos || !s->slot) {
		mdl_spacesaving_free(s);
		return NULL;
	}
	memset(s->slot, 0xff, ((size_t)s->mask + 1) * sizeof *s->slot);
	return s;
}

void mdl_spacesaving_free(struct mdl_spacesaving *s)
{
	if (!s)
		return;
	free(s->key);
	free(s->count);
	free(s->err);
	free(s->heap);
	free(s->pos);
	free(s->slot);
	free(s);
}

void mdl_spacesaving_clear(struct mdl_spacesaving *s)
{
	/* only the slots in use: a slice is cleared at every boundary */
	if (s->n < s->mask / 8) {
		for (uint32_t i = 0; i < s->n; i++) {
			uint32_t j = hash(s->key[i]) & s->mask;
			while (s->slot[j] != EMPTY) {
				s->slot[j] = EMPTY;
				j = (j + 1) & s->mask;
			}
		}
	} else {
		memset(s->slot, 0xff, ((size_t)s->mask + 1) * sizeof *s->slot);
	}
	s->n = 0;
	s->total = 0;
}

/* The slot of key, or the empty slot where it would go. */
static uint32_t find_slot(const struct mdl_spacesaving *s, uint32_t key)
{
	uint32_t j = hash(key) & s->mask;
	while (s->slot[j] != EMPTY && s->key[s->slot[j]] != key)
		j = (j + 1) & s->mask;
	return j;
}

/* Empties slot j, moving later entries of its run back (Knuth's
 * algorithm R), so that lookups need no tombstones. */
static void remove_slot(struct mdl_spacesaving *s, uint32_t j)
{
	uint32_t i = j;
	for (;;) {
		s->slot[i] = EMPTY;
		uint32_t k = i;
		for (;;) {
			k = (k + 1) & s->mask;
			if (s->slot[k] == EMPTY)
				return;
			uint32_t home = hash(s->key[s->slot[k]]) & s->mask;
			/* k's entry may move to i unless home lies cyclically in (i, k] */
			if (i <= k ? (i < home && home <= k) : (i < home || home <= k))
				continue;
			break;
		}
		s->slot[i] = s->slot[k];
		i = k;
	}
}

static void heap_swap(struct mdl_spacesaving *s, uint32_t a, uint32_t b)
{
	uint32_t ca = s->heap[a], cb = s->heap[b];
	s->heap[a] = cb;
	s->heap[b] = ca;
	s->pos[cb] = a;
	s->pos[ca] = b;
}

/* Restores the heap below place i after its counter grew. */
static void sift_down(struct mdl_spacesaving *s, uint32_t i)
{
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, least = i;
		if (l < s->n && s->count[s->heap[l]] < s->count[s->heap[least]])
			least = l;
		if (r < s->n && s->count[s->heap[r]] < s->count[s->heap[least]])
			least = r;
		if (least == i)
			return;
		heap_swap(s, i, least);
		i = least;
	}
}

void mdl_spacesaving_add(struct mdl_spacesaving *s, uint32_t key)
{
	s->total++;
	uint32_t j = find_slot(s, key);
	uint32_t c = s->slot[j];
	if (c != EMPTY) {
		s->count[c]++;
		sift_down(s, s->pos[c]);
		return;
	}
	if (s->n < s->m) {
		/* a new counter of 1, the least there can be: up to the root */
		c = s->n++;
		s->key[c] = key;
		s->count[c] = 1;
		s->err[c] = 0;
		s->heap[c] = c;
		s->pos[c] = c;
		s->slot[j] = c;
		for (uint32_t i = c; i > 0 && s->count[s->heap[(i - 1) / 2]] > 1; i = (i - 1) / 2)
			heap_swap(s, i, (i - 1) / 2);
		return;
	}
	/* evict the least counter: the new key inherits its count as error */
	c = s->heap[0];
	remove_slot(s, find_slot(s, s->key[c]));
	s->key[c] = key;
	s->err[c] = s->count[c];
	s->count[c]++;
	s->slot[find_slot(s, key)] = c;
	sift_down(s, 0);
}

bool mdl_spacesaving_get(const struct mdl_spacesaving *s, uint32_t key, uint64_t *est,
			 uint64_t *err)
{
	uint32_t c = s->slot[find_slot(s, key)];
	if (c == EMPTY)
		return false;
	*est = s->count[c];
	*err = s->err[c];
	return true;
}

uint64_t mdl_spacesaving_floor(const struct mdl_spacesaving *s)
{
	return s->n == s->m ? s->count[s->heap[0]] : 0;
}

uint64_t mdl_spacesaving_total(const struct mdl_spacesaving *s)
{
	return s->total;
}

/* ---- exact counts of a slice, to check the sketch ----------------------- */

#define EXACT_SLOTS (2 * MDL_HOTKEYS_EXACT)

struct exact {
	uint32_t n;		/* keys counted; MDL_HOTKEYS_EXACT + 1: overflowed */
	uint32_t *key, *count;	/* [EXACT_SLOTS]; count 0: empty */
	uint32_t *used;		/* [MDL_HOTKEYS_EXACT]: slots in use */
};

static uint32_t exact_slot(const struct exact *x, uint32_t key)
{
	uint32_t j = hash(key) & (EXACT_SLOTS - 1);
	while (x->count[j] && x->key[j] != key)
		j = (j + 1) & (EXACT_SLOTS - 1);
	return j;
}

static void exact_add(struct exact *x, uint32_t key)
{
	if (x->n > MDL_HOTKEYS_EXACT)
		return;
	uint32_t j = exact_slot(x, key);
	if (!x->count[j]) {
		if (x->n == MDL_HOTKEYS_EXACT) {
			x->n++;		/* too many keys: this slice is not checked */
			return;
		}
		x->used[x->n++] = j;
		x->key[j] = key;
	}
	x->count[j]++;
}

static uint32_t exact_get(const struct exact *x, uint32_t key)
{
	return x->count[exact_slot(x, key)];
}

static void exact_clear(struct exact *x)
{
	uint32_t n = x->n < MDL_HOTKEYS_EXACT ? x->n : MDL_HOTKEYS_EXACT;
	for (uint32_t i = 0; i < n; i++)
		x->count[x->used[i]] = 0;
	x->n = 0;
}

/* ---- the detector ------------------------------------------------------- */

#define HOT_SLOTS (4 * MDL_HOTKEYS_MAX_TOP)
#define SEEN_SLOTS (2 * MDL_HOTKEYS_MAX_SEEN)

struct mdl_hotkeys {
	uint32_t top, m;
	double slice_s, min_share;
	uint64_t slice;		/* index of the current slice since t = 0 */
	size_t cur;		/* its sketch */
	struct mdl_spacesaving *ss[MDL_HOTKEYS_SLICES];
	struct exact exact[MDL_HOTKEYS_SLICES];
	/* the hot set, heaviest first, and a table of it for lookups */
	size_t nhot;
	uint32_t hot[MDL_HOTKEYS_MAX_TOP];
	uint64_t hot_count[MDL_HOTKEYS_MAX_TOP];	/* guaranteed counts */
	uint32_t hot_slot[HOT_SLOTS];			/* key or EMPTY */
	uint32_t seen[SEEN_SLOTS];			/* keys ever hot, or EMPTY */
	struct mdl_hotkeys_stats st;
};

struct mdl_hotkeys *mdl_hotkeys_new(uint32_t top, double window_s, double min_share)
{
	struct mdl_hotkeys *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	h->top = top;
	h->m = MDL_HOTKEYS_FACTOR * top;
	h->slice_s = window_s / MDL_HOTKEYS_SLICES;
	h->min_share = min_share;
	memset(h->hot_slot, 0xff, sizeof h->hot_slot);
	memset(h->seen, 0xff, sizeof h->seen);
	h->st = (struct mdl_hotkeys_stats){ .first_s = NAN, .bound_held = true, .counters = h->m };
	for (size_t i = 0; i < MDL_HOTKEYS_SLICES; i++) {
		struct exact *x = &h->exact[i];
		h->ss[i] = mdl_spacesaving_new(h->m);
		x->key = malloc(EXACT_SLOTS * sizeof *x->key);
		x->count = calloc(EXACT_SLOTS, sizeof *x->count);
		x->used = malloc(MDL_HOTKEYS_EXACT * sizeof *x->used);
		if (!h->ss[i] || !x->key || !x->count || !x->used) {
			mdl_hotkeys_free(h);
			return NULL;
		}
	}
	return h;
}

void mdl_hotkeys_free(struct mdl_hotkeys *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < MDL_HOTKEYS_SLICES; i++) {
		mdl_spacesaving_free(h->ss[i]);
		free(h->exact[i].key);
		free(h->exact[i].count);
		free(h->exact[i].used);
	}
	free(h);
}

bool mdl_hotkeys_is_hot(const struct mdl_hotkeys *h, uint32_t key)
{
	if (!h->nhot)
		return false;
	uint32_t j = hash(key) & (HOT_SLOTS - 1);
	while (h->hot_slot[j] != EMPTY && h->hot_slot[j] != key)
		j = (j + 1) & (HOT_SLOTS - 1);
	return h->hot_slot[j] == key;
}

size_t mdl_hotkeys_list(const struct mdl_hotkeys *h, uint32_t *out, size_t max)
{
	size_t n = h->nhot < max ? h->nhot : max;
	memcpy(out, h->hot, n * sizeof *out);
	return n;
}

const struct mdl_hotkeys_stats *mdl_hotkeys_stats(const struct mdl_hotkeys *h)
{
	return &h->st;
}

/* Whether sketch i (other than `upto` and later) monitors key: each
 * candidate is taken from the first sketch that has it. */
static bool seen_before(const struct mdl_hotkeys *h, size_t upto, uint32_t key)
{
	uint64_t est, err;
	for (size_t i = 0; i < upto; i++)
		if (mdl_spacesaving_get(h->ss[i], key, &est, &err))
			return true;
	return false;
}

/* The window's estimate of key and its error, summed over the slices. */
static void window_estimate(const struct mdl_hotkeys *h, uint32_t key, uint64_t *est,
			    uint64_t *err)
{
	*est = *err = 0;
	for (size_t i = 0; i < MDL_HOTKEYS_SLICES; i++) {
		uint64_t e, r;
		if (!mdl_spacesaving_get(h->ss[i], key, &e, &r))
			e = r = mdl_spacesaving_floor(h->ss[i]);
		*est += e;
		*err += r;
	}
}

/* Compares the estimate of key with its exact count over the window. */
static void check(struct mdl_hotkeys *h, uint32_t key, uint64_t est, uint64_t err, double bound)
{
	uint64_t truth = 0;
	for (size_t i = 0; i < MDL_HOTKEYS_SLICES; i++)
		truth += exact_get(&h->exact[i], key);
	double e = (double)est - (double)truth;
	h->st.checks++;
	if (e < 0 || e > bound || est - err > truth)
		h->st.bound_held = false;
	if (e > h->st.max_error)
		h->st.max_error = e;
	if (bound > 0 && e / bound > h->st.max_error_ratio)
		h->st.max_error_ratio = e / bound;
}

/* Puts key (guaranteed count g) among the next hot set, kept heaviest
 * first (ties: the smaller key first) and at most top long. */
static void offer(uint32_t *keys, uint64_t *counts, size_t *n, size_t top, uint32_t key,
		  uint64_t g)
{
	size_t i = *n;
	while (i > 0 && (counts[i - 1] < g || (counts[i - 1] == g && keys[i - 1] > key)))
		i--;
	if (i >= top)
		return;
	size_t last = *n < top ? *n : top - 1;
	memmove(&keys[i + 1], &keys[i], (last - i) * sizeof *keys);
	memmove(&counts[i + 1], &counts[i], (last - i) * sizeof *counts);
	keys[i] = key;
	counts[i] = g;
	if (*n < top)
		(*n)++;
}

/* Remembers that key was isolated; whether it is new. */
static bool remember(struct mdl_hotkeys *h, uint32_t key)
{
	if (h->st.keys >= MDL_HOTKEYS_MAX_SEEN) {
		h->st.keys_saturated = true;
		return false;
	}
	uint32_t j = hash(key) & (SEEN_SLOTS - 1);
	while (h->seen[j] != EMPTY && h->seen[j] != key)
		j = (j + 1) & (SEEN_SLOTS - 1);
	if (h->seen[j] == key)
		return false;
	h->seen[j] = key;
	h->st.keys++;
	return true;
}

/* The new hot set, from the window that ends at time now. */
static void set_hot(struct mdl_hotkeys *h, const uint32_t *keys, const uint64_t *counts,
		    size_t n, double now)
{
	for (size_t i = 0; i < n; i++)
		if (!mdl_hotkeys_is_hot(h, keys[i])) {
			h->st.isolations++;
			remember(h, keys[i]);
			if (isnan(h->st.first_s))
				h->st.first_s = now;
		}
	memset(h->hot_slot, 0xff, sizeof h->hot_slot);
	for (size_t i = 0; i < n; i++) {
		uint32_t j = hash(keys[i]) & (HOT_SLOTS - 1);
		while (h->hot_slot[j] != EMPTY)
			j = (j + 1) & (HOT_SLOTS - 1);
		h->hot_slot[j] = keys[i];
	}
	memcpy(h->hot, keys, n * sizeof *keys);
	memcpy(h->hot_count, counts, n * sizeof *counts);
	h->nhot = n;
}

/* At a slice boundary: the hot set of the window that ends at now. */
static void recompute(struct mdl_hotkeys *h, double now)
{
	uint64_t total = 0;
	bool exact = true;
	for (size_t i = 0; i < MDL_HOTKEYS_SLICES; i++) {
		total += mdl_spacesaving_total(h->ss[i]);
		exact = exact && h->exact[i].n <= MDL_HOTKEYS_EXACT;
	}
	double bound = (double)total / h->m;
	double need = fmax(bound, h->min_share * (double)total);
	uint32_t keys[MDL_HOTKEYS_MAX_TOP];
	uint64_t counts[MDL_HOTKEYS_MAX_TOP];
	size_t n = 0;
	if (!exact)
		h->st.unchecked++;
	for (size_t i = 0; i < MDL_HOTKEYS_SLICES; i++) {
		const struct mdl_spacesaving *s = h->ss[i];
		for (uint32_t c = 0; c < s->n; c++) {
			uint32_t key = s->key[c];
			if (seen_before(h, i, key))
				continue;
			uint64_t est, err;
			window_estimate(h, key, &est, &err);
			if (exact)
				check(h, key, est, err, bound);
			uint64_t g = est - err;
			if ((double)g > need && g > 0)
				offer(keys, counts, &n, h->top, key, g);
		}
	}
	set_hot(h, keys, counts, n, now);
}

void mdl_hotkeys_advance(struct mdl_hotkeys *h, double now)
{
	uint64_t slice = (uint64_t)floor(now / h->slice_s);
	/* each boundary crossed ends a window; after SLICES + 1 of them
	 * every slice is empty and the hot set too */
	for (unsigned k = 0; h->slice < slice && k <= MDL_HOTKEYS_SLICES; k++) {
		h->slice++;
		recompute(h, (double)h->slice * h->slice_s);
		h->cur = (h->cur + 1) % MDL_HOTKEYS_SLICES;
		mdl_spacesaving_clear(h->ss[h->cur]);
		exact_clear(&h->exact[h->cur]);
	}
	h->slice = slice > h->slice ? slice : h->slice;
}

void mdl_hotkeys_add(struct mdl_hotkeys *h, double now, uint32_t key)
{
	mdl_hotkeys_advance(h, now);
	mdl_spacesaving_add(h->ss[h->cur], key);
	exact_add(&h->exact[h->cur], key);
}
