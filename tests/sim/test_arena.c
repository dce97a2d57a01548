/* test_arena.c - the bump allocator (sim/arena.c): strings packed byte
 * by byte, aligned blocks zeroed and aligned after them, big requests in
 * chunks of their own, everything freed at once. */
#include <criterion/criterion.h>
#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#include "sim/arena.h"

Test(sim_arena, strings_are_packed)
{
	struct sim_arena a;
	sim_arena_init(&a);
	char *x = sim_arena_strdup(&a, "p0");
	char *y = sim_arena_strdup(&a, "q12");
	char *z = sim_arena_strndup(&a, "workers-and-more", 7);
	cr_assert(x && y && z);
	cr_expect_str_eq(x, "p0");
	cr_expect_str_eq(y, "q12");
	cr_expect_str_eq(z, "workers");
	cr_expect_eq(y, x + 3, "a string takes its bytes, not an aligned block");
	cr_expect_eq(z, y + 4);
	sim_arena_fini(&a);
}

Test(sim_arena, blocks_are_aligned_and_zeroed)
{
	struct sim_arena a;
	sim_arena_init(&a);
	for (int i = 0; i < 5000; i++) {
		cr_assert_not_null(sim_arena_strdup(&a, i % 2 ? "x" : "yz"));
		unsigned char *p = sim_arena_alloc(&a, 1 + (size_t)i % 40);
		cr_assert_not_null(p);
		cr_assert_eq((uintptr_t)p % alignof(max_align_t), 0, "block %d", i);
		for (int k = 0; k < 1 + i % 40; k++)
			cr_assert_eq(p[k], 0);
		memset(p, 0xff, 1 + (size_t)i % 40);
	}
	sim_arena_fini(&a);
	cr_expect_null(a.head, "all freed, and the arena empty again");
}

Test(sim_arena, big_requests_leave_the_current_chunk_in_use)
{
	struct sim_arena a;
	sim_arena_init(&a);
	char *before = sim_arena_strdup(&a, "a");
	char *big = sim_arena_alloc(&a, 1 << 20);
	char *after = sim_arena_strdup(&a, "b");
	cr_assert(before && big && after);
	cr_expect_eq(after, before + 2, "small requests go on where they were");
	big[(1 << 20) - 1] = 1;
	sim_arena_fini(&a);

	sim_arena_init(&a);	/* a big request first */
	cr_assert_not_null(sim_arena_alloc(&a, 100000));
	cr_assert_not_null(sim_arena_strdup(&a, "c"));
	sim_arena_fini(&a);
}

Test(sim_arena, a_zeroed_struct_is_an_empty_arena)
{
	struct sim_arena a = { 0 };
	cr_assert_str_eq(sim_arena_strdup(&a, "ok"), "ok");
	sim_arena_fini(&a);
}
