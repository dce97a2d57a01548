/* calendar.c - a 4-ary min-heap of events keyed by (time, seq).
 *
 * Invariant: heap[i] is not later than any of its children heap[4i+1..4i+4]
 * under the order (time, seq).  A 4-ary heap halves the depth of a binary
 * one, and its four children share one or two cache lines.  Entries carry
 * their payload, so a pop touches nothing outside the heap.
 *
 * Popping leaves the event in place, as a hole at the top, until the next
 * push or pop: a push then replaces the top and sifts it down once, where
 * a pop and a push would sift twice.  Most events schedule a successor
 * (the next arrival, the next service), so this is the common case.
 *
 * Cancelled sequence numbers wait in a hash set until their event reaches
 * the top.  When the set holds more than twice as many entries as the heap
 * (stale handles of events that already ran), it is rebuilt from the heap:
 * O(n) now and then, O(1) amortised per cancel.
 */
#include "sim/calendar.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int sim_calendar_init(struct sim_calendar *cal)
{
	*cal = (struct sim_calendar){ 0 };
	cal->cap = 256;
	cal->heap = malloc(cal->cap * sizeof *cal->heap);
	return cal->heap ? 0 : -1;
}

void sim_calendar_fini(struct sim_calendar *cal)
{
	free(cal->heap);
	free(cal->cancelled);
	*cal = (struct sim_calendar){ 0 };
}

static void remove_top(struct sim_calendar *cal)
{
	struct sim_event last = cal->heap[--cal->len];
	if (cal->len)
		sim_calendar_sift_down(cal, 0, last);
}

/* Removes the popped event still at the top, if any. */
static inline void fill_hole(struct sim_calendar *cal)
{
	if (cal->hole) {
		cal->hole = false;
		remove_top(cal);
	}
}

/* Out of line, so that the inline push saves no registers for the
 * realloc this one may call. */
__attribute__((noinline)) sim_handle sim_calendar_push_grow(struct sim_calendar *cal, double time,
							   uint32_t comp, uint32_t kind,
							   void *item)
{
	if (cal->len == cal->cap) {
		size_t cap = cal->cap * 2;
		struct sim_event *h = realloc(cal->heap, cap * sizeof *h);
		if (!h)
			return 0;
		cal->heap = h;
		cal->cap = cap;
	}
	struct sim_event e = { time, ++cal->seq, item, comp, kind };
	size_t i = cal->len++;
	while (i > 0) {
		size_t parent = (i - 1) / SIM_CALENDAR_ARITY;
		if (!sim_calendar_before(&e, &cal->heap[parent]))
			break;
		cal->heap[i] = cal->heap[parent];
		i = parent;
	}
	cal->heap[i] = e;
	return e.seq;
}

/* ---- the cancelled set -------------------------------------------------- */

static inline size_t slot_of(uint64_t h, size_t cap)
{
	return (size_t)((h * 0x9e3779b97f4a7c15ull) >> 20) & (cap - 1);
}

/* Linear probing; returns the slot holding h or the empty slot for it. */
static size_t probe(const struct sim_calendar *cal, uint64_t h)
{
	size_t i = slot_of(h, cal->cap_cancelled);
	while (cal->cancelled[i] && cal->cancelled[i] != h)
		i = (i + 1) & (cal->cap_cancelled - 1);
	return i;
}

static bool set_has(const struct sim_calendar *cal, uint64_t h)
{
	return cal->cancelled[probe(cal, h)] == h;
}

static void set_remove(struct sim_calendar *cal, uint64_t h)
{
	size_t i = probe(cal, h), mask = cal->cap_cancelled - 1;
	if (cal->cancelled[i] != h)
		return;
	/* backward-shift deletion keeps probe chains intact */
	for (size_t j = (i + 1) & mask;; j = (j + 1) & mask) {
		uint64_t k = cal->cancelled[j];
		if (!k)
			break;
		size_t home = slot_of(k, cal->cap_cancelled);
		if (((j - home) & mask) >= ((j - i) & mask)) {
			cal->cancelled[i] = k;
			i = j;
		}
	}
	cal->cancelled[i] = 0;
	cal->ncancelled--;
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Rebuilds the set at a size fit for want entries, keeping only handles
 * still pending in the heap when purge is set. */
static int set_rebuild(struct sim_calendar *cal, size_t want, bool purge)
{
	uint64_t *old = cal->cancelled;
	size_t old_cap = cal->cap_cancelled, cap = 64;
	while (cap < 2 * want)
		cap *= 2;
	uint64_t *pending = NULL;
	if (purge && cal->ncancelled) {
		pending = malloc(cal->len * sizeof *pending + 1);
		if (!pending)
			return -1;
		for (size_t i = 0; i < cal->len; i++)
			pending[i] = cal->heap[i].seq;
		qsort(pending, cal->len, sizeof *pending, compare_u64);
	}
	uint64_t *fresh = calloc(cap, sizeof *fresh);
	if (!fresh) {
		free(pending);
		return -1;
	}
	cal->cancelled = fresh;
	cal->cap_cancelled = cap;
	cal->ncancelled = 0;
	for (size_t i = 0; i < old_cap; i++) {
		uint64_t h = old[i];
		if (!h)
			continue;
		if (pending && !bsearch(&h, pending, cal->len, sizeof *pending, compare_u64))
			continue;	/* stale: its event already ran */
		cal->cancelled[probe(cal, h)] = h;
		cal->ncancelled++;
	}
	free(pending);
	free(old);
	return 0;
}

bool sim_calendar_cancel(struct sim_calendar *cal, sim_handle h)
{
	if (h == 0 || h > cal->seq)
		return false;
	if (cal->cap_cancelled == 0 && set_rebuild(cal, 32, false) < 0)
		return false;
	if (set_has(cal, h))
		return false;
	if (2 * (cal->ncancelled + 1) > cal->cap_cancelled) {
		bool purge = cal->ncancelled > 2 * cal->len;
		if (set_rebuild(cal, purge ? cal->len + 1 : 2 * (cal->ncancelled + 1), purge) < 0)
			return false;
	}
	cal->cancelled[probe(cal, h)] = h;
	cal->ncancelled++;
	return true;
}

/* ---- popping ------------------------------------------------------------ */

/* Drops cancelled events from the top. */
static void skip_cancelled(struct sim_calendar *cal)
{
	while (cal->ncancelled && cal->len && set_has(cal, cal->heap[0].seq)) {
		set_remove(cal, cal->heap[0].seq);
		remove_top(cal);
	}
}

const struct sim_event *sim_calendar_pop_until(struct sim_calendar *cal, double until)
{
	fill_hole(cal);
	skip_cancelled(cal);
	if (!cal->len || cal->heap[0].time > until)
		return NULL;
	cal->hole = true;
	return &cal->heap[0];
}

bool sim_calendar_pop(struct sim_calendar *cal, struct sim_event *ev)
{
	const struct sim_event *top = sim_calendar_pop_until(cal, INFINITY);
	if (top)
		*ev = *top;
	return top;
}

double sim_calendar_peek(struct sim_calendar *cal)
{
	fill_hole(cal);
	skip_cancelled(cal);
	return cal->len ? cal->heap[0].time : INFINITY;
}
