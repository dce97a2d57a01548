/* runner.c - a pool of threads taking replication numbers from a counter. */
#include "sim/runner.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

struct shared {
	const struct sim_scenario *sc;
	const struct sim_limits *limits;
	struct sim_result *results;
	unsigned reps;
	_Atomic double *progress;
	atomic_uint next;
	atomic_int failed;
};

static void *worker(void *arg)
{
	struct shared *s = arg;
	for (;;) {
		unsigned k = atomic_fetch_add(&s->next, 1);
		if (k >= s->reps)
			break;
		if (s->limits->interrupt && *s->limits->interrupt) {
			/* stopped: the replications not begun stay empty, and
			 * say why */
			snprintf(s->results[k].why, sizeof s->results[k].why,
				 "not run: interrupted before it began");
			continue;
		}
		struct sim_limits lim = *s->limits;
		if (s->progress)
			lim.progress = &s->progress[k];
		struct sim_engine *e = sim_engine_new(s->sc, k + 1, &lim);
		if (!e || sim_engine_run(e, &s->results[k]) < 0)
			atomic_store(&s->failed, 1);
		if (s->progress)
			atomic_store(&s->progress[k], 1.0);
		sim_engine_free(e);
	}
	return NULL;
}

int sim_run_reps(const struct sim_scenario *sc, unsigned reps, unsigned jobs,
		 const struct sim_limits *limits, struct sim_result *results)
{
	return sim_run_reps_progress(sc, reps, jobs, limits, results, NULL);
}

int sim_run_reps_progress(const struct sim_scenario *sc, unsigned reps, unsigned jobs,
			  const struct sim_limits *limits, struct sim_result *results,
			  _Atomic double *progress)
{
	struct shared s = { .sc = sc, .limits = limits, .results = results, .reps = reps,
			    .progress = progress };
	atomic_init(&s.next, 0);
	atomic_init(&s.failed, 0);
	if (jobs > reps)
		jobs = reps;
	if (jobs <= 1) {
		worker(&s);
		return atomic_load(&s.failed) ? -1 : 0;
	}
	pthread_t *t = calloc(jobs, sizeof *t);
	if (!t)
		return -1;
	unsigned started = 0;
	for (; started < jobs; started++)
		if (pthread_create(&t[started], NULL, worker, &s))
			break;
	if (!started)
		worker(&s);
	for (unsigned i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	free(t);
	return atomic_load(&s.failed) ? -1 : 0;
}
