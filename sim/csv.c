/* csv.c - see csv.h.  The invariant: what sim_csv_field writes reads back,
 * by any RFC 4180 reader, as exactly one field holding the given bytes. */
#include "sim/csv.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "sim/json.h"

/* Writes the concatenation of part[0..n) as one field. */
static void field(FILE *f, const char *const *part, size_t n)
{
	bool quote = false;
	char first = 0, last = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(part[i]);
		quote = quote || strpbrk(part[i], ",\"\r\n") != NULL;
		if (len && !first)
			first = part[i][0];
		if (len)
			last = part[i][len - 1];
	}
	quote = quote || first == ' ' || last == ' ';
	if (quote)
		fputc('"', f);
	for (size_t i = 0; i < n; i++)
		for (const char *s = part[i]; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
	if (quote)
		fputc('"', f);
}

void sim_csv_field(FILE *f, const char *s)
{
	field(f, &s, 1);
}

void sim_csv_field2(FILE *f, const char *a, const char *b)
{
	const char *part[2] = { a, b };
	field(f, part, 2);
}

size_t sim_csv_num_text(char *buf, double v)
{
	buf[0] = '\0';
	if (isfinite(v))
		sim_json_format_num(buf, SIM_CSV_NUM_MAX, v);
	return strlen(buf);
}

void sim_csv_num(FILE *f, double v)
{
	char buf[SIM_CSV_NUM_MAX];
	fwrite(buf, 1, sim_csv_num_text(buf, v), f);
}
