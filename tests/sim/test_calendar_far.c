/* test_calendar_far.c - the calendar in far mode (sim/calendar.c with
 * its ladder, sim/ladder.c): order against a sorted list and against the
 * plain heap, ties, runs, restarts, cancels and events at infinity */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/calendar.h"

/* A reference calendar: the pending events sorted latest first, so the
 * earliest pops from the end. */
struct ref_ev {
	double t;
	uint64_t seq;
};

struct sorted {
	struct ref_ev *e;
	size_t n;
};

static bool ref_before(double t, uint64_t seq, const struct ref_ev *b)
{
	return t < b->t || (t == b->t && seq < b->seq);
}

static void sorted_add(struct sorted *s, double t, uint64_t seq)
{
	size_t lo = 0, hi = s->n;	/* first entry earlier than (t, seq) */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (ref_before(t, seq, &s->e[mid]))
			lo = mid + 1;
		else
			hi = mid;
	}
	memmove(&s->e[lo + 1], &s->e[lo], (s->n - lo) * sizeof *s->e);
	s->e[lo] = (struct ref_ev){ t, seq };
	s->n++;
}

/* Times: 0 spread out, 1 ties on whole seconds, 2 a few ulps apart,
 * 3 mixed scales from 1e-9 s to 1e6 s, 4 spread out but one in four at
 * infinity (a service paused for good). */
static double draw_time(unsigned *seed, double now, int mode)
{
	double u = (rand_r(seed) + 0.5) / ((double)RAND_MAX + 1);
	switch (mode) {
	case 0:
		return now - log(u);
	case 1:
		return floor(now) + (double)(rand_r(seed) % 4);
	case 2:
		for (int k = rand_r(seed) % 8; k > 0; k--)
			now = nextafter(now, INFINITY);
		return now;
	case 4:
		return rand_r(seed) % 4 ? now - log(u) : INFINITY;
	default:
		return now + pow(10, -9 + 15 * u) * (rand_r(seed) % 2);
	}
}

/* Grows the calendar to about peak pending events, then empties it, with
 * pushes, pops (whose pushes refill the hole), cancels, peeks and bounded
 * pops, checking every event against the reference. */
static void match_sorted(size_t far_from, int mode, size_t peak, unsigned seed)
{
	struct sim_calendar cal;
	cr_assert_eq(sim_calendar_init(&cal), 0);
	sim_calendar_set_far(&cal, far_from);
	struct sorted ref = { malloc(peak * 2 * sizeof *ref.e), 0 };
	double now = 1;
	bool growing = true;
	for (long step = 0; growing || ref.n; step++) {
		if (growing && ref.n >= peak)
			growing = false;
		int op = rand_r(&seed) % 20;
		if (op < (growing ? 10 : 6)) {
			double t = draw_time(&seed, now, mode);
			sim_handle h = sim_calendar_push(&cal, t, 0, 0, NULL);
			cr_assert_neq(h, 0);
			sorted_add(&ref, t, h);
		} else if (op == 10 && ref.n) {
			size_t k = (size_t)rand_r(&seed) % ref.n;
			cr_assert(sim_calendar_cancel(&cal, ref.e[k].seq));
			memmove(&ref.e[k], &ref.e[k + 1], (ref.n - k - 1) * sizeof *ref.e);
			ref.n--;
		} else if (op == 11) {
			double want = ref.n ? ref.e[ref.n - 1].t : INFINITY;
			cr_assert_eq(sim_calendar_peek(&cal), want, "step %ld", step);
		} else {
			double until = op == 12 ? now + 0.5 : INFINITY;
			const struct sim_event *ev = sim_calendar_pop_until(&cal, until);
			bool due = ref.n && ref.e[ref.n - 1].t <= until;
			cr_assert_eq(ev != NULL, due, "step %ld", step);
			if (!ev)
				continue;
			struct ref_ev *r = &ref.e[--ref.n];
			cr_assert_eq(ev->seq, r->seq, "step %ld: seq %lu, expected %lu", step,
				     (unsigned long)ev->seq, (unsigned long)r->seq);
			cr_assert_eq(ev->time, r->t);
			now = ev->time;
			if (growing || rand_r(&seed) % 2) {	/* the successor, into the hole */
				double t = draw_time(&seed, now, mode);
				sim_handle h = sim_calendar_push(&cal, t, 0, 0, NULL);
				sorted_add(&ref, t, h);
			}
		}
	}
	struct sim_event ev;
	cr_assert_not(sim_calendar_pop(&cal, &ev));
	free(ref.e);
	sim_calendar_fini(&cal);
}

Test(sim_calendar, ladder_matches_a_sorted_list)
{
	static const size_t far[] = { 1, 7, 64, SIM_CALENDAR_FAR_FROM, 8192 };
	for (int mode = 0; mode < 4; mode++)
		for (size_t f = 0; f < sizeof far / sizeof far[0]; f++)
			match_sorted(far[f], mode, 12000, 1000u * (unsigned)mode + (unsigned)f);
}

Test(sim_calendar, ladder_keeps_ties_fifo)
{
	/* 100,000 events on 3 times, in far mode: each time's events pop in
	 * push order, also those pushed while their time is being popped */
	struct sim_calendar cal;
	sim_calendar_init(&cal);
	sim_calendar_set_far(&cal, 16);
	for (uint32_t i = 0; i < 100000; i++)
		cr_assert(sim_calendar_push(&cal, (double)(i % 3), 0, i, NULL));
	struct sim_event ev;
	uint64_t last_seq = 0;
	double last_t = -1;
	size_t n = 0;
	while (sim_calendar_pop(&cal, &ev)) {
		cr_assert(ev.time > last_t || (ev.time == last_t && ev.seq > last_seq),
			  "event %zu: (%g, %lu) after (%g, %lu)", n, ev.time, (unsigned long)ev.seq,
			  last_t, (unsigned long)last_seq);
		last_t = ev.time;
		last_seq = ev.seq;
		if (n++ % 2 == 0 && ev.time < 2)
			sim_calendar_push(&cal, ev.time, 0, 0, NULL);
	}
	cr_assert_gt(n, 100000);
	sim_calendar_fini(&cal);
}

/* Pops everything, asserting (time, seq) order, and returns how many. */
static size_t drain_in_order(struct sim_calendar *cal)
{
	struct sim_event ev;
	double last_t = -INFINITY;
	uint64_t last_seq = 0;
	size_t n = 0;
	while (sim_calendar_pop(cal, &ev)) {
		cr_assert(ev.time > last_t || (ev.time == last_t && ev.seq > last_seq),
			  "event %zu: (%g, %lu) after (%g, %lu)", n, ev.time, (unsigned long)ev.seq,
			  last_t, (unsigned long)last_seq);
		last_t = ev.time;
		last_seq = ev.seq;
		n++;
	}
	return n;
}

Test(sim_calendar, far_mode_queues_one_time_in_the_run)
{
	/* thousands of events at one time, each popped one pushing another at
	 * that time: they queue at the end of the sorted run, first in, first
	 * out, the heap stays empty (no sift per event), and the array does
	 * not grow with the events that ran */
	struct sim_calendar cal;
	sim_calendar_init(&cal);
	sim_calendar_set_far(&cal, 16);
	for (uint32_t i = 0; i < 5000; i++)
		cr_assert(sim_calendar_push(&cal, 5.0, 0, i, NULL));
	sim_calendar_push(&cal, 6.0, 0, 0, NULL);
	uint64_t want = 1;
	size_t cap = cal.cap;
	for (int i = 0; i < 200000; i++) {
		const struct sim_event *ev = sim_calendar_pop_until(&cal, INFINITY);
		cr_assert(ev && ev->time == 5.0 && ev->seq == want, "pop %d: seq %lu, want %lu", i,
			  ev ? (unsigned long)ev->seq : 0ul, (unsigned long)want);
		want = want == 5000 ? 5002 : want + 1;
		cr_assert(sim_calendar_push(&cal, 5.0, 0, 0, NULL));
		cr_assert_eq(cal.len, 0, "pop %d: %zu events in the heap", i, cal.len);
	}
	/* the popped part of the run is reused: the array holds what is
	 * pending, not what ran */
	cr_assert_leq(cal.cap, 2 * cap, "%zu events' room for 5,001 (%zu before)", cal.cap, cap);
	cr_assert_eq(drain_in_order(&cal), 5001);
	sim_calendar_fini(&cal);
}

Test(sim_calendar, far_mode_heaps_a_large_batch_out_of_order)
{
	/* a batch the ladder cannot split (thousands at one time) and that is
	 * not in push order (the heap's order when far mode began) is too
	 * large to sort into a run: it becomes the heap, and pops in order */
	struct sim_calendar cal;
	sim_calendar_init(&cal);
	sim_calendar_set_far(&cal, 4096);
	for (uint32_t i = 0; i < 4096; i++)	/* sifts shuffle the 2.0s */
		cr_assert(sim_calendar_push(&cal, i % 2 ? 1.0 : 2.0, 0, i, NULL));
	for (uint32_t i = 0; i < 4096; i++)	/* far mode from the first */
		cr_assert(sim_calendar_push(&cal, 3.0, 0, i, NULL));
	struct sim_event ev;
	for (int i = 0; i < 2049; i++)
		cr_assert(sim_calendar_pop(&cal, &ev));
	cr_assert_eq(ev.time, 2.0);
	cr_assert_gt(cal.len, 1000, "the 2.0s are in the heap: %zu", cal.len);
	cr_assert_eq(drain_in_order(&cal), 8192 - 2049);
	sim_calendar_fini(&cal);
}

Test(sim_calendar, far_mode_starts_afresh_when_the_calendar_grows, .timeout = 60)
{
	/* far mode begins at 256 events, whose first batch has a bound fit
	 * for 256; then 200,000 more come, most of them before that bound
	 * (in its first tenth): the heap that takes those must not grow with the calendar
	 * (a sift per pop over thousands), but start far mode afresh once it
	 * holds a quarter of the events */
	struct sim_calendar cal;
	sim_calendar_init(&cal);
	sim_calendar_set_far(&cal, 256);
	unsigned seed = 5;
	size_t pending = 0, most = 0;
	for (int i = 0; i < 200256; i++) {
		double span = i < 256 ? 10.0 : 1.0;	/* most of them before that bound */
		cr_assert(sim_calendar_push(&cal, span * rand_r(&seed) / RAND_MAX, 0, 0, NULL));
		pending++;
		cr_assert_leq(cal.len, pending / 4 + 256 + 1, "push %d: %zu in the heap", i, cal.len);
		most = cal.len > most ? cal.len : most;
	}
	cr_assert(cal.far_on);
	cr_assert_gt(most, 256, "the heap took pushes before the bound");
	cr_assert_eq(drain_in_order(&cal), pending);
	sim_calendar_fini(&cal);
}

Test(sim_calendar, ladder_purges_stale_cancels)
{
	/* in far mode, the purge keeps handles still pending in the ladder */
	struct sim_calendar cal;
	sim_calendar_init(&cal);
	sim_calendar_set_far(&cal, 64);
	enum { N = 20000 };
	sim_handle *h = malloc(N * sizeof *h);
	for (int i = 0; i < N; i++)
		h[i] = sim_calendar_push(&cal, 1000.0 + i, 0, (uint32_t)i, NULL);
	for (int i = 0; i < N; i += 2)
		cr_assert(sim_calendar_cancel(&cal, h[i]));
	struct sim_event ev;
	for (int i = 0; i < 300000; i++) {	/* stale cancels, to force purges */
		sim_handle s = sim_calendar_push(&cal, (double)i / 1000, 0, UINT32_MAX, NULL);
		cr_assert(sim_calendar_pop(&cal, &ev));
		cr_assert_eq(ev.kind, UINT32_MAX);
		sim_calendar_cancel(&cal, s);
	}
	for (int i = 1; i < N; i += 2) {
		cr_assert(sim_calendar_pop(&cal, &ev));
		cr_assert_eq(ev.kind, (uint32_t)i);
	}
	cr_assert_not(sim_calendar_pop(&cal, &ev));
	free(h);
	sim_calendar_fini(&cal);
}

/* Pops both calendars to the end, checking they pop the same events, and
 * frees them. */
static void drain_against_heap(struct sim_calendar *far, struct sim_calendar *heap)
{
	struct sim_event ea, eb;
	while (sim_calendar_pop(heap, &eb)) {
		cr_assert(sim_calendar_pop(far, &ea));
		cr_assert_eq(ea.seq, eb.seq);
	}
	cr_assert_not(sim_calendar_pop(far, &ea));
	sim_calendar_fini(far);
	sim_calendar_fini(heap);
}

/* The hold model at a size where the ladder's rungs are full (1,024
 * buckets) and its chunk pool grows while events wait: the calendar in
 * far mode pops exactly what a plain heap pops, event for event. */
static void hold_against_heap(int mode, size_t pending, size_t steps)
{
	struct sim_calendar far, heap;
	cr_assert_eq(sim_calendar_init(&far), 0);
	cr_assert_eq(sim_calendar_init(&heap), 0);
	sim_calendar_set_far(&far, SIM_CALENDAR_FAR_FROM);
	sim_calendar_set_far(&heap, SIZE_MAX);
	unsigned seed = 77u + (unsigned)mode;
	for (size_t i = 0; i < pending; i++) {
		double t = draw_time(&seed, 0, mode);
		cr_assert_eq(sim_calendar_push(&far, t, 0, 0, NULL),
			     sim_calendar_push(&heap, t, 0, 0, NULL));
	}
	for (size_t i = 0; i < steps; i++) {
		const struct sim_event *a = sim_calendar_pop_until(&far, INFINITY);
		const struct sim_event *b = sim_calendar_pop_until(&heap, INFINITY);
		cr_assert(a && b);
		cr_assert(a->seq == b->seq && a->time == b->time, "mode %d, step %zu", mode, i);
		double t = draw_time(&seed, a->time, mode);
		/* the first half shrinks the calendar (every third step schedules
		 * nothing, every seventh two), the second holds it */
		int successors = i >= steps / 2 ? 1 : i % 3 == 0 ? 0 : i % 7 == 0 ? 2 : 1;
		for (int k = 0; k < successors; k++)
			cr_assert_eq(sim_calendar_push(&far, t, 0, 0, NULL),
				     sim_calendar_push(&heap, t, 0, 0, NULL));
	}
	drain_against_heap(&far, &heap);
}

Test(sim_calendar, large_ladder_pops_what_the_heap_pops)
{
	for (int mode = 0; mode < 4; mode++)
		hold_against_heap(mode, 200000, 600000);
}

/* Events at infinity cannot be split into batches: the ladder gives them
 * back last, all together, and far mode ends on them (a batch with no
 * bound would be taken again for ever).  With tens of
 * thousands of them pending, far mode starts again only once the
 * calendar has doubled: trying on every push would cost O(n) a push. */
static void paused_for_good(int paused, int running, int steps)
{
	struct sim_calendar far, heap;
	sim_calendar_init(&far);
	sim_calendar_init(&heap);
	sim_calendar_set_far(&heap, SIZE_MAX);
	for (int i = 0; i < paused; i++)
		cr_assert_eq(sim_calendar_push(&far, INFINITY, 0, 0, NULL),
			     sim_calendar_push(&heap, INFINITY, 0, 0, NULL));
	unsigned seed = 5;
	double now = 0;
	for (int i = 0; i < running + steps; i++) {
		double t = draw_time(&seed, now, 0);
		cr_assert_eq(sim_calendar_push(&far, t, 0, 0, NULL),
			     sim_calendar_push(&heap, t, 0, 0, NULL));
		if (i < running)
			continue;
		const struct sim_event *a = sim_calendar_pop_until(&far, INFINITY);
		const struct sim_event *b = sim_calendar_pop_until(&heap, INFINITY);
		cr_assert(a->seq == b->seq && a->time == b->time, "step %d", i);
		now = a->time;
	}
	drain_against_heap(&far, &heap);
}

Test(sim_calendar, events_at_infinity_in_far_mode, .timeout = 60)
{
	hold_against_heap(4, 12000, 100000);
	hold_against_heap(4, 200000, 600000);
	paused_for_good(30000, 10000, 400000);
	paused_for_good(30000, 100, 400000);	/* nearly all of them */
}
