/* calendar.c - a 4-ary min-heap of events keyed by (time, seq), with a
 * ladder for the far future of large calendars.
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
 * the top.  When the set holds more than twice as many entries as the
 * calendar (stale handles of events that already ran), it is rebuilt from
 * the pending events: O(n) now and then, O(1) amortised per cancel.
 *
 * Far mode (see calendar.h).
 * Once the heap would grow past far_from events, it keeps only
 * the events before far_bound, plus a sentinel (far_bound, seq 0) that
 * sorts before every event at far_bound; every later event is in the
 * ladder.  A push at or after the bound goes to the ladder, also one that
 * fills the hole a pop left (the slow push fills the hole first).  When
 * the sentinel reaches the top, whatever else the heap holds is at or
 * after the bound, so it moves to the ladder, and the ladder's next
 * batch, with a new sentinel, takes its place.  The heap then holds a few
 * dozen events and a sift touches a few cache lines, however many events
 * wait.  The mode ends when fewer than a quarter of far_from events are
 * left, or when the next batch has no bound (events at infinity, or NaN:
 * all that is left), which has to end it: a sentinel at infinity would
 * sort before those events and come back for ever.  Ended that way, it
 * starts again only once the heap has doubled, so that a calendar full of
 * events that cannot be split pays O(1) amortised per push for trying.
 * Calendars that never enter it run exactly the plain heap's code.
 */
#include "sim/calendar.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/ladder.h"

/* A build for measuring `sim` on the plain heap alone may turn far mode
 * off for every calendar: -Dc_args=-DSIM_CALENDAR_FAR_DEFAULT=SIZE_MAX. */
#ifndef SIM_CALENDAR_FAR_DEFAULT
#define SIM_CALENDAR_FAR_DEFAULT SIM_CALENDAR_FAR_FROM
#endif

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

int sim_calendar_init(struct sim_calendar *cal)
{
	*cal = (struct sim_calendar){ 0 };
	cal->cap = 256;
	cal->far_from = cal->far_again = SIM_CALENDAR_FAR_DEFAULT;
	cal->far_bound = INFINITY;
	cal->room = cal->cap;
	cal->heap = malloc(cal->cap * sizeof *cal->heap);
	return cal->heap ? 0 : -1;
}

void sim_calendar_set_far(struct sim_calendar *cal, size_t pending)
{
	assert(cal->len == 0 && !cal->far_on);
	cal->far_from = cal->far_again = pending > 1 ? pending : 1;
	cal->room = min_size(cal->cap, cal->far_again);
}

void sim_calendar_fini(struct sim_calendar *cal)
{
	free(cal->heap);
	free(cal->cancelled);
	sim_ladder_free(cal->far);
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

/* Adds e at the bottom and sifts it up; the heap has room. */
static inline void heap_add(struct sim_calendar *cal, struct sim_event e)
{
	size_t i = cal->len++;
	while (i > 0) {
		size_t parent = (i - 1) / SIM_CALENDAR_ARITY;
		if (!sim_calendar_before(&e, &cal->heap[parent]))
			break;
		cal->heap[i] = cal->heap[parent];
		i = parent;
	}
	cal->heap[i] = e;
}

static sim_handle push_slow(struct sim_calendar *cal, double time, uint32_t comp,
			    uint32_t kind, void *item);

/* Out of line, so that the inline push saves no registers for the
 * realloc this one may call. */
__attribute__((noinline)) sim_handle sim_calendar_push_grow(struct sim_calendar *cal, double time,
							   uint32_t comp, uint32_t kind,
							   void *item)
{
	if (cal->len >= cal->room || cal->hole)
		return push_slow(cal, time, comp, kind, item);
	struct sim_event e = { time, ++cal->seq, item, comp, kind };
	heap_add(cal, e);
	return e.seq;
}

/* ---- far mode ----------------------------------------------------------- */

static size_t far_count(const struct sim_calendar *cal)
{
	return cal->far_on ? sim_ladder_count(cal->far) : 0;
}

/* Makes room for n events in the heap, and in the ladder if it is used:
 * as many as the heap holds, which is every event pending. */
static int reserve(struct sim_calendar *cal, size_t n)
{
	if (n <= cal->far_room)
		return 0;
	if (n > cal->cap) {
		size_t cap = cal->cap * 2 > n ? cal->cap * 2 : n;
		struct sim_event *h = realloc(cal->heap, cap * sizeof *h);
		if (!h)
			return -1;
		cal->heap = h;
		cal->cap = cap;
	}
	if (cal->far && sim_ladder_reserve(cal->far, cal->cap) < 0)
		return -1;
	cal->far_room = cal->far ? cal->cap : 0;
	return 0;
}

static void heapify(struct sim_calendar *cal)
{
	for (size_t i = cal->len / SIM_CALENDAR_ARITY + 1; i-- > 0;)
		if (i < cal->len)
			sim_calendar_sift_down(cal, i, cal->heap[i]);
}

/* With the sentinel at the top: moves the rest of the heap to the ladder
 * and the ladder's next batch to the heap, under a new sentinel; or, when
 * few events are left or the batch has no bound, all of them, leaving far
 * mode. */
static __attribute__((noinline)) void refill(struct sim_calendar *cal)
{
	struct sim_ladder *l = cal->far;
	for (size_t i = 1; i < cal->len; i++)
		sim_ladder_insert(l, &cal->heap[i]);
	cal->len = 0;
	size_t left = sim_ladder_count(l);
	cal->far_again = cal->far_from;
	if (left && left >= cal->far_from / 4) {
		cal->len = sim_ladder_take(l, cal->heap, &cal->far_bound);
		if (cal->far_bound < INFINITY) {
			/* later than every event taken, so a leaf anywhere */
			cal->heap[cal->len++] = (struct sim_event){ cal->far_bound, 0, NULL, 0, 0 };
			heapify(cal);
			return;
		}
		cal->far_again = 2 * left > cal->far_from ? 2 * left : cal->far_from;
	}
	double bound;
	size_t n;
	while ((n = sim_ladder_take(l, cal->heap + cal->len, &bound)))
		cal->len += n;
	cal->far_on = false;
	cal->far_bound = INFINITY;
	cal->watch--;
	cal->room = min_size(cal->cap, cal->far_again);
	heapify(cal);
}

/* Enters far mode: every event moves to the ladder, which gives back its
 * first batch. */
static int far_start(struct sim_calendar *cal)
{
	if (!cal->far && !(cal->far = sim_ladder_new()))
		return -1;
	if (reserve(cal, cal->len + 2) < 0)
		return -1;
	for (size_t i = 0; i < cal->len; i++)
		sim_ladder_insert(cal->far, &cal->heap[i]);
	cal->len = 0;
	cal->far_on = true;
	cal->watch++;
	cal->room = 0;		/* every push that grows the calendar comes here */
	cal->heap[cal->len++] = (struct sim_event){ -INFINITY, 0, NULL, 0, 0 };
	refill(cal);
	return 0;
}

/* The push when the heap is full, or in far mode. */
static __attribute__((noinline)) sim_handle push_slow(struct sim_calendar *cal, double time,
						     uint32_t comp, uint32_t kind, void *item)
{
	fill_hole(cal);
	if (!cal->far_on && cal->len >= cal->far_again && far_start(cal) < 0)
		return 0;
	if (reserve(cal, cal->len + far_count(cal) + 2) < 0)
		return 0;
	struct sim_event e = { time, ++cal->seq, item, comp, kind };
	if (cal->far_on && time >= cal->far_bound)
		sim_ladder_insert(cal->far, &e);
	else
		heap_add(cal, e);
	if (!cal->far_on)
		cal->room = min_size(cal->cap, cal->far_again);
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
	cal->watch--;
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
	size_t npending = cal->len;
	if (purge && cal->ncancelled) {
		pending = malloc((cal->len + far_count(cal)) * sizeof *pending + 1);
		if (!pending)
			return -1;
		for (size_t i = 0; i < cal->len; i++)
			pending[i] = cal->heap[i].seq;
		if (cal->far_on)
			npending += sim_ladder_seqs(cal->far, pending + cal->len);
		qsort(pending, npending, sizeof *pending, compare_u64);
	}
	uint64_t *fresh = calloc(cap, sizeof *fresh);
	if (!fresh) {
		free(pending);
		return -1;
	}
	cal->cancelled = fresh;
	cal->cap_cancelled = cap;
	cal->watch -= cal->ncancelled;
	cal->ncancelled = 0;
	for (size_t i = 0; i < old_cap; i++) {
		uint64_t h = old[i];
		if (!h)
			continue;
		if (pending && !bsearch(&h, pending, npending, sizeof *pending, compare_u64))
			continue;	/* stale: its event already ran */
		cal->cancelled[probe(cal, h)] = h;
		cal->ncancelled++;
		cal->watch++;
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
		size_t pending = cal->len + far_count(cal);
		bool purge = cal->ncancelled > 2 * pending;
		if (set_rebuild(cal, purge ? pending + 1 : 2 * (cal->ncancelled + 1), purge) < 0)
			return false;
	}
	cal->cancelled[probe(cal, h)] = h;
	cal->ncancelled++;
	cal->watch++;
	return true;
}

/* ---- popping ------------------------------------------------------------ */

/* Drops cancelled events from the top, and replaces the far sentinel
 * there with the ladder's next batch.  Out of line: the pop, inline in
 * the engine's loop, only tests watch. */
static __attribute__((noinline)) void skip_watched(struct sim_calendar *cal)
{
	while (cal->watch && cal->len) {
		uint64_t seq = cal->heap[0].seq;
		if (seq == 0) {
			refill(cal);
			continue;
		}
		if (!cal->ncancelled || !set_has(cal, seq))
			return;
		set_remove(cal, seq);
		remove_top(cal);
	}
}

static inline void skip_cancelled(struct sim_calendar *cal)
{
	if (cal->watch)
		skip_watched(cal);
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
