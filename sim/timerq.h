/* timerq.h - timers that all run for the same duration (sim/timerq.c). */
#ifndef SIM_TIMERQ_H
#define SIM_TIMERQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/item.h"

struct sim_ctx;

/* A FIFO of timers that all run for the same duration, so they expire in
 * the order they were set: push is O(1), and a timer whose item moved on
 * costs nothing to cancel (it is skipped when it expires).  The queue
 * keeps one calendar event, of the given kind, for its earliest timer. */
struct sim_timer {
	struct sim_item *item;
	uint64_t id;		/* item->id when set: a reused item is not it */
	double at;		/* absolute expiry, seconds */
};

struct sim_timerq {
	struct sim_timer *v;
	size_t head, len, cap;	/* ring buffer, cap a power of two */
	uint32_t kind;
	bool armed;		/* a calendar event is pending for the head */
	bool draining;		/* inside a run of sim_timerq_next_due calls */
};

/* 0, or -1 when out of memory (the run is then stopped).  at must not be
 * earlier than the last timer pushed. */
int sim_timerq_push(struct sim_ctx *ctx, struct sim_timerq *q, struct sim_item *item, double at);
/* From the handler of q->kind, called until it returns false: the next
 * timer due now whose item is still the one it was set for; false when
 * none is left (the queue then re-arms). */
bool sim_timerq_next_due(struct sim_ctx *ctx, struct sim_timerq *q, struct sim_item **item);
void sim_timerq_fini(struct sim_timerq *q);

#endif
