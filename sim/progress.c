/* progress.c - the progress line; see progress.h. */
#include "sim/progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

double sim_wall_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void *progress_loop(void *arg)
{
	struct sim_progress *p = arg;
	while (!atomic_load(&p->stop)) {
		struct timespec ts = { 0, 100000000 };
		for (int i = 0; i < 5 && !atomic_load(&p->stop); i++)
			nanosleep(&ts, NULL);
		if (atomic_load(&p->stop))
			break;
		double el = sim_wall_now() - p->t0, sum = 0;
		if (el < 1)
			continue;
		for (unsigned k = 0; k < p->reps; k++)
			sum += atomic_load_explicit(&p->done[k], memory_order_relaxed);
		double share = sum / p->reps;
		char eta[64] = "";
		if (share > 0.01)
			snprintf(eta, sizeof eta, ", about %.0f s left", el * (1 - share) / share);
		fprintf(stderr, "\r  %s: %3.0f%% of %u replication%s%s   ", p->name, 100 * share, p->reps,
			p->reps == 1 ? "" : "s", eta);
		fflush(stderr);
		p->shown = true;
	}
	if (p->shown)
		fprintf(stderr, "\r%72s\r", "");
	return NULL;
}

void sim_progress_start(struct sim_progress *p, const char *name, unsigned reps)
{
	p->name = name;
	p->reps = reps;
	p->t0 = sim_wall_now();
	p->done = calloc(p->reps, sizeof *p->done);
	if (!p->done)
		return;
	for (unsigned k = 0; k < p->reps; k++)
		atomic_init(&p->done[k], 0.0);
	atomic_init(&p->stop, false);
	p->started = pthread_create(&p->thread, NULL, progress_loop, p) == 0;
}

void sim_progress_stop(struct sim_progress *p)
{
	if (p->started) {
		atomic_store(&p->stop, true);
		pthread_join(p->thread, NULL);
	}
	free(p->done);
	p->done = NULL;
}
