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
 * Cancelled sequence numbers wait in a hash set (sim/calendar_cancel.c)
 * until their event reaches the front.
 *
 * Far mode (see calendar.h).  Once the heap would grow past far_from
 * events, every event moves to the ladder, which gives back its earliest
 * batch, all before a bound (far_bound); every event left in the ladder is
 * at or after it.  The batch, sorted, is the run: base[run_at, run_end),
 * popped from its front.  A push before the bound goes to the heap, which
 * follows the run in the array; a push at or after it goes to the ladder,
 * also one that fills the hole a pop left (the slow push fills the hole
 * first).  A pop takes the earlier of the run's front and the heap's top,
 * and when both are empty, everything left is in the ladder: its next
 * batch becomes the run.  An event is thus written into the ladder, moved
 * down its rungs a few times, sorted into a run of a few hundred and read
 * once, however many events wait; the heap stays small.  A batch too
 * large to sort cheaply (events the ladder cannot split, such as
 * thousands at one time) is used as it is if it is in order already, and
 * made the heap otherwise.  The mode ends when fewer than a quarter of
 * far_from events are left, or when the next batch has no bound (events
 * at infinity, or NaN: all that is left).  Ended that way, it starts again
 * only once the heap has doubled, so that a calendar full of events that
 * cannot be split pays O(1) amortised per push for trying.  Calendars
 * that never enter it run exactly the plain heap's code.
 */
#include "sim/calendar.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/calendar_private.h"
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
	return sim_calendar_init_cap(cal, 256);
}

int sim_calendar_init_cap(struct sim_calendar *cal, size_t cap)
{
	*cal = (struct sim_calendar){ 0 };
	cal->cap = cap ? cap : 1;
	cal->far_from = cal->far_again = SIM_CALENDAR_FAR_DEFAULT;
	cal->far_bound = INFINITY;
	cal->room = cal->cap;
	cal->heap = cal->base = malloc(cal->cap * sizeof *cal->base);
	return cal->base ? 0 : -1;
}

void sim_calendar_set_far(struct sim_calendar *cal, size_t pending)
{
	assert(cal->len == 0 && !cal->far_on);
	cal->far_from = cal->far_again = pending > 1 ? pending : 1;
	cal->room = min_size(cal->cap, cal->far_again);
}

void sim_calendar_fini(struct sim_calendar *cal)
{
	free(cal->base);
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

static void far_restart(struct sim_calendar *cal);

/* Adds an event in far mode, with room: to the ladder if it is at or after
 * the bound, else to the end of the run if the heap is empty and it sorts
 * after the run's last event, else to the heap.  Events pushed at the
 * time being popped, thousands of them at one time, thus queue in the
 * run, first in, first out, with no sift.  (A pushed event's seq is the
 * largest yet, but not one moved from another calendar's
 * (sim_calendar_push_as): at a tie of times the seq decides.) */
static inline void far_add(struct sim_calendar *cal, double time, uint64_t seq, void *item,
			   uint32_t comp, uint32_t kind)
{
	struct sim_event e = { time, seq, item, comp, kind };
	if (time >= cal->far_bound) {
		sim_ladder_insert(cal->far, time, seq, item, comp, kind);
	} else if (!cal->len &&
		   (cal->run_at == cal->run_end || sim_calendar_before(&cal->base[cal->run_end - 1], &e))) {
		cal->base[cal->run_end++] = e;
		cal->heap = cal->base + cal->run_end;
	} else {
		heap_add(cal, e);
		if (cal->len > cal->far_heap_max)
			far_restart(cal);
	}
}

/* Out of line, so that the inline push saves no registers for the
 * realloc this one may call. */
__attribute__((noinline)) sim_handle sim_calendar_push_grow(struct sim_calendar *cal, double time,
							   uint32_t comp, uint32_t kind,
							   void *item)
{
	if (cal->len >= cal->room || cal->hole) {	/* in far mode, room is 0 */
		if (!cal->far_budget || cal->hole)
			return push_slow(cal, time, comp, kind, item);
		cal->far_budget--;	/* far mode, with room */
		uint64_t seq = ++cal->seq;
		far_add(cal, time, seq, item, comp, kind);
		return seq;
	}
	struct sim_event e = { time, ++cal->seq, item, comp, kind };
	heap_add(cal, e);
	return e.seq;
}

/* ---- far mode ----------------------------------------------------------- */

static size_t far_count(const struct sim_calendar *cal)
{
	return cal->far_on ? sim_ladder_count(cal->far) : 0;
}

size_t sim_calendar_count_pending(const struct sim_calendar *cal)
{
	return cal->run_end - cal->run_at + cal->len + far_count(cal);
}

size_t sim_calendar_pending_seqs(const struct sim_calendar *cal, uint64_t *out)
{
	size_t n = 0;
	for (size_t i = 0; i < cal->len; i++)
		out[n++] = cal->heap[i].seq;
	for (size_t i = cal->run_at; i < cal->run_end; i++)
		out[n++] = cal->base[i].seq;
	if (cal->far_on)
		n += sim_ladder_seqs(cal->far, out + n);
	return n;
}

/* Makes room for n events in the array, and in the ladder if it is used:
 * as many as the array holds, which is every event pending. */
static int reserve(struct sim_calendar *cal, size_t n)
{
	if (n <= cal->far_room)
		return 0;
	if (n > cal->cap) {
		size_t cap = cal->cap * 2 > n ? cal->cap * 2 : n;
		struct sim_event *b = realloc(cal->base, cap * sizeof *b);
		if (!b)
			return -1;
		cal->base = b;
		cal->heap = b + cal->run_end;
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

/* A batch of at most this many events is sorted into a run (the ladder
 * gives such batches nearly in order: the insertion sort moves few); a
 * larger one, which the ladder could not split, is a run only if it is in
 * order already.  The worst case, a batch of RUN_SORT events in reverse
 * order (clustered in one slice of the ladder's counting sort), moves
 * RUN_SORT / 4 events per event on average: bounded. */
#define RUN_SORT 512

/* Sorts ev[0, n) by (time, seq) if n is small, or checks that it is
 * sorted; false when it is not (and is left as it was). */
static bool run_sort(struct sim_event *ev, size_t n)
{
	if (n > RUN_SORT) {
		for (size_t i = 1; i < n; i++)
			if (sim_calendar_before(&ev[i], &ev[i - 1]))
				return false;
		return true;
	}
	for (size_t i = 1; i < n; i++) {
		struct sim_event e = ev[i];
		size_t j = i;
		for (; j > 0 && sim_calendar_before(&e, &ev[j - 1]); j--)
			ev[j] = ev[j - 1];
		ev[j] = e;
	}
	return true;
}

/* With the run and the heap empty: makes the ladder's next batch the run
 * (or the heap); or, when few events are left or the batch has no bound,
 * puts all of them in the heap, leaving far mode. */
static __attribute__((noinline)) void refill(struct sim_calendar *cal)
{
	struct sim_ladder *l = cal->far;
	size_t left = sim_ladder_count(l);
	cal->run_at = cal->run_end = cal->len = 0;
	cal->heap = cal->base;
	cal->far_again = cal->far_from;
	if (left && left >= cal->far_from / 4) {
		size_t n = sim_ladder_take(l, cal->base, &cal->far_bound);
		if (cal->far_bound < INFINITY) {
			if (run_sort(cal->base, n)) {
				cal->run_end = n;
				cal->heap = cal->base + n;
			} else {
				cal->len = n;
				heapify(cal);
			}
			/* grown by a quarter of the events, the heap starts it afresh */
			cal->far_heap_max = cal->len + (left / 4 > cal->far_from ? left / 4 : cal->far_from);
			return;
		}
		cal->len = n;
		cal->far_again = 2 * left > cal->far_from ? 2 * left : cal->far_from;
	}
	double bound;
	size_t n;
	while ((n = sim_ladder_take(l, cal->heap + cal->len, &bound)))
		cal->len += n;
	cal->far_on = false;
	cal->far_budget = 0;
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
		sim_ladder_insert(cal->far, cal->heap[i].time, cal->heap[i].seq, cal->heap[i].item,
				  cal->heap[i].comp, cal->heap[i].kind);
	cal->far_on = true;
	cal->watch++;
	cal->room = 0;		/* every push that grows the calendar comes here */
	refill(cal);
	return 0;
}

/* Far mode afresh, when the heap has grown past far_heap_max: the
 * calendar grew after its batch was taken, with a bound fit for fewer
 * events, and many pushes fell before it.  Every event goes back to the
 * ladder, emptied and restarted, which gives back a batch fit for the
 * calendar as it is.  O(n), once the heap has grown by a quarter of the
 * events pending: O(1) amortised per push. */
static __attribute__((noinline)) void far_restart(struct sim_calendar *cal)
{
	struct sim_ladder *l = cal->far;
	size_t n = cal->run_end - cal->run_at;
	memmove(cal->base, cal->base + cal->run_at, n * sizeof *cal->base);
	memmove(cal->base + n, cal->heap, cal->len * sizeof *cal->base);
	n += cal->len;
	double bound;
	size_t k;
	while ((k = sim_ladder_take(l, cal->base + n, &bound)))
		n += k;
	sim_ladder_restart(l);
	for (size_t i = 0; i < n; i++)
		sim_ladder_insert(l, cal->base[i].time, cal->base[i].seq, cal->base[i].item,
				  cal->base[i].comp, cal->base[i].kind);
	refill(cal);
}

/* Moves the run's live events and the heap down to the start of the
 * array, over the events the run has popped: else a run that pushes at
 * the time it pops would walk up the array for ever, and the array and
 * the ladder's room grow with the events processed instead of those
 * pending.  Done only when the popped part is at least as large as what
 * moves: O(1) amortised over those pops. */
static void far_compact(struct sim_calendar *cal)
{
	size_t live = cal->run_end - cal->run_at;
	memmove(cal->base, cal->base + cal->run_at, (live + cal->len) * sizeof *cal->base);
	cal->run_at = 0;
	cal->run_end = live;
	cal->heap = cal->base + live;
}

/* The push when the heap is full, or in far mode. */
static __attribute__((noinline)) sim_handle push_slow(struct sim_calendar *cal, double time,
						     uint32_t comp, uint32_t kind, void *item)
{
	fill_hole(cal);
	if (!cal->far_on && cal->len >= cal->far_again && far_start(cal) < 0)
		return 0;
	if (cal->far_on && cal->run_at && cal->run_at >= cal->run_end - cal->run_at + cal->len)
		far_compact(cal);
	size_t need = cal->run_end + cal->len + far_count(cal) + 2;
	if (reserve(cal, need) < 0)
		return 0;
	cal->far_budget = cal->far_on ? cal->far_room - need : 0;
	uint64_t seq = ++cal->seq;
	if (cal->far_on) {
		far_add(cal, time, seq, item, comp, kind);
	} else {
		heap_add(cal, (struct sim_event){ time, seq, item, comp, kind });
		cal->room = min_size(cal->cap, cal->far_again);
	}
	return seq;
}

/* ---- popping ------------------------------------------------------------ */

/* The earliest event pending, or NULL when none is: drops cancelled
 * events from the front and, in far mode, takes the ladder's next batch
 * when the run and the heap are empty.  *in_run says where it is. */
static struct sim_event *front(struct sim_calendar *cal, bool *in_run)
{
	for (;;) {
		struct sim_event *e = &cal->heap[0];
		*in_run = cal->run_at < cal->run_end &&
			  (!cal->len || sim_calendar_before(&cal->base[cal->run_at], e));
		if (*in_run) {
			e = &cal->base[cal->run_at];
		} else if (!cal->len) {
			if (!cal->far_on)
				return NULL;
			refill(cal);
			continue;
		}
		if (!cal->ncancelled || !sim_calendar_set_has(cal, e->seq))
			return e;
		sim_calendar_set_remove(cal, e->seq);
		if (*in_run)
			cal->run_at++;
		else
			remove_top(cal);
	}
}

/* The pop that cannot take the heap's top as it is: in far mode, or
 * with cancelled events pending. */
static __attribute__((noinline)) const struct sim_event *pop_front(struct sim_calendar *cal,
								   double until)
{
	bool in_run;
	struct sim_event *e = front(cal, &in_run);
	if (!e || e->time > until)
		return NULL;
	if (in_run)
		cal->run_at++;
	else
		cal->hole = true;
	return e;
}

/* The pop in far mode or with cancelled events pending, out of line: the
 * pop, inline in the engine's loop, only tests watch.  Its common case, in
 * far mode, takes the run's front, and calls nothing. */
static __attribute__((noinline)) const struct sim_event *pop_watched(struct sim_calendar *cal,
								     double until)
{
	if (!cal->far_on) {	/* the heap alone, with cancelled events in it */
		while (cal->len && sim_calendar_set_has(cal, cal->heap[0].seq)) {
			sim_calendar_set_remove(cal, cal->heap[0].seq);
			remove_top(cal);
		}
		if (!cal->len || cal->heap[0].time > until)
			return NULL;
		cal->hole = true;
		return &cal->heap[0];
	}
	if (cal->run_at < cal->run_end && !cal->len && !cal->ncancelled) {
		struct sim_event *e = &cal->base[cal->run_at];
		if (e->time > until)
			return NULL;
		cal->run_at++;
		return e;
	}
	return pop_front(cal, until);
}

const struct sim_event *sim_calendar_pop_until(struct sim_calendar *cal, double until)
{
	fill_hole(cal);
	if (cal->watch)
		return pop_watched(cal, until);
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

const struct sim_event *sim_calendar_next(struct sim_calendar *cal)
{
	fill_hole(cal);
	if (cal->watch) {
		bool in_run;
		return front(cal, &in_run);
	}
	return cal->len ? &cal->heap[0] : NULL;
}

sim_handle sim_calendar_push_as(struct sim_calendar *cal, const struct sim_event *ev)
{
	uint64_t seq = cal->seq;
	cal->seq = ev->seq - 1;
	sim_handle h = sim_calendar_push(cal, ev->time, ev->comp, ev->kind, ev->item);
	cal->seq = seq > ev->seq ? seq : ev->seq;
	return h;
}

double sim_calendar_peek(struct sim_calendar *cal)
{
	const struct sim_event *e = sim_calendar_next(cal);
	return e ? e->time : INFINITY;
}
