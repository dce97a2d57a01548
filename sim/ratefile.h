/* ratefile.h - traffic replayed from files: a rate series or arrival times.
 *
 * `rate: {file: spike.csv, scale: 2, shift: 30s}` reads rows of time and
 * rate (a header line, blank lines and `#` comments allowed).  Times are
 * durations as everywhere (`120s`, `2m`, bare seconds) or timestamps as a
 * Prometheus or Grafana CSV export writes them (`"Time","likes"` then RFC
 * 3339 times such as `2026-11-30T12:00:00Z`, or epoch seconds or
 * milliseconds); timestamps are taken relative to the first row.  Rates
 * are `900/s` or bare per second.  The rate is linear between rows, holds
 * the first row's value before it and the last row's after it; `scale`
 * multiplies it, `shift` moves it later in the run (earlier if negative).
 *
 * `arrivals: {trace: FILE, shift: 30s}` reads one time per line, in
 * non-decreasing order, the same forms of time: one item at each.
 *
 * The files are data (sim/samples.h): regular files only, bounded in
 * size, line length and rows; an error stands at the scenario's key and
 * names the data file's line, quoting a short escaped excerpt.
 */
#ifndef SIM_RATEFILE_H
#define SIM_RATEFILE_H

#include <stddef.h>

#include "sim/cfg.h"
#include "sim/profile.h"

#define SIM_RATEFILE_MAX_ROWS 1000000
#define SIM_TRACE_MAX_ROWS 10000000

/* Reads the rate map v ({file, scale, shift}) into a profile (arena
 * memory): 0, or -1 after diagnostics. */
int sim_ratefile_load(struct sim_cfg *c, const struct sim_node *v, struct sim_profile *out);

/* Reads the trace map v ({trace, shift}): the arrival times in seconds,
 * shifted, those before 0 left out, sorted (arena memory).  0, or -1
 * after diagnostics. */
int sim_trace_load(struct sim_cfg *c, const struct sim_node *v, double **times, size_t *n);

#endif
