/* runner.h - replications of one scenario, in parallel.
 *
 * Replication k (1-based) runs with streams seeded from (seed, k), on
 * whichever thread is free; results are stored by k, so what is written
 * afterwards does not depend on the number of jobs.  Once limits->interrupt
 * is set no replication begins: those left keep an empty result (no body)
 * whose why says so.
 */
#ifndef SIM_RUNNER_H
#define SIM_RUNNER_H

#include <stdatomic.h>

#include "sim/engine.h"

/* Runs replication rep (1-based) into *out: the engine's summary
 * (sim_engine_run) with the recovery of each of the scenario's criteria.
 * With limits->sink, the series goes to the sink, which is ended here
 * (it reports its own failures) and must keep the columns recovery
 * reads; out->series is then left empty.  Returns 0, or -1 when out of
 * memory; *out can be given to sim_result_fini either way. */
int sim_run_one(const struct sim_scenario *sc, unsigned rep, const struct sim_limits *limits,
		struct sim_result *out);

/* Runs reps replications on up to jobs threads into results[0..reps-1].
 * Returns 0, or -1 when out of memory (results then hold what finished). */
int sim_run_reps(const struct sim_scenario *sc, unsigned reps, unsigned jobs,
		 const struct sim_limits *limits, struct sim_result *results);

/* A result made elsewhere (sim/mpijob.h) with its series kept, handed to
 * sink as sim_run_one would have streamed it: the rows go to the sink,
 * which is ended, and the result keeps no series.  0, or -1 when the
 * sink failed (it says why). */
int sim_result_stream(struct sim_result *r, const struct sim_series_sink *sink);

#endif
