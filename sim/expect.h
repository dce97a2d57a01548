/* expect.h - expectations: the goals a run must meet, for CI gates.
 *
 * A scenario's top-level `expect:` (or a variant's, which replaces it) is
 * a list of checks on the run's summary:
 *   {metric: COMPONENT.METRIC[.KEY], below: V} (or above: V)
 *   {metric: class:NAME.METRIC[.KEY], below: V}
 *   {recovered: CRITERION_METRIC, within: D}
 * Bounds take the metric's unit (100ms, 5/s, 2%, 1.5).  With
 * replications an expectation holds only when the whole 95% interval is
 * on the right side of the bound; an interval that straddles it is
 * "uncertain", and counts as not met.  `sim run`, `compare` and `sweep`
 * exit with status 3 when any expectation is not met, after writing
 * every output.
 */
#ifndef SIM_EXPECT_H
#define SIM_EXPECT_H

#include <stdbool.h>
#include <stdio.h>

#include "sim/cfg.h"
#include "sim/describe.h"
#include "sim/json.h"

struct sim_scenario;

enum sim_expect_kind { SIM_EXPECT_BELOW, SIM_EXPECT_ABOVE, SIM_EXPECT_RECOVERED };

struct sim_expect {
	enum sim_expect_kind kind;
	const char *metric;	/* as written */
	const char *path[5];	/* in summary.json, NULL-ended */
	double bound;		/* below/above, or within (seconds) */
	const char *bound_text;	/* as written */
	enum sim_unit unit;	/* of the metric */
};

/* Reads the list v (NULL: none) into sc->expects; arena memory.  The
 * scenario's components, classes and recovery criteria must be known. */
int sim_expect_cfg(struct sim_scenario *sc, struct sim_cfg *c, const struct sim_node *v);

/* Judges each expectation of sc on summary (one run, or the aggregate
 * of replications), appends "expectations" to it and returns how many
 * were not met. */
int sim_expect_judge(const struct sim_scenario *sc, struct sim_json *summary);

/* How many of the verdicts in summary say not met. */
int sim_expect_unmet(const struct sim_json *summary);

/* The table of verdicts of summary, for people (nothing without any). */
void sim_expect_print(FILE *f, const struct sim_json *summary);

/* The same as a Markdown section of report.md. */
void sim_expect_markdown(FILE *f, const struct sim_json *summary);

/* The verdicts of several runs (a comparison's variants, a sweep's
 * points): a section of compare.md or sweep.md, and lines on f for the
 * runs that missed any (f NULL: none).  The number not met in all. */
int sim_expect_runs(FILE *md, FILE *f, const char *const *labels,
		    const struct sim_json *const *summaries, size_t n);

/* A JUnit XML report: one test suite per run (summaries[i] of variant
 * names[i]), one test case per expectation.  0 or -1 (I/O). */
int sim_expect_junit(const char *path, const char *scenario, const char *const *names,
		     const struct sim_json *const *summaries, size_t n);

#endif
