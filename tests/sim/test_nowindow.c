/* test_nowindow.c - sim compare of variants of which one has no overload
 * window (sim/figrows.c, sim/terminal.c, plots/charts.c): that run's
 * recovery figures are n/a, never "not recovered", and each row of the
 * terminal table and of compare.md keeps its own figures. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/helpers.h"

static char tmp[64];

static void setup(void)
{
	th_tmpdir(tmp, "sim-nowindow");
}

static void teardown(void)
{
	th_rmtree(tmp);
}

TestSuite(nowindow, .init = setup, .fini = teardown, .timeout = 240);

/* The line of text that starts with start, into buf. */
static const char *line(const char *text, const char *start, char *buf, size_t size)
{
	size_t len = strlen(start);
	for (const char *p = text; p; p = strchr(p, '\n')) {
		p += *p == '\n';
		if (!strncmp(p, start, len)) {
			snprintf(buf, size, "%.*s", (int)strcspn(p, "\n"), p);
			return buf;
		}
	}
	cr_assert_fail("no line starting '%s' in:\n%s", start, text);
	return NULL;
}

Test(nowindow, a_variant_without_a_window_is_na_in_its_own_row)
{
	const char *args[] = { "compare", "tests/scenarios/no-window.yaml", "--out", tmp, "--no-plots",
			       NULL };
	char *out, *err;
	cr_assert_eq(th_sim(args, &out, &err), 0, "%s", err);
	char buf[512];
	/* the terminal: the variants with the step recovered at once; the
	 * one without it is n/a, and ranked after those judged */
	cr_expect(strstr(line(out, "baseline ", buf, sizeof buf), " 0 s "), "%s", out);
	cr_expect(strstr(line(out, "drop-oldest ", buf, sizeof buf), " 0 s "), "%s", out);
	line(out, "steady ", buf, sizeof buf);
	cr_expect(strstr(buf, " n/a "), "%s", out);
	cr_expect_null(strstr(out, "not recovered"), "%s", out);
	cr_expect(strstr(out, "baseline") < strstr(out, "drop-oldest") &&
			  strstr(out, "drop-oldest") < strstr(out, "\nsteady "),
		  "%s", out);
	/* compare.md: the same, its recovery cells n/a */
	char *md = th_read_in(tmp, "compare.md");
	cr_assert_not_null(md);
	cr_expect(strstr(line(md, "| steady |", buf, sizeof buf), "| n/a | n/a |"), "%s", md);
	cr_expect_null(strstr(md, "not recovered"), "%s", md);
	/* the compared charts mark no verdict for the run without a window */
	char *gp = th_read_in(tmp, "compare-buffer.depth.gp");
	cr_assert_not_null(gp);
	cr_expect_null(strstr(gp, "not recovered"), "%s", gp);
	free(gp);
	free(md);
	free(out);
	free(err);
}
