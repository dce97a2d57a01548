/* mpijob.h - replications run by other processes of an MPI job.
 *
 * Under `mpirun -n K sim ...` (or srun), every rank starts the program;
 * rank 0 does what one process would do, and hands replications to the
 * other ranks, one at a time each, as they become free (a rank asks for
 * more when it has finished: tasks differ in length).  A replication's
 * result comes back bit for bit (sim/wire.h) and rank 0 writes every
 * output, so the bytes are those of a run in one process.  Every rank
 * reads the scenario from the same path: the ranks share a file system,
 * as on a cluster.  Built without MPI (meson -Dmpi=disabled), or started
 * without mpirun, the job has one rank and nothing here does anything.
 */
#ifndef SIM_MPIJOB_H
#define SIM_MPIJOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/engine.h"

/* Joins the MPI job this process was started in, if any.  0, or -1
 * after saying why. */
int sim_mpi_start(int *argc, char ***argv);

/* The ranks of the job (1 alone) and this one's number (0 alone). */
int sim_mpi_size(void);
int sim_mpi_rank(void);

/* A rank other than 0: runs what rank 0 sends until told to stop, then
 * leaves the job.  The exit status. */
int sim_mpi_serve(void);

/* Rank 0: tells the other ranks to stop and leaves the job. */
void sim_mpi_stop(void);

/* One replication of one configuration, as another rank loads it. */
struct sim_mpi_task {
	const char *scenario, *variant;	/* variant NULL: the baseline */
	const char *const *sets;	/* every --set, in order */
	size_t nsets;
	bool has_seed;
	uint64_t seed;
	unsigned rep;			/* 1-based */
	uint64_t max_items, max_events;
	double max_wall_s;
	const char *label;		/* names the task in messages */
};

/* Rank 0, any thread: runs t on rank (1 .. size - 1), waiting for the
 * result without spinning.  0, or -1 after saying which task failed and
 * why (*out then holds no result). */
int sim_mpi_run(int rank, const struct sim_mpi_task *t, struct sim_result *out);

#endif
