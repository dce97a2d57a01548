/* test_calendar.c - ordering, ties, cancellation and growth of sim/calendar.c
 * as a heap (far mode: test_calendar_far.c) */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/calendar.h"

Test(sim_calendar, pops_in_time_order)
{
	struct sim_calendar cal;
	cr_assert_eq(sim_calendar_init(&cal), 0);
	unsigned seed = 2385;
	for (int i = 0; i < 100000; i++)
		cr_assert(sim_calendar_push(&cal, (double)(rand_r(&seed) % 100000) / 7.0, 0, 0, NULL));
	struct sim_event ev;
	double last = -1;
	size_t n = 0;
	while (sim_calendar_pop(&cal, &ev)) {
		cr_assert_geq(ev.time, last, "event %zu at %g after %g", n, ev.time, last);
		last = ev.time;
		n++;
	}
	cr_assert_eq(n, 100000);
	sim_calendar_fini(&cal);
}

Test(sim_calendar, ties_pop_fifo)
{
	struct sim_calendar cal;
	sim_calendar_init(&cal);
	for (uint32_t i = 0; i < 1000; i++)
		sim_calendar_push(&cal, i % 2 ? 2.5 : 1.25, 0, i, NULL);
	struct sim_event ev;
	for (uint32_t i = 0; i < 1000; i += 2) {
		cr_assert(sim_calendar_pop(&cal, &ev));
		cr_assert_eq(ev.kind, i, "tie at 1.25 popped %u, expected %u", ev.kind, i);
	}
	for (uint32_t i = 1; i < 1000; i += 2) {
		cr_assert(sim_calendar_pop(&cal, &ev));
		cr_assert_eq(ev.kind, i);
		cr_assert_float_eq(ev.time, 2.5, 0);
	}
	sim_calendar_fini(&cal);
}

Test(sim_calendar, cancel_skips_event_and_stale_handles_are_harmless)
{
	struct sim_calendar cal;
	sim_calendar_init(&cal);
	int payload[3];
	sim_handle a = sim_calendar_push(&cal, 1.0, 7, 1, &payload[0]);
	sim_handle b = sim_calendar_push(&cal, 2.0, 7, 2, &payload[1]);
	sim_calendar_push(&cal, 3.0, 7, 3, &payload[2]);
	cr_assert(sim_calendar_cancel(&cal, b));
	cr_assert_not(sim_calendar_cancel(&cal, b), "cancelling twice");
	cr_assert_not(sim_calendar_cancel(&cal, 0), "0 is no handle");
	cr_assert_not(sim_calendar_cancel(&cal, 999), "a handle never given");
	struct sim_event ev;
	cr_assert(sim_calendar_pop(&cal, &ev));
	cr_assert_eq(ev.item, &payload[0]);
	cr_assert_eq(ev.comp, 7);
	cr_assert_eq(ev.seq, a);
	/* a already ran: cancelling it must not touch a later event */
	sim_calendar_cancel(&cal, a);
	sim_handle d = sim_calendar_push(&cal, 2.5, 7, 4, NULL);
	cr_assert_neq(a, d);
	cr_assert_float_eq(sim_calendar_peek(&cal), 2.5, 0);
	cr_assert(sim_calendar_pop(&cal, &ev));
	cr_assert_eq(ev.kind, 4);
	cr_assert(sim_calendar_pop(&cal, &ev));
	cr_assert_eq(ev.kind, 3);
	cr_assert_not(sim_calendar_pop(&cal, &ev));
	cr_assert(isinf(sim_calendar_peek(&cal)));
	sim_calendar_fini(&cal);
}

Test(sim_calendar, stale_cancels_are_purged)
{
	/* a million cancels of handles whose events already ran must not
	 * grow the set without bound, nor hide new events */
	struct sim_calendar cal;
	sim_calendar_init(&cal);
	struct sim_event ev;
	for (int i = 0; i < 1000000; i++) {
		sim_handle h = sim_calendar_push(&cal, i, 0, (uint32_t)i, NULL);
		cr_assert(sim_calendar_pop(&cal, &ev));
		cr_assert_eq(ev.kind, (uint32_t)i);
		sim_calendar_cancel(&cal, h);
	}
	cr_assert_leq(cal.cap_cancelled, 1024, "set grew to %zu slots", cal.cap_cancelled);
	sim_calendar_fini(&cal);
}

Test(sim_calendar, pop_until_leaves_later_events)
{
	struct sim_calendar cal;
	sim_calendar_init(&cal);
	sim_calendar_push(&cal, 5.0, 0, 1, NULL);
	sim_handle h = sim_calendar_push(&cal, 1.0, 0, 2, NULL);
	sim_calendar_cancel(&cal, h);
	cr_assert_null(sim_calendar_pop_until(&cal, 4.0), "dead entry below the bound must not count");
	const struct sim_event *ev = sim_calendar_pop_until(&cal, 5.0);
	cr_assert_not_null(ev);
	cr_assert_eq(ev->kind, 1);
	sim_calendar_fini(&cal);
}

Test(sim_calendar, many_cancelled_timeouts)
{
	/* the overload pattern: most timers are cancelled before they fire */
	struct sim_calendar cal;
	sim_calendar_init(&cal);
	sim_handle *h = malloc(200000 * sizeof *h);
	for (int i = 0; i < 200000; i++)
		h[i] = sim_calendar_push(&cal, 10.0 + i * 1e-3, 1, (uint32_t)i, NULL);
	for (int i = 0; i < 200000; i++)
		if (i % 10)
			cr_assert(sim_calendar_cancel(&cal, h[i]));
	struct sim_event ev;
	int n = 0;
	while (sim_calendar_pop(&cal, &ev)) {
		cr_assert_eq(ev.kind % 10, 0);
		n++;
	}
	cr_assert_eq(n, 20000);
	free(h);
	sim_calendar_fini(&cal);
}

/* A random mix of pops, pushes (many right after a pop, which replace the
 * popped top), cancels and peeks against a plain list scanned for its
 * minimum: the same events must come out in the same order. */
struct ref_ev {
	double t;
	uint64_t seq;
	bool live, cancelled, popped;
};

Test(sim_calendar, interleaved_operations_match_a_plain_list)
{
	struct sim_calendar cal;
	cr_assert_eq(sim_calendar_init(&cal), 0);
	enum { MAX = 20000 };
	static struct ref_ev ref[MAX];
	size_t n = 0;
	unsigned seed = 77;
	double now = 0;
	for (int step = 0; step < 200000 && n < MAX; step++) {
		int op = rand_r(&seed) % 10;
		if (op < 4 || n == 0) {	/* push, a tie now and then */
			double t = now + (rand_r(&seed) % 4 == 0 ? 0 : (rand_r(&seed) % 1000) / 100.0);
			uint64_t h = sim_calendar_push(&cal, t, 0, 0, NULL);
			cr_assert_neq(h, 0);
			ref[n++] = (struct ref_ev){ t, h, true, false, false };
		} else if (op < 5) {	/* cancel a random event, maybe run already */
			size_t k = (size_t)rand_r(&seed) % n;
			/* a pending event's first cancel succeeds; a handle
			 * cancelled or run before is harmless either way */
			bool ok = sim_calendar_cancel(&cal, ref[k].seq);
			if (!ref[k].popped && !ref[k].cancelled)
				cr_assert(ok);
			ref[k].live = false;
			ref[k].cancelled = true;
		} else if (op < 6) {	/* peek */
			double best = INFINITY;
			for (size_t k = 0; k < n; k++)
				if (ref[k].live && ref[k].t < best)
					best = ref[k].t;
			cr_assert_eq(sim_calendar_peek(&cal), best);
		} else {		/* pop */
			size_t m = SIZE_MAX;
			for (size_t k = 0; k < n; k++)
				if (ref[k].live && (m == SIZE_MAX || ref[k].t < ref[m].t ||
						    (ref[k].t == ref[m].t && ref[k].seq < ref[m].seq)))
					m = k;
			struct sim_event ev;
			bool got = sim_calendar_pop(&cal, &ev);
			cr_assert_eq(got, m != SIZE_MAX);
			if (got) {
				cr_assert_eq(ev.seq, ref[m].seq, "step %d", step);
				cr_assert_eq(ev.time, ref[m].t);
				ref[m].live = false;
				ref[m].popped = true;
				now = ev.time;
			}
		}
	}
	sim_calendar_fini(&cal);
}
