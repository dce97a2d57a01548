/* mpijob_none.c - a build without MPI: one rank, always; see mpijob.h. */
#include "sim/mpijob.h"

#include <stdio.h>

int sim_mpi_start(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int sim_mpi_size(void)
{
	return 1;
}

int sim_mpi_rank(void)
{
	return 0;
}

int sim_mpi_serve(void)
{
	return 0;
}

void sim_mpi_stop(void)
{
}

int sim_mpi_run(int rank, const struct sim_mpi_task *t, struct sim_result *out)
{
	(void)rank;
	*out = (struct sim_result){ 0 };
	fprintf(stderr, "sim: %s: this build has no MPI\n", t->label);
	return -1;
}
