/* model.h - the engine's interface for component models.
 *
 * A model (a file in models/) includes this header and nothing of another model.
 * It describes itself in one struct sim_model_ops table, reads its keys
 * through sim/cfg.h in `configure`, and at run time acts only through its
 * struct sim_ctx: the clock, the calendar, items, links to other
 * components, its own random streams and its statistics.
 *
 * It reaches other components only through the links it read in
 * `configure` (sim_cfg_link) and through signals (sim_signal_find), and
 * schedules events only for itself: the engine runs the parts of a model
 * that no link joins each on its own (sim/parts.c).
 *
 * Items move by direct calls: sim_send() calls the target's `receive`
 * at the same simulated time.  Such calls (sim_send, sim_complete,
 * sim_drop, sim_return) nest on the stack only so deep: one made deeper,
 * in a long same-instant cascade (retries after drops after
 * notifications), returns at once and runs as soon as the hook it was
 * made from has returned.  So a hook must not count on seeing their
 * effects before it returns; `handle`, `start` and `blocked` (false),
 * called from the calendar, are never that deep.  A pool pulls from a buffer with sim_pull()
 * (the buffer's `pull`), and a buffer that gains work calls sim_wake(),
 * which calls `ready` on each component that pulls from it and found it
 * empty last time.  So a consumer must pull whenever it has room, until a
 * pull comes back empty or it is full; a full one is not woken, and
 * pulls again itself once it has room.  Every item
 * ends in exactly one sim_complete() or sim_drop(); the engine then tells
 * the item's creator (and the component awaiting a reply) through
 * `notify`, and returns the item to the pool.
 */
#ifndef SIM_MODEL_H
#define SIM_MODEL_H

#include <gsl/gsl_rng.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/backoff.h"
#include "sim/calendar.h"
#include "sim/cfg.h"
#include "sim/describe.h"
#include "sim/dist.h"
#include "sim/fifo.h"
#include "sim/item.h"
#include "sim/lint.h"
#include "sim/json.h"
#include "sim/profile.h"
#include "sim/ring.h"
#include "sim/stats.h"
#include "sim/timerq.h"
#include "sim/units.h"

struct sim_ctx;

enum sim_outcome {
	SIM_OUT_COMPLETED,	/* the item's path ended */
	SIM_OUT_DROPPED,	/* refused somewhere; reason given */
	SIM_OUT_ACCEPTED,	/* an ack: enqueue buffer took it */
};

/* Reads the component's keys into conf (zeroed, conf_size bytes). */
typedef int sim_configure_fn(struct sim_cfg *cfg, const struct sim_node *map, void *conf);
/* Sets up state (zeroed, state_size bytes); 0 or -1 (out of memory). */
typedef int sim_init_fn(struct sim_ctx *ctx, void *state, const void *conf);
/* Frees what init allocated; called even when init failed half way. */
typedef void sim_fini_fn(void *state);
/* Called once at t = 0, after every component is initialised. */
typedef void sim_start_fn(struct sim_ctx *ctx, void *state);
/* A scheduled event of this component fires. */
typedef void sim_handle_fn(struct sim_ctx *ctx, void *state, uint32_t kind,
			   struct sim_item *item);
/* An item is sent to this component. */
typedef void sim_receive_fn(struct sim_ctx *ctx, void *state, struct sim_item *item);
/* A consumer takes the next item, or NULL when there is none. */
typedef struct sim_item *sim_pull_fn(struct sim_ctx *ctx, void *state);
/* A consumer forming a batch that began with head (an item it pulled
 * from this buffer) takes one more item for it, or NULL: the batch ends
 * there.  same_key: only an item of head's key may join. */
typedef struct sim_item *sim_pull_more_fn(struct sim_ctx *ctx, void *state,
					  const struct sim_item *head, bool same_key);
/* An item a consumer pulled from this buffer has finished its service
 * there (before it moves on), or the consumer now holds n items at most
 * (its workers: at start and whenever that changes): for a buffer that
 * keeps order among its consumers (a topic's consumer group). */
typedef void sim_release_fn(struct sim_ctx *ctx, void *state, struct sim_item *item);
typedef void sim_consumers_fn(struct sim_ctx *ctx, void *state, uint64_t n);
/* A buffer this component pulls from, and found empty, has work. */
typedef void sim_ready_fn(struct sim_ctx *ctx, void *state);
/* An item this component created or awaits has an outcome. */
/* why: the reason of the component that dropped it (its name is why->name),
 * NULL unless the outcome is SIM_OUT_DROPPED. */
typedef void sim_notify_fn(struct sim_ctx *ctx, void *state, struct sim_item *item,
			   enum sim_outcome outcome, const struct sim_reason_desc *why);
/* How a call ends (sim_call). */
enum sim_call_result {
	SIM_CALL_OK,		/* the item is back: carry on with it */
	SIM_CALL_DROPPED,	/* the callee dropped this very item (a
				 * database's call): it is about to be freed,
				 * do not keep it */
	SIM_CALL_FAILED,	/* the call made for it failed: the item is
				 * still the caller's, to drop or go on with */
};
/* An item this component sim_call()ed has its call's outcome. */
typedef void sim_returned_fn(struct sim_ctx *ctx, void *state, struct sim_item *item,
			     enum sim_call_result result);
/* An item this component holds (item->at) is cancelled (sim_cancel_work;
 * SIM_ITEM_CANCELLED is set): drop it now, or once done with it. */
typedef void sim_cancel_fn(struct sim_ctx *ctx, void *state, struct sim_item *item);
/* An item this component is the root of waits at the door of a full
 * buffer (blocked true), or the buffer has taken it in (false). */
typedef void sim_blocked_fn(struct sim_ctx *ctx, void *state, bool blocked);
/* The span in which this component drives the overload (a producer's
 * schedule), for the default report window; false if it has none. */
typedef bool sim_window_fn(const void *conf, double *from, double *to);
/* Writes the summary metrics (after the warm-up) into out. */
typedef void sim_finish_fn(struct sim_ctx *ctx, void *state, struct sim_json *out);

enum {
	SIM_MODEL_SOURCE = 1 << 0,	/* creates work: counted in conservation */
	SIM_MODEL_ANSWERS = 1 << 1,	/* answers a call with the caller's own
					 * item (sim_return) and never passes it
					 * on: a database */
	SIM_MODEL_ONE_CONSUMER = 1 << 2,	/* a buffer only one pool may pull from */
};

struct sim_model_ops {
	const char *name;		/* the `kind` in scenarios */
	const char *noun;		/* in messages: "a worker pool"; NULL: "a <name>" */
	unsigned flags;
	const char *const *keys;	/* accepted keys besides `kind`, NULL-ended */
	/* how it is measured and shown (sim/describe.h) */
	const struct sim_metric_desc *metrics;	/* summary.json */
	const struct sim_column_desc *columns;	/* timeseries.csv */
	const struct sim_chart_desc *charts;	/* its own charts; may be NULL */
	const struct sim_report_desc *report;	/* NULL: no table in report.md */
	const struct sim_reason_desc *reasons;	/* why it drops items; sim_drop()
						 * takes an index in this table */
	size_t conf_size, state_size;
	sim_configure_fn *configure;
	sim_init_fn *init;
	sim_fini_fn *fini;		/* may be NULL */
	sim_start_fn *start;		/* may be NULL */
	sim_handle_fn *handle;		/* may be NULL */
	sim_receive_fn *receive;	/* NULL: cannot be a `to` target */
	sim_pull_fn *pull;		/* NULL: nothing can pull from it */
	sim_pull_more_fn *pull_more;	/* NULL: pull */
	sim_release_fn *release;	/* may be NULL */
	sim_consumers_fn *consumers;	/* may be NULL */
	sim_ready_fn *ready;		/* NULL: pulls from nothing */
	sim_notify_fn *notify;		/* may be NULL */
	sim_returned_fn *returned;	/* NULL: calls nothing */
	sim_blocked_fn *blocked;	/* NULL: does not slow down */
	sim_window_fn *window;		/* may be NULL */
	sim_spans_fn *spans;		/* marked on the charts; may be NULL */
	sim_cancel_fn *cancel;		/* NULL: what it holds is cancelled when
					 * it next arrives somewhere that can */
	/* whether this component may cancel work, from its configuration
	 * (NULL: never); see sim_cancels() */
	bool (*cancels)(const void *conf);
	sim_finish_fn *finish;
	sim_lint_fn *lint;		/* facts for the sanity checks
					 * (sim/lint.h); may be NULL */
};

/* The clock and the scenario. */
double sim_now(const struct sim_ctx *ctx);
double sim_duration(const struct sim_ctx *ctx);
double sim_warmup(const struct sim_ctx *ctx);
const char *sim_name(const struct sim_ctx *ctx);
size_t sim_nclasses(const struct sim_ctx *ctx);
int sim_class_priority(const struct sim_ctx *ctx, size_t cls);

/* Setup, from init only.  Each returns 0, or -1 when out of memory. */
gsl_rng *sim_rng(struct sim_ctx *ctx, const char *purpose);	/* engine-owned */
int sim_track_count(struct sim_ctx *ctx, struct sim_count *c);
int sim_track_level(struct sim_ctx *ctx, struct sim_level *l);
int sim_track_hist(struct sim_ctx *ctx, struct sim_hist *h);	/* also resets it */

/* Time-series columns "<component>.<metric>", sampled every `sample`. */
typedef double sim_gauge_fn(const void *state, double now);
int sim_probe_count(struct sim_ctx *ctx, const char *metric, const struct sim_count *c);
int sim_probe_level(struct sim_ctx *ctx, const char *metric, const struct sim_level *l);
int sim_probe_level_mean(struct sim_ctx *ctx, const char *metric, const struct sim_level *l,
			 double scale);
/* The ratio of two levels' time averages over each interval (busy
 * workers over workers, when the pool's size changes). */
int sim_probe_level_ratio(struct sim_ctx *ctx, const char *metric, const struct sim_level *num,
			  const struct sim_level *den);
int sim_probe_fn(struct sim_ctx *ctx, const char *metric, sim_gauge_fn *fn,
		 const void *state);
/* The p99 of the values added to h within each interval; the engine
 * resets h after each sample (and first, here). */
int sim_probe_p99(struct sim_ctx *ctx, const char *metric, struct sim_hist *h);

/* Overload signals: the current value of another component's time-series
 * column (a level or a gauge: depth, oldest_age_s, waiting, ...), for
 * controllers such as an autoscaler.  Find it in `start` (columns exist
 * once every component is initialised): -1 when there is no such column,
 * -2 when it is not a level or gauge.  Reading is O(1). */
int sim_signal_find(struct sim_ctx *ctx, const char *column);
double sim_signal(struct sim_ctx *ctx, int signal);

/* Events.  The calendar holds the item pointer, not the item. */
sim_handle sim_schedule(struct sim_ctx *ctx, double delay_s, uint32_t kind,
			struct sim_item *item);
sim_handle sim_schedule_at(struct sim_ctx *ctx, double time_s, uint32_t kind,
			   struct sim_item *item);
bool sim_cancel(struct sim_ctx *ctx, sim_handle h);

/* Items.  NULL when the run's item limit is reached; the run then stops
 * at the end of the current event and the model just carries on. */
struct sim_item *sim_item_new(struct sim_ctx *ctx, uint16_t cls);
void sim_send(struct sim_ctx *ctx, uint32_t to, struct sim_item *item);
struct sim_item *sim_pull(struct sim_ctx *ctx, uint32_t from);
/* More for a batch begun with head (the buffer's pull_more, or its pull). */
struct sim_item *sim_pull_more(struct sim_ctx *ctx, uint32_t from, const struct sim_item *head,
			       bool same_key);
/* A pulled item's service is over (before it moves on); the pool holds
 * n items at most now.  No-ops for a buffer without the hooks. */
void sim_release(struct sim_ctx *ctx, uint32_t from, struct sim_item *item);
void sim_consumers(struct sim_ctx *ctx, uint32_t from, uint64_t n);
void sim_wake(struct sim_ctx *ctx);
void sim_complete(struct sim_ctx *ctx, struct sim_item *item);
/* reason: an index in the model's own reasons table */
void sim_drop(struct sim_ctx *ctx, struct sim_item *item, unsigned reason);
void sim_accepted(struct sim_ctx *ctx, struct sim_item *item);

/* Backpressure (a queue's `overflow: block`).  A full buffer keeps an
 * arriving item at its door and calls sim_block(): the engine at once
 * calls `blocked` (true) on the item's root (sim/item.h): a producer
 * pauses.  Once the buffer has taken the item in, it calls sim_unblock(): the
 * root hears `blocked` (false) in an event of its own at the same
 * time, so what it then sends never re-enters the buffer's pull.  A
 * root without the hook is not slowed down: its items just wait. */
void sim_block(struct sim_ctx *ctx, struct sim_item *item);
void sim_unblock(struct sim_ctx *ctx, struct sim_item *item);

/* Calls: the caller holds an item while a call made for it runs, and
 * hears the outcome through its `returned` hook.  A callee that answers
 * (SIM_MODEL_ANSWERS: a database) takes the item itself, if nobody has
 * called it already, and gives it back with sim_return() (SIM_CALL_OK) or
 * drops it (SIM_CALL_DROPPED).  Any other callee gets a call item, made
 * here: of the item's class, root, key and deadline, created by the
 * caller (counted as its own in conservation), with ->parent the item.
 * The call succeeds when the call item's path completes, or a queue with
 * `ack: enqueue` accepts it (SIM_CALL_OK), and fails when it is dropped
 * anywhere (SIM_CALL_FAILED).  While it runs, the item has
 * SIM_ITEM_CALLING and its ->next is the call item. */
void sim_call(struct sim_ctx *ctx, uint32_t callee, struct sim_item *item);
/* A service answers: the item goes back to its caller; an item nobody
 * called (it was sent to the service), or a call item, completes. */
void sim_return(struct sim_ctx *ctx, struct sim_item *item);

/* Cancellation: the work is no longer wanted (a client gave up on it).
 * The item is marked SIM_ITEM_CANCELLED; a call it waits on is cancelled
 * in turn (and no longer answers it); and the component holding it (its
 * `cancel` hook) drops it now or once done with it.  An item in transit,
 * or held by a component without the hook, is dropped where it next
 * arrives, by a component that can cancel.  Each cancelled item ends in
 * exactly one drop, so conservation holds.  O(depth of the call chain),
 * plus what the holders pay to find the item. */
void sim_cancel_work(struct sim_ctx *ctx, struct sim_item *item);
/* Whether some component of the scenario may cancel work (its model's
 * `cancels`): components that hold work then report what was cancelled. */
bool sim_cancels(const struct sim_ctx *ctx);
/* Items component comp has created since the warm-up (all of them before
 * it): with a producer, the requests that entered there. */
double sim_created(const struct sim_ctx *ctx, uint32_t comp);

/* Stops the run early (a resource limit): the outputs so far are kept and
 * marked incomplete. */
void sim_stop(struct sim_ctx *ctx, const char *why);

/* What the engine measures of every source's work (SIM_MODEL_SOURCE):
 * its items completed and dropped, and the sojourn (creation to
 * completion) of those completed, after the warm-up.  The counts are
 * valid from init on, so a source can probe them for its time series;
 * the sojourn is filled in for `finish`. */
struct sim_source_stats {
	struct sim_count completed, dropped;
	struct sim_hist sojourn;
};
const struct sim_source_stats *sim_source_stats(const struct sim_ctx *ctx);

/* Helpers for finish hooks. */
void sim_json_hist(struct sim_json *parent, const char *key, const struct sim_hist *h);
double sim_measured_s(const struct sim_ctx *ctx);	/* time after the warm-up */

#endif
