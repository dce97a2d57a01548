/* test_reduce.c - the reduced series the charts draw (sim/reduce.c):
 * bounded rows, a one-row spike and dip kept in the maximum and minimum,
 * exact means, short series passed through value for value, and columns
 * that never change kept as one triple. */
#include <criterion/criterion.h>
#include <math.h>

#include "sim/reduce.h"

/* Row k of column c of a reduced series. */
static double at_v(const struct sim_series *s, size_t k, size_t c)
{
	double v, lo, hi;
	sim_series_cell(s, k, c, &v, &lo, &hi);
	return v;
}

static double at_lo(const struct sim_series *s, size_t k, size_t c)
{
	double v, lo, hi;
	sim_series_cell(s, k, c, &v, &lo, &hi);
	return lo;
}

static double at_hi(const struct sim_series *s, size_t k, size_t c)
{
	double v, lo, hi;
	sim_series_cell(s, k, c, &v, &lo, &hi);
	return hi;
}

static void two_columns(struct sim_series *cols)
{
	sim_series_init(cols);
	cr_assert_eq(sim_series_add_col(cols, "q.depth"), 0);
	cr_assert_eq(sim_series_add_col(cols, "class:a.sojourn_p99_s"), 0);
}

Test(sim_reduce, a_long_series_keeps_its_spike_in_bounded_rows)
{
	struct sim_series cols, out;
	two_columns(&cols);
	const size_t rows = 140000;	/* a 1.4-million-second run at 10 s */
	const size_t spike = 98765, dip = 4321;
	struct sim_reduce r;
	cr_assert_eq(sim_reduce_init(&r, &cols, rows), 0);
	for (size_t i = 0; i < rows; i++) {
		double row[2] = { 7.25, i % 3 ? 0.125 : NAN };	/* empty cells are skipped */
		if (i == spike)
			row[0] = 5000.5;
		if (i == dip)
			row[0] = -3.5;
		sim_reduce_add(&r, 10.0 * (double)(i + 1), row);
	}
	sim_reduce_finish(&r, &cols, &out);
	cr_assert_eq(out.nrows, SIM_REDUCE_BUCKETS, "%zu rows", out.nrows);
	cr_assert(out.merged);
	cr_assert_not_null(out.cols);
	cr_assert_not_null(out.cols[0], "a column that changes keeps its rows");
	double top = -INFINITY, bottom = INFINITY;
	size_t at = 0;
	for (size_t k = 0; k < out.nrows; k++) {
		if (at_hi(&out, k, 0) > top) {
			top = at_hi(&out, k, 0);
			at = k;
		}
		bottom = fmin(bottom, at_lo(&out, k, 0));
		cr_assert(k == 0 || out.t[k] > out.t[k - 1], "times in order at row %zu", k);
		cr_assert_float_eq(at_v(&out, k, 1), 0.125, 1e-12, "the mean skips empty cells");
	}
	cr_expect_float_eq(top, 5000.5, 0, "the spike is in the maximum: %g", top);
	cr_expect_float_eq(bottom, -3.5, 0, "the dip is in the minimum: %g", bottom);
	/* the spike's row falls in bucket spike * B / rows, whose time spans it */
	cr_expect_eq(at, spike * SIM_REDUCE_BUCKETS / rows);
	double per = (double)rows / SIM_REDUCE_BUCKETS;
	cr_expect_float_eq(at_v(&out, at, 0), (7.25 * (per - 1) + 5000.5) / per, 1e-9,
			   "the mean of the spike's bucket: %.17g", at_v(&out, at, 0));
	cr_expect_float_eq(out.t[0], 10 * (per + 1) / 2, 1e-9, "a bucket's time is its rows' mean");
	sim_series_fini(&out);
	sim_series_fini(&cols);
}

Test(sim_reduce, a_short_series_passes_unchanged)
{
	struct sim_series cols, out;
	two_columns(&cols);
	struct sim_reduce r;
	const size_t rows = 600;
	cr_assert_eq(sim_reduce_init(&r, &cols, rows), 0);
	for (size_t i = 0; i < rows; i++) {
		double row[2] = { 0.1 * (double)i, i == 17 ? NAN : 3.3 };
		sim_reduce_add(&r, 0.1 + (double)i, row);
	}
	sim_reduce_finish(&r, &cols, &out);
	cr_assert_eq(out.nrows, rows);
	cr_expect(!out.merged);
	for (size_t i = 0; i < rows; i++) {
		cr_assert_eq(out.t[i], 0.1 + (double)i, "row %zu: exact time", i);
		cr_assert_eq(at_v(&out, i, 0), 0.1 * (double)i, "row %zu: exact value", i);
		cr_assert_eq(at_lo(&out, i, 0), at_v(&out, i, 0));
		cr_assert_eq(at_hi(&out, i, 0), at_v(&out, i, 0));
	}
	cr_expect(isnan(at_v(&out, 17, 1)) && isnan(at_lo(&out, 17, 1)) && isnan(at_hi(&out, 17, 1)),
		  "an empty cell stays empty");
	cr_expect_eq(at_v(&out, 16, 1), 3.3);
	cr_expect_eq(at_v(&out, 18, 1), 3.3);
	sim_series_fini(&out);
	sim_series_fini(&cols);
}

/* A run that stops early makes fewer rows than expected; one that makes
 * more (never, but) puts them in the last bucket: never past the bound. */
Test(sim_reduce, rows_fewer_or_more_than_expected)
{
	struct sim_series cols, out;
	two_columns(&cols);
	struct sim_reduce r;
	cr_assert_eq(sim_reduce_init(&r, &cols, 5000), 0);
	double row[2] = { 1, 2 };
	for (size_t i = 0; i < 9000; i++)
		sim_reduce_add(&r, (double)i, row);
	sim_reduce_finish(&r, &cols, &out);
	cr_expect_eq(out.nrows, SIM_REDUCE_BUCKETS);
	sim_series_fini(&out);
	two_columns(&cols);	/* the first reduction took the names */
	cr_assert_eq(sim_reduce_init(&r, &cols, 5000), 0);
	for (size_t i = 0; i < 50; i++)
		sim_reduce_add(&r, (double)i, row);
	sim_reduce_finish(&r, &cols, &out);
	cr_expect_eq(out.nrows, 10, "50 rows of buckets of 5: %zu", out.nrows);
	sim_series_fini(&out);
	sim_series_fini(&cols);
}

/* An idle component's columns never change: each keeps one triple, not
 * a row per bucket, and reads back the same in every row; a column that
 * changes late gets its rows then, the earlier ones filled in. */
Test(sim_reduce, a_column_that_never_changes_keeps_one_triple)
{
	struct sim_series cols, out;
	sim_series_init(&cols);
	cr_assert_eq(sim_series_add_col(&cols, "idle.depth"), 0);
	cr_assert_eq(sim_series_add_col(&cols, "idle.p99_s"), 0);
	cr_assert_eq(sim_series_add_col(&cols, "late.depth"), 0);
	struct sim_reduce r;
	const size_t rows = 3000, late = 2500;	/* buckets of three rows */
	cr_assert_eq(sim_reduce_init(&r, &cols, rows), 0);
	for (size_t i = 0; i < rows; i++) {
		double row[3] = { 0, NAN, i == late ? 42 : 0 };
		cr_assert_eq(sim_reduce_add(&r, (double)i, row), 0);
	}
	cr_assert_eq(sim_reduce_finish(&r, &cols, &out), 0);
	cr_assert_eq(out.nrows, SIM_REDUCE_BUCKETS);
	cr_assert_eq(out.ncols, 3);
	cr_expect_str_eq(out.names[2], "late.depth");
	cr_expect(cols.ncols == 0 && !cols.names, "the names were taken, not copied");
	cr_expect_eq(sim_series_find(&out, "late.depth"), 2, "found through the index taken");
	cr_expect_eq(sim_series_find(&cols, "late.depth"), -1);
	cr_expect_null(out.cols[0], "a column of zeros keeps no rows");
	cr_expect_null(out.cols[1], "an empty column keeps no rows");
	cr_assert_not_null(out.cols[2], "a column that changed keeps its rows");
	cr_expect_eq(out.ntriples, 2, "zeros and empty cells: two triples, shared");
	size_t spike = late * SIM_REDUCE_BUCKETS / rows;
	for (size_t k = 0; k < out.nrows; k++) {
		cr_assert(at_v(&out, k, 0) == 0 && at_lo(&out, k, 0) == 0 && at_hi(&out, k, 0) == 0,
			  "row %zu", k);
		cr_assert(isnan(at_v(&out, k, 1)) && isnan(at_lo(&out, k, 1)) &&
				  isnan(at_hi(&out, k, 1)),
			  "row %zu", k);
		cr_assert_eq(at_hi(&out, k, 2), k == spike ? 42 : 0, "row %zu", k);
		cr_assert_eq(at_lo(&out, k, 2), 0, "row %zu", k);
		cr_assert_float_eq(at_v(&out, k, 2), k == spike ? 14 : 0, 1e-12, "row %zu", k);
	}
	sim_series_fini(&out);
	sim_series_fini(&cols);
}

/* No more rows than buckets: each row goes straight in, and the reducer
 * keeps no accumulators (32 bytes a column: a wide model has tens of
 * thousands).  A row beyond those expected still joins the last bucket,
 * its mean exact. */
Test(sim_reduce, a_short_series_needs_no_accumulators)
{
	struct sim_series cols, out;
	two_columns(&cols);
	struct sim_reduce r;
	const size_t rows = 50;
	cr_assert_eq(sim_reduce_init(&r, &cols, rows), 0);
	cr_expect(r.sum == NULL && r.min == NULL && r.max == NULL && r.n == NULL,
		  "a bucket per row: nothing to accumulate");
	for (size_t i = 0; i < rows + 3; i++) {
		double row[2] = { 0.3 * (double)i, i == 3 || i == rows + 1 ? NAN : 7 };
		cr_assert_eq(sim_reduce_add(&r, 0.5 + (double)i, row), 0);
		if (i < rows)
			cr_assert_eq(r.out.nrows, i + 1, "row %zu went in", i);
	}
	cr_assert_eq(sim_reduce_finish(&r, &cols, &out), 0);
	cr_assert_eq(out.nrows, rows);
	cr_expect(out.merged, "the last bucket holds four rows");
	for (size_t i = 0; i + 1 < rows; i++) {
		cr_assert_eq(out.t[i], 0.5 + (double)i);
		cr_assert_eq(at_v(&out, i, 0), 0.3 * (double)i);
		cr_assert_eq(at_lo(&out, i, 0), 0.3 * (double)i);
	}
	cr_expect(isnan(at_v(&out, 3, 1)), "an empty cell stays empty");
	size_t k = rows - 1;
	double sum = 0;
	for (size_t i = k; i < rows + 3; i++)
		sum += 0.3 * (double)i;
	cr_expect_eq(at_v(&out, k, 0), sum / 4, "the exact mean: %.17g", at_v(&out, k, 0));
	cr_expect_eq(at_lo(&out, k, 0), 0.3 * (double)k);
	cr_expect_eq(at_hi(&out, k, 0), 0.3 * (double)(rows + 2));
	cr_expect_eq(out.t[k], ((0.5 + 49) + (0.5 + 50) + (0.5 + 51) + (0.5 + 52)) / 4);
	cr_expect_eq(at_v(&out, k, 1), 7, "the mean skips the empty cell");
	sim_series_fini(&out);
	sim_series_fini(&cols);
}
