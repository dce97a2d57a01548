/* data.c - charts.csv from a reduced series; see data.h. */
#include "plots/data.h"

#include <stdio.h>

#include "sim/atomic.h"
#include "sim/csv.h"
#include "sim/json.h"

static void write_name(FILE *f, const char *stat, const char *name)
{
	char buf[512];
	snprintf(buf, sizeof buf, "%s(%s)", stat, name);
	fputc(',', f);
	sim_csv_field(f, buf);
}

static void write_data(FILE *f, const void *what)
{
	const struct sim_series *s = what;
	size_t nc = s->ncols;
	fputs("t_s", f);
	for (size_t c = 0; c < nc; c++) {
		write_name(f, "mean", s->names[c]);
		write_name(f, "min", s->names[c]);
		write_name(f, "max", s->names[c]);
	}
	fputc('\n', f);
	for (size_t r = 0; r < s->nrows; r++) {
		char num[64];
		sim_json_format_num(num, sizeof num, s->t[r]);
		fputs(num, f);
		for (size_t c = 0; c < nc; c++) {
			double v, lo, hi;
			sim_series_cell(s, r, c, &v, &lo, &hi);
			sim_series_csv_cell(f, v);
			sim_series_csv_cell(f, lo);
			sim_series_csv_cell(f, hi);
		}
		fputc('\n', f);
	}
}

int plots_data_write(const char *dir, const struct sim_series *s)
{
	return sim_atomic_write_in(dir, PLOTS_DATA_FILE, write_data, s);
}
