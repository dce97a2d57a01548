/* test_chain_examples.c - the stories scenarios/call-chain.yaml and
 * scenarios/slow-dependency.yaml tell in their comments: which fixes
 * recover, and at what cost. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/json.h"
#include "tests/helpers.h"

static char *scenario(const char *name)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/scenarios", th_source_root());
	char *yaml = th_read_in(dir, name);
	cr_assert_not_null(yaml, "cannot read %s/%s", dir, name);
	return yaml;
}

/* Runs one variant (NULL: the baseline) into r. */
static const struct sim_result *run(struct th_runs *r, const char *yaml, const char *variant)
{
	th_run(r, yaml, variant, 1);
	return &r->res[0];
}

/* Whether recovery criterion i recovered. */
static bool recovered(const struct sim_result *res, int i)
{
	const struct sim_json *c = sim_json_get(res->body, "recovery", NULL)->first;
	for (int k = 0; c && k < i; k++)
		c = c->next;
	cr_assert_not_null(c, "no recovery criterion %d", i);
	cr_assert(sim_json_get(c, "judged", NULL)->b, "criterion %d not judged", i);
	return sim_json_get(c, "recovered", NULL)->b;
}

static double recovery_s(const struct sim_result *res, int i)
{
	cr_assert(recovered(res, i), "criterion %d did not recover", i);
	const struct sim_json *c = sim_json_get(res->body, "recovery", NULL)->first;
	for (int k = 0; k < i; k++)
		c = c->next;
	return sim_json_getnum(c, "recovery_time_s", NULL);
}

Test(chain_examples, call_chain_storm_amplifies_27x_and_cancellation_recovers, .timeout = 120)
{
	char *yaml = scenario("call-chain.yaml");
	struct th_runs base, edge, dl, cancel;
	const struct sim_result *b = run(&base, yaml, NULL);
	/* the storm: C's attempts multiply over the three tiers, towards
	 * 3 x 3 x 3 = 27 per user request, and the database serves work
	 * nobody waits for: goodput never comes back */
	cr_expect_not(recovered(b, 0));
	double apr = th_value(b, "components.c.attempts_per_request");
	cr_expect(apr > 22 && apr <= 27, "c: %g attempts per user request", apr);
	cr_expect_lt(th_value(b, "classes.default.served_share"), 0.15);
	cr_expect_gt(th_value(b, "components.c.late_completions"), 50000);
	/* retries only at the edge: far fewer attempts, but 3 x 300/s still
	 * exceeds the database's 800/s */
	const struct sim_result *e = run(&edge, yaml, "edge-retries");
	cr_expect_not(recovered(e, 0));
	cr_expect_lt(th_value(e, "components.c.attempts_per_request"), 3);
	/* propagated deadlines: the wait is in the database's line, which
	 * drops nothing: no better than the baseline */
	const struct sim_result *d = run(&dl, yaml, "deadlines");
	cr_expect_not(recovered(d, 0));
	cr_expect_lt(th_value(d, "classes.default.served_share"), 0.15);
	/* cancellation takes the abandoned work out where it waits */
	const struct sim_result *c = run(&cancel, yaml, "cancel");
	cr_expect_leq(recovery_s(c, 0), 5);
	cr_expect_gt(th_value(c, "classes.default.served_share"), 0.9);
	cr_expect_gt(th_value(c, "components.db.cancelled"), 10000);
	cr_expect_eq(th_value(c, "components.c.late_completions"), 0);
	th_runs_free(&base);
	th_runs_free(&edge);
	th_runs_free(&dl);
	th_runs_free(&cancel);
	free(yaml);
}

Test(chain_examples, call_chain_budgets_and_breaker_recover_at_a_cost, .timeout = 120)
{
	char *yaml = scenario("call-chain.yaml");
	struct th_runs budget, breaker;
	const struct sim_result *bu = run(&budget, yaml, "budgets");
	const struct sim_result *br = run(&breaker, yaml, "breaker");
	cr_expect_leq(recovery_s(bu, 0), 30);
	cr_expect_lt(th_value(bu, "components.c.attempts_per_request"), 1.5);
	cr_expect_leq(recovery_s(br, 0), 10);
	/* both refuse work the cancelling chain serves */
	cr_expect_lt(th_value(bu, "classes.default.served_share"), 0.9);
	cr_expect_lt(th_value(br, "classes.default.served_share"), 0.9);
	th_runs_free(&budget);
	th_runs_free(&breaker);
	free(yaml);
}

Test(chain_examples, slow_vendor_blind_scaling_loses_work_aware_does_not, .timeout = 120)
{
	char *yaml = scenario("slow-dependency.yaml");
	struct th_runs base, blind, aware, bulk;
	const struct sim_result *b = run(&base, yaml, NULL);
	double news_back = recovery_s(b, 1);
	cr_expect(news_back > 60 && news_back < 100, "news recovered after %g s", news_back);
	cr_expect_eq(th_value(b, "classes.news.dropped") + th_value(b, "classes.codes.dropped"), 0);
	/* blind scaling outruns the vendor's quota once it is fast again,
	 * and its extra calls wait ahead of the login codes */
	const struct sim_result *bl = run(&blind, yaml, "autoscale-blind");
	cr_expect_gt(th_value(bl, "components.vendor-quota.limited"), 5000);
	cr_expect_gt(th_value(bl, "classes.codes.sojourn_s.p99"),
		     2 * th_value(b, "classes.codes.sojourn_s.p99"));
	/* downstream-aware: every scale-up held, nothing lost */
	const struct sim_result *aw = run(&aware, yaml, "autoscale-aware");
	cr_expect_gt(th_value(aw, "components.news-senders.scale_ups_held"), 0);
	cr_expect_eq(th_value(aw, "components.news-senders.max_count"), 20);
	cr_expect_eq(th_value(aw, "components.vendor-quota.limited"), 0);
	/* a bulkhead keeps the codes' connections from the blind scaler */
	const struct sim_result *bh = run(&bulk, yaml, "bulkhead");
	cr_expect_lt(th_value(bh, "classes.codes.sojourn_s.p99"),
		     th_value(b, "classes.codes.sojourn_s.p99"));
	cr_expect_lt(th_value(bh, "components.vendor-quota.limited"),
		     th_value(bl, "components.vendor-quota.limited") / 4);
	th_runs_free(&base);
	th_runs_free(&blind);
	th_runs_free(&aware);
	th_runs_free(&bulk);
	free(yaml);
}

Test(chain_examples, slow_vendor_breaker_recovers_at_once_by_failing_work, .timeout = 60)
{
	char *yaml = scenario("slow-dependency.yaml");
	struct th_runs r;
	const struct sim_result *br = run(&r, yaml, "breaker");
	cr_expect_leq(recovery_s(br, 0), 2);
	cr_expect_leq(recovery_s(br, 1), 2);
	cr_expect_lt(th_value(br, "classes.codes.served_share"), 0.8);
	th_runs_free(&r);
	free(yaml);
}

Test(chain_examples, one_second_pause_tips_retries_into_a_lasting_storm, .timeout = 120)
{
	char *yaml = scenario("slow-dependency.yaml");
	struct th_runs pause, plain, calm;
	const struct sim_result *p = run(&pause, yaml, "pause");
	cr_expect_not(recovered(p, 1));
	cr_expect_gt(th_value(p, "components.news-api.amplification"), 2);
	cr_expect_lt(th_value(p, "classes.news.served_share"), 0.5);
	/* the same pause without retries drains in a second or two */
	const struct sim_result *n = run(&plain, yaml, "pause-no-retries");
	cr_expect_leq(recovery_s(n, 1), 2);
	/* the same retrying system without the pause copes: a no-op entry
	 * in place of the pause keeps the overload window */
	const char *from = "pause: true}", *to = "slowdown: 1}";
	char *at = strstr(yaml, from);
	cr_assert_not_null(at);
	cr_assert_eq(strlen(from), strlen(to));
	memcpy(at, to, strlen(to));
	const struct sim_result *c = run(&calm, yaml, "pause");
	cr_expect_leq(recovery_s(c, 1), 2);
	cr_expect_leq(th_value(c, "components.news-api.amplification"), 1.001);
	cr_expect_eq(th_value(c, "classes.news.dropped"), 0);
	th_runs_free(&pause);
	th_runs_free(&plain);
	th_runs_free(&calm);
	free(yaml);
}
