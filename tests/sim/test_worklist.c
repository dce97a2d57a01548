/* test_worklist.c - same-instant work that waits its turn (sim/worklist.c)
 * and the engine's bounded nesting (sim/engine.c): cascades of zero-delay
 * retries as long as a scenario makes them run to the end, on a bounded
 * stack, with exact counts. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/worklist.h"
#include "tests/helpers.h"

Test(sim_worklist, fifo_across_growth_and_wrap)
{
	struct sim_worklist w;
	sim_worklist_init(&w, 1000);
	static struct sim_item items[300];
	size_t in = 0, out = 0;
	struct sim_op op;
	/* pushes and pops interleaved, so the live part wraps as it grows */
	for (int round = 0; round < 3; round++) {
		for (int k = 0; k < 100; k++) {
			op = (struct sim_op){ .item = &items[in], .to = (uint32_t)in,
					      .kind = SIM_OP_DROP, .reason = (uint8_t)(in % 7) };
			cr_assert_eq(sim_worklist_push(&w, &op), 0);
			in++;
		}
		for (int k = 0; k < 40; k++) {
			cr_assert(sim_worklist_pop(&w, &op));
			cr_assert_eq(op.item, &items[out], "op %zu out of order", out);
			cr_assert_eq(op.to, out);
			cr_assert_eq(op.reason, out % 7);
			out++;
		}
	}
	while (sim_worklist_pop(&w, &op)) {
		cr_assert_eq(op.item, &items[out]);
		out++;
	}
	cr_assert_eq(out, in);
	cr_assert_eq(w.len, 0);
	sim_worklist_fini(&w);
}

Test(sim_worklist, refuses_past_its_limit)
{
	struct sim_worklist w;
	sim_worklist_init(&w, 3);
	struct sim_item it;
	struct sim_op op = { .item = &it, .kind = SIM_OP_SEND };
	for (int k = 0; k < 3; k++)
		cr_assert_eq(sim_worklist_push(&w, &op), 0);
	cr_assert_eq(sim_worklist_push(&w, &op), -2, "a fourth op past a limit of 3");
	cr_assert_eq(w.len, 3);
	sim_worklist_clear(&w);
	cr_assert(!sim_worklist_pop(&w, &op));
	cr_assert_eq(sim_worklist_push(&w, &op), 0, "room again once cleared");
	sim_worklist_fini(&w);
}

/* ---- the cascade, end to end -------------------------------------------- */

static char tmp[64];

static void setup(void)
{
	th_tmpdir(tmp, "sim-nest");
}

static void teardown(void)
{
	th_rmtree(tmp);
}

/* The number after "key": in component name's block of summary.json. */
static double field(const char *json, const char *name, const char *key)
{
	char open[128], k[64];
	snprintf(open, sizeof open, "\n    \"%s\": {\n", name);
	snprintf(k, sizeof k, "\"%s\": ", key);
	const char *o = strstr(json, open);
	cr_assert_not_null(o, "no component %s in summary.json", name);
	const char *end = strstr(o + strlen(open), "\n    }");
	const char *v = strstr(o, k);
	cr_assert(v && end && v < end, "no %s in %s", key, name);
	return strtod(v + strlen(k), NULL);
}

static char *run_nested(const char *file, const char *extra, int want)
{
	const char *args[] = { "run", file, "--out", tmp, "--quiet", "--no-plots", "--set", extra, NULL };
	if (!extra)
		args[6] = NULL;
	char *err;
	int st = th_sim(args, NULL, &err);
	cr_assert_eq(st, want, "sim run %s: exit %d, expected %d: %s", file, st, want, err);
	free(err);
	char path[128];
	snprintf(path, sizeof path, "%s/summary.json", tmp);
	char *s = th_read(path, NULL);
	cr_assert_not_null(s, "no summary.json from %s", file);
	return s;
}

/* k clients retrying r times at once; N = 3 requests, the first holds
 * the queue's one worker, the other two are refused all the way down
 * (see the scenario files for the arithmetic). */
static void check_cascade(const char *file, int k, double r)
{
	const double n = 3;
	static const char *const names[] = { "a", "b", "c" };
	char *s = run_nested(file, NULL, 0);
	cr_expect(strstr(s, "\"complete\": true"), "the run reached its end");
	cr_expect(strstr(s, "\"conservation\": {\"created\": 3, \"completed\": 0, \"dropped\": 2, "
			    "\"in_flight\": 1, \"ok\": true}"),
		  "conservation: %s", strstr(s, "\"conservation\""));
	for (int j = 1; j <= k; j++) {
		const char *c = names[j - 1];
		double req = 1 + (n - 1) * pow(r + 1, j - 1);
		double att = 1 + (n - 1) * pow(r + 1, j);
		cr_expect_eq(field(s, c, "requests"), req, "%s: requests", c);
		cr_expect_eq(field(s, c, "attempts"), att, "%s: attempts %.0f, expected %.0f", c,
			     field(s, c, "attempts"), att);
		cr_expect_eq(field(s, c, "retries"), att - req, "%s: retries", c);
		cr_expect_eq(field(s, c, "failures"), (n - 1) * pow(r + 1, j - 1), "%s: failures", c);
		cr_expect_eq(field(s, c, "error"), (n - 1) * pow(r + 1, j - 1), "%s: errors", c);
		cr_expect_eq(field(s, c, "successes"), 0, "%s: successes", c);
	}
	/* each failed user request: (r + 1)^k attempts refused at the queue */
	double refused = (n - 1) * pow(r + 1, k);
	cr_expect_eq(field(s, "refuse", "arrived"), refused + 1);
	cr_expect_eq(field(s, "refuse", "accepted"), 1);
	cr_expect_eq(field(s, "refuse", "full"), refused, "refused %.0f, expected %.0f",
		     field(s, "refuse", "full"), refused);
	free(s);
}

TestSuite(sim_nesting, .init = setup, .fini = teardown, .timeout = 120);

Test(sim_nesting, three_clients_retrying_100_times_at_once)
{
	check_cascade("tests/scenarios/nested-retry-3x100.yaml", 3, 100);
}

Test(sim_nesting, two_clients_retrying_600_times_at_once)
{
	check_cascade("tests/scenarios/nested-retry-2x600.yaml", 2, 600);
}

/* A cascade runs within one event: the event limit counts its
 * operations, so it stops the run there, cleanly. */
Test(sim_nesting, the_event_limit_stops_a_cascade)
{
	char *s = run_nested("tests/scenarios/nested-retry-3x100.yaml", "limits.max_events=100k", 1);
	cr_expect(strstr(s, "\"complete\": false"));
	cr_expect(strstr(s, "\"stopped\": \"event limit reached: "), "%s", s);
	cr_expect(strstr(s, "\"ok\": true}"), "conservation holds at the stop: %s",
		  strstr(s, "\"conservation\""));
	free(s);
}
