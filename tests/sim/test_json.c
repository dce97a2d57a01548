/* test_json.c - numbers as the summary and the time series write them. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

#include "sim/json.h"

/* Integers take a fast path of their own; it must print what "%.0f"
 * prints, digit for digit. */
Test(sim_json, integers_print_as_printf_does)
{
	const double v[] = { 0, 1, -1, 9, 10, 99, 100, 12345, -98765, 1e15, -1e15,
			     4294967296.0, 9007199254740991.0, -9007199254740991.0,
			     123456789012345.0 };
	char got[64], want[64];
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		sim_json_format_num(got, sizeof got, v[i]);
		snprintf(want, sizeof want, "%.0f", v[i]);
		cr_expect_str_eq(got, want, "value %.17g", v[i]);
	}
	for (double x = 1; x < 9e15; x = x * 3.7 + 1) {
		double r = floor(x);
		sim_json_format_num(got, sizeof got, r);
		snprintf(want, sizeof want, "%.0f", r);
		cr_expect_str_eq(got, want, "value %.17g", r);
	}
}

Test(sim_json, other_numbers)
{
	char got[64];
	sim_json_format_num(got, sizeof got, -0.0);
	cr_expect_str_eq(got, "0");
	sim_json_format_num(got, sizeof got, 0.1053164475123);
	cr_expect_str_eq(got, "0.1053164475");
	sim_json_format_num(got, sizeof got, 9007199254740992.0);	/* 2^53: %.10g */
	cr_expect_str_eq(got, "9.007199255e+15");
	sim_json_format_num(got, sizeof got, NAN);
	cr_expect_str_eq(got, "null");
	sim_json_format_num(got, sizeof got, -INFINITY);
	cr_expect_str_eq(got, "null");
}

/* A buffer too small for the digits gets printf's truncation, not an
 * overrun. */
Test(sim_json, small_buffer)
{
	char got[4];
	sim_json_format_num(got, sizeof got, 123456.0);
	cr_expect_str_eq(got, "123");
}
