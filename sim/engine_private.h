/* engine_private.h - the engine's state, shared by the files that make
 * up the engine: engine.c (event loop, items and the calls that hand
 * them on), lifecycle.c (making and freeing an engine, its run's limits),
 * calls.c (calls between components, cancellation), services.c (the
 * services models use that the loop does not), probes.c (time-series
 * probes and sampling) and summary.c (the end-of-run summary).  Nothing
 * outside them includes it.
 */
#ifndef SIM_ENGINE_PRIVATE_H
#define SIM_ENGINE_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/calendar.h"
#include "sim/engine.h"
#include "sim/item.h"
#include "sim/model.h"
#include "sim/sojourn.h"
#include "sim/stats.h"
#include "sim/worklist.h"

/* The component number of the engine's own events. */
#define ENGINE_COMP (UINT32_MAX - 1)
/* Engine events; EV_UNBLOCK + i tells component i that it is unblocked. */
enum { EV_SAMPLE, EV_WARMUP, EV_UNBLOCK };

struct sim_probe;	/* probes.c */

struct sim_ctx {
	struct sim_engine *eng;
	struct sim_calendar *cal;	/* where its events wait: the engine's, or
					 * its part's (sim/parts.c) */
	uint32_t self;
	const struct sim_model_ops *ops;
	const struct sim_component *comp;
	void *state;
	gsl_rng **rngs;
	size_t nrngs;
	bool hungry;		/* a consumer whose last pull found nothing */
	unsigned nreasons;	/* entries of ops->reasons */
	struct sim_count *drops;	/* nreasons: the items it dropped, by reason */
	struct sim_source_stats *src;	/* a source's work; NULL otherwise */
	size_t src_index;	/* its number among the sources */
};

struct class_stats {
	struct sim_count completed, dropped;
};

struct ptrvec {
	void **v;
	size_t n, cap;
};

struct sim_engine {
	const struct sim_scenario *sc;
	unsigned rep;
	double now, end;	/* end: of the run */
	double until;		/* step runs events up to here */
	struct sim_calendar cal;	/* every event; with parts apart, the
					 * engine's own (samples, the warm-up) */
	struct sim_calendar *parts;	/* each part's events (sc->nparts), when
					 * the parts run apart (sim/parts.c);
					 * else NULL */
	bool one_part;		/* the parts act on each other (a signal read
				 * across them): they run as one */
	uint64_t part_events;	/* events run by the previous sample */
	unsigned part_light, part_busy;	/* sample intervals in a row with few
					 * events, and with many */
	struct sim_item_pool pool;
	uint64_t next_id, events;
	uint64_t ops;		/* operations run from the work list */
	unsigned depth;		/* calls handing items on, nested now */
	struct sim_worklist later;	/* those nested too deep; empty
					 * whenever depth < ENGINE_NEST */
	struct sim_ctx *ctx;
	size_t n;
	struct ptrvec counts, levels, hists;
	struct sim_probe *probes;	/* one per column of series */
	size_t nprobes, cap_probes;
	struct sim_series series;
	uint64_t nsamples;
	struct class_stats *cls;
	struct sim_sojourn soj;	/* the sojourns of the sources' work */
	uint64_t *created;
	uint64_t *created_warm;	/* created at the warm-up */
	bool cancels;		/* some component may cancel work */
	uint64_t *completed, *dropped;	/* of non-sources: a source's are in
					 * its sim_source_stats */
	struct sim_limits limits;
	bool stopping;
	char why[256];
	double wall_start;
};

/* lifecycle.c */
/* Appends p to pv; -1 when out of memory. */
int sim_engine_push_ptr(struct ptrvec *pv, void *p);
/* Stops the run at the end of the current event, keeping the first
 * reason given. */
void sim_engine_stop(struct sim_engine *e, const char *why);
/* Stops the run if an interrupt, the event limit or the wall-clock limit
 * says so, and reports progress; called every few thousand events. */
void sim_engine_check_limits(struct sim_engine *e);

/* engine.c */
/* The engine's own event of kind: a sample, the warm-up, an unblock. */
void sim_engine_own_event(struct sim_engine *e, uint32_t kind);

/* Runs ev, just popped (readable until the next push): the clock moves
 * to its time. */
static inline void sim_engine_dispatch(struct sim_engine *e, const struct sim_event *ev)
{
	e->now = ev->time;
	e->events++;
	uint32_t comp = ev->comp, kind = ev->kind;
	if (comp == ENGINE_COMP) {
		sim_engine_own_event(e, kind);
	} else {
		struct sim_ctx *c = &e->ctx[comp];
		c->ops->handle(c, c->state, kind, ev->item);
	}
	if ((e->events & 0x3fff) == 0)
		sim_engine_check_limits(e);
}

/* parts.c */
/* Puts each part's events in a calendar of its own, once every component
 * has started, if the model has several parts that do not act on each
 * other; 0, or -1 when out of memory. */
int sim_parts_split(struct sim_engine *e);
/* Runs the parts window by window up to e->until (or the end of the run,
 * or a stop): false; true when they have gone back to one calendar, the
 * rest to run one event after another. */
bool sim_parts_run(struct sim_engine *e);
/* At each sample: the parts go back to one calendar after a few sample
 * intervals of too few events to pay for their turns, and apart again
 * after a few busy ones. */
void sim_parts_sampled(struct sim_engine *e);
/* Runs the earliest event of any calendar; false when none is left before
 * e->until, or the run is stopping. */
bool sim_parts_step(struct sim_engine *e);
/* Frees the parts' calendars. */
void sim_parts_fini(struct sim_engine *e);

/* calls.c */
/* Makes call item c a plain item of its caller's (its end answers no
 * one); returns the caller and sets *parent to the item it was made for. */
uint32_t sim_call_detach(struct sim_item *c, struct sim_item **parent);
/* Tells caller the outcome of the call made for item. */
void sim_call_answer(struct sim_engine *e, uint32_t caller, struct sim_item *item,
		     enum sim_call_result result);

/* probes.c */
/* The probes of each class's completed, dropped and sojourn p99; -1 when
 * out of memory. */
int sim_probes_classes(struct sim_engine *e);
/* The probes of each component's drops by reason (columns
 * NAME.dropped:REASON, after the class columns); -1 when out of memory. */
int sim_probes_drops(struct sim_engine *e);
/* The probes all made: their array and the series' names shrink to fit. */
void sim_probes_fit(struct sim_engine *e);
/* The run over, its last row sampled: the probes and their p99
 * histograms go, before the summary (the run's peak of memory) is made. */
void sim_probes_release(struct sim_engine *e);
/* Frees the buckets of the probes' p99 histograms. */
void sim_probes_fini_hists(struct sim_engine *e);
/* Fills row (one value per probe) with each probe's value now. */
void sim_probes_row(struct sim_engine *e, double *row);

/* summary.c */
/* Writes components, classes and conservation into body. */
void sim_engine_summarise(struct sim_engine *e, struct sim_json *body);

#endif
