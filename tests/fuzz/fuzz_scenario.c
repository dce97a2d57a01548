/* fuzz_scenario.c - libFuzzer harness over the scenario loader and the unit
 * parsers.  Any input must give diagnostics or a scenario, never a crash, a
 * hang, a leak or undefined behaviour (the harness is built with ASan and
 * UBSan).  Seeds: scenarios/ and tests/scenarios/bad/.
 *
 *   tests/check.sh runs it for a minute; for a long run:
 *   build-fuzz/tests/fuzz/fuzz_scenario -max_total_time=3600 \
 *       build-fuzz/corpus scenarios tests/scenarios/bad
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/diag.h"
#include "sim/scenario.h"
#include "sim/units.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sim_diag d;
	sim_diag_init(&d, NULL);	/* diagnostics are counted, not printed */
	struct sim_scenario *sc = sim_scenario_parse("fuzz.yaml", (const char *)data, size, NULL, &d);
	sim_scenario_free(sc);

	/* the same bytes as one value with a unit */
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	double v;
	uint64_t c;
	int64_t i;
	(void)sim_parse_duration(s, &v);
	(void)sim_parse_rate(s, &v);
	(void)sim_parse_count(s, &c);
	(void)sim_parse_int(s, &i);
	(void)sim_parse_number(s, &v);
	free(s);
	return 0;
}
