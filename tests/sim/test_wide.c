/* test_wide.c - wide models: a big file written out in full loads while
 * an alias bomb is still refused (sim/node.c), more components than a
 * few thousand load, and an idle histogram holds no memory (sim/stats.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "helpers.h"
#include "sim/node.h"
#include "sim/scenario.h"
#include "sim/stats.h"

/* Parses text; returns the root or NULL, with the messages in err. */
static struct sim_node *parse(struct sim_arena *a, const char *text, char *err, size_t size)
{
	FILE *f = fmemopen(err, size, "w");
	cr_assert_not_null(f);
	struct sim_diag diag;
	sim_diag_init(&diag, f);
	struct sim_node *root = sim_node_parse(a, "t.yaml", text, strlen(text), &diag);
	fclose(f);
	return root;
}

Test(sim_wide, big_honest_file_parses)
{
	/* 300,000 values written out: more nodes than aliases may make */
	enum { N = 300000 };
	char *text = malloc(2 * N + 16), *p = text;
	p += sprintf(p, "x: [");
	for (int i = 0; i < N; i++)
		p += sprintf(p, i ? ",1" : "1");
	strcpy(p, "]\n");
	struct sim_arena a;
	sim_arena_init(&a);
	char err[512] = "";
	struct sim_node *root = parse(&a, text, err, sizeof err);
	cr_assert_not_null(root, "%s", err);
	cr_assert_eq(sim_node_get(root, "x")->n, N);
	sim_arena_fini(&a);
	free(text);
}

Test(sim_wide, alias_bomb_refused_at_the_alias)
{
	/* each level copies the one before ten times: 10^6 nodes from a few lines */
	char text[2048], *p = text;
	p += sprintf(p, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
	for (int i = 1; i <= 6; i++) {
		p += sprintf(p, "a%d: &a%d [", i, i);
		for (int k = 0; k < 10; k++)
			p += sprintf(p, "%s*a%d", k ? ", " : "", i - 1);
		p += sprintf(p, "]\n");
	}
	struct sim_arena a;
	sim_arena_init(&a);
	char err[512] = "";
	cr_assert_null(parse(&a, text, err, sizeof err));
	cr_assert_str_eq(err, "t.yaml:6:10: error: scenario too large: aliases expand to more "
			      "than 200000 nodes\n");
	sim_arena_fini(&a);
}

Test(sim_wide, thousands_of_components_load, .timeout = 120)
{
	enum { PIPES = 1500 };	/* 4,500 components */
	size_t cap = 200 * PIPES + 64;
	char *text = malloc(cap), *p = text;
	p += sprintf(p, "duration: 1s\ncomponents:\n");
	for (int i = 0; i < PIPES; i++)
		p += sprintf(p, "  p%d: {kind: producer, rate: 10/s, to: q%d}\n"
				"  q%d: {kind: queue}\n"
				"  w%d: {kind: workers, from: q%d, count: 2, service: 5ms}\n",
			     i, i, i, i, i);
	cr_assert_lt((size_t)(p - text), cap);
	struct sim_scenario *sc = th_load(text, NULL);
	cr_assert_not_null(sc);
	sim_scenario_free(sc);
	free(text);
}

/* Pages of h's buckets that hold memory. */
static size_t resident_pages(const struct sim_hist *h)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t bytes = (SIM_HIST_BUCKETS + 1) * sizeof(uint64_t);
	size_t n = (bytes + page - 1) / page;
	unsigned char vec[64];
	cr_assert_leq(n, sizeof vec);
	cr_assert_eq(mincore((void *)h->bucket, n * page, vec), 0);
	size_t r = 0;
	for (size_t i = 0; i < n; i++)
		r += vec[i] & 1;
	return r;
}

Test(sim_wide, histogram_memory_follows_use)
{
	/* the counts are not part of the struct, which a model's state embeds */
	cr_assert_leq(sizeof(struct sim_hist), 64);
	struct sim_hist h;
	cr_assert_eq(sim_hist_init(&h), 0);
	cr_expect_eq(resident_pages(&h), 0, "an idle histogram holds no pages");
	sim_hist_reset(&h);
	for (int i = 0; i < 1000; i++)	/* within one octave, and zeros */
		sim_hist_add(&h, i % 10 ? 1.0 + i / 1000.0 : 0.0);
	cr_expect_leq(resident_pages(&h), 2);
	double q = sim_hist_quantile(&h, 0.5);	/* the 400th of 900 from 1 to 2 */
	cr_expect(q > 1.43 && q < 1.46, "median %g", q);
	cr_expect_eq(sim_hist_quantile(&h, 0.05), 0);
	sim_hist_fini(&h);
}
