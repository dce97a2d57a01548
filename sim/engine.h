/* engine.h - one replication of a scenario: build, run, summarise.
 *
 * The engine owns the clock, the calendar, the item pool, every random
 * stream and every statistic of a run; nothing is global, so several
 * engines can run side by side (one per thread for --jobs).
 */
#ifndef SIM_ENGINE_H
#define SIM_ENGINE_H

#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "sim/json.h"
#include "sim/scenario.h"
#include "sim/series.h"

struct sim_engine;

struct sim_limits {
	uint64_t max_items;	/* items alive at once; 0 none */
	uint64_t max_events;	/* 0 none; counts the operations of
				 * same-instant cascades too (engine.c) */
	double max_wall_s;	/* 0 none */
	const volatile sig_atomic_t *interrupt;	/* stop when non-zero */
	_Atomic double *progress;	/* if set: share of the run done, 0 to 1 */
	const struct sim_series_sink *sink;	/* if set: the series' rows go
						 * there, not kept (sim/series.h) */
	bool one_calendar;	/* independent parts run as one (sim/parts.c):
				 * for tests that compare the two */
};

/* What one replication produced.  The caller owns body and series. */
struct sim_result {
	struct sim_json *body;	/* components, classes, conservation */
	struct sim_series series;
	uint64_t events;
	double end_s;		/* simulated time reached */
	double wall_s;
	bool complete;		/* false: stopped early */
	bool conserved;
	char why[256];		/* why it stopped early */
};

/* NULL when out of memory. */
struct sim_engine *sim_engine_new(const struct sim_scenario *sc, unsigned rep,
				  const struct sim_limits *limits);
void sim_engine_free(struct sim_engine *e);

/* How many calendars the model's independent parts run in now, window by
 * window (sim/parts.c); 0 when they run as one. */
size_t sim_engine_parts(const struct sim_engine *e);
/* Runs one event; false when the run is over. */
bool sim_engine_step(struct sim_engine *e);
/* Runs until simulated time t (or the end, or a stop). */
void sim_engine_run_until(struct sim_engine *e, double t);
double sim_engine_now(const struct sim_engine *e);
/* The time series so far (its columns exist from the start). */
const struct sim_series *sim_engine_series(const struct sim_engine *e);

/* Runs to the end and fills *out; -1 when out of memory. */
int sim_engine_run(struct sim_engine *e, struct sim_result *out);

void sim_result_fini(struct sim_result *r);

#endif
