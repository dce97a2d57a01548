/* ring.h - growing a ring buffer of fixed-size elements.
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

#endif
