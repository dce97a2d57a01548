/* stream.c - see stream.h.  The invariant: once opened, the CSV file holds
 * the header and every row handed over (in its buffer or on disk), and
 * the spill file the same rows as raw doubles (t, then the columns). */
#include "sim/stream.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/output.h"

#define STREAM_BUFFER (1 << 18)	/* bytes: writes of 256 KiB at a time (a wide
				 * model fills its pages: the run's peak holds them) */

static int stream_row(void *arg, struct sim_series *s, double t, const double *row);
static int stream_end(void *arg, struct sim_series *s);

void sim_stream_init(struct sim_stream *st, const struct sim_stream_opts *o)
{
	memset(st, 0, sizeof *st);
	st->sink = (struct sim_series_sink){ .row = stream_row, .end = stream_end, .arg = st,
					     .why = st->why };
	snprintf(st->dir, sizeof st->dir, "%s", o->dir);
	snprintf(st->path, sizeof st->path, "%s/%s", o->dir, o->name);
	snprintf(st->spill_path, sizeof st->spill_path, "%s/.%s.spill", o->dir, o->name);
	st->spill = o->spill;
	st->keep = o->keep;
	st->nkeep = o->nkeep;
	st->reduce_rows = o->reduce_rows;
	sim_series_init(&st->cols);
	sim_series_init(&st->kept);
	sim_series_init(&st->reduced);
}

static int fail(struct sim_stream *st, const char *what, const char *path, int err)
{
	st->failed = true;
	if (path)
		snprintf(st->why, sizeof st->why, "%s %s: %s", what, path, strerror(err ? err : EIO));
	else
		snprintf(st->why, sizeof st->why, "%s", what);
	return -1;
}

static int no_memory(struct sim_stream *st)
{
	return fail(st, "out of memory for the time series", NULL, 0);
}

/* The columns to keep, by index; the kept series named after them. */
static int find_kept(struct sim_stream *st)
{
	st->keep_col = calloc(st->nkeep ? st->nkeep : 1, sizeof *st->keep_col);
	if (!st->keep_col)
		return -1;
	for (size_t j = 0; j < st->nkeep; j++) {
		st->keep_col[j] = sim_series_find(&st->cols, st->keep[j]);
		if (sim_series_add_col(&st->kept, st->keep[j]) < 0)
			return -1;
	}
	return 0;
}

/* The files, the header, the names (s lends them: the stream outlives
 * the series it is the sink of), the reducer: at the first row. */
static int open_files(struct sim_stream *st, struct sim_series *s)
{
	st->opened = true;
	sim_series_lend(s, &st->cols);
	if (find_kept(st) < 0)
		return no_memory(st);
	st->reduce = st->reduce_rows > 0;
	if (st->reduce && sim_reduce_init(&st->red, s, st->reduce_rows) < 0)
		return no_memory(st);
	if (sim_mkdirs(st->dir) < 0)
		return fail(st, "cannot create", st->dir, errno);
	if (!sim_atomic_open(&st->csv, st->path)) {
		st->told = true;	/* it said why */
		return fail(st, "cannot write", st->path, errno);
	}
	st->buf = malloc(STREAM_BUFFER);
	if (st->buf)
		setvbuf(st->csv.f, st->buf, _IOFBF, STREAM_BUFFER);
	if (st->spill && !(st->spill_f = fopen(st->spill_path, "wb")))
		return fail(st, "cannot write", st->spill_path, errno);
	sim_series_csv_header(s, st->csv.f);
	return 0;
}

static int stream_row(void *arg, struct sim_series *s, double t, const double *row)
{
	struct sim_stream *st = arg;
	if (st->failed || (!st->opened && open_files(st, s) < 0))
		return -1;
	sim_series_csv_row(st->csv.f, t, row, s->ncols);
	if (ferror(st->csv.f))
		return fail(st, "I/O error writing", st->path, errno);
	if (st->spill_f && (fwrite(&t, sizeof t, 1, st->spill_f) != 1 ||
			    fwrite(row, sizeof *row, s->ncols, st->spill_f) != s->ncols))
		return fail(st, "I/O error writing", st->spill_path, errno);
	if (st->reduce && sim_reduce_add(&st->red, t, row) < 0)
		return no_memory(st);
	if (st->nkeep) {
		double *k = sim_series_row(&st->kept, t);
		if (!k)
			return no_memory(st);
		for (size_t j = 0; j < st->nkeep; j++)
			k[j] = st->keep_col[j] >= 0 ? row[st->keep_col[j]] : NAN;
	}
	return 0;
}

static int stream_end(void *arg, struct sim_series *s)
{
	struct sim_stream *st = arg;
	if (!st->opened && open_files(st, s) < 0)
		return -1;
	st->ended = true;
	if (st->spill_f) {
		int err = ferror(st->spill_f) || fflush(st->spill_f) ? (errno ? errno : EIO) : 0;
		if (fclose(st->spill_f) != 0 && !err)
			err = errno ? errno : EIO;
		st->spill_f = NULL;
		if (err && !st->failed)
			fail(st, "I/O error writing", st->spill_path, err);
	}
	if (st->failed) {
		sim_atomic_abort(&st->csv);	/* already said: its rows are not all there */
		return -1;
	}
	if (sim_atomic_close(&st->csv) < 0) {	/* says why on stderr */
		st->told = true;
		return fail(st, "I/O error writing", st->path, errno);
	}
	if (st->reduce && sim_reduce_finish(&st->red, &st->cols, &st->reduced) < 0)
		return no_memory(st);
	if (st->nkeep) {
		sim_series_fini(s);
		*s = st->kept;
		sim_series_init(&st->kept);
	}
	return 0;
}

void sim_stream_fini(struct sim_stream *st)
{
	if (st->opened && !st->ended && st->csv.f)
		sim_atomic_abort(&st->csv);
	if (st->spill_f)
		fclose(st->spill_f);
	if (st->spill && st->opened)
		unlink(st->spill_path);
	free(st->buf);
	free(st->keep_col);
	sim_series_fini(&st->cols);
	sim_series_fini(&st->kept);
	sim_series_fini(&st->reduced);
	sim_reduce_fini(&st->red);
	memset(st, 0, sizeof *st);
}

/* ---- the mean of replications ------------------------------------------- */

/* One row of each input into rows[i] (1 + ncols doubles): false at the
 * end of the shortest, or on a read error (*err). */
static bool read_rows(FILE **in, size_t n, double *rows, size_t width, int *err)
{
	for (size_t i = 0; i < n; i++) {
		if (fread(&rows[i * width], sizeof *rows, width, in[i]) == width)
			continue;
		if (ferror(in[i]))
			*err = errno ? errno : EIO;
		return false;
	}
	return true;
}

static void mean_row(const double *rows, size_t n, size_t width, double *out)
{
	for (size_t c = 1; c < width; c++) {
		double sum = 0;
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			double v = rows[i * width + c];
			if (isfinite(v)) {
				sum += v;
				k++;
			}
		}
		out[c - 1] = k ? sum / (double)k : NAN;
	}
}

int sim_stream_mean(struct sim_stream *out, struct sim_stream *const *in, size_t n)
{
	struct sim_series s;
	sim_series_init(&s);
	const struct sim_series *cols = &in[0]->cols;
	size_t width = cols->ncols + 1;
	FILE **f = calloc(n, sizeof *f);
	double *rows = malloc(n * width * sizeof *rows);
	int rc = f && rows ? 0 : no_memory(out);
	for (size_t c = 0; rc == 0 && c < cols->ncols; c++)
		if (sim_series_add_col(&s, cols->names[c]) < 0)
			rc = no_memory(out);
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (!(f[i] = fopen(in[i]->spill_path, "rb")))
			rc = fail(out, "cannot read", in[i]->spill_path, errno);
	s.sink = &out->sink;
	int err = 0;
	while (rc == 0 && read_rows(f, n, rows, width, &err)) {
		double *row = sim_series_row(&s, rows[0]);
		if (!row)
			rc = -1;
		else
			mean_row(rows, n, width, row);
	}
	if (err && rc == 0)
		rc = fail(out, "I/O error reading the replications' rows", NULL, 0);
	if (sim_series_end(&s) < 0)
		rc = -1;
	for (size_t i = 0; f && i < n; i++)
		if (f[i])
			fclose(f[i]);
	free(f);
	free(rows);
	sim_series_fini(&s);
	return rc;
}
