/* data.c - charts.csv from reduced series: the columns the charts draw;
 * see data.h. */
#include "plots/data.h"

#include <stdbool.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* One block: a header line (after lead), then a row a point, of the
 * columns used marks. */
static void write_block(FILE *f, const struct sim_series *s, const bool *used, const char *lead)
{
	size_t nc = s->ncols;
	fputs(lead, f);
	fputs("t_s", f);
	for (size_t c = 0; c < nc; c++) {
		if (!used[c])
			continue;
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
			if (!used[c])
				continue;
			double v, lo, hi;
			sim_series_cell(s, r, c, &v, &lo, &hi);
			sim_series_csv_cell(f, v);
			sim_series_csv_cell(f, lo);
			sim_series_csv_cell(f, hi);
		}
		fputc('\n', f);
	}
}

struct blocks {
	const struct plots_data_cols *runs;
	size_t n;
	bool blocks;
};

static void write_blocks(FILE *f, const void *what)
{
	const struct blocks *b = what;
	if (!b->blocks) {
		write_block(f, b->runs[0].series, b->runs[0].used, "");
		return;
	}
	for (size_t k = 0; k < b->n; k++) {
		if (k)
			fputs("\n\n", f);	/* gnuplot's `index` counts blocks */
		write_block(f, b->runs[k].series, b->runs[k].used, "# ");
	}
}

int plots_data_write(const char *dir, const struct plots_data_cols *runs, size_t n, bool blocks)
{
	struct blocks b = { runs, blocks ? n : 1, blocks };
	return sim_atomic_write_in(dir, PLOTS_DATA_FILE, write_blocks, &b);
}

/* Whether line l reads the data file: block b of it (0: a run's own). */
static bool reads(const struct plots_line *l, size_t *b)
{
	if (strcmp(l->file, PLOTS_DATA_FILE))
		return false;	/* a heat map's timeseries.csv */
	*b = l->block ? (size_t)l->block - 1 : 0;
	return true;
}

/* Marks the series columns of line l's file column col in used. */
static void mark(const struct plots_data_cols *run, bool *used, int col)
{
	int c = plots_data_index(col);
	if (col > 0 && c >= 0 && (size_t)c < run->series->ncols)
		used[c] = true;
}

/* Column col of the full layout, in the narrow one (pos: per series
 * column, its place among those used). */
static int moved(const size_t *pos, size_t ncols, int col)
{
	int c = plots_data_index(col);
	return col > 0 && c >= 0 && (size_t)c < ncols ? plots_data_column((int)pos[c]) : col;
}

/* Per run, the columns lines read (used) and their places among them
 * (pos); false when out of memory. */
static bool marks_alloc(struct plots_data_cols *cols, bool **used, size_t **pos,
			const struct sim_series *const *runs, size_t nruns)
{
	for (size_t r = 0; r < nruns; r++) {
		size_t nc = runs[r]->ncols ? runs[r]->ncols : 1;
		used[r] = calloc(nc, sizeof **used);
		pos[r] = calloc(nc, sizeof **pos);
		cols[r] = (struct plots_data_cols){ runs[r], used[r] };
		if (!used[r] || !pos[r])
			return false;
	}
	return true;
}

int plots_data_narrow(const char *dir, struct plots_chart *charts, int n,
		      const struct sim_series *const *runs, size_t nruns, bool blocks)
{
	struct plots_data_cols *cols = calloc(nruns, sizeof *cols);
	bool **used = calloc(nruns, sizeof *used);
	size_t **pos = calloc(nruns, sizeof *pos);
	int rc = -1;
	if (!cols || !used || !pos || !marks_alloc(cols, used, pos, runs, nruns)) {
		fprintf(stderr, "sim: out of memory\n");
		goto out;
	}
	size_t b;
	for (int i = 0; i < n; i++)
		for (int k = 0; k < charts[i].n && !charts[i].heat_n; k++)
			if (reads(&charts[i].lines[k], &b) && b < nruns) {
				mark(&cols[b], used[b], charts[i].lines[k].col);
				mark(&cols[b], used[b], charts[i].lines[k].col_minus);
			}
	for (size_t r = 0; r < nruns; r++)
		for (size_t c = 0, k = 0; c < runs[r]->ncols; c++)
			pos[r][c] = used[r][c] ? k++ : 0;
	for (int i = 0; i < n; i++)
		for (int k = 0; k < charts[i].n && !charts[i].heat_n; k++) {
			struct plots_line *l = &charts[i].lines[k];
			l->at = l->col;
			l->at_minus = l->col_minus;
			if (reads(l, &b) && b < nruns) {
				l->at = moved(pos[b], runs[b]->ncols, l->col);
				l->at_minus = moved(pos[b], runs[b]->ncols, l->col_minus);
			}
		}
	rc = plots_data_write(dir, cols, nruns, blocks);
out:
	for (size_t r = 0; used && pos && r < nruns; r++) {
		free(used[r]);
		free(pos[r]);
	}
	free(cols);
	free(used);
	free(pos);
	return rc;
}
