/* diag.h - compiler-style diagnostics for scenario errors.
 *
 * Each message is one line, "path:line:col: error: text", 1-based
 * positions, printed as it is found.  After SIM_DIAG_MAX errors the rest
 * are counted but not printed, so a badly broken file gives a readable
 * screen rather than thousands of lines.
 */
#ifndef SIM_DIAG_H
#define SIM_DIAG_H

#include <stdio.h>

#define SIM_DIAG_MAX 20

struct sim_diag {
	FILE *out;
	int errors;
};

static inline void sim_diag_init(struct sim_diag *d, FILE *out)
{
	d->out = out;
	d->errors = 0;
}

#if defined(__GNUC__)
#define SIM_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define SIM_PRINTF(a, b)
#endif

/* line or col 0 leaves that part out. */
void sim_diag_error(struct sim_diag *d, const char *file, int line, int col,
		    const char *fmt, ...) SIM_PRINTF(5, 6);
void sim_diag_note(struct sim_diag *d, const char *file, int line, int col,
		   const char *fmt, ...) SIM_PRINTF(5, 6);

#endif
