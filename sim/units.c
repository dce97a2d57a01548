/* units.c - strict parsers for numbers with units. */
#include "sim/units.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPECT_NUMBER "expected a finite decimal number"
#define EXPECT_DURATION "expected a duration such as 250us, 5ms, 2s, 3m or 1h"
#define EXPECT_RATE "expected a rate such as 2000/s, 120/m or 5/ms"
#define EXPECT_COUNT "expected a whole number such as 100, 10k or 2M"

/* Length of the decimal number at the start of s, 0 if none. */
static size_t number_len(const char *s)
{
	size_t i = 0, digits = 0;
	if (s[i] == '+' || s[i] == '-')
		i++;
	while (isdigit((unsigned char)s[i]))
		i++, digits++;
	if (s[i] == '.') {
		i++;
		while (isdigit((unsigned char)s[i]))
			i++, digits++;
	}
	if (!digits)
		return 0;
	if (s[i] == 'e' || s[i] == 'E') {
		size_t j = i + 1;
		if (s[j] == '+' || s[j] == '-')
			j++;
		if (isdigit((unsigned char)s[j])) {
			while (isdigit((unsigned char)s[j]))
				j++;
			i = j;
		}
	}
	return i;
}

/* Parses the leading number; *end gets what follows, spaces skipped. */
static int lead_number(const char *s, double *out, const char **end)
{
	while (*s == ' ')
		s++;
	size_t n = number_len(s);
	if (!n)
		return -1;
	char buf[64];
	if (n >= sizeof buf)
		return -1;
	memcpy(buf, s, n);
	buf[n] = 0;
	errno = 0;
	double v = strtod(buf, NULL);
	if (errno == ERANGE && fabs(v) > 1)
		return -1;
	if (!isfinite(v))
		return -1;
	*out = v;
	s += n;
	while (*s == ' ')
		s++;
	*end = s;
	return 0;
}

const char *sim_parse_number(const char *s, double *out)
{
	const char *end;
	if (lead_number(s, out, &end) < 0 || *end)
		return EXPECT_NUMBER;
	return NULL;
}

static const struct unit {
	const char *name;
	double seconds;
} time_units[] = {
	{ "ns", 1e-9 }, { "us", 1e-6 }, { "ms", 1e-3 }, { "s", 1 },
	{ "m", 60 }, { "min", 60 }, { "h", 3600 }, { NULL, 0 },
};

static int time_unit(const char *s, double *sec)
{
	for (const struct unit *u = time_units; u->name; u++)
		if (!strcmp(s, u->name)) {
			*sec = u->seconds;
			return 0;
		}
	return -1;
}

const char *sim_parse_duration(const char *s, double *out)
{
	const char *end;
	double v, unit = 1;
	if (lead_number(s, &v, &end) < 0)
		return EXPECT_DURATION;
	if (*end && time_unit(end, &unit) < 0)
		return EXPECT_DURATION;
	v *= unit;
	if (!isfinite(v))
		return EXPECT_DURATION;
	if (v < 0)
		return "a duration cannot be negative";
	*out = v;
	return NULL;
}

static int multiplier(const char **s, double *m)
{
	*m = 1;
	switch (**s) {
	case 'k': *m = 1e3; break;
	case 'M': *m = 1e6; break;
	case 'G': *m = 1e9; break;
	default: return 0;
	}
	(*s)++;
	return 0;
}

const char *sim_parse_rate(const char *s, double *out)
{
	const char *end;
	double v, m, per = 1;
	if (lead_number(s, &v, &end) < 0)
		return EXPECT_RATE;
	multiplier(&end, &m);
	while (*end == ' ')
		end++;
	if (*end == '/') {
		end++;
		while (*end == ' ')
			end++;
		if (time_unit(end, &per) < 0)
			return EXPECT_RATE;
	} else if (*end) {
		return EXPECT_RATE;
	}
	v = v * m / per;
	if (!isfinite(v))
		return EXPECT_RATE;
	if (v < 0)
		return "a rate cannot be negative";
	*out = v;
	return NULL;
}

#define MAX_WHOLE UINT64_C(9007199254740992)	/* 2^53: exact in a double too */

/* Splits a decimal number into its significant digits (leading zeros
 * dropped) and a power of ten: "1.50e3" gives "150" and 1. */
static int decimal_parts(const char **sp, char *digits, size_t size, long *scale)
{
	const char *s = *sp;
	size_t nd = 0, seen = 0;
	long frac = 0;
	for (bool dot = false; isdigit((unsigned char)*s) || (*s == '.' && !dot); s++) {
		if (*s == '.') {
			dot = true;
			continue;
		}
		seen++;
		frac += dot;
		if (nd == 0 && *s == '0')
			continue;
		if (nd + 1 >= size)
			return -1;
		digits[nd++] = *s;
	}
	digits[nd] = 0;
	if (!seen)
		return -1;
	long exp = 0;
	if ((*s == 'e' || *s == 'E') &&
	    (isdigit((unsigned char)s[1]) || ((s[1] == '+' || s[1] == '-') && isdigit((unsigned char)s[2])))) {
		bool neg = *++s == '-';
		s += *s == '+' || *s == '-';
		for (; isdigit((unsigned char)*s); s++)
			if (exp < 1000)
				exp = exp * 10 + (*s - '0');
		exp = neg ? -exp : exp;
	}
	*scale = exp - frac;
	*sp = s;
	return 0;
}

/* The whole number at s, in integers from start to end (never through a
 * double, which would round 2^53 + 1 to 2^53), with an optional k, M or G
 * when mult.  Returns NULL or why not; *neg tells a leading minus. */
static const char *whole_number(const char *s, bool mult, bool *neg, uint64_t *out,
				const char *expected)
{
	char digits[64];
	long scale;
	while (*s == ' ')
		s++;
	*neg = *s == '-';
	s += *s == '+' || *s == '-';
	if (decimal_parts(&s, digits, sizeof digits, &scale) < 0)
		return expected;
	while (*s == ' ')
		s++;
	double m = 1;
	if (mult)
		multiplier(&s, &m);
	if (*s)
		return expected;
	scale += m == 1e9 ? 9 : m == 1e6 ? 6 : m == 1e3 ? 3 : 0;
	size_t nd = strlen(digits);
	for (; scale < 0 && nd; scale++)
		if (digits[--nd] != '0')
			return "expected a whole number";
	uint64_t v = 0;
	for (size_t i = 0; i < nd; i++) {
		unsigned d = (unsigned)(digits[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return "too large";
		v = v * 10 + d;
	}
	for (; v && scale > 0; scale--) {
		if (v > UINT64_MAX / 10)
			return "too large";
		v *= 10;
	}
	*out = v;
	return NULL;
}

const char *sim_parse_count(const char *s, uint64_t *out)
{
	bool neg;
	uint64_t v;
	const char *why = whole_number(s, true, &neg, &v, EXPECT_COUNT);
	if (why && !strcmp(why, "too large"))
		return "count too large (at most 2^53)";
	if (why)
		return why;
	if (neg && v)
		return "a count cannot be negative";
	if (v > MAX_WHOLE)
		return "count too large (at most 2^53)";
	*out = v;
	return NULL;
}

const char *sim_parse_int(const char *s, int64_t *out)
{
	bool neg;
	uint64_t v;
	const char *why = whole_number(s, false, &neg, &v, "expected a whole number");
	if (why || v > MAX_WHOLE)
		return why && strcmp(why, "too large") ? why : "number too large (at most 2^53 in size)";
	*out = neg ? -(int64_t)v : (int64_t)v;
	return NULL;
}

void sim_format_duration(char *buf, unsigned long size, double s)
{
	double a = fabs(s);
	if (isnan(s))
		snprintf(buf, size, "n/a");
	else if (a == 0)
		snprintf(buf, size, "0 s");
	else if (a < 1e-3)
		snprintf(buf, size, "%.3g us", s * 1e6);
	else if (a < 1)
		snprintf(buf, size, "%.3g ms", s * 1e3);
	else if (a < 120)
		snprintf(buf, size, "%.3g s", s);
	else if (a < 7200)
		snprintf(buf, size, "%.3g min", s / 60);
	else
		snprintf(buf, size, "%.3g h", s / 3600);
}
