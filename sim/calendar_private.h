/* calendar_private.h - what sim/calendar.c and sim/calendar_cancel.c share. */
#ifndef SIM_CALENDAR_PRIVATE_H
#define SIM_CALENDAR_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/calendar.h"

/* Events pending: in the run, the heap and the ladder. */
size_t sim_calendar_count_pending(const struct sim_calendar *cal);

/* Writes the sequence numbers of the pending events into out (room for
 * sim_calendar_count_pending of them) and returns how many. */
size_t sim_calendar_pending_seqs(const struct sim_calendar *cal, uint64_t *out);

/* Whether handle h is in the cancelled set (which is not empty). */
bool sim_calendar_set_has(const struct sim_calendar *cal, uint64_t h);

/* Takes h out of the cancelled set, if it is there. */
void sim_calendar_set_remove(struct sim_calendar *cal, uint64_t h);

#endif
