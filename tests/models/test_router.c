/* test_router.c - routing by class and by weight (models/router.c) */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tests/helpers.h"

#define CLASSES "classes: {critical: {priority: 0}, bulk: {priority: 1}}\n"

/* Two producers, one per class, into router r; routes is r's map. */
static char *scenario(const char *routes)
{
	static char buf[2048];
	snprintf(buf, sizeof buf,
		 "duration: 20s\nsample: 1s\n" CLASSES
		 "components:\n"
		 "  crit: {kind: producer, rate: 200/s, class: critical, to: r}\n"
		 "  bulk: {kind: producer, rate: 600/s, class: bulk, to: r}\n"
		 "  r: {kind: router, %s}\n"
		 "  critical-q: {kind: queue}\n"
		 "  a-q: {kind: queue}\n"
		 "  b-q: {kind: queue}\n"
		 "  wc: {kind: workers, from: critical-q, count: 50, service: 1ms}\n"
		 "  wa: {kind: workers, from: a-q, count: 50, service: 1ms}\n"
		 "  wb: {kind: workers, from: b-q, count: 50, service: 1ms}\n",
		 routes);
	return buf;
}

static const char *weighted =
	"routes: [{to: critical-q, classes: [critical]}, {to: a-q, weight: 3}, {to: b-q, weight: 1}]";

Test(router, class_routing_is_exact, .timeout = 60)
{
	struct th_runs r;
	th_run(&r, scenario(weighted), NULL, 2);	/* asserts conservation */
	for (unsigned k = 0; k < r.reps; k++) {
		const struct sim_result *res = &r.res[k];
		double crit = th_value(res, "components.crit.created");
		double bulk = th_value(res, "components.bulk.created");
		cr_assert_gt(crit, 0);
		cr_expect_eq(th_value(res, "components.critical-q.arrived"), crit,
			     "every critical item, and only those, reach the critical lane");
		cr_expect_eq(th_value(res, "components.a-q.arrived") +
				     th_value(res, "components.b-q.arrived"),
			     bulk);
		cr_expect_eq(th_value(res, "components.r.received"), crit + bulk);
		cr_expect_eq(th_value(res, "components.r.dropped.unrouted"), 0);
	}
	th_runs_free(&r);
}

Test(router, weights_share_the_rest, .timeout = 120)
{
	/* constant arrivals: the same 12000 bulk items in every replication */
	struct th_runs r;
	th_run(&r,
	       "duration: 20s\nsample: 1s\n" CLASSES
	       "components:\n"
	       "  bulk: {kind: producer, rate: 600/s, arrivals: constant, class: bulk, to: r}\n"
	       "  r: {kind: router, routes: [{to: critical-q, classes: [critical]},"
	       " {to: a-q, weight: 3}, {to: b-q, weight: 1}]}\n"
	       "  critical-q: {kind: queue}\n"
	       "  a-q: {kind: queue}\n"
	       "  b-q: {kind: queue}\n"
	       "  wc: {kind: workers, from: critical-q, count: 1, service: 1ms}\n"
	       "  wa: {kind: workers, from: a-q, count: 50, service: 1ms}\n"
	       "  wb: {kind: workers, from: b-q, count: 50, service: 1ms}\n",
	       NULL, 10);
	struct th_est n = th_estimate(&r, "components.bulk.created");
	cr_assert_eq(n.ci95, 0, "the same number of items in every replication");
	cr_assert_gt(n.mean, 10000);
	/* a-q's share is 3/(3+1) = 0.75: its count is 0.75 n within the CI */
	th_check(&r, "components.a-q.arrived", 0.75 * n.mean, 0.02);
	th_check(&r, "components.b-q.arrived", 0.25 * n.mean, 0.05);
	cr_expect_eq(th_value(&r.res[0], "components.critical-q.arrived"), 0);
	th_runs_free(&r);
}

Test(router, the_rest_goes_to_default, .timeout = 60)
{
	struct th_runs r;
	th_run(&r, scenario("routes: [{to: critical-q, classes: [critical]}], default: b-q"), NULL, 1);
	cr_expect_eq(th_value(&r.res[0], "components.b-q.arrived"),
		     th_value(&r.res[0], "components.bulk.created"));
	cr_expect_eq(th_value(&r.res[0], "components.a-q.arrived"), 0);
	cr_expect_eq(th_value(&r.res[0], "components.critical-q.arrived"),
		     th_value(&r.res[0], "components.crit.created"));
	th_runs_free(&r);
}

Test(router, the_same_seed_routes_the_same_way, .timeout = 60)
{
	struct th_runs a, b;
	th_run(&a, scenario(weighted), NULL, 1);
	th_run(&b, scenario(weighted), NULL, 1);
	cr_expect_eq(th_value(&a.res[0], "components.a-q.arrived"),
		     th_value(&b.res[0], "components.a-q.arrived"));
	th_runs_free(&a);
	th_runs_free(&b);
}

static void expect_error(const char *routes, const char *want)
{
	char err[4096];
	int n = th_errors(scenario(routes), err, sizeof err);
	cr_expect_gt(n, 0, "%s: accepted", routes);
	cr_expect(strstr(err, want) != NULL, "%s: expected '%s' in:\n%s", routes, want, err);
}

Test(router, bad_configurations_are_refused)
{
	expect_error("routes: [{to: critical-q, classes: [critical]}]",
		     "no route of router 'r' takes class 'bulk'");
	expect_error("routes: [{to: a-q, classes: [urgent]}], default: b-q",
		     "undefined class 'urgent' in router 'r'");
	expect_error("routes: [{to: a-q, weight: 0}]", "'weight' in router 'r' must be greater than 0");
	expect_error("routes: [{to: a-q, weight: -1}]", "'weight' in router 'r' must be greater than 0");
	expect_error("routes: [{to: a-q, weight: 1, classes: [bulk]}]", "both 'classes' and 'weight'");
	expect_error("routes: [{to: a-q}], default: b-q", "neither 'classes' nor 'weight'");
	expect_error("routes: []", "'routes' of router 'r' must list 1 to 32 routes");
	expect_error("routes: [{to: a-q, weight: 1, share: 2}]", "unknown key 'share'");
	expect_error("routes: [{to: a-q, weight: 1}], fallback: b-q", "unknown key 'fallback'");
	expect_error("routes: [{to: a-q, classes: []}], default: b-q", "non-empty list");
	expect_error("routes: [{to: nowhere-q, weight: 1}]", "nowhere-q");
}

/* A keyed producer (a viral key `hot` from 5 s to 15 s) into router r. */
static char *keyed(const char *keys, const char *router)
{
	static char buf[2048];
	snprintf(buf, sizeof buf,
		 "duration: 30s\nsample: 1s\n"
		 "components:\n"
		 "  users:\n"
		 "    kind: producer\n"
		 "    rate: 1500/s\n"
		 "    keys: %s\n"
		 "    schedule: [{at: 5s, for: 10s, rate: 600/s, key: hot}]\n"
		 "    to: r\n"
		 "  r: {kind: router, %s}\n"
		 "  hot-q: {kind: queue}\n"
		 "  a-q: {kind: queue}\n"
		 "  b-q: {kind: queue}\n"
		 "  wh: {kind: workers, from: hot-q, count: 50, service: 1ms}\n"
		 "  wa: {kind: workers, from: a-q, count: 50, service: 1ms}\n"
		 "  wb: {kind: workers, from: b-q, count: 50, service: 1ms}\n",
		 keys, router);
	return buf;
}

Test(router, key_routes_take_exactly_their_keys, .timeout = 60)
{
	struct th_runs r;
	th_run(&r, keyed("{count: 20}", "routes: [{to: hot-q, keys: [hot, 3]}, {to: a-q, weight: 1}]"),
	       NULL, 2);
	for (unsigned k = 0; k < r.reps; k++) {
		const struct sim_result *res = &r.res[k];
		double hot = th_value(res, "components.users.key_flows.hot");
		double all = th_value(res, "components.users.created");
		double q = th_value(res, "components.hot-q.arrived");
		cr_assert_gt(hot, 5000);
		/* the viral items and drawn key 3 (1/20 of the others) */
		cr_expect_geq(q, hot);
		double key3 = q - hot, rest = all - hot;
		cr_expect(fabs(key3 - rest / 20) < 4 * sqrt(rest / 20),
			  "drawn key 3: %g items of %g, expected 1/20", key3, rest);
		cr_expect_eq(th_value(res, "components.a-q.arrived"), all - q);
	}
	th_runs_free(&r);
}

Test(router, round_robin_takes_turns, .timeout = 60)
{
	struct th_runs r;
	th_run(&r, scenario("routes: [{to: [a-q, b-q, critical-q], load: round_robin}]"), NULL, 1);
	double n = th_value(&r.res[0], "components.r.received");
	const char *q[] = { "components.a-q.arrived", "components.b-q.arrived",
			    "components.critical-q.arrived" };
	for (int i = 0; i < 3; i++)
		cr_expect(fabs(th_value(&r.res[0], q[i]) - n / 3) <= 1, "%s: %g of %g", q[i],
			  th_value(&r.res[0], q[i]), n);
	th_runs_free(&r);
}

Test(router, least_depth_favours_the_faster_lane, .timeout = 60)
{
	const char *yaml =
		"duration: 30s\nsample: 1s\n"
		"components:\n"
		"  src: {kind: producer, rate: 700/s, to: r}\n"
		"  r: {kind: router, routes: [{to: [slow-q, fast-q], load: %s}]}\n"
		"  slow-q: {kind: queue}\n"
		"  fast-q: {kind: queue}\n"
		"  ws: {kind: workers, from: slow-q, count: 1, service: 4ms}\n"
		"  wf: {kind: workers, from: fast-q, count: 1, service: 1ms}\n";
	char buf[1024];
	snprintf(buf, sizeof buf, yaml, "least_depth");
	struct th_runs r;
	th_run(&r, buf, NULL, 1);
	double slow = th_value(&r.res[0], "components.slow-q.arrived");
	double fast = th_value(&r.res[0], "components.fast-q.arrived");
	cr_expect_gt(fast, 2 * slow, "fast %g, slow %g", fast, slow);
	cr_expect_lt(th_value(&r.res[0], "components.slow-q.max_depth"), 20);
	th_runs_free(&r);
}

Test(router, hot_isolation_finds_the_viral_key_within_a_window, .timeout = 60)
{
	struct th_runs r;
	th_run(&r, keyed("{count: 100000}", "hot: {to: hot-q, top: 2, window: 4s}, routes: [{to: a-q, weight: 1}]"),
	       NULL, 3);
	for (unsigned k = 0; k < r.reps; k++) {
		const struct sim_result *res = &r.res[k];
		cr_expect_eq(th_value(res, "components.r.hot_keys"), 1, "only the viral key, never the uniform ones");
		double first = th_value(res, "components.r.hot_first_s");
		cr_expect(first > 5 && first <= 9, "first isolated at %g s (the flow starts at 5 s, window 4 s)", first);
		double isolated = th_value(res, "components.r.isolated");
		double hot = th_value(res, "components.users.key_flows.hot");
		cr_expect(isolated > 0.7 * hot && isolated <= hot, "isolated %g of %g", isolated, hot);
		cr_expect_eq(th_value(res, "components.hot-q.arrived"), isolated);
		cr_expect_eq(th_value(res, "components.r.hot_bound_held"), 1);
		cr_expect_leq(th_value(res, "components.r.hot_error_vs_bound"), 1);
		cr_expect_gt(th_value(res, "components.r.hot_checks"), 0);
	}
	th_runs_free(&r);
}

Test(router, bad_key_and_load_routes_are_refused)
{
	expect_error("routes: [{to: a-q, keys: hot}], default: b-q",
		     "'keys' of a route of router 'r' must be a non-empty list of key names or numbers, e.g. [hot, 17], got a single value");
	expect_error("routes: [{to: a-q, keys: [[hot]]}], default: b-q", "expected a key name or number");
	expect_error("routes: [{to: a-q, keys: [hot], classes: [bulk]}], default: b-q",
		     "has both 'classes' and 'keys'");
	expect_error("routes: [{to: a-q, keys: [hot], weight: 2}], default: b-q", "has both 'keys' and 'weight'");
	expect_error("routes: [{to: [a-q, b-q], load: fastest}]", "unknown load 'fastest'");
	expect_error("routes: [{to: [a-q, b-q], load: none}]", "must be least_depth or round_robin");
	expect_error("routes: [{to: a-q, load: round_robin}]", "with 'load' must list 1 to 16 targets");
	expect_error("routes: [{to: [a-q, b-q], load: round_robin, weight: 1}]", "both 'load' and 'weight'");
	expect_error("routes: [{to: [a-q, wb], load: least_depth}]", "does not accept items");
	expect_error("routes: [{to: a-q, weight: 1}], hot: {to: b-q, top: 0, window: 1s}",
		     "'top' in router 'r' must be between 1 and 256");
	expect_error("routes: [{to: a-q, weight: 1}], hot: {to: b-q, top: 2}", "window");
	expect_error("routes: [{to: a-q, weight: 1}], hot: {to: b-q, top: 2, window: 1s, hits: 3}",
		     "unknown key 'hits'");
	expect_error("routes: [{to: a-q, weight: 1}], hot: b-q", "expected {to, top, window, share} for 'hot'");
}
