/* test_json_members.c - objects with thousands of members (a summary's
 * `components` holds one per component): every member found by key, the
 * first of two with one key, in order, after arr_before, a copy and an
 * aggregation; and found fast (a walk per lookup made reading a large
 * summary quadratic). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "sim/json.h"

/* An object of n members "c<i>": i, built under parent as key. */
static struct sim_json *numbers(struct sim_json *parent, const char *key, int n)
{
	struct sim_json *o = sim_json_obj(parent, key);
	for (int i = 0; i < n; i++) {
		char k[32];
		snprintf(k, sizeof k, "c%d", i);
		sim_json_num(o, k, i);
	}
	return o;
}

/* 300,000 lookups in an object of 300,000 members: a fraction of a
 * second with the index; a walk per lookup (4.5e10 comparisons) took
 * minutes, past the timeout. */
Test(sim_json_members, every_member_of_a_huge_object_found_fast, .timeout = 60)
{
	enum { N = 300000 };
	struct sim_json *root = sim_json_new_obj();
	struct sim_json *o = numbers(root, "components", N);
	cr_assert_not(sim_json_failed(root));
	for (int i = 0; i < N; i++) {
		char k[32];
		snprintf(k, sizeof k, "c%d", i);
		cr_assert_eq(sim_json_getnum(root, "components", k, NULL), i, "%s", k);
	}
	cr_expect_null(sim_json_get(o, "c-1", NULL));
	cr_expect_null(sim_json_get(o, "c300000", NULL));
	cr_expect_null(sim_json_get(o, "", NULL));
	sim_json_free(root);
}

/* The first member with a key wins, whether the object is small or
 * large, and writing keeps the members in the order they were added. */
Test(sim_json_members, first_of_two_members_with_one_key)
{
	for (int n = 4; n <= 4096; n *= 4) {
		struct sim_json *o = sim_json_new_obj();
		sim_json_num(o, "dup", -1);
		for (int i = 0; i < n; i++) {
			char k[32];
			snprintf(k, sizeof k, "m%d", i);
			sim_json_num(o, k, i);
			if (i == n / 2)
				sim_json_num(o, "dup", -2);
		}
		sim_json_num(o, "dup", -3);
		cr_expect_eq(sim_json_getnum(o, "dup", NULL), -1, "n = %d", n);
		cr_expect_eq(sim_json_getnum(o, "m0", NULL), 0, "n = %d", n);
		char k[32];
		snprintf(k, sizeof k, "m%d", n - 1);
		cr_expect_eq(sim_json_getnum(o, k, NULL), n - 1, "n = %d", n);

		char *text = th_json_text(o);
		const char *at = text;
		int dups = 0;
		for (int i = 0; i < n; i++) {
			snprintf(k, sizeof k, "\"m%d\": %d", i, i);
			const char *next = strstr(at, k);
			cr_assert_not_null(next, "n = %d: %s after the one before", n, k);
			at = next;
		}
		for (const char *p = text; (p = strstr(p, "\"dup\"")); p++)
			dups++;
		cr_expect_eq(dups, 3, "every member written");
		free(text);
		sim_json_free(o);
	}
}

/* arr_before puts a member before another: found by key in a large
 * object, and found first when it now comes before a member with its key. */
Test(sim_json_members, arr_before_in_a_large_object)
{
	enum { N = 5000 };
	struct sim_json *o = sim_json_new_obj();
	for (int i = 0; i < N; i++) {
		char k[32];
		snprintf(k, sizeof k, "c%d", i);
		if (i == 100)
			sim_json_str(o, "early", "before the new one");
		if (i == N / 2)
			sim_json_num(o, "conservation", 1);
		if (i == 4000) {
			sim_json_num(o, "recovery", 2);
			sim_json_num(o, "late", 3);
		}
		sim_json_num(o, k, i);
	}
	struct sim_json *rec = sim_json_arr_before(o, "recovery", "conservation");
	struct sim_json *early = sim_json_arr_before(o, "early", "conservation");
	struct sim_json *fresh = sim_json_arr_before(o, "fresh", "conservation");
	struct sim_json *end = sim_json_arr_before(o, "end", "absent");
	cr_assert(rec && early && fresh && end);
	cr_expect_eq(sim_json_get(o, "recovery", NULL), rec, "the array comes first now");
	cr_expect_eq(sim_json_get(o, "early", NULL)->type, SIM_JSON_STR, "this one still first");
	cr_expect_eq(sim_json_get(o, "fresh", NULL), fresh);
	cr_expect_eq(sim_json_get(o, "end", NULL), end);
	cr_expect_eq(sim_json_getnum(o, "late", NULL), 3);
	cr_expect_eq(sim_json_getnum(o, "conservation", NULL), 1);
	cr_expect_eq(rec->next, early);
	cr_expect_eq(fresh->next, sim_json_get(o, "conservation", NULL));
	cr_expect_null(end->next, "the last member");
	struct sim_json *after = sim_json_num(o, "after", 1);
	cr_expect_eq(end->next, after, "a member added next goes after it");
	for (int i = 0; i < N; i++) {
		char k[32];
		snprintf(k, sizeof k, "c%d", i);
		cr_assert_eq(sim_json_getnum(o, k, NULL), i, "%s", k);
	}
	sim_json_free(o);
}

Test(sim_json_members, copy_of_a_large_object)
{
	enum { N = 3000 };
	struct sim_json *root = sim_json_new_obj();
	struct sim_json *comps = sim_json_obj(root, "components");
	for (int i = 0; i < N; i++) {
		char k[32];
		snprintf(k, sizeof k, "w%d", i);
		struct sim_json *c = sim_json_obj(comps, k);
		sim_json_str(c, "kind", "workers");
		sim_json_num(c, "completed", 10 * i);
	}
	struct sim_json *copy = sim_json_new_obj();
	sim_json_copy_into(copy, comps);
	cr_assert_not(sim_json_failed(copy));
	for (int i = 0; i < N; i++) {
		char k[32];
		snprintf(k, sizeof k, "w%d", i);
		cr_assert_eq(sim_json_getnum(copy, "components", k, "completed", NULL), 10 * i);
		cr_assert_str_eq(sim_json_get(copy, "components", k, "kind", NULL)->str, "workers");
	}
	sim_json_free(root);
	sim_json_free(copy);
}

/* Three trees, each with an object of N members and an array of N
 * numbers (one N - 1): members matched by key, elements by position. */
Test(sim_json_members, aggregate_of_large_trees)
{
	enum { N = 3000, T = 3 };
	struct sim_json *trees[T];
	for (int t = 0; t < T; t++) {
		trees[t] = sim_json_new_obj();
		struct sim_json *o = sim_json_obj(trees[t], "components");
		/* members in another order in each tree: found by key */
		for (int j = 0; j < N; j++) {
			int i = t == 1 ? N - 1 - j : j;
			char k[32];
			snprintf(k, sizeof k, "c%d", i);
			sim_json_num(o, k, i + t);
		}
		struct sim_json *a = sim_json_arr(trees[t], "list");
		for (int i = 0; i < N - (t == 2); i++)
			sim_json_num(a, NULL, 2 * i + t);
	}
	struct sim_json *agg = sim_json_aggregate((const struct sim_json *const *)trees, T,
						  NULL, NULL);
	cr_assert_not_null(agg);
	for (int i = 0; i < N; i++) {
		char k[32];
		snprintf(k, sizeof k, "c%d", i);
		cr_assert_eq(sim_json_getnum(agg, "components", k, "mean", NULL), i + 1, "%s", k);
		cr_assert_eq(sim_json_getnum(agg, "components", k, "n", NULL), T);
	}
	int n = 0;
	for (const struct sim_json *e = sim_json_get(agg, "list", NULL)->first; e; e = e->next, n++)
		cr_assert_eq(sim_json_getnum(e, "mean", NULL), 2 * n + 1, "element %d", n);
	cr_expect_eq(n, N - 1, "an element missing from one tree is left out");
	for (int t = 0; t < T; t++)
		sim_json_free(trees[t]);
	sim_json_free(agg);
}
