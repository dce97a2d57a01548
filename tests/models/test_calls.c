/* test_calls.c - worker pools held by their calls (models/calls.c,
 * sim/calls.c), deadlines across hops and cancellation (models/client.c,
 * models/queue.c), end to end. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tests/helpers.h"

static void expect_conserved(const struct th_runs *r)
{
	for (unsigned i = 0; i < r->reps; i++)
		cr_expect(r->res[i].conserved, "replication %u: conservation broken", i);
}

/* Runs fmt with every %s "true" (on) and "false" (off). */
static void run_on_off(const char *fmt, struct th_runs *on, struct th_runs *off)
{
	char text[2048];
	snprintf(text, sizeof text, fmt, "true", "true");
	th_run(on, text, NULL, 1);
	snprintf(text, sizeof text, fmt, "false", "false");
	th_run(off, text, NULL, 1);
}

static void free_on_off(struct th_runs *on, struct th_runs *off)
{
	expect_conserved(on);
	expect_conserved(off);
	th_runs_free(on);
	th_runs_free(off);
}

/* Three tiers, each a client with 2 retries in front of a pool that
 * calls the next tier; the database fails every call.  Each user request
 * costs 3 x 3 x 3 = 27 database calls, all at the instant it arrives. */
static const char chain27[] =
	"duration: 10s\n"
	"components:\n"
	"  users: {kind: producer, rate: 7/s, arrivals: constant, schedule: [{at: 6s, rate: 0}], to: api}\n"
	"  api: {kind: client, retries: 2, to: qa}\n"
	"  qa: {kind: queue}\n"
	"  wa: {kind: workers, from: qa, count: 4, service: 1ms, calls: b}\n"
	"  b: {kind: client, retries: 2, to: qb}\n"
	"  qb: {kind: queue}\n"
	"  wb: {kind: workers, from: qb, count: 4, service: 1ms, calls: c}\n"
	"  c: {kind: client, retries: 2, to: db}\n"
	"  db: {kind: database, connections: 2, service: 1ms, failure: 1}\n";

Test(calls, retries_compound_over_three_tiers, .timeout = 60)
{
	struct th_runs r;
	th_run(&r, chain27, NULL, 1);
	const struct sim_result *res = &r.res[0];
	double users = th_value(res, "components.users.created");
	cr_assert_gt(users, 40);
	cr_expect_eq(th_value(res, "components.db.calls"), 27 * users);
	cr_expect_eq(th_value(res, "components.c.attempts_per_request"), 27);
	cr_expect_eq(th_value(res, "components.b.attempts_per_request"), 9);
	cr_expect_eq(th_value(res, "components.c.amplification"), 3);
	/* every failed call drops the caller's item: 3 x users at wa */
	cr_expect_eq(th_value(res, "components.wa.failed_calls"), 3 * users);
	cr_expect_eq(th_value(res, "components.users.dropped"), users);
	expect_conserved(&r);
	th_runs_free(&r);
}

/* calls: [a, b] calls a, then b once a has answered; the worker is held
 * through both (2 ms of its own + 10 ms + 20 ms), and a failure of the
 * first means the second is never called. */
Test(calls, a_list_is_called_in_order, .timeout = 60)
{
	static const char yaml[] =
		"duration: 20s\n"
		"components:\n"
		"  src: {kind: producer, rate: 10/s, arrivals: constant, to: q}\n"
		"  q: {kind: queue}\n"
		"  w: {kind: workers, from: q, count: 5, service: 2ms, calls: [a, b]}\n"
		"  a: {kind: database, connections: 5, service: 10ms%s}\n"
		"  b: {kind: database, connections: 5, service: 20ms}\n";
	char text[1024];
	struct th_runs ok, bad;
	snprintf(text, sizeof text, yaml, "");
	th_run(&ok, text, NULL, 1);
	snprintf(text, sizeof text, yaml, ", failure: 1");
	th_run(&bad, text, NULL, 1);
	double n = th_value(&ok.res[0], "components.src.created");
	cr_expect_eq(th_value(&ok.res[0], "components.b.calls"), n);
	cr_expect_eq(th_value(&ok.res[0], "components.w.completed"), n);
	/* Little: busy = lambda x 32 ms; waiting on calls 30 of the 32 */
	double busy = th_value(&ok.res[0], "components.w.mean_busy");
	cr_expect(fabs(busy - n * 0.032 / 20) < 1e-6, "mean busy %g for %g items", busy, n);
	cr_expect(fabs(th_value(&ok.res[0], "components.w.call_wait_share") - 30.0 / 32) < 1e-6);
	cr_expect_eq(th_value(&bad.res[0], "components.b.calls"), 0);
	cr_expect_eq(th_value(&bad.res[0], "components.w.failed_calls"), n);
	expect_conserved(&ok);
	expect_conserved(&bad);
	th_runs_free(&ok);
	th_runs_free(&bad);
}

/* A vendor quota: the pool calls a limiter in front of the vendor's
 * database; a refused call fails at once and drops the item. */
Test(calls, through_a_limiter_refused_calls_fail_at_once, .timeout = 60)
{
	struct th_runs r;
	th_run(&r,
	       "duration: 20s\n"
	       "components:\n"
	       "  src: {kind: producer, rate: 20/s, arrivals: constant, to: q}\n"
	       "  q: {kind: queue}\n"
	       "  w: {kind: workers, from: q, count: 10, service: 1ms, calls: quota}\n"
	       "  quota: {kind: limiter, rate: 5/s, burst: 1, to: vendor}\n"
	       "  vendor: {kind: database, connections: 10, service: 50ms}\n",
	       NULL, 1);
	const struct sim_result *res = &r.res[0];
	double n = th_value(res, "components.src.created");
	double vendor = th_value(res, "components.vendor.calls");
	double limited = th_value(res, "components.quota.limited");
	cr_expect(vendor >= 90 && vendor <= 101, "%g calls reached the vendor", vendor);
	cr_expect_eq(vendor + limited, n);
	cr_expect_eq(th_value(res, "components.w.failed_calls"), limited);
	cr_expect_eq(th_value(res, "components.w.completed"),
		     th_value(res, "components.vendor.completed"));
	cr_expect_eq(th_value(res, "components.src.dropped"), limited);
	/* refused calls hold no worker: only the vendor's 50 ms does */
	double busy = th_value(res, "components.w.mean_busy");
	cr_expect(fabs(busy - (n * 0.001 + vendor * 0.05) / 20) < 1e-3, "mean busy %g", busy);
	expect_conserved(&r);
	th_runs_free(&r);
}

/* A user's 50 ms deadline reaches the queue two hops down through two
 * clients whose own timeouts are 10 s, only with propagate_deadline. */
static const char deadlines[] =
	"duration: 10s\n"
	"components:\n"
	"  users: {kind: producer, rate: 30/s, to: api}\n"
	"  api: {kind: client, timeout: 50ms, to: qa}\n"
	"  qa: {kind: queue}\n"
	"  wa: {kind: workers, from: qa, count: 1000, service: 1ms, calls: b}\n"
	"  b: {kind: client, timeout: 10s, propagate_deadline: %s, to: qb}\n"
	"  qb: {kind: queue}\n"
	"  wb: {kind: workers, from: qb, count: 1000, service: 1ms, calls: c}\n"
	"  c: {kind: client, timeout: 10s, propagate_deadline: %s, to: qc}\n"
	"  qc: {kind: queue, honor_deadlines: true}\n"
	"  wc: {kind: workers, from: qc, count: 1, service: {dist: exponential, mean: 40ms}}\n";

Test(calls, the_queue_two_hops_down_drops_by_the_users_deadline, .timeout = 60)
{
	struct th_runs on, off;
	run_on_off(deadlines, &on, &off);
	/* 30/s into 25/s: the backlog grows; with the user's deadline no
	 * item is served after waiting more than 50 ms less the two hops */
	cr_expect_gt(th_value(&on.res[0], "components.qc.dropped.deadline"), 30);
	cr_expect_lt(th_value(&on.res[0], "components.qc.wait_p99_s"), 0.05);
	cr_expect_eq(th_value(&off.res[0], "components.qc.dropped.deadline"), 0);
	cr_expect_gt(th_value(&off.res[0], "components.qc.wait_p99_s"), 1);
	free_on_off(&on, &off);
}

/* The client gives up after 100 ms; the worker takes 1 s: with
 * cancel_on_timeout attempts stop waiting in the queue at once. */
static const char cancel_queue[] =
	"duration: 10s\n"
	"components:\n"
	"  users: {kind: producer, rate: 10/s, arrivals: constant, schedule: [{at: 5s, rate: 0}], to: api}\n"
	"  api: {kind: client, timeout: 100ms, cancel_on_timeout: %s, to: q}\n"
	"  q: {kind: queue}\n"
	"  w: {kind: workers, from: q, count: 1, service: 1s}\n";

Test(calls, cancellation_removes_waiting_attempts, .timeout = 60)
{
	struct th_runs on, off;
	run_on_off(cancel_queue, &on, &off);
	const struct sim_result *res = &on.res[0];
	double n = th_value(res, "components.users.created");
	cr_assert_eq(n, 50);
	cr_expect_eq(th_value(res, "components.api.cancelled"), n);
	cr_expect_eq(th_value(res, "components.api.timeouts"), n);
	/* each attempt waits 100 ms at most, then leaves the queue (the
	 * next arrives at the instant it times out) */
	cr_expect_leq(th_value(res, "components.q.max_depth"), 2);
	cr_expect_leq(th_value(res, "components.q.max_oldest_age_s"), 0.1 + 1e-9);
	double in_q = th_value(res, "components.q.dropped.cancelled");
	double in_w = th_value(res, "components.w.cancelled");
	/* the worker serves one in every 1 s, cancelled in its service time:
	 * it finishes that time and drops it */
	cr_expect_eq(in_q + in_w, n);
	cr_expect(in_w >= 5 && in_w <= 6, "%g cancelled in service", in_w);
	cr_expect_eq(th_value(res, "components.w.completed"), 0);
	cr_expect_eq(th_value(res, "components.api.late_completions"), 0);
	/* without it they wait and are served, late */
	cr_expect_gt(th_value(&off.res[0], "components.q.max_depth"), 20);
	cr_expect_gt(th_value(&off.res[0], "components.api.late_completions"), 5);
	free_on_off(&on, &off);
}

/* The api gives up after 100 ms on work that holds a worker of wa in a
 * call to b, whose attempt waits behind a 1 s worker: cancellation frees
 * wa's worker at once and takes b's attempt out of qb. */
static const char cancel_chain[] =
	"duration: 20s\n"
	"components:\n"
	"  users: {kind: producer, rate: 5/s, arrivals: constant, schedule: [{at: 10s, rate: 0}], to: api}\n"
	"  api: {kind: client, timeout: 100ms, cancel_on_timeout: %s, to: qa}\n"
	"  qa: {kind: queue}\n"
	"  wa: {kind: workers, from: qa, count: 2, calls: [b]}\n"
	"  b: {kind: client, to: qb}\n"
	"  qb: {kind: queue}\n"
	"  wb: {kind: workers, from: qb, count: 1, calls: db}\n"
	"  db: {kind: database, connections: 1, service: 1s}\n";

Test(calls, cancellation_frees_held_workers_down_the_chain, .timeout = 60)
{
	struct th_runs on, off;
	run_on_off(cancel_chain, &on, &off);
	const struct sim_result *res = &on.res[0];
	double n = th_value(res, "components.users.created");
	cr_assert_eq(n, 50);
	/* every request times out, and each cancels its work at every tier */
	cr_expect_eq(th_value(res, "components.api.cancelled"), n);
	cr_expect_eq(th_value(res, "components.wa.cancelled"), n);
	cr_expect_eq(th_value(res, "components.b.dropped.cancelled"), n);
	double q = th_value(res, "components.qb.dropped.cancelled");
	double db = th_value(res, "components.db.cancelled");
	cr_expect_eq(q + db, n, "cancelled in qb %g, in the database %g", q, db);
	cr_expect_eq(db, th_value(res, "components.wb.cancelled"));
	/* a worker of wa is held 100 ms per request: 5/s x 0.1 s = 0.5 busy
	 * for the first half of the run */
	cr_expect(fabs(th_value(res, "components.wa.mean_busy") - 0.25) < 0.01);
	cr_expect_eq(th_value(res, "components.wa.max_busy"), 1);
	cr_expect_eq(th_value(res, "components.db.completed"), 0);
	/* without it, wa's two workers stay held by calls that wait behind
	 * the 1 s database */
	cr_expect_eq(th_value(&off.res[0], "components.wa.max_busy"), 2);
	cr_expect_gt(th_value(&off.res[0], "components.qa.max_depth"), 20);
	free_on_off(&on, &off);
}

static void expect_error(const char *components, const char *want)
{
	char yaml[2048], buf[4096];
	snprintf(yaml, sizeof yaml,
		 "duration: 1s\n"
		 "components:\n"
		 "  src: {kind: producer, rate: 1/s, to: q}\n"
		 "  q: {kind: queue}\n"
		 "%s",
		 components);
	cr_expect_gt(th_errors(yaml, buf, sizeof buf), 0, "no error for:\n%s", components);
	cr_expect(strstr(buf, want), "expected '%s' in:\n%s", want, buf);
}

Test(calls, bad_input)
{
	expect_error("  w: {kind: workers, from: q, count: 1, calls: src}\n",
		     "'calls' of workers 'w' names producer 'src', which does not accept items");
	expect_error("  w: {kind: workers, from: q, count: 1, calls: [db, w2]}\n"
		     "  db: {kind: database, connections: 1, service: 1ms}\n"
		     "  q2: {kind: queue}\n"
		     "  w2: {kind: workers, from: q2, count: 1, service: 1ms}\n",
		     "names workers 'w2', which does not accept items (it pulls from a queue: send to that queue)");
	expect_error("  w: {kind: workers, from: q, count: 1, calls: []}\n",
		     "'calls' of workers 'w' must list 1 to 16 components, got 0");
	expect_error("  w: {kind: workers, from: q, count: 1, calls: nowhere}\n",
		     "'calls' of workers 'w' names unknown component 'nowhere'");
	/* B calls C calls B, through clients and queues */
	expect_error("  w: {kind: workers, from: q, count: 1, calls: cb}\n"
		     "  cb: {kind: client, to: qb}\n"
		     "  qb: {kind: queue}\n"
		     "  wb: {kind: workers, from: qb, count: 1, calls: cc}\n"
		     "  cc: {kind: client, to: qc}\n"
		     "  qc: {kind: queue}\n"
		     "  wc: {kind: workers, from: qc, count: 1, calls: cb}\n",
		     "items would flow in a cycle: cb -> qb -> wb -> cc -> qc -> wc -> cb");
	expect_error("  w: {kind: workers, from: q, count: 1, service: 1ms}\n"
		     "  c: {kind: client, cancel_on_timeout: true, to: q}\n",
		     "'cancel_on_timeout' of client 'c' needs a 'timeout'");
	expect_error("  w: {kind: workers, from: q, count: 1, service: 1ms}\n"
		     "  c: {kind: client, timeout: 1s, propagate_deadline: yes, to: q}\n",
		     "expected true or false for 'propagate_deadline' in client 'c'");
}

/* An attempt cancelled where nothing can take it out (a limiter's delay
 * line) is dropped where it next arrives: the queue. */
Test(calls, cancelled_in_transit_is_dropped_on_arrival, .timeout = 60)
{
	struct th_runs r;
	th_run(&r,
	       "duration: 20s\n"
	       "components:\n"
	       "  users: {kind: producer, rate: 10/s, arrivals: constant, schedule: [{at: 10s, rate: 0}], to: api}\n"
	       "  api: {kind: client, timeout: 100ms, cancel_on_timeout: true, to: lim}\n"
	       "  lim: {kind: limiter, rate: 5/s, burst: 1, mode: delay, to: q}\n"
	       "  q: {kind: queue}\n"
	       "  w: {kind: workers, from: q, count: 10, service: 1ms}\n",
	       NULL, 1);
	const struct sim_result *res = &r.res[0];
	/* the line grows by 5/s: all but the first few wait past 100 ms */
	double cancelled = th_value(res, "components.api.cancelled");
	cr_expect_gt(cancelled, 90);
	cr_expect_geq(th_value(res, "components.q.dropped.cancelled"), cancelled - 1);
	cr_expect_leq(th_value(res, "components.w.completed"), 2);
	expect_conserved(&r);
	th_runs_free(&r);
}
