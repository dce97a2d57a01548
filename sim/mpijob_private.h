/* mpijob_private.h - what a serving rank (sim/mpijob_serve.c) asks of the
 * messaging (sim/mpijob.c). */
#ifndef SIM_MPIJOB_PRIVATE_H
#define SIM_MPIJOB_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

/* The next message from rank 0: a task (its bytes, malloc'd, in *buf)
 * or the order to stop.  0, or -1 on an MPI failure. */
int sim_mpi_receive_task(char **buf, int *len, bool *stop);

/* The answer to rank 0: a result's bytes, or (failed) why there is none.
 * 0, or -1 on an MPI failure. */
int sim_mpi_answer(int failed, const void *buf, size_t len);

#endif
