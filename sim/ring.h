/* ring.h - growing a ring buffer (or an array) of fixed-size elements.
 *
 * The waiting lines of the simulator (sim/fifo.h's item pointers, timer
 * queues, a database's waiting calls) are rings of `cap` elements, cap 0
 * or a power of two, whose live part starts at `head` and may wrap.  They
 * grow the same way: to twice the room, unwrapped to start at 0.  That is
 * the only allocation they make, never per element in steady state.
 */
#ifndef SIM_RING_H
#define SIM_RING_H

#include <stddef.h>

/* Doubles the ring *v of len elements of elem bytes (first: the room
 * when cap is 0); -1 when out of memory, the ring unchanged. */
int sim_ring_grow(void **v, size_t *head, size_t len, size_t *cap, size_t elem, size_t first);

/* The same of an array, a ring that never wraps: the lists that grow
 * one element at a time (a run's probes, a series' column names, a
 * file's anchors) double their room when it is full. */
static inline int sim_array_grow(void **v, size_t len, size_t *cap, size_t elem, size_t first)
{
	size_t head = 0;
	return sim_ring_grow(v, &head, len, cap, elem, first);
}

#endif
