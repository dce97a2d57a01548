/* series.h - the time series of one run: a row of values per sample tick.
 *
 * Columns are named "<component>.<metric>" (or "class:<name>.<metric>");
 * NaN marks an empty cell (no data in that interval) and prints as an
 * empty CSV field.
 *
 * A series keeps its rows in memory, unless it is given a sink: then it
 * keeps one row, the one being filled, and hands each row to the sink
 * when the next is asked for (or at sim_series_end), so a run of any
 * length takes the memory of one row (sim/stream.h writes them to disk).
 *
 * A reduced series (sim/reduce.h) has lo and hi besides v: each of its
 * rows stands for consecutive rows of a longer one, v holding their
 * mean, lo and hi their minimum and maximum.  It keeps them column by
 * column, and a column whose (v, lo, hi) has not changed since its first
 * row keeps only that one triple, most of them shared: an idle
 * component's columns cost a few bytes, not three values a row.  Read it with sim_series_cell.
 */
#ifndef SIM_SERIES_H
#define SIM_SERIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/arena.h"
#include "sim/strindex.h"

struct sim_series_sink;

struct sim_series {
	char **names;		/* ncols, in pool */
	struct sim_arena pool;	/* the names' bytes: a wide model's tens of
				 * thousands of names are not a block each */
	size_t ncols, cap_names;
	double *t;		/* nrows sample times, seconds */
	double *v;		/* nrows x ncols, row-major */
	size_t nrows, cap_rows;
	double **cols;		/* reduced (v is then NULL): per column, v,
				 * lo and hi, cap_rows values each; NULL
				 * while the column has kept same[c] */
	uint32_t *same;		/* reduced: per column, its triple in triples
				 * while cols[c] is NULL */
	double (*triples)[3];	/* the triples of same (v, lo, hi): idle
				 * columns share a few (zeros, empty cells) */
	size_t ntriples, cap_triples;
	bool merged;		/* reduced, and some row stands for several */
	const struct sim_series_sink *sink;	/* NULL: rows kept here */
	bool pending;		/* sink: a row is being filled */
	bool borrowed;		/* names and index belong to the sink now
				 * (which outlives s): fini leaves them */
	struct sim_strindex index;	/* names to column + 1 (sim_series_find) */
};

/* Takes one row of s (its columns are s's): 0, or -1 after writing why
 * into the sink's why.  The sink may take s's names (sim_series_lend):
 * a wide model's tens of thousands of names are then held once. */
typedef int sim_series_row_fn(void *arg, struct sim_series *s, double t,
			      const double *row);
/* The rows are over: 0 or -1 (why).  It may leave in s (columns and
 * rows, sink gone) what it kept of the rows; else s keeps its columns
 * and no row. */
typedef int sim_series_end_fn(void *arg, struct sim_series *s);

struct sim_series_sink {
	sim_series_row_fn *row;
	sim_series_end_fn *end;
	void *arg;
	const char *why;	/* why a call failed: the sink's message */
};

void sim_series_init(struct sim_series *s);
void sim_series_fini(struct sim_series *s);
/* Adds a column named name (copied): 0, or -1 when out of memory.  Not
 * on a series that has lent its names. */
int sim_series_add_col(struct sim_series *s, const char *name);
/* The columns all added: the array of their names shrinks to their
 * number (arrays double as they grow: a third of it may be room). */
void sim_series_fit(struct sim_series *s);
/* Gives to (empty) the names, their pool and index of from, which keeps reading
 * them, borrowed: to must outlive from, or pass them on to a series that
 * does (sim/reduce.h). */
void sim_series_lend(struct sim_series *from, struct sim_series *to);
/* A new row at time t; its values start as NaN.  NULL when out of
 * memory or when the sink failed on the previous row (sim_series_why). */
double *sim_series_row(struct sim_series *s, double t);
/* With a sink: hands it the last row, then ends it.  0, or -1
 * (sim_series_why).  Without: nothing to do, 0. */
int sim_series_end(struct sim_series *s);
/* Why sim_series_row or sim_series_end failed. */
const char *sim_series_why(const struct sim_series *s);
/* Row r of column c: its value, and its minimum and maximum over the
 * rows it stands for (of a series not reduced, the value). */
static inline void sim_series_cell(const struct sim_series *s, size_t r, size_t c,
				   double *v, double *lo, double *hi)
{
	if (!s->cols) {
		*v = *lo = *hi = s->v[r * s->ncols + c];
		return;
	}
	const double *p = s->cols[c];
	if (!p) {
		const double *x = s->triples[s->same[c]];
		*v = x[0];
		*lo = x[1];
		*hi = x[2];
		return;
	}
	*v = p[r];
	*lo = p[s->cap_rows + r];
	*hi = p[2 * s->cap_rows + r];
}

/* Column index by name, or -1. */
int sim_series_find(const struct sim_series *s, const char *name);

void sim_series_write_csv(const struct sim_series *s, FILE *f);

/* CSV pieces, as timeseries.csv writes them (fields by sim/csv.h): the
 * header line (t_s, then the names), a comma and a value (NaN: an empty
 * field), and a row (t, the values, the line's end). */
void sim_series_csv_header(const struct sim_series *s, FILE *f);
void sim_series_csv_cell(FILE *f, double v);
void sim_series_csv_row(FILE *f, double t, const double *row, size_t ncols);

#endif
