/* runs.h - what `sim compare` (sim/compare.c) and `sim sweep`
 * (sim/sweep.c) share: their runs, each in a sub-folder of one output
 * folder owned as a whole (sim/outdir.h), the figures of each
 * (sim/figures.h) with the same columns in every row, the short table on
 * the terminal, the expectations of every run, and the parts of NAME.md
 * they have in common.
 */
#ifndef SIM_RUNS_H
#define SIM_RUNS_H

#include <stdbool.h>
#include <stdio.h>

#include "sim/atomic.h"
#include "sim/figures.h"
#include "sim/study.h"

#define SIM_RUNS_MAX 256

/* The runs of a comparison, n of each (heap, sized to the runs). */
struct sim_runs {
	struct study_run *run;
	char (*label)[256];
	char (*sub)[256];	/* each run's folder, relative */
	struct sim_figure_row *rows;
	size_t n;
};

/* Room for cap runs; n counts those filled.  -1 (said) when out of memory. */
int sim_runs_alloc(struct sim_runs *rs, size_t cap);
void sim_runs_free(struct sim_runs *rs);

/* Opens dir/name to be written atomically (sim/atomic.h); NULL on error. */
FILE *sim_runs_open_in(struct sim_atomic *a, const char *dir, const char *name);

/* A folder name for a label: no slashes, spaces, commas or colons. */
void sim_runs_folder(char *dst, size_t size, const char *label);

/* Writes dir's own files of a comparison (NAME.csv, NAME.md, charts);
 * extra is the command's own.  0 or -1. */
typedef int sim_runs_write_fn(const char *dir, struct sim_runs *rs, const struct study_opts *o,
			      const void *extra);

struct sim_runs_plan {
	const char *command, *out, *scenario_name;
	const char *const *variants;		/* compare: per run */
	const char *const (*sets)[8];		/* sweep: per run */
	const size_t *nsets;
	sim_runs_write_fn *write;
	const void *extra;
};

/* Runs rs into the folder p->out (default out/<scenario>, named in dir),
 * one line per run on stderr unless quiet, fills every row's figures,
 * aligned, and writes the comparison's files.  The exit status. */
int sim_runs_owned(const struct study_opts *o, struct sim_runs *rs, const struct sim_runs_plan *p,
		   char *dir, size_t size);

/* The short table on the terminal (sim/terminal.h): rows ranked for a
 * comparison, in their order for a sweep. */
void sim_runs_print_table(const struct sim_runs *rs, const char *const *keynames, size_t nkeys,
			  bool ranked);

/* The expectations of every run: in the page md (NULL: none), on stdout
 * unless quiet, and in o->junit.  The exit status they make: 0, 3 when
 * any is not met, 1 when the JUnit file cannot be written. */
int sim_runs_expectations(FILE *md, const struct sim_runs *rs, const struct study_opts *o,
			  const char *scenario);

/* When a value is bold in NAME.md: a sentence. */
const char *sim_runs_bold_rule(unsigned reps);

/* The charts section of NAME.md: images when drawn, else their scripts. */
void sim_runs_charts_md(FILE *f, char (*names)[96], char (*titles)[160], size_t n, bool drawn,
			bool svg);

#endif
