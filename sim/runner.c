/* runner.c - a pool of threads taking replication numbers from a counter,
 * and the result of one replication: the engine's summary, with the
 * measures of the scenario's report (recovery) added, which the engine
 * knows nothing of.
 */
#include "sim/runner.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "sim/report.h"

/* Recovery is measured on the run's time series, so after the run; in
 * summary.json it reads after the classes and before the conservation
 * block, where it has always stood. */
static int add_recovery(const struct sim_scenario *sc, struct sim_result *r)
{
	struct sim_json *arr = sim_json_arr_before(r->body, "recovery", "conservation");
	sim_report_recovery(&sc->report, &r->series, r->complete ? NAN : r->end_s, arr);
	return sim_json_failed(r->body) ? -1 : 0;
}

int sim_run_one(const struct sim_scenario *sc, unsigned rep, const struct sim_limits *limits,
		struct sim_result *out)
{
	*out = (struct sim_result){ 0 };
	struct sim_engine *e = sim_engine_new(sc, rep, limits);
	int rc = e ? sim_engine_run(e, out) : -1;
	sim_engine_free(e);
	/* streamed: the sink ends its files (a failure is its to report) and
	 * leaves the columns recovery reads, freed once it has */
	bool streamed = out->series.sink;
	sim_series_end(&out->series);
	rc = rc < 0 ? -1 : add_recovery(sc, out);
	if (streamed)
		sim_series_fini(&out->series);
	return rc;
}

struct shared {
	const struct sim_scenario *sc;
	const struct sim_limits *limits;
	struct sim_result *results;
	unsigned reps;
	_Atomic double *progress;
	const struct sim_series_sink *const *sinks;
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
		if (s->sinks)
			lim.sink = s->sinks[k];
		if (sim_run_one(s->sc, k + 1, &lim, &s->results[k]) < 0)
			atomic_store(&s->failed, 1);
		if (s->progress)
			atomic_store(&s->progress[k], 1.0);
	}
	return NULL;
}

int sim_run_reps(const struct sim_scenario *sc, unsigned reps, unsigned jobs,
		 const struct sim_limits *limits, struct sim_result *results)
{
	return sim_run_reps_progress(sc, reps, jobs, limits, results, NULL, NULL);
}

int sim_run_reps_progress(const struct sim_scenario *sc, unsigned reps, unsigned jobs,
			  const struct sim_limits *limits, struct sim_result *results,
			  _Atomic double *progress, const struct sim_series_sink *const *sinks)
{
	struct shared s = { .sc = sc, .limits = limits, .results = results, .reps = reps,
			    .progress = progress, .sinks = sinks };
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
