/* test_gpstr.c - strings written into gnuplot scripts (plots/gpstr.c):
 * the exact literals, and what gnuplot 5.4 itself makes of them. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plots/gpstr.h"
#include "tests/helpers.h"

/* The literal plots_gp_string writes for s (malloc'd). */
static char *literal(const char *s, enum plots_gp_text how)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	plots_gp_string(f, s, how);
	fclose(f);
	return buf;
}

static void expect_literal(const char *s, enum plots_gp_text how, const char *want)
{
	char *got = literal(s, how);
	cr_expect_str_eq(got, want, "for [%s]: got [%s], want [%s]", s, got, want);
	free(got);
}

Test(plots_gpstr, single_quoted_with_quotes_doubled)
{
	expect_literal("plain words", PLOTS_GP_VERBATIM, "'plain words'");
	expect_literal("", PLOTS_GP_VERBATIM, "''");
	expect_literal("it's 'q'", PLOTS_GP_VERBATIM, "'it''s ''q'''");
	expect_literal("'", PLOTS_GP_ENHANCED, "''''");
}

Test(plots_gpstr, backquotes_macros_and_backslashes_stay_as_they_are)
{
	/* inside single quotes gnuplot runs no `command` and expands no @macro */
	expect_literal("x`id >PWNED`", PLOTS_GP_VERBATIM, "'x`id >PWNED`'");
	expect_literal("@mac \"dq\" \\n \\", PLOTS_GP_VERBATIM, "'@mac \"dq\" \\n \\'");
	expect_literal("a;b#c$1%d", PLOTS_GP_VERBATIM, "'a;b#c$1%d'");
}

Test(plots_gpstr, control_characters_become_spaces)
{
	expect_literal("a\nset output 'x'\r\tb\x7f" "c\x01", PLOTS_GP_VERBATIM,
		       "'a set output ''x''  b c '");
	/* bytes of UTF-8 names pass through */
	expect_literal("caf\xc3\xa9", PLOTS_GP_VERBATIM, "'caf\xc3\xa9'");
}

Test(plots_gpstr, enhanced_text_has_its_markup_escaped)
{
	expect_literal("queue_a^2@b&c~d{e}f\\g", PLOTS_GP_ENHANCED,
		       "'queue\\_a\\^2\\@b\\&c\\~d\\{e\\}f\\\\g'");
	expect_literal("x`id`", PLOTS_GP_ENHANCED, "'x`id`'");
	/* verbatim text keeps them: it goes to labels set noenhanced */
	expect_literal("queue_a{b}", PLOTS_GP_VERBATIM, "'queue_a{b}'");
}

Test(plots_gpstr, comments_stay_on_their_line)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	plots_gp_comment(f, "title\nsystem('touch X') `id` \\");
	plots_gp_comment(f, "ends in two \\\\");
	fclose(f);
	cr_expect_str_eq(buf, "# title system('touch X') `id` \n# ends in two \n");
	free(buf);
}

/* What gnuplot makes of the literals: a script that shows hostile text
 * in every place a chart does; gnuplot must run no command and draw the
 * text as written. */
Test(plots_gpstr, gnuplot_reads_the_literals_as_data, .timeout = 60)
{
	char dir[64];
	th_tmpdir(dir, "sim-gpstr");
	const char *evil = "n`touch PWNED`'q' \"d\" \\ @mac a_b{c} ;# $1";
	char path[256];
	snprintf(path, sizeof path, "%s/t.gp", dir);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	plots_gp_comment(f, evil);
	fputs("mac = 'MACRO'\nset terminal svg enhanced\nset output ", f);
	plots_gp_string(f, "o`touch PWNED`'@mac.svg", PLOTS_GP_VERBATIM);
	fputs("\nset title ", f);
	plots_gp_string(f, evil, PLOTS_GP_ENHANCED);
	fputs(".\"\\n{/*0.75 \".", f);
	plots_gp_string(f, evil, PLOTS_GP_ENHANCED);
	fputs(".'}'\nset xlabel ", f);
	plots_gp_string(f, evil, PLOTS_GP_VERBATIM);
	fputs(" noenhanced\nset label 1 at graph 0.5, graph 0.5 ", f);
	plots_gp_string(f, evil, PLOTS_GP_VERBATIM);
	fputs(" noenhanced\nplot x title ", f);
	plots_gp_string(f, evil, PLOTS_GP_VERBATIM);
	fputs(" noenhanced\n", f);
	fclose(f);
	char cmd[512];
	snprintf(cmd, sizeof cmd, "cd %s && gnuplot t.gp 2>gnuplot.log", dir);
	cr_assert_eq(system(cmd), 0, "gnuplot fails on the script");
	snprintf(path, sizeof path, "%s/PWNED", dir);
	cr_expect_neq(access(path, F_OK), 0, "gnuplot ran a command from a string");
	snprintf(path, sizeof path, "%s/o`touch PWNED`'@mac.svg", dir);
	char *svg = th_read(path, NULL);
	cr_assert_not_null(svg, "the output file is not named as written");
	/* the title's two lines, the label, the x label, and the key (its
	 * text and the plot's <title>) */
	const char *shown = "n`touch PWNED`'q' \"d\" \\ @mac a_b{c} ;# $1";
	int times = 0;
	for (const char *p = svg; (p = strstr(p, shown)); p++)
		times++;
	cr_expect_eq(times, 6, "the text is not shown as written 6 times but %d", times);
	cr_expect_null(strstr(svg, "MACRO"), "a macro was expanded");
	free(svg);
	th_rmtree(dir);
}
