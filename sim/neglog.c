/* neglog.c - fdlibm's logarithm, four values at a time; see neglog.h.
 *
 * For x = 2^k (1 + f), with 1 + f in [sqrt(2)/2, sqrt(2)):
 *   log(x) = k ln2 + log(1 + f),  log(1 + f) = 2 atanh(s) = 2s + s R(s^2),
 *   s = f / (2 + f),
 * where R is fdlibm's degree-14 minimax polynomial (|error| < 2^-58.45).
 * k ln2 is split in two (ln2_hi ends in 21 zero bits, so k ln2_hi is
 * exact for |k| < 2000), and of fdlibm's two ways of adding the parts, the one it uses
 * for 1 + f near sqrt(2) is selected lane by lane.  fdlibm's shortcut for
 * f near 0 is left out: the general formula is as accurate there.
 *
 * Constants and method: fdlibm 5.3, e_log.c (Sun Microsystems, 1993,
 * freely redistributable).
 */
#include "sim/neglog.h"

#include <stdint.h>
#include <string.h>

typedef double v4d __attribute__((vector_size(32)));
typedef uint64_t v4u __attribute__((vector_size(32)));
typedef int64_t v4i __attribute__((vector_size(32)));

static const double ln2_hi = 6.93147180369123816490e-01,	/* 3fe62e42 fee00000 */
	ln2_lo = 1.90821492927058770002e-10,	/* 3dea39ef 35793c76 */
	Lg1 = 6.666666666666735130e-01,	/* 3FE55555 55555593 */
	Lg2 = 3.999999999940941908e-01,	/* 3FD99999 9997FA04 */
	Lg3 = 2.857142874366239149e-01,	/* 3FD24924 94229359 */
	Lg4 = 2.222219843214978396e-01,	/* 3FCC71C5 1D8E78AF */
	Lg5 = 1.818357216161805012e-01,	/* 3FC74664 96CB03DE */
	Lg6 = 1.531383769920937332e-01,	/* 3FC39A09 D078C69F */
	Lg7 = 1.479819860511658591e-01;	/* 3FC2F112 DF3E5244 */

/* -log of v[0..3].  Always inline, into each of the functions below,
 * which compile it for their own instruction set. */
static inline __attribute__((always_inline)) void four(double *v)
{
	v4u b;
	memcpy(&b, v, sizeof b);
	/* 1 + f: x's mantissa with exponent 0, or -1 from sqrt(2) up, where
	 * the mantissa's top 20 bits reach 0x6a09c (fdlibm's carry of 0x95f64) */
	v4u m = b & 0x000fffffffffffffull;
	v4u up = (m + 0x00095f6400000000ull) & 0x0010000000000000ull;
	v4u yb = m | (up ^ 0x3ff0000000000000ull);
	/* k as a double: its biased exponent, plus the carry, added to 2^52
	 * in the mantissa of 0x1p52, then 2^52 and the bias taken off */
	v4u kb = 0x4330000000000000ull | ((b >> 52) + (up >> 52));
	v4d f = (v4d)yb - 1.0, dk = (v4d)kb - (0x1p52 + 1023);
	v4d s = f / (2.0 + f);
	v4d z = s * s, w = z * z;
	v4d t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
	v4d t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
	v4d r = t2 + t1;
	v4d hfsq = 0.5 * f * f;
	v4d near_sqrt2 = dk * ln2_hi - ((hfsq - (s * (hfsq + r) + dk * ln2_lo)) - f);
	v4d other = dk * ln2_hi - ((s * (f - r) - dk * ln2_lo) - f);
	/* fdlibm's choice, on the top 20 bits of the mantissa of 1 + f */
	v4i hx = (v4i)((yb >> 32) & 0x000fffff);
	v4u pick = (v4u)(((hx - 0x6147a) | (0x6b851 - hx)) > 0);
	v4d out = -(v4d)((pick & (v4u)near_sqrt2) | (~pick & (v4u)other));
	memcpy(v, &out, sizeof out);
}

static void batch_base(double *v)
{
	for (int i = 0; i < SIM_NEGLOG_BATCH; i += 4)
		four(&v[i]);
}

__attribute__((target("avx2"))) static void batch_avx2(double *v)
{
	for (int i = 0; i < SIM_NEGLOG_BATCH; i += 4)
		four(&v[i]);
}

bool sim_neglog_batch(double *v, enum sim_neglog_isa isa)
{
	bool avx2 = __builtin_cpu_supports("avx2");
	if (isa == SIM_NEGLOG_AVX2 && !avx2)
		return false;
	if (isa == SIM_NEGLOG_BASE || !avx2)
		batch_base(v);
	else
		batch_avx2(v);
	return true;
}
