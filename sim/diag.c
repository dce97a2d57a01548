/* diag.c - prints diagnostics, capped at SIM_DIAG_MAX errors. */
#include "sim/diag.h"

#include <stdarg.h>

static void vreport(struct sim_diag *d, const char *what, const char *file,
		    int line, int col, const char *fmt, va_list ap)
{
	if (!d->out)
		return;
	if (line > 0 && col > 0)
		fprintf(d->out, "%s:%d:%d: %s: ", file, line, col, what);
	else if (line > 0)
		fprintf(d->out, "%s:%d: %s: ", file, line, what);
	else
		fprintf(d->out, "%s: %s: ", file, what);
	vfprintf(d->out, fmt, ap);
	fputc('\n', d->out);
}

void sim_diag_error(struct sim_diag *d, const char *file, int line, int col,
		    const char *fmt, ...)
{
	d->errors++;
	if (d->errors > SIM_DIAG_MAX) {
		if (d->errors == SIM_DIAG_MAX + 1 && d->out)
			fprintf(d->out, "%s: note: too many errors; stopping here\n", file);
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	vreport(d, "error", file, line, col, fmt, ap);
	va_end(ap);
}

void sim_diag_note(struct sim_diag *d, const char *file, int line, int col,
		   const char *fmt, ...)
{
	if (d->errors > SIM_DIAG_MAX)
		return;
	va_list ap;
	va_start(ap, fmt);
	vreport(d, "note", file, line, col, fmt, ap);
	va_end(ap);
}
