/* progress.h - how far a run has got, on stderr when it is a terminal.
 *
 * For runs longer than a second: one line ("likes-spike:  40% of 8
 * replications, about 12 s left"), redrawn twice a second by a thread of
 * its own from the share of each replication done, erased at the end.
 */
#ifndef SIM_PROGRESS_H
#define SIM_PROGRESS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

struct sim_progress {
	const char *name;
	unsigned reps;
	double t0;
	_Atomic double *done;		/* per replication, 0 to 1; NULL: not shown */
	pthread_t thread;
	atomic_bool stop;
	bool started, shown;
};

/* The monotonic clock, in seconds. */
double sim_wall_now(void);

/* Starts showing progress of reps replications of name (p->done then
 * holds their shares); nothing is shown when memory or a thread lacks. */
void sim_progress_start(struct sim_progress *p, const char *name, unsigned reps);
/* Stops and erases the line; frees p->done. */
void sim_progress_stop(struct sim_progress *p);

#endif
