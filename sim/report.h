/* report.h - the overload window and the recovery criteria of a scenario.
 *
 *   report:
 *     window: {from: 2m, to: 3m}
 *     recovery:
 *       - {metric: analytics-q.oldest_age_s, below: 5s, hold: 30s}
 *
 * Recovery time of a criterion: the first sample time t >= window.to from
 * which the metric stays <= below for `hold`, minus window.to (to the
 * resolution of `sample`).  If the run ends first, it did not recover;
 * if it was stopped first (a limit), recovery was not judged.
 * Without `below`: the p99 of the metric's samples up to window.from
 * (nearest rank; their mean if that is larger), plus 10% of it, and at
 * least plus 1.  Without `hold`: 30 s.  Without
 * `window`: the span of the producers' schedules.  Without `recovery`:
 * every queue's depth.  Empty cells (no data in an interval) count as not
 * recovered.
 */
#ifndef SIM_REPORT_H
#define SIM_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/cfg.h"
#include "sim/json.h"
#include "sim/series.h"

struct sim_recovery {
	const char *metric;		/* a time-series column */
	const struct sim_node *at;	/* where it was named, for errors */
	double below;			/* NaN: derived from before the window */
	double hold;			/* seconds */
};

struct sim_report {
	bool has_window;
	double from, to;		/* seconds */
	struct sim_recovery *crit;
	size_t ncrit;
	bool explicit_crit;		/* given in the file, not the default */
};

/* Reads `report` (may be absent) into r; arena memory. */
int sim_report_cfg(struct sim_cfg *c, const struct sim_node *v, struct sim_report *r);

/* Checks each criterion's metric against the columns of a run; reports
 * unknown ones with a suggestion.  Returns the number of errors. */
int sim_report_check(const struct sim_report *r, const struct sim_series *s,
		     struct sim_diag *diag);

/* The same for column names components refer to (autoscaling signals). */
int sim_report_check_columns(const struct sim_node *const *cols, size_t n,
			     const struct sim_series *s, struct sim_diag *diag);

/* Appends one object per criterion to arr: metric, window, below (and
 * below_default, pre_window_p99 when derived), hold_s, recovery_time_s,
 * recovered, and judged (false when the run was stopped at stopped_at,
 * NaN for a run that reached its end, before the criterion recovered). */
void sim_report_recovery(const struct sim_report *r, const struct sim_series *s,
			 double stopped_at, struct sim_json *arr);

#endif
