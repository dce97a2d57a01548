/* sojourn.c - sojourn histograms by class, interval and source; see
 * sojourn.h.
 *
 * Twins are mutual: cls[k].twin == i exactly when src[i].twin == k.
 *
 * A class's snapshot differs from its histogram's counts (pending values
 * included, sim_hist_count) only in the buckets the current interval's
 * values fell in, which a bitmap marks: a sample copies those alone.
 * (Copying the buckets from iv_min's to iv_max's, a thousand for the
 * sojourns of an M/M/1, took 3% of the benchmark.)
 *
 * Bucket counts are unsigned and the interval's growth is taken modulo
 * 2^64: at the warm-up a class's snapshot drops what its histogram
 * clears (snap -= all, which may wrap), so the growth all - snap still
 * counts what the interval had before the warm-up.
 */
#include "sim/sojourn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int sim_sojourn_init(struct sim_sojourn *s, size_t ncls, size_t nsrc,
		     struct sim_hist *const *src_hist)
{
	*s = (struct sim_sojourn){ .ncls = ncls, .nsrc = nsrc };
	s->cls = calloc(ncls + 1, sizeof *s->cls);
	s->src = calloc(nsrc + 1, sizeof *s->src);
	if (!s->cls || !s->src)
		return -1;
	for (size_t k = 0; k < ncls; k++) {
		struct sim_sojourn_class *c = &s->cls[k];
		c->all = calloc(1, sizeof *c->all);
		c->snap = calloc(1, sizeof *c->snap);
		if (!c->all || !c->snap || sim_hist_init(c->all) < 0)
			return -1;
		c->iv_min = INFINITY;
		c->iv_max = -INFINITY;
		c->twin = SIM_SOJOURN_NONE;
	}
	for (size_t i = 0; i < nsrc; i++) {
		s->src[i].h = src_hist[i];
		s->src[i].twin = SIM_SOJOURN_NONE;
		if (sim_hist_init(src_hist[i]) < 0)
			return -1;
	}
	return 0;
}

void sim_sojourn_fini(struct sim_sojourn *s)
{
	for (size_t k = 0; s->cls && k < s->ncls; k++) {
		if (s->cls[k].all)
			sim_hist_fini(s->cls[k].all);
		free(s->cls[k].all);
		free(s->cls[k].snap);
	}
	free(s->cls);
	free(s->src);
	free(s->part_sum);
	free(s->src_part);
	*s = (struct sim_sojourn){ 0 };
}

int sim_sojourn_parts(struct sim_sojourn *s, size_t nparts, const uint32_t *src_part)
{
	s->part_sum = calloc(nparts * s->ncls, sizeof *s->part_sum);
	s->src_part = malloc((s->nsrc ? s->nsrc : 1) * sizeof *s->src_part);
	if (!s->part_sum || !s->src_part)
		return -1;
	memcpy(s->src_part, src_part, s->nsrc * sizeof *s->src_part);
	s->nparts = nparts;
	return 0;
}

/* Source i stops being its class's twin, with its values so far. */
static void split(struct sim_sojourn *s, size_t i)
{
	size_t k = s->src[i].twin;
	if (k >= s->ncls)
		return;		/* it has no twin */
	sim_hist_copy(s->src[i].h, s->cls[k].all);
	s->src[i].twin = SIM_SOJOURN_MANY;
	s->cls[k].twin = SIM_SOJOURN_MANY;
}

/* Out of line (also under link-time optimisation): the hot path that
 * calls it should not save registers for it. */
__attribute__((noinline)) bool sim_sojourn_pair(struct sim_sojourn *s, size_t src, size_t cls)
{
	struct sim_sojourn_class *c = &s->cls[cls];
	if (c->twin == SIM_SOJOURN_NONE && s->src[src].twin == SIM_SOJOURN_NONE) {
		c->twin = src;
		s->src[src].twin = cls;
		return true;
	}
	split(s, src);
	if (c->twin < s->nsrc)
		split(s, c->twin);
	c->twin = SIM_SOJOURN_MANY;
	s->src[src].twin = SIM_SOJOURN_MANY;
	return false;
}

void sim_sojourn_warmup(struct sim_sojourn *s)
{
	for (size_t k = 0; k < s->ncls; k++) {
		struct sim_sojourn_class *c = &s->cls[k];
		/* the snapshot is non-zero only where all has been */
		uint32_t lo, hi;
		sim_hist_range(c->all->min, c->all->max, &lo, &hi);
		for (uint32_t b = lo; b < hi; b++)
			c->snap->bucket[b] -= sim_hist_count(c->all, b);
		c->snap->n -= c->all->n;
		c->snap->bucket[SIM_HIST_ZERO] -= sim_hist_count(c->all, SIM_HIST_ZERO);
		sim_hist_reset(c->all);
	}
	for (size_t i = 0; i < s->nsrc; i++)
		sim_hist_reset(s->src[i].h);
	if (s->part_sum)
		memset(s->part_sum, 0, s->nparts * s->ncls * sizeof *s->part_sum);
}

double sim_sojourn_interval_p99(struct sim_sojourn *s, size_t cls)
{
	struct sim_sojourn_class *c = &s->cls[cls];
	struct sim_hist *all = c->all;
	struct sim_sojourn_snap *snap = c->snap;
	if (all->n == snap->n)
		return NAN;	/* no values: iv_min and iv_max are still unset */
	double p99 = sim_hist_quantile_of(all, snap->bucket, all->n - snap->n, c->iv_min,
					  c->iv_max, 0.99);
	/* the snapshot catches up where the interval's values are, pending
	 * ones included (a bucket not touched has them in the snapshot) */
	for (size_t w = 0; w < SIM_SOJOURN_WORDS; w++)
		for (uint64_t bits = c->touched[w]; bits; bits &= bits - 1) {
			size_t b = w * 64 + (size_t)__builtin_ctzll(bits);
			snap->bucket[b] = all->bucket[b];
		}
	for (unsigned k = 0; k < sim_hist_pending(all); k++) {
		uint32_t b = all->pend[k];
		if (c->touched[b >> 6] >> (b & 63) & 1)
			snap->bucket[b]++;
	}
	memset(c->touched, 0, sizeof c->touched);
	snap->n = all->n;
	c->iv_min = INFINITY;
	c->iv_max = -INFINITY;
	return p99;
}

void sim_sojourn_finish(struct sim_sojourn *s)
{
	for (size_t k = 0; s->part_sum && k < s->ncls; k++) {
		double sum = 0;
		for (size_t p = 0; p < s->nparts; p++)
			sum += s->part_sum[p * s->ncls + k];
		s->cls[k].all->sum = sum;
	}
	for (size_t i = 0; i < s->nsrc; i++) {
		size_t k = s->src[i].twin;
		if (k < s->ncls)
			sim_hist_copy(s->src[i].h, s->cls[k].all);
	}
}
