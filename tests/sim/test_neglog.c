/* test_neglog.c - the batched logarithm of the exponential variates
 * (sim/neglog.c): within one unit in the last place of the exact -log x,
 * and the same bits on every instruction set. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "sim/neglog.h"

enum { N = 1 << 21 };

static uint64_t state = 0x9e3779b97f4a7c15u;

static uint64_t next(void)	/* splitmix64 */
{
	uint64_t z = (state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* Values in [2^-1022, 1): the simulator's uniforms (53 random bits), and
 * the hard cases: just below 1, around sqrt(2)/2 (where fdlibm changes
 * its reduction) times powers of two, powers of two, and any exponent. */
static double value(size_t i)
{
	uint64_t r = next();
	double x;
	switch (i % 6) {
	case 0: x = (double)((r >> 11) | 1) * 0x1p-53; break;
	case 1: x = 1.0 - (double)((r >> 11) >> (r % 53) | 1) * 0x1p-53; break;
	case 2: x = ldexp(M_SQRT1_2 * (1 + ((double)(r % 2001) - 1000) * DBL_EPSILON),
			  -(int)(r >> 32) % 1000); break;
	case 3: x = ldexp(1.0, -1 - (int)(r % 1022)); break;
	case 4: x = ldexp(0.5 + (double)(r >> 12) * 0x1p-53, -(int)((r >> 2) % 1022)); break;
	default: x = (double)(r >> 11) * 0x1p-53 * 0x1p-40; break;
	}
	return x >= DBL_MIN && x < 1 ? x : 0.5;
}

static double values[N];

static void fill(void)
{
	for (size_t i = 0; i < N; i++)
		values[i] = value(i);
}

/* The error of got against -log x, in units in the last place of the
 * exact result. */
static double ulps(double got, double x)
{
	long double exact = -logl((long double)x);
	double e = (double)exact;
	double ulp = nextafter(e, INFINITY) - e;
	return (double)(fabsl((long double)got - exact) / (long double)ulp);
}

Test(sim_neglog, within_one_ulp)
{
	fill();
	double worst = 0, at = 0;
	for (size_t i = 0; i < N; i += SIM_NEGLOG_BATCH) {
		double v[SIM_NEGLOG_BATCH];
		memcpy(v, &values[i], sizeof v);
		cr_assert(sim_neglog_batch(v, SIM_NEGLOG_BASE));
		for (int j = 0; j < SIM_NEGLOG_BATCH; j++) {
			double e = ulps(v[j], values[i + j]);
			if (e > worst) {
				worst = e;
				at = values[i + j];
			}
		}
	}
	cr_log_info("largest error %.3f ulp, at %a", worst, at);
	cr_assert(worst < 1.0, "error %.3f ulp at %a", worst, at);
	double one[SIM_NEGLOG_BATCH];
	for (int j = 0; j < SIM_NEGLOG_BATCH; j++)
		one[j] = 1.0;
	sim_neglog_batch(one, SIM_NEGLOG_BEST);
	cr_assert(one[0] == 0 && one[SIM_NEGLOG_BATCH - 1] == 0, "-log 1 is 0");
}

Test(sim_neglog, same_bits_on_every_instruction_set)
{
	fill();
	double a[SIM_NEGLOG_BATCH], b[SIM_NEGLOG_BATCH];
	memcpy(a, values, sizeof a);
	if (!sim_neglog_batch(a, SIM_NEGLOG_AVX2))
		cr_skip_test("this processor has no AVX2");
	for (size_t i = 0; i < N; i += SIM_NEGLOG_BATCH) {
		memcpy(a, &values[i], sizeof a);
		memcpy(b, &values[i], sizeof b);
		sim_neglog_batch(a, SIM_NEGLOG_AVX2);
		sim_neglog_batch(b, SIM_NEGLOG_BASE);
		cr_assert(memcmp(a, b, sizeof a) == 0, "batch at %zu differs", i);
	}
	memcpy(a, values, sizeof a);
	memcpy(b, values, sizeof b);
	sim_neglog_batch(a, SIM_NEGLOG_BEST);
	sim_neglog_batch(b, SIM_NEGLOG_AVX2);
	cr_assert(memcmp(a, b, sizeof a) == 0, "the best is AVX2 here");
}
