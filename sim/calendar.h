/* calendar.h - the event calendar: pending events ordered by (time, sequence).
 *
 * Events at the same time pop in the order they were pushed, so a run is
 * reproducible bit for bit.  Each push returns a handle; cancelling through
 * the handle is O(1) (the entry is marked dead and skipped when it reaches
 * the top), and a stale handle (event already run or cancelled) is
 * harmless.  Pushing allocates only when the calendar grows past its
 * high-water mark, never per event in steady state.
 */
#ifndef SIM_CALENDAR_H
#define SIM_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A handle names one pushed event: slot index and generation. 0 is never
 * a valid handle, so callers can use it for "no event". */
typedef uint64_t sim_handle;

struct sim_event {
	double time;		/* seconds, absolute */
	void *item;		/* payload owned by the component, may be NULL */
	uint32_t comp;		/* owning component index */
	uint32_t kind;		/* model-defined event kind */
};

struct sim_calendar_entry {
	double time;
	uint64_t seq;
	uint32_t slot;
};

struct sim_calendar_slot {
	void *item;
	uint32_t comp;
	uint32_t kind;
	uint32_t gen;
	uint32_t live;		/* 1 pending, 0 cancelled or free */
};

struct sim_calendar {
	struct sim_calendar_entry *heap;
	size_t len, cap;
	struct sim_calendar_slot *slots;
	uint32_t *free_slots;
	size_t nslots, nfree, slot_cap;
	uint64_t seq;
	size_t live;		/* pending, not cancelled */
};

int sim_calendar_init(struct sim_calendar *cal);
void sim_calendar_fini(struct sim_calendar *cal);

/* Returns 0 on allocation failure (the calendar is unchanged). */
sim_handle sim_calendar_push(struct sim_calendar *cal, double time,
			     uint32_t comp, uint32_t kind, void *item);

/* Returns true if the event was pending and is now cancelled. O(1). */
bool sim_calendar_cancel(struct sim_calendar *cal, sim_handle h);

/* Pops the earliest live event into *ev; false when none is left.
 * Amortised O(log n), counting the dead entries it skips. */
bool sim_calendar_pop(struct sim_calendar *cal, struct sim_event *ev);

/* Pops the earliest live event if it is not later than until. */
bool sim_calendar_pop_until(struct sim_calendar *cal, double until, struct sim_event *ev);

/* Time of the earliest live event, or INFINITY. Drops dead entries on top. */
double sim_calendar_peek(struct sim_calendar *cal);

static inline size_t sim_calendar_size(const struct sim_calendar *cal)
{
	return cal->live;
}

#endif
