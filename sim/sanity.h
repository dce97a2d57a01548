/* sanity.h - warnings about scenarios that load but are probably not
 * what their author meant (a service time of 5 seconds among values in
 * milliseconds, a pool that can never keep up).  They go to stderr from
 * `sim check` and before a run, leave the exit status alone (`--strict`
 * makes them errors) and are silenced by `--quiet`.  A scenario that
 * shows such a mistake on purpose (a retry storm) names the warnings it
 * expects in its top-level `allow` list, and they are not given.
 */
#ifndef SIM_SANITY_H
#define SIM_SANITY_H

#include "sim/cfg.h"

struct sim_scenario;

/* The warnings, each with the name `allow` knows it by. */
enum sim_warning {
	SIM_WARN_BARE_SECONDS,		/* "bare-seconds" */
	SIM_WARN_OVERLOAD,		/* "overload" */
	SIM_WARN_TIMEOUT,		/* "timeout-below-service" */
	SIM_WARN_RETRY,			/* "retry-without-backoff" */
	SIM_WARN_FIXED_METRIC,		/* "fixed-recovery-metric" */
	SIM_WARN_COUNT
};

/* The names, NULL-ended, in the order of enum sim_warning. */
const char *const *sim_sanity_names(void);

struct sim_sanity {
	struct sim_scenario *sc;
	unsigned allowed;		/* 1 << enum sim_warning */
};

/* Reads `allow` (NULL: none) and adds every warning of the loaded
 * scenario sc, but those allowed; 0, or -1 after an error (reported
 * through c) or when out of memory. */
int sim_sanity_run(struct sim_scenario *sc, struct sim_cfg *c, const struct sim_node *allow,
		   const struct sim_cfg_units *u);

/* Adds the warning "file:line:col: warning: TEXT [NAME]" at node at,
 * unless allowed; 0, or -1 when out of memory. */
int sim_sanity_warn(struct sim_sanity *s, enum sim_warning w, const struct sim_node *at,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The checks of sim/lint.c, on the models' facts. */
int sim_lint_run(struct sim_sanity *s);

#endif
