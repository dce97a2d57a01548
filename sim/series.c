/* series.c - time-series rows and their CSV form. */
#include "sim/series.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/csv.h"
#include "sim/json.h"

void sim_series_init(struct sim_series *s)
{
	*s = (struct sim_series){ 0 };
}

void sim_series_fini(struct sim_series *s)
{
	for (size_t i = 0; i < s->ncols; i++)
		free(s->names[i]);
	free(s->names);
	free(s->t);
	free(s->v);
	*s = (struct sim_series){ 0 };
}

int sim_series_add_col(struct sim_series *s, const char *name)
{
	char **n = realloc(s->names, (s->ncols + 1) * sizeof *n);
	if (!n)
		return -1;
	s->names = n;
	if (!(n[s->ncols] = strdup(name)))
		return -1;
	s->ncols++;
	return 0;
}

double *sim_series_row(struct sim_series *s, double t)
{
	if (s->nrows == s->cap_rows) {
		size_t cap = s->cap_rows ? 2 * s->cap_rows : 64;
		double *nt = realloc(s->t, cap * sizeof *nt);
		if (!nt)
			return NULL;
		s->t = nt;
		double *nv = realloc(s->v, cap * (s->ncols ? s->ncols : 1) * sizeof *nv);
		if (!nv)
			return NULL;
		s->v = nv;
		s->cap_rows = cap;
	}
	double *row = &s->v[s->nrows * s->ncols];
	for (size_t i = 0; i < s->ncols; i++)
		row[i] = NAN;
	s->t[s->nrows++] = t;
	return row;
}

int sim_series_find(const struct sim_series *s, const char *name)
{
	for (size_t i = 0; i < s->ncols; i++)
		if (!strcmp(s->names[i], name))
			return (int)i;
	return -1;
}

void sim_series_write_csv(const struct sim_series *s, FILE *f)
{
	char num[64];
	fputs("t_s", f);
	for (size_t c = 0; c < s->ncols; c++) {
		fputc(',', f);
		sim_csv_field(f, s->names[c]);
	}
	fputc('\n', f);
	for (size_t r = 0; r < s->nrows; r++) {
		sim_json_format_num(num, sizeof num, s->t[r]);
		fputs(num, f);
		for (size_t c = 0; c < s->ncols; c++) {
			double v = s->v[r * s->ncols + c];
			fputc(',', f);
			if (isfinite(v)) {
				sim_json_format_num(num, sizeof num, v);
				fputs(num, f);
			}
		}
		fputc('\n', f);
	}
}

int sim_series_mean(struct sim_series *out, const struct sim_series *const *in, size_t n)
{
	sim_series_init(out);
	const struct sim_series *a = in[0];
	for (size_t c = 0; c < a->ncols; c++)
		if (sim_series_add_col(out, a->names[c]) < 0)
			return -1;
	size_t rows = a->nrows;
	for (size_t i = 1; i < n; i++)
		if (in[i]->nrows < rows)
			rows = in[i]->nrows;	/* a run stopped early */
	for (size_t r = 0; r < rows; r++) {
		double *row = sim_series_row(out, a->t[r]);
		if (!row)
			return -1;
		for (size_t c = 0; c < a->ncols; c++) {
			double sum = 0;
			size_t k = 0;
			for (size_t i = 0; i < n; i++) {
				double v = in[i]->v[r * a->ncols + c];
				if (isfinite(v)) {
					sum += v;
					k++;
				}
			}
			row[c] = k ? sum / (double)k : NAN;
		}
	}
	return 0;
}
