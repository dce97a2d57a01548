/* reduce.c - buckets of consecutive rows: mean time, and each column's
 * mean, minimum and maximum.  The invariant: out holds the closed
 * buckets, in order; the open one is in the accumulators. */
#include "sim/reduce.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int sim_reduce_init(struct sim_reduce *r, const struct sim_series *cols, size_t expected_rows)
{
	*r = (struct sim_reduce){ .expected = expected_rows ? expected_rows : 1 };
	sim_series_init(&r->out);
	size_t nc = cols->ncols ? cols->ncols : 1;
	size_t cap = r->expected < SIM_REDUCE_BUCKETS ? r->expected : SIM_REDUCE_BUCKETS;
	for (size_t c = 0; c < cols->ncols; c++)
		if (sim_series_add_col(&r->out, cols->names[c]) < 0)
			goto fail;
	r->out.t = malloc(cap * sizeof *r->out.t);
	r->out.v = malloc(cap * nc * sizeof *r->out.v);
	r->out.lo = malloc(cap * nc * sizeof *r->out.lo);
	r->out.hi = malloc(cap * nc * sizeof *r->out.hi);
	r->out.cap_rows = cap;
	r->sum = malloc(nc * sizeof *r->sum);
	r->min = malloc(nc * sizeof *r->min);
	r->max = malloc(nc * sizeof *r->max);
	r->n = calloc(nc, sizeof *r->n);
	if (r->out.t && r->out.v && r->out.lo && r->out.hi && r->sum && r->min && r->max && r->n)
		return 0;
fail:
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

/* The open bucket becomes the next row of out. */
static void close_bucket(struct sim_reduce *r)
{
	if (!r->tn)
		return;
	size_t nc = r->out.ncols, k = r->out.nrows++;
	r->out.t[k] = r->tsum / (double)r->tn;
	r->out.merged = r->out.merged || r->tn > 1;
	for (size_t c = 0; c < nc; c++) {
		bool any = r->n[c] > 0;
		r->out.v[k * nc + c] = any ? r->sum[c] / (double)r->n[c] : NAN;
		r->out.lo[k * nc + c] = any ? r->min[c] : NAN;
		r->out.hi[k * nc + c] = any ? r->max[c] : NAN;
	}
	r->tn = 0;
}

void sim_reduce_add(struct sim_reduce *r, double t, const double *row)
{
	if (!r->out.t)
		return;		/* finished */
	uint64_t i = r->seen < r->expected ? r->seen : r->expected - 1;
	uint64_t b = i * SIM_REDUCE_BUCKETS / r->expected;
	r->seen++;
	if (r->tn && b != r->bucket)
		close_bucket(r);
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
}

void sim_reduce_finish(struct sim_reduce *r, struct sim_series *out)
{
	close_bucket(r);
	*out = r->out;
	sim_series_init(&r->out);
	sim_reduce_fini(r);
}
