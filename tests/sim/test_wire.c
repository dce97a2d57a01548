/* test_wire.c - a replication's result survives the trip to bytes and
 * back bit for bit, and broken bytes are refused without a read past
 * their end. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/json.h"
#include "sim/runner.h"
#include "sim/wire.h"
#include "tests/helpers.h"

static const char *const YAML =
	"duration: 2m\nsample: 1s\n"
	"components:\n"
	"  src: {kind: producer, rate: 50/s,\n"
	"        schedule: [{at: 30s, for: 20s, rate: 150/s}], to: q}\n"
	"  q: {kind: queue, capacity: 500}\n"
	"  w: {kind: workers, from: q, count: 1, service: 15ms}\n";

static void run(struct sim_scenario **sc, struct sim_result *res, struct sim_wire *w)
{
	*sc = th_load(YAML, NULL);
	cr_assert_not_null(*sc);
	struct sim_limits lim = { .max_items = 100000 };
	cr_assert_eq(sim_run_one(*sc, 3, &lim, res), 0);
	*w = (struct sim_wire){ 0 };
	cr_assert_eq(sim_wire_put_result(w, res), 0);
}

Test(wire, a_result_comes_back_bit_for_bit, .timeout = 60)
{
	struct sim_scenario *sc;
	struct sim_result res, back;
	struct sim_wire w;
	run(&sc, &res, &w);
	cr_assert_gt(res.series.nrows, 100);
	cr_assert_eq(sim_wire_get_result(w.buf, w.len, &back), 0);
	char *a = th_json_text(res.body), *b = th_json_text(back.body);
	cr_expect_str_eq(b, a);
	cr_assert_eq(back.series.ncols, res.series.ncols);
	cr_assert_eq(back.series.nrows, res.series.nrows);
	for (size_t i = 0; i < res.series.ncols; i++)
		cr_expect_str_eq(back.series.names[i], res.series.names[i]);
	size_t cells = res.series.nrows * res.series.ncols;
	cr_expect_eq(memcmp(back.series.t, res.series.t, res.series.nrows * sizeof(double)), 0);
	cr_expect_eq(memcmp(back.series.v, res.series.v, cells * sizeof(double)), 0);
	cr_expect_eq(back.events, res.events);
	cr_expect_eq(memcmp(&back.end_s, &res.end_s, sizeof(double)), 0);
	cr_expect_eq(back.complete, res.complete);
	cr_expect_eq(back.conserved, res.conserved);
	cr_expect_str_eq(back.why, res.why);
	/* what is aggregated from it is the same too */
	const struct sim_json *one[] = { res.body }, *other[] = { back.body };
	struct sim_json *ga = sim_json_aggregate(one, 1, NULL, NULL);
	struct sim_json *gb = sim_json_aggregate(other, 1, NULL, NULL);
	char *ta = th_json_text(ga), *tb = th_json_text(gb);
	cr_expect_str_eq(tb, ta);
	free(ta);
	free(tb);
	sim_json_free(ga);
	sim_json_free(gb);
	free(a);
	free(b);
	sim_result_fini(&back);
	sim_result_fini(&res);
	sim_wire_fini(&w);
	sim_scenario_free(sc);
}

/* Every prefix of a good buffer is refused (and read within its length:
 * the sanitizers watch), and so is a buffer with bytes to spare. */
Test(wire, short_or_long_bytes_are_refused, .timeout = 120)
{
	struct sim_scenario *sc;
	struct sim_result res;
	struct sim_wire w;
	run(&sc, &res, &w);
	size_t step = w.len / 4000 + 1;
	for (size_t n = 0; n < w.len; n += (n < 4096 ? 1 : step)) {
		unsigned char *copy = malloc(n + 1);
		memcpy(copy, w.buf, n);
		struct sim_result back;
		cr_expect_eq(sim_wire_get_result(copy, n, &back), -1, "prefix of %zu of %zu bytes", n,
			     w.len);
		sim_result_fini(&back);
		free(copy);
	}
	unsigned char *longer = malloc(w.len + 8);
	memcpy(longer, w.buf, w.len);
	memset(longer + w.len, 0, 8);
	struct sim_result back;
	cr_expect_eq(sim_wire_get_result(longer, w.len + 8, &back), -1);
	sim_result_fini(&back);
	free(longer);
	sim_result_fini(&res);
	sim_wire_fini(&w);
	sim_scenario_free(sc);
}

/* A bad node type, or a length far past the end, is refused. */
Test(wire, nonsense_is_refused, .timeout = 60)
{
	struct sim_scenario *sc;
	struct sim_result res, back;
	struct sim_wire w;
	run(&sc, &res, &w);
	uint64_t *words = (uint64_t *)w.buf;
	words[2] = 99;		/* the root node's type */
	cr_expect_eq(sim_wire_get_result(w.buf, w.len, &back), -1);
	sim_result_fini(&back);
	words[2] = SIM_JSON_OBJ;
	words[3] = UINT64_MAX;	/* the root's key length */
	cr_expect_eq(sim_wire_get_result(w.buf, w.len, &back), -1);
	sim_result_fini(&back);
	sim_result_fini(&res);
	sim_wire_fini(&w);
	sim_scenario_free(sc);
}
