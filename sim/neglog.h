/* neglog.h - minus the logarithm of a batch of uniform variates.
 *
 * The simulator's exponential variates are -log(u) (sim/rng.h), drawn
 * SIM_NEGLOG_BATCH at a time, and the logarithm was the largest single
 * cost of a run.  This is the logarithm of fdlibm (e_log.c: log(1+f) by
 * an odd polynomial in s = f/(2+f), error below one unit in the last
 * place), written for four values at once with GCC's vector extensions.
 * On a processor with AVX2 the four share each instruction; elsewhere
 * they go two by two.  Both compute the same IEEE operations in the same
 * order, without fused multiply-adds, so the results are the same bits on
 * every x86-64 machine (test_neglog checks both against each other and
 * against long double logl).
 */
#ifndef SIM_NEGLOG_H
#define SIM_NEGLOG_H

#include <stdbool.h>

#define SIM_NEGLOG_BATCH 16

enum sim_neglog_isa {
	SIM_NEGLOG_BEST,	/* the widest this processor has */
	SIM_NEGLOG_BASE,	/* x86-64's SSE2 */
	SIM_NEGLOG_AVX2,
};

/* v[i] = -log(v[i]) for the SIM_NEGLOG_BATCH values v[i], each in
 * [2^-1022, 1]; with isa's instructions, or false (v unchanged) when the
 * processor lacks them. */
bool sim_neglog_batch(double *v, enum sim_neglog_isa isa);

#endif
