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
