/* mpijob.c - replications run by other ranks of an MPI job; see mpijob.h.
 *
 * Rank 0 runs one thread per other rank (sim/batch.c's pool slots);
 * each sends its rank a task and polls for the answer, so no thread
 * spins in MPI while the ranks simulate.  Calls into MPI are serialised
 * by a lock (MPI_THREAD_SERIALIZED is all this asks of the library).
 * Messages: a task (TAG_TASK, sim/wire.h bytes), the result back
 * (TAG_RESULT) or why there is none (TAG_FAILED, a message), and
 * TAG_STOP at the end.
 */
#include "sim/mpijob.h"
#include "sim/mpijob_private.h"

#include <limits.h>
#include <mpi.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sim/wire.h"

enum { TAG_TASK = 1, TAG_RESULT, TAG_FAILED, TAG_STOP };

/* The job, as joined at start: read-only afterwards. */
static struct {
	bool on;
	int size, rank;
	pthread_mutex_t lock;
} job = { .size = 1, .lock = PTHREAD_MUTEX_INITIALIZER };

/* Set by the launcher in every rank's environment. */
static bool launched_by_mpi(void)
{
	return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMIX_RANK") || getenv("PMI_SIZE");
}

int sim_mpi_start(int *argc, char ***argv)
{
	if (!launched_by_mpi())
		return 0;
	int provided;
	if (MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &provided) != MPI_SUCCESS) {
		fprintf(stderr, "sim: cannot join the MPI job\n");
		return -1;
	}
	if (provided < MPI_THREAD_SERIALIZED) {
		fprintf(stderr, "sim: the MPI library cannot be called from several threads (it provides level %d of MPI_THREAD_SERIALIZED %d)\n",
			provided, MPI_THREAD_SERIALIZED);
		MPI_Abort(MPI_COMM_WORLD, 1);
		return -1;
	}
	MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
	MPI_Comm_size(MPI_COMM_WORLD, &job.size);
	MPI_Comm_rank(MPI_COMM_WORLD, &job.rank);
	job.on = true;
	return 0;
}

int sim_mpi_size(void)
{
	return job.size;
}

int sim_mpi_rank(void)
{
	return job.rank;
}

static void pause_briefly(void)
{
	struct timespec ts = { 0, 1000000 };	/* 1 ms */
	nanosleep(&ts, NULL);
}

/* Waits for a message from rank from (MPI_ANY_SOURCE: any) and takes
 * it: its tag, its bytes (malloc'd, *len of them) in *buf.  -1 on an
 * MPI failure or out of memory. */
static int receive(int from, int *tag, char **buf, int *len)
{
	MPI_Status st;
	int flag = 0, rc;
	for (;;) {
		pthread_mutex_lock(&job.lock);
		rc = MPI_Iprobe(from, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
		if (rc == MPI_SUCCESS && flag)
			break;
		pthread_mutex_unlock(&job.lock);
		if (rc != MPI_SUCCESS)
			return -1;
		pause_briefly();
	}
	MPI_Get_count(&st, MPI_BYTE, len);
	*tag = st.MPI_TAG;
	*buf = malloc((size_t)*len + 1);
	rc = *buf ? MPI_Recv(*buf, *len, MPI_BYTE, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD,
			     MPI_STATUS_IGNORE)
		  : MPI_ERR_NO_MEM;
	pthread_mutex_unlock(&job.lock);
	if (rc != MPI_SUCCESS) {
		free(*buf);
		*buf = NULL;
		return -1;
	}
	(*buf)[*len] = '\0';
	return 0;
}

static int send(int to, int tag, const void *buf, size_t len)
{
	if (len > INT_MAX)
		return -1;
	pthread_mutex_lock(&job.lock);
	int rc = MPI_Send(buf, (int)len, MPI_BYTE, to, tag, MPI_COMM_WORLD);
	pthread_mutex_unlock(&job.lock);
	return rc == MPI_SUCCESS ? 0 : -1;
}

static void put_task(struct sim_wire *w, const struct sim_mpi_task *t)
{
	sim_wire_put_str(w, t->scenario);
	sim_wire_put_str(w, t->variant);
	sim_wire_put_u64(w, t->nsets);
	for (size_t i = 0; i < t->nsets; i++)
		sim_wire_put_str(w, t->sets[i]);
	sim_wire_put_u64(w, t->has_seed);
	sim_wire_put_u64(w, t->seed);
	sim_wire_put_u64(w, t->rep);
	sim_wire_put_u64(w, t->max_items);
	sim_wire_put_u64(w, t->max_events);
	sim_wire_put_f64(w, t->max_wall_s);
	sim_wire_put_str(w, t->label);
}

int sim_mpi_run(int rank, const struct sim_mpi_task *t, struct sim_result *out)
{
	*out = (struct sim_result){ 0 };
	struct sim_wire w = { 0 };
	put_task(&w, t);
	int rc = w.oom ? -1 : send(rank, TAG_TASK, w.buf, w.len);
	sim_wire_fini(&w);
	int tag = 0, len = 0;
	char *buf = NULL;
	if (rc == 0)
		rc = receive(rank, &tag, &buf, &len);
	if (rc < 0)
		fprintf(stderr, "sim: %s: lost MPI rank %d (an MPI call failed)\n", t->label, rank);
	else if (tag == TAG_FAILED)
		fprintf(stderr, "sim: %s: MPI rank %d: %s\n", t->label, rank, buf);
	else if (tag != TAG_RESULT || sim_wire_get_result(buf, (size_t)len, out) < 0)
		fprintf(stderr, "sim: %s: MPI rank %d sent a result that cannot be read (tag %d, %d bytes)\n",
			t->label, rank, tag, len);
	else {
		free(buf);
		return 0;
	}
	free(buf);
	sim_result_fini(out);
	*out = (struct sim_result){ 0 };
	return -1;
}

void sim_mpi_stop(void)
{
	if (!job.on)
		return;
	for (int r = 1; job.rank == 0 && r < job.size; r++)
		send(r, TAG_STOP, "", 0);
	MPI_Finalize();
	job.on = false;
}

int sim_mpi_receive_task(char **buf, int *len, bool *stop)
{
	int tag;
	if (receive(0, &tag, buf, len) < 0)
		return -1;
	*stop = tag == TAG_STOP;
	return 0;
}

int sim_mpi_answer(int failed, const void *buf, size_t len)
{
	if (len > INT_MAX) {
		const char *why = "a result over 2 GiB, too large for one message (raise 'sample')";
		return send(0, TAG_FAILED, why, strlen(why));
	}
	return send(0, failed ? TAG_FAILED : TAG_RESULT, buf, len);
}
