/* boundary_private.h - what the parts of `sim boundary` share: the keys,
 * the points run, the searches (one per value of the second key).
 *
 * sim/boundary.c runs the command, sim/bkeys.c reads and checks the keys,
 * sim/bpoints.c keeps the points (judged
 * from each run, written to and read back from boundary.csv),
 * sim/bwrite.c writes boundary.md, boundary.json and the terminal lines,
 * plots/boundary.c draws the charts.
 */
#ifndef SIM_BOUNDARY_PRIVATE_H
#define SIM_BOUNDARY_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sim/bisect.h"
#include "sim/boundary.h"
#include "sim/scenario.h"
#include "sim/study.h"

enum bnd_reading { BND_NUMBER, BND_RATE, BND_DURATION, BND_COUNT };

struct bnd_key {
	char name[256];
	double lo, hi;			/* base units: per second, seconds */
	enum bnd_reading how;
	bool whole;			/* the scenario takes whole numbers only */
	double base;			/* a schedule entry's rate: the producer's
					 * own rate (NaN: none, or not known) */
	char lasting[64];		/* its `for`, as written ("" if none) */
};

#define BND_VALUE_LEN 64

struct bnd_point {
	char value[2][BND_VALUE_LEN];	/* as given to --set */
	double x[2];
	unsigned n, k;			/* replications, recovered */
	unsigned stopped;		/* of them, stopped by a limit */
	double median_s;		/* median recovery time; NaN when at
					 * most half recovered */
	bool reused;			/* read back from boundary.csv */
};

/* One search: the first key, at one value of the second (if any). */
struct bnd_line {
	char value2[BND_VALUE_LEN];
	double x2;
	struct sim_bisect_result res;
	bool done;			/* run to its end (not interrupted) */
};

struct bnd {
	const struct study_opts *o;
	const struct sim_boundary_args *a;
	struct sim_scenario *sc;	/* the base, for names and the seed */
	struct bnd_key key[2];
	size_t nkeys;
	double tol, level;
	size_t budget;
	bool criterion_added;		/* --criterion is a column, not a criterion */
	struct bnd_point *pts;		/* in the order run */
	size_t npts, cap;
	struct bnd_point *old;		/* a previous search's, to reuse */
	size_t nold, reused;
	struct bnd_line *lines;
	size_t nlines;
	char target[4096], staging[4096];
	char inputs_hash[24];
};

/* "KEY=LO..HI" into k (name, range, reading): 0, or 2 after `error:`. */
int bnd_key_parse(const char *arg, const char *scenario, struct bnd_key *k);

/* Checks key k against the scenario (numeric, loads at both ends), and
 * finds whether it takes whole numbers only and the spike it stands for.
 * 0, or 2 (said). */
int bnd_key_check(struct bnd *b, struct bnd_key *k);

/* The scenario with the search's variant and --set, and extra (nextra
 * "KEY=VALUE"); errors to diag_out (NULL: none).  NULL on error. */
struct sim_scenario *bnd_load(const struct bnd *b, const char *const *extra, size_t nextra,
			      FILE *diag_out);

/* The value x of key k written for --set (buf of BND_VALUE_LEN), and the
 * value the scenario will see (read back from that text). */
double bnd_value_set(const struct bnd_key *k, double x, char *buf);

/* The value x of key k for people: "2712/s", "250 ms", "3.5": three
 * significant digits, or more when values width apart (0: none) would
 * read alike. */
void bnd_value_show(const struct bnd_key *k, double x, double width, char *buf, size_t size);

/* The unit of key k's values for an axis: "per second", "s", "". */
const char *bnd_key_unit(const struct bnd_key *k);

/* Judges a run's replications into p (n, k, stopped, median_s): a
 * replication recovered when it ran to its end and every criterion
 * (only metric's, when not NULL) did. */
void bnd_judge(const struct study_run *run, const char *metric, unsigned reps,
	       struct bnd_point *p);

/* Appends p to b's points: 0, or -1 when out of memory (said). */
int bnd_points_add(struct bnd *b, const struct bnd_point *p);

/* A previous search's point with the values of want and reps
 * replications, or NULL. */
const struct bnd_point *bnd_points_find(const struct bnd *b, const struct bnd_point *want,
					unsigned reps);

/* Opens dir/name to be written whole (sim/atomic.h); NULL (said). */
struct sim_atomic;
FILE *bnd_open(struct sim_atomic *a, const char *dir, const char *name);

/* Writes b's points as boundary.csv into dir: 0, or -1 (said). */
int bnd_points_write(const struct bnd *b, const char *dir);

/* Reads the points of dir/boundary.csv into b->old (none when there is
 * no such file).  0, or -1 when the file is not one this search wrote
 * (said, and nothing read). */
int bnd_points_read(struct bnd *b, const char *dir);

/* The folder of point p under points/: "rate=1200_s". */
void bnd_point_folder(const struct bnd *b, const struct bnd_point *p, char *buf, size_t size);

/* boundary.md, boundary.json (and the charts, through plots/boundary.h)
 * into dir: 0, or -1 (said).  interrupted: the search did not finish. */
int bnd_write(const struct bnd *b, const char *dir, bool interrupted);

/* The verdict on the terminal, one line per search. */
void bnd_print(const struct bnd *b, FILE *f, const char *dir);

/* The sentence of search line l into buf: "recovers up to ...". */
void bnd_sentence(const struct bnd *b, const struct bnd_line *l, char *buf, size_t size);

#endif
