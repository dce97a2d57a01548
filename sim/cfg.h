/* cfg.h - reading a component's keys from the scenario, with diagnostics.
 *
 * A model's configure hook reads its keys through these helpers.  Each
 * helper checks type, unit and range, reports any problem as
 * "file:line:col: error: ..." naming the key and the component, and
 * returns -1 (error reported), 0 (key absent: *out keeps the caller's
 * default) or 1 (value stored).  Links to other components are recorded
 * here and resolved by the loader once every component is known.
 */
#ifndef SIM_CFG_H
#define SIM_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/arena.h"
#include "sim/diag.h"
#include "sim/node.h"

enum {
	SIM_CFG_REQUIRED = 1 << 0,
	SIM_CFG_POSITIVE = 1 << 1,	/* strictly greater than 0 */
	SIM_CFG_CONSUMES = 1 << 2,	/* link: this component pulls from the target */
	SIM_CFG_REFERENCE = 1 << 3,	/* link: names the target; no items flow */
	SIM_CFG_UNBOUNDED = 1 << 4,	/* count: "unbounded" is accepted, as UINT64_MAX */
	SIM_CFG_DEFAULTS = 1 << 5,	/* options: an empty value means every default */
};

struct sim_cfg_link {
	const struct sim_node *at;	/* the value naming the target */
	const char *key;		/* "to", "from", ... */
	const char *want;		/* kind required, or NULL: any receiver */
	uint32_t *out;			/* where the target's index goes */
	uint32_t self;
	unsigned flags;
};

/* How a file writes durations, for the warning on bare numbers (seconds)
 * among durations in ms. */
#define SIM_CFG_MAX_BARE 64
struct sim_cfg_units {
	const struct sim_node *bare[SIM_CFG_MAX_BARE];	/* service-like durations
							 * written as bare numbers */
	const char *bare_key[SIM_CFG_MAX_BARE];
	size_t nbare;
	size_t small;		/* durations written in ms or us */
};

struct sim_cfg {
	struct sim_arena *arena;
	struct sim_diag *diag;
	const char *base_dir;		/* of the scenario file, for data files */
	/* the component being configured */
	const char *kind, *name;
	const struct sim_node *at;	/* its name in the file */
	const struct sim_node *map;	/* its keys (a missing key is reported
					 * at `at`; one of a nested map, there) */
	uint32_t self;
	struct sim_cfg_units *units;	/* shared by copies; NULL: not tracked */
	/* classes, known before any component */
	const char *const *class_names;
	const int *class_prio;
	size_t nclasses;
	/* pending links */
	struct sim_cfg_link *links;
	size_t nlinks, cap_links;
	/* names of time-series columns, checked once a run is built */
	const struct sim_node **columns;
	size_t ncolumns, cap_columns;
	bool oom;
};

/* Records that v names a time-series column (checked before the run). */
int sim_cfg_column(struct sim_cfg *c, const struct sim_node *v);

void sim_cfg_error(struct sim_cfg *c, const struct sim_node *at, const char *fmt, ...)
	SIM_PRINTF(3, 4);

/* The value of key in map, or NULL; reports a missing required key. */
const struct sim_node *sim_cfg_value(struct sim_cfg *c, const struct sim_node *map,
				     const char *key, unsigned flags);

/* Checks that map is a map and that each key is in keys (NULL-ended);
 * unknown keys get a "did you mean" suggestion.  what: "producer 'api'". */
int sim_cfg_check_keys(struct sim_cfg *c, const struct sim_node *map,
		       const char *const *keys, const char *what);

/* A component's map of options under key (a backoff, a breaker, ...):
 * true when v is a map to read the keys of.  Anything but a map is
 * reported and sets *bad to -1, except an empty value with
 * SIM_CFG_DEFAULTS (`codel:` alone: every default).  Unknown keys are
 * reported and set *bad to -1, and the map is still read, so its other
 * errors show too.  noun names it in messages: "retry budget" gives
 * "the retry budget of client 'app'". */
bool sim_cfg_options(struct sim_cfg *c, const struct sim_node *v, const char *key,
		     const char *const *keys, const char *noun, unsigned flags, int *bad);

/* The closest candidate within a small edit distance, or NULL. */
const char *sim_suggest(const char *word, const char *const *cands);

/* Joins cands as "a, b, c" into buf. */
void sim_join(char *buf, size_t size, const char *const *cands);

/* A scalar's text, or NULL (error reported) for maps, lists and nothing. */
const char *sim_cfg_scalar(struct sim_cfg *c, const struct sim_node *v,
			   const char *key, const char *expected);

int sim_cfg_duration(struct sim_cfg *c, const struct sim_node *map, const char *key,
		     double *out, unsigned flags);
int sim_cfg_rate(struct sim_cfg *c, const struct sim_node *map, const char *key,
		 double *out, unsigned flags);
int sim_cfg_count(struct sim_cfg *c, const struct sim_node *map, const char *key,
		  uint64_t *out, uint64_t min, uint64_t max, unsigned flags);
int sim_cfg_number(struct sim_cfg *c, const struct sim_node *map, const char *key,
		   double *out, double min, double max, unsigned flags);
/* true or false; 1 when given, 0 when absent (*out unchanged), -1 bad. */
int sim_cfg_bool(struct sim_cfg *c, const struct sim_node *map, const char *key, bool *out);
int sim_cfg_choice(struct sim_cfg *c, const struct sim_node *map, const char *key,
		   const char *const *choices, int *out, unsigned flags);

/* Value-level versions, for lists and nested maps. */
int sim_cfg_duration_of(struct sim_cfg *c, const struct sim_node *v, const char *key,
			double *out, unsigned flags);
int sim_cfg_rate_of(struct sim_cfg *c, const struct sim_node *v, const char *key,
		    double *out, unsigned flags);
int sim_cfg_number_of(struct sim_cfg *c, const struct sim_node *v, const char *key,
		      double *out, double min, double max);

/* A class name; *out gets its index. */
int sim_cfg_class(struct sim_cfg *c, const struct sim_node *v, const char *key,
		  uint16_t *out);

/* Records a link to resolve later.  want: kind name, or NULL for any
 * component that receives items. */
int sim_cfg_link(struct sim_cfg *c, const struct sim_node *map, const char *key,
		 const char *want, uint32_t *out, unsigned flags);

/* The same for a value node (an element of a list). */
int sim_cfg_link_of(struct sim_cfg *c, const struct sim_node *v, const char *key,
		    const char *want, uint32_t *out, unsigned flags);

#endif
