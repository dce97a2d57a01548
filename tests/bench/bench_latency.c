/* bench_latency.c - how long a random read takes as the data grows.
 *
 * A wide model's events touch the state of components spread over
 * memory; a big calendar's steps touch events spread over it.  Whether
 * that costs a few nanoseconds or a few hundred depends on whether the
 * data fits in the caches, which this program measures on the machine
 * at hand: for blocks of 64 KB to 256 MB it follows a chain of pointers
 * through every cache line of the block in a random order (each read
 * depends on the one before, so none overlaps) and prints the time of
 * one read.  The step where the time jumps is the size of the caches
 * the simulator can count on.
 *
 * usage: bench_latency [MAX_MB]   (default 256)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define LINE 64
#define READS 20000000L

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* xorshift64*: a fixed sequence, so the chains are the same every run */
static uint64_t next_random(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

/* Nanoseconds a read over a block of the given bytes; < 0 when out of
 * memory. */
static double chase(size_t bytes)
{
	size_t n = bytes / LINE, step = LINE / sizeof(size_t);
	size_t *block = malloc(n * LINE);
	size_t *order = malloc(n * sizeof *order);
	if (!block || !order) {
		free(block);
		free(order);
		return -1;
	}
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	for (size_t i = n - 1; i > 0; i--) {	/* Fisher-Yates */
		size_t j = (size_t)(next_random(&seed) % (i + 1));
		size_t t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (size_t i = 0; i < n; i++)	/* one cycle through every line */
		block[order[i] * step] = order[(i + 1) % n] * step;
	size_t at = 0;
	for (size_t i = 0; i < n; i++)	/* warm: the pages mapped */
		at = block[at];
	double t0 = now_s();
	for (long i = 0; i < READS; i++)
		at = block[at];
	double ns = (now_s() - t0) * 1e9 / (double)READS;
	free(block);
	free(order);
	return at == SIZE_MAX ? -1 : ns;	/* uses at: the loop stays */
}

int main(int argc, char **argv)
{
	long max_mb = argc > 1 ? strtol(argv[1], NULL, 10) : 256;
	if (max_mb < 1 || max_mb > 65536) {
		fprintf(stderr, "usage: bench_latency [MAX_MB], 1 to 65536\n");
		return 2;
	}
	printf("%10s %12s\n", "block", "ns per read");
	for (size_t kb = 64; kb <= (size_t)max_mb * 1024; kb *= 2) {
		double ns = chase(kb * 1024);
		if (ns < 0) {
			fprintf(stderr, "bench_latency: out of memory at %zu KB\n", kb);
			return 1;
		}
		if (kb < 1024)
			printf("%7zu KB %12.1f\n", kb, ns);
		else
			printf("%7zu MB %12.1f\n", kb / 1024, ns);
	}
	return 0;
}
