/* test_ring.c - growing rings (sim/ring.c) and the item FIFO on top (sim/fifo.h) */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>

#include "sim/fifo.h"
#include "sim/ring.h"

Test(sim_ring, growing_unwraps_and_keeps_the_order)
{
	/* a ring of 8 whose live part wraps: 5 from slot 6 on */
	size_t cap = 8, head = 6, len = 5;
	uint32_t *v = malloc(cap * sizeof *v);
	cr_assert_not_null(v);
	for (size_t i = 0; i < len; i++)
		v[(head + i) & (cap - 1)] = (uint32_t)(100 + i);
	void *p = v;
	cr_assert_eq(sim_ring_grow(&p, &head, len, &cap, sizeof *v, 64), 0);
	v = p;
	cr_assert_eq(cap, 16);
	cr_assert_eq(head, 0);
	for (size_t i = 0; i < len; i++)
		cr_assert_eq(v[i], 100 + i, "slot %zu holds %u", i, v[i]);
	free(v);
	/* an empty ring gets its first room */
	p = NULL;
	cap = head = 0;
	cr_assert_eq(sim_ring_grow(&p, &head, 0, &cap, sizeof(double), 256), 0);
	cr_assert_eq(cap, 256);
	free(p);
}

Test(sim_ring, fifo_pops_both_ends_in_order_across_growth)
{
	struct sim_fifo f = { 0 };
	static struct sim_item items[1000];
	size_t front = 0, back = 0;	/* items[front..back) are in f */
	unsigned seed = 5;
	for (int step = 0; step < 20000; step++) {
		int op = rand_r(&seed) % 3;
		if (op < 2 && back < 1000) {
			cr_assert_eq(sim_fifo_push(&f, &items[back]), 0);
			back++;
		} else if (f.len && op == 2 && rand_r(&seed) % 2) {
			cr_assert_eq(sim_fifo_pop_front(&f), &items[front]);
			front++;
		} else if (f.len) {
			cr_assert_eq(sim_fifo_pop_back(&f), &items[back - 1]);
			back--;
		}
		cr_assert_eq(f.len, back - front);
		if (f.len)
			cr_assert_eq(sim_fifo_front(&f), &items[front]);
	}
	sim_fifo_fini(&f);
}
