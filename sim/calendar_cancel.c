/* calendar_cancel.c - the calendar's set of cancelled events.
 *
 * Cancelled sequence numbers wait in a hash set (open addressing, linear
 * probing) until their event reaches the front, where the pop skips it.
 * A handle whose event already ran is harmless.  When the set holds more
 * than twice as many entries as the calendar (stale handles of events
 * that already ran), it is rebuilt from the pending events: O(n) now and
 * then, O(1) amortised per cancel.
 */
#include <stdlib.h>

#include "sim/calendar.h"
#include "sim/calendar_private.h"

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

bool sim_calendar_set_has(const struct sim_calendar *cal, uint64_t h)
{
	return cal->cancelled[probe(cal, h)] == h;
}

void sim_calendar_set_remove(struct sim_calendar *cal, uint64_t h)
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
 * still pending when purge is set. */
static int set_rebuild(struct sim_calendar *cal, size_t want, bool purge)
{
	uint64_t *old = cal->cancelled;
	size_t old_cap = cal->cap_cancelled, cap = 64;
	while (cap < 2 * want)
		cap *= 2;
	uint64_t *pending = NULL;
	size_t npending = 0;
	if (purge && cal->ncancelled) {
		pending = malloc(sim_calendar_count_pending(cal) * sizeof *pending + 1);
		if (!pending)
			return -1;
		npending = sim_calendar_pending_seqs(cal, pending);
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
	if (sim_calendar_set_has(cal, h))
		return false;
	if (2 * (cal->ncancelled + 1) > cal->cap_cancelled) {
		size_t n = sim_calendar_count_pending(cal);
		bool purge = cal->ncancelled > 2 * n;
		if (set_rebuild(cal, purge ? n + 1 : 2 * (cal->ncancelled + 1), purge) < 0)
			return false;
	}
	cal->cancelled[probe(cal, h)] = h;
	cal->ncancelled++;
	cal->watch++;
	return true;
}
