/* test_stream.c - the time series streamed to disk (sim/stream.c,
 * sim/series.c's sink): the series holds one row whatever the length,
 * the file is what a kept series would have written, the columns
 * recovery reads come back, the mean of replications is exact, and
 * failures say why. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/stream.h"
#include "tests/helpers.h"

static char tmp[64];

static void setup(void)
{
	th_tmpdir(tmp, "sim-stream");
}

static void teardown(void)
{
	th_rmtree(tmp);
}

TestSuite(sim_stream, .init = setup, .fini = teardown, .timeout = 60);

static const char *const names[] = { "src.created", "q.depth", "class:a.sojourn_p99_s" };

static void columns(struct sim_series *s)
{
	sim_series_init(s);
	for (size_t c = 0; c < 3; c++)
		cr_assert_eq(sim_series_add_col(s, names[c]), 0);
}

/* Row i of replication rep: high-entropy values, some empty. */
static void fill(double *row, size_t i, unsigned rep)
{
	row[0] = (double)(i % 97) * 1.3 + rep;
	row[1] = i % 11 == 3 ? NAN : 2.385 * (double)(i % 13) / (rep + 1);
	row[2] = (i + rep) % 5 ? 0.001 * (double)(i % 7) + 1e-7 * rep : NAN;
}

/* Feeds rows rows into s (a sink's or not); sim_series_end. */
static void feed(struct sim_series *s, size_t rows, unsigned rep)
{
	for (size_t i = 0; i < rows; i++) {
		double *row = sim_series_row(s, 10.0 * (double)(i + 1));
		cr_assert_not_null(row, "row %zu: %s", i, sim_series_why(s));
		fill(row, i, rep);
		if (s->sink)
			cr_assert(s->nrows == 0 && s->cap_rows == 1, "a streamed series keeps one row");
	}
	cr_assert_eq(sim_series_end(s), 0, "%s", sim_series_why(s));
}

Test(sim_stream, rows_go_to_disk_as_a_kept_series_would_write_them)
{
	const size_t rows = 200000;
	const char *keep[] = { "q.depth" };
	struct sim_stream st;
	char dir[128];
	snprintf(dir, sizeof dir, "%s/one", tmp);
	sim_stream_init(&st, &(struct sim_stream_opts){ .dir = dir, .name = "timeseries.csv",
							 .keep = keep, .nkeep = 1, .reduce_rows = rows });
	struct sim_series s, kept;
	columns(&s);
	s.sink = &st.sink;
	feed(&s, rows, 0);
	/* the same rows, kept in memory, written the old way */
	columns(&kept);
	feed(&kept, rows, 0);
	char *want;
	size_t wlen;
	FILE *f = open_memstream(&want, &wlen);
	sim_series_write_csv(&kept, f);
	fclose(f);
	size_t len;
	char *got = th_read_in(dir, "timeseries.csv");
	cr_assert_not_null(got);
	len = strlen(got);
	cr_expect_eq(len, wlen);
	cr_expect(!memcmp(got, want, wlen < len ? wlen : len), "the streamed file differs");
	/* what recovery reads comes back in the series, exactly */
	cr_assert_eq(s.ncols, 1);
	cr_assert_str_eq(s.names[0], "q.depth");
	cr_assert_eq(s.nrows, rows);
	for (size_t i = 0; i < rows; i++)
		cr_assert(s.v[i] == kept.v[i * 3 + 1] || (isnan(s.v[i]) && isnan(kept.v[i * 3 + 1])),
			  "kept row %zu", i);
	cr_expect_eq(st.reduced.nrows, SIM_REDUCE_BUCKETS, "the charts' series is reduced");
	free(got);
	free(want);
	sim_series_fini(&s);
	sim_series_fini(&kept);
	sim_stream_fini(&st);
}

/* A wide model's names are held once: the series lends them to its
 * stream at the first row and reads them still; they outlive it there,
 * in the charts' series. */
Test(sim_stream, the_names_are_lent_not_copied)
{
	struct sim_stream st;
	char dir[128];
	snprintf(dir, sizeof dir, "%s/lent", tmp);
	sim_stream_init(&st, &(struct sim_stream_opts){ .dir = dir, .name = "timeseries.csv",
							 .reduce_rows = 10 });
	struct sim_series s;
	columns(&s);
	char **held = s.names;
	s.sink = &st.sink;
	double *row = sim_series_row(&s, 1);
	cr_assert_not_null(row);
	fill(row, 0, 0);
	cr_assert_not_null(sim_series_row(&s, 2), "the first row goes: the stream opens");
	cr_expect_eq(st.cols.names, held, "the stream holds the series' names, not a copy");
	cr_expect_eq(sim_series_find(&s, "q.depth"), 1, "the series finds its columns still");
	cr_assert_eq(sim_series_end(&s), 0, "%s", sim_series_why(&s));
	sim_series_fini(&s);
	cr_assert_eq(st.reduced.ncols, 3);
	cr_expect_eq(st.reduced.names, held, "the charts' series has them now");
	cr_expect_str_eq(st.reduced.names[2], "class:a.sojourn_p99_s");
	cr_expect_eq(sim_series_find(&st.reduced, "class:a.sojourn_p99_s"), 2);
	sim_stream_fini(&st);
}

Test(sim_stream, the_mean_of_replications_is_exact_and_the_spills_go)
{
	const size_t rows = 3000;
	enum { REPS = 3 };
	struct sim_stream st[REPS], *in[REPS];
	struct sim_series kept[REPS];
	for (unsigned k = 0; k < REPS; k++) {
		char dir[128];
		snprintf(dir, sizeof dir, "%s/reps/%u", tmp, k + 1);
		sim_stream_init(&st[k], &(struct sim_stream_opts){ .dir = dir, .name = "timeseries.csv",
								   .spill = true });
		struct sim_series s;
		columns(&s);
		s.sink = &st[k].sink;
		feed(&s, rows, k);
		sim_series_fini(&s);
		columns(&kept[k]);
		feed(&kept[k], rows, k);
		in[k] = &st[k];
	}
	struct sim_stream mean;
	sim_stream_init(&mean, &(struct sim_stream_opts){ .dir = tmp, .name = "timeseries.csv",
							   .reduce_rows = rows });
	cr_assert_eq(sim_stream_mean(&mean, in, REPS), 0, "%s", mean.why);
	/* the mean as computed in memory, cell by cell in order */
	struct sim_series want;
	columns(&want);
	for (size_t i = 0; i < rows; i++) {
		double *row = sim_series_row(&want, kept[0].t[i]);
		for (size_t c = 0; c < 3; c++) {
			double sum = 0;
			size_t n = 0;
			for (unsigned k = 0; k < REPS; k++) {
				double v = kept[k].v[i * 3 + c];
				if (isfinite(v)) {
					sum += v;
					n++;
				}
			}
			row[c] = n ? sum / (double)n : NAN;
		}
	}
	char *text;
	size_t tlen;
	FILE *f = open_memstream(&text, &tlen);
	sim_series_write_csv(&want, f);
	fclose(f);
	char *got = th_read_in(tmp, "timeseries.csv");
	cr_assert_not_null(got);
	cr_expect_str_eq(got, text, "the mean differs from the in-memory one");
	cr_expect_eq(mean.reduced.nrows, SIM_REDUCE_BUCKETS);
	free(got);
	free(text);
	sim_stream_fini(&mean);
	for (unsigned k = 0; k < REPS; k++) {
		char spill[300];
		snprintf(spill, sizeof spill, "%s/reps/%u/.timeseries.csv.spill", tmp, k + 1);
		cr_expect_eq(access(spill, F_OK), 0, "the spill is there until fini");
		sim_stream_fini(&st[k]);
		cr_expect_neq(access(spill, F_OK), 0, "the spill is gone after fini");
		sim_series_fini(&kept[k]);
	}
	sim_series_fini(&want);
}

Test(sim_stream, a_folder_that_cannot_be_made_stops_the_rows_and_says_why)
{
	char file[128], dir[160];
	snprintf(file, sizeof file, "%s/plain-file", tmp);
	FILE *f = fopen(file, "w");
	cr_assert_not_null(f);
	fclose(f);
	snprintf(dir, sizeof dir, "%s/sub", file);
	struct sim_stream st;
	sim_stream_init(&st, &(struct sim_stream_opts){ .dir = dir, .name = "timeseries.csv" });
	struct sim_series s;
	columns(&s);
	s.sink = &st.sink;
	cr_assert_not_null(sim_series_row(&s, 1));
	cr_assert_null(sim_series_row(&s, 2), "the first row cannot be written");
	cr_expect(strstr(sim_series_why(&s), "cannot create ") && strstr(sim_series_why(&s), "Not a directory"),
		  "%s", sim_series_why(&s));
	cr_expect_neq(sim_series_end(&s), 0);
	cr_expect(st.failed);
	sim_series_fini(&s);
	sim_stream_fini(&st);
}

/* Once its columns are all named, a series' array of names holds no
 * room: an array that doubled may be a third empty. */
Test(sim_stream, a_fitted_series_holds_no_room_for_names)
{
	struct sim_series s;
	sim_series_init(&s);
	for (int c = 0; c < 33; c++) {
		char name[16];
		snprintf(name, sizeof name, "w%d.busy", c);
		cr_assert_eq(sim_series_add_col(&s, name), 0);
	}
	cr_assert_gt(s.cap_names, s.ncols);
	sim_series_fit(&s);
	cr_expect_eq(s.cap_names, 33);
	cr_expect_str_eq(s.names[32], "w32.busy");
	cr_expect_eq(s.names[11], s.names[10] + strlen("w10.busy") + 1,
		     "the names are packed in one pool, not a block each");
	cr_expect_eq(sim_series_find(&s, "w17.busy"), 17);
	sim_series_fini(&s);
}
