/* stats.h - run statistics: counters, time-weighted levels, histograms.
 *
 * All three survive a warm-up: the engine calls the *_warmup functions at
 * the end of the warm-up, and the summary values then cover only the time
 * after it, while raw totals (for conservation and time series) keep
 * counting from zero.
 *
 * Histograms bucket a double by its binary exponent and the top 6 bits of
 * its mantissa: 64 linear sub-buckets per power of two, so a percentile
 * reported at a bucket's midpoint is within 0.78% of the true value, for
 * values from 2^-32 s (0.23 ns) to 2^32 s; smaller values count as 0
 * (in a bucket of their own), larger ones in the top bucket.  Mean, min
 * and max are exact.
 */
#ifndef SIM_STATS_H
#define SIM_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct sim_count {
	uint64_t n;		/* since the start of the run */
	uint64_t at_warmup;	/* n when the warm-up ended */
};

static inline void sim_count_add(struct sim_count *c, uint64_t k)
{
	c->n += k;
}

static inline uint64_t sim_count_value(const struct sim_count *c)
{
	return c->n - c->at_warmup;
}

/* A level that changes at events: queue depth, busy workers. */
struct sim_level {
	double value;
	double last_t;		/* time of the last change, absolute */
	double area;		/* integral of value since t = 0 */
	double max;		/* since the warm-up */
	double warm_area, warm_t;
};

static inline void sim_level_set(struct sim_level *l, double now, double v)
{
	l->area += l->value * (now - l->last_t);
	l->last_t = now;
	l->value = v;
	if (v > l->max)
		l->max = v;
}

static inline void sim_level_add(struct sim_level *l, double now, double dv)
{
	sim_level_set(l, now, l->value + dv);
}

/* Integral of the level from 0 to now. */
static inline double sim_level_area(const struct sim_level *l, double now)
{
	return l->area + l->value * (now - l->last_t);
}

/* Time average since the warm-up; the current value if no time passed. */
double sim_level_mean(const struct sim_level *l, double now);
void sim_level_warmup(struct sim_level *l, double now);

#define SIM_HIST_SUB_BITS 6
#define SIM_HIST_SUB (1 << SIM_HIST_SUB_BITS)
#define SIM_HIST_EXP_MIN (-32)
#define SIM_HIST_EXP_MAX 32
#define SIM_HIST_BUCKETS ((SIM_HIST_EXP_MAX - SIM_HIST_EXP_MIN) * SIM_HIST_SUB)
#define SIM_HIST_ZERO SIM_HIST_BUCKETS	/* the bucket of values below 2^-32 */

/* The buckets in use are those from min's to max's (and SIM_HIST_ZERO),
 * so an update need not keep their range: sim_hist_range gives it.
 *
 * Buckets are counted SIM_HIST_PEND values at a time: a value's bucket
 * waits in pend until the group is full.  A model with a thousand busy
 * histograms finds few of their buckets in the cache, and the increments
 * of eight buckets, made together, wait on memory together instead of
 * one after another (the 1,000-pipeline wide model takes a fifth to a
 * third less time, one pipeline 2% more: docs/performance.md, "Wide
 * models").  Readers count the pending values with the rest, as
 * sim_hist_count, sim_hist_quantile, sim_hist_quantile_of and
 * sim_hist_copy do: bucket[] alone is not the counts. */
#define SIM_HIST_PEND 8
_Static_assert(SIM_HIST_ZERO <= UINT16_MAX, "pend holds bucket indices in 16 bits");

struct sim_hist {
	uint64_t n;		/* all values */
	double sum, min, max;
	uint64_t *bucket;	/* SIM_HIST_BUCKETS + 1 counts, mapped from
				 * the system a page at a time as they are
				 * first touched: an idle histogram holds no
				 * memory, a busy one the pages of its range */
	uint16_t pend[SIM_HIST_PEND];	/* buckets of the last n % SIM_HIST_PEND
					 * values, not yet in bucket */
};

/* Empties h. */
void sim_hist_reset(struct sim_hist *h);
/* Makes h an empty histogram (of any content before, which it forgets
 * without freeing); 0, or -1 when out of memory. */
int sim_hist_init(struct sim_hist *h);
/* Frees h's buckets; a histogram that sim_hist_init never made must be
 * all zero (its bucket NULL), and is then left alone. */
void sim_hist_fini(struct sim_hist *h);
/* Makes dst, an empty histogram, hold src's values. */
void sim_hist_copy(struct sim_hist *dst, const struct sim_hist *src);
/* The buckets of the values from min to max, SIM_HIST_ZERO aside:
 * [*lo, *hi), empty when min > max (an empty histogram's). */
void sim_hist_range(double min, double max, uint32_t *lo, uint32_t *hi);

/* The bucket of a value outside [2^-32, 2^32), negative values and NaN
 * included: the slow path of sim_hist_bucket. */
uint32_t sim_hist_bucket_edge(double x);

/* The bucket of x: SIM_HIST_ZERO below 2^-32 (negative values and NaN
 * too), the top bucket from 2^32 up.  Within the range, the bucket is the
 * exponent and the top SUB_BITS of the mantissa, which are the bits of x
 * from the 46th up, less the bits of 2^-32: a shift and a subtraction.
 * Anything else (the unsigned difference is then too large) takes a
 * branch that the predictor learns: a queue's zero waits come on their
 * own path (a pull by an idle worker). */
static inline uint32_t sim_hist_bucket(double x)
{
	uint64_t bits;
	memcpy(&bits, &x, sizeof bits);
	uint64_t i = (bits >> (52 - SIM_HIST_SUB_BITS)) -
		     ((uint64_t)(1023 + SIM_HIST_EXP_MIN) << SIM_HIST_SUB_BITS);
	return i < SIM_HIST_BUCKETS ? (uint32_t)i : sim_hist_bucket_edge(x);
}

/* Values whose buckets are pending: pend[0, n % SIM_HIST_PEND). */
static inline unsigned sim_hist_pending(const struct sim_hist *h)
{
	return (unsigned)(h->n % SIM_HIST_PEND);
}

/* Counts the SIM_HIST_PEND pending values in their buckets: the slow
 * path of sim_hist_put, out of line so that the hot one stays small. */
void sim_hist_count_pend(struct sim_hist *h);

/* Adds x, whose bucket is i (from sim_hist_bucket). */
static inline void sim_hist_put(struct sim_hist *h, double x, uint32_t i)
{
	h->n++;
	h->sum += x;
	if (x < h->min)
		h->min = x;
	if (x > h->max)
		h->max = x;
	h->pend[(h->n - 1) % SIM_HIST_PEND] = (uint16_t)i;
	if (!(h->n % SIM_HIST_PEND))
		sim_hist_count_pend(h);
}

/* The values in bucket i, pending ones included. */
uint64_t sim_hist_count(const struct sim_hist *h, uint32_t i);

static inline void sim_hist_add(struct sim_hist *h, double x)
{
	sim_hist_put(h, x, sim_hist_bucket(x));
}

/* Nearest-rank quantile, q in [0, 1]; NaN when empty. */
double sim_hist_quantile(const struct sim_hist *h, double q);
/* The same of the n values counted by h less less[i] in bucket i (less
 * may be NULL), which lie between min and max; n must be their total. */
double sim_hist_quantile_of(const struct sim_hist *h, const uint64_t *less, uint64_t n,
			    double min, double max, double q);

static inline double sim_hist_mean(const struct sim_hist *h)
{
	return h->n ? h->sum / (double)h->n : 0.0 / 0.0;
}

/* Student t 95% half-width of the mean of n values with sample standard
 * deviation sd; NaN when n < 2. */
double sim_ci95(double sd, size_t n);

#endif
