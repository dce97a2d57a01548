/* test_neglog.c - the batched logarithm of the exponential variates
 * (sim/neglog.c): within one unit in the last place of the exact -log x,
 * and the same bits on every instruction set. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <string.h>

#include "sim/neglog.h"
#include "sim/rng.h"

enum { N = 1 << 21 };

/* Values in [2^-1022, 1): the simulator's uniforms (its own generator,
 * 53 random bits), and the hard cases: just below 1, around sqrt(2)/2
 * (where fdlibm changes its reduction) times powers of two, powers of
 * two, and any exponent. */
static double value(gsl_rng *r, size_t i)
{
	double x;
	int scale = (int)gsl_rng_uniform_int(r, 1022);
	switch (i % 6) {
	case 0: x = gsl_rng_uniform_pos(r); break;
	case 1: x = 1.0 - ldexp(1.0 + (double)gsl_rng_uniform_int(r, 1u << 20),
				  -53 - (int)gsl_rng_uniform_int(r, 20)); break;
	case 2: x = ldexp(M_SQRT1_2 * (1 + ((double)gsl_rng_uniform_int(r, 2001) - 1000) *
					  DBL_EPSILON), -(scale % 1000)); break;
	case 3: x = ldexp(1.0, -1 - scale); break;
	case 4: x = ldexp(0.5 + 0.5 * gsl_rng_uniform(r), -scale); break;
	default: x = gsl_rng_uniform(r) * 0x1p-40; break;
	}
	return x >= DBL_MIN && x < 1 ? x : 0.5;
}

static double values[N];

static void fill(void)
{
	gsl_rng *r = sim_rng_new(2385, 0, "test", "neglog");
	cr_assert_not_null(r);
	for (size_t i = 0; i < N; i++)
		values[i] = value(r, i);
	sim_rng_free(r);
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
