/* series.c - time-series rows, kept or handed to a sink, and their CSV
 * form. */
#include "sim/series.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/csv.h"
#include "sim/ring.h"

void sim_series_init(struct sim_series *s)
{
	*s = (struct sim_series){ 0 };
}

void sim_series_fini(struct sim_series *s)
{
	if (!s->borrowed) {
		sim_arena_fini(&s->pool);
		free(s->names);
		sim_strindex_fini(&s->index);
	}
	free(s->t);
	free(s->v);
	for (size_t i = 0; s->cols && i < s->ncols; i++)
		free(s->cols[i]);
	free(s->cols);
	free(s->same);
	free(s->triples);
	*s = (struct sim_series){ 0 };
}

int sim_series_add_col(struct sim_series *s, const char *name)
{
	assert(!s->borrowed);
	void *v = s->names;
	if (s->ncols == s->cap_names &&
	    sim_array_grow(&v, s->ncols, &s->cap_names, sizeof *s->names, 16) < 0)
		return -1;
	char **n = s->names = v;
	if (!(n[s->ncols] = sim_arena_strdup(&s->pool, name)))
		return -1;
	/* out of memory, the index is off and sim_series_find walks */
	sim_strindex_add(&s->index, n[s->ncols], s->ncols + 1);
	s->ncols++;
	return 0;
}

void sim_series_fit(struct sim_series *s)
{
	if (s->borrowed || !s->ncols || s->ncols == s->cap_names)
		return;
	char **n = realloc(s->names, s->ncols * sizeof *n);
	if (n) {
		s->names = n;
		s->cap_names = s->ncols;
	}
}

void sim_series_lend(struct sim_series *from, struct sim_series *to)
{
	assert(!from->borrowed && !to->names && !to->ncols);
	to->names = from->names;
	to->ncols = from->ncols;
	to->cap_names = from->cap_names;
	to->index = from->index;
	to->pool = from->pool;
	from->borrowed = true;
}

/* Sink: the row filled before goes to the sink; the one buffer is
 * filled again. */
static double *sink_row(struct sim_series *s, double t)
{
	if (s->pending) {
		s->pending = false;
		if (s->sink->row(s->sink->arg, s, s->t[0], s->v) < 0)
			return NULL;
	}
	if (!s->cap_rows) {
		s->t = malloc(sizeof *s->t);
		s->v = malloc((s->ncols ? s->ncols : 1) * sizeof *s->v);
		if (!s->t || !s->v)
			return NULL;
		s->cap_rows = 1;
	}
	for (size_t i = 0; i < s->ncols; i++)
		s->v[i] = NAN;
	s->t[0] = t;
	s->pending = true;
	return s->v;
}

double *sim_series_row(struct sim_series *s, double t)
{
	if (s->sink)
		return sink_row(s, t);
	if (s->nrows == s->cap_rows) {
		size_t cap = s->cap_rows ? 2 * s->cap_rows : 64;
		double *nt = realloc(s->t, cap * sizeof *nt);
		if (!nt)
			return NULL;
		s->t = nt;
		double *nv = realloc(s->v, cap * (s->ncols ? s->ncols : 1) * sizeof *nv);
		if (!nv)
			return NULL;
		s->v = nv;
		s->cap_rows = cap;
	}
	double *row = &s->v[s->nrows * s->ncols];
	for (size_t i = 0; i < s->ncols; i++)
		row[i] = NAN;
	s->t[s->nrows++] = t;
	return row;
}

int sim_series_end(struct sim_series *s)
{
	const struct sim_series_sink *k = s->sink;
	if (!k)
		return 0;
	int rc = s->pending ? k->row(k->arg, s, s->t[0], s->v) : 0;
	free(s->t);
	free(s->v);
	s->t = s->v = NULL;
	s->cap_rows = 0;
	s->pending = false;
	s->sink = NULL;
	/* ended even after a failure: the sink closes its files */
	return k->end(k->arg, s) < 0 || rc < 0 ? -1 : 0;
}

const char *sim_series_why(const struct sim_series *s)
{
	if (s->sink && s->sink->why && s->sink->why[0])
		return s->sink->why;
	return "out of memory for the time series";
}

int sim_series_find(const struct sim_series *s, const char *name)
{
	if (sim_strindex_on(&s->index) && s->index.n)
		return (int)sim_strindex_get(&s->index, name) - 1;
	for (size_t i = 0; i < s->ncols; i++)
		if (!strcmp(s->names[i], name))
			return (int)i;
	return -1;
}

void sim_series_csv_header(const struct sim_series *s, FILE *f)
{
	fputs("t_s", f);
	for (size_t c = 0; c < s->ncols; c++) {
		fputc(',', f);
		sim_csv_field(f, s->names[c]);
	}
	fputc('\n', f);
}

void sim_series_csv_cell(FILE *f, double v)
{
	fputc(',', f);
	sim_csv_num(f, v);
}

/* A row is formatted into this many bytes at a time, then written: a
 * wide model's row has tens of thousands of cells, and a stdio call for
 * each (the comma, the number) cost as much as formatting it. */
#define ROW_CHUNK 4096

void sim_series_csv_row(FILE *f, double t, const double *row, size_t ncols)
{
	char buf[ROW_CHUNK];
	size_t n = 0;
	for (size_t c = 0; c <= ncols; c++) {
		if (n > ROW_CHUNK - 1 - SIM_CSV_NUM_MAX) {	/* room for a comma and a cell */
			fwrite(buf, 1, n, f);
			n = 0;
		}
		double v = c ? row[c - 1] : t;
		if (c)
			buf[n++] = ',';
		n += sim_csv_num_text(buf + n, v);
	}
	buf[n++] = '\n';
	fwrite(buf, 1, n, f);
}

void sim_series_write_csv(const struct sim_series *s, FILE *f)
{
	sim_series_csv_header(s, f);
	for (size_t r = 0; r < s->nrows; r++)
		sim_series_csv_row(f, s->t[r], &s->v[r * s->ncols], s->ncols);
}
