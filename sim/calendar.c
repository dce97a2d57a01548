/* calendar.c - a 4-ary min-heap of (time, sequence) keys over a slot table.
 *
 * Invariant: heap[i] is not later than any of its children heap[4i+1..4i+4]
 * under the order (time, seq); every heap entry names a slot whose
 * generation matches the entry's push.  A 4-ary heap halves the depth of a
 * binary one and keeps siblings on one cache line, which is what matters
 * for the calendar sizes of overload runs (up to millions of pending
 * events).  Cancelled events stay in the heap until they reach the top;
 * that is cheap because most cancelled timers would have fired soon anyway
 * and dead entries cost one comparison each on the way out.
 */
#include "sim/calendar.h"

#include <math.h>
#include <stdlib.h>

#define ARITY 4

int sim_calendar_init(struct sim_calendar *cal)
{
	*cal = (struct sim_calendar){ 0 };
	cal->cap = 256;
	cal->heap = malloc(cal->cap * sizeof *cal->heap);
	cal->slot_cap = 256;
	cal->slots = malloc(cal->slot_cap * sizeof *cal->slots);
	cal->free_slots = malloc(cal->slot_cap * sizeof *cal->free_slots);
	if (!cal->heap || !cal->slots || !cal->free_slots) {
		sim_calendar_fini(cal);
		return -1;
	}
	return 0;
}

void sim_calendar_fini(struct sim_calendar *cal)
{
	free(cal->heap);
	free(cal->slots);
	free(cal->free_slots);
	*cal = (struct sim_calendar){ 0 };
}

static inline bool before(const struct sim_calendar_entry *a,
			  const struct sim_calendar_entry *b)
{
	return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static uint32_t slot_take(struct sim_calendar *cal)
{
	if (cal->nfree)
		return cal->free_slots[--cal->nfree];
	if (cal->nslots == cal->slot_cap) {
		size_t cap = cal->slot_cap * 2;
		struct sim_calendar_slot *s = realloc(cal->slots, cap * sizeof *s);
		if (!s)
			return UINT32_MAX;
		cal->slots = s;
		uint32_t *f = realloc(cal->free_slots, cap * sizeof *f);
		if (!f)
			return UINT32_MAX;
		cal->free_slots = f;
		cal->slot_cap = cap;
	}
	cal->slots[cal->nslots].gen = 0;
	return (uint32_t)cal->nslots++;
}

sim_handle sim_calendar_push(struct sim_calendar *cal, double time,
			     uint32_t comp, uint32_t kind, void *item)
{
	if (cal->len == cal->cap) {
		size_t cap = cal->cap * 2;
		struct sim_calendar_entry *h = realloc(cal->heap, cap * sizeof *h);
		if (!h)
			return 0;
		cal->heap = h;
		cal->cap = cap;
	}
	uint32_t slot = slot_take(cal);
	if (slot == UINT32_MAX)
		return 0;
	struct sim_calendar_slot *s = &cal->slots[slot];
	s->item = item;
	s->comp = comp;
	s->kind = kind;
	s->gen++;
	s->live = 1;

	struct sim_calendar_entry e = { time, cal->seq++, slot };
	size_t i = cal->len++;
	while (i > 0) {
		size_t parent = (i - 1) / ARITY;
		if (!before(&e, &cal->heap[parent]))
			break;
		cal->heap[i] = cal->heap[parent];
		i = parent;
	}
	cal->heap[i] = e;
	cal->live++;
	return ((uint64_t)s->gen << 32) | ((uint64_t)slot + 1);
}

bool sim_calendar_cancel(struct sim_calendar *cal, sim_handle h)
{
	if (h == 0)
		return false;
	uint64_t slot = (h & 0xffffffffu) - 1;
	uint32_t gen = (uint32_t)(h >> 32);
	if (slot >= cal->nslots)
		return false;
	struct sim_calendar_slot *s = &cal->slots[slot];
	if (s->gen != gen || !s->live)
		return false;
	s->live = 0;
	cal->live--;
	return true;
}

static void remove_top(struct sim_calendar *cal)
{
	struct sim_calendar_entry last = cal->heap[--cal->len];
	size_t n = cal->len, i = 0;
	if (n == 0)
		return;
	for (;;) {
		size_t first = i * ARITY + 1;
		if (first >= n)
			break;
		size_t best = first;
		size_t end = first + ARITY < n ? first + ARITY : n;
		for (size_t c = first + 1; c < end; c++)
			if (before(&cal->heap[c], &cal->heap[best]))
				best = c;
		if (!before(&cal->heap[best], &last))
			break;
		cal->heap[i] = cal->heap[best];
		i = best;
	}
	cal->heap[i] = last;
}

/* Frees the slot of the top entry and removes it; returns the slot. */
static struct sim_calendar_slot *pop_slot(struct sim_calendar *cal, double *time)
{
	uint32_t slot = cal->heap[0].slot;
	*time = cal->heap[0].time;
	remove_top(cal);
	cal->free_slots[cal->nfree++] = slot;
	return &cal->slots[slot];
}

bool sim_calendar_pop(struct sim_calendar *cal, struct sim_event *ev)
{
	return sim_calendar_pop_until(cal, INFINITY, ev);
}

bool sim_calendar_pop_until(struct sim_calendar *cal, double until, struct sim_event *ev)
{
	while (cal->len) {
		if (cal->heap[0].time > until && cal->slots[cal->heap[0].slot].live)
			return false;
		double t;
		struct sim_calendar_slot *s = pop_slot(cal, &t);
		if (!s->live)
			continue;
		s->live = 0;
		cal->live--;
		ev->time = t;
		ev->item = s->item;
		ev->comp = s->comp;
		ev->kind = s->kind;
		return true;
	}
	return false;
}

double sim_calendar_peek(struct sim_calendar *cal)
{
	while (cal->len && !cal->slots[cal->heap[0].slot].live) {
		double t;
		pop_slot(cal, &t);
	}
	return cal->len ? cal->heap[0].time : INFINITY;
}
