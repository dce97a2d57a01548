/* stats.c - levels and histograms; see stats.h for the error bounds. */
#include "sim/stats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <sys/mman.h>
#include <unistd.h>

double sim_level_mean(const struct sim_level *l, double now)
{
	double span = now - l->warm_t;
	if (span <= 0)
		return l->value;
	return (sim_level_area(l, now) - l->warm_area) / span;
}

void sim_level_warmup(struct sim_level *l, double now)
{
	l->warm_area = sim_level_area(l, now);
	l->warm_t = now;
	l->max = l->value;
}

uint32_t sim_hist_bucket_edge(double x)
{
	return x >= 0x1p32 ? SIM_HIST_BUCKETS - 1 : SIM_HIST_ZERO;	/* NaN: false */
}

void sim_hist_range(double min, double max, uint32_t *lo, uint32_t *hi)
{
	uint32_t a = sim_hist_bucket(min), b = sim_hist_bucket(max);
	*lo = a == SIM_HIST_ZERO ? 0 : a;	/* the zero bucket lies below 0 */
	*hi = b == SIM_HIST_ZERO ? 0 : b + 1;
}

void sim_hist_reset(struct sim_hist *h)
{
	uint32_t lo, hi;
	sim_hist_range(h->min, h->max, &lo, &hi);
	if (hi > lo)
		memset(&h->bucket[lo], 0, (hi - lo) * sizeof h->bucket[0]);
	if (h->bucket[SIM_HIST_ZERO])	/* reading an untouched page maps none */
		h->bucket[SIM_HIST_ZERO] = 0;
	h->n = 0;		/* and the pending values with it */
	h->sum = 0;
	h->min = INFINITY;
	h->max = -INFINITY;
}

/* The bytes of a histogram's buckets, whole pages. */
static size_t bucket_bytes(void)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t bytes = (SIM_HIST_BUCKETS + 1) * sizeof(uint64_t);
	return (bytes + page - 1) / page * page;
}

int sim_hist_init(struct sim_hist *h)
{
	/* anonymous pages read as zero and take memory only once written:
	 * the buckets a histogram never touches cost nothing */
	void *p = mmap(NULL, bucket_bytes(), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	*h = (struct sim_hist){ .min = INFINITY, .max = -INFINITY };
	if (p == MAP_FAILED)
		return -1;
	h->bucket = p;
	return 0;
}

void sim_hist_fini(struct sim_hist *h)
{
	if (h->bucket)
		munmap(h->bucket, bucket_bytes());
	h->bucket = NULL;
}

void sim_hist_copy(struct sim_hist *dst, const struct sim_hist *src)
{
	uint32_t lo, hi;
	sim_hist_range(src->min, src->max, &lo, &hi);
	if (hi > lo)
		memcpy(&dst->bucket[lo], &src->bucket[lo], (hi - lo) * sizeof dst->bucket[0]);
	if (src->bucket[SIM_HIST_ZERO])
		dst->bucket[SIM_HIST_ZERO] = src->bucket[SIM_HIST_ZERO];
	memcpy(dst->pend, src->pend, sizeof dst->pend);	/* pending alike */
	dst->n = src->n;
	dst->sum = src->sum;
	dst->min = src->min;
	dst->max = src->max;
}

static double bucket_mid(uint32_t i)
{
	int e = (int)(i >> SIM_HIST_SUB_BITS) + SIM_HIST_EXP_MIN;
	double sub = (double)(i & (SIM_HIST_SUB - 1));
	return ldexp(1.0 + (sub + 0.5) / SIM_HIST_SUB, e);
}

static double clamp(double v, double min, double max)
{
	return v > max ? max : v < min ? min : v;
}

__attribute__((noinline)) void sim_hist_count_pend(struct sim_hist *h)
{
#pragma GCC unroll 8
	for (unsigned k = 0; k < SIM_HIST_PEND; k++)
		h->bucket[h->pend[k]]++;
}

/* The values of bucket i: bucket[i] less less[i], plus those of pend
 * (modulo 2^64: less may count pending values bucket does not yet). */
static uint64_t count_of(const uint64_t *bucket, const uint64_t *less, const uint16_t *pend,
			 unsigned npend, uint32_t i)
{
	uint64_t c = bucket[i] - (less ? less[i] : 0);
	for (unsigned k = 0; k < npend; k++)
		c += pend[k] == i;
	return c;
}

uint64_t sim_hist_count(const struct sim_hist *h, uint32_t i)
{
	return count_of(h->bucket, NULL, h->pend, sim_hist_pending(h), i);
}

static double quantile(const uint64_t *bucket, const uint64_t *less, const uint16_t *pend,
		       unsigned npend, uint64_t n, double min, double max, double q)
{
	if (n == 0)
		return NAN;
	if (q <= 0)
		return min;
	if (q >= 1)
		return max;
	uint64_t rank = (uint64_t)ceil(q * (double)n);
	if (rank < 1)
		rank = 1;
	uint64_t seen = count_of(bucket, less, pend, npend, SIM_HIST_ZERO);
	if (seen >= rank)
		return min > 0 ? min : 0.0;
	uint32_t lo, hi, i;
	sim_hist_range(min, max, &lo, &hi);
	if (q > 0.5) {
		/* the same bucket, found from the top, where fewer values
		 * lie: going down, the first i with fewer than rank values
		 * below it (n less those in i and above) */
		uint64_t above = 0;
		for (i = hi; i-- > lo;) {
			above += count_of(bucket, less, pend, npend, i);
			if (n - above < rank)
				return clamp(bucket_mid(i), min, max);
		}
		return max;
	}
	for (i = lo; i < hi; i++) {
		seen += count_of(bucket, less, pend, npend, i);
		if (seen >= rank)
			return clamp(bucket_mid(i), min, max);
	}
	return max;
}

double sim_hist_quantile_of(const struct sim_hist *h, const uint64_t *less, uint64_t n,
			    double min, double max, double q)
{
	return quantile(h->bucket, less, h->pend, sim_hist_pending(h), n, min, max, q);
}

double sim_hist_quantile(const struct sim_hist *h, double q)
{
	return sim_hist_quantile_of(h, NULL, h->n, h->min, h->max, q);
}

double sim_ci95(double sd, size_t n)
{
	if (n < 2)
		return NAN;
	return gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * sd / sqrt((double)n);
}
