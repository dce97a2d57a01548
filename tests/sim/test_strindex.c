/* test_strindex.c - the index of names (sim/strindex.h): every key found
 * after any number of growths, colliding keys told apart, the first value
 * of a repeated key kept, absent keys absent. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/strindex.h"

#define MANY 100000

/* MANY keys "c<i>.depth", malloc'd in one block of fixed-size names. */
static char *many_keys(void)
{
	char *k = malloc((size_t)MANY * 16);
	cr_assert_not_null(k);
	for (int i = 0; i < MANY; i++)
		snprintf(k + 16 * i, 16, "c%d.depth", i);
	return k;
}

Test(sim_strindex, many_keys_through_every_growth)
{
	char *k = many_keys();
	struct sim_strindex x;
	sim_strindex_init(&x);
	for (int i = 0; i < MANY; i++) {
		cr_assert_eq(sim_strindex_add(&x, k + 16 * i, (uintptr_t)i + 1), 0);
		/* after each growth (a power of two), every key so far */
		if (((i + 1) & i) == 0)
			for (int j = 0; j <= i; j++)
				cr_assert_eq(sim_strindex_get(&x, k + 16 * j), (uintptr_t)j + 1,
					     "key %d of %d", j, i + 1);
	}
	cr_expect_eq(x.n, (size_t)MANY);
	cr_expect_leq(4 * x.n, 3 * x.cap, "at most 3/4 full");
	cr_expect_geq(8 * x.n, 3 * x.cap, "at least 3/8 full: no more memory than that");
	for (int i = 0; i < MANY; i++)
		cr_expect_eq(sim_strindex_get(&x, k + 16 * i), (uintptr_t)i + 1);
	cr_expect(sim_strindex_on(&x));
	sim_strindex_fini(&x);
	free(k);
}

Test(sim_strindex, absent_keys)
{
	struct sim_strindex x;
	sim_strindex_init(&x);
	cr_expect_eq(sim_strindex_get(&x, "q"), 0, "an empty index holds nothing");
	sim_strindex_add(&x, "q", 7);
	sim_strindex_add(&x, "queue", 8);
	cr_expect_eq(sim_strindex_get(&x, "q"), 7);
	cr_expect_eq(sim_strindex_get(&x, "queue"), 8);
	const char *absent[] = { "", "Q", "qu", "queue ", "queues", "w" };
	for (size_t i = 0; i < sizeof absent / sizeof *absent; i++)
		cr_expect_eq(sim_strindex_get(&x, absent[i]), 0, "'%s'", absent[i]);
	sim_strindex_fini(&x);
	cr_expect_eq(sim_strindex_get(&x, "q"), 0, "fini leaves an empty index");
}

/* Keys whose hashes fall in the same slot of the first table (32 slots),
 * and some with the very same low 16 bits: they probe past each other. */
Test(sim_strindex, colliding_keys)
{
	enum { N = 64 };
	static char keys[N][16];
	int n = 0;
	uint64_t want = sim_strindex_hash("w0") & 0xffff;
	for (int i = 0; n < N; i++) {
		char k[16];
		snprintf(k, sizeof k, "w%d", i);
		if ((sim_strindex_hash(k) & 0xffff) == want)
			snprintf(keys[n++], sizeof keys[0], "%s", k);
	}
	struct sim_strindex x;
	sim_strindex_init(&x);
	for (int i = 0; i < N; i++)
		cr_assert_eq(sim_strindex_add(&x, keys[i], (uintptr_t)i + 1), 0, "%s", keys[i]);
	for (int i = 0; i < N; i++)
		cr_expect_eq(sim_strindex_get(&x, keys[i]), (uintptr_t)i + 1, "%s", keys[i]);
	cr_expect_eq(sim_strindex_get(&x, "w-1"), 0);
	sim_strindex_fini(&x);
}

Test(sim_strindex, first_value_of_a_repeated_key_stays)
{
	struct sim_strindex x;
	sim_strindex_init(&x);
	char a[] = "rate", b[] = "rate";	/* equal keys, not the same pointer */
	cr_expect_eq(sim_strindex_add(&x, a, 1), 0);
	for (int i = 0; i < 100; i++) {
		char k[16];
		snprintf(k, sizeof k, "k%d", i);
		sim_strindex_add(&x, strdup(k), (uintptr_t)i + 10);
	}
	cr_expect_eq(sim_strindex_add(&x, b, 2), 1, "already there");
	cr_expect_eq(sim_strindex_get(&x, "rate"), 1, "the first value");
	cr_expect_eq(x.n, 101u);
	sim_strindex_set(&x, b, 2);
	cr_expect_eq(sim_strindex_get(&x, "rate"), 2, "set replaces on purpose");
	sim_strindex_set(&x, "absent", 3);
	cr_expect_eq(sim_strindex_get(&x, "absent"), 0, "set adds nothing");
	for (size_t i = 0; i < x.cap; i++)
		if (x.slots[i].key && x.slots[i].key != a && x.slots[i].key != b)
			free((char *)x.slots[i].key);
	sim_strindex_fini(&x);
}

/* A wide model indexes tens of thousands of names: a slot is a key and a
 * value, no more. */
Test(sim_strindex, a_slot_is_a_key_and_a_value)
{
	cr_expect_eq(sizeof(struct sim_strindex_slot), 2 * sizeof(void *));
}
