/* scenario.h - a checked scenario, ready to instantiate.
 *
 * Loading reads the YAML file, merges the chosen variant and the --set
 * overrides, resolves units to seconds, configures every component
 * through its model's `configure` hook and resolves links by name.  Any
 * problem is reported as "file:line:col: error: ..." and loading returns
 * NULL; the loader never aborts on bad input and reports as many errors
 * as it can find in one pass.
 */
#ifndef SIM_SCENARIO_H
#define SIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/arena.h"
#include "sim/diag.h"
#include "sim/node.h"
#include "sim/expect.h"
#include "sim/report.h"
#include "sim/strindex.h"

struct sim_model_ops;

struct sim_component {
	const char *name;
	const struct sim_model_ops *ops;
	void *conf;			/* filled by ops->configure */
	const struct sim_node *at;	/* its name in the file */
	const struct sim_node *map;	/* its keys, after the overrides */
	uint32_t *consumers;		/* components that pull from it */
	size_t nconsumers;
};

struct sim_class {
	const char *name;
	int priority;			/* 0 most important */
};

struct sim_scenario {
	struct sim_arena arena;
	const char *path, *name, *variant;
	double duration, warmup, sample;	/* seconds */
	bool sample_auto;		/* no `sample`: chosen from the duration */
	uint64_t seed;
	struct sim_class *classes;
	const char **class_names;	/* NULL-ended, for suggestions */
	int *class_prio;
	size_t nclasses;
	struct sim_component *comps;
	size_t ncomps;
	struct sim_strindex comp_index;	/* names to index + 1 (sim_scenario_find) */
	const char **variants;		/* defined in the file, NULL-ended */
	size_t nvariants;
	struct sim_report report;	/* window and recovery criteria */
	struct sim_expect *expects;	/* `expect`: goals a run must meet */
	size_t nexpects;
	/* Independent parts: components joined by a link (of any kind) are
	 * in one part; part_of[i] numbers component i's, in the order of
	 * their first components (sim/links.c).  The engine runs several
	 * parts window by window (sim/parts.c). */
	uint32_t *part_of;
	size_t nparts;
	const struct sim_node **columns;	/* column names used by components */
	size_t ncolumns;
	/* `limits`: 0 means the default (items: sized from memory) */
	uint64_t max_items, max_events;
	double max_wall_s;
	const struct sim_node *root;	/* the file as parsed, before overrides */
	/* probable mistakes (sim/sanity.h), "file:line:col: warning: ..." */
	const char **warnings;
	size_t nwarnings;
};

#define SIM_SCENARIO_MAX_WARNINGS 32

struct sim_load_opts {
	const char *variant;		/* NULL or "baseline": no overrides */
	const char *const *sets;	/* "COMPONENT.KEY=VALUE" */
	size_t nsets;
	bool has_seed;
	uint64_t seed;
};

struct sim_scenario *sim_scenario_load(const char *path, const struct sim_load_opts *o,
				       struct sim_diag *diag);

/* The same from a buffer; path names it in messages and locates data files. */
struct sim_scenario *sim_scenario_parse(const char *path, const char *buf, size_t len,
					const struct sim_load_opts *o,
					struct sim_diag *diag);

/* The same file built again with other options (a variant, sets) from
 * base's parsed tree, without reading or parsing it again: checking N
 * variants costs N builds, not N parses.  The result shares base's tree:
 * free it before base. */
struct sim_scenario *sim_scenario_derive(const struct sim_scenario *base,
					 const struct sim_load_opts *o, struct sim_diag *diag);

void sim_scenario_free(struct sim_scenario *sc);

/* Without `sample`, the interval is the first of 1 s, 10 s, 1 min,
 * 10 min, 1 h, 10 h, 100 h, ... that makes at most this many rows. */
#define SIM_SCENARIO_AUTO_ROWS 100000

/* Time-series rows of one replication (a whole number, as a double). */
double sim_scenario_rows(const struct sim_scenario *sc);

/* Index of a component by name, or -1. */
int sim_scenario_find(const struct sim_scenario *sc, const char *name);

#endif
