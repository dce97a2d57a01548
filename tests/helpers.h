/* helpers.h - shared test plumbing: scenarios from strings, replicated runs
 * with confidence intervals, and running the `sim` program. */
#ifndef TEST_HELPERS_H
#define TEST_HELPERS_H

#include <stddef.h>
#include <sys/types.h>

#include "sim/engine.h"
#include "sim/scenario.h"

struct sim_json;

/* Loads a scenario from text; NULL on error (diagnostics on stderr). */
struct sim_scenario *th_load(const char *yaml, const char *variant);

/* Loads, reports diagnostics into buf (size bytes); returns error count. */
int th_errors(const char *yaml, char *buf, size_t size);

/* The same with a file name and load options (a variant, --set values);
 * 0 exactly when the scenario loads. */
int th_errors_with(const char *file, const char *yaml, const struct sim_load_opts *o,
		   char *buf, size_t size);

struct th_runs {
	struct sim_scenario *sc;
	struct sim_result *res;
	unsigned reps;
};

/* Runs reps replications on 2 threads; aborts the test on failure. */
void th_run(struct th_runs *r, const char *yaml, const char *variant, unsigned reps);

/* The same with load options (a variant, --set values). */
void th_run_with(struct th_runs *r, const char *yaml, const struct sim_load_opts *o,
		 unsigned reps);
void th_runs_free(struct th_runs *r);

struct th_est {
	double mean, ci95, rel;	/* rel: ci95 / |mean| */
	size_t n;
};

/* Mean and Student-t 95% half-width of a summary number over the
 * replications; path is dotted: "components.line.mean_wait_s". */
struct th_est th_estimate(const struct th_runs *r, const char *path);

/* A summary tree as sim_json_write prints it (malloc'd). */
char *th_json_text(const struct sim_json *j);

/* The number at a dotted path in one replication. */
double th_value(const struct sim_result *res, const char *path);

/* Asserts theory lies within 2 half-widths (about a 99.9% interval) and the
 * half-width is within rel_precision of theory; prints the figures. */
void th_check(const struct th_runs *r, const char *path, double theory, double rel_precision);

/* Runs the sim program (path from the environment) with args, from the
 * source root; captures stdout and stderr (malloc'd).  Returns the exit
 * status, 128+signal if killed. */
int th_sim(const char *const *args, char **out, char **err);

/* Starts the sim program with args (NULL-ended, at most 30) from the
 * source root, in the background, input and output /dev/null, PATH set
 * from th_sim_path when set.  Returns its pid; waiting is the caller's. */
pid_t th_sim_start(const char *const *args);

/* A fresh temporary folder named into buf (at least 64 bytes), and its
 * removal with everything in it: the fixture of the end-to-end tests. */
void th_tmpdir(char *buf, const char *prefix);
void th_rmtree(const char *dir);

/* Reads a whole file (malloc'd), NULL if it cannot. */
char *th_read(const char *path, size_t *len);

/* The same for dir/name. */
char *th_read_in(const char *dir, const char *name);

const char *th_source_root(void);

/* The text of scenarios/NAME (malloc'd); aborts the test if unreadable. */
char *th_example(const char *name);

/* When set, th_sim runs the program with this PATH (to hide gnuplot). */
extern const char *th_sim_path;

#endif
