/* test_units.c - durations, rates and counts (sim/units.c) */
#include <criterion/criterion.h>
#include <math.h>

#include "sim/units.h"

static double dur(const char *s)
{
	double v = -1;
	const char *err = sim_parse_duration(s, &v);
	cr_assert_null(err, "'%s' rejected: %s", s, err);
	return v;
}

static double rate(const char *s)
{
	double v = -1;
	const char *err = sim_parse_rate(s, &v);
	cr_assert_null(err, "'%s' rejected: %s", s, err);
	return v;
}

Test(sim_units, durations)
{
	cr_assert_float_eq(dur("250us"), 250e-6, 1e-18);
	cr_assert_float_eq(dur("5ms"), 0.005, 1e-15);
	cr_assert_float_eq(dur("2s"), 2, 0);
	cr_assert_float_eq(dur("3m"), 180, 0);
	cr_assert_float_eq(dur("1h"), 3600, 0);
	cr_assert_float_eq(dur("2.385"), 2.385, 0);
	cr_assert_float_eq(dur("1.5e3ms"), 1.5, 1e-12);
	cr_assert_float_eq(dur("7 ms"), 0.007, 1e-15);
	cr_assert_float_eq(dur("0"), 0, 0);
}

Test(sim_units, bad_durations)
{
	static const char *const bad[] = {
		"", "ms", "5 sec", "5mss", "-1s", "nan", "inf", "NaN", "infinity", "0x10",
		"1e400", "1e400s", "5..s", "1,5s", "--1", "5s5", "1e", NULL,
	};
	for (int i = 0; bad[i]; i++) {
		double v = 42;
		cr_expect_not_null(sim_parse_duration(bad[i], &v), "'%s' accepted as %g", bad[i], v);
		cr_expect_float_eq(v, 42, 0, "'%s' wrote its output", bad[i]);
	}
}

Test(sim_units, rates)
{
	cr_assert_float_eq(rate("2000/s"), 2000, 0);
	cr_assert_float_eq(rate("120/m"), 2, 1e-12);
	cr_assert_float_eq(rate("5/ms"), 5000, 1e-9);
	cr_assert_float_eq(rate("3600/h"), 1, 1e-12);
	cr_assert_float_eq(rate("42.5"), 42.5, 0);
	cr_assert_float_eq(rate("10k/s"), 10000, 0);
	cr_assert_float_eq(rate("0"), 0, 0);
	double v;
	cr_expect_not_null(sim_parse_rate("-5/s", &v));
	cr_expect_not_null(sim_parse_rate("5/fortnight", &v));
	cr_expect_not_null(sim_parse_rate("5/", &v));
	cr_expect_not_null(sim_parse_rate("/s", &v));
	cr_expect_not_null(sim_parse_rate("nan/s", &v));
	cr_expect_not_null(sim_parse_rate("1e308k/us", &v), "overflow to infinity");
}

Test(sim_units, counts)
{
	uint64_t v;
	cr_assert_null(sim_parse_count("100", &v));
	cr_assert_eq(v, 100);
	cr_assert_null(sim_parse_count("10k", &v));
	cr_assert_eq(v, 10000);
	cr_assert_null(sim_parse_count("2M", &v));
	cr_assert_eq(v, 2000000);
	cr_assert_null(sim_parse_count("1.5k", &v));
	cr_assert_eq(v, 1500);
	cr_expect_not_null(sim_parse_count("1.5", &v));
	cr_expect_not_null(sim_parse_count("-3", &v));
	cr_expect_not_null(sim_parse_count("1e30", &v), "overflows a count");
	cr_expect_not_null(sim_parse_count("12 apples", &v));
	cr_expect_not_null(sim_parse_count("inf", &v));
	int64_t i;
	cr_assert_null(sim_parse_int("-7", &i));
	cr_assert_eq(i, -7);
	cr_expect_not_null(sim_parse_int("7.5", &i));
}

/* Whole numbers never go through a double, which rounds 2^53 + 1 down. */
Test(sim_units, counts_are_exact_integers)
{
	uint64_t v;
	cr_assert_null(sim_parse_count("9007199254740992", &v));
	cr_assert_eq(v, UINT64_C(9007199254740992));
	cr_assert_null(sim_parse_count("9007199254740991", &v));
	cr_assert_eq(v, UINT64_C(9007199254740991));
	cr_assert_not_null(sim_parse_count("9007199254740993", &v), "2^53 + 1 is out of range");
	cr_assert_not_null(sim_parse_count("18446744073709551617", &v), "past 64 bits");
	cr_assert_null(sim_parse_count("1.234k", &v));
	cr_assert_eq(v, 1234);
	cr_assert_null(sim_parse_count("2500e-2", &v), "a whole number however written");
	cr_assert_eq(v, 25);
	cr_assert_not_null(sim_parse_count("1.2345k", &v));
	int64_t i;
	cr_assert_null(sim_parse_int("-9007199254740991", &i));
	cr_assert_eq(i, -INT64_C(9007199254740991));
	cr_assert_not_null(sim_parse_int("-9007199254740993", &i));
	cr_assert_not_null(sim_parse_int("1e400", &i));
}

Test(sim_units, numbers)
{
	double v;
	cr_assert_null(sim_parse_number("0.125", &v));
	cr_assert_float_eq(v, 0.125, 0);
	cr_assert_null(sim_parse_number("-2.5e-3", &v));
	cr_assert_float_eq(v, -2.5e-3, 0);
	cr_expect_not_null(sim_parse_number("0.5s", &v));
	cr_expect_not_null(sim_parse_number(".", &v));
	cr_expect_not_null(sim_parse_number("nan", &v));
}

Test(sim_units, format_duration)
{
	char buf[32];
	sim_format_duration(buf, sizeof buf, 0.0125);
	cr_assert_str_eq(buf, "12.5 ms");
	sim_format_duration(buf, sizeof buf, 2.5e-5);
	cr_assert_str_eq(buf, "25 us");
	sim_format_duration(buf, sizeof buf, 300);
	cr_assert_str_eq(buf, "5 min");
}
