/* fuzz_run.c - libFuzzer harness over whole runs: each input that loads as
 * a scenario is run, summarised and written out (in memory), so the
 * engine and every model meet what the loader lets through.  Any input
 * must run to its end or to a limit, never crash, hang, leak or hit
 * undefined behaviour (the harness is built with ASan and UBSan).
 *
 * To keep each input well under a second, runs are capped through the
 * usual means: a duration over FUZZ_MAX_DURATION is set to it (as
 * `--set duration=...` would, when the scenario still loads so), and the
 * engine's limits hold the items alive and the events (with the
 * operations of same-instant cascades) to FUZZ_MAX_ITEMS and
 * FUZZ_MAX_EVENTS, or the scenario's own limits when lower.
 *
 *   tests/check.sh runs it after fuzz_scenario; for a long run:
 *   build-fuzz/tests/fuzz/fuzz_run -max_total_time=3600 \
 *       build-fuzz/corpus-run scenarios tests/scenarios
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "sim/diag.h"
#include "sim/json.h"
#include "sim/output.h"
#include "sim/runner.h"
#include "sim/scenario.h"
#include "sim/terminal.h"

#define FUZZ_MAX_DURATION "10m"
#define FUZZ_MAX_DURATION_S 600.0
#define FUZZ_MAX_ITEMS 10000
#define FUZZ_MAX_EVENTS 50000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sim_scenario *load(const uint8_t *data, size_t size, const struct sim_load_opts *o)
{
	struct sim_diag d;
	sim_diag_init(&d, NULL);	/* diagnostics are counted, not printed */
	return sim_scenario_parse("fuzz.yaml", (const char *)data, size, o, &d);
}

static uint64_t cap(uint64_t own, uint64_t most)
{
	return own && own < most ? own : most;
}

/* The summary as `sim run` makes it, written and printed into memory. */
static void summarise(const struct sim_scenario *sc, const struct sim_result *res)
{
	struct sim_json *summary = sim_output_summary(sc, res, 1, 0);
	if (!summary)
		return;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (f) {
		sim_json_write(summary, f);
		sim_terminal_print(f, sc, summary, "out");
		fclose(f);
	}
	free(buf);
	sim_json_free(summary);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sim_scenario *sc = load(data, size, NULL);
	if (!sc)
		return 0;
	if (sc->duration > FUZZ_MAX_DURATION_S) {
		static const char *const sets[] = { "duration=" FUZZ_MAX_DURATION };
		struct sim_load_opts o = { .sets = sets, .nsets = 1 };
		struct sim_scenario *shorter = load(data, size, &o);
		if (shorter) {	/* else (a warm-up past the cap): the event limit holds it */
			sim_scenario_free(sc);
			sc = shorter;
		}
	}
	struct sim_limits limits = {
		.max_items = cap(sc->max_items, FUZZ_MAX_ITEMS),
		.max_events = cap(sc->max_events, FUZZ_MAX_EVENTS),
	};
	struct sim_result res;
	if (sim_run_one(sc, 1, &limits, &res) == 0)
		summarise(sc, &res);
	sim_result_fini(&res);
	sim_scenario_free(sc);
	return 0;
}
