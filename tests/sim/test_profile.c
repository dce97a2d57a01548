/* test_profile.c - schedules of steps and ramps, and the exact inversion of
 * the integrated rate (sim/profile.c). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/profile.h"

static struct sim_arena arena;

static struct sim_profile load(const char *yaml, double base)
{
	static char buf[2048];
	struct sim_diag d;
	FILE *f = fmemopen(buf, sizeof buf, "w");
	sim_diag_init(&d, f);
	struct sim_node *n = sim_node_parse(&arena, "p.yaml", yaml, strlen(yaml), &d);
	cr_assert_not_null(n);
	struct sim_cfg c = { .arena = &arena, .diag = &d, .kind = "producer", .name = "p", .at = n };
	struct sim_profile p;
	int r = sim_profile_cfg(&c, n, "schedule", base, &p);
	fclose(f);
	cr_assert_eq(r, 1, "schedule rejected: %s", buf);
	return p;
}

Test(sim_profile, step_then_return_to_base)
{
	sim_arena_init(&arena);
	struct sim_profile p = load("schedule: [{at: 2m, for: 60s, rate: 10000/s}]", 2000);
	cr_assert_float_eq(sim_profile_rate(&p, 0), 2000, 0);
	cr_assert_float_eq(sim_profile_rate(&p, 119.999), 2000, 0);
	cr_assert_float_eq(sim_profile_rate(&p, 120), 10000, 0);
	cr_assert_float_eq(sim_profile_rate(&p, 179.999), 10000, 0);
	cr_assert_float_eq(sim_profile_rate(&p, 180), 2000, 0);
	cr_assert_float_eq(sim_profile_integral(&p, 0, 300), 2000 * 240 + 10000 * 60.0, 1e-6);
	cr_assert_eq(p.nspans, 1);
	cr_assert_float_eq(p.spans[0].from, 120, 0);
	cr_assert_float_eq(p.spans[0].to, 180, 0);
	sim_arena_fini(&arena);
}

Test(sim_profile, ramp_holds_its_target_and_later_entries_override)
{
	sim_arena_init(&arena);
	struct sim_profile p = load("schedule:\n"
				    "  - {at: 5m, for: 2m, ramp_to: 4000/s}\n"
				    "  - {at: 6m, for: 10s, rate: 0}\n", 1000);
	cr_assert_float_eq(sim_profile_rate(&p, 300), 1000, 1e-9);
	cr_assert_float_eq(sim_profile_rate(&p, 330), 1750, 1e-9);
	cr_assert_float_eq(sim_profile_rate(&p, 365), 0, 0);
	cr_assert_float_eq(sim_profile_rate(&p, 370), 2750, 1e-9);	/* 1000 + 25/s x 70 s */
	cr_assert_float_eq(sim_profile_rate(&p, 420), 4000, 1e-9);
	cr_assert_float_eq(sim_profile_rate(&p, 1e6), 4000, 1e-9);
	sim_arena_fini(&arena);
}

Test(sim_profile, advance_inverts_the_integral)
{
	sim_arena_init(&arena);
	struct sim_profile p = load("schedule:\n"
				    "  - {at: 10s, for: 5s, rate: 0}\n"
				    "  - {at: 20s, for: 10s, ramp_to: 300/s}\n"
				    "  - {at: 40s, for: 10s, ramp_to: 0}\n", 100);
	size_t cursor = 0;
	double t = 0;
	/* walk in steps of 2.385 units of integrated rate */
	for (int i = 0; i < 2000; i++) {
		double next = sim_profile_advance(&p, &cursor, t, 2.385);
		if (isinf(next))
			break;
		cr_assert_geq(next, t);
		cr_assert_float_eq(sim_profile_integral(&p, t, next), 2.385, 1e-7,
				   "step %d from %g to %g", i, t, next);
		cr_assert(next < 10 || next >= 15, "an arrival at %g during a zero-rate step", next);
		t = next;
	}
	/* the rate reaches 0 for good at t = 50 */
	cr_assert_leq(t, 50 + 1e-9);
	cr_assert(isinf(sim_profile_advance(&p, &cursor, t, 1e6)));
	sim_arena_fini(&arena);
}

Test(sim_profile, constant_rate)
{
	struct sim_profile p;
	struct sim_profile_seg seg;
	sim_profile_constant(&p, &seg, 50);
	size_t cursor = 0;
	cr_assert_float_eq(sim_profile_advance(&p, &cursor, 3, 2), 3.04, 1e-12);
	sim_profile_constant(&p, &seg, 0);
	cr_assert(isinf(sim_profile_advance(&p, &cursor, 3, 2)));
}
