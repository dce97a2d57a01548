/* test_csv.c - CSV fields as RFC 4180 has them (sim/csv.c) */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/csv.h"
#include "sim/series.h"
#include "tests/csvread.h"

/* What the writer makes of one field (malloc'd). */
static char *written(void (*write)(FILE *, const char *), const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	write(f, s);
	fclose(f);
	return buf;
}

static void num(FILE *f, const char *s)
{
	sim_csv_num(f, strtod(s, NULL));
}

static void two(FILE *f, const char *s)
{
	sim_csv_field2(f, s, "_ci95");
}

Test(sim_csv, plain_fields_as_they_are_others_quoted)
{
	static const char *const cases[][2] = {
		{ "peak_depth", "peak_depth" },
		{ "", "" },
		{ "src.rate=40/s,w.count=1", "\"src.rate=40/s,w.count=1\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "two\nlines", "\"two\nlines\"" },
		{ "cr\rhere", "\"cr\rhere\"" },
		{ " padded", "\" padded\"" },
		{ "padded ", "\"padded \"" },
		{ "in side", "in side" },
		{ "'single' `back`", "'single' `back`" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *s = written(sim_csv_field, cases[i][0]);
		cr_expect_str_eq(s, cases[i][1], "field '%s'", cases[i][0]);
		free(s);
	}
}

Test(sim_csv, two_parts_are_one_field)
{
	char *s = written(two, "p99_s:a,b");
	cr_expect_str_eq(s, "\"p99_s:a,b_ci95\"");
	free(s);
	s = written(two, "peak_depth");
	cr_expect_str_eq(s, "peak_depth_ci95");
	free(s);
}

Test(sim_csv, numbers_read_back_and_missing_is_empty)
{
	static const char *const cases[][2] = {
		{ "0.07275390625", "0.07275390625" }, { "20", "20" }, { "-2.385", "-2.385" },
		{ "nan", "" }, { "inf", "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *s = written(num, cases[i][0]);
		cr_expect_str_eq(s, cases[i][1], "number %s", cases[i][0]);
		free(s);
	}
}

/* Whatever the fields hold, a reader gets them back, as many as written. */
Test(sim_csv, a_record_reads_back_field_for_field)
{
	static const char *const fields[] = {
		"a,b", "\"", "\"\"", ",", "", " x ", "line\r\nbreak", "plain", "q\"z,\n",
	};
	size_t n = sizeof fields / sizeof fields[0];
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		sim_csv_field(f, fields[i]);
	}
	fputc('\n', f);
	fclose(f);
	const char *p = buf;
	char *got[16];
	int w = th_csv_record(&p, got, 16);
	cr_assert_eq(w, (int)n, "%d fields of %zu in: %s", w, n, buf);
	for (size_t i = 0; i < n; i++)
		cr_expect_str_eq(got[i], fields[i], "field %zu", i);
	cr_expect_eq(*p, 0, "one record");
	th_csv_free(got, w);
	free(buf);
}

/* Column names come from users: a header field per column, whatever the
 * names hold. */
Test(sim_csv, time_series_header_has_a_field_per_column)
{
	struct sim_series s;
	sim_series_init(&s);
	cr_assert_eq(sim_series_add_col(&s, "q.depth"), 0);
	cr_assert_eq(sim_series_add_col(&s, "a,b.\"depth\""), 0);
	double *row = sim_series_row(&s, 2.385);
	cr_assert_not_null(row);
	row[0] = 7;
	row[1] = 0.5;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	sim_series_write_csv(&s, f);
	fclose(f);
	char **rows[4];
	int width[4];
	int n = th_csv_read(buf, rows, width, 4, 8);
	cr_assert_eq(n, 2, "%s", buf);
	cr_expect_eq(width[0], 3, "%s", buf);
	cr_expect_eq(width[1], 3, "%s", buf);
	cr_expect_str_eq(rows[0][2], "a,b.\"depth\"");
	cr_expect_str_eq(rows[1][0], "2.385");
	th_csv_free_all(rows, width, n);
	free(buf);
	sim_series_fini(&s);
}
