/* parts.c - running a model's independent parts window by window.
 *
 * Components that no link joins (sim/links.c numbers the parts) never
 * act on each other: an item stays in the part it was made in, and a
 * component schedules events only for itself.  So the order in which
 * two parts' events interleave changes nothing any component sees, and
 * each part may run on by itself up to the next event that reads them
 * all: the engine's own, a sample or the warm-up.  A model of a thousand
 * pipelines then runs one pipeline for a whole sample interval, its
 * state in the cache, instead of a thousand states taking turns for
 * every event (docs/performance.md, "Wide models").
 *
 * Each part has a calendar of its own; the engine's calendar keeps its
 * own events.  Sequence numbers stay one count across all of them (each
 * calendar takes it up at the start of its turn and hands it on), so an
 * event and an engine event at the same time keep the order they would
 * have in one calendar: whatever was pushed before the engine event runs
 * before it.  A sum over several parts (a class's sojourns from sources
 * in different parts) adds up each part's sum in the order of the parts
 * (sim/sojourn.h): the outputs are those of one calendar, bit for bit.
 *
 * Parts that read each other's signals (sim_signal_find) act on each
 * other: they run as one.  So do the parts of a scenario that limits the
 * items alive at once (`max_items` counts them at one time), or that has
 * too many parts and classes to sum part by part; and, for a while, the
 * parts whose sample intervals hold too few events to pay for the turns
 * (PARTS_MIN_EVENTS): they go apart again once busy.  A limit that stops
 * the run stops it in one part's turn: the others are then at the
 * window's start or its end, and the run's figures are those reached
 * (the summary says where it stopped, at the latest time reached).
 */
#include <math.h>
#include <stdlib.h>

#include "sim/engine_private.h"

/* Events a sample interval must run per part for the parts to stay
 * apart (a turn costs a few misses of the cache, an event of a part
 * whose state is cached saves as many), twice as many to go apart again;
 * either, PARTS_AFTER intervals in a row. */
#define PARTS_MIN_EVENTS 8
#define PARTS_AFTER 3

/* The calendar an event belongs in, apart: the engine's or a part's. */
static struct sim_calendar *home(struct sim_engine *e, const struct sim_event *ev)
{
	uint32_t c = ev->comp;
	if (c == ENGINE_COMP) {
		if (ev->kind < EV_UNBLOCK)
			return &e->cal;
		c = ev->kind - EV_UNBLOCK;
	}
	return &e->parts[e->sc->part_of[c]];
}

/* Moves every event of from to where home (or one) says; -1 when out of
 * memory (the events not moved are lost: the run must stop). */
static int move_all(struct sim_engine *e, struct sim_calendar *from, struct sim_calendar *one)
{
	struct sim_event ev;
	while (sim_calendar_pop(from, &ev))
		if (!sim_calendar_push_as(one ? one : home(e, &ev), &ev))
			return -1;
	return 0;
}

size_t sim_engine_parts(const struct sim_engine *e)
{
	return e->parts ? e->sc->nparts : 0;
}

void sim_parts_fini(struct sim_engine *e)
{
	for (size_t p = 0; e->parts && p < e->sc->nparts; p++)
		sim_calendar_fini(&e->parts[p]);
	free(e->parts);
	e->parts = NULL;
}

/* Whether the parts may run apart. */
static bool may_part(const struct sim_engine *e)
{
	/* a limit on the items alive at once counts them at one time */
	return e->sc->nparts > 1 && e->sc->part_of && !e->one_part && !e->limits.one_calendar &&
	       !e->sc->max_items;
}

int sim_parts_split(struct sim_engine *e)
{
	size_t np = e->sc->nparts;
	if (!may_part(e) || e->parts)
		return 0;
	e->parts = calloc(np, sizeof *e->parts);
	if (!e->parts)
		return -1;
	for (size_t p = 0; p < np; p++)
		if (sim_calendar_init_cap(&e->parts[p], 4) < 0)
			return -1;
	/* the engine's calendar held them all: a small one keeps its own */
	struct sim_calendar all = e->cal;
	if (sim_calendar_init_cap(&e->cal, 4) < 0) {
		e->cal = all;
		return -1;
	}
	e->cal.seq = all.seq;
	int rc = move_all(e, &all, NULL);
	sim_calendar_fini(&all);
	if (rc < 0)
		return -1;
	for (size_t i = 0; i < e->n; i++)
		e->ctx[i].cal = &e->parts[e->sc->part_of[i]];
	return 0;
}

/* The parts' events go back to the engine's calendar. */
static void merge(struct sim_engine *e)
{
	for (size_t p = 0; p < e->sc->nparts; p++)
		if (move_all(e, &e->parts[p], &e->cal) < 0) {
			sim_engine_stop(e, "out of memory for the event calendar");
			break;
		}
	for (size_t i = 0; i < e->n; i++)
		e->ctx[i].cal = &e->cal;
	sim_parts_fini(e);
}

/* Runs part cal's events before (t, s): earlier than t, or at t and
 * pushed before the engine event numbered s. */
static void run_part(struct sim_engine *e, struct sim_calendar *cal, double t, uint64_t s)
{
	cal->seq = e->cal.seq;
	double before = nextafter(t, -INFINITY);
	while (!e->stopping) {
		const struct sim_event *ev = sim_calendar_pop_until(cal, before);
		if (!ev) {	/* at t itself: rare, and ordered by number */
			ev = sim_calendar_next(cal);
			if (!ev || ev->time != t || ev->seq >= s)
				break;
			ev = sim_calendar_pop_until(cal, t);
		}
		sim_engine_dispatch(e, ev);
	}
	e->cal.seq = cal->seq;
}

bool sim_parts_run(struct sim_engine *e)
{
	while (e->parts && !e->stopping) {
		const struct sim_event *own = sim_calendar_next(&e->cal);
		bool last = !own || own->time > e->until;
		double t = last ? e->until : own->time;
		uint64_t s = last ? UINT64_MAX : own->seq;
		double reached = e->now;
		for (size_t p = 0; p < e->sc->nparts && !e->stopping; p++) {
			run_part(e, &e->parts[p], t, s);
			reached = e->now > reached ? e->now : reached;
		}
		e->now = reached;	/* the latest time any part reached */
		if (e->stopping || last)
			return false;
		sim_engine_dispatch(e, sim_calendar_pop_until(&e->cal, e->until));
	}
	return !e->stopping;	/* a sample put them back in one calendar */
}

void sim_parts_sampled(struct sim_engine *e)
{
	uint64_t n = e->events - e->part_events;
	e->part_events = e->events;
	if (!may_part(e))
		return;
	uint64_t few = PARTS_MIN_EVENTS * e->sc->nparts;
	e->part_light = n < few ? e->part_light + 1 : 0;
	e->part_busy = n >= 2 * few ? e->part_busy + 1 : 0;
	if (e->parts && e->part_light >= PARTS_AFTER)
		merge(e);
	else if (!e->parts && e->part_busy >= PARTS_AFTER && sim_parts_split(e) < 0)
		sim_engine_stop(e, "out of memory for the event calendar");
}

bool sim_parts_step(struct sim_engine *e)
{
	if (e->stopping)
		return false;
	struct sim_calendar *best = &e->cal;
	const struct sim_event *first = sim_calendar_next(&e->cal);
	for (size_t p = 0; p < e->sc->nparts; p++) {
		const struct sim_event *ev = sim_calendar_next(&e->parts[p]);
		if (ev && (!first || sim_calendar_before(ev, first))) {
			first = ev;
			best = &e->parts[p];
		}
	}
	if (!first || first->time > e->until)
		return false;
	/* numbers go on from the largest given, whichever calendar pushes */
	uint64_t seq = e->cal.seq;
	for (size_t p = 0; p < e->sc->nparts; p++)
		seq = e->parts[p].seq > seq ? e->parts[p].seq : seq;
	best->seq = seq;
	sim_engine_dispatch(e, sim_calendar_pop_until(best, e->until));
	e->cal.seq = best->seq > seq ? best->seq : seq;
	return true;
}
