/* test_hot_examples.c - the story scenarios/hot-partition.yaml tells:
 * the likes of other posts that share the viral post's partition wait
 * minutes unless the hot key is isolated (by rule or adaptively),
 * coalesced or sampled; more consumers, more partitions and per-key
 * ordering do not bring them under their 1 s goal.  And the hot-post
 * variant of scenarios/likes-spike.yaml, where nothing keeps order per
 * post, matches its baseline. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/json.h"
#include "tests/helpers.h"

#define GOAL_S 1.0	/* the scenario's goal: a like counted within 1 s */

/* The figures of partition i of topic `likes` (i = -1: the list). */
static const struct sim_json *partition(const struct sim_result *res, int i)
{
	const struct sim_json *p = sim_json_get(res->body, "components", "likes", "partitions", NULL);
	cr_assert(p && p->type == SIM_JSON_ARR);
	if (i < 0)
		return p;
	for (p = p->first; p && i > 0; i--)
		p = p->next;
	cr_assert_not_null(p);
	return p;
}

/* The partition that took the most items: the hot one in the baseline. */
static int busiest(const struct sim_result *res)
{
	int best = -1, i = 0;
	double most = -1;
	for (const struct sim_json *p = partition(res, -1)->first; p; p = p->next, i++) {
		double a = sim_json_getnum(p, "arrived", NULL);
		if (a > most) {
			most = a;
			best = i;
		}
	}
	return best;
}

/* The peak age of the oldest waiting like of partition i in a variant. */
static double oldest(const char *yaml, const char *variant, int i)
{
	struct th_runs r;
	th_run(&r, yaml, variant, 1);
	double v = sim_json_getnum(partition(&r.res[0], i), "max_oldest_age_s", NULL);
	cr_log_info("%s: partition %d's oldest like waited %.3f s", variant ? variant : "baseline", i, v);
	th_runs_free(&r);
	return v;
}

Test(hot_examples, only_isolation_coalescing_or_sampling_meet_the_goal, .timeout = 120)
{
	char *yaml = th_example("hot-partition.yaml");
	struct th_runs base;
	th_run(&base, yaml, NULL, 1);
	int hot = busiest(&base.res[0]);
	double b = sim_json_getnum(partition(&base.res[0], hot), "max_oldest_age_s", NULL);
	/* the innocent likes on the hot partition wait minutes... */
	cr_expect_gt(b, 120, "baseline: %g s", b);
	/* ...while every other partition stays fast */
	int i = 0;
	for (const struct sim_json *p = partition(&base.res[0], -1)->first; p; p = p->next, i++)
		if (i != hot)
			cr_expect_lt(sim_json_getnum(p, "max_oldest_age_s", NULL), GOAL_S / 10);
	th_runs_free(&base);

	/* no help: a partition has one consumer whatever the pool's size */
	double more = oldest(yaml, "more-consumers", hot);
	cr_expect_float_eq(more, b, 1e-9 * b);
	/* some help, far from the goal */
	cr_expect_gt(oldest(yaml, "more-partitions", hot), 60);
	cr_expect_gt(oldest(yaml, "ordering-key", hot), 60);
	/* the goal met, and far below the baseline */
	static const char *const fixes[] = { "isolate", "adaptive", "coalescing", "sample-hot" };
	for (size_t k = 0; k < sizeof fixes / sizeof fixes[0]; k++) {
		double v = oldest(yaml, fixes[k], hot);
		cr_expect_lt(v, GOAL_S, "%s: %g s", fixes[k], v);
		cr_expect_lt(v, b / 100, "%s: %g s", fixes[k], v);
	}
	free(yaml);
}

Test(hot_examples, isolation_sends_the_hot_post_to_its_lane, .timeout = 60)
{
	char *yaml = th_example("hot-partition.yaml");
	struct th_runs rule, ad;
	th_run(&rule, yaml, "isolate", 1);
	th_run(&ad, yaml, "adaptive", 1);
	const struct sim_result *r = &rule.res[0], *a = &ad.res[0];
	double flow = th_value(r, "components.like-api.key_flows.hot");
	cr_assert_gt(flow, 50000);	/* 300/s for 3 minutes */
	/* by rule: every like of the hot post, and nothing else, in the lane */
	cr_expect_float_eq(th_value(r, "components.hot-q.arrived"), flow, 0.5);
	cr_expect_lt(th_value(r, "components.hot-q.max_oldest_age_s"), GOAL_S);
	/* adaptive: the same key flow (its own stream), found within one
	 * window (2 s) of the spike's start at 2 minutes, alone, and all but
	 * the first window's likes isolated */
	cr_expect_float_eq(th_value(a, "components.like-api.key_flows.hot"), flow, 0.5);
	double first = th_value(a, "components.by-post.hot_first_s");
	cr_expect(first >= 120 && first <= 122, "first hot at %g s", first);
	cr_expect_float_eq(th_value(a, "components.by-post.hot_keys"), 1, 0.5);
	cr_expect_float_eq(th_value(a, "components.by-post.hot_isolations"), 1, 0.5);
	cr_expect_geq(th_value(a, "components.by-post.isolated"), flow - 2 * 300);
	cr_expect_float_eq(th_value(a, "components.by-post.hot_bound_held"), 1, 0.5);
	th_runs_free(&rule);
	th_runs_free(&ad);
	free(yaml);
}

Test(hot_examples, sampling_keeps_one_hot_like_in_ten, .timeout = 60)
{
	char *yaml = th_example("hot-partition.yaml");
	struct th_runs s;
	th_run(&s, yaml, "sample-hot", 1);
	const struct sim_result *r = &s.res[0];
	double flow = th_value(r, "components.like-api.key_flows.hot");
	double kept = flow - th_value(r, "components.discard.limited");
	/* a binomial share of 1/10: within 5 standard deviations */
	double sd = sqrt(flow * 0.1 * 0.9);
	cr_expect(fabs(kept - flow / 10) < 5 * sd, "kept %g of %g", kept, flow);
	cr_expect_float_eq(th_value(r, "conservation.dropped"),
			   th_value(r, "components.discard.limited"), 0.5);
	th_runs_free(&s);
	free(yaml);
}

Test(hot_examples, a_hot_post_without_per_key_order_is_just_a_spike, .timeout = 60)
{
	char *yaml = th_example("likes-spike.yaml");
	struct th_runs base, hot;
	th_run(&base, yaml, NULL, 1);
	th_run(&hot, yaml, "hot-post", 1);
	const struct sim_result *b = &base.res[0], *h = &hot.res[0];
	cr_expect_float_eq(th_value(h, "components.like-api.key_flows.hot"), 8000 * 60, 5 * sqrt(8000 * 60));
	static const char *const same[] = {
		"components.analytics-q.max_oldest_age_s",
		"components.analytics-q.max_depth",
		"classes.critical.sojourn_s.p99",
	};
	for (size_t k = 0; k < sizeof same / sizeof same[0]; k++) {
		double x = th_value(b, same[k]), y = th_value(h, same[k]);
		cr_expect(fabs(y - x) <= 0.05 * x, "%s: %g against %g", same[k], y, x);
	}
	th_runs_free(&base);
	th_runs_free(&hot);
	free(yaml);
}
