/* bench_calendar.c - the hold model on the event calendar, with and
 * without its ladder, at 10 to 10^6 pending events.
 *
 * The classic hold model: n events wait; each step pops the earliest and
 * pushes one at its time plus an increment, so n stays constant.  The
 * increments come from one of four distributions:
 *   exponential  exp(1)
 *   uniform      U(0, 2)
 *   bimodal      U(0, 0.2) nine times in ten, else U(0, 9.2)
 *   ties         0, 1, 2 or 3, equally likely: thousands of events share
 *                each time, and pop first-in first-out
 * Two structures run the same steps from the same seed: `heap`, the
 * calendar as a plain 4-ary heap (sim_calendar_set_far(SIZE_MAX)), and
 * `ladder`, the calendar as the simulator uses it, with its far future
 * in a ladder queue past SIM_CALENDAR_FAR_FROM events.  Both must
 * pop the same events in the same order: a checksum of every (time, seq)
 * popped is compared, and a difference fails the run.
 *
 * The ladder's work comes in cycles: Top is spread over a new rung 0
 * once every four times the span of the pending times (8n steps with
 * uniform increments, where a quarter of the events pass through Top;
 * more with the others, whose Top holds few), and the steps between pay
 * less than the average.  So from 10^5 pending the steps timed are at
 * least 16n: two cycles of the uniform increments.
 *
 * Times are CPU time of the process, which a busy machine disturbs less
 * than the wall clock; each rate is the best of REPS runs, the two
 * structures taking turns, so that a moment of noise on a shared machine
 * does not decide a ratio.  Reports steps (one pop and one push) per second,
 * the ratio of the two structures, and for each the ratio of its rate at the largest size to
 * its rate at 10 pending; the target is at least 0.5.
 *
 * usage: bench_calendar [SCALE]   (SCALE multiplies the steps timed; 1)
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sim/calendar.h"

enum dist { EXPONENTIAL, UNIFORM, BIMODAL, TIES, NDIST };
static const char *const dist_name[NDIST] = { "exponential", "uniform", "bimodal", "ties" };

static const size_t sizes[] = { 10, 1000, 10000, 100000, 1000000 };
#define NSIZES (sizeof sizes / sizeof sizes[0])
#define REPS 3

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static inline double uniform(uint64_t *s)
{
	return ((double)(splitmix(s) >> 11) + 0.5) * 0x1.0p-53;
}

static inline double increment(enum dist d, uint64_t *s)
{
	double u = uniform(s);
	switch (d) {
	case EXPONENTIAL:
		return -log(u);
	case UNIFORM:
		return 2 * u;
	case BIMODAL:
		return u < 0.9 ? u / 0.9 * 0.2 : (u - 0.9) / 0.1 * 9.2;
	default:
		return floor(4 * u);
	}
}

struct result {
	double rate;		/* steps per second */
	uint64_t sum;		/* checksum of the events popped */
};

static inline uint64_t mix(uint64_t sum, const struct sim_event *ev)
{
	union {
		double d;
		uint64_t u;
	} t = { ev->time };
	return (sum ^ t.u ^ (ev->seq << 1)) * 0x100000001b3u;
}

/* n pending, warm steps untimed, then steps timed. */
static struct result hold(bool ladder, enum dist d, size_t n, size_t warm, size_t steps)
{
	struct sim_calendar cal;
	if (sim_calendar_init(&cal) < 0)
		abort();
	sim_calendar_set_far(&cal, ladder ? SIM_CALENDAR_FAR_FROM : SIZE_MAX);
	uint64_t rng = 12345 + (uint64_t)d * 7919 + n;
	for (size_t i = 0; i < n; i++)
		if (!sim_calendar_push(&cal, increment(d, &rng), 0, 0, NULL))
			abort();
	struct result r = { 0, 0 };
	double t0 = 0;
	for (size_t i = 0; i < warm + steps; i++) {
		if (i == warm)
			t0 = now_s();
		const struct sim_event *ev = sim_calendar_pop_until(&cal, INFINITY);
		r.sum = mix(r.sum, ev);
		if (!sim_calendar_push(&cal, ev->time + increment(d, &rng), 0, 0, NULL))
			abort();
	}
	r.rate = (double)steps / (now_s() - t0);
	sim_calendar_fini(&cal);
	return r;
}

int main(int argc, char **argv)
{
	double scale = argc > 1 ? atof(argv[1]) : 1;
	if (!(scale > 0)) {
		fprintf(stderr, "usage: bench_calendar [SCALE]\n");
		return 2;
	}
	int bad = 0;
	printf("hold model: steps (pop + push) per second, millions\n");
	printf("%-12s %9s %9s %9s %9s\n", "increments", "pending", "heap", "ladder",
	       "lad/heap");
	double worst[2] = { INFINITY, INFINITY };
	for (int d = 0; d < NDIST; d++) {
		double at10[2] = { 0, 0 };
		for (size_t k = 0; k < NSIZES; k++) {
			size_t n = sizes[k];
			size_t warm = n < 100000 ? 100000 : 2 * n;
			size_t steps = (size_t)(scale * (n < 100000 ? 4e6 : 2e6));
			steps = steps > 16 * n ? steps : 16 * n;
			struct result r[2] = { { 0, 0 }, { 0, 0 } };
			for (int rep = 0; rep < REPS; rep++)
				for (int s = 0; s < 2; s++) {
					struct result x = hold(s, (enum dist)d, n, warm, steps);
					r[s].sum = x.sum;
					if (x.rate > r[s].rate)
						r[s].rate = x.rate;
				}
			if (r[0].sum != r[1].sum) {
				printf("%s, %zu pending: the two structures popped different events\n",
				       dist_name[d], n);
				bad = 1;
			}
			printf("%-12s %9zu %9.2f %9.2f %9.2f\n", dist_name[d], n, r[0].rate / 1e6,
			       r[1].rate / 1e6, r[1].rate / r[0].rate);
			for (int s = 0; s < 2; s++) {
				if (k == 0)
					at10[s] = r[s].rate;
				if (k == NSIZES - 1 && r[s].rate / at10[s] < worst[s])
					worst[s] = r[s].rate / at10[s];
			}
			if (k == NSIZES - 1)
				printf("%-12s %9s %9.2f %9.2f   (rate at %zu / rate at %zu)\n",
				       dist_name[d], "ratio", r[0].rate / at10[0], r[1].rate / at10[1],
				       n, sizes[0]);
		}
	}
	printf("worst rate at %zu pending / rate at %zu: heap %.2f, ladder %.2f (target >= 0.5)\n",
	       sizes[NSIZES - 1], sizes[0], worst[0], worst[1]);
	return bad;
}
