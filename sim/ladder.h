/* ladder.h - the far future of a large calendar: a ladder queue (Tang,
 * Goh and Thng, 2005) without its bottom rung.
 *
 * The ladder holds events later than a bound and gives them back in
 * batches, each batch earlier than everything left: the calendar sorts
 * the batch and asks for the next one when it has popped it all.
 * Inserting is O(1) (an append to a list of chunks); each event is moved
 * a few times on its way down the rungs, O(1) amortised.  The ladder
 * orders a batch by time only roughly: the calendar sorts it by (time,
 * seq).
 *
 * Nothing here allocates except sim_ladder_new and sim_ladder_reserve:
 * inserts and takes use the room reserved beforehand.
 */
#ifndef SIM_LADDER_H
#define SIM_LADDER_H

#include <stddef.h>
#include <stdint.h>

#include "sim/calendar.h"

struct sim_ladder;

/* NULL on allocation failure; free with sim_ladder_free (NULL is a no-op). */
struct sim_ladder *sim_ladder_new(void);
void sim_ladder_free(struct sim_ladder *l);

/* Makes room for n events in all; -1 on allocation failure (the ladder
 * is unchanged, and keeps the room it had). */
int sim_ladder_reserve(struct sim_ladder *l, size_t n);

/* Events held. */
size_t sim_ladder_count(const struct sim_ladder *l);

/* Adds the event (time, seq, item, comp, kind); seq is not 0, and time
 * not earlier than the bound of the last take (any time before the first
 * take).  Needs reserved room. */
void sim_ladder_insert(struct sim_ladder *l, double time, uint64_t seq, void *item,
		       uint32_t comp, uint32_t kind);

/* Moves the earliest batch of events into out and returns how many (0
 * when the ladder is empty).  A batch of a few hundred events or fewer
 * comes in order of time but for events close together (a counting sort
 * over as many slices as events); a larger one, in no order.  Every event taken is earlier
 * than *bound and every event left is not; but the events at infinity
 * (and NaN) come out last, all together, with *bound INFINITY.  out must have room for all
 * the events held. */
size_t sim_ladder_take(struct sim_ladder *l, struct sim_event *out, double *bound);

/* Forgets the bound of the last take, so that events of any time may be
 * inserted: only when the ladder is empty. */
void sim_ladder_restart(struct sim_ladder *l);

/* Writes the sequence numbers of the events held into out (room for
 * sim_ladder_count of them) and returns how many. */
size_t sim_ladder_seqs(const struct sim_ladder *l, uint64_t *out);

#endif
