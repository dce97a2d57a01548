/* study_phases.h - a study run in three phases, for sim/batch.c, which
 * runs the replications of many studies as one pool of tasks.
 *
 * study_begin loads the configuration and opens its folder and streams;
 * study_rep runs one replication (any thread, any order); study_end,
 * once every replication has ended, gathers them, writes the files and
 * says the key figures into say.
 */
#ifndef SIM_STUDY_PHASES_H
#define SIM_STUDY_PHASES_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>

#include "sim/engine.h"
#include "sim/outdir.h"
#include "sim/output.h"
#include "sim/study.h"

struct study_state {
	const struct study_spec *spec;
	struct sim_scenario *sc;
	struct sim_outdir od;
	bool opened, streams;
	char where[4096];
	struct sim_result *res;			/* o->reps of them */
	struct sim_output_streams os;
	struct sim_limits limits;
	atomic_int failed;			/* a replication ran out of memory */
	double t0;
};

/* 0, or the exit status of a configuration that cannot run (then give
 * it to study_end, which undoes what was begun). */
int study_begin(const struct study_opts *o, const struct study_spec *spec,
		struct study_state *st);

/* Replication k (0-based) into st->res[k]; progress (or NULL) is kept at
 * the share done. */
void study_rep(struct study_state *st, unsigned k, _Atomic double *progress);

/* The same on another MPI rank (sim/mpijob.h), its series then streamed
 * here: the same result.  When the rank fails (it says why), the
 * replication runs here instead and false is returned: give that rank
 * nothing more. */
bool study_rep_on(const struct study_opts *o, struct study_state *st, unsigned k, int rank);

/* begun: what study_begin returned.  The configuration's exit status
 * (study_run's); *out as study_run's (may be NULL). */
int study_end(const struct study_opts *o, struct study_state *st, int begun, FILE *say,
	      struct study_run *out);

#endif
