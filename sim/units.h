/* units.h - values with units, as the scenario format writes them.
 *
 * Durations "250us", "5ms", "2s", "3m", "1h" (bare number: seconds); rates
 * "2000/s", "120/m", "5/ms" (bare number: per second; a k, M or G
 * multiplier may precede the slash); counts "10", "10k", "2M".  Every
 * parser accepts only finite decimal numbers: no NaN, no infinity, no hex.
 * Each returns NULL on success, or a phrase saying what was expected,
 * for the caller's error message.
 */
#ifndef SIM_UNITS_H
#define SIM_UNITS_H

#include <stdint.h>

const char *sim_parse_number(const char *s, double *out);
const char *sim_parse_duration(const char *s, double *out);	/* seconds */
const char *sim_parse_rate(const char *s, double *out);		/* per second */
const char *sim_parse_count(const char *s, uint64_t *out);
const char *sim_parse_int(const char *s, int64_t *out);

/* Writes a duration with a readable unit ("12.5 ms") into buf. */
void sim_format_duration(char *buf, unsigned long size, double s);

#endif
