/* bench_mm1.c - events per second of `sim run`, against a minimal
 * hand-coded M/M/1 loop measured in the same process run.
 *
 * The reference is what a careful programmer writes for one model and
 * nothing else: a binary heap of (time, kind) events, an inline xoshiro256+
 * generator, exponential draws by -log(u), a FIFO ring of arrival times and
 * one running sum.  `sim run` does the same model through the general
 * engine, with per-item statistics, histograms, a time series and output
 * files.  Both simulate the same number of customers; the figure of merit
 * is the ratio of their event rates (1.0 would be as fast as the
 * hand-coded loop).
 *
 * With a third argument, it also times `sim run` on the retry storm of
 * tests/bench/retry-storm-bench.yaml, reporting events per second and the
 * wall time for 100 simulated seconds, and the most attempts that were
 * outstanding at once.
 *
 * usage: bench_mm1 SIM_EXE MM1.yaml [RETRY_STORM.yaml]
 *        bench_mm1 --reference CUSTOMERS   (the loop alone, once: for
 *        tests/bench/instructions.sh, which counts instructions)
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- the hand-coded reference ------------------------------------------- */

static uint64_t s[4] = { 0x9e3779b97f4a7c15u, 0xbf58476d1ce4e5b9u, 0x94d049bb133111ebu, 42 };

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline double uniform(void)
{
	uint64_t r = s[0] + s[3], t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return ((double)(r >> 11) + 0.5) * 0x1.0p-53;
}

struct ev {
	double t;
	int kind;		/* 0 arrival, 1 departure */
};

static struct ev heap[8];
static int hn;

static void hpush(double t, int kind)
{
	int i = hn++;
	while (i > 0 && heap[(i - 1) / 2].t > t) {
		heap[i] = heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	heap[i] = (struct ev){ t, kind };
}

static struct ev hpop(void)
{
	struct ev top = heap[0], last = heap[--hn];
	int i = 0;
	for (;;) {
		int c = 2 * i + 1;
		if (c >= hn)
			break;
		if (c + 1 < hn && heap[c + 1].t < heap[c].t)
			c++;
		if (heap[c].t >= last.t)
			break;
		heap[i] = heap[c];
		i = c;
	}
	heap[i] = last;
	return top;
}

static double reference(uint64_t customers, uint64_t *events, double *mean_wait)
{
	const double lambda = 90, mu = 100;
	size_t cap = 1 << 20, head = 0, len = 0;
	double *fifo = malloc(cap * sizeof *fifo);
	double t0 = now_s(), wait_sum = 0;
	uint64_t arrived = 0, served = 0, n = 0;
	int busy = 0;
	hn = 0;		/* events left over by an earlier run */
	hpush(-log(uniform()) / lambda, 0);
	while (served < customers) {
		struct ev e = hpop();
		n++;
		if (e.kind == 0) {
			arrived++;
			hpush(e.t - log(uniform()) / lambda, 0);
			if (!busy) {
				busy = 1;
				hpush(e.t - log(uniform()) / mu, 1);
			} else {
				if (len == cap) {
					fprintf(stderr, "reference queue overflow\n");
					exit(1);
				}
				fifo[(head + len++) & (cap - 1)] = e.t;
			}
		} else {
			served++;
			if (len) {
				double a = fifo[head];
				head = (head + 1) & (cap - 1);
				len--;
				wait_sum += e.t - a;
				hpush(e.t - log(uniform()) / mu, 1);
			} else {
				busy = 0;
			}
		}
	}
	free(fifo);
	*events = n;
	*mean_wait = wait_sum / (double)served;
	return now_s() - t0;
}

/* ---- the tool ------------------------------------------------------------ */

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double run_sim(const char *exe, const char *scenario, uint64_t *events);

/* The benchmark's own output folder, made fresh (a run owns its folder:
 * sim refuses one it did not write). */
static char outdir[64];

/* The largest value of a column of the run's timeseries.csv. */
static double column_max(const char *name)
{
	char path[128];
	snprintf(path, sizeof path, "%s/out/timeseries.csv", outdir);
	FILE *f = fopen(path, "r");
	static char line[1 << 16];
	double best = 0;
	int col = -1;
	if (!f || !fgets(line, sizeof line, f)) {
		if (f)
			fclose(f);
		return NAN;
	}
	int i = 0;
	for (char *tok = strtok(line, ",\n"); tok; tok = strtok(NULL, ",\n"), i++)
		if (!strcmp(tok, name))
			col = i;
	while (col >= 0 && fgets(line, sizeof line, f)) {
		char *p = line;
		for (int k = 0; k < col && p; k++) {
			p = strchr(p, ',');
			if (p)
				p++;
		}
		if (p && atof(p) > best)
			best = atof(p);
	}
	fclose(f);
	return best;
}

static double run_sim(const char *exe, const char *scenario, uint64_t *events)
{
	char cmd[4096];
	snprintf(cmd, sizeof cmd, "%s run %s --out %s/out --quiet --no-plots", exe, scenario, outdir);
	double t0 = now_s();
	int rc = system(cmd);
	double wall = now_s() - t0;
	if (rc != 0) {
		fprintf(stderr, "bench: '%s' failed\n", cmd);
		exit(1);
	}
	char path[128];
	snprintf(path, sizeof path, "%s/out/summary.json", outdir);
	FILE *f = fopen(path, "r");
	char line[512];
	*events = 0;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, " \"events\": %llu", (unsigned long long *)events) == 1)
			break;
	if (f)
		fclose(f);
	return wall;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--reference")) {
		uint64_t events;
		double wq;
		reference(strtoull(argv[2], NULL, 10), &events, &wq);
		printf("%llu\n", (unsigned long long)events);
		return 0;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: bench_mm1 SIM_EXE MM1.yaml [RETRY_STORM.yaml]\n");
		return 2;
	}
	snprintf(outdir, sizeof outdir, "/tmp/sim-bench-XXXXXX");
	if (!mkdtemp(outdir)) {
		perror("bench: mkdtemp");
		return 1;
	}
	uint64_t customers = 10000000;
	uint64_t ref_events, sim_events;
	double wq;
	/* ROUNDS rounds, each the loop then the tool: the best time of each
	 * counts, and the median of the rounds' own ratios shows how much
	 * the machine's noise moved it (a shared machine slows both down
	 * for seconds at a time, so one round's two runs share their luck) */
	enum { ROUNDS = 7 };
	double ref = INFINITY, tool = INFINITY, round_ratio[ROUNDS];
	for (int i = 0; i < ROUNDS; i++) {
		double r = reference(customers, &ref_events, &wq);
		double t = run_sim(argv[1], argv[2], &sim_events);
		ref = r < ref ? r : ref;
		tool = t < tool ? t : tool;
		round_ratio[i] = ((double)sim_events / t) / ((double)ref_events / r);
	}
	qsort(round_ratio, ROUNDS, sizeof round_ratio[0], compare_double);
	double ref_rate = (double)ref_events / ref, sim_rate = (double)sim_events / tool;
	printf("M/M/1, rho 0.9, %llu customers (reference mean wait %.4f s, theory 0.0900 s)\n",
	       (unsigned long long)customers, wq);
	printf("hand-coded loop : %12llu events in %6.3f s = %6.2f M events/s\n",
	       (unsigned long long)ref_events, ref, ref_rate / 1e6);
	printf("sim run (whole) : %12llu events in %6.3f s = %6.2f M events/s\n",
	       (unsigned long long)sim_events, tool, sim_rate / 1e6);
	printf("ratio sim/hand-coded: %.2f (best times); rounds' own ratios %.2f to %.2f, median %.2f\n",
	       sim_rate / ref_rate, round_ratio[0], round_ratio[ROUNDS - 1], round_ratio[ROUNDS / 2]);
	if (argc > 3) {
		double best = INFINITY;
		uint64_t ev = 0;
		for (int i = 0; i < 3; i++) {
			double t = run_sim(argv[1], argv[3], &ev);
			best = t < best ? t : best;
		}
		printf("retry storm, 100 s simulated: %llu events in %.3f s = %.2f M events/s; "
		       "at most %.0f attempts outstanding\n",
		       (unsigned long long)ev, best, (double)ev / best / 1e6,
		       column_max("requests.depth") + 8);
	}
	char cmd[128];	/* outdir is mkdtemp's: no character the shell reads */
	snprintf(cmd, sizeof cmd, "rm -rf %s", outdir);
	return system(cmd) == 0 ? 0 : 1;
}
