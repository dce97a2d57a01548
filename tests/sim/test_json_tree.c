/* test_json_tree.c - the memory of a summary tree (sim/json.c): nodes of
 * 48 bytes in the tree's arena, one copy of each key and string, a copy
 * into another tree that outlives its source, and containers that keep
 * their order and find their members across the switch to an index. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "sim/json.h"

Test(sim_json_tree, a_node_is_48_bytes)
{
	cr_expect_leq(sizeof(struct sim_json), 48);
}

Test(sim_json_tree, each_key_and_string_is_kept_once)
{
	struct sim_json *root = sim_json_new_obj();
	struct sim_json *a = sim_json_obj(root, "p0");
	struct sim_json *b = sim_json_obj(root, "p1");
	struct sim_json *ka = sim_json_str(a, "kind", "producer");
	struct sim_json *kb = sim_json_str(b, "kind", "producer");
	struct sim_json *na = sim_json_num(a, "created", 1);
	struct sim_json *nb = sim_json_num(b, "created", 2);
	cr_assert(ka && kb && na && nb);
	cr_expect_eq(ka->key, kb->key, "one copy of the key");
	cr_expect_eq(ka->str, kb->str, "one copy of the string");
	cr_expect_eq(na->key, nb->key);
	cr_expect_str_eq(kb->str, "producer");
	cr_expect_null(na->str, "a number has no string");
	cr_expect_null(na->first, "nor members");
	cr_expect_eq(sim_json_getnum(root, "p1", "created", NULL), 2);
	cr_expect_not(sim_json_failed(root));
	sim_json_free(root);
}

Test(sim_json_tree, a_copy_outlives_its_source)
{
	struct sim_json *src = sim_json_new_obj();
	struct sim_json *o = sim_json_obj(src, "q0");
	sim_json_str(o, "kind", "queue");
	sim_json_num(o, "depth", 7);
	sim_json_bool(o, "ok", true);
	sim_json_null(o, "none");
	struct sim_json *arr = sim_json_arr(o, "list");
	for (int i = 0; i < 40; i++)
		sim_json_num(arr, NULL, i);
	struct sim_json *dst = sim_json_new_obj();
	sim_json_copy_into(dst, o);
	sim_json_free(src);
	cr_assert_not(sim_json_failed(dst));
	cr_expect_str_eq(sim_json_get(dst, "q0", "kind", NULL)->str, "queue");
	cr_expect_eq(sim_json_getnum(dst, "q0", "depth", NULL), 7);
	cr_expect(sim_json_get(dst, "q0", "ok", NULL)->b);
	cr_expect_eq(sim_json_get(dst, "q0", "none", NULL)->type, SIM_JSON_NULL);
	int n = 0;
	for (const struct sim_json *e = sim_json_get(dst, "q0", "list", NULL)->first; e;
	     e = e->next, n++)
		cr_assert_eq(e->num, n);
	cr_expect_eq(n, 40);
	sim_json_free(dst);
}

/* Members 1 to 40: the container walks to append up to
 * SIM_JSON_INDEX_MIN, then keeps its last and an index. */
Test(sim_json_tree, order_and_lookup_across_the_switch_to_an_index)
{
	struct sim_json *root = sim_json_new_obj();
	struct sim_json *o = sim_json_obj(root, "o");
	struct sim_json *a = sim_json_arr(root, "a");
	for (int i = 0; i < 40; i++) {
		char k[16];
		snprintf(k, sizeof k, "m%d", i);
		cr_assert_not_null(sim_json_num(o, k, i));
		cr_assert_not_null(sim_json_num(a, NULL, i));
		if (i % 7 == 3)
			sim_json_num(o, "dup", i);	/* the first stays found */
		for (int j = 0; j <= i; j++) {
			snprintf(k, sizeof k, "m%d", j);
			cr_assert_eq(sim_json_getnum(o, k, NULL), j, "%s after %d members", k, i + 1);
		}
		cr_assert_null(sim_json_get(o, "absent", NULL));
		if (i >= 3)
			cr_assert_eq(sim_json_getnum(o, "dup", NULL), 3, "the first 'dup'");
	}
	int n = 0;
	for (const struct sim_json *e = a->first; e; e = e->next, n++)
		cr_assert_eq(e->num, n);
	cr_expect_eq(n, 40);
	sim_json_free(root);
}

Test(sim_json_tree, only_objects_and_arrays_take_members)
{
	struct sim_json *root = sim_json_new_obj();
	struct sim_json *x = sim_json_num(root, "x", 1);
	cr_expect_null(sim_json_num(x, "y", 2));
	cr_expect_null(sim_json_obj(NULL, "y"));
	cr_expect_eq(sim_json_getnum(root, "x", NULL), 1);
	sim_json_free(root);
}

Test(sim_json_tree, freeing_a_member_leaves_the_tree_whole)
{
	struct sim_json *root = sim_json_new_obj();
	struct sim_json *o = sim_json_obj(root, "o");
	sim_json_num(o, "v", 5);
	sim_json_free(o);	/* goes with its tree: nothing happens */
	cr_expect_eq(sim_json_getnum(root, "o", "v", NULL), 5);
	sim_json_free(root);
	sim_json_free(NULL);
}
