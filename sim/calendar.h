/* calendar.h - the event calendar: pending events ordered by (time, sequence).
 *
 * Events at the same time pop in the order they were pushed, so a run is
 * reproducible bit for bit.  Each push returns a handle (its sequence
 * number).  Cancelling is O(1) expected: the handle goes into a hash set
 * that pop consults, only while it is non-empty, to skip the event.  A
 * handle whose event already ran (or was cancelled) is harmless: it never
 * matches a pending event and is purged when the set is next compacted.
 * Pushing allocates only when the calendar grows past its high-water
 * mark, never per event in steady state.
 *
 * A large calendar (past SIM_CALENDAR_FAR_FROM events) keeps only the near
 * future at hand, a sorted batch and a small heap, both before a bound,
 * and the rest in a ladder queue (sim/ladder.h): measured with
 * tests/bench/bench_calendar, 1.5 to 4 times the plain heap's rate at
 * 10^3 pending events, 8 to 12 times at 10^6 (docs/performance.md,
 * "Large calendars").
 */
#ifndef SIM_CALENDAR_H
#define SIM_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 0 is never a valid handle, so callers can use it for "no event". */
typedef uint64_t sim_handle;

struct sim_event {
	double time;		/* seconds, absolute */
	uint64_t seq;		/* push order; also the event's handle */
	void *item;		/* payload owned by the component, may be NULL */
	uint32_t comp;		/* owning component index */
	uint32_t kind;		/* model-defined event kind */
};

struct sim_ladder;

struct sim_calendar {
	struct sim_event *heap;	/* base + run_end */
	size_t len;		/* events in the heap */
	size_t cap;		/* events the array base holds */
	size_t room;		/* a push past this many goes the slow way */
	uint64_t seq;		/* last handle given */
	bool hole;		/* heap[0] was popped; the next push replaces it */
	size_t watch;		/* ncancelled, plus 1 in far mode: pops then go the slow way */
	uint64_t *cancelled;	/* open addressing; 0 marks an empty slot */
	size_t ncancelled, cap_cancelled;
	struct sim_event *base;	/* the run, then the heap */
	size_t run_at, run_end;	/* in far mode, base[run_at, run_end): a batch, sorted */
	struct sim_ladder *far;	/* in far mode, the events after far_bound; or NULL */
	size_t far_from;	/* heap size that starts far mode */
	size_t far_again;	/* the heap size that starts it next: far_from, or
				 * twice the events left when it last ended on
				 * events it could not split (see calendar.c) */
	bool far_on;		/* far mode */
	size_t far_heap_max;	/* in far mode, the heap size that starts it afresh */
	size_t far_room;	/* events the array and the ladder have room for */
	size_t far_budget;	/* in far mode, pushes that have room for certain:
				 * they need not look (see calendar.c) */
	double far_bound;	/* every event in the ladder is at or after it;
				 * INFINITY out of far mode */
};

/* The size past which the far future moves to the ladder. */
#define SIM_CALENDAR_FAR_FROM 256

int sim_calendar_init(struct sim_calendar *cal);
/* The same with room for cap events at first (it grows as needed): for
 * the many small calendars of a model's parts. */
int sim_calendar_init_cap(struct sim_calendar *cal, size_t cap);
void sim_calendar_fini(struct sim_calendar *cal);

/* Sets the size past which the far future goes to a ladder:
 * SIM_CALENDAR_FAR_FROM by default, SIZE_MAX for a plain heap, small
 * values to test the ladder.  Only on an
 * empty calendar, before any push. */
void sim_calendar_set_far(struct sim_calendar *cal, size_t pending);

/* The heap is 4-ary (see calendar.c).  Its order and the sift that
 * keeps it are here so that the common push, inline, makes no call. */
#define SIM_CALENDAR_ARITY 4

static inline bool sim_calendar_before(const struct sim_event *a, const struct sim_event *b)
{
	return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

/* Puts e at slot i, whose subtrees are heaps, and sifts it down. */
static inline void sim_calendar_sift_down(struct sim_calendar *cal, size_t i, struct sim_event e)
{
	struct sim_event *h = cal->heap;
	size_t n = cal->len, first;
	while ((first = i * SIM_CALENDAR_ARITY + 1) < n) {
		const struct sim_event *best = &h[first];
		size_t last = first + SIM_CALENDAR_ARITY < n ? first + SIM_CALENDAR_ARITY : n;
		for (const struct sim_event *c = best + 1; c < &h[last]; c++)
			if (sim_calendar_before(c, best))
				best = c;
		if (!sim_calendar_before(best, &e))
			break;
		h[i] = *best;
		i = (size_t)(best - h);
	}
	h[i] = e;
}

/* The push of sim_calendar_push when there is no hole to fill (the heap
 * grows by one), or when the event belongs to the far future. */
sim_handle sim_calendar_push_grow(struct sim_calendar *cal, double time, uint32_t comp,
				  uint32_t kind, void *item);

/* Returns 0 on allocation failure (the calendar is unchanged).  Most
 * events schedule a successor, which fills the hole the pop left. */
static inline sim_handle sim_calendar_push(struct sim_calendar *cal, double time,
					   uint32_t comp, uint32_t kind, void *item)
{
	if (!cal->hole || time >= cal->far_bound)
		return sim_calendar_push_grow(cal, time, comp, kind, item);
	cal->hole = false;
	struct sim_event e = { time, ++cal->seq, item, comp, kind };
	sim_calendar_sift_down(cal, 0, e);
	return e.seq;
}

/* Cancels a pending event; false for 0, a handle never given, or one
 * already cancelled.  O(1) expected. */
bool sim_calendar_cancel(struct sim_calendar *cal, sim_handle h);

/* Pops the earliest live event into *ev; false when none is left.
 * O(log n), plus the cancelled entries it skips. */
bool sim_calendar_pop(struct sim_calendar *cal, struct sim_event *ev);

/* Pops the earliest live event if it is not later than until, or
 * returns NULL.  The event is not copied out: it stays readable where it
 * is until the next push or pop. */
const struct sim_event *sim_calendar_pop_until(struct sim_calendar *cal, double until);

/* The earliest live event, left in place (readable until the next push or
 * pop), or NULL when none is. */
const struct sim_event *sim_calendar_next(struct sim_calendar *cal);

/* Pushes an event moved from another calendar, keeping its sequence
 * number (its handle and its place among events at the same time); the
 * handles given after are past it.  0 when out of memory. */
sim_handle sim_calendar_push_as(struct sim_calendar *cal, const struct sim_event *ev);

/* Time of the earliest live event, or INFINITY. */
double sim_calendar_peek(struct sim_calendar *cal);

#endif
