/* study.h - one configuration of a scenario, run the way users run it.
 *
 * A study run loads the scenario (a variant, --set overrides), checks it,
 * runs the replications, writes summary.json, timeseries.csv, the charts
 * and report.md into its folder, and prints the key figures.  `sim run` is
 * one study run; `sim compare` and `sim sweep` are several, one folder
 * each, compared afterwards from what each kept in memory.
 */
#ifndef SIM_STUDY_H
#define SIM_STUDY_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/json.h"
#include "sim/scenario.h"
#include "sim/series.h"

struct study_opts {
	const char *scenario;
	const char *const *sets;	/* user --set, before any of the study's own */
	size_t nsets;
	bool has_seed;
	uint64_t seed;
	unsigned reps, jobs;
	bool quiet, no_plots, svg;
	const char *junit;	/* compare, sweep: the expectations' JUnit XML */
	unsigned charts_at_once;	/* a run's charts drawn at once (0: one) */
	unsigned at_once;	/* replications of all configurations running
				 * at once, for the memory budget (0: this
				 * configuration's, up to jobs) */
	bool nested;		/* the folder lies inside one the caller owns
				 * (compare, sweep): written in place, no lock */
	const volatile sig_atomic_t *interrupt;
};

struct study_run {
	struct sim_scenario *sc;
	struct sim_json *summary;
	struct sim_series series;	/* the mean over replications */
	char dir[4096];
	/* each replication's verdicts, in order: {"reps": [{"complete":
	 * bool, "recovery": [...]}, ...]} (sim/report.h; no "recovery" for
	 * one that never ran), for judging replications one by one */
	struct sim_json *reps;
};

/* One configuration among several run together (study_run_all). */
struct study_spec {
	const char *variant;		/* NULL: the baseline */
	const char *const *sets;	/* after o->sets */
	size_t nsets;
	const char *dir;		/* NULL: out/<scenario name> */
	const char *shown;		/* where dir will be once its parent is
					 * moved into place, for messages;
					 * NULL: dir */
	bool stop_told;			/* the caller says whether it stopped
					 * early (study_say_stopped) */
	const char *label;		/* said on stderr as it begins (even when
					 * o->quiet); NULL: nothing said */
	const char *name;		/* names it in messages; NULL: label, or
					 * the variant */
};

/* Runs the n configurations as one pool of tasks, each replication of
 * each configuration a task, o->jobs of them at once whatever their mix,
 * taken in order; a configuration's files are written (charts drawn) by
 * whichever thread ends its last replication, while others simulate.
 * outs (NULL, or n of them) and rcs[i] as study_run's out and status
 * for spec i; what is said on stdout comes in the order of the specs.
 * Once a configuration cannot run (2) or the run is interrupted, those
 * not yet begun are not begun: their rcs are -1. */
void study_run_all(const struct study_opts *o, const struct study_spec *specs, size_t n,
		   struct study_run *outs, int *rcs);

/* Runs one configuration into dir, which the run owns (sim/outdir.h)
 * unless o->nested.  Returns the exit status it deserves: 0, 1 (I/O, a
 * limit, out of memory), 2 (scenario error, or a folder it may not
 * replace; nothing run), 128 + signal (interrupted; outputs so far
 * written, marked incomplete).  On 0 and 1 the
 * run's summary, series and scenario are kept in *out (free them with
 * study_run_fini); out may be NULL. */
int study_run(const struct study_opts *o, const char *variant, const char *const *extra_sets,
	      size_t nextra, const char *dir, struct study_run *out);
/* The same, of one spec. */
int study_run_spec(const struct study_opts *o, const struct study_spec *spec,
		   struct study_run *out);

/* When summary says its run stopped early, says so on stderr, naming
 * where its outputs are, and returns true. */
bool study_say_stopped(const struct sim_json *summary, const char *where);

void study_run_fini(struct study_run *r);

/* Checks the report's metrics against the columns a run would have:
 * the number of errors, reported to diag. */
int study_check_metrics(const struct sim_scenario *sc, struct sim_diag *diag);

/* Loads the scenario as the options say (no variant), reporting errors:
 * for names and defaults before a study.  NULL on error. */
struct sim_scenario *study_load(const struct study_opts *o);
/* The same, for a variant (NULL: the baseline). */
struct sim_scenario *study_load_variant(const struct study_opts *o, const char *variant);

#endif
