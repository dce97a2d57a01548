/* runner.c - replications on a pool of threads (sim/pool.h), and the
 * result of one replication: the engine's summary, with the measures of
 * the scenario's report (recovery) added, which the engine knows nothing
 * of.
 */
#include "sim/runner.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/pool.h"
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
	atomic_int failed;
};

static void one(void *arg, size_t k, unsigned slot)
{
	(void)slot;
	struct shared *s = arg;
	if (s->limits->interrupt && *s->limits->interrupt) {
		/* stopped: the replications not begun stay empty, and say why */
		snprintf(s->results[k].why, sizeof s->results[k].why,
			 "not run: interrupted before it began");
		return;
	}
	if (sim_run_one(s->sc, (unsigned)k + 1, s->limits, &s->results[k]) < 0)
		atomic_store(&s->failed, 1);
}

int sim_run_reps(const struct sim_scenario *sc, unsigned reps, unsigned jobs,
		 const struct sim_limits *limits, struct sim_result *results)
{
	struct shared s = { .sc = sc, .limits = limits, .results = results };
	atomic_init(&s.failed, 0);
	sim_pool_run(reps, jobs, one, &s);
	return atomic_load(&s.failed) ? -1 : 0;
}

int sim_result_stream(struct sim_result *r, const struct sim_series_sink *sink)
{
	struct sim_series *s = &r->series;
	if (!sink)
		return 0;
	double *t = s->t, *v = s->v;
	size_t nrows = s->nrows;
	s->t = s->v = NULL;
	s->nrows = s->cap_rows = 0;
	s->sink = sink;
	int rc = 0;
	for (size_t i = 0; i < nrows && rc == 0; i++) {
		double *row = sim_series_row(s, t[i]);
		if (row)
			memcpy(row, v + i * s->ncols, s->ncols * sizeof *row);
		else
			rc = -1;
	}
	if (sim_series_end(s) < 0)
		rc = -1;
	sim_series_fini(s);
	free(t);
	free(v);
	return rc;
}
