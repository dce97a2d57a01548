/* reduce.c - buckets of consecutive rows: mean time, and each column's
 * mean, minimum and maximum.  The invariant: out holds the closed
 * buckets, in order; the open one is in the accumulators. */
#include "sim/reduce.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/ring.h"

/* The accumulators of a bucket: 0, or -1 when out of memory. */
static int accumulators(struct sim_reduce *r)
{
	size_t nc = r->out.ncols ? r->out.ncols : 1;
	r->sum = malloc(nc * sizeof *r->sum);
	r->min = malloc(nc * sizeof *r->min);
	r->max = malloc(nc * sizeof *r->max);
	r->n = calloc(nc, sizeof *r->n);
	return r->sum && r->min && r->max && r->n ? 0 : -1;
}

int sim_reduce_init(struct sim_reduce *r, const struct sim_series *cols, size_t expected_rows)
{
	*r = (struct sim_reduce){ .expected = expected_rows ? expected_rows : 1 };
	sim_series_init(&r->out);
	size_t nc = cols->ncols ? cols->ncols : 1;
	size_t cap = r->expected < SIM_REDUCE_BUCKETS ? r->expected : SIM_REDUCE_BUCKETS;
	r->out.ncols = cols->ncols;	/* named at the end */
	r->out.t = malloc(cap * sizeof *r->out.t);
	r->out.cols = calloc(nc, sizeof *r->out.cols);
	r->out.same = malloc(nc * sizeof *r->out.same);
	r->out.cap_rows = cap;
	/* a bucket per row: the rows go straight in (32 bytes a column less) */
	r->direct = r->expected <= SIM_REDUCE_BUCKETS;
	if (r->out.t && r->out.cols && r->out.same && (r->direct || accumulators(r) == 0))
		return 0;
	sim_reduce_fini(r);
	return -1;
}

void sim_reduce_fini(struct sim_reduce *r)
{
	sim_series_fini(&r->out);
	free(r->sum);
	free(r->min);
	free(r->max);
	free(r->n);
	*r = (struct sim_reduce){ 0 };
}

/* The index of triple x in o's triples, added unless it is among the
 * first or last few (where the zeros and empty cells of idle columns
 * are); -1 when out of memory. */
static long triple(struct sim_series *o, const double x[3])
{
	enum { LOOK = 8 };
	size_t n = o->ntriples;
	for (size_t i = 0; i < n; i = i + 1 == LOOK && n > 2 * LOOK ? n - LOOK : i + 1)
		if (!memcmp(o->triples[i], x, sizeof o->triples[i]))
			return (long)i;
	void *v = o->triples;
	if (n == o->cap_triples &&
	    sim_array_grow(&v, n, &o->cap_triples, sizeof *o->triples, 16) < 0)
		return -1;
	o->triples = v;
	memcpy(o->triples[n], x, sizeof o->triples[n]);
	return (long)o->ntriples++;
}

/* Puts x (v, lo, hi) at row k of column c: into its triple while the
 * column keeps one, else into its rows, made when it first changes.  0,
 * or -1 when out of memory. */
static int put(struct sim_series *o, size_t k, size_t c, const double x[3])
{
	double *p = o->cols[c];
	if (!p) {
		if (k > 0 && !memcmp(o->triples[o->same[c]], x, sizeof o->triples[0]))
			return 0;
		if (k == 0) {
			long t = triple(o, x);
			if (t < 0)
				return -1;
			o->same[c] = (uint32_t)t;
			return 0;
		}
		if (!(p = o->cols[c] = malloc(3 * o->cap_rows * sizeof *p)))
			return -1;
		const double *same = o->triples[o->same[c]];
		for (size_t j = 0; j < k; j++)
			for (size_t w = 0; w < 3; w++)
				p[w * o->cap_rows + j] = same[w];
	}
	for (size_t w = 0; w < 3; w++)
		p[w * o->cap_rows + k] = x[w];
	return 0;
}

/* The open bucket becomes the next row of out: 0, or -1 when out of
 * memory (the reduction then stops, its rows so far kept). */
static int close_bucket(struct sim_reduce *r)
{
	if (!r->tn)
		return 0;
	size_t nc = r->out.ncols, k = r->out.nrows;
	for (size_t c = 0; c < nc; c++) {
		bool any = r->n[c] > 0;
		double x[3] = { any ? r->sum[c] / (double)r->n[c] : NAN, any ? r->min[c] : NAN,
				any ? r->max[c] : NAN };
		if (put(&r->out, k, c, x) < 0)
			return -1;
	}
	r->out.t[k] = r->tsum / (double)r->tn;
	r->out.merged = r->out.merged || r->tn > 1;
	r->out.nrows++;
	r->tn = 0;
	return 0;
}

/* Row k of out is row, a bucket of its own, as close_bucket would make it. */
static int put_row(struct sim_reduce *r, double t, const double *row)
{
	size_t k = r->out.nrows;
	for (size_t c = 0; c < r->out.ncols; c++) {
		double v = isfinite(row[c]) ? row[c] : NAN;
		double x[3] = { v, v, v };
		if (put(&r->out, k, c, x) < 0)
			return -1;
	}
	r->out.t[k] = t;
	r->out.nrows++;
	return 0;
}

/* A row beyond the expected ones, in a series reduced directly: the last
 * row becomes the open bucket again (the accumulators of one row hold
 * its values), to gather the rest.  0, or -1 when out of memory. */
static int reopen_last(struct sim_reduce *r, uint64_t bucket)
{
	if (accumulators(r) < 0)
		return -1;
	r->direct = false;
	if (!r->out.nrows)
		return 0;
	size_t k = --r->out.nrows;
	for (size_t c = 0; c < r->out.ncols; c++) {
		double v, lo, hi;
		sim_series_cell(&r->out, k, c, &v, &lo, &hi);
		r->n[c] = !isnan(v);
		r->sum[c] = v;
		r->min[c] = lo;
		r->max[c] = hi;
	}
	r->tsum = r->out.t[k];
	r->tn = 1;
	r->bucket = bucket;
	return 0;
}

int sim_reduce_add(struct sim_reduce *r, double t, const double *row)
{
	if (!r->out.t)
		return 0;	/* finished */
	uint64_t i = r->seen < r->expected ? r->seen : r->expected - 1;
	uint64_t b = i * SIM_REDUCE_BUCKETS / r->expected;
	r->seen++;
	if (r->direct && r->seen <= r->expected)
		return put_row(r, t, row);
	if (r->direct && reopen_last(r, b) < 0)
		return -1;
	if (r->tn && b != r->bucket && close_bucket(r) < 0)
		return -1;
	size_t nc = r->out.ncols;
	if (!r->tn) {
		r->bucket = b;
		r->tsum = 0;
		memset(r->n, 0, nc * sizeof *r->n);
	}
	r->tsum += t;
	r->tn++;
	for (size_t c = 0; c < nc; c++) {
		double v = row[c];
		if (!isfinite(v))
			continue;
		if (!r->n[c]++) {
			r->sum[c] = v;
			r->min[c] = r->max[c] = v;
			continue;
		}
		r->sum[c] += v;
		r->min[c] = fmin(r->min[c], v);
		r->max[c] = fmax(r->max[c], v);
	}
	return 0;
}

int sim_reduce_finish(struct sim_reduce *r, struct sim_series *names, struct sim_series *out)
{
	int rc = close_bucket(r);
	r->out.names = names->names;	/* taken, not copied: a wide model has
					 * tens of thousands; their index too */
	r->out.cap_names = names->cap_names;
	r->out.index = names->index;
	r->out.pool = names->pool;
	sim_arena_init(&names->pool);
	names->names = NULL;
	names->ncols = names->cap_names = 0;
	sim_strindex_init(&names->index);
	*out = r->out;
	sim_series_init(&r->out);
	sim_reduce_fini(r);
	return rc;
}
