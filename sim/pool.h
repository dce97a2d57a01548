/* pool.h - a fixed set of threads taking numbered tasks in order.
 *
 * Tasks 0..n-1 are handed out in increasing order to whichever slot is
 * free; a slot is one thread.  What a task computes must be stored by
 * its number (never by the order tasks end in) so that what is written
 * afterwards does not depend on the number of slots.
 */
#ifndef SIM_POOL_H
#define SIM_POOL_H

#include <stddef.h>

/* Runs task number task on slot slot (0 .. slots-1). */
typedef void sim_pool_fn(void *arg, size_t task, unsigned slot);

/* Runs the n tasks on up to slots threads (the calling thread is slot 0)
 * and returns when every one has ended.  When a thread cannot be
 * started, the others (at least the caller) take its share. */
void sim_pool_run(size_t n, unsigned slots, sim_pool_fn *fn, void *arg);

#endif
