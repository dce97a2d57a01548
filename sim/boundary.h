/* boundary.h - `sim boundary`: the trigger at which recovery fails.
 *
 * For one --vary KEY=LO..HI (a spike's rate or length, a pause, a
 * slowdown, a backlog) it finds the value at which the share of
 * replications that recover falls through a level (50% by default), by
 * bisection (sim/bisect.h), every point run with the same seeds (common
 * random numbers) into a folder of its own.  With a second --vary it
 * does that for several values of the second key: a map of the region
 * with its boundary curve.  A replication recovers when it ran to its end
 * and every criterion of the scenario's report (or the one --criterion
 * names) recovered; one stopped by a limit did not.  Outputs, in the
 * output folder: boundary.csv (every point), boundary.md (the sentence to
 * quote), boundary.json (the same for programs, and what the search was
 * run with), the charts, and points/ (each point's own run).  A search
 * run again with the same scenario and options reads back the points of
 * boundary.csv instead of running them again.
 */
#ifndef SIM_BOUNDARY_H
#define SIM_BOUNDARY_H

#include <stddef.h>

#include "sim/study.h"

struct sim_boundary_args {
	const char *const *varies;	/* each "KEY=LO..HI" */
	size_t nvaries;
	const char *variant;		/* NULL: baseline */
	const char *criterion;		/* NULL: every criterion */
	const char *tol, *level, *budget;	/* as written; NULL: default */
	const char *out;		/* NULL: out/<scenario name> */
};

/* Runs the search.  The exit status: 0 (also when the range holds no
 * crossing: the outputs say so), 1 (I/O, out of memory), 2 (bad input,
 * said as `error:` on stderr), 128 + signal (interrupted; the points run
 * so far written, to resume from). */
int sim_boundary(const struct study_opts *o, const struct sim_boundary_args *a);

#endif
