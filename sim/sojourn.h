/* sojourn.h - the sojourns of the work sources create: by class, by
 * interval and by source.
 *
 * A completed item of a source (SIM_MODEL_SOURCE) counts in three views:
 * its class over the run, its class in the current sample interval (the
 * time series' p99 column) and its source over the run.  Three histogram
 * updates per item were a third of the statistics' cost on the hot path,
 * so only the class's histogram is updated for every item:
 * - the interval's values are the class histogram's growth since the
 *   previous sample (a snapshot of its buckets), clamped to the
 *   interval's own min and max as a histogram of the interval would be;
 * - a source whose work is all of one class that no other source
 *   completes (one producer, one class: the common case) has the same
 *   histogram as that class, value for value.  The two are twins: the
 *   source's histogram is a copy of the class's, made when it is read
 *   (sim_sojourn_finish) or when another source or class breaks the
 *   pair, after which it is updated for each of its items.
 * The outputs are the same as with three histograms, bit for bit.
 */
#ifndef SIM_SOJOURN_H
#define SIM_SOJOURN_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/stats.h"

/* A class histogram's counts at the previous sample, less what the
 * warm-up cleared since. */
struct sim_sojourn_snap {
	uint64_t n;
	uint64_t bucket[SIM_HIST_BUCKETS + 1];
};

#define SIM_SOJOURN_WORDS ((SIM_HIST_BUCKETS + 1 + 63) / 64)

struct sim_sojourn_class {
	struct sim_hist *all;	/* since the warm-up */
	struct sim_sojourn_snap *snap;	/* equal to all's counts outside the
					 * buckets marked in touched */
	double iv_min, iv_max;	/* of the current interval */
	size_t twin;		/* its twin source, or SIM_SOJOURN_NONE/MANY */
	uint64_t touched[SIM_SOJOURN_WORDS];	/* bit b: bucket b grew in
						 * the current interval */
};

struct sim_sojourn_source {
	struct sim_hist *h;	/* the source's, owned by the caller */
	size_t twin;		/* its twin class, or SIM_SOJOURN_NONE/MANY */
};

#define SIM_SOJOURN_NONE ((size_t)-1)	/* nothing completed yet */
#define SIM_SOJOURN_MANY ((size_t)-2)	/* no twin any more */

/* Of a model in several parts (sim/parts.c), a class's sum of sojourns
 * adds up each part's sum, in the order of the parts: the parts' events
 * interleave one way in one calendar and another run window by window,
 * and a sum over all of them in event order would differ in its last
 * bits.  At most this many (part, class) sums; a model that would need
 * more runs as one calendar, its classes' sums in event order. */
#define SIM_SOJOURN_MAX_PART_SUMS ((size_t)1 << 20)

struct sim_sojourn {
	struct sim_sojourn_class *cls;
	struct sim_sojourn_source *src;
	size_t ncls, nsrc;
	double *part_sum;	/* [part * ncls + class]; NULL: one part */
	uint32_t *src_part;	/* each source's part */
	size_t nparts;
};

/* For ncls classes and nsrc sources, whose histograms are src_hist[i]
 * (emptied here).  0, or -1 when out of memory. */
int sim_sojourn_init(struct sim_sojourn *s, size_t ncls, size_t nsrc,
		     struct sim_hist *const *src_hist);
void sim_sojourn_fini(struct sim_sojourn *s);
/* Sums the classes' sojourns part by part: nparts (> 1) parts, source i in
 * part src_part[i] (copied); nparts * ncls at most
 * SIM_SOJOURN_MAX_PART_SUMS.  0, or -1 when out of memory. */
int sim_sojourn_parts(struct sim_sojourn *s, size_t nparts, const uint32_t *src_part);

/* Whether src and cls just became twins (true), after ending the pairs
 * either was in (false); the slow path of sim_sojourn_add. */
bool sim_sojourn_pair(struct sim_sojourn *s, size_t src, size_t cls);

/* Counts the sojourn x of an item of source src and class cls.  Always
 * inlined: gcc otherwise calls it out of line from sim_complete, 27 M
 * more instructions on the M/M/1 benchmark. */
__attribute__((always_inline)) static inline void sim_sojourn_add(struct sim_sojourn *s,
								  size_t src, size_t cls,
								  double x)
{
	struct sim_sojourn_class *c = &s->cls[cls];
	bool twins = c->twin == src;	/* then src's twin is cls: twins are mutual */
	if (!twins)
		twins = sim_sojourn_pair(s, src, cls);	/* before c->all changes */
	uint32_t b = sim_hist_bucket(x);
	sim_hist_put(c->all, x, b);
	c->touched[b >> 6] |= (uint64_t)1 << (b & 63);
	if (x < c->iv_min)
		c->iv_min = x;
	if (x > c->iv_max)
		c->iv_max = x;
	if (!twins)
		sim_hist_put(s->src[src].h, x, b);
	if (s->part_sum)
		s->part_sum[s->src_part[src] * s->ncls + cls] += x;
}

/* The end of the warm-up: the histograms start over; the current
 * interval keeps what it has. */
void sim_sojourn_warmup(struct sim_sojourn *s);

/* The p99 of class cls's sojourns since the previous call (NaN when
 * there were none); the next interval starts. */
double sim_sojourn_interval_p99(struct sim_sojourn *s, size_t cls);

/* Fills in the histograms of the sources that have a twin, and of a model
 * in parts each class's sum, for reading. */
void sim_sojourn_finish(struct sim_sojourn *s);

#endif
