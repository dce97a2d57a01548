/* lint.h - what a model tells the sanity checks about one component.
 *
 * A model's optional `lint` hook (struct sim_model_ops) is called once per
 * component after the scenario has loaded, with the component's
 * configuration; it states facts through the sim_lint_* calls below and
 * nothing else.  The checks (sim/lint.c) put the facts of every component
 * together: the rates that reach each pool at baseline, what each pool
 * can serve, what each client waits for.  A fact a model does not state
 * is unknown, and a check that would need it says nothing: the warnings
 * must never cry wolf, so every rate the checks carry is a lower bound
 * and every capacity an upper bound.
 *
 * Keys are named as written in the component's map ("timeout"), so a
 * warning can point at the line that says it.
 */
#ifndef SIM_LINT_H
#define SIM_LINT_H

#include <stdbool.h>
#include <stdint.h>

struct sim_dist;
struct sim_lint;
struct sim_profile;

/* The model's hook: states the facts of the component configured as conf. */
typedef void sim_lint_fn(struct sim_lint *l, const void *conf);

/* ---- how items flow --------------------------------------------------- */

/* It creates items at this rate per second outside any schedule entry;
 * NAN when the rate is not known in advance (a rate file, a trace). */
void sim_lint_source(struct sim_lint *l, double rate);
/* The least rate of profile p outside its schedule's entries (a rate
 * file's rows) within the run, its baseline; NAN when no time of the
 * run is outside them. */
double sim_lint_baseline(const struct sim_lint *l, const struct sim_profile *p);
/* Of the items it passes on, this share (0 to 1; NAN: not known in
 * advance, such as a route by class or key) goes to component to.  A
 * branch that copies items counts too. */
void sim_lint_sends(struct sim_lint *l, uint32_t to, double share);
/* For each item it serves it calls callee once, and waits for the answer. */
void sim_lint_calls(struct sim_lint *l, uint32_t callee);
/* It may drop or refuse items under load, or hold back whoever sends them
 * (a bounded queue, a ttl, a breaker): what it passes on is then not
 * known, and its own backlog cannot grow without bound. */
void sim_lint_sheds(struct sim_lint *l);
/* It may drop some of the items passing through without bounding its
 * backlog (a database's random failures): what it passes on is not known. */
void sim_lint_drops(struct sim_lint *l);
/* A full buffer makes whoever sends to it wait (`overflow: block`): the
 * sources above it send less than their rate. */
void sim_lint_blocks(struct sim_lint *l);

/* A caller hears back as soon as it takes an item in (a queue's
 * `ack: enqueue`): a call's time ends here. */
void sim_lint_acks(struct sim_lint *l);

/* ---- what it can serve ------------------------------------------------ */

/* At most servers items (or batches) in service at once, each item
 * holding a server item_s seconds on average at best (a batch: its time
 * over its size), besides the time waiting on its calls. */
void sim_lint_serves(struct sim_lint *l, double servers, double item_s);
/* It passes on at most rate items per second, and holds the rest (a
 * token bucket that delays). */
void sim_lint_capacity(struct sim_lint *l, double rate);
/* A buffer: its consumers hold at most n of its items at once (a topic's
 * partitions, each served in order). */
void sim_lint_parallel(struct sim_lint *l, double n);
/* An item spends at least a draw of d here (its service time, before any
 * queueing); d must outlive the checks (it is the model's conf). */
void sim_lint_takes(struct sim_lint *l, const struct sim_dist *d);

/* ---- how it waits and retries ----------------------------------------- */

/* It gives up on what it sends after timeout_s (written at key). */
void sim_lint_timeout(struct sim_lint *l, double timeout_s, const char *key);
/* It retries up to n times (written at key), backing off or not. */
void sim_lint_retries(struct sim_lint *l, uint64_t n, bool backs_off, const char *key);

/* ---- its time series -------------------------------------------------- */

enum {
	SIM_LINT_UNLESS_CANCELLED = 1 << 0,	/* it moves when some client cancels work */
};

/* Its column (the metric after "NAME.") never moves with this
 * configuration, by construction: a fixed pool's `count`. */
void sim_lint_fixed(struct sim_lint *l, const char *column, unsigned flags);

#endif
